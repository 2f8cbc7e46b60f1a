/*
 * exec_pool.c -- seed 004's homegrown process pool: N worker processes take
 * jobs from one queue and put results on another; one poison pill per
 * worker ends it.
 *
 * The queues are pipes.  The job queue carries job numbers (one int, and a
 * write or read of at most PIPE_BUF bytes is atomic, so workers never split
 * one), then N pills (-1).  The result queue carries one struct per job.
 *
 * Each job is a task in the trace.  Its lane shows it `ready` ("queued for
 * a worker") from t = 0 until a worker takes it -- the parent writes that
 * span before any worker exists, and from then on the lane is the worker's.
 * A job with a `cpu` step also does seed 004's real work: the worker checks
 * one number below 2^35 for primality and reports it on the result queue.
 * What the workers did as workers (jobs run, time waiting for a job, how
 * they ended) is kept in shared memory: exec_pool_last_report().
 */
#include "executor.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "clock.h"
#include "runner.h"
#include "work.h"

#define POOL_PILL (-1)
/* How long the parent sleeps on the result queue between looks around. */
#define POOL_POLL_MS 5

/* Seed 004 checks 20 numbers; these are below 2^35, primes and not. */
static const uint64_t pool_numbers[] = {
    2,		 34359738337, 3333333323,  3333333333,	4444444429,  4444444444,  5555555519,
    5555555555,	 6666666661,  6666666666,  7777777741,	7777777777,  9999999967,  9999999999,
    11111111059, 22222222189, 33333333329, 33333333333, 34359441769, 34358700317,
};
#define POOL_NNUMBERS ((int)(sizeof pool_numbers / sizeof pool_numbers[0]))

/* One worker's figures, written by the worker, read by the parent. */
struct pool_worker {
	_Atomic int job;	    /* the job it runs, -1 between jobs */
	_Atomic int jobs;	    /* jobs it finished */
	_Atomic int pill;	    /* 1 once it took its poison pill */
	_Atomic uint64_t waited_ns; /* blocked on the job queue */
};

struct pool_shared {
	_Atomic int cancel;	/* enum runner_cancel, the runners' flag */
	_Atomic int winner;	/* wait = first: the job that won, -1 */
	_Atomic int live;	/* non-spinner jobs not yet ended */
	struct pool_worker w[]; /* one per worker */
};

/* One message on the result queue. */
struct pool_result {
	int32_t job;
	int32_t worker;
	int32_t checked; /* 1 if the job checked a number */
	int32_t prime;
	uint64_t number;
};

struct pool {
	struct exec_ctx *ctx;
	struct pool_shared *sh; /* MAP_SHARED */
	size_t sh_size;
	int nworkers;
	pid_t *pid; /* per worker; 0 once reaped */
	int alive;  /* workers not yet reaped */
	pid_t parent;
	int job_r, job_w;	/* the job queue */
	int res_r, res_w;	/* the result queue */
	int fed;		/* items written to the job queue so far */
	struct child_stop stop; /* escalation after an interrupt */
	struct exec_pool_report rep;
};

/* Each job's state inside its worker, for the runner's end hook. */
struct pool_job {
	int check; /* the job has a cpu step */
	struct pool_result res;
};

/* The last run's report; only the controller thread writes it. */
static struct exec_pool_report pool_last;

void exec_pool_last_report(struct exec_pool_report *out)
{
	*out = pool_last;
}

/* ---- the worker side ---- */

/*
 * A worker starts with the parent's signal handlers (libuv's write to the
 * UI's loop) and descriptors; it keeps its two queue ends only.  Ctrl-C
 * reaches the whole foreground group: the parent turns it into a
 * cooperative cancel, so the worker ignores it.
 */
static int worker_tie(struct pool *p)
{
	int keep[2] = {p->job_r, p->res_w};

	return child_tie(p->parent, keep, 2);
}

/*
 * The runner's end hook: seed 004's check(n), on the job's lane; then who
 * ran the job and its answer, the reason of its last span if it ends done.
 */
static void check_number(struct runner *r)
{
	struct pool_job *j = r->ud;
	char why[TRACE_REASON_MAX];

	if (j->check && !runner_cancelled(r)) {
		snprintf(why, sizeof why, "is_prime(%" PRIu64 ")", j->res.number);
		runner_enter(r, STATE_RUNNING, CAUSE_STEP, -1, why);
		j->res.prime = work_is_prime(j->res.number);
		j->res.checked = 1;
	}
	if (j->res.checked)
		snprintf(r->done_note, sizeof r->done_note, "worker %d: is_prime(%" PRIu64 ") = %s",
			 j->res.worker + 1, j->res.number, j->res.prime ? "True" : "False");
	else
		snprintf(r->done_note, sizeof r->done_note, "worker %d", j->res.worker + 1);
}

static const struct runner_hooks pool_hooks = {.end = check_number};

/*
 * Worker W runs JOB, taken after job PREV (-1: its first): the hand-off is
 * an edge `job`, and the job's first span begins because of it.
 */
static void run_job(struct pool *p, int w, int job, int prev)
{
	struct exec_ctx *ctx = p->ctx;
	struct pool_job j = {.check = scenario_task_has_step(&ctx->sc->tasks[job], STEP_CPU)};
	struct runner r;

	j.res = (struct pool_result){
	    .job = job, .worker = w, .number = pool_numbers[job % POOL_NNUMBERS]};
	runner_init(&r, ctx->tr, ctx->sc, job);
	r.latency_port = ctx->latency_port;
	r.cancel = &p->sh->cancel;
	r.locks = p->ctx->locks;
	r.winner = &p->sh->winner;
	r.live = &p->sh->live;
	r.hooks = &pool_hooks;
	r.ud = &j;
	r.first_cause = CAUSE_JOB;
	r.first_by = prev;
	trace_edge(ctx->tr, prev, job, clock_now_ns(), EDGE_JOB);
	runner_run(&r);
	/* results.put(): one message, atomic on the pipe. */
	while (write(p->res_w, &j.res, sizeof j.res) < 0 && errno == EINTR)
		;
}

/* Blocking jobs.get(); the time it blocks is the worker's wait for a job. */
static int take_job(struct pool *p, int w)
{
	uint64_t t0 = clock_now_ns();
	int32_t job;
	ssize_t n;

	while ((n = read(p->job_r, &job, sizeof job)) < 0 && errno == EINTR)
		;
	atomic_fetch_add(&p->sh->w[w].waited_ns, clock_now_ns() - t0);
	return n == (ssize_t)sizeof job ? job : -2;
}

static _Noreturn void worker_main(struct pool *p, int w)
{
	struct pool_worker *me = &p->sh->w[w];
	int prev = -1; /* the job this worker ran last */

	if (worker_tie(p) < 0)
		_exit(1);
	for (;;) {
		int job = take_job(p, w);
		if (job == POOL_PILL) {
			atomic_store(&me->pill, 1);
			_exit(0);
		}
		if (job < 0 || job >= p->ctx->sc->ntasks)
			_exit(2); /* the queue broke */
		atomic_store(&me->job, job);
		run_job(p, w, job, prev);
		prev = job;
		atomic_store(&me->job, -1);
		atomic_fetch_add(&me->jobs, 1);
	}
}

/* ---- the parent side ---- */

/* Writes what fits of the queue: the jobs in order, then one pill per worker. */
static void feed(struct pool *p)
{
	int n = p->ctx->sc->ntasks, total = n + p->nworkers;
	int32_t buf[PIPE_BUF / sizeof(int32_t)];

	while (p->fed < total) {
		int k = 0;
		for (; k < (int)(sizeof buf / sizeof buf[0]) && p->fed + k < total; k++)
			buf[k] = p->fed + k < n ? p->fed + k : POOL_PILL;
		/* At most PIPE_BUF bytes: all of it or nothing (EAGAIN, full). */
		ssize_t put = write(p->job_w, buf, (size_t)k * sizeof buf[0]);
		if (put <= 0)
			return;
		p->fed += (int)(put / (ssize_t)sizeof buf[0]);
	}
}

/* results.get(), for as many as have come. */
static void collect(struct pool *p)
{
	struct pool_result res;

	while (read(p->res_r, &res, sizeof res) == (ssize_t)sizeof res) {
		p->rep.results++;
		p->rep.primes += res.checked && res.prime;
	}
}

/* A worker ended: by its pill, or by dying -- then its job died with it. */
static void worker_ended(struct pool *p, int w, int status)
{
	struct trace *tr = p->ctx->tr;
	int job = atomic_load(&p->sh->w[w].job);
	char why[TRACE_REASON_MAX];

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && atomic_load(&p->sh->w[w].pill)) {
		p->rep.pills++;
		return;
	}
	p->rep.died++;
	if (job < 0 || trace_outcome(tr, job) != OUTCOME_NONE)
		return;
	if (WIFSIGNALED(status)) {
		const char *name = sigabbrev_np(WTERMSIG(status));
		snprintf(why, sizeof why, "killed by SIG%s", name ? name : "?");
	} else {
		snprintf(why, sizeof why, "failed: exit status %d", WEXITSTATUS(status));
	}
	trace_finish(tr, job, clock_now_ns(), WIFSIGNALED(status) ? OUTCOME_KILLED : OUTCOME_FAILED,
		     -1, why);
	if (!scenario_task_has_step(&p->ctx->sc->tasks[job], STEP_SPIN))
		atomic_fetch_sub(&p->sh->live, 1);
}

static void reap(struct pool *p)
{
	for (int w = 0; w < p->nworkers; w++) {
		int status = 0;
		if (p->pid[w] <= 0)
			continue;
		pid_t r = waitpid(p->pid[w], &status, WNOHANG);
		if (r == 0 || (r < 0 && errno == EINTR))
			continue;
		p->pid[w] = 0; /* ECHILD: reaped elsewhere, status unknown */
		p->alive--;
		worker_ended(p, w, r > 0 ? status : 0);
	}
}

/* Passes the run's cancel flag on; after an interrupt, escalates. */
static void pass_cancel(struct pool *p)
{
	int sig = child_pass_cancel(p->ctx->cancel, &p->sh->cancel, &p->stop, clock_now_ns());

	for (int w = 0; sig && w < p->nworkers; w++)
		if (p->pid[w] > 0)
			kill(p->pid[w], sig);
}

static void wait_all(struct pool *p)
{
	for (;;) {
		pass_cancel(p);
		feed(p);
		collect(p);
		reap(p);
		if (p->alive == 0)
			return;
		struct pollfd pfd = {.fd = p->res_r, .events = POLLIN};
		poll(&pfd, 1, POOL_POLL_MS);
	}
}

/* Once no worker is left: jobs nobody took (or whose taker vanished). */
static void finish_leftovers(struct pool *p)
{
	int why = p->sh != MAP_FAILED ? atomic_load(&p->sh->cancel) : atomic_load(p->ctx->cancel);
	const char *reason = why == RUNNER_FIRST_DONE	 ? "cancelled: another task finished first"
			     : why == RUNNER_INTERRUPTED ? "cancelled: run interrupted"
							 : "cancelled: worker died";

	int by = p->sh != MAP_FAILED ? runner_canceller(&p->sh->cancel, &p->sh->winner) : -1;

	for (int i = 0; i < p->ctx->sc->ntasks; i++)
		if (trace_outcome(p->ctx->tr, i) == OUTCOME_NONE) {
			trace_finish(p->ctx->tr, i, clock_now_ns(), OUTCOME_CANCELLED, by, reason);
			runner_note_cancel(p->ctx->tr, by, i);
		}
}
static int start_workers(struct pool *p)
{
	struct exec_ctx *ctx = p->ctx;

	for (int w = 0; w < p->nworkers; w++) {
		pid_t pid = fork();
		if (pid == 0)
			worker_main(p, w);
		if (pid < 0) {
			int e = errno;
			snprintf(ctx->err, sizeof ctx->err, "cannot start worker %d of %d: %s%s",
				 w + 1, p->nworkers, strerror(e), child_fork_hint(e));
			atomic_store(ctx->cancel, RUNNER_INTERRUPTED);
			return -1;
		}
		p->pid[w] = pid;
		p->alive++;
		p->rep.workers++;
	}
	return 0;
}

static int pool_setup(struct pool *p, struct exec_ctx *ctx)
{
	int job[2], res[2];

	p->nworkers = ctx->workers > 0 ? ctx->workers : 1;
	p->sh_size = sizeof *p->sh + (size_t)p->nworkers * sizeof p->sh->w[0];
	p->sh = mmap(NULL, p->sh_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	p->pid = calloc((size_t)p->nworkers, sizeof *p->pid);
	if (p->sh == MAP_FAILED || !p->pid || pipe2(job, O_CLOEXEC) < 0) {
		snprintf(ctx->err, sizeof ctx->err, "cannot set up a pool of %d: %s", p->nworkers,
			 strerror(errno));
		return -1;
	}
	p->job_r = job[0], p->job_w = job[1];
	if (pipe2(res, O_CLOEXEC) < 0) {
		snprintf(ctx->err, sizeof ctx->err, "cannot set up a pool: %s", strerror(errno));
		return -1;
	}
	p->res_r = res[0], p->res_w = res[1];
	/* The parent never blocks: a full queue is fed again on the next look. */
	fcntl(p->job_w, F_SETFL, O_NONBLOCK);
	fcntl(p->res_r, F_SETFL, O_NONBLOCK);
	atomic_init(&p->sh->cancel, RUNNER_GO);
	atomic_init(&p->sh->winner, -1);
	atomic_init(&p->sh->live, runner_live_tasks(ctx->sc));
	for (int w = 0; w < p->nworkers; w++)
		atomic_init(&p->sh->w[w].job, -1);
	return 0;
}

static void pool_teardown(struct pool *p)
{
	int fds[] = {p->job_r, p->job_w, p->res_r, p->res_w};

	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (p->sh && p->sh != MAP_FAILED) {
		for (int w = 0; w < p->rep.workers; w++) {
			p->rep.jobs += atomic_load(&p->sh->w[w].jobs);
			p->rep.waited_ms += clock_ns_to_ms(atomic_load(&p->sh->w[w].waited_ns));
		}
		munmap(p->sh, p->sh_size);
	}
	free(p->pid);
	pool_last = p->rep;
}

static int pool_run(struct exec_ctx *ctx)
{
	struct pool p = {
	    .ctx = ctx, .parent = getpid(), .job_r = -1, .job_w = -1, .res_r = -1, .res_w = -1};
	int rc = pool_setup(&p, ctx);

	if (rc == 0) {
		/* Every job is queued from the start; its lane is ours until fork. */
		uint64_t now = clock_now_ns();
		for (int i = 0; i < ctx->sc->ntasks; i++)
			trace_enter(ctx->tr, i, now, STATE_READY, -1, CAUSE_START, -1,
				    "queued for a worker");
		feed(&p);
		rc = start_workers(&p);
		wait_all(&p);
		collect(&p);
	}
	finish_leftovers(&p);
	pool_teardown(&p);
	return rc;
}

const struct executor exec_pool = {
    .name = "pool",
    .model = MODEL_PARALLEL,
    .summary = "N worker processes take jobs from a queue; a poison pill ends each",
    .flags = EXECUTOR_SHARED,
    .unit = EXEC_UNIT_PROCESS,
    .at_once = EXEC_AT_ONCE_WORKERS,
    .multicore = true,
    .python = "multiprocessing.Pool",
    .run = pool_run,
};
