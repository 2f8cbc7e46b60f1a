/*
 * run.c -- one run: trace set-up, the latency server, a controller thread
 * that calls the executor, and the run's wall and CPU time.
 */
#include "run.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "clock.h"
#include "escape.h"
#include "findings.h"
#include "latency.h"
#include "observe.h"
#include "locks.h"
#include "picks.h"
#include "runner.h"
#include "sched_check.h"
#include "work.h"

struct run {
	const struct scenario *sc;
	const struct executor *ex;
	struct exec_ctx ctx;
	struct trace *tr; /* owned unless taken */
	pthread_t controller;
	bool joined;
	int rc;		    /* the executor's result, valid once finished */
	_Atomic int cancel; /* enum runner_cancel, shared with the executor */
	_Atomic bool finished;
	uint64_t start_ns;  /* absolute: t = 0 of the trace */
	char lost[128];	    /* how the latency server died during the run, or "" */
	struct picks picks; /* --picks, when given: ctx.picks points here */
	void (*on_finish)(void *ud);
	void *ud;
	struct observer *obs; /* an observed program's run, else NULL */
};

/* What run_executor says of an observed run: no executor of ours ran it. */
static const struct executor observed_executor = {
    .name = "observed",
    .model = MODEL_OBSERVED,
    .summary = "a real program's threads and processes, observed",
    .unit = EXEC_UNIT_THREAD,
    .at_once = EXEC_AT_ONCE_ALL,
    .unit_per_task = true,
    .multicore = true,
};

int run_load_scenario(const char *path, struct scenario *sc, char *err, size_t errlen)
{
	if (scenario_load(path, sc, err, errlen) < 0)
		return -1;
	if (sc->backend_line && !executor_find(sc->backend)) {
		char file[512], q[ESCAPE_ECHO_SIZE];

		snprintf(err, errlen, "%s:%d: unknown executor \"%s\" (conctui --list shows them)",
			 escape_text(file, sizeof file, path, -1, 0), sc->backend_line,
			 escape_echo(q, sc->backend));
		scenario_free(sc);
		return -1;
	}
	return 0;
}

const struct executor *run_pick_executor(const struct scenario *sc, const struct run_opts *o)
{
	const char *name = o && o->backend ? o->backend : sc->backend;

	return *name ? executor_find(name) : executor_default();
}

static void fill_ctx(struct run *r, const struct run_opts *o)
{
	const struct scenario *sc = r->sc;
	struct exec_ctx *c = &r->ctx;
	const char *gil = o && o->gil ? o->gil : *sc->gil ? sc->gil : "new";

	c->sc = sc;
	c->tr = r->tr;
	c->cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (c->cores < 1)
		c->cores = 1;
	c->workers = o && o->workers ? o->workers : sc->workers ? sc->workers : c->cores;
	snprintf(c->gil, sizeof c->gil, "%s", gil);
	/* --switch-interval is taken as given; the scenario's and the default follow --scale. */
	c->switch_interval_ms = o && o->switch_interval_ms > 0 ? o->switch_interval_ms
				: sc->switch_interval_ms > 0   ? sc->switch_interval_ms
				: sc->scale > 0		       ? RUN_DEFAULT_SWITCH_MS * sc->scale
							       : RUN_DEFAULT_SWITCH_MS;
	c->latency_port = latency_port();
	c->cancel = &r->cancel;
	snprintf(c->broker, sizeof c->broker, "%s", o && o->broker ? o->broker : "");
}

/* The first task with a `spin` step is the spinner the views watch. */
static void fill_spinner(struct trace_meta *m, const struct scenario *sc)
{
	for (int i = 0; i < sc->ntasks; i++) {
		const struct scenario_task *t = &sc->tasks[i];
		for (int s = 0; s < t->nsteps; s++)
			if (t->steps[s].kind == STEP_SPIN && t->steps[s].ms > 0) {
				m->spinner = i;
				m->spinner_ms = t->steps[s].ms;
				return;
			}
	}
}

static void fill_meta(struct run *r)
{
	struct trace_meta *m = &r->tr->meta;

	snprintf(m->scenario, sizeof m->scenario, "%s", r->sc->name);
	snprintf(m->title, sizeof m->title, "%s", r->sc->title);
	snprintf(m->backend, sizeof m->backend, "%s", r->ex->name);
	m->model = r->ex->model;
	m->cores = r->ctx.cores;
	m->scale = r->sc->scale > 0 ? r->sc->scale : 1;
	if (r->ex->flags & EXECUTOR_LOCK_LANE) {
		snprintf(m->gil_mode, sizeof m->gil_mode, "%s", r->ctx.gil);
		m->gil_interval_ms = r->ctx.switch_interval_ms;
	}
	fill_spinner(m, r->sc);
	for (int i = 0; i < r->sc->ntasks; i++)
		trace_set_name(r->tr, i, r->sc->tasks[i].name);
	if (trace_lock_lane(r->tr) >= 0)
		trace_set_name(r->tr, trace_lock_lane(r->tr), "GIL");
}

static bool any_failed(const struct trace *tr)
{
	for (int i = 0; i < tr->ntasks; i++)
		if (trace_outcome(tr, i) == OUTCOME_FAILED)
			return true;
	return false;
}

static void *controller_main(void *arg)
{
	struct run *r = arg;
	uint64_t cpu0 = clock_cpu_ns();

	r->rc = r->obs ? observe_run(r->obs, &r->cancel) : r->ex->run(&r->ctx);
	/* A task that failed on I/O may have lost the server: say so if it did. */
	if (r->sc && scenario_has_step(r->sc, STEP_IO) && any_failed(r->tr))
		latency_died(r->lost, sizeof r->lost);
	if (!r->obs)
		r->tr->meta.wall_ns = clock_now_ns() - r->start_ns;
	r->tr->meta.cpu_ns = clock_cpu_ns() - cpu0;
	/* A run stopped for the player's choice is not over: nothing to judge yet. */
	if (r->sc && r->picks.nstopped == 0)
		sched_check(r->tr, r->sc);
	/* Before the run is seen to end, so every reader of a finished run gets them. */
	if (!r->obs && r->picks.nstopped == 0)
		findings_analyse(r->tr, r->ex);
	atomic_store_explicit(&r->finished, true, memory_order_release);
	if (r->on_finish)
		r->on_finish(r->ud);
	return NULL;
}

/*
 * Starts the thread that runs the executor.  It and every thread it starts
 * leave SIGINT and SIGTERM to the thread that waits for the run, whose loop
 * handles them: a signal that lands on a thread about to end can be lost
 * (ThreadSanitizer holds it until the thread's next safe point).  Forked
 * tasks set their own mask (child.c).
 */
static int start_controller(struct run *r)
{
	sigset_t block, old;
	int rc;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	rc = pthread_create(&r->controller, NULL, controller_main, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

struct run *run_start(const struct scenario *sc, const struct run_opts *o,
		      void (*on_finish)(void *ud), void *ud, char *err, size_t errlen)
{
	const struct executor *ex = run_pick_executor(sc, o);
	unsigned flags;

	if (!ex) {
		char q[ESCAPE_ECHO_SIZE];

		snprintf(err, errlen, "unknown executor \"%s\" (conctui --list shows them)",
			 escape_echo(q, o && o->backend ? o->backend : sc->backend));
		return NULL;
	}
	if (scenario_has_step(sc, STEP_IO) && latency_start(err, errlen) < 0)
		return NULL;
	work_calibrate();

	struct run *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	flags = ((ex->flags & EXECUTOR_LOCK_LANE) ? TRACE_LOCK_LANE : 0) |
		((ex->flags & EXECUTOR_SHARED) ? TRACE_SHARED : 0);
	r->sc = sc;
	r->ex = ex;
	r->on_finish = on_finish;
	r->ud = ud;
	r->tr = trace_create(sc->ntasks, flags);
	if (!r->tr) {
		snprintf(err, errlen, "cannot allocate a trace for %d tasks: %s", sc->ntasks,
			 strerror(errno));
		free(r);
		return NULL;
	}
	fill_ctx(r, o);
	fill_meta(r);
	if (o && (o->picks || o->manual) &&
	    picks_parse(&r->picks, sc, o->picks ? o->picks : "", err, errlen) < 0) {
		trace_destroy(r->tr);
		free(r);
		return NULL;
	}
	if (o && (o->picks || o->manual)) {
		r->picks.tr = r->tr;
		r->picks.stop = o->manual ? &r->cancel : NULL;
		r->ctx.picks = &r->picks;
	}
	r->ctx.locks = locks_create(sc, r->tr, flags & TRACE_SHARED);
	if (!r->ctx.locks && sc->nlocks > 0) {
		snprintf(err, errlen, "cannot make the scenario's locks: %s", strerror(errno));
		trace_destroy(r->tr);
		free(r);
		return NULL;
	}
	r->start_ns = clock_now_ns();
	trace_start(r->tr, r->start_ns);
	int rc = start_controller(r);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the run: %s", strerror(rc));
		trace_destroy(r->tr);
		free(r);
		return NULL;
	}
	return r;
}

struct run *run_observe(const struct observe_opts *o, void (*on_finish)(void *ud), void *ud,
			char *err, size_t errlen)
{
	struct run *r = calloc(1, sizeof *r);

	if (!r || !(r->tr = observe_trace_new(o))) {
		snprintf(err, errlen, "out of memory");
		free(r);
		return NULL;
	}
	r->ex = &observed_executor;
	r->on_finish = on_finish;
	r->ud = ud;
	r->obs = observe_start(o, r->tr, err, errlen);
	if (!r->obs) {
		trace_destroy(r->tr);
		free(r);
		return NULL;
	}
	r->start_ns = r->tr->epoch_ns;
	int rc = pthread_create(&r->controller, NULL, controller_main, r);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start observing: %s", strerror(rc));
		observe_free(r->obs);
		trace_destroy(r->tr);
		free(r);
		return NULL;
	}
	return r;
}

void run_show_lanes(struct run *r)
{
	if (r && r->obs && r->tr)
		observe_show(r->obs);
}

bool run_finished(const struct run *r)
{
	return atomic_load_explicit(&r->finished, memory_order_acquire);
}

int run_wait(struct run *r)
{
	if (!r->joined) {
		pthread_join(r->controller, NULL);
		r->joined = true;
		run_show_lanes(r);
	}
	return r->rc < 0 ? -1 : 0;
}

const char *run_error(const struct run *r)
{
	return r->ctx.err[0] ? r->ctx.err : "the run failed";
}

const char *run_failure(const struct run *r, char *buf, size_t len)
{
	int failed = 0, first = -1;
	struct span last = {0};

	if (!run_finished(r))
		return NULL;
	for (int i = 0; i < r->tr->ntasks; i++)
		if (trace_outcome(r->tr, i) == OUTCOME_FAILED && failed++ == 0)
			first = i;
	if (!failed)
		return NULL;
	uint32_t n = trace_count(r->tr, first);
	if (n > 0)
		trace_get(r->tr, first, n - 1, &last);
	if (r->lost[0])
		snprintf(buf, len, "%s during the run: %d task%s failed", r->lost, failed,
			 failed == 1 ? "" : "s");
	else
		snprintf(buf, len, "%d task%s failed, the first %s (%s)", failed,
			 failed == 1 ? "" : "s", trace_name(r->tr, first),
			 last.reason[0] ? last.reason : "no reason recorded");
	return buf;
}

int run_choice(const struct run *r, int *ready, int max)
{
	int n = run_finished(r) ? r->picks.nstopped : 0;

	for (int i = 0; i < n && i < max; i++)
		ready[i] = r->picks.stopped[i];
	return n < max ? n : max;
}

void run_interrupt(struct run *r)
{
	atomic_store(&r->cancel, RUNNER_INTERRUPTED);
}

struct trace *run_trace(const struct run *r)
{
	return r->tr;
}

const struct executor *run_executor(const struct run *r)
{
	return r->ex;
}

uint64_t run_elapsed_ns(const struct run *r)
{
	if (run_finished(r))
		return r->tr->meta.wall_ns;
	return clock_now_ns() - r->start_ns;
}

struct trace *run_take_trace(struct run *r)
{
	struct trace *tr = r->tr;

	run_wait(r);
	r->tr = NULL;
	return tr;
}

void run_free(struct run *r)
{
	if (!r)
		return;
	run_wait(r);
	observe_free(r->obs);
	locks_destroy(r->ctx.locks);
	trace_destroy(r->tr);
	free(r);
}

/* ---- waiting for a run, with signals as loop events ---------------------- */

struct run_wait_state {
	uv_loop_t loop;
	uv_async_t done; /* sent by the controller thread at the end */
	uv_signal_t sigint, sigterm;
	struct run *run;
	int interrupted;
};

static void on_done(uv_async_t *a)
{
	uv_stop(a->loop);
}

static void on_signal(uv_signal_t *s, int signum)
{
	struct run_wait_state *bw = s->data;

	(void)signum;
	bw->interrupted = 1;
	run_interrupt(bw->run);
}

static void on_finish(void *ud)
{
	struct run_wait_state *bw = ud;

	uv_async_send(&bw->done);
}

static void close_handle(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/* Waits for BW's run (started), SIGINT and SIGTERM interrupting it; its trace or NULL. */
static struct trace *wait_to_end(struct run_wait_state *bw, int *failed)
{
	struct trace *tr = NULL;
	char why[256];

	uv_signal_start(&bw->sigint, on_signal, SIGINT);
	uv_signal_start(&bw->sigterm, on_signal, SIGTERM);
	while (!run_finished(bw->run))
		uv_run(&bw->loop, UV_RUN_DEFAULT);
	if (run_wait(bw->run) < 0) {
		fprintf(stderr, "conctui: %s\n", run_error(bw->run));
	} else {
		if (!bw->interrupted && run_failure(bw->run, why, sizeof why)) {
			fprintf(stderr, "conctui: %s\n", why);
			*failed = 1;
		}
		tr = run_take_trace(bw->run);
	}
	run_free(bw->run);
	return tr;
}

static void wait_init(struct run_wait_state *bw)
{
	uv_loop_init(&bw->loop);
	uv_async_init(&bw->loop, &bw->done, on_done);
	uv_signal_init(&bw->loop, &bw->sigint);
	uv_signal_init(&bw->loop, &bw->sigterm);
	bw->sigint.data = bw->sigterm.data = bw;
}

static void wait_close(struct run_wait_state *bw)
{
	uv_walk(&bw->loop, close_handle, NULL);
	uv_run(&bw->loop, UV_RUN_DEFAULT);
	uv_loop_close(&bw->loop);
}

struct trace *run_to_end(const struct scenario *sc, const struct run_opts *ro, int *interrupted,
			 int *failed)
{
	struct run_wait_state bw = {0};
	char err[512] = "";
	struct trace *tr = NULL;

	wait_init(&bw);
	bw.run = run_start(sc, ro, on_finish, &bw, err, sizeof err);
	if (bw.run)
		tr = wait_to_end(&bw, failed);
	else
		fprintf(stderr, "conctui: %s\n", err);
	wait_close(&bw);
	*interrupted = bw.interrupted;
	return tr;
}

struct trace *run_observe_to_end(const struct observe_opts *o, int *interrupted, int *failed,
				 bool *cannot_start)
{
	struct run_wait_state bw = {0};
	char err[512] = "";
	struct trace *tr = NULL;

	wait_init(&bw);
	bw.run = run_observe(o, on_finish, &bw, err, sizeof err);
	*cannot_start = !bw.run;
	if (bw.run)
		tr = wait_to_end(&bw, failed);
	else
		fprintf(stderr, "conctui: %s\n", err);
	wait_close(&bw);
	*interrupted = bw.interrupted;
	return tr;
}
