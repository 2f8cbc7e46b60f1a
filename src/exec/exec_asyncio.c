/*
 * exec_asyncio.c -- stackless coroutines on one event loop, as asyncio
 * runs them: every task on the loop's thread, so at most one computes at
 * any instant, while their waits overlap.
 *
 * A coroutine is a small resumable state machine (which repetition, which
 * step, whether that step's await has completed) and no stack: that is
 * why C10k fits in about a hundred bytes per connection.  The loop keeps,
 * as asyncio's does, its own ready queue (a FIFO run one batch per turn)
 * and its own timer heap (by deadline) behind a single libuv wake-up
 * timer; sockets are libuv's.  `offload` goes to libuv's thread pool, the
 * run_in_executor of this world.  cpu, native and block steps run on the
 * loop thread and stall everything else (seed 003's lesson), which the
 * trace shows as the others' `ready` time.
 */
#include "executor.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "clock.h"
#include "loop.h"
#include "loop_lock.h"
#include "loop_req.h"

enum coro_state {
	CORO_NEW,   /* created, never run yet: in the ready queue, or waiting for main */
	CORO_READY, /* in the ready queue */
	CORO_TIMER, /* in the timer heap */
	CORO_LOCK,  /* awaiting a lock: in its queue (loop_lock.c) */
	CORO_IO,    /* awaiting a response */
	CORO_POOL,  /* awaiting run_in_executor; its lane is the pool thread's */
	CORO_DONE,
};

/* One task: everything it needs between two awaits. */
struct coro {
	struct loop_node node; /* first: the ready queue's link */
	struct loop_req *req;  /* the request awaited in CORO_IO */
	uint64_t deadline;     /* clock_now_ns() time it sleeps until, in CORO_TIMER */
	int32_t heap;	       /* index in the timer heap, -1 when not there */
	int32_t task;	       /* its lane */
	int32_t rep;	       /* repetition of the step list it is in */
	int32_t rc;	       /* what its await returned: it resumes with this */
	int16_t step;	       /* the step it is on */
	uint8_t state;	       /* enum coro_state */
	uint8_t resumed;       /* the current step's await has completed */
};

struct aio {
	struct loop loop;	/* first: the loop's ud is this */
	struct loop_runq ready; /* runnable coroutines, FIFO */
	uv_timer_t wake;	/* fires at the heap's earliest deadline */
	struct coro *coros;	/* one per task */
	struct coro **heap;	/* the timer heap: a binary min-heap by deadline */
	int nheap;		/* coroutines in the heap */
	size_t map_size;	/* bytes mapped for coros and heap */
};

#define AIO_QUEUED "queued on the event loop"
#define AIO_CREATED "to be created by the main task"

/* ---------------------------------------------------------------------------
 * The timer heap
 * ------------------------------------------------------------------------ */

static void heap_put(struct aio *a, int i, struct coro *c)
{
	a->heap[i] = c;
	c->heap = i;
}

static void heap_up(struct aio *a, int i)
{
	struct coro *c = a->heap[i];

	while (i > 0 && a->heap[(i - 1) / 2]->deadline > c->deadline) {
		heap_put(a, i, a->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_put(a, i, c);
}

static void heap_down(struct aio *a, int i)
{
	struct coro *c = a->heap[i];

	for (;;) {
		int k = 2 * i + 1;
		if (k >= a->nheap)
			break;
		if (k + 1 < a->nheap && a->heap[k + 1]->deadline < a->heap[k]->deadline)
			k++;
		if (a->heap[k]->deadline >= c->deadline)
			break;
		heap_put(a, i, a->heap[k]);
		i = k;
	}
	heap_put(a, i, c);
}

static void heap_remove(struct aio *a, struct coro *c)
{
	int i = c->heap;
	struct coro *last = a->heap[--a->nheap];

	c->heap = -1;
	if (last == c)
		return;
	heap_put(a, i, last);
	heap_up(a, i);
	heap_down(a, last->heap);
}

static void aio_wake(uv_timer_t *t);

/* Points the one libuv timer at the earliest deadline. */
static void aio_rearm(struct aio *a)
{
	if (a->nheap == 0)
		uv_timer_stop(&a->wake);
	else
		loop_timer_arm(&a->wake, aio_wake, a->heap[0]->deadline);
}

/* ---------------------------------------------------------------------------
 * Awaits: park the coroutine, and wake it when the awaited thing is done
 * ------------------------------------------------------------------------ */

/* C becomes runnable at WHEN because of CAUSE (BY: who caused it), resuming with RC. */
static void coro_wake(struct aio *a, struct coro *c, int rc, uint64_t when, enum cause cause,
		      int by)
{
	c->rc = rc;
	c->resumed = 1;
	c->state = CORO_READY;
	trace_enter(a->loop.ctx->tr, c->task, when, STATE_READY, -1, cause, by, AIO_QUEUED);
	loop_runq_push(&a->ready, &c->node);
}

/* The deadlines that have passed: those coroutines were ready since then. */
static void aio_wake(uv_timer_t *t)
{
	struct aio *a = t->data;
	uint64_t now = clock_now_ns();

	while (a->nheap > 0 && a->heap[0]->deadline <= now) {
		struct coro *c = a->heap[0];
		heap_remove(a, c);
		coro_wake(a, c, 0, c->deadline, CAUSE_TIMER, -1);
	}
	aio_rearm(a);
}

static int await_sleep(struct aio *a, struct coro *c, double ms, const char *why)
{
	uint64_t now = clock_now_ns();

	c->deadline = now + clock_ms_to_ns(ms);
	c->state = CORO_TIMER;
	loop_wait(&a->loop, c->task, STATE_SLEEP, CAUSE_YIELD, why);
	a->heap[a->nheap++] = c;
	heap_up(a, a->nheap - 1);
	if (a->heap[0] == c)
		aio_rearm(a);
	return 1;
}

static void coro_io_done(uv_loop_t *loop, void *ud, int rc)
{
	struct coro *c = ud;

	c->req = NULL;
	coro_wake(((struct loop *)loop->data)->ud, c, rc, clock_now_ns(), CAUSE_IO_DONE, -1);
}

static int await_io(struct aio *a, struct coro *c, double ms)
{
	char why[64];
	int rc;

	/*
	 * The coroutine runs while it connects and sends, as asyncio's
	 * sock_connect and sock_sendall do; it awaits the response.
	 */
	rc = loop_req_start(&a->loop.reqs, a->loop.ctx->latency_port, ms, coro_io_done, c, &c->req);
	if (rc < 0)
		return rc;
	snprintf(why, sizeof why, "await response (io %g ms)", ms);
	loop_wait(&a->loop, c->task, STATE_IO, CAUSE_YIELD, why);
	c->state = CORO_IO;
	return 1;
}

static void coro_pool_done(struct loop *l, void *ud, int rc)
{
	/* The pool thread recorded `ready` when it finished: the lane is ours again. */
	coro_wake(l->ud, ud, rc, clock_now_ns(), CAUSE_IO_DONE, -1);
}

static int await_pool(struct aio *a, struct coro *c, double ms)
{
	int rc;

	loop_wait(&a->loop, c->task, STATE_BLOCKED, CAUSE_YIELD, "awaiting run_in_executor");
	rc = loop_offload(&a->loop, c->task, ms, AIO_QUEUED, coro_pool_done, c);
	if (rc < 0)
		return rc;
	c->state = CORO_POOL;
	return 1;
}

/* `async with lock`: a busy lock parks the coroutine until it is handed over. */
static int await_lock(struct aio *a, struct coro *c, int lock)
{
	int rc = loop_lock_take(&a->loop, c->task, lock);

	if (rc == 1)
		c->state = CORO_LOCK;
	return rc;
}

static void aio_lock_wake(struct loop *l, int task, int by)
{
	struct aio *a = l->ud;

	coro_wake(a, &a->coros[task], 0, clock_now_ns(), CAUSE_LOCK_TAKE, by);
}

/* ---------------------------------------------------------------------------
 * The coroutine body: the step list, resumable after each await
 * ------------------------------------------------------------------------ */

/*
 * A frame, then `await asyncio.sleep(MS)`, until no other task is live.
 * Each wake draws a frame, the last one too (seed 004's spinner blanks its
 * line when cancelled): a spinner frozen by a blocked loop shows the gap.
 */
static int coro_spin(struct aio *a, struct coro *c, double ms)
{
	char why[64];
	int rc;

	if ((rc = loop_frame(&a->loop, c->task)) < 0)
		return rc;
	if (a->loop.live == 0)
		return 0;
	snprintf(why, sizeof why, "spinner: await asyncio.sleep %g ms", ms);
	return await_sleep(a, c, ms, why);
}

/* One step: 0 when it is over, 1 when it awaits, or a negative error. */
static int coro_step(struct aio *a, struct coro *c, const struct step *s)
{
	struct loop *l = &a->loop;
	char why[64];
	int resumed = c->resumed;

	c->resumed = 0;
	if (loop_cancelled(l))
		return -ECANCELED;
	switch (s->kind) {
	case STEP_CPU:
		return loop_compute(l, c->task, s->ms, "computing (blocks the loop)");
	case STEP_NATIVE:
		return loop_compute(l, c->task, s->ms, "native code (blocks the loop)");
	case STEP_BLOCK:
		snprintf(why, sizeof why, "blocking time.sleep %g ms (loop blocked)", s->ms);
		return loop_block(l, c->task, s->ms, why);
	case STEP_IO:
		return resumed ? 0 : await_io(a, c, s->ms);
	case STEP_SLEEP:
		snprintf(why, sizeof why, "await asyncio.sleep %g ms", s->ms);
		return resumed ? 0 : await_sleep(a, c, s->ms, why);
	case STEP_OFFLOAD:
		return resumed ? 0 : await_pool(a, c, s->ms);
	case STEP_SPIN:
		return coro_spin(a, c, s->ms);
	case STEP_PRINT:
		return loop_print(l, c->task, s->text);
	case STEP_CRITICAL:
		return loop_compute(l, c->task, s->ms, "critical region (blocks the loop)");
	case STEP_LOCK:
		return resumed ? 0 : await_lock(a, c, s->lock);
	case STEP_UNLOCK:
		loop_lock_give(l, c->task, s->lock);
		return 0;
	default:
		return -EINVAL;
	}
}

/* Runs C from where it stopped: 1 when it awaits, else how it ended. */
static int coro_advance(struct aio *a, struct coro *c)
{
	const struct scenario_task *t = &a->loop.ctx->sc->tasks[c->task];

	for (; c->rep < t->repeat; c->rep++, c->step = 0)
		for (; c->step < t->nsteps; c->step++) {
			loop_set_step(&a->loop, c->task, c->rep, c->step);
			int rc = coro_step(a, c, &t->steps[c->step]);
			if (rc != 0)
				return rc;
		}
	return 0;
}

/*
 * main = NAME: the task asyncio.run starts has begun and creates the
 * others.  create_task only schedules a task: it first runs on a later
 * turn of the loop, once MAIN has given it back (its first await), as the
 * queue runs what is pushed during a batch on the next turn.
 */
static void aio_create_tasks(struct aio *a, int main)
{
	for (int i = 0; i < a->loop.ctx->sc->ntasks; i++)
		if (i != main && a->coros[i].state == CORO_NEW)
			loop_runq_push(&a->ready, &a->coros[i].node);
}

/*
 * asyncio.run returns when main does and cancels what is left: a task
 * main created that never ran is cancelled before its first step (seed
 * 004's spinner, when slow() never awaits).  Spinners that did run end on
 * their own (the quiet), drawing their last frame.
 */
static void aio_main_ended(struct aio *a)
{
	for (int i = 0; i < a->loop.ctx->sc->ntasks; i++)
		if (a->coros[i].state == CORO_NEW)
			a->coros[i].rc = -ECANCELED;
}

/* The ready queue's callback: resume one coroutine until its next await. */
static void coro_resume(struct loop *l, struct loop_node *n)
{
	struct aio *a = l->ud;
	struct coro *c = (struct coro *)n;
	const struct scenario_task *t = &l->ctx->sc->tasks[c->task];
	int rc = c->rc;

	if (c->state == CORO_NEW) {
		c->state = CORO_READY;
		/* main = NAME: its create_task calls queue the others behind it. */
		if (c->task == l->ctx->sc->main_task)
			aio_create_tasks(a, c->task);
	}
	if (rc == 0) {
		/* The step whose await completed, or the first one. */
		if (c->rep < t->repeat && c->step < t->nsteps)
			loop_set_step(l, c->task, c->rep, c->step);
		loop_resume(l, c->task, "resumed by the event loop");
		rc = coro_advance(a, c);
		if (rc == 1)
			return;
	}
	c->state = CORO_DONE;
	if (c->task == l->ctx->sc->main_task)
		aio_main_ended(a);
	loop_task_end(l, c->task, rc);
	/* A compute stopped by an interrupt: stop the others now, not at the watch. */
	loop_check_cancel(l);
}

/* ---------------------------------------------------------------------------
 * What the loop's bookkeeping asks for
 * ------------------------------------------------------------------------ */

/* asyncio's Task.cancel(): CancelledError is thrown in at the current await. */
static void aio_cancel_all(struct loop *l)
{
	struct aio *a = l->ud;
	uint64_t now = clock_now_ns();

	for (int i = 0; i < l->ctx->sc->ntasks; i++) {
		struct coro *c = &a->coros[i];
		switch (c->state) {
		case CORO_TIMER:
			/* Past its deadline, it was ready and waiting for a busy loop. */
			heap_remove(a, c);
			if (c->deadline < now)
				coro_wake(a, c, -ECANCELED, c->deadline, CAUSE_TIMER, -1);
			else
				coro_wake(a, c, -ECANCELED, now, CAUSE_CANCEL, l->winner);
			break;
		case CORO_IO:
			loop_req_cancel(c->req);
			c->req = NULL;
			coro_wake(a, c, -ECANCELED, now, CAUSE_CANCEL, l->winner);
			break;
		case CORO_NEW:
		case CORO_READY:
			c->rc = -ECANCELED;
			break;
		case CORO_LOCK:
			coro_wake(a, c, loop_lock_cancel(l, c->task), now, CAUSE_CANCEL, -1);
			break;
		default:
			break; /* a pool job sees the flag and ends; done is done */
		}
	}
	aio_rearm(a);
}

/* The last live task has ended: spinners stop waiting for their next frame. */
static void aio_quiet(struct loop *l)
{
	struct aio *a = l->ud;
	uint64_t now = clock_now_ns();

	for (int i = 0; i < l->ctx->sc->ntasks; i++) {
		struct coro *c = &a->coros[i];
		const struct scenario_task *t = &l->ctx->sc->tasks[i];
		if (c->state == CORO_TIMER && c->step < t->nsteps &&
		    t->steps[c->step].kind == STEP_SPIN) {
			/* A deadline already past: the loop was too busy to notice. */
			heap_remove(a, c);
			if (c->deadline < now)
				coro_wake(a, c, 0, c->deadline, CAUSE_TIMER, -1);
			else
				coro_wake(a, c, 0, now, CAUSE_STEP, l->quiet_by);
		}
	}
	aio_rearm(a);
}

static void aio_shut(struct loop *l)
{
	struct aio *a = l->ud;

	loop_runq_close(&a->ready);
	uv_close((uv_handle_t *)&a->wake, NULL);
}

static const struct loop_ops aio_ops = {
    .cancel_all = aio_cancel_all,
    .quiet = aio_quiet,
    .shut = aio_shut,
    .lock_wake = aio_lock_wake,
};

/*
 * The coroutines and the heap's slots, in pages of their own mapped after
 * the meter's baseline (loop_init): fresh pages that the tasks touch, so
 * the meter counts them, whatever an earlier run left in malloc's arenas.
 */
static int aio_alloc(struct aio *a, int n)
{
	size_t coros = ((size_t)n * sizeof *a->coros + 63) & ~(size_t)63;
	size_t size = coros + (size_t)n * sizeof *a->heap;
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return -1;
	a->map_size = size;
	a->coros = m;
	a->heap = (struct coro **)((char *)m + coros);
	return 0;
}

static int asyncio_run(struct exec_ctx *ctx)
{
	int n = ctx->sc->ntasks, rc;
	struct aio *a = calloc(1, sizeof *a);

	if (!a) {
		snprintf(ctx->err, sizeof ctx->err, "out of memory for %d coroutines", n);
		return -1;
	}
	if ((rc = loop_init(&a->loop, ctx, &aio_ops, a)) == 0) {
		loop_runq_init(&a->loop, &a->ready, coro_resume);
		uv_timer_init(&a->loop.uv, &a->wake);
		a->wake.data = a;
		if (aio_alloc(a, n) < 0) {
			a->loop.left = a->loop.live =
			    0; /* nothing will run: the loop only closes */
			loop_run(&a->loop);
			snprintf(ctx->err, sizeof ctx->err, "out of memory for %d coroutines", n);
			rc = -1;
		} else {
			uint64_t now = clock_now_ns();
			for (int i = 0; i < n; i++) {
				struct coro *c = &a->coros[i];
				bool created = ctx->sc->main_task >= 0 && i != ctx->sc->main_task;
				*c = (struct coro){.task = i, .heap = -1, .state = CORO_NEW};
				c->node.task = i;
				trace_enter(ctx->tr, i, now, STATE_READY, -1, CAUSE_START, -1,
					    created ? AIO_CREATED : AIO_QUEUED);
				/* main = NAME: only main is queued; it queues the others. */
				if (!created)
					loop_runq_push(&a->ready, &c->node);
			}
			rc = loop_run(&a->loop);
		}
	}
	if (a->coros)
		munmap(a->coros, a->map_size);
	free(a);
	return rc;
}

const struct executor exec_asyncio = {
    .name = "asyncio",
    .model = MODEL_PSEUDO,
    .summary = "stackless coroutines on one libuv loop; its own ready queue and timer heap",
    .flags = 0,
    .unit = EXEC_UNIT_COROUTINE,
    .at_once = EXEC_AT_ONCE_ALL,
    .unit_per_task = true,
    .one_os_thread = true,
    .python = "asyncio",
    .run = asyncio_run,
};
