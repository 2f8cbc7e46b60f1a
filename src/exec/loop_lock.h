/*
 * loop_lock.h -- the named locks of the cooperative executors (asyncio,
 * green, callbacks): asyncio.Lock-like, on the loop thread.  A task that
 * finds a lock held parks in the `lock` state (by the holder) in the lock's
 * FIFO; the release hands the lock to the first waiter, which the executor
 * then queues to run (a `lock` edge from the releaser).  A take that closes
 * a wait-for cycle is a deadlock: found at once, since nothing else can
 * change the graph meanwhile on one thread.
 */
#ifndef CONCTUI_LOOP_LOCK_H
#define CONCTUI_LOOP_LOCK_H

#include "loop.h"

struct loop_locks;

/* Makes L's locks when its scenario has any (l->locks); 0 or -1 with ctx->err. */
int loop_lock_init(struct loop *l);
void loop_lock_free(struct loop *l);

/*
 * TASK takes LOCK: 0 when it has it now (a `running` span says so), 1 when
 * it must wait (its lane is in `lock`; the executor parks it until
 * ops->lock_wake), -EDEADLK when the wait would close a cycle (the
 * `deadlock` finding is recorded and the cancel flag raised).
 */
int loop_lock_take(struct loop *l, int task, int lock);
/* TASK lets LOCK go; a waiter gets it through ops->lock_wake. */
void loop_lock_give(struct loop *l, int task, int lock);
/*
 * Cancels TASK's wait for a lock, if any: what its wait returns,
 * -EDEADLK when it is in the deadlock, else -ECANCELED.
 */
int loop_lock_cancel(struct loop *l, int task);

#endif
