/*
 * bench_trace.c -- what a probe costs, and how well its clock keeps time.
 *
 * probe_vs_clock: the cost of recording one state transition (reading
 * clock_now_ns and appending the span) divided by the cost of one read of
 * the kernel's clock (CLOCK_MONOTONIC): below 1, recording a transition
 * costs less than asking the kernel the time.  Medians of repeated rounds,
 * so a noisy neighbour moves it little.  The trace is reused, so the
 * figure is the steady cost of a probe; the first touch of fresh trace
 * memory (a page fault per 64 spans) is reported on its own as
 * probe_cold_ns.
 *
 * clock_drift_pct_10s: how far clock_now_ns (the calibrated cycle counter
 * where there is one) parts from CLOCK_MONOTONIC over ten seconds, in
 * percent of the ten seconds.  Target: at most 0.1.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"
#include "clock.h"
#include "stats.h"
#include "trace.h"

#define ROUNDS 9
#define N 200000
#define DRIFT_S 10

static volatile uint64_t sink;

static double kernel_clock_cost_ns(void)
{
	uint64_t t0 = clock_kernel_ns(), acc = 0;

	for (int i = 0; i < N; i++)
		acc += clock_kernel_ns();
	sink = acc;
	return (double)(clock_kernel_ns() - t0) / N;
}

static double probe_cost_ns(struct trace *tr)
{
	static const char *const reasons[2] = {"computing", "preempted by the OS"};

	trace_reset(tr);
	trace_start(tr, clock_now_ns());
	uint64_t t0 = clock_kernel_ns();
	for (int i = 0; i < N; i++)
		trace_enter(tr, 0, clock_now_ns(), (i & 1) ? STATE_READY : STATE_RUNNING,
			    (i & 1) ? -1 : 0, CAUSE_STEP, -1, reasons[i & 1]);
	return (double)(clock_kernel_ns() - t0) / N;
}

/* clock_now_ns at the kernel's reading K, the tightest of several tries. */
static uint64_t clock_pair(uint64_t *k)
{
	uint64_t best = UINT64_MAX, mid = 0;

	for (int i = 0; i < 20; i++) {
		uint64_t a = clock_now_ns(), kn = clock_kernel_ns(), b = clock_now_ns();
		if (b - a < best) {
			best = b - a;
			mid = a + (b - a) / 2;
			*k = kn;
		}
	}
	return mid;
}

static void drift(void)
{
	uint64_t k0, k1, n0 = clock_pair(&k0);
	double pct[DRIFT_S];

	for (int s = 0; s < DRIFT_S; s++) {
		clock_sleep_until(n0 + (uint64_t)(s + 1) * 1000 * CLOCK_NS_PER_MS);
		uint64_t n1 = clock_pair(&k1);
		double ours = (double)(n1 - n0), kernel = (double)(k1 - k0);
		pct[s] = (ours - kernel) / kernel * 100.0;
		if (pct[s] < 0)
			pct[s] = -pct[s];
	}
	/* The figure is the whole ten seconds; the rounds are each second's total so far. */
	bench_print("clock_drift_pct_10s", 5, pct[DRIFT_S - 1], "%", pct, DRIFT_S);
	printf("bench-note clock_drift_pct_10s source %s\n", clock_uses_tsc() ? "tsc" : "kernel");
}

int main(void)
{
	double ratio[ROUNDS], probe[ROUNDS], clk[ROUNDS];
	struct trace *tr = trace_create(1, 0);

	if (!tr) {
		perror("trace_create");
		return 1;
	}
	double cold = probe_cost_ns(tr);
	for (int r = 0; r < ROUNDS; r++) {
		clk[r] = kernel_clock_cost_ns();
		probe[r] = probe_cost_ns(tr);
		ratio[r] = probe[r] / clk[r];
	}
	bench_median("probe_vs_clock", 2, "ratio", ratio, ROUNDS);
	bench_median("probe_ns", 1, "ns", probe, ROUNDS);
	bench_median("kernel_clock_ns", 1, "ns", clk, ROUNDS);
	printf("bench probe_cold_ns %.1f ns\n", cold);
	trace_destroy(tr);
	drift();
	return 0;
}
