/*
 * loop_lock.c -- asyncio.Lock-like named locks on the loop thread.
 */
#include "loop_lock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "locks.h"
#include "runner.h"

struct loop_locks {
	int holder[SCENARIO_MAX_LOCKS]; /* task holding each lock, -1: free */
	int head[SCENARIO_MAX_LOCKS];	/* its first waiter, -1: none */
	int tail[SCENARIO_MAX_LOCKS];	/* its last waiter, -1: none */
	int *waits;			/* per task: the lock it waits for, -1 */
	int *next;			/* per task: the waiter after it, -1 */
	int *dead;			/* per task: 1 once found in a deadlock */
};

int loop_lock_init(struct loop *l)
{
	const struct scenario *sc = l->ctx->sc;
	struct loop_locks *k;
	int n = sc->ntasks;

	l->locks = NULL;
	if (sc->nlocks == 0)
		return 0;
	k = calloc(1, sizeof *k);
	if (k)
		k->waits = malloc(3 * (size_t)n * sizeof(int));
	if (!k || !k->waits) {
		free(k);
		snprintf(l->ctx->err, sizeof l->ctx->err, "out of memory for the locks");
		return -1;
	}
	k->next = k->waits + n;
	k->dead = k->waits + 2 * n;
	for (int i = 0; i < SCENARIO_MAX_LOCKS; i++)
		k->holder[i] = k->head[i] = k->tail[i] = -1;
	for (int i = 0; i < n; i++) {
		k->waits[i] = k->next[i] = -1;
		k->dead[i] = 0;
	}
	l->locks = k;
	return 0;
}

void loop_lock_free(struct loop *l)
{
	if (l->locks)
		free(l->locks->waits);
	free(l->locks);
	l->locks = NULL;
}

/* TASK waits for LOCK: is that a cycle?  Records it and stops the run if so. */
static int loop_lock_cycle(struct loop *l, int task)
{
	struct loop_locks *k = l->locks;
	int n = l->ctx->sc->ntasks;
	int *cycle = malloc((size_t)n * sizeof *cycle);
	int len = cycle ? locks_find_cycle(k->waits, k->holder, n, task, cycle) : 0;

	if (len > 0) {
		locks_report_cycle(l->ctx->tr, l->ctx->sc, k->waits, cycle, len, clock_now_ns());
		for (int i = 0; i < len; i++)
			k->dead[cycle[i]] = 1;
		atomic_store(l->ctx->cancel, RUNNER_DEADLOCK);
	}
	free(cycle);
	return len;
}

int loop_lock_take(struct loop *l, int task, int lock)
{
	struct loop_locks *k = l->locks;
	const struct scenario *sc = l->ctx->sc;
	char why[2 * TRACE_NAME_MAX + 32];

	if (!k)
		return -EINVAL;
	if (k->holder[lock] < 0) {
		k->holder[lock] = task;
		snprintf(why, sizeof why, "took lock %s", sc->locks[lock]);
		loop_resume(l, task, why);
		return 0;
	}
	int h = k->holder[lock];
	k->waits[task] = lock;
	k->next[task] = -1;
	if (k->tail[lock] >= 0)
		k->next[k->tail[lock]] = task;
	else
		k->head[lock] = task;
	k->tail[lock] = task;
	snprintf(why, sizeof why, "waiting for lock %s (held by %s)", sc->locks[lock],
		 sc->tasks[h].name);
	if (l->cur == task) {
		probe_enter(&l->probe, l->ctx->tr, task, STATE_LOCK, CAUSE_LOCK_WAIT, h, why);
		l->cur = -1;
	} else {
		trace_enter(l->ctx->tr, task, clock_now_ns(), STATE_LOCK, -1, CAUSE_LOCK_WAIT, h,
			    why);
	}
	if (loop_lock_cycle(l, task) > 0) {
		loop_lock_cancel(l, task);
		return -EDEADLK;
	}
	return 1;
}

/* Takes TASK out of LOCK's queue. */
static void loop_lock_unqueue(struct loop_locks *k, int task, int lock)
{
	int prev = -1;

	for (int t = k->head[lock]; t >= 0; prev = t, t = k->next[t])
		if (t == task) {
			if (prev >= 0)
				k->next[prev] = k->next[t];
			else
				k->head[lock] = k->next[t];
			if (k->tail[lock] == task)
				k->tail[lock] = prev;
			break;
		}
	k->waits[task] = -1;
	k->next[task] = -1;
}

void loop_lock_give(struct loop *l, int task, int lock)
{
	struct loop_locks *k = l->locks;

	if (!k || k->holder[lock] != task)
		return;
	int next = k->head[lock];
	k->holder[lock] = next;
	if (next < 0)
		return;
	loop_lock_unqueue(k, next, lock);
	trace_edge(l->ctx->tr, task, next, clock_now_ns(), EDGE_LOCK);
	if (l->ops->lock_wake)
		l->ops->lock_wake(l, next, task);
}

int loop_lock_cancel(struct loop *l, int task)
{
	struct loop_locks *k = l->locks;

	if (!k)
		return -ECANCELED;
	if (k->waits[task] >= 0)
		loop_lock_unqueue(k, task, k->waits[task]);
	return k->dead[task] ? -EDEADLK : -ECANCELED;
}
