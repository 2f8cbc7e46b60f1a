/*
 * clock.h -- the one time source: nanoseconds on CLOCK_MONOTONIC's scale.
 *
 * On x86-64, where the CPU says its time-stamp counter is invariant (it
 * ticks at one rate in every power state and on every core), clock_now_ns
 * reads the counter and converts it with a fixed-point multiply calibrated
 * against CLOCK_MONOTONIC once at start-up: about a third of the cost of
 * the kernel's clock, which matters because every probe reads it.
 * Elsewhere, or when the counter cannot be trusted, it reads
 * CLOCK_MONOTONIC itself.  Both read the same scale and origin, so times
 * from either, from every thread and from forked children (which inherit
 * the calibration) can be compared; the calibration's rate error is a few
 * parts per million (test_clock bounds it, `make bench` measures it over
 * ten seconds).
 */
#ifndef CONCTUI_CLOCK_H
#define CONCTUI_CLOCK_H

#include <stdint.h>
#include <time.h>

#if defined(__x86_64__)
#include <x86intrin.h>
#define CLOCK_HAVE_TSC 1
#else
#define CLOCK_HAVE_TSC 0
#endif

#define CLOCK_NS_PER_MS 1000000ull

/* The counter's calibration, written once before main() runs, then only read. */
struct clock_tsc {
	uint64_t tsc0; /* counter reading at calibration, ticks */
	uint64_t ns0;  /* CLOCK_MONOTONIC at tsc0, ns */
	uint64_t mult; /* ns per tick scaled by 2^CLOCK_TSC_SHIFT */
	int on;	       /* 1: clock_now_ns reads the counter; 0: the kernel's clock */
};

#define CLOCK_TSC_SHIFT 32 /* fraction bits of clock_tsc.mult */

extern struct clock_tsc clock_tsc;

/* Nanoseconds read from the kernel's CLOCK_MONOTONIC (a vDSO call, ~30 ns). */
static inline uint64_t clock_kernel_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Counter ticks since calibration to ns: one 64x64->128 multiply and a shift. */
static inline uint64_t clock_tsc_to_ns(uint64_t tsc)
{
	unsigned __int128 d = (unsigned __int128)(tsc - clock_tsc.tsc0) * clock_tsc.mult;

	return clock_tsc.ns0 + (uint64_t)(d >> CLOCK_TSC_SHIFT);
}

/* Nanoseconds on the monotonic scale; inline because probes call it often. */
static inline uint64_t clock_now_ns(void)
{
#if CLOCK_HAVE_TSC
	if (clock_tsc.on)
		return clock_tsc_to_ns(__rdtsc());
#endif
	return clock_kernel_ns();
}

static inline double clock_ns_to_ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

static inline uint64_t clock_ms_to_ns(double ms)
{
	return ms <= 0 ? 0 : (uint64_t)(ms * 1e6 + 0.5);
}

/* 1 when clock_now_ns reads the calibrated counter, 0 when the kernel's clock. */
int clock_uses_tsc(void);

/*
 * Sleeps until clock_now_ns reads DEADLINE_NS (restarting on EINTR, and
 * once more for the little the calibration may be off): never early.
 */
void clock_sleep_until(uint64_t deadline_ns);

/* CPU time used so far by this process and its reaped children, in ns. */
uint64_t clock_cpu_ns(void);

/* CPU time of the calling thread in ns: it stands still while the OS runs others. */
uint64_t clock_thread_cpu_ns(void);

#endif
