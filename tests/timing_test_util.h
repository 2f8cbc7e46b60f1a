/*
 * timing_test_util.h -- how a unit test judges a figure read from a clock
 * (STYLE.md, habit 14): only in the plain build, and only on a run the rest
 * of the machine left alone.  A sanitizer build measures its own
 * instrumentation, and a busy machine delays wake-ups and shares the cores,
 * so a miss there says nothing about the program: it is retried, and if no
 * try was fit to be judged the test is skipped, never passed.
 *
 * Header-only, every function static inline, as exec_test_util.h.
 */
#ifndef CONCTUI_TEST_TIMING_TEST_UTIL_H
#define CONCTUI_TEST_TIMING_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "clock.h"

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/* Tries at a statistical check before it counts as a failure or a skip. */
#define TIMING_TRIES 3

/* Skips the test in a sanitizer build: it judges nothing but a clock's figures. */
#define TIMING_PLAIN_ONLY()                                                                        \
	do {                                                                                       \
		if (SANITIZED) {                                                                   \
			print_message("timing not judged in a sanitizer build\n");                 \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

/* Busy time of the whole machine so far, all cores, in ms (/proc/stat). */
static inline double timing_machine_busy_ms(void)
{
	unsigned long long u = 0, ni = 0, sy = 0, id = 0, io = 0, irq = 0, sirq = 0, st = 0;
	FILE *f = fopen("/proc/stat", "r");

	if (!f)
		return 0;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &u, &ni, &sy, &id, &io, &irq,
		   &sirq, &st) < 7)
		u = ni = sy = irq = sirq = st = 0;
	fclose(f);
	return (double)(u + ni + sy + irq + sirq + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* What the rest of the machine did while a test measured something. */
struct timing_watch {
	double busy0_ms;   /* the machine's busy time at the start */
	uint64_t cpu0_ns;  /* this process's CPU time (reaped children too) at the start */
	uint64_t wall0_ns; /* the monotonic clock at the start */
};

static inline void timing_watch_start(struct timing_watch *w)
{
	w->busy0_ms = timing_machine_busy_ms();
	w->cpu0_ns = clock_cpu_ns();
	w->wall0_ns = clock_now_ns();
}

/* CPU time other programs took since timing_watch_start, in ms. */
static inline double timing_watch_others_ms(const struct timing_watch *w)
{
	return timing_machine_busy_ms() - w->busy0_ms - clock_ns_to_ms(clock_cpu_ns() - w->cpu0_ns);
}

/*
 * True when OTHERS_MS of CPU taken by other programs during WALL_MS left a
 * measurement alone: at most 15% of its wall time.  The tick is 10 ms, so
 * a short measurement is allowed a tick or two of noise.
 */
static inline bool timing_quiet(double others_ms, double wall_ms)
{
	return others_ms <= 0.15 * wall_ms + 20;
}

/* True when a figure measured since timing_watch_start may be judged. */
static inline bool timing_watch_quiet(const struct timing_watch *w)
{
	double others = timing_watch_others_ms(w);
	double wall = clock_ns_to_ms(clock_now_ns() - w->wall0_ns);

	if (timing_quiet(others, wall))
		return true;
	print_message("not judged: other programs took %.0f ms of CPU in %.0f ms\n", others, wall);
	return false;
}

/*
 * True when a figure measured since timing_watch_start is judged: in the
 * plain build on a quiet machine.  For a bound that one run can check
 * beside a looser one that holds everywhere.
 */
static inline bool timing_judged(const struct timing_watch *w)
{
	return !SANITIZED && timing_watch_quiet(w);
}

/*
 * One try at a timing check: it runs what it measures, asserts the
 * behaviour (counts, orders, outcomes: a failure there fails at once) and
 * returns whether the timing held.
 */
typedef bool (*timing_try_fn)(void *arg);

/*
 * Runs ATTEMPT up to TRIES times (once in a sanitizer build) until its timing
 * holds, which passes.  A miss fails only if it happened in the plain
 * build on a quiet machine; when no miss was, the test is skipped.
 */
static inline void timing_retry(const char *what, int tries, timing_try_fn attempt, void *arg)
{
	int judged = 0;

	for (int k = 0; k < (SANITIZED ? 1 : tries); k++) {
		struct timing_watch w;
		timing_watch_start(&w);
		if (attempt(arg))
			return;
		if (!SANITIZED && timing_watch_quiet(&w))
			judged++;
	}
	if (judged)
		fail_msg("%s: the timing missed on %d quiet tries", what, judged);
	print_message("%s: %s, timing not judged\n", what,
		      SANITIZED ? "a sanitizer build" : "the machine was never quiet");
	skip();
}

#endif
