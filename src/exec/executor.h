/*
 * executor.h -- how a scenario is run, for real.
 *
 * Each executor is one file exec_<name>.c defining one `const struct
 * executor`, listed once in the table in executor.c.
 */
#ifndef CONCTUI_EXECUTOR_H
#define CONCTUI_EXECUTOR_H

#include <stdatomic.h>
#include <stddef.h>

#include "scenario.h"
#include "state.h"
#include "trace.h"

/* Everything an executor's run function gets. */
struct exec_ctx {
	const struct scenario *sc;
	struct trace *tr;	   /* lanes already named; the clock started */
	int cores;		   /* online CPUs */
	int workers;		   /* pool size: option, scenario, or cores */
	char gil[8];		   /* "new", "old" or "off" */
	double switch_interval_ms; /* GIL switch interval */
	int latency_port;	   /* the loopback latency server, 0 if none */
	_Atomic int *cancel;	   /* enum runner_cancel: why tasks should stop */
	char err[256];		   /* the message when run returns < 0 */
};

struct executor {
	const char *name;
	enum model model;
	const char *summary; /* one line for --list and the man page */
	unsigned flags;	     /* enum executor_flags */
	/* Runs every task of ctx->sc to its end; 0, or negative with ctx->err. */
	int (*run)(struct exec_ctx *ctx);
};

enum executor_flags {
	EXECUTOR_LOCK_LANE = 1 << 0, /* the trace needs a lane for the GIL */
	EXECUTOR_SHARED = 1 << 1,    /* the trace must be MAP_SHARED (fork) */
};

const struct executor *executor_find(const char *name);
int executor_count(void);
const struct executor *executor_at(int i);

/*
 * What the pool's workers did in its last run, which the trace (one lane
 * per job) does not show.  For tests and cost figures; written when a
 * pool run ends, so read it after run_wait().
 */
struct exec_pool_report {
	int workers;	  /* worker processes started */
	int pills;	  /* workers that ended by taking their poison pill */
	int died;	  /* workers that ended any other way */
	int jobs;	  /* jobs the workers finished (any outcome) */
	int results;	  /* messages the parent read from the result queue */
	int primes;	  /* numbers those results found prime */
	double waited_ms; /* all workers' time blocked waiting for a job */
};
void exec_pool_last_report(struct exec_pool_report *out);

/* The executors, one file each. */
extern const struct executor exec_sequential;
extern const struct executor exec_threads;
extern const struct executor exec_threads_1core;
extern const struct executor exec_processes;
extern const struct executor exec_pool;
extern const struct executor exec_gil;
extern const struct executor exec_asyncio;
extern const struct executor exec_green;
extern const struct executor exec_callbacks;

#endif
