/*
 * exec_threads.c -- one POSIX thread per task, the third of seed 000's
 * pictures.  `threads` lets the OS spread them over every core (truly
 * parallel).  `threads-1core` pins them all to one core, so the OS must
 * time-slice them (pseudo-parallel); the runner's probe sees each slice it
 * loses as a gap between two chunks and records it as `ready`.
 */
#include "executor.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "meter.h"
#include "runner.h"

/*
 * The runner needs only a few KiB of stack; the default 8 MiB would make
 * ten thousand threads (c10k) reserve 80 GiB of address space.
 */
#define THREADS_STACK_BYTES (256 * 1024)
/* How long to wait for the last threads to be scheduled before measuring. */
#define THREADS_SETTLE_NS (200 * CLOCK_NS_PER_MS)

struct threads_run {
	struct exec_ctx *ctx;
	struct runner *runners; /* one per task; a thread's argument */
	pthread_t *threads;
	_Atomic int live;    /* the runners' shared count of live tasks */
	_Atomic int winner;  /* wait = first: the task that won, -1 */
	_Atomic int started; /* threads that have begun to run */
};

static void *thread_main(void *arg)
{
	struct runner *r = arg;
	struct threads_run *tr = r->ud;

	atomic_fetch_add(&tr->started, 1);
	runner_run(r);
	return NULL;
}

/* Core 0 if we may use it, else the first core the process is allowed on. */
static int first_allowed_core(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof set, &set) == 0)
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &set))
				return c;
	return 0;
}

static int make_attr(pthread_attr_t *attr, int pin)
{
	int rc = pthread_attr_init(attr);

	if (rc == 0)
		rc = pthread_attr_setstacksize(attr, THREADS_STACK_BYTES);
	if (rc == 0 && pin >= 0) {
		/* Bound from its first instruction, so no slice runs elsewhere. */
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(pin, &set);
		rc = pthread_attr_setaffinity_np(attr, sizeof set, &set);
	}
	return rc;
}

/* Creation failed at task I: stop the started ones, say which limit hit. */
static void abandon(struct threads_run *t, int i, int rc)
{
	struct exec_ctx *ctx = t->ctx;
	int n = ctx->sc->ntasks;

	atomic_store(ctx->cancel, RUNNER_INTERRUPTED);
	for (int k = 0; k < i; k++)
		pthread_join(t->threads[k], NULL);
	for (int k = i; k < n; k++)
		trace_finish(ctx->tr, k, clock_now_ns(), OUTCOME_CANCELLED, -1,
			     "not started: no thread for it");
	snprintf(ctx->err, sizeof ctx->err, "cannot start thread %d of %d: %s%s", i + 1, n,
		 strerror(rc),
		 rc == EAGAIN ? " (the thread limit, ulimit -u / kernel.threads-max)" : "");
}

/* Once every thread runs (or after a short wait): memory per thread, by the one meter. */
static void measure_memory(struct threads_run *t, const struct meter *m)
{
	int n = t->ctx->sc->ntasks;
	uint64_t give_up = clock_now_ns() + THREADS_SETTLE_NS;

	while (atomic_load(&t->started) < n && clock_now_ns() < give_up)
		clock_sleep_until(clock_now_ns() + CLOCK_NS_PER_MS);
	t->ctx->tr->meta.bytes_per_task = meter_per_task(m, n);
}

static int start_all(struct threads_run *t, pthread_attr_t *attr)
{
	struct exec_ctx *ctx = t->ctx;

	for (int i = 0; i < ctx->sc->ntasks; i++) {
		struct runner *r = &t->runners[i];
		runner_init(r, ctx->tr, ctx->sc, i);
		r->latency_port = ctx->latency_port;
		r->cancel = ctx->cancel;
		r->locks = ctx->locks;
		r->winner = &t->winner;
		r->live = &t->live;
		r->ud = t;
		/* Written before the thread exists: the lane is still ours. */
		trace_enter(ctx->tr, i, clock_now_ns(), STATE_READY, -1, CAUSE_START, -1,
			    "thread starting");
		int rc = pthread_create(&t->threads[i], attr, thread_main, r);
		if (rc != 0) {
			abandon(t, i, rc);
			return -1;
		}
	}
	return 0;
}

static int threads_go(struct exec_ctx *ctx, int pin)
{
	struct threads_run t = {.ctx = ctx};
	pthread_attr_t attr;
	int n = ctx->sc->ntasks, rc = 0;

	atomic_init(&t.live, runner_live_tasks(ctx->sc));
	atomic_init(&t.started, 0);
	atomic_init(&t.winner, -1);
	t.runners = calloc((size_t)n, sizeof *t.runners);
	t.threads = calloc((size_t)n, sizeof *t.threads);
	if (!t.runners || !t.threads || (rc = make_attr(&attr, pin)) != 0) {
		snprintf(ctx->err, sizeof ctx->err, "cannot set up %d threads: %s", n,
			 t.runners && t.threads ? strerror(rc) : "out of memory");
		free(t.runners);
		free(t.threads);
		return -1;
	}
	struct meter m;
	meter_start(&m, ctx->tr);
	rc = start_all(&t, &attr);
	if (rc == 0) {
		measure_memory(&t, &m);
		for (int i = 0; i < n; i++)
			pthread_join(t.threads[i], NULL);
	}
	pthread_attr_destroy(&attr);
	free(t.runners);
	free(t.threads);
	return rc;
}

static int threads_run(struct exec_ctx *ctx)
{
	return threads_go(ctx, -1);
}

static int threads_1core_run(struct exec_ctx *ctx)
{
	return threads_go(ctx, first_allowed_core());
}

const struct executor exec_threads = {
    .name = "threads",
    .model = MODEL_PARALLEL,
    .summary = "one pthread per task, on every core",
    .unit = EXEC_UNIT_THREAD,
    .at_once = EXEC_AT_ONCE_ALL,
    .unit_per_task = true,
    .multicore = true,
    .run = threads_run,
};

const struct executor exec_threads_1core = {
    .name = "threads-1core",
    .model = MODEL_PSEUDO,
    .summary = "one pthread per task, all pinned to one core: the OS time-slices them",
    .unit = EXEC_UNIT_THREAD,
    .at_once = EXEC_AT_ONCE_ALL,
    .unit_per_task = true,
    .run = threads_1core_run,
};
