/*
 * locks.h -- a scenario's named locks (`lock NAME`, `unlock NAME`) for the
 * executors whose tasks block for real (threads, processes, gil, pool,
 * sequential), and the deadlock watch over them.
 *
 * Every lock is a real one: a mutex-guarded `holder` with a condition to
 * wait on, in one mapping that is MAP_SHARED (with process-shared mutex
 * and condition) when the tasks are forked processes.  The same mutex
 * guards the wait-for graph (who holds each lock, what each task waits
 * for), so a waiter that looks for a cycle sees one consistent picture:
 * a cycle it finds is a deadlock, never a moment between two steps.
 *
 * The cooperative executors use the loop's own locks (loop_lock.h).
 */
#ifndef CONCTUI_LOCKS_H
#define CONCTUI_LOCKS_H

#include <stdatomic.h>
#include <stdbool.h>

#include "scenario.h"
#include "trace.h"

/* Waits are sliced so that a cancel or a deadlock is seen within this time. */
#define LOCKS_SLICE_MS 5

struct locks;

/*
 * The locks of SC for a run recorded in TR; SHARED: in a MAP_SHARED
 * mapping for forked tasks.  NULL when SC has no locks or on failure
 * (errno set; 0 when there were no locks to make).
 */
struct locks *locks_create(const struct scenario *sc, struct trace *tr, bool shared);
void locks_destroy(struct locks *lk);

/*
 * Takes lock LOCK for TASK.  Before waiting it calls WAIT(UD, HOLDER,
 * REASON) once (the task records its `lock` state, lets the GIL go); on a
 * take after a wait *RELEASER is the task that let it go (else -1).
 * Returns 0; -ECANCELED when *CANCEL went up meanwhile; -EDEADLK when TASK
 * is in a wait-for cycle (it then raises *CANCEL to RUNNER_DEADLOCK, after
 * recording the `deadlock` finding).
 */
int locks_take(struct locks *lk, int task, int lock, _Atomic int *cancel,
	       void (*wait)(void *ud, int holder, const char *reason), void *ud, int *releaser);
/* TASK lets LOCK go (it holds it: the scenario's steps were checked). */
void locks_give(struct locks *lk, int task, int lock);
/* True once TASK was found in a deadlock (its outcome is `deadlocked`). */
bool locks_deadlocked(const struct locks *lk, int task);

/*
 * The cycle through TASK in a wait-for graph: WAITS[t] is the lock task t
 * waits for (-1: none), HOLDER[l] the task holding lock l (-1: free).
 * Writes the tasks of the cycle, lowest id first, into CYCLE (room for
 * NTASKS) and returns how many; 0 when TASK is in no cycle.  Shared with
 * the loop's locks.
 */
int locks_find_cycle(const int *waits, const int *holder, int ntasks, int task, int *cycle);
/*
 * Records the `deadlock` finding for CYCLE (N tasks, as locks_find_cycle
 * wrote it) at NOW_NS (absolute): "A holds a, waits for b; B holds b, ...".
 */
void locks_report_cycle(struct trace *tr, const struct scenario *sc, const int *waits,
			const int *cycle, int n, uint64_t now_ns);

#endif
