/*
 * test_clock.c -- the one time source: conversions, sleeping to a deadline,
 * CPU time that grows with work and not with waiting, and a calibrated
 * cycle counter that keeps CLOCK_MONOTONIC's rate and origin.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "clock.h"
#include "timing_test_util.h"
#include "work.h"

static void test_conversions(void **unused)
{
	(void)unused;
	assert_int_equal(clock_ms_to_ns(1.5), 1500000);
	assert_int_equal(clock_ms_to_ns(0), 0);
	assert_int_equal(clock_ms_to_ns(-3), 0);
	assert_true(clock_ns_to_ms(2500000) == 2.5);
}

static void test_monotonic(void **unused)
{
	(void)unused;
	uint64_t prev = clock_now_ns();

	for (int i = 0; i < 100000; i++) {
		uint64_t t = clock_now_ns();
		assert_true(t >= prev);
		prev = t;
	}
}

/*
 * clock_now_ns and the kernel's clock at one instant: the kernel's reading
 * between two of ours, the tightest of several tries so that a preemption
 * in between does not count.  Returns ours (the middle); *KERNEL gets its.
 */
static uint64_t clock_pair(uint64_t *kernel)
{
	uint64_t best = UINT64_MAX, mid = 0;

	for (int i = 0; i < 20; i++) {
		uint64_t a = clock_now_ns(), k = clock_kernel_ns(), b = clock_now_ns();
		if (b - a < best) {
			best = b - a;
			mid = a + (b - a) / 2;
			*kernel = k;
		}
	}
	return mid;
}

/* The two clocks share an origin: a trace may mix them. */
static void test_same_origin_as_kernel(void **unused)
{
	(void)unused;
	uint64_t k, ours = clock_pair(&k);
	uint64_t apart = ours > k ? ours - k : k - ours;

	/* A rate error of a few ppm since start-up parts them by microseconds. */
	assert_true(apart < CLOCK_NS_PER_MS);
}

/*
 * Over half a second clock_now_ns advances as CLOCK_MONOTONIC does, to
 * 0.1 % (the bound for ten seconds; rate error is what drifts,
 * and a rate measured over 0.5 s from pairs a few hundred ns wide is
 * itself right to ~1 ppm, so the shorter run judges the same thing).  A
 * wrong multiplier, shift or origin is off by far more.  Both the counter
 * path and the kernel fallback must pass it.
 */
static void test_rate_matches_kernel(void **unused)
{
	(void)unused;
	uint64_t k0, k1, n0 = clock_pair(&k0);

	clock_sleep_until(n0 + 500 * CLOCK_NS_PER_MS);
	uint64_t n1 = clock_pair(&k1);
	double ours = (double)(n1 - n0), kernel = (double)(k1 - k0);

	print_message("clock: %s, rate off by %.2f ppm\n", clock_uses_tsc() ? "tsc" : "kernel",
		      (ours - kernel) / kernel * 1e6);
	assert_true(kernel > 0.4e9);
	assert_true(ours / kernel > 0.999 && ours / kernel < 1.001);
}

/* Sleeping to a deadline never wakes early. */
static void test_sleep_until_not_early(void **unused)
{
	(void)unused;
	for (int i = 0; i < 5; i++) {
		uint64_t deadline = clock_now_ns() + 20 * CLOCK_NS_PER_MS;
		clock_sleep_until(deadline);
		assert_true(clock_now_ns() >= deadline);
	}
	clock_sleep_until(clock_now_ns() - 1); /* a past deadline returns at once */
}

/* CPU time follows computation, not waiting: a ratio within one run. */
static void test_cpu_time(void **unused)
{
	(void)unused;
	uint64_t c0 = clock_cpu_ns();
	clock_sleep_until(clock_now_ns() + 100 * CLOCK_NS_PER_MS);
	uint64_t slept = clock_cpu_ns() - c0;

	c0 = clock_cpu_ns();
	uint64_t w0 = clock_now_ns();
	struct timing_watch w;
	timing_watch_start(&w);
	volatile uint64_t sink = work_crunch(work_iters_per_ms() * 100);
	uint64_t busy = clock_cpu_ns() - c0, wall = clock_now_ns() - w0;

	(void)sink;
	assert_true(slept < busy / 5);
	/* Other programs take the core from a computation: judged only when they did not. */
	if (timing_judged(&w))
		assert_true((double)busy / (double)wall > 0.5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_conversions),
	    cmocka_unit_test(test_monotonic),
	    cmocka_unit_test(test_same_origin_as_kernel),
	    cmocka_unit_test(test_rate_matches_kernel),
	    cmocka_unit_test(test_sleep_until_not_early),
	    cmocka_unit_test(test_cpu_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
