/*
 * run.h -- one run of a scenario on an executor: sets up the trace, starts
 * the latency server when the scenario does I/O, runs the executor on a
 * controller thread, and measures wall and CPU time.  The caller (batch
 * mode or the TUI) watches the trace while it fills.
 */
#ifndef CONCTUI_RUN_H
#define CONCTUI_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "executor.h"
#include "observe.h"
#include "scenario.h"
#include "trace.h"

#define RUN_DEFAULT_SWITCH_MS 5.0

struct run_opts {
	const char *backend;	   /* NULL: the scenario's default */
	const char *gil;	   /* NULL: the scenario's, else "new" */
	double switch_interval_ms; /* 0: the scenario's, else 5 ms */
	int workers;		   /* 0: the scenario's, else one per core */
	const char *picks;	   /* --picks "A,B,C" (picks.h), NULL: the executor's own order */
	bool manual;		   /* stop at the first choice the picks do not make */
	const char *broker;	   /* workers: a Redis URL; NULL: a private redis-server */
};

struct run;

/*
 * Starts SC (already scaled) on its executor.  Returns NULL with a message
 * in ERR when the executor is unknown or the run cannot start.
 * ON_FINISH, if set, is called on the controller thread when the run ends.
 */
struct run *run_start(const struct scenario *sc, const struct run_opts *o,
		      void (*on_finish)(void *ud), void *ud, char *err, size_t errlen);
bool run_finished(const struct run *r);
/* Waits for the end; returns 0, or -1 with run_error(). */
int run_wait(struct run *r);
const char *run_error(const struct run *r);
/*
 * Once the run has ended: NULL when no task failed, else one sentence in
 * BUF saying what happened ("the latency server (pid 12) was killed by
 * signal 9 (Killed) during the run: 2 tasks failed"), returned.
 */
const char *run_failure(const struct run *r, char *buf, size_t len);
/*
 * Manual play: once the run has ended, the tasks that were ready at the
 * choice it stopped at, in READY (room for MAX), and how many; 0 when the
 * run did not stop for a choice.
 */
int run_choice(const struct run *r, int *ready, int max);
/* Asks every task to stop now (SIGINT, q); the run then ends promptly. */
void run_interrupt(struct run *r);
struct trace *run_trace(const struct run *r);
const struct executor *run_executor(const struct run *r);
/* Nanoseconds since the run started (for drawing a run in progress). */
uint64_t run_elapsed_ns(const struct run *r);
/* Waits if needed, then frees the run; the trace too unless taken. */
void run_free(struct run *r);
struct trace *run_take_trace(struct run *r);

/*
 * Runs SC to its end on this thread, SIGINT and SIGTERM interrupting it
 * (*INTERRUPTED is then 1); the trace (the caller's), or NULL after saying
 * why on stderr.  *FAILED is set, after one line on stderr saying what
 * happened, when a task ended `failed`.
 */
struct trace *run_to_end(const struct scenario *sc, const struct run_opts *ro, int *interrupted,
			 int *failed);

/*
 * Observes a real program (observe.h) as a run: run_trace, run_finished,
 * run_interrupt (Ctrl-C, passed on to a launched command), run_wait and
 * run_free work as for a scenario; run_executor says "observed".  NULL with
 * one line in ERR when the command cannot run or the process cannot be
 * observed; nothing is left running then.
 */
struct run *run_observe(const struct observe_opts *o, void (*on_finish)(void *ud), void *ud,
			char *err, size_t errlen);
/*
 * An observed run's trace grows as the program's threads are born: the
 * thread that draws it calls this before each frame to show the new lanes
 * (nothing for a scenario's run).
 */
void run_show_lanes(struct run *r);
/*
 * run_to_end for an observed program.  *CANNOT_START: it never started
 * (the message is on stderr; bad input, exit status 2).
 */
struct trace *run_observe_to_end(const struct observe_opts *o, int *interrupted, int *failed,
				 bool *cannot_start);

/*
 * Loads the scenario file PATH into SC (scenario_load) and checks what only
 * the executors know: that its backend is one of them.  0, or -1 with one
 * line "file:line: message" in ERR and nothing left to free.
 */
int run_load_scenario(const char *path, struct scenario *sc, char *err, size_t errlen);

/* Resolves the executor SC would run on with O; NULL if unknown. */
const struct executor *run_pick_executor(const struct scenario *sc, const struct run_opts *o);

#endif
