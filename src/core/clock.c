/*
 * clock.c -- calibrating the cycle counter, sleeping on the monotonic
 * clock and reading CPU time.
 */
#include "clock.h"

#include <errno.h>
#include <sys/resource.h>

#if CLOCK_HAVE_TSC
#include <cpuid.h>
#endif

struct clock_tsc clock_tsc; /* zero: the kernel's clock until calibrated */

#if CLOCK_HAVE_TSC
#define CAL_PAIRS 9		  /* readings tried for each end, the tightest kept */
#define CAL_SPAN_NS 4000000ull	  /* time between the two ends of the calibration */
#define CAL_TIGHT_TICKS 100000ull /* a pair looser than this was interrupted */

/* cpuid leaf 0x80000007, EDX bit 8: the counter's rate never changes. */
static int tsc_invariant(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u)
		return 0;
	__cpuid(0x80000007u, a, b, c, d);
	return (d >> 8) & 1;
}

/*
 * One kernel clock reading and the counter at the same instant: the
 * middle of the two counter reads around it.  Of CAL_PAIRS tries the
 * tightest pair is kept, so a preemption in between does not skew it.
 * Returns the width of that pair in ticks.
 */
static uint64_t read_pair(uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < CAL_PAIRS; i++) {
		uint64_t a = __rdtsc(), n = clock_kernel_ns(), b = __rdtsc();
		if (b > a && b - a < best) {
			best = b - a;
			*tsc = a + (b - a) / 2;
			*ns = n;
		}
	}
	return best;
}

/*
 * Two pairs CAL_SPAN_NS apart give the rate: with pairs a few tens of ns
 * wide, it is right to a few parts per million.  The first pair is the
 * origin: it lies milliseconds before any later reading, so a core whose
 * counter is a few ticks behind never reads a time before the origin.
 */
__attribute__((constructor)) static void clock_calibrate(void)
{
	uint64_t t0, n0, t1, n1;

	if (!tsc_invariant() || read_pair(&t0, &n0) > CAL_TIGHT_TICKS)
		return;
	struct timespec span = {0, (long)CAL_SPAN_NS};
	while (nanosleep(&span, &span) == EINTR)
		;
	if (read_pair(&t1, &n1) > CAL_TIGHT_TICKS || t1 <= t0 || n1 <= n0)
		return;
	clock_tsc.mult =
	    (uint64_t)((((unsigned __int128)(n1 - n0)) << CLOCK_TSC_SHIFT) / (t1 - t0));
	clock_tsc.tsc0 = t0;
	clock_tsc.ns0 = n0;
	clock_tsc.on = clock_tsc.mult > 0;
}
#endif

int clock_uses_tsc(void)
{
	return clock_tsc.on;
}

void clock_sleep_until(uint64_t deadline_ns)
{
	uint64_t now;

	/*
	 * The deadline is on clock_now_ns's scale and the kernel sleeps on its
	 * own: sleep for what is left on the kernel's clock, and again for the
	 * microseconds the two may part by, until clock_now_ns has reached it.
	 */
	while ((now = clock_now_ns()) < deadline_ns) {
		uint64_t until = clock_kernel_ns() + (deadline_ns - now);
		struct timespec ts = {
		    .tv_sec = (time_t)(until / 1000000000ull),
		    .tv_nsec = (long)(until % 1000000000ull),
		};
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
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
