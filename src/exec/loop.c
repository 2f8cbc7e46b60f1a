/*
 * loop.c -- the machinery under the single-threaded executors: one libuv
 * loop of their own on the controller thread, the end of tasks and what
 * follows from it, work done on (or off) the loop thread, and the figures.
 */
#include "loop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "clock.h"
#include "loop_lock.h"
#include "picks.h"
#include "runner.h"
#include "work.h"

/* A blocking call looks at the cancel flag this often. */
#define LOOP_BLOCK_SLICE_NS (5 * CLOCK_NS_PER_MS)
/* One spinner frame: a little real drawing work (as in runner.c). */
#define LOOP_FRAME_MS 0.05
/* A print: formatting and writing a line is a little real work, drawn as a short span. */
#define LOOP_PRINT_MS 0.02

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
	loop_reqs_close(&l->reqs);
	if (l->ops->shut)
		l->ops->shut(l);
}

/* TASK finished first: it cancels every task still unfinished, now. */
static void loop_won(struct loop *l, int task, uint64_t now)
{
	struct trace *tr = l->ctx->tr;

	l->winner = task;
	for (int i = 0; i < l->ctx->sc->ntasks; i++)
		if (i != task && trace_outcome(tr, i) == OUTCOME_NONE)
			trace_edge(tr, task, i, now, EDGE_CANCEL);
}

void loop_task_end(struct loop *l, int task, int rc)
{
	const struct scenario *sc = l->ctx->sc;
	char buf[96];
	const char *why = NULL;
	enum outcome o = rc == 0	    ? OUTCOME_DONE
			 : rc == -ECANCELED ? OUTCOME_CANCELLED
			 : rc == -EDEADLK   ? OUTCOME_DEADLOCKED
					    : OUTCOME_FAILED;
	int flag = atomic_load(l->ctx->cancel);

	if (o == OUTCOME_DEADLOCKED) {
		why = "deadlocked: waits for a lock in a cycle";
	} else if (o == OUTCOME_CANCELLED) {
		/* With no flag up, asyncio.run returned and cancelled what was left. */
		why = flag == RUNNER_FIRST_DONE	   ? "cancelled: another task finished first"
		      : flag == RUNNER_DEADLOCK	   ? "cancelled: a deadlock ended the run"
		      : flag == RUNNER_INTERRUPTED ? "cancelled: run interrupted"
						   : "cancelled: the main task returned first";
	} else if (o == OUTCOME_FAILED) {
		snprintf(buf, sizeof buf, "failed: %s", strerror(-rc));
		why = buf;
	}
	uint64_t now = clock_now_ns();
	if (l->cur == task) {
		probe_stop(&l->probe, l->ctx->tr, task, now);
		l->cur = -1;
	}
	trace_finish(l->ctx->tr, task, now, o, o == OUTCOME_CANCELLED ? l->winner : -1, why);
	l->left--;
	if (!scenario_task_has_step(&sc->tasks[task], STEP_SPIN) && --l->live == 0 &&
	    l->ops->quiet) {
		l->quiet_by = task;
		l->ops->quiet(l);
	}
	if (o == OUTCOME_DONE && sc->wait == WAIT_FIRST) {
		int go = RUNNER_GO;
		if (atomic_compare_exchange_strong(l->ctx->cancel, &go, RUNNER_FIRST_DONE))
			loop_won(l, task, now);
		loop_check_cancel(l);
	}
	if (l->left == 0)
		loop_shut(l);
}

int loop_init(struct loop *l, struct exec_ctx *ctx, const struct loop_ops *ops, void *ud)
{
	int rc;

	memset(l, 0, sizeof *l);
	loop_reqs_init(&l->reqs, &l->uv);
	l->ctx = ctx;
	l->ops = ops;
	l->ud = ud;
	l->left = ctx->sc->ntasks;
	l->cur = l->last = l->winner = l->quiet_by = -1;
	probe_init(&l->probe);
	for (int i = 0; i < ctx->sc->ntasks; i++)
		l->live += !scenario_task_has_step(&ctx->sc->tasks[i], STEP_SPIN);
	if (loop_check_fds(ctx) < 0 || loop_lock_init(l) < 0)
		return -1;
	meter_start(&l->meter, ctx->tr);
	if ((rc = uv_loop_init(&l->uv)) != 0) {
		snprintf(ctx->err, sizeof ctx->err, "cannot start an event loop: %s",
			 uv_strerror(rc));
		loop_lock_free(l);
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
	loop_reqs_close(&l->reqs); /* idempotent: when the tasks did not all end */
	if (uv_loop_close(&l->uv) != 0) {
		snprintf(l->ctx->err, sizeof l->ctx->err, "the event loop did not close cleanly");
		rc = -1;
	}
	if (l->measured)
		l->ctx->tr->meta.bytes_per_task = l->bytes_per_task;
	loop_lock_free(l);
	return rc;
}

/* ---------------------------------------------------------------------------
 * The run queue and precise timers
 * ------------------------------------------------------------------------ */

/*
 * --picks: takes the node that runs next out of the batch *HEAD; with more
 * than one node there, the picks choose among them in queue order.
 */
static struct loop_node *loop_runq_pick(struct picks *pk, struct loop_node **head)
{
	int ready[PICKS_MAX], n = 0, at = 0;
	struct loop_node **pp = head, *m;

	for (m = *head; m && n < PICKS_MAX; m = m->next)
		ready[n++] = m->task;
	at = picks_choose(pk, ready, n);
	for (int i = 0; i < at; i++)
		pp = &(*pp)->next;
	m = *pp;
	*pp = m->next;
	m->next = NULL;
	return m;
}

static void loop_runq_turn(uv_idle_t *h)
{
	struct loop_runq *q = h->data;
	struct loop *l = h->loop->data;
	struct loop_node *n = q->head;

	/* As asyncio's _run_once: what becomes ready meanwhile waits a turn. */
	q->head = NULL;
	q->tail = &q->head;
	while (n && l->ctx->picks) {
		struct loop_node *m = loop_runq_pick(l->ctx->picks, &n);
		q->run(l, m);
	}
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

void loop_set_step(struct loop *l, int task, int rep, int i)
{
	trace_set_step(l->ctx->tr, task, rep * l->ctx->sc->tasks[task].nsteps + i);
}

/*
 * TASK takes the loop thread: from another task (a hand-off, recorded as
 * an edge now) or, holding it already, for its next step.  The cause and
 * the task that caused it go in *CAUSE and *BY.
 */
static void loop_take(struct loop *l, int task, enum cause *cause, int *by)
{
	if (l->cur == task) {
		*cause = CAUSE_STEP;
		*by = -1;
		return;
	}
	uint64_t now = clock_now_ns();
	if (l->cur >= 0) /* never left it: its work ends here */
		probe_stop(&l->probe, l->ctx->tr, l->cur, now);
	*cause = CAUSE_LOOP_RESUME;
	*by = l->last != task ? l->last : -1;
	if (*by >= 0)
		trace_edge(l->ctx->tr, *by, task, now, EDGE_LOOP);
	l->cur = l->last = task;
}

void loop_resume(struct loop *l, int task, const char *reason)
{
	enum cause cause;
	int by;

	loop_take(l, task, &cause, &by);
	probe_enter(&l->probe, l->ctx->tr, task, STATE_RUNNING, cause, by, reason);
}

void loop_wait(struct loop *l, int task, enum state st, enum cause cause, const char *reason)
{
	if (l->cur == task) {
		probe_enter(&l->probe, l->ctx->tr, task, st, cause, -1, reason);
		l->cur = -1;
		return;
	}
	trace_enter(l->ctx->tr, task, clock_now_ns(), st, -1, cause, -1, reason);
}

/* MS ms of chunks for TASK, already `running`; P is the calling thread's probe. */
static int loop_chunks(struct loop *l, struct probe *p, int task, double ms, const char *reason)
{
	struct trace *tr = l->ctx->tr;
	uint64_t chunks = work_chunks_for(ms), iters = work_chunk_iters(), sink = 0;

	for (uint64_t i = 0; i < chunks; i++) {
		if (loop_cancelled(l))
			return -ECANCELED;
		sink ^= work_crunch(iters);
		probe_chunk(p, tr, task, clock_now_ns(), reason);
	}
	atomic_store_explicit(&loop_sink, sink, memory_order_relaxed);
	return 0;
}

int loop_compute(struct loop *l, int task, double ms, const char *reason)
{
	enum cause cause;
	int by;

	loop_take(l, task, &cause, &by);
	probe_enter(&l->probe, l->ctx->tr, task, STATE_RUNNING, cause, by, reason);
	return loop_chunks(l, &l->probe, task, ms, reason);
}

int loop_print(struct loop *l, int task, const char *text)
{
	enum cause cause;
	int by;

	loop_take(l, task, &cause, &by);
	probe_enter(&l->probe, l->ctx->tr, task, STATE_RUNNING, cause, by, "print");
	trace_print(l->ctx->tr, task, clock_now_ns(), text);
	return loop_chunks(l, &l->probe, task, LOOP_PRINT_MS, "print");
}

int loop_frame(struct loop *l, int task)
{
	return loop_compute(l, task, LOOP_FRAME_MS, "spinner frame");
}

int loop_block(struct loop *l, int task, double ms, const char *reason)
{
	uint64_t now, deadline;
	enum cause cause;
	int by;

	loop_take(l, task, &cause, &by);
	probe_enter(&l->probe, l->ctx->tr, task, STATE_SLEEP, cause, by, reason);
	deadline = clock_now_ns() + clock_ms_to_ns(ms);
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
	struct trace *tr = j->l->ctx->tr;
	struct probe p; /* this thread's, for this job */
	const char *why = "offloaded to the thread pool";

	probe_init(&p);
	probe_enter(&p, tr, j->task, STATE_RUNNING, CAUSE_JOB, -1, why);
	j->rc = loop_chunks(j->l, &p, j->task, j->ms, why);
	probe_enter(&p, tr, j->task, STATE_READY, CAUSE_IO_DONE, -1, j->after);
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
