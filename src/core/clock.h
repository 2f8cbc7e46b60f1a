/*
 * clock.h -- the one time source: CLOCK_MONOTONIC in nanoseconds.
 */
#ifndef CONCTUI_CLOCK_H
#define CONCTUI_CLOCK_H

#include <stdint.h>
#include <time.h>

#define CLOCK_NS_PER_MS 1000000ull

/* Nanoseconds on the monotonic clock; inline because probes call it often. */
static inline uint64_t clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline double clock_ns_to_ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

static inline uint64_t clock_ms_to_ns(double ms)
{
	return ms <= 0 ? 0 : (uint64_t)(ms * 1e6 + 0.5);
}

/* Sleeps until the monotonic clock reads DEADLINE_NS (restarting on EINTR). */
void clock_sleep_until(uint64_t deadline_ns);

/* CPU time used so far by this process and its reaped children, in ns. */
uint64_t clock_cpu_ns(void);

/* CPU time of the calling thread in ns: it stands still while the OS runs others. */
uint64_t clock_thread_cpu_ns(void);

#endif
