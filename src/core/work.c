/*
 * work.c -- the CPU kernel and its calibration.
 *
 * The kernel is a xorshift generator: pure register arithmetic with a loop
 * carried dependency, so the compiler cannot shorten it and sanitizers do
 * not slow it down.  Calibration times it on this machine by the calling
 * thread's own CPU time, which other load on a shared core does not
 * stretch, and keeps the fastest of several measurements.
 */
#include "work.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "clock.h"

static _Atomic uint64_t iters_per_ms; /* 0 until calibrated */
static volatile uint64_t work_sink;   /* keeps results observable */

uint64_t work_crunch(uint64_t iters)
{
	uint64_t x = 0x9E3779B97F4A7C15ull ^ iters;

	for (uint64_t i = 0; i < iters; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

/* CPU nanoseconds that ITERS iterations take, best of REPS tries. */
static uint64_t best_time(uint64_t iters, int reps)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < reps; i++) {
		uint64_t t0 = clock_thread_cpu_ns();
		work_sink = work_crunch(iters);
		uint64_t dt = clock_thread_cpu_ns() - t0;
		if (dt < best)
			best = dt;
	}
	return best ? best : 1;
}

/* CONCTUI_CALIBRATION=N fixes the speed at N iterations per ms, or 0. */
static uint64_t pinned_speed(void)
{
	const char *s = getenv("CONCTUI_CALIBRATION");
	char *end;

	if (!s || !*s)
		return 0;
	unsigned long long n = strtoull(s, &end, 10);
	return *end == '\0' ? n : 0;
}

void work_calibrate(void)
{
	uint64_t iters = 1024;

	uint64_t pinned = pinned_speed();
	if (pinned) {
		atomic_store(&iters_per_ms, pinned);
		return;
	}
	if (atomic_load(&iters_per_ms))
		return;
	/* Grow the probe until one run takes about a millisecond. */
	while (best_time(iters, 1) < 1000000ull && iters < (1ull << 40))
		iters *= 2;
	uint64_t ns = best_time(iters, 15);
	uint64_t per_ms = iters * 1000000ull / ns;
	atomic_store(&iters_per_ms, per_ms ? per_ms : 1);
}

uint64_t work_iters_per_ms(void)
{
	uint64_t v = atomic_load(&iters_per_ms);

	if (!v) {
		work_calibrate();
		v = atomic_load(&iters_per_ms);
	}
	return v;
}

uint64_t work_chunk_iters(void)
{
	uint64_t n = work_iters_per_ms() * WORK_CHUNK_US / 1000;

	return n ? n : 1;
}

uint64_t work_chunk_ns(void)
{
	return WORK_CHUNK_US * 1000ull;
}

uint64_t work_chunks_for(double ms)
{
	if (ms <= 0)
		return 0;
	uint64_t n = (uint64_t)(ms * 1000.0 / WORK_CHUNK_US + 0.5);
	return n ? n : 1;
}

bool work_is_prime(uint64_t n)
{
	if (n < 2)
		return false;
	if (n % 2 == 0)
		return n == 2;
	for (uint64_t d = 3; d <= n / d; d += 2)
		if (n % d == 0)
			return false;
	return true;
}
