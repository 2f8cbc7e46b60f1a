/*
 * loop.h -- what the three single-threaded executors (asyncio, green,
 * callbacks) share: their own libuv loop on the controller thread, the
 * bookkeeping of tasks ending (first-completed, spinners, interrupts), CPU
 * work and blocking calls done on the loop thread, work handed to libuv's
 * thread pool, a FIFO of runnable tasks, precise timers, and the figures
 * (descriptor limit, memory per task).
 *
 * Everything here runs on the loop's thread; loop_offload's work runs on a
 * pool thread, which owns the task's lane meanwhile and has a probe of its own.
 */
#ifndef CONCTUI_LOOP_H
#define CONCTUI_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "executor.h"
#include "loop_req.h"
#include "meter.h"
#include "probe.h"

/* How often the loop looks at *ctx->cancel while nothing else happens. */
#define LOOP_WATCH_MS 20
/* Descriptors kept aside for everything that is not a task's socket. */
#define LOOP_SPARE_FDS 64

struct loop;

/* What an executor does when the bookkeeping says so; members may be NULL. */
struct loop_ops {
	/* Stop every unfinished task at its current wait (first-completed, interrupt). */
	void (*cancel_all)(struct loop *l);
	/* Every task that does not spin has ended: spinners stop waiting. */
	void (*quiet)(struct loop *l);
	/* Every task has ended: close the executor's own handles. */
	void (*shut)(struct loop *l);
	/* TASK was handed a lock it waited for by BY: queue it to run (loop_lock.h). */
	void (*lock_wake)(struct loop *l, int task, int by);
};

/* An intrusive FIFO link; the runnable thing embeds it. */
struct loop_node {
	struct loop_node *next;
	int task; /* the task it runs: what --picks chooses by */
};

/* Runnable tasks, run in order from an idle handle, a batch per loop turn. */
struct loop_runq {
	struct loop_node *head;
	struct loop_node **tail;
	uv_idle_t idle; /* active while the queue is not empty */
	void (*run)(struct loop *l, struct loop_node *n);
};

struct loop {
	uv_loop_t uv; /* the executor's own, never the default loop */
	struct exec_ctx *ctx;
	const struct loop_ops *ops;
	void *ud;		  /* the executor's state */
	uv_timer_t watch;	  /* polls *ctx->cancel every LOOP_WATCH_MS */
	int left;		  /* tasks not yet ended */
	int live;		  /* tasks that do not spin, not yet ended */
	bool cancelling;	  /* cancel_all has run */
	bool shut;		  /* every task has ended */
	bool measured;		  /* bytes_per_task is known */
	double bytes_per_task;	  /* written to the trace's meta at the end */
	struct meter meter;	  /* started before the tasks were made */
	struct probe probe;	  /* the loop thread's: every task's work on it */
	int cur;		  /* the task holding the loop thread now, -1: none */
	int last;		  /* the task that last held it, -1: none yet */
	int winner;		  /* read-only: with wait = first, the task that won, -1 */
	int quiet_by;		  /* the last live task, which quieted the spinners */
	struct loop_locks *locks; /* the scenario's named locks (loop_lock.h), NULL: none */
	struct loop_reqs reqs;	  /* requests to the latency server in flight */
};

/*
 * Checks the descriptor limit (raising the soft limit to the hard one),
 * creates the loop and starts watching the cancel flag.  Returns 0, or -1
 * with ctx->err set and nothing to clean up.
 */
int loop_init(struct loop *l, struct exec_ctx *ctx, const struct loop_ops *ops, void *ud);
/* Runs until every task has ended and every handle has closed; 0 or -1. */
int loop_run(struct loop *l);
/* The cancel flag is up (another task finished first, or the run was stopped). */
bool loop_cancelled(const struct loop *l);
/*
 * Records TASK's end with RC (0, -ECANCELED or an error), then does what
 * follows from it: first-completed cancels the rest, the last live task
 * quiets the spinners, the last task shuts the loop.
 */
void loop_task_end(struct loop *l, int task, int rc);
/* Runs cancel_all once if the cancel flag is up; true if it is. */
bool loop_check_cancel(struct loop *l);
/* Memory per task since loop_init, by the one meter (meter.h). */
void loop_measure(struct loop *l);

/* The run queue.  Items pushed while a batch runs wait for the next turn. */
int loop_runq_init(struct loop *l, struct loop_runq *q,
		   void (*run)(struct loop *l, struct loop_node *n));
void loop_runq_push(struct loop_runq *q, struct loop_node *n);
void loop_runq_close(struct loop_runq *q);

/*
 * Starts T so that it fires at DEADLINE (clock_now_ns() time), which
 * libuv's millisecond clock cannot express.  A timer callback calls
 * loop_timer_early first: it re-arms and returns true if the deadline has
 * not truly passed yet, so no timer ever ends early.
 */
void loop_timer_arm(uv_timer_t *t, uv_timer_cb cb, uint64_t deadline);
bool loop_timer_early(uv_timer_t *t, uv_timer_cb cb, uint64_t deadline);

/*
 * The loop thread changes hands only through these, so each hand-off is
 * recorded when it happens.  A task that takes the loop thread from another
 * one (loop_resume, and loop_compute or loop_block when it does not hold it
 * yet) begins with cause `loop_resume`, by the task that held it last, and
 * a `loop` edge from that task (by -1 and no edge when that was itself:
 * nobody ran in between); one that already holds it moves on with cause
 * `step`.  Running spans go through the loop thread's probe.
 */

/* TASK's spans from now on belong to step I of repetition REP. */
void loop_set_step(struct loop *l, int task, int rep, int i);
/* The loop resumes TASK: it runs, with REASON. */
void loop_resume(struct loop *l, int task, const char *reason);
/*
 * TASK waits in ST because of CAUSE (`yield` when it gives up the loop,
 * `start` for its first wait), giving the loop thread back if it held it.
 */
void loop_wait(struct loop *l, int task, enum state st, enum cause cause, const char *reason);
/*
 * MS ms of real computation for TASK in chunks, recorded as `running`
 * with REASON, preemption by the OS as `ready` (the probe's rule); stops
 * early (-ECANCELED) when the cancel flag goes up.
 */
int loop_compute(struct loop *l, int task, double ms, const char *reason);
/* A call that blocks the loop thread for MS ms, recorded as `sleep` with REASON. */
int loop_block(struct loop *l, int task, double ms, const char *reason);
/* One spinner frame: a short `running` span. */
int loop_frame(struct loop *l, int task);

/*
 * MS ms of computation on libuv's thread pool (run_in_executor).  The
 * caller has recorded TASK's wait and must not write its lane until DONE
 * runs on the loop thread with 0 or -ECANCELED.  The pool thread records
 * the work as `running` (cause `job`), and then `ready` with AFTER (cause
 * `io_done`: its result is queued for the loop to notice, as a response is).
 */
int loop_offload(struct loop *l, int task, double ms, const char *after,
		 void (*done)(struct loop *l, void *ud, int rc), void *ud);

#endif
