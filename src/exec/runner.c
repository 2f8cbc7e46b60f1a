/*
 * runner.c -- one task's steps as plain blocking code, with probes.
 */
#include "runner.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "latency.h"
#include "work.h"

/*
 * A chunk whose wall time exceeds the thread's CPU time by this much lost
 * the CPU: the OS ran something else meanwhile.  The difference is exactly
 * the time off the CPU, so short slices count too (a task that resumes
 * only to finish); interrupts cost microseconds.
 */
#define RUNNER_PREEMPT_NS 20000ull
/* Waits are sliced so that cancellation is seen within this time. */
#define RUNNER_WAIT_SLICE_NS (5 * CLOCK_NS_PER_MS)
/* One spinner frame: a little real drawing work. */
#define RUNNER_FRAME_MS 0.05

/* Keeps the kernel's results alive; atomic because every task stores to it. */
static _Atomic uint64_t runner_sink;

static int current_cpu(void)
{
	int c = sched_getcpu();

	return c < 0 ? 0 : c;
}

/* CPU time of the calling thread: it stands still while the OS runs others. */
static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void runner_init(struct runner *r, struct trace *tr, const struct scenario *sc, int task)
{
	memset(r, 0, sizeof *r);
	r->tr = tr;
	r->task = task;
	r->spec = &sc->tasks[task];
	r->wait = sc->wait;
	r->cpu = -1;
}

int runner_cancelled(const struct runner *r)
{
	return r->cancel && atomic_load_explicit(r->cancel, memory_order_relaxed) != RUNNER_GO;
}

/*
 * Shows the time since the last reading as `ready` if the thread spent it
 * off the CPU.  Just when it was off is not known, so all of it is shown
 * ready: running is only claimed at instants the task itself saw the
 * clock, and two tasks on one core never show as running at once.
 */
static int note_off_cpu(struct runner *r, uint64_t now)
{
	uint64_t wall = now - r->last_ns;
	int off = 0;

	if (r->quick_ns && wall <= r->quick_ns + RUNNER_PREEMPT_NS) {
		/*
		 * No slower than the fastest chunk: it cannot hide a preemption,
		 * so spare the system call (it would cost ~0.6% of every chunk).
		 */
		r->last_cpu_ns += wall;
		if (wall < r->quick_ns)
			r->quick_ns = wall;
	} else {
		uint64_t cpu_ns = thread_cpu_ns();
		/* The estimate above may run ahead of the kernel's count by noise. */
		uint64_t used = cpu_ns > r->last_cpu_ns ? cpu_ns - r->last_cpu_ns : 0;
		off = wall > used + RUNNER_PREEMPT_NS;
		if (!off && (!r->quick_ns || wall < r->quick_ns))
			r->quick_ns = wall;
		r->last_cpu_ns = cpu_ns;
	}
	if (off)
		trace_enter(r->tr, r->task, r->last_ns, STATE_READY, -1, "preempted by the OS");
	r->last_ns = now;
	return off;
}

void runner_enter(struct runner *r, enum state st, const char *reason)
{
	uint64_t now = clock_now_ns();

	if (r->cpu >= 0) /* leaving a running span: was it cut short? */
		note_off_cpu(r, now);
	r->cpu = st == STATE_RUNNING ? current_cpu() : -1;
	r->last_ns = now;
	r->last_cpu_ns = thread_cpu_ns();
	trace_enter(r->tr, r->task, now, st, r->cpu, reason);
}

/* The probe at a chunk boundary: preemption and migration become spans. */
#ifndef CONCTUI_NO_PROBES
static void probe_chunk(struct runner *r, uint64_t now, const char *reason)
{
	int cpu = current_cpu();

	if (note_off_cpu(r, now) || cpu != r->cpu) {
		trace_enter(r->tr, r->task, now, STATE_RUNNING, cpu, reason);
		r->cpu = cpu;
	}
}
#endif

/* MS ms of real computation; LOCK_BOUND work lets the hooks see each chunk. */
static int compute(struct runner *r, double ms, const char *reason, int lock_bound)
{
	uint64_t chunks = work_chunks_for(ms);
	uint64_t iters = work_chunk_iters();
	uint64_t sink = 0;

	runner_enter(r, STATE_RUNNING, reason);
	for (uint64_t i = 0; i < chunks; i++) {
		if (runner_cancelled(r))
			return -ECANCELED;
		sink ^= work_crunch(iters);
#ifndef CONCTUI_NO_PROBES
		/* make bench builds a copy without this, to measure what it costs. */
		uint64_t now = clock_now_ns();
		probe_chunk(r, now, reason);
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

/* A wait that lets go of the lock: a timer, a blocking call, a request. */
static int blocking_wait(struct runner *r, const struct step *s)
{
	char why[TRACE_REASON_MAX];
	int rc;

	release(r, s->kind);
	if (s->kind == STEP_IO) {
		snprintf(why, sizeof why, "awaiting response (%g ms)", s->ms);
		runner_enter(r, STATE_IO, why);
		rc = r->latency_port ? latency_request(r->latency_port, s->ms, r->cancel)
				     : -ENOTCONN;
	} else {
		snprintf(why, sizeof why, "%s %g ms",
			 s->kind == STEP_BLOCK ? "blocking call: sleep" : "sleep", s->ms);
		runner_enter(r, STATE_SLEEP, why);
		rc = wait_until(r, clock_now_ns() + clock_ms_to_ns(s->ms), 0);
	}
	if (rc == 0)
		acquire(r);
	return rc;
}

/* A spinner: a frame every MS ms until no other task is live. */
static int spin(struct runner *r, double ms)
{
	char why[TRACE_REASON_MAX];

	snprintf(why, sizeof why, "spinner waits %g ms", ms);
	for (;;) {
		int rc = compute(r, RUNNER_FRAME_MS, "spinner frame", 1);
		if (rc < 0)
			return rc;
		if (!r->live || atomic_load(r->live) == 0)
			return 0;
		release(r, STEP_SPIN);
		runner_enter(r, STATE_SLEEP, why);
		rc = wait_until(r, clock_now_ns() + clock_ms_to_ns(ms), 1);
		if (rc < 0)
			return rc;
		acquire(r);
		if (atomic_load(r->live) == 0)
			return 0;
	}
}

static int run_step(struct runner *r, const struct step *s)
{
	int rc;

	switch (s->kind) {
	case STEP_CPU:
		return compute(r, s->ms, "computing", 1);
	case STEP_OFFLOAD:
		return compute(r, s->ms, "computing (offloaded work)", 1);
	case STEP_NATIVE:
		release(r, s->kind);
		rc = compute(r, s->ms, "native code, GIL released", 0);
		if (rc == 0)
			acquire(r);
		return rc;
	case STEP_IO:
	case STEP_SLEEP:
	case STEP_BLOCK:
		return blocking_wait(r, s);
	case STEP_SPIN:
		return spin(r, s->ms);
	default:
		return -EINVAL;
	}
}

/* The words for how a task ended. */
static const char *end_reason(const struct runner *r, int rc, char *buf, size_t len)
{
	if (rc == 0)
		return NULL;
	if (rc == -ECANCELED) {
		int why = r->cancel ? atomic_load(r->cancel) : RUNNER_INTERRUPTED;
		return why == RUNNER_FIRST_DONE ? "cancelled: another task finished first"
						: "cancelled: run interrupted";
	}
	snprintf(buf, len, "failed: %s", strerror(-rc));
	return buf;
}

enum outcome runner_run(struct runner *r)
{
	char buf[TRACE_REASON_MAX];
	int rc = 0;

	if (r->hooks && r->hooks->begin)
		r->hooks->begin(r);
	for (int rep = 0; rc == 0 && rep < r->spec->repeat; rep++)
		for (int i = 0; rc == 0 && i < r->spec->nsteps; i++)
			rc = runner_cancelled(r) ? -ECANCELED : run_step(r, &r->spec->steps[i]);
	if (r->hooks && r->hooks->end)
		r->hooks->end(r);

	enum outcome o = rc == 0	    ? OUTCOME_DONE
			 : rc == -ECANCELED ? OUTCOME_CANCELLED
					    : OUTCOME_FAILED;
	uint64_t end = clock_now_ns();
	if (r->cpu >= 0)
		note_off_cpu(r, end);
	trace_finish(r->tr, r->task, end, o, end_reason(r, rc, buf, sizeof buf));
	if (o == OUTCOME_DONE && r->wait == WAIT_FIRST && r->cancel) {
		int go = RUNNER_GO;
		atomic_compare_exchange_strong(r->cancel, &go, RUNNER_FIRST_DONE);
	}
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
