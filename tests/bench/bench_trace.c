/*
 * bench_trace.c -- what a probe costs.
 *
 * probe_vs_clock: the cost of recording one state transition (reading the
 * clock and appending the span) divided by the cost of one clock read.
 * Medians of repeated rounds, so a noisy neighbour moves it little.  The
 * trace is reused, so the figure is the steady cost of a probe; the first
 * touch of fresh trace memory (a page fault per 64 spans) is reported on
 * its own as probe_cold_ns.
 */
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "stats.h"
#include "trace.h"

#define ROUNDS 9
#define N 200000

static volatile uint64_t sink;

static double clock_cost_ns(void)
{
	uint64_t t0 = clock_now_ns(), acc = 0;

	for (int i = 0; i < N; i++)
		acc += clock_now_ns();
	sink = acc;
	return (double)(clock_now_ns() - t0) / N;
}

static double probe_cost_ns(struct trace *tr)
{
	static const char *const reasons[2] = {"computing", "preempted by the OS"};

	trace_reset(tr);
	trace_start(tr, clock_now_ns());
	uint64_t t0 = clock_now_ns();
	for (int i = 0; i < N; i++)
		trace_enter(tr, 0, clock_now_ns(), (i & 1) ? STATE_READY : STATE_RUNNING,
			    (i & 1) ? -1 : 0, CAUSE_STEP, -1, reasons[i & 1]);
	return (double)(clock_now_ns() - t0) / N;
}

int main(void)
{
	double ratio[ROUNDS], probe[ROUNDS];
	struct trace *tr = trace_create(1, 0);

	if (!tr) {
		perror("trace_create");
		return 1;
	}
	double cold = probe_cost_ns(tr);
	for (int r = 0; r < ROUNDS; r++) {
		double c = clock_cost_ns();
		probe[r] = probe_cost_ns(tr);
		ratio[r] = probe[r] / c;
	}
	printf("bench probe_vs_clock %.2f ratio\n", stats_median(ratio, ROUNDS));
	printf("bench probe_ns %.1f ns\n", stats_median(probe, ROUNDS));
	printf("bench probe_cold_ns %.1f ns\n", cold);
	trace_destroy(tr);
	return 0;
}
