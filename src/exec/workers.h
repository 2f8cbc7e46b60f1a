/*
 * workers.h -- the `workers` executor's two sides: a worker (a process that
 * takes jobs from the broker's list, runs them with the same runner and
 * probes as every executor, and reports each span through the broker) and
 * the run that enqueues the jobs and builds its trace from the reports.
 *
 * On the broker (Redis), for a run ID:
 *   conctui:jobs              the list every worker pops (BLPOP), any run's jobs
 *   conctui:run:ID:events     a stream of what workers report: take, span, end
 *   conctui:run:ID:stop       the run's own workers pop this to end
 *   conctui:run:ID:cancel     set when the run is interrupted
 * A job is JSON: {"run", "task", "name", "repeat", "steps": [[kind, ms], ...],
 * "attempt", "port"}; an event's times are the worker's monotonic clock in ns,
 * with the worker's offset to the broker's clock, so a run on another
 * machine can put them on its own clock.
 */
#ifndef CONCTUI_WORKERS_H
#define CONCTUI_WORKERS_H

#include <stdatomic.h>
#include <stddef.h>

#define WORKERS_JOBS_KEY "conctui:jobs"
#define WORKERS_KEY_MAX 96 /* bytes of a run's key */
#define WORKERS_HOST_MAX 48

/* Test hook, documented in the man page: a worker that takes the first
 * attempt of the task named here kills itself (SIGKILL) in the middle;
 * "@start": every local worker kills itself before taking a job. */
#define WORKERS_CRASH_ENV "CONCTUI_WORKER_CRASH"

struct workers_serve_opts {
	const char *url;   /* the broker */
	const char *run;   /* a local worker's run (its stop list ends it); NULL: any run */
	int index;	   /* a local worker's number (0-based), -1 for --worker */
	_Atomic int *stop; /* set (by a signal) to end a --worker between jobs; may be NULL */
	int own_latency;   /* start a latency server here for io steps (not the run's) */
};

/* Serves jobs until the run's stop, *STOP, or a lost broker; 0 or -1 (ERR). */
int workers_serve(const struct workers_serve_opts *o, char *err, size_t errlen);

/* A run's key: "conctui:run:ID:WHAT". */
const char *workers_key(char *buf, const char *run, const char *what);

#endif
