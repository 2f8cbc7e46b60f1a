/*
 * test_clock.c -- the one time source: conversions, sleeping to a deadline,
 * and CPU time that grows with work and not with waiting.
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
	    cmocka_unit_test(test_sleep_until_not_early),
	    cmocka_unit_test(test_cpu_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
