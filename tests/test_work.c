/*
 * test_work.c -- the CPU kernel: calibration holds within 10%, primality.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "timing_test_util.h"
#include "work.h"

/* Fastest of a few timings of MS ms of chunks: the least disturbed one. */
static double measured_ms(double ms)
{
	double best = 1e30;

	for (int rep = 0; rep < 5; rep++) {
		uint64_t n = work_chunks_for(ms), it = work_chunk_iters(), sink = 0;
		uint64_t t0 = clock_now_ns();
		for (uint64_t i = 0; i < n; i++)
			sink ^= work_crunch(it);
		double dt = clock_ns_to_ms(clock_now_ns() - t0);
		if (dt < best)
			best = dt;
		assert_true(sink != 1); /* keep the work */
	}
	return best;
}

/* One try: the same kernel, timed again; the ratio is what must hold. */
static bool calibration_once(void *unused)
{
	(void)unused;
	double got = measured_ms(50);

	print_message("50 ms of chunks took %.1f ms\n", got);
	return got / 50.0 > 0.9 && got / 50.0 < 1.1;
}

/*
 * A statistical figure read from a clock: instrumented code runs at
 * another speed than it calibrated at, and other programs slow the kernel
 * down, so it is judged in the plain build on a quiet machine only.
 */
static void test_calibration_within_10_percent(void **unused)
{
	(void)unused;
	work_calibrate();
	TIMING_PLAIN_ONLY();
	timing_retry("calibration", TIMING_TRIES, calibration_once, NULL);
}

static void test_chunks(void **unused)
{
	(void)unused;
	assert_int_equal(work_chunks_for(0), 0);
	assert_int_equal(work_chunks_for(-3), 0);
	assert_int_equal(work_chunks_for(0.001), 1);
	assert_int_equal(work_chunks_for(1), 1000 / WORK_CHUNK_US);
	assert_true(work_chunk_iters() >= 1);
	assert_int_equal(work_chunk_ns(), WORK_CHUNK_US * 1000);
	/* A second calibration keeps the first figure. */
	uint64_t a = work_iters_per_ms();
	work_calibrate();
	assert_int_equal(work_iters_per_ms(), a);
}

static void test_pinned_calibration(void **unused)
{
	(void)unused;
	/* Pinned speed only takes effect before the first calibration: in a child. */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("CONCTUI_CALIBRATION", "123456", 1);
		work_calibrate();
		_exit(work_iters_per_ms() == 123456 ? 0 : 1);
	}
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_primes(void **unused)
{
	(void)unused;
	assert_false(work_is_prime(0));
	assert_false(work_is_prime(1));
	assert_true(work_is_prime(2));
	assert_true(work_is_prime(3));
	assert_false(work_is_prime(4));
	assert_true(work_is_prime(7919));
	assert_false(work_is_prime(7917));
	assert_true(work_is_prime(34359738337ull));  /* the largest prime below 2^35 */
	assert_false(work_is_prime(34359738339ull)); /* 3 * 11453246113 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_calibration_within_10_percent),
	    cmocka_unit_test(test_chunks),
	    cmocka_unit_test(test_pinned_calibration),
	    cmocka_unit_test(test_primes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
