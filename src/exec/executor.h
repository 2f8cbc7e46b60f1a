/*
 * executor.h -- how a scenario is run, for real.
 *
 * Each executor is one file exec_<name>.c defining one `const struct
 * executor`, listed once in the table in executor.c.
 */
#ifndef CONCTUI_EXECUTOR_H
#define CONCTUI_EXECUTOR_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "scenario.h"
#include "state.h"
#include "trace.h"

struct locks;
struct picks;

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
	struct locks *locks;	   /* the scenario's named locks (locks.h), NULL: none */
	struct picks *picks;	   /* --picks: who runs at each choice (picks.h), NULL: none */
	char broker[160];	   /* workers: the broker's URL; "": a private one */
	char err[256];		   /* the message when run returns < 0 */
};

/*
 * What runs one task.  X(NAME, one, many, os): OS = the kernel schedules
 * it and a task of its own costs a thread or a process.
 */
#define EXEC_UNITS(X)                                                                              \
	X(THREAD, "thread", "OS threads", true)                                                    \
	X(PROCESS, "process", "processes", true)                                                   \
	X(COROUTINE, "coroutine", "coroutines", false)                                             \
	X(GREEN, "green thread", "green threads", false)                                           \
	X(CALLBACK, "callback chain", "callback chains", false)

enum exec_unit {
#define X(e, one, many, os) EXEC_UNIT_##e,
	EXEC_UNITS(X)
#undef X
	    EXEC_UNIT_COUNT
};

/* How many tasks are under way at once. */
#define EXEC_AT_ONCE(X)                                                                            \
	X(ONE, "one at a time")                                                                    \
	X(WORKERS, "one per worker")                                                               \
	X(ALL, "all at once")

enum exec_at_once {
#define X(e, name) EXEC_AT_ONCE_##e,
	EXEC_AT_ONCE(X)
#undef X
	    EXEC_AT_ONCE_COUNT
};

const char *exec_unit_name(enum exec_unit u);	/* "thread" */
const char *exec_unit_plural(enum exec_unit u); /* "OS threads" */
bool exec_unit_is_os(enum exec_unit u);		/* a thread or a process */
const char *exec_at_once_name(enum exec_at_once a);

/*
 * An executor and the facts about it that --compare and the views judge by,
 * so that nothing outside src/exec/ needs to know an executor's name.
 */
struct executor {
	const char *name;
	enum model model;
	const char *summary; /* one line for --list and the man page */
	unsigned flags;	     /* enum executor_flags */
	enum exec_unit unit; /* what runs one task */
	enum exec_at_once at_once;
	bool unit_per_task; /* every task gets a unit of its own */
	bool one_os_thread; /* every task shares one OS thread */
	bool multicore;	    /* tasks can compute on several cores at once */
	bool gil;	    /* computing needs a GIL (unless --gil off) */
	const char *python; /* the Python construct it stands for; NULL: none */
	/* Runs every task of ctx->sc to its end; 0, or negative with ctx->err. */
	int (*run)(struct exec_ctx *ctx);
};

enum executor_flags {
	EXECUTOR_LOCK_LANE = 1 << 0, /* the trace needs a lane for the GIL */
	EXECUTOR_SHARED = 1 << 1,    /* the trace must be MAP_SHARED (fork) */
};

/* What a caller asks of an executor: each field a value, or -1 for any. */
struct executor_want {
	int model;    /* enum model */
	int unit;     /* enum exec_unit */
	int per_task; /* unit_per_task */
	int gil;      /* needs a GIL */
};

const struct executor *executor_find(const char *name);
/* The first registered executor with every fact W asks for, or NULL. */
const struct executor *executor_match(const struct executor_want *w);
/* The executor of a scenario that names none: tasks one after another. */
const struct executor *executor_default(void);
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
extern const struct executor exec_workers;
extern const struct executor exec_asyncio;
extern const struct executor exec_green;
extern const struct executor exec_callbacks;

#endif
