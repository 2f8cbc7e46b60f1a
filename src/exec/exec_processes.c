/*
 * exec_processes.c -- one fork()ed process per task, as Python's
 * multiprocessing starts them: truly parallel, each with its own memory.
 *
 * The children write their spans into the MAP_SHARED trace; the two flags
 * the runners share (cancel, live) sit in a small MAP_SHARED block beside
 * it.  The parent only waits: it passes an interrupt on (politely, then
 * SIGTERM, then SIGKILL), and records what no child can record itself --
 * that it died.  Every child joins one process group, anchored by a child
 * that only sleeps, so that waitpid(-group) reaps ours and nobody else's
 * (the latency server is a child too) and one kill() reaches them all.
 */
#include "executor.h"

#include <errno.h>
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

/* How often the parent looks at its children and at the cancel flag. */
#define PROCS_POLL_NS (5 * CLOCK_NS_PER_MS)

/* What the parent and every child share. */
struct procs_shared {
	_Atomic int cancel; /* enum runner_cancel, the runners' flag */
	_Atomic int winner; /* wait = first: the task that won, -1 */
	_Atomic int live;   /* non-spinner tasks not yet ended */
};

struct procs {
	struct exec_ctx *ctx;
	struct procs_shared *sh; /* MAP_SHARED */
	pid_t group;		 /* the anchor's pid: our process group */
	int anchor_alive;	 /* the anchor not yet reaped */
	pid_t parent;
	int alive;	 /* children forked and not yet reaped */
	pid_t *slot_pid; /* open addressing: pid -> task */
	int *slot_task;
	unsigned mask;		/* slots - 1 */
	struct child_stop stop; /* escalation after an interrupt */
};

static unsigned slot_of(const struct procs *p, pid_t pid)
{
	unsigned i = ((unsigned)pid * 2654435761u) & p->mask;

	while (p->slot_pid[i] != 0 && p->slot_pid[i] != pid)
		i = (i + 1) & p->mask;
	return i;
}

static void remember(struct procs *p, pid_t pid, int task)
{
	unsigned i = slot_of(p, pid);

	p->slot_pid[i] = pid;
	p->slot_task[i] = task;
}

static int task_of(const struct procs *p, pid_t pid)
{
	unsigned i = slot_of(p, pid);

	return p->slot_pid[i] == pid ? p->slot_task[i] : -1;
}
/* The group's anchor: a child that sleeps until the run kills it. */
static pid_t start_anchor(pid_t parent)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (child_tie(parent, NULL, 0) < 0 || setpgid(0, 0) < 0)
			_exit(1);
		for (;;)
			pause();
	}
	if (pid > 0 && setpgid(pid, pid) < 0 && errno != EACCES) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

static _Noreturn void child_main(struct procs *p, int task)
{
	struct runner r;

	if (child_tie(p->parent, NULL, 0) < 0 || setpgid(0, p->group) < 0)
		_exit(1);
	runner_init(&r, p->ctx->tr, p->ctx->sc, task);
	r.latency_port = p->ctx->latency_port;
	r.cancel = &p->sh->cancel;
	r.locks = p->ctx->locks;
	r.winner = &p->sh->winner;
	r.live = &p->sh->live;
	runner_run(&r);
	_exit(0);
}

/* Called by whoever sees a child end: says how, unless it said so itself. */
static void record_death(struct procs *p, int task, int status)
{
	struct trace *tr = p->ctx->tr;
	char why[TRACE_REASON_MAX];
	enum outcome o = OUTCOME_FAILED;

	if (trace_outcome(tr, task) != OUTCOME_NONE)
		return;
	if (WIFSIGNALED(status)) {
		const char *name = sigabbrev_np(WTERMSIG(status));
		o = OUTCOME_KILLED;
		if (name)
			snprintf(why, sizeof why, "killed by SIG%s", name);
		else
			snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(status));
	} else {
		snprintf(why, sizeof why, "failed: exit status %d", WEXITSTATUS(status));
	}
	trace_finish(tr, task, clock_now_ns(), o, -1, why);
	/* The runner could not count it out; a spinner must not wait for it. */
	if (!scenario_task_has_step(&p->ctx->sc->tasks[task], STEP_SPIN))
		atomic_fetch_sub(&p->sh->live, 1);
}

/* Reaps every child of the group that has ended. */
static void reap(struct procs *p)
{
	int status;
	pid_t pid;

	while (p->alive > 0) {
		pid = waitpid(-p->group, &status, WNOHANG);
		if (pid == 0 || (pid < 0 && errno == EINTR))
			return;
		if (pid < 0) {
			p->alive = 0; /* ECHILD: someone else reaped them */
			return;
		}
		if (pid == p->group) {
			p->anchor_alive = 0; /* the group lives on while it has members */
			continue;
		}
		int task = task_of(p, pid);
		p->alive--;
		if (task >= 0)
			record_death(p, task, status);
	}
}

/* Passes the run's cancel flag on; after an interrupt, escalates. */
static void pass_cancel(struct procs *p)
{
	int sig = child_pass_cancel(p->ctx->cancel, &p->sh->cancel, &p->stop, clock_now_ns());

	if (sig)
		kill(-p->group, sig);
}

static void wait_all(struct procs *p)
{
	for (;;) {
		pass_cancel(p);
		reap(p);
		if (p->alive == 0)
			return;
		clock_sleep_until(clock_now_ns() + PROCS_POLL_NS);
	}
}
/* Ends the lanes of tasks that never got a process (cancelled by a winner, if any). */
static void never_started(struct procs *p, int from, const char *why)
{
	int by =
	    p->sh && p->sh != MAP_FAILED ? runner_canceller(&p->sh->cancel, &p->sh->winner) : -1;

	for (int i = from; i < p->ctx->sc->ntasks; i++)
		if (trace_outcome(p->ctx->tr, i) == OUTCOME_NONE) {
			trace_finish(p->ctx->tr, i, clock_now_ns(), OUTCOME_CANCELLED, by, why);
			runner_note_cancel(p->ctx->tr, by, i);
		}
}

/* Forks the child of TASK; 0, or -1 with errno. */
static int start_child(struct procs *p, int task)
{
	/* Written before the fork: the lane is the child's from then on. */
	trace_enter(p->ctx->tr, task, clock_now_ns(), STATE_READY, -1, CAUSE_START, -1,
		    "process starting");
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		child_main(p, task);
	p->alive++;
	remember(p, pid, task);
	if (setpgid(pid, p->group) < 0 && errno != EACCES) {
		/* The group is gone (its anchor was killed): we could not reap it. */
		int status, e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		p->alive--;
		record_death(p, task, status);
		errno = e;
		return -1;
	}
	return 0;
}

static int start_all(struct procs *p)
{
	struct exec_ctx *ctx = p->ctx;
	int n = ctx->sc->ntasks;

	for (int i = 0; i < n; i++) {
		int why = atomic_load(&p->sh->cancel);
		if (why == RUNNER_GO)
			why = atomic_load(ctx->cancel);
		if (why != RUNNER_GO) {
			never_started(p, i,
				      why == RUNNER_FIRST_DONE
					  ? "cancelled: another task finished first"
					  : "cancelled: run interrupted");
			return 0;
		}
		if (start_child(p, i) < 0) {
			int e = errno;
			never_started(p, i, "not started: no process for it");
			snprintf(ctx->err, sizeof ctx->err, "cannot start process %d of %d: %s%s",
				 i + 1, n, strerror(e), child_fork_hint(e));
			atomic_store(ctx->cancel, RUNNER_INTERRUPTED);
			return -1;
		}
		reap(p); /* short tasks end while later ones start */
	}
	return 0;
}

static int procs_setup(struct procs *p, struct exec_ctx *ctx)
{
	unsigned slots = 16;

	while (slots < 2u * (unsigned)ctx->sc->ntasks)
		slots *= 2;
	p->ctx = ctx;
	p->parent = getpid();
	p->mask = slots - 1;
	p->slot_pid = calloc(slots, sizeof *p->slot_pid);
	p->slot_task = calloc(slots, sizeof *p->slot_task);
	p->sh =
	    mmap(NULL, sizeof *p->sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!p->slot_pid || !p->slot_task || p->sh == MAP_FAILED) {
		snprintf(ctx->err, sizeof ctx->err, "cannot set up %d processes: out of memory",
			 ctx->sc->ntasks);
		return -1;
	}
	atomic_init(&p->sh->cancel, RUNNER_GO);
	atomic_init(&p->sh->winner, -1);
	atomic_init(&p->sh->live, runner_live_tasks(ctx->sc));
	p->group = start_anchor(p->parent);
	if (p->group < 0) {
		snprintf(ctx->err, sizeof ctx->err, "cannot start a process: %s%s", strerror(errno),
			 child_fork_hint(errno));
		return -1;
	}
	p->anchor_alive = 1;
	return 0;
}

static void procs_teardown(struct procs *p)
{
	if (p->group > 0 && p->anchor_alive) {
		kill(p->group, SIGKILL);
		while (waitpid(p->group, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (p->sh && p->sh != MAP_FAILED)
		munmap(p->sh, sizeof *p->sh);
	free(p->slot_pid);
	free(p->slot_task);
}

static int processes_run(struct exec_ctx *ctx)
{
	struct procs p = {0};
	int rc = procs_setup(&p, ctx);

	if (rc == 0) {
		rc = start_all(&p);
		wait_all(&p);
	} else {
		never_started(&p, 0, "not started: no process for it");
	}
	procs_teardown(&p);
	return rc;
}

const struct executor exec_processes = {
    .name = "processes",
    .model = MODEL_PARALLEL,
    .summary = "one fork()ed process per task; spans go to a MAP_SHARED trace",
    .flags = EXECUTOR_SHARED,
    .unit = EXEC_UNIT_PROCESS,
    .at_once = EXEC_AT_ONCE_ALL,
    .unit_per_task = true,
    .multicore = true,
    .python = "multiprocessing.Process",
    .run = processes_run,
};
