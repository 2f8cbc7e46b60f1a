/*
 * clock.c -- sleeping on the monotonic clock and reading CPU time.
 */
#include "clock.h"

#include <errno.h>
#include <sys/resource.h>

void clock_sleep_until(uint64_t deadline_ns)
{
	struct timespec ts = {
	    .tv_sec = (time_t)(deadline_ns / 1000000000ull),
	    .tv_nsec = (long)(deadline_ns % 1000000000ull),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static uint64_t timeval_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * 1000ull;
}

uint64_t clock_cpu_ns(void)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	return timeval_ns(self.ru_utime) + timeval_ns(self.ru_stime) + timeval_ns(kids.ru_utime) +
	       timeval_ns(kids.ru_stime);
}

uint64_t clock_thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000 * CLOCK_NS_PER_MS + (uint64_t)ts.tv_nsec;
}
