/*
 * costs.h -- --costs: what each concurrency model costs on this machine,
 * measured rather than quoted -- seed 004's overhead row ("threads medium,
 * async low, multiprocessing high") and seed 002's scalability argument
 * ("10,000s of connections vs 100s of threads") as numbers.
 *
 * For an OS thread, a process, an asyncio-style coroutine and a green
 * thread: the time to start one and see it end, the time of one switch
 * between two, and the memory each takes while many exist at once.  Every
 * figure is the median of COSTS_ROUNDS rounds (fewer under a sanitizer).
 * Measuring (costs_measure) is separate from printing (costs_print), so
 * that the TUI can show the same figures.
 */
#ifndef CONCTUI_COSTS_H
#define CONCTUI_COSTS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "meter.h"

#define COSTS_ROUNDS 7

/*    ENUM       name            how it is made                          alive at once */
#define COSTS_UNIT_MAP(X)                                                                          \
	X(THREAD, "thread", "pthread_create + pthread_join, default stack", 1000)                  \
	X(PROCESS, "process", "fork + waitpid, the child calls _exit(0)", 200)                     \
	X(COROUTINE, "coroutine", "a heap state machine resumed from a ready queue", 10000)        \
	X(GREEN, "green thread", "ucontext on a 64 KiB mmap'd stack", 10000)

/* clang-format off */
enum costs_unit {
#define X(e, n, how, alive) COSTS_##e,
	COSTS_UNIT_MAP(X)
#undef X
	COSTS_UNIT_COUNT
};
/* clang-format on */

/* One model's figures; a figure that could not be measured is < 0. */
struct costs_figures {
	double start_us;  /* create one unit, run it to its end, join it */
	double switch_us; /* one switch from one unit to another */
	double kib;	  /* memory per unit while `alive` units exist */
	int alive;	  /* units that existed at once for `kib` */
};

struct costs_result {
	struct costs_figures unit[COSTS_UNIT_COUNT];
	int rounds; /* measurements each median is taken over */
};

const char *costs_unit_name(enum costs_unit u);
const char *costs_unit_how(enum costs_unit u);

/* Measures every model (a few seconds); 0, or -1 when a figure is missing. */
int costs_measure(struct costs_result *res);

/*
 * Shared by costs.c, costs_coro.c and costs_green.c (memory is read with
 * meter_process_kib, core/meter.h).  costs_growth: after - before, at least 0, -1 if either is
 * unknown.  The measurements of coroutines and green threads: ns to start and end one (average of
 * K), ns per switch (R round trips), KiB while N exist (*ALIVE made); -1 on error.
 */
double costs_growth(double before_kib, double after_kib);
double costs_coro_start(int k);
double costs_coro_switch(int r);
double costs_coro_memory(int n, int *alive);
double costs_green_start(int k);
double costs_green_switch(int r);
double costs_green_memory(int n, int *alive);

#endif
