/*
 * exec_callbacks.c -- the same work written as chains of libuv callbacks,
 * seed 000's "js-way": every step hands the loop a function to call when
 * it is done, and that function starts the next step.
 *
 * A sleep is a uv_timer whose callback goes on; a request is the latency
 * server's connect/write/read chain whose on_response goes on; CPU work is
 * a callback queued with a 0 ms timer (setImmediate) that computes and goes
 * on.  There is no ready queue of ours and no task object that resumes:
 * the order is whatever libuv calls back, and each task is only the
 * position its chain has reached.  That is what makes callback hell hard
 * to read, and what the trace makes visible.
 */
#include "executor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "loop.h"
#include "loop_lock.h"
#include "loop_req.h"

#define CB_QUEUED "callback queued on the loop"

/* What a chain is waiting for: what a cancel must tear down. */
enum cb_wait { CB_NONE, CB_TIMER, CB_IMMEDIATE, CB_IO, CB_POOL, CB_LOCK, CB_ENDED };

/* How far one task's chain has got. */
struct chain {
	struct loop_node node; /* first: --picks queues its callbacks here */
	uv_timer_t timer;      /* its sleeps, and its queued callbacks (0 ms) */
	struct loop_req *req;  /* its request in flight */
	uint64_t deadline;     /* clock_now_ns() time its timer is for */
	int task;	       /* its lane */
	int rep;	       /* repetition of the step list */
	int step;	       /* the step it is on */
	int woken_by;	       /* the task that cut its timer short, -1: none */
	enum cb_wait wait;
};

struct cbs {
	struct loop loop;	/* first: the loop's ud is this */
	struct chain *chains;	/* one per task */
	struct loop_runq queue; /* --picks: queued callbacks, run in the order picked */
};

static void chain_next(struct cbs *s, struct chain *c, enum cause cause);

static struct cbs *cbs_of(uv_loop_t *loop)
{
	return ((struct loop *)loop->data)->ud;
}

static const struct step *chain_step(const struct cbs *s, const struct chain *c)
{
	return &s->loop.ctx->sc->tasks[c->task].steps[c->step];
}

static void chain_end(struct cbs *s, struct chain *c, int rc)
{
	c->wait = CB_ENDED;
	loop_task_end(&s->loop, c->task, rc);
}

/* The current step has finished with RC: on to the next, or the end. */
static void chain_done(struct cbs *s, struct chain *c, int rc)
{
	const struct scenario_task *t = &s->loop.ctx->sc->tasks[c->task];

	c->wait = CB_NONE;
	if (rc < 0) {
		chain_end(s, c, rc);
		loop_check_cancel(&s->loop);
		return;
	}
	if (++c->step == t->nsteps) {
		c->step = 0;
		c->rep++;
	}
	chain_next(s, c, CAUSE_YIELD);
}

/* ---------------------------------------------------------------------------
 * The callbacks
 * ------------------------------------------------------------------------ */

static void chain_timer_fired(uv_timer_t *t);

static void chain_sleep(struct chain *c, uint64_t deadline, enum cause cause, const char *why)
{
	struct loop *l = c->timer.loop->data;

	loop_wait(l, c->task, STATE_SLEEP, cause, why);
	c->deadline = deadline;
	c->wait = CB_TIMER;
	loop_timer_arm(&c->timer, chain_timer_fired, deadline);
}

/* A spinner's timer: draw a frame, then set the next timer or go on. */
static void chain_spin_fired(struct cbs *s, struct chain *c)
{
	char why[64];
	double ms = chain_step(s, c)->ms;
	int rc = loop_frame(&s->loop, c->task);

	if (rc < 0 || s->loop.live == 0) {
		chain_done(s, c, rc);
		return;
	}
	snprintf(why, sizeof why, "spinner: setTimeout %g ms pending", ms);
	chain_sleep(c, clock_now_ns() + clock_ms_to_ns(ms), CAUSE_YIELD, why);
}

static void chain_timer_fired(uv_timer_t *t)
{
	struct chain *c = t->data;
	struct cbs *s = cbs_of(t->loop);

	if (loop_timer_early(t, chain_timer_fired, c->deadline))
		return;
	/* Due since the deadline: a busy loop makes a callback wait, `ready`. */
	trace_enter(s->loop.ctx->tr, c->task, c->deadline, STATE_READY, -1,
		    c->woken_by >= 0 ? CAUSE_STEP : CAUSE_TIMER, c->woken_by, CB_QUEUED);
	c->woken_by = -1;
	c->wait = CB_NONE;
	if (chain_step(s, c)->kind == STEP_SPIN) {
		chain_spin_fired(s, c);
		return;
	}
	loop_resume(&s->loop, c->task, "callback: timer fired");
	chain_done(s, c, 0);
}

static void chain_run_immediate(struct cbs *s, struct chain *c);

/* setImmediate's callback: the step's own work, on the loop thread. */
static void chain_immediate(uv_timer_t *t)
{
	chain_run_immediate(cbs_of(t->loop), t->data);
}

/* --picks: the queue runs the callback the user picked (a cancelled one is dropped). */
static void chain_picked(struct loop *l, struct loop_node *n)
{
	struct chain *c = (struct chain *)n;

	if (c->wait == CB_IMMEDIATE)
		chain_run_immediate(l->ud, c);
}

static void chain_run_immediate(struct cbs *s, struct chain *c)
{
	const struct step *st = chain_step(s, c);
	char why[64];
	int rc;

	c->wait = CB_NONE;
	switch (st->kind) {
	case STEP_CPU:
		rc = loop_compute(&s->loop, c->task, st->ms,
				  "callback: computing (blocks the loop)");
		break;
	case STEP_NATIVE:
		rc = loop_compute(&s->loop, c->task, st->ms,
				  "callback: native code (blocks the loop)");
		break;
	case STEP_CRITICAL:
		rc = loop_compute(&s->loop, c->task, st->ms, "callback: critical region");
		break;
	case STEP_LOCK:
		/* Handed the lock by its releaser: the chain goes on from here. */
		loop_resume(&s->loop, c->task, "callback: lock acquired");
		rc = 0;
		break;
	case STEP_BLOCK:
		snprintf(why, sizeof why, "callback: blocking sleep %g ms (loop blocked)", st->ms);
		rc = loop_block(&s->loop, c->task, st->ms, why);
		break;
	default: /* STEP_SPIN: its first frame */
		chain_spin_fired(s, c);
		return;
	}
	chain_done(s, c, rc);
}

static void chain_response(uv_loop_t *loop, void *ud, int rc)
{
	struct chain *c = ud;
	struct cbs *s = cbs_of(loop);

	c->req = NULL;
	loop_resume(&s->loop, c->task, "callback: on_response");
	chain_done(s, c, rc);
}

static void chain_pool_done(struct loop *l, void *ud, int rc)
{
	struct chain *c = ud;

	loop_resume(l, c->task, "callback: on_done");
	chain_done(l->ud, c, rc);
}

/* ---------------------------------------------------------------------------
 * Starting a step: hand the loop the callback that goes on
 * ------------------------------------------------------------------------ */

/* Starts the chain's next step; its first span begins because of CAUSE. */
static void chain_next(struct cbs *s, struct chain *c, enum cause cause)
{
	struct loop *l = &s->loop;
	const struct step *st;
	char why[64];
	int rc = 0;

	if (c->rep == l->ctx->sc->tasks[c->task].repeat) {
		chain_end(s, c, 0);
		return;
	}
	if (loop_cancelled(l)) {
		chain_end(s, c, -ECANCELED);
		return;
	}
	st = chain_step(s, c);
	loop_set_step(l, c->task, c->rep, c->step);
	switch (st->kind) {
	case STEP_SLEEP:
		snprintf(why, sizeof why, "setTimeout %g ms, callback pending", st->ms);
		chain_sleep(c, clock_now_ns() + clock_ms_to_ns(st->ms), cause, why);
		return;
	case STEP_IO:
		loop_wait(l, c->task, STATE_IO, cause, "request sent, on_response pending");
		rc = loop_req_start(&l->reqs, l->ctx->latency_port, st->ms, chain_response, c,
				    &c->req);
		c->wait = CB_IO;
		break;
	case STEP_LOCK:
		rc = loop_lock_take(l, c->task, st->lock);
		if (rc == 1) {
			c->wait = CB_LOCK;
			return;
		}
		break;
	case STEP_UNLOCK:
		loop_lock_give(l, c->task, st->lock);
		break;
	case STEP_OFFLOAD:
		loop_wait(l, c->task, STATE_BLOCKED, cause, "work queued, on_done pending");
		rc = loop_offload(l, c->task, st->ms, CB_QUEUED, chain_pool_done, c);
		c->wait = CB_POOL;
		break;
	default: /* cpu, native, block, spin: a queued callback does the work */
		loop_wait(l, c->task, STATE_READY, cause, CB_QUEUED);
		c->wait = CB_IMMEDIATE;
		if (l->ctx->picks)
			loop_runq_push(&s->queue, &c->node);
		else
			uv_timer_start(&c->timer, chain_immediate, 0, 0);
		return;
	}
	if (rc < 0 || st->kind == STEP_LOCK || st->kind == STEP_UNLOCK)
		chain_done(s, c, rc);
}

/* The lock's releaser handed it over: the chain's callback is queued. */
static void cbs_lock_wake(struct loop *l, int task, int by)
{
	struct cbs *s = l->ud;
	struct chain *c = &s->chains[task];

	trace_enter(l->ctx->tr, task, clock_now_ns(), STATE_READY, -1, CAUSE_LOCK_TAKE, by,
		    CB_QUEUED);
	c->wait = CB_IMMEDIATE;
	if (l->ctx->picks)
		loop_runq_push(&s->queue, &c->node);
	else
		uv_timer_start(&c->timer, chain_immediate, 0, 0);
}

/* ---------------------------------------------------------------------------
 * What the loop's bookkeeping asks for
 * ------------------------------------------------------------------------ */

/* Cancelling a chain is dropping its pending callback. */
static void cbs_cancel_all(struct loop *l)
{
	struct cbs *s = l->ud;
	uint64_t now = clock_now_ns();

	for (int i = 0; i < l->ctx->sc->ntasks; i++) {
		struct chain *c = &s->chains[i];
		switch (c->wait) {
		case CB_TIMER:
			/* Past its deadline, its callback was due and waiting for a busy loop. */
			if (c->deadline < now)
				trace_enter(l->ctx->tr, c->task, c->deadline, STATE_READY, -1,
					    CAUSE_TIMER, -1, CB_QUEUED);
			/* fall through */
		case CB_IMMEDIATE:
			uv_timer_stop(&c->timer);
			chain_end(s, c, -ECANCELED);
			break;
		case CB_LOCK:
			chain_end(s, c, loop_lock_cancel(l, c->task));
			break;
		case CB_IO:
			loop_req_cancel(c->req);
			c->req = NULL;
			chain_end(s, c, -ECANCELED);
			break;
		default:
			break; /* running now, ended, or a pool job that sees the flag */
		}
	}
}

/* The last live task has ended: spinners fire now for their last frame. */
static void cbs_quiet(struct loop *l)
{
	struct cbs *s = l->ud;
	uint64_t now = clock_now_ns();

	for (int i = 0; i < l->ctx->sc->ntasks; i++) {
		struct chain *c = &s->chains[i];
		if (c->wait == CB_TIMER && chain_step(s, c)->kind == STEP_SPIN) {
			/* Due now, or since its deadline if a busy loop kept it waiting. */
			if (c->deadline > now) {
				c->deadline = now;
				c->woken_by = l->quiet_by;
			}
			uv_timer_start(&c->timer, chain_timer_fired, 0, 0);
		}
	}
}

static void cbs_shut(struct loop *l)
{
	struct cbs *s = l->ud;

	for (int i = 0; i < l->ctx->sc->ntasks; i++)
		uv_close((uv_handle_t *)&s->chains[i].timer, NULL);
	if (l->ctx->picks)
		loop_runq_close(&s->queue);
}

static const struct loop_ops cbs_ops = {
    .cancel_all = cbs_cancel_all,
    .quiet = cbs_quiet,
    .shut = cbs_shut,
    .lock_wake = cbs_lock_wake,
};

static int callbacks_run(struct exec_ctx *ctx)
{
	int n = ctx->sc->ntasks, rc;
	struct cbs *s = calloc(1, sizeof *s);

	if (s)
		s->chains = calloc((size_t)n, sizeof *s->chains);
	if (!s || !s->chains) {
		snprintf(ctx->err, sizeof ctx->err, "out of memory for %d callback chains", n);
		rc = -1;
	} else if ((rc = loop_init(&s->loop, ctx, &cbs_ops, s)) == 0) {
		if (ctx->picks)
			loop_runq_init(&s->loop, &s->queue, chain_picked);
		for (int i = 0; i < n; i++) {
			struct chain *c = &s->chains[i];
			c->task = i;
			c->node.task = i;
			c->woken_by = -1;
			uv_timer_init(&s->loop.uv, &c->timer);
			c->timer.data = c;
		}
		/* The main script: it starts every chain, then the loop takes over. */
		for (int i = 0; i < n && !s->loop.shut; i++)
			if (s->chains[i].wait == CB_NONE)
				chain_next(s, &s->chains[i], CAUSE_START);
		if (!s->loop.shut)
			loop_measure(&s->loop);
		rc = loop_run(&s->loop);
	}
	if (s)
		free(s->chains);
	free(s);
	return rc;
}

const struct executor exec_callbacks = {
    .name = "callbacks",
    .model = MODEL_PSEUDO,
    .summary = "the same work as chains of libuv callbacks (callback hell, the js-way)",
    .flags = 0,
    .unit = EXEC_UNIT_CALLBACK,
    .at_once = EXEC_AT_ONCE_ALL,
    .unit_per_task = true,
    .one_os_thread = true,
    .run = callbacks_run,
};
