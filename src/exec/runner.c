/*
 * runner.c -- one task's steps as plain blocking code, with probes.
 */
#include "runner.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "latency.h"
#include "probe.h"
#include "work.h"

/* Waits are sliced so that cancellation is seen within this time. */
#define RUNNER_WAIT_SLICE_NS (5 * CLOCK_NS_PER_MS)
/* Lock-bound chunks are crunched in this many pieces (see crunch_chunk). */
#define RUNNER_PIECES 16
/* One spinner frame: a little real drawing work. */
#define RUNNER_FRAME_MS 0.05
/* A print: formatting and writing a line is a little real work, drawn as a short span. */
#define RUNNER_PRINT_MS 0.02

/* Keeps the kernel's results alive; atomic because every task stores to it. */
static _Atomic uint64_t runner_sink;

void runner_init(struct runner *r, struct trace *tr, const struct scenario *sc, int task)
{
	memset(r, 0, sizeof *r);
	r->tr = tr;
	r->task = task;
	r->spec = &sc->tasks[task];
	r->wait = sc->wait;
	r->sc_locks = sc->locks;
	probe_init(&r->probe);
}

int runner_cancelled(const struct runner *r)
{
	return r->cancel && atomic_load_explicit(r->cancel, memory_order_relaxed) != RUNNER_GO;
}

void runner_enter(struct runner *r, enum state st, enum cause cause, int by, const char *reason)
{
	if (r->first_cause != CAUSE_NONE) {
		/* The task's first span says why it began (a pool's job: taken by a worker). */
		cause = r->first_cause;
		by = r->first_by;
		r->first_cause = CAUSE_NONE;
	}
	probe_enter(&r->probe, r->tr, r->task, st, cause, by, reason);
}

/*
 * One chunk of ITERS iterations.  Lock-bound work with a `pending` hook is
 * crunched in RUNNER_PIECES pieces and the hook's flag read after each, so
 * a request to let go is seen within a few microseconds, as CPython's eval
 * loop sees it within a few bytecodes, rather than at the chunk's end.
 */
static uint64_t crunch_chunk(struct runner *r, uint64_t iters, int lock_bound)
{
	uint64_t piece = iters / RUNNER_PIECES, sink = 0;

	if (!lock_bound || !r->hooks || !r->hooks->pending || !r->hooks->chunk || piece == 0)
		return work_crunch(iters);
	for (int k = 0; k < RUNNER_PIECES; k++) {
		sink ^= work_crunch(k + 1 < RUNNER_PIECES ? piece : iters - piece * k);
		if (r->hooks->pending(r))
			r->hooks->chunk(r, clock_now_ns());
	}
	return sink;
}

/*
 * MS ms of real computation that begins because of CAUSE; LOCK_BOUND work
 * lets the hooks see each chunk.
 */
static int compute(struct runner *r, double ms, enum cause cause, const char *reason,
		   int lock_bound)
{
	uint64_t chunks = work_chunks_for(ms);
	uint64_t iters = work_chunk_iters();
	uint64_t sink = 0;

	runner_enter(r, STATE_RUNNING, cause, -1, reason);
	for (uint64_t i = 0; i < chunks; i++) {
		if (runner_cancelled(r))
			return -ECANCELED;
		sink ^= crunch_chunk(r, iters, lock_bound);
#ifndef CONCTUI_NO_PROBES
		/* make bench builds a copy without this, to measure what it costs. */
		uint64_t now = clock_now_ns();
		probe_chunk(&r->probe, r->tr, r->task, now, reason);
#else
		uint64_t now = r->hooks ? clock_now_ns() : 0;
#endif
		if (lock_bound && r->hooks && r->hooks->chunk)
			r->hooks->chunk(r, now);
	}
	atomic_store_explicit(&runner_sink, sink, memory_order_relaxed);
	return 0;
}

/* Waits until DEADLINE (or, with UNTIL_IDLE, until no other task is live). */
static int wait_until(struct runner *r, uint64_t deadline, int until_idle)
{
	for (;;) {
		uint64_t now = clock_now_ns();
		if (runner_cancelled(r))
			return -ECANCELED;
		if (now >= deadline)
			return 0;
		if (until_idle && atomic_load(r->live) == 0)
			return 0;
		uint64_t next = now + RUNNER_WAIT_SLICE_NS;
		clock_sleep_until(next < deadline ? next : deadline);
	}
}

static void release(struct runner *r, enum step_kind why)
{
	if (r->hooks && r->hooks->release)
		r->hooks->release(r, why);
}

static void acquire(struct runner *r)
{
	if (r->hooks && r->hooks->acquire)
		r->hooks->acquire(r);
}

/*
 * A request made call by call, as a Python client makes it.  With hooks
 * (the GIL executor) each call lets go of the lock and takes it back,
 * as CPython does around every blocking socket call; without, the whole
 * request is one `io` span.
 */
static int io_request(struct runner *r, const struct step *s)
{
	char why[TRACE_REASON_MAX];
	struct latency_client c;
	int per_call = r->hooks && r->hooks->release;
	int rc = r->latency_port ? latency_client_open(&c, r->latency_port, s->ms, r->cancel)
				 : -ENOTCONN;

	if (rc != 0)
		return rc;
	for (int k = 0; rc == 0 && k < LATENCY_CALL_COUNT; k++) {
		if (k > 0 && !per_call) {
			rc = latency_client_call(&c, (enum latency_call)k);
			continue;
		}
		r->call = per_call ? latency_call_name((enum latency_call)k) : NULL;
		release(r, s->kind);
		if (per_call)
			snprintf(why, sizeof why, "%s of a %g ms request", r->call, s->ms);
		else
			snprintf(why, sizeof why, "awaiting response (%g ms)", s->ms);
		runner_enter(r, STATE_IO, CAUSE_STEP, -1, why);
		rc = latency_client_call(&c, (enum latency_call)k);
		if (rc == 0 && per_call)
			acquire(r);
	}
	if (rc == 0 && !per_call)
		acquire(r);
	r->call = NULL;
	return rc;
}

/* A wait that lets go of the lock once: a timer or a blocking call. */
static int blocking_wait(struct runner *r, const struct step *s)
{
	char why[TRACE_REASON_MAX];
	int rc;

	if (s->kind == STEP_IO)
		return io_request(r, s);
	release(r, s->kind);
	snprintf(why, sizeof why, "%s %g ms",
		 s->kind == STEP_BLOCK ? "blocking call: sleep" : "sleep", s->ms);
	runner_enter(r, STATE_SLEEP, CAUSE_STEP, -1, why);
	rc = wait_until(r, clock_now_ns() + clock_ms_to_ns(s->ms), 0);
	if (rc == 0)
		acquire(r);
	return rc;
}

/* A spinner: a frame every MS ms until no other task is live. */
static int spin(struct runner *r, double ms)
{
	char why[TRACE_REASON_MAX];

	snprintf(why, sizeof why, "spinner waits %g ms", ms);
	for (enum cause cause = CAUSE_STEP;; cause = CAUSE_TIMER) {
		int rc = compute(r, RUNNER_FRAME_MS, cause, "spinner frame", 1);
		if (rc < 0)
			return rc;
		if (!r->live || atomic_load(r->live) == 0)
			return 0;
		release(r, STEP_SPIN);
		runner_enter(r, STATE_SLEEP, CAUSE_STEP, -1, why);
		rc = wait_until(r, clock_now_ns() + clock_ms_to_ns(ms), 1);
		if (rc < 0)
			return rc;
		acquire(r);
		if (atomic_load(r->live) == 0)
			return 0;
	}
}

/* What a task does once its lock is busy: let the GIL go, record the wait. */
static void lock_wait(void *ud, int holder, const char *reason)
{
	struct runner *r = ud;

	release(r, STEP_LOCK);
	runner_enter(r, STATE_LOCK, CAUSE_LOCK_WAIT, holder, reason);
}

/* `lock NAME`: a real lock; a wait ends with a hand-off from its releaser. */
static int take_lock(struct runner *r, const struct step *s)
{
	char why[TRACE_REASON_MAX];
	int from = -1, rc;

	/* An executor whose tasks share no memory (a worker on another machine) has none. */
	if (!r->locks || s->lock < 0 || s->lock >= SCENARIO_MAX_LOCKS)
		return -ENOLCK;
	const char *name = r->sc_locks[s->lock];
	rc = locks_take(r->locks, r->task, s->lock, r->cancel, lock_wait, r, &from);
	if (rc < 0)
		return rc;
	if (from >= 0) {
		acquire(r);
		trace_edge(r->tr, from, r->task, clock_now_ns(), EDGE_LOCK);
	}
	snprintf(why, sizeof why, "took lock %s", name);
	runner_enter(r, STATE_RUNNING, from >= 0 ? CAUSE_LOCK_TAKE : CAUSE_STEP, from, why);
	return 0;
}

static int run_step(struct runner *r, const struct step *s)
{
	int rc;

	switch (s->kind) {
	case STEP_CPU:
		return compute(r, s->ms, CAUSE_STEP, "computing", 1);
	case STEP_OFFLOAD:
		return compute(r, s->ms, CAUSE_STEP, "computing (offloaded work)", 1);
	case STEP_NATIVE:
		release(r, s->kind);
		rc = compute(r, s->ms, CAUSE_STEP, "native code, GIL released", 0);
		if (rc == 0)
			acquire(r);
		return rc;
	case STEP_IO:
	case STEP_SLEEP:
	case STEP_BLOCK:
		return blocking_wait(r, s);
	case STEP_SPIN:
		return spin(r, s->ms);
	case STEP_PRINT:
		/* The line is written as the span begins; under the GIL it is held throughout. */
		runner_enter(r, STATE_RUNNING, CAUSE_STEP, -1, "print");
		trace_print(r->tr, r->task, clock_now_ns(), s->text);
		return compute(r, RUNNER_PRINT_MS, CAUSE_STEP, "print", 1);
	case STEP_CRITICAL:
		return compute(r, s->ms, CAUSE_STEP, "critical region", 1);
	case STEP_LOCK:
		return take_lock(r, s);
	case STEP_UNLOCK:
		if (!r->locks || s->lock < 0 || s->lock >= SCENARIO_MAX_LOCKS)
			return -ENOLCK;
		locks_give(r->locks, r->task, s->lock);
		return 0;
	default:
		return -EINVAL;
	}
}

/* The words for how a task ended. */
static const char *end_reason(const struct runner *r, int rc, char *buf, size_t len)
{
	if (rc == 0)
		return r->done_note[0] ? r->done_note : NULL;
	if (rc == -EDEADLK)
		return "deadlocked: waits for a lock in a cycle";
	if (rc == -ECANCELED) {
		int why = r->cancel ? atomic_load(r->cancel) : RUNNER_INTERRUPTED;
		return why == RUNNER_FIRST_DONE ? "cancelled: another task finished first"
		       : why == RUNNER_DEADLOCK ? "cancelled: a deadlock ended the run"
						: "cancelled: run interrupted";
	}
	snprintf(buf, len, "failed: %s", strerror(-rc));
	return buf;
}

int runner_canceller(_Atomic int *cancel, _Atomic int *winner)
{
	if (!cancel || !winner || atomic_load(cancel) != RUNNER_FIRST_DONE)
		return -1;
	return atomic_load(winner);
}

void runner_note_cancel(struct trace *tr, int winner, int task)
{
	struct trace_edge e = {.from = winner, .to = task, .kind = EDGE_CANCEL};

	if (winner < 0 || winner == task)
		return;
	e.t = trace_lane_end(tr, winner, 0);
	trace_append_edge(tr, &e);
}

/*
 * wait = first: the first task to end well cancels the others.  It names
 * itself the winner before it raises the flag, so that every task that
 * sees the flag also sees who raised it.
 */
static void runner_claim_win(struct runner *r)
{
	int none = -1, go = RUNNER_GO;

	if (r->winner && !atomic_compare_exchange_strong(r->winner, &none, r->task))
		return; /* another task won */
	atomic_compare_exchange_strong(r->cancel, &go, RUNNER_FIRST_DONE);
}

enum outcome runner_run(struct runner *r)
{
	char buf[TRACE_REASON_MAX];
	int rc = 0;

	if (r->hooks && r->hooks->begin)
		r->hooks->begin(r);
	for (int rep = 0; rc == 0 && rep < r->spec->repeat; rep++)
		for (int i = 0; rc == 0 && i < r->spec->nsteps; i++) {
			/* Steps are counted in the expanded list: repeats follow on. */
			trace_set_step(r->tr, r->task, rep * r->spec->nsteps + i);
			rc = runner_cancelled(r) ? -ECANCELED : run_step(r, &r->spec->steps[i]);
		}
	trace_set_step(r->tr, r->task, -1);
	if (r->hooks && r->hooks->end)
		r->hooks->end(r);

	enum outcome o = rc == 0	    ? OUTCOME_DONE
			 : rc == -ECANCELED ? OUTCOME_CANCELLED
			 : rc == -EDEADLK   ? OUTCOME_DEADLOCKED
					    : OUTCOME_FAILED;
	int by = o == OUTCOME_CANCELLED ? runner_canceller(r->cancel, r->winner) : -1;
	uint64_t end = clock_now_ns();
	probe_stop(&r->probe, r->tr, r->task, end);
	trace_finish(r->tr, r->task, end, o, by, end_reason(r, rc, buf, sizeof buf));
	runner_note_cancel(r->tr, by, r->task);
	if (o == OUTCOME_DONE && r->wait == WAIT_FIRST && r->cancel)
		runner_claim_win(r);
	if (r->live && !scenario_task_has_step(r->spec, STEP_SPIN))
		atomic_fetch_sub(r->live, 1);
	return o;
}

int runner_live_tasks(const struct scenario *sc)
{
	int n = 0;

	for (int i = 0; i < sc->ntasks; i++)
		n += !scenario_task_has_step(&sc->tasks[i], STEP_SPIN);
	return n;
}
