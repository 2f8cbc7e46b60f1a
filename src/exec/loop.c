/*
 * loop.c -- the machinery under the single-threaded executors: one libuv
 * loop of their own on the controller thread, the end of tasks and what
 * follows from it, work done on (or off) the loop thread, and the figures.
 */
#include "loop.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "clock.h"
#include "runner.h"
#include "work.h"

/* A chunk this much slower than the fastest lost the CPU (as in runner.c). */
#define LOOP_PREEMPT_NS 300000ull
/* A blocking call looks at the cancel flag this often. */
#define LOOP_BLOCK_SLICE_NS (5 * CLOCK_NS_PER_MS)
/* One spinner frame: a little real drawing work (as in runner.c). */
#define LOOP_FRAME_MS 0.05

/* Keeps the kernel's results alive; atomic, as pool threads compute at once. */
static _Atomic uint64_t loop_sink;

/* ---------------------------------------------------------------------------
 * Figures: descriptors and memory
 * ------------------------------------------------------------------------ */

/*
 * Every task with an io step may hold a socket at once (C10k does), so the
 * soft limit goes up to the hard one; if even that is too low, the run is
 * refused before anything starts rather than failing half-way.
 */
static int loop_check_fds(struct exec_ctx *ctx)
{
	const struct scenario *sc = ctx->sc;
	long need = LOOP_SPARE_FDS;
	struct rlimit rl;

	for (int i = 0; i < sc->ntasks; i++)
		for (int k = 0; k < sc->tasks[i].nsteps; k++)
			if (sc->tasks[i].steps[k].kind == STEP_IO) {
				need++;
				break;
			}
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		struct rlimit up = {.rlim_cur = rl.rlim_max, .rlim_max = rl.rlim_max};
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	if (rl.rlim_cur != RLIM_INFINITY && (rlim_t)need > rl.rlim_cur) {
		snprintf(ctx->err, sizeof ctx->err,
			 "%s needs %ld file descriptors (one per waiting task), the limit "
			 "is %llu: raise it (ulimit -n)",
			 sc->name, need, (unsigned long long)rl.rlim_cur);
		return -1;
	}
	return 0;
}

void loop_measure(struct loop *l)
{
	l->measured = true;
	l->bytes_per_task = meter_per_task(&l->meter, l->ctx->sc->ntasks);
}

/* ---------------------------------------------------------------------------
 * The loop and the end of tasks
 * ------------------------------------------------------------------------ */

bool loop_cancelled(const struct loop *l)
{
	return atomic_load_explicit(l->ctx->cancel, memory_order_relaxed) != RUNNER_GO;
}

bool loop_check_cancel(struct loop *l)
{
	if (!loop_cancelled(l))
		return false;
	if (!l->cancelling) {
		l->cancelling = true;
		if (l->ops->cancel_all)
			l->ops->cancel_all(l);
	}
	return true;
}

static void loop_watch(uv_timer_t *t)
{
	loop_check_cancel(t->data);
}

/* Every task has ended: close what keeps the loop alive. */
static void loop_shut(struct loop *l)
{
	if (l->shut)
		return;
	l->shut = true;
	uv_close((uv_handle_t *)&l->watch, NULL);
	if (l->ops->shut)
		l->ops->shut(l);
}

void loop_task_end(struct loop *l, int task, int rc)
{
	const struct scenario *sc = l->ctx->sc;
	char buf[96];
	const char *why = NULL;
	enum outcome o = rc == 0	    ? OUTCOME_DONE
			 : rc == -ECANCELED ? OUTCOME_CANCELLED
					    : OUTCOME_FAILED;

	if (o == OUTCOME_CANCELLED) {
		why = atomic_load(l->ctx->cancel) == RUNNER_FIRST_DONE
			  ? "cancelled: another task finished first"
			  : "cancelled: run interrupted";
	} else if (o == OUTCOME_FAILED) {
		snprintf(buf, sizeof buf, "failed: %s", strerror(-rc));
		why = buf;
	}
	trace_finish(l->ctx->tr, task, clock_now_ns(), o, -1, why);
	l->left--;
	if (!scenario_task_has_step(&sc->tasks[task], STEP_SPIN) && --l->live == 0 && l->ops->quiet)
		l->ops->quiet(l);
	if (o == OUTCOME_DONE && sc->wait == WAIT_FIRST) {
		int go = RUNNER_GO;
		atomic_compare_exchange_strong(l->ctx->cancel, &go, RUNNER_FIRST_DONE);
		loop_check_cancel(l);
	}
	if (l->left == 0)
		loop_shut(l);
}

int loop_init(struct loop *l, struct exec_ctx *ctx, const struct loop_ops *ops, void *ud)
{
	int rc;

	memset(l, 0, sizeof *l);
	l->ctx = ctx;
	l->ops = ops;
	l->ud = ud;
	l->left = ctx->sc->ntasks;
	for (int i = 0; i < ctx->sc->ntasks; i++)
		l->live += !scenario_task_has_step(&ctx->sc->tasks[i], STEP_SPIN);
	if (loop_check_fds(ctx) < 0)
		return -1;
	meter_start(&l->meter, ctx->tr);
	if ((rc = uv_loop_init(&l->uv)) != 0) {
		snprintf(ctx->err, sizeof ctx->err, "cannot start an event loop: %s",
			 uv_strerror(rc));
		return -1;
	}
	l->uv.data = l;
	uv_timer_init(&l->uv, &l->watch);
	l->watch.data = l;
	uv_timer_start(&l->watch, loop_watch, LOOP_WATCH_MS, LOOP_WATCH_MS);
	return 0;
}

static void loop_close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

int loop_run(struct loop *l)
{
	int rc = 0;

	if (l->left == 0)
		loop_shut(l);
	uv_run(&l->uv, UV_RUN_DEFAULT);
	if (l->left > 0) {
		/* Nothing can wake the rest: a bug, said rather than hung on. */
		snprintf(l->ctx->err, sizeof l->ctx->err,
			 "the event loop ran out of work with %d tasks unfinished", l->left);
		uv_walk(&l->uv, loop_close_any, NULL);
		uv_run(&l->uv, UV_RUN_DEFAULT);
		rc = -1;
	}
	if (uv_loop_close(&l->uv) != 0) {
		snprintf(l->ctx->err, sizeof l->ctx->err, "the event loop did not close cleanly");
		rc = -1;
	}
	if (l->measured)
		l->ctx->tr->meta.bytes_per_task = l->bytes_per_task;
	return rc;
}

/* ---------------------------------------------------------------------------
 * The run queue and precise timers
 * ------------------------------------------------------------------------ */

static void loop_runq_turn(uv_idle_t *h)
{
	struct loop_runq *q = h->data;
	struct loop *l = h->loop->data;
	struct loop_node *n = q->head;

	/* As asyncio's _run_once: what becomes ready meanwhile waits a turn. */
	q->head = NULL;
	q->tail = &q->head;
	while (n) {
		struct loop_node *next = n->next;
		n->next = NULL;
		q->run(l, n);
		n = next;
	}
	if (q->head == NULL && !uv_is_closing((uv_handle_t *)h)) {
		uv_idle_stop(h);
		/* Every task has started and reached its first wait: measure now. */
		if (!l->measured && !l->shut)
			loop_measure(l);
	}
}

int loop_runq_init(struct loop *l, struct loop_runq *q,
		   void (*run)(struct loop *l, struct loop_node *n))
{
	q->head = NULL;
	q->tail = &q->head;
	q->run = run;
	q->idle.data = q;
	return uv_idle_init(&l->uv, &q->idle);
}

void loop_runq_push(struct loop_runq *q, struct loop_node *n)
{
	n->next = NULL;
	*q->tail = n;
	q->tail = &n->next;
	if (!uv_is_active((uv_handle_t *)&q->idle) && !uv_is_closing((uv_handle_t *)&q->idle))
		uv_idle_start(&q->idle, loop_runq_turn);
}

void loop_runq_close(struct loop_runq *q)
{
	if (!uv_is_closing((uv_handle_t *)&q->idle))
		uv_close((uv_handle_t *)&q->idle, NULL);
}

/*
 * libuv keeps time in whole milliseconds of the same monotonic clock: the
 * timer is due at the first loop tick at or after DEADLINE's millisecond.
 */
void loop_timer_arm(uv_timer_t *t, uv_timer_cb cb, uint64_t deadline)
{
	uint64_t due_ms = (deadline + CLOCK_NS_PER_MS - 1) / CLOCK_NS_PER_MS;
	uint64_t now_ms;

	uv_update_time(t->loop);
	now_ms = uv_now(t->loop);
	uv_timer_start(t, cb, due_ms > now_ms ? due_ms - now_ms : 0, 0);
}

bool loop_timer_early(uv_timer_t *t, uv_timer_cb cb, uint64_t deadline)
{
	if (clock_now_ns() >= deadline)
		return false;
	loop_timer_arm(t, cb, deadline);
	return true;
}

/* ---------------------------------------------------------------------------
 * Work on the loop thread, and off it
 * ------------------------------------------------------------------------ */

static int loop_cpu(void)
{
	int c = sched_getcpu();

	return c < 0 ? 0 : c;
}

void loop_enter(struct loop *l, int task, enum state st, const char *reason)
{
	trace_enter(l->ctx->tr, task, clock_now_ns(), st, st == STATE_RUNNING ? loop_cpu() : -1,
		    CAUSE_STEP, -1, reason);
}

int loop_compute(struct loop *l, int task, double ms, const char *reason)
{
	struct trace *tr = l->ctx->tr;
	uint64_t chunks = work_chunks_for(ms), iters = work_chunk_iters();
	uint64_t sink = 0, fastest = UINT64_MAX, last = clock_now_ns();
	int cpu = loop_cpu();

	trace_enter(tr, task, last, STATE_RUNNING, cpu, CAUSE_STEP, -1, reason);
	for (uint64_t i = 0; i < chunks; i++) {
		if (loop_cancelled(l))
			return -ECANCELED;
		sink ^= work_crunch(iters);
		uint64_t now = clock_now_ns(), took = now - last;
		int c = loop_cpu();
		if (took < fastest) {
			fastest = took;
		} else if (took > fastest + LOOP_PREEMPT_NS) {
			/* The chunk's own work ended now; the rest of it was a wait. */
			trace_enter(tr, task, last, STATE_READY, -1, CAUSE_PREEMPT, -1,
				    "preempted by the OS");
			trace_enter(tr, task, now - fastest, STATE_RUNNING, c, CAUSE_RESUME, -1,
				    reason);
			cpu = c;
		}
		if (c != cpu) {
			trace_enter(tr, task, now, STATE_RUNNING, c, CAUSE_RESUME, -1, reason);
			cpu = c;
		}
		last = now;
	}
	atomic_store_explicit(&loop_sink, sink, memory_order_relaxed);
	return 0;
}

int loop_frame(struct loop *l, int task)
{
	return loop_compute(l, task, LOOP_FRAME_MS, "spinner frame");
}

int loop_block(struct loop *l, int task, double ms, const char *reason)
{
	uint64_t now = clock_now_ns(), deadline = now + clock_ms_to_ns(ms);

	trace_enter(l->ctx->tr, task, now, STATE_SLEEP, -1, CAUSE_STEP, -1, reason);
	while ((now = clock_now_ns()) < deadline) {
		if (loop_cancelled(l))
			return -ECANCELED;
		uint64_t next = now + LOOP_BLOCK_SLICE_NS;
		clock_sleep_until(next < deadline ? next : deadline);
	}
	return 0;
}

/* One job on the thread pool; freed on the loop thread when it is over. */
struct loop_work {
	uv_work_t w;
	struct loop *l;
	int task;
	int rc;
	double ms;
	const char *after;
	void (*done)(struct loop *l, void *ud, int rc);
	void *ud;
};

/* On a pool thread: the task's lane is this thread's until work_after. */
static void loop_work_run(uv_work_t *w)
{
	struct loop_work *j = w->data;

	j->rc = loop_compute(j->l, j->task, j->ms, "offloaded to the thread pool");
	trace_enter(j->l->ctx->tr, j->task, clock_now_ns(), STATE_READY, -1, CAUSE_NONE, -1,
		    j->after);
}

static void loop_work_after(uv_work_t *w, int status)
{
	struct loop_work *j = w->data;
	int rc = status == UV_ECANCELED ? -ECANCELED : j->rc;

	j->done(j->l, j->ud, rc);
	free(j);
}

int loop_offload(struct loop *l, int task, double ms, const char *after,
		 void (*done)(struct loop *l, void *ud, int rc), void *ud)
{
	struct loop_work *j = malloc(sizeof *j);
	int rc;

	if (!j)
		return -ENOMEM;
	*j = (struct loop_work){
	    .l = l, .task = task, .ms = ms, .after = after, .done = done, .ud = ud};
	j->w.data = j;
	rc = uv_queue_work(&l->uv, &j->w, loop_work_run, loop_work_after);
	if (rc < 0)
		free(j);
	return rc;
}
