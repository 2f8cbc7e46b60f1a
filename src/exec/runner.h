/*
 * runner.h -- one task's steps, run as plain blocking code on the calling
 * thread or process, with a probe at every state change.
 *
 * The sequential, thread, process, pool and GIL executors all run a task
 * through here; the GIL executor adds hooks that take and drop the lock.
 * CPU work is done in chunks of WORK_CHUNK_US; at each chunk boundary the
 * probe reads the clock and the core, and time the thread spent off its
 * CPU (wall time beyond its CPU time) is recorded as `ready` ("preempted
 * by the OS").
 */
#ifndef CONCTUI_RUNNER_H
#define CONCTUI_RUNNER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "locks.h"
#include "probe.h"
#include "scenario.h"
#include "trace.h"

/* Values of *cancel: why the remaining tasks stop. */
enum runner_cancel {
	RUNNER_GO = 0,
	RUNNER_FIRST_DONE = 1,
	RUNNER_INTERRUPTED = 2,
	RUNNER_DEADLOCK = 3, /* a wait-for cycle was found: the run ends */
};

struct runner;

/* What the GIL executor adds around the work; every member may be NULL. */
struct runner_hooks {
	/* At every chunk boundary of lock-bound work (cpu, offload). */
	void (*chunk)(struct runner *r, uint64_t now_ns);
	/*
	 * A cheap check (an atomic load, no lock) made many times per chunk;
	 * true: call `chunk` now rather than at the chunk's end.
	 */
	bool (*pending)(const struct runner *r);
	/* Before a wait or a native step, and after it: drop and take the lock. */
	void (*release)(struct runner *r, enum step_kind why);
	void (*acquire)(struct runner *r);
	/* Before the first step and after the last. */
	void (*begin)(struct runner *r);
	void (*end)(struct runner *r);
};

struct runner {
	struct trace *tr;
	int task; /* the task's lane */
	const struct scenario_task *spec;
	enum wait_mode wait; /* WAIT_FIRST: finishing cancels the others */
	int latency_port;
	_Atomic int *cancel;		  /* enum runner_cancel; shared by the run */
	char done_note[TRACE_REASON_MAX]; /* the last span's reason if it ends done ("": none) */
	_Atomic int *winner;	/* wait = first: the task that won, -1; shared like cancel */
	_Atomic int *live;	/* non-spinner tasks not yet ended */
	enum cause first_cause; /* of the first span the task opens; NONE: the step's */
	int first_by;		/* its `by`, with first_cause */
	struct locks *locks;	/* the scenario's named locks, NULL: none */
	const char (*sc_locks)[TRACE_NAME_MAX]; /* their names (scenario.locks) */
	const struct runner_hooks *hooks;	/* NULL for a plain thread */
	const char *call; /* the blocking call of a request it is in or back from; NULL: none */
	void *ud;	  /* the hooks' data */
	/* private */
	struct probe probe; /* the task's thread's probe */
};

/* Sets R up for TASK of the scenario; the caller fills in the shared flags. */
void runner_init(struct runner *r, struct trace *tr, const struct scenario *sc, int task);

/*
 * Runs every step, records the spans and the outcome, and decrements *live
 * (for a task that does not spin).  Returns the outcome.
 */
enum outcome runner_run(struct runner *r);

/* The probe: enter STATE now because of CAUSE (BY or -1), on the current core if running. */
void runner_enter(struct runner *r, enum state st, enum cause cause, int by, const char *reason);

/* True once the task should stop (cancelled or interrupted). */
int runner_cancelled(const struct runner *r);

/*
 * wait = first: the task whose end cancelled the others (*WINNER) when
 * *CANCEL says so, else -1 (not cancelled, or interrupted).  Either
 * pointer may be NULL.
 */
int runner_canceller(_Atomic int *cancel, _Atomic int *winner);
/*
 * Records that WINNER's end cancelled TASK: an edge `cancel` at the
 * winner's end, which its lane already shows.  Called for each cancelled
 * task once, by whoever ends its lane.
 */
void runner_note_cancel(struct trace *tr, int winner, int task);

/* Tasks of SC that do not spin: the initial value of the shared *live. */
int runner_live_tasks(const struct scenario *sc);

#endif
