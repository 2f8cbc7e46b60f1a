/*
 * exec_gil.c -- one pthread per task, and a simulated CPython GIL (gil.c)
 * that a thread must hold to run Python code: `cpu` and `offload` steps and
 * spinner frames.  Waits and `native` steps release it around the call, as
 * Py_BEGIN_ALLOW_THREADS does, and take it back through the full take_gil;
 * an `io` request does so around each of its blocking calls (socket(),
 * connect(), sendall(), recv(), close()), as a Python client's socket
 * methods do, so a thread behind a CPU hog queues for the lock after each.
 *
 * The runner calls the hooks below; they keep each task's lane truthful:
 * a task is `running` only while it holds the lock (native code aside), so
 * its running span ends before the lock is dropped and starts after it is
 * taken, and the time spent waiting for the lock is a `lock` span.
 */
#include "executor.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "gil.h"
#include "runner.h"

/* Thread stacks: the runner needs little, and a run may start thousands. */
#define GIL_STACK_BYTES (512u * 1024u)

/* One task's thread; only that thread touches it while it runs. */
struct gil_thread {
	struct runner r; /* r.ud points back here */
	struct gil *g;
	pthread_t tid;
	bool started;	    /* pthread_create succeeded: join it */
	bool held;	    /* this thread holds the lock now */
	enum step_kind why; /* what the lock was last released for */
	uint64_t since_ns;  /* when the current hold began */
};

/* ---- states and their words -------------------------------------------- */

/* The state a task is in while it lets go of the lock before a wait. */
static enum state gil_release_state(enum step_kind why)
{
	switch (why) {
	case STEP_IO:
		return STATE_IO;
	case STEP_NATIVE:
		return STATE_RUNNING;
	case STEP_LOCK:
		return STATE_LOCK;
	default:
		return STATE_SLEEP;
	}
}

static const char *gil_release_reason(enum step_kind why)
{
	switch (why) {
	case STEP_IO:
		return "GIL released for I/O";
	case STEP_NATIVE:
		return "native code, GIL released"; /* the runner's own words */
	case STEP_BLOCK:
		return "GIL released: blocking call";
	case STEP_SPIN:
		return "GIL released: spinner waits";
	case STEP_LOCK:
		return "GIL released: lock busy";
	default:
		return "GIL released for sleep";
	}
}

static const char *gil_return_reason(enum step_kind why)
{
	switch (why) {
	case STEP_IO:
		return "back from I/O: waiting for the GIL";
	case STEP_NATIVE:
		return "native done: waiting for the GIL";
	case STEP_BLOCK:
		return "call returned: waiting for the GIL";
	case STEP_SPIN:
		return "spinner: waiting for the GIL";
	case STEP_LOCK:
		return "took the lock: waiting for the GIL";
	default:
		return "awake: waiting for the GIL";
	}
}

/* The reason of the task's open running span, to resume it after a switch. */
static void gil_running_reason(const struct gil_thread *t, char *out)
{
	uint32_t n = trace_count(t->r.tr, t->r.task);
	struct span sp;

	strcpy(out, "computing");
	if (n == 0)
		return;
	trace_get(t->r.tr, t->r.task, n - 1, &sp);
	if (sp.state == STATE_RUNNING && sp.t1 == TRACE_OPEN)
		memcpy(out, sp.reason, TRACE_REASON_MAX);
}

/* ---- taking and dropping ------------------------------------------------ */

/*
 * Waits for the lock as `lock` (WHY; by its holder), then runs again as
 * `running` (AGAIN; by the thread that handed the lock over).
 */
static void gil_wait_take(struct gil_thread *t, const char *why, const char *again)
{
	runner_enter(&t->r, STATE_LOCK, CAUSE_GIL_WAIT, gil_holder(t->g), why);
	if (gil_take(t->g, t->r.task) < 0)
		return; /* cancelled: the runner stops at its next check */
	t->held = true;
	t->since_ns = clock_now_ns();
	runner_enter(&t->r, STATE_RUNNING, CAUSE_GIL_TAKE, gil_handed_by(t->g), again);
}

/*
 * The task has already left `running`; now the lock may change hands.
 * Returns 1 when a pending drop request made the drop wait for the taker.
 */
static int gil_let_go(struct gil_thread *t)
{
	t->held = false;
	return gil_drop(t->g, t->r.task);
}

/*
 * A switch inside CPU work: drop, (new: wait for the taker), take again.
 * The lock span begins as a forced drop, asked for by ASKER (-1: the old
 * lock's tick); its wait for the lock continues in the same span.
 */
static void gil_switch(struct gil_thread *t, const char *why, int asker)
{
	char again[TRACE_REASON_MAX];

	gil_running_reason(t, again);
	runner_enter(&t->r, STATE_LOCK, CAUSE_GIL_DROP, asker, why);
	gil_let_go(t);
	gil_wait_take(t, why, again);
}

/* ---- the runner's hooks ------------------------------------------------- */

static void gil_hook_begin(struct runner *r)
{
	gil_wait_take(r->ud, "waiting for the GIL", "computing");
}

/* At each chunk boundary, where CPython's eval loop checks eval_breaker. */
static void gil_hook_chunk(struct runner *r, uint64_t now_ns)
{
	struct gil_thread *t = r->ud;
	char why[TRACE_REASON_MAX];

	if (!t->held)
		return;
	if (gil_drop_requested(t->g)) {
		snprintf(why, sizeof why, "drop request after %.1f ms: waits for GIL",
			 clock_ns_to_ms(now_ns - t->since_ns));
		/* Nobody can reset the request before we let go: the asker is exact. */
		gil_switch(t, why, gil_drop_asker(t->g));
	} else if (gil_tick(t->g)) {
		snprintf(why, sizeof why, "%d ticks: released, re-taking the GIL",
			 t->g->check_ticks);
		gil_switch(t, why, -1);
	}
}

/* eval_breaker, read between pieces of a chunk: a drop request is pending. */
static bool gil_hook_pending(const struct runner *r)
{
	const struct gil_thread *t = r->ud;

	return t->held && gil_drop_requested(t->g);
}

/* Py_BEGIN_ALLOW_THREADS: leave `running` first, then let go. */
static void gil_hook_release(struct runner *r, enum step_kind why)
{
	struct gil_thread *t = r->ud;

	if (!t->held)
		return;
	char words[TRACE_REASON_MAX];

	t->why = why;
	if (r->call)
		snprintf(words, sizeof words, "GIL released around %s", r->call);
	runner_enter(r, gil_release_state(why), CAUSE_STEP, -1,
		     r->call ? words : gil_release_reason(why));
	/*
	 * As in CPython, a release that finds a drop request pending waits
	 * until the asker has the lock; say so, since it delays the call.
	 * The request is reset by then, but its asker stays recorded.
	 */
	if (gil_let_go(t))
		runner_enter(r, gil_release_state(why), CAUSE_GIL_DROP, gil_drop_asker(t->g),
			     "GIL handed over on request");
}

/* Py_END_ALLOW_THREADS: the full take_gil, so a busy lock means a wait. */
static void gil_hook_acquire(struct runner *r)
{
	struct gil_thread *t = r->ud;
	char why[TRACE_REASON_MAX];

	if (t->held)
		return;
	/* One call of a request: say which call the thread is back from. */
	if (r->call)
		snprintf(why, sizeof why, "back from %s: waits for the GIL", r->call);
	gil_wait_take(t, r->call ? why : gil_return_reason(t->why), "computing");
}

/* The thread's end: its last span closes before the lock changes hands. */
static void gil_hook_end(struct runner *r)
{
	struct gil_thread *t = r->ud;

	if (!t->held)
		return;
	trace_close(r->tr, r->task, clock_now_ns());
	gil_let_go(t);
}

static const struct runner_hooks gil_hooks = {
    .chunk = gil_hook_chunk,
    .pending = gil_hook_pending,
    .release = gil_hook_release,
    .acquire = gil_hook_acquire,
    .begin = gil_hook_begin,
    .end = gil_hook_end,
};

/* ---- the run ------------------------------------------------------------ */

static void *gil_thread_main(void *arg)
{
	struct gil_thread *t = arg;

	runner_run(&t->r);
	return NULL;
}

/* Starts one thread per task; returns 0 or the first pthread error. */
static int gil_start_threads(struct exec_ctx *ctx, struct gil_thread *th, int n)
{
	pthread_attr_t attr;
	int rc = pthread_attr_init(&attr);

	if (rc != 0)
		return rc;
	pthread_attr_setstacksize(&attr, GIL_STACK_BYTES);
	for (int i = 0; i < n && rc == 0; i++) {
		rc = pthread_create(&th[i].tid, &attr, gil_thread_main, &th[i]);
		th[i].started = rc == 0;
	}
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		/* Stop those already running; the rest never start. */
		atomic_store(ctx->cancel, RUNNER_INTERRUPTED);
		snprintf(ctx->err, sizeof ctx->err,
			 "cannot start a thread for each of %d tasks: %s", n, strerror(rc));
		for (int i = 0; i < n; i++)
			if (!th[i].started)
				trace_finish(ctx->tr, i, clock_now_ns(), OUTCOME_FAILED, -1,
					     "failed: no thread");
	}
	return rc;
}

static void gil_setup_threads(struct exec_ctx *ctx, struct gil *g, struct gil_thread *th,
			      _Atomic int *live, _Atomic int *winner)
{
	uint64_t now = clock_now_ns();

	for (int i = 0; i < ctx->sc->ntasks; i++) {
		struct gil_thread *t = &th[i];
		runner_init(&t->r, ctx->tr, ctx->sc, i);
		t->r.latency_port = ctx->latency_port;
		t->r.cancel = ctx->cancel;
		t->r.locks = ctx->locks;
		t->r.live = live;
		t->r.winner = winner;
		/* Free-threaded: plain threads, nothing to take or drop. */
		t->r.hooks = g->mode == GIL_OFF ? NULL : &gil_hooks;
		t->r.ud = t;
		t->g = g;
		/* Written before pthread_create, which orders it before the thread. */
		trace_enter(ctx->tr, i, now, STATE_READY, -1, CAUSE_START, -1, "thread starting");
	}
}

static int gil_exec_run(struct exec_ctx *ctx)
{
	int n = ctx->sc->ntasks, mode = gil_mode_from_name(ctx->gil), rc;
	_Atomic int live = runner_live_tasks(ctx->sc);
	_Atomic int winner = -1; /* wait = first: the task that won */
	struct gil g;

	if (mode < 0) {
		snprintf(ctx->err, sizeof ctx->err, "unknown GIL mode \"%s\" (new, old or off)",
			 ctx->gil);
		return -EINVAL;
	}
	struct gil_thread *th = calloc((size_t)n, sizeof *th);
	if (!th) {
		snprintf(ctx->err, sizeof ctx->err, "out of memory for %d threads", n);
		return -ENOMEM;
	}
	rc = gil_init(&g, mode, clock_ms_to_ns(ctx->switch_interval_ms), ctx->tr,
		      trace_lock_lane(ctx->tr));
	if (rc < 0) {
		snprintf(ctx->err, sizeof ctx->err, "cannot make the GIL: %s", strerror(-rc));
		free(th);
		return rc;
	}
	gil_set_cancel(&g, ctx->cancel);
	gil_set_picks(&g, ctx->picks, n);
	if (ctx->sc->scale > 0)
		gil_set_check_ticks(&g, (int)(GIL_OLD_TICKS * ctx->sc->scale + 0.5));
	gil_setup_threads(ctx, &g, th, &live, &winner);
	rc = gil_start_threads(ctx, th, n);
	for (int i = 0; i < n; i++)
		if (th[i].started)
			pthread_join(th[i].tid, NULL);
	ctx->tr->meta.gil_switches = gil_switches(&g);
	ctx->tr->meta.gil_drop_requests = gil_drop_requests(&g);
	gil_destroy(&g);
	free(th);
	return rc == 0 ? 0 : -rc;
}

const struct executor exec_gil = {
    .name = "gil",
    .model = MODEL_PSEUDO,
    .summary = "one pthread per task; Python code must hold a simulated CPython GIL",
    .flags = EXECUTOR_LOCK_LANE,
    .unit = EXEC_UNIT_THREAD,
    .at_once = EXEC_AT_ONCE_ALL,
    .unit_per_task = true,
    .gil = true,
    .python = "threading",
    .run = gil_exec_run,
};
