/*
 * observe.c -- an observed program's life: launching the command (or
 * checking the process to attach to), the observation loop, passing on
 * Ctrl-C, and making sure nothing is left running.
 */
#include "observe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "escape.h"
#include "observe_priv.h"

static const char *const method_names[] = {
#define X(e, n, d) n,
    OBSERVE_METHOD_MAP(X)
#undef X
};

const char *observe_method_name(enum observe_method m)
{
	return (unsigned)m < OBSERVE_METHOD_COUNT ? method_names[m] : "?";
}

int observe_method_parse(const char *name)
{
	for (int i = 0; name && i < OBSERVE_METHOD_COUNT; i++)
		if (strcmp(name, method_names[i]) == 0)
			return i;
	return -1;
}

/* ---- the trace ------------------------------------------------------------ */

static void put_command(struct trace_meta *m, char *const *argv)
{
	size_t used = 0;

	for (int i = 0; argv && argv[i]; i++) {
		size_t len = strlen(argv[i]) + 1;
		if (used + len > sizeof m->command)
			break;
		memcpy(m->command + used, argv[i], len);
		used += len;
		m->command_argc++;
	}
}

struct trace *observe_trace_new(const struct observe_opts *o)
{
	struct trace *tr = trace_create_growing(OBSERVE_LANES, OBSERVE_LANES_LIKELY);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (!tr)
		return NULL;
	struct trace_meta *m = &tr->meta;
	char *const pid_argv[] = {NULL};
	snprintf(m->backend, sizeof m->backend, "observed");
	m->model = MODEL_OBSERVED;
	m->cores = cores > 0 ? (int)cores : 1;
	m->exit_status = OBSERVE_EXIT_UNKNOWN;
	put_command(m, o->argv ? o->argv : pid_argv);
	if (o->argv) {
		const char *base = strrchr(o->argv[0], '/');
		snprintf(m->scenario, sizeof m->scenario, "%s", base ? base + 1 : o->argv[0]);
		/* The program a `python3 PROGRAM` runs names the run better than python3. */
		if (o->argv[1] && strstr(o->argv[0], "python") && o->argv[1][0] != '-') {
			base = strrchr(o->argv[1], '/');
			snprintf(m->scenario, sizeof m->scenario, "%s",
				 base ? base + 1 : o->argv[1]);
		}
		snprintf(m->title, sizeof m->title, "observed: %s", m->scenario);
	} else {
		snprintf(m->scenario, sizeof m->scenario, "pid %d", (int)o->attach);
		snprintf(m->title, sizeof m->title, "observed: process %d", (int)o->attach);
	}
	return tr;
}

/* ---- starting ------------------------------------------------------------- */

/*
 * Forks the command in a process group of its own, so that a Ctrl-C at the
 * terminal reaches conctui only and conctui passes it on.  The child waits
 * on GO until the observer is ready (perf events then follow it from its
 * first instruction); an exec failure comes back through a close-on-exec
 * pipe (see release).
 */
static int launch(struct observer *ob, char *err, size_t errlen)
{
	int report[2], go[2], pout[2] = {-1, -1}, perr[2] = {-1, -1};

	if (pipe2(report, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0 ||
	    (!ob->o.passthrough && (pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0))) {
		snprintf(err, errlen, "cannot start the command: %s", strerror(errno));
		return -1;
	}
	/* Python writes a pipe in blocks; line by line the output keeps its time. */
	setenv("PYTHONUNBUFFERED", "1", 0);
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		char byte;
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent || read(go[0], &byte, 1) != 1)
			_exit(127);
		signal(SIGINT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (pout[1] >= 0) {
			dup2(pout[1], 1);
			dup2(perr[1], 2);
		}
		execvp(ob->o.argv[0], ob->o.argv);
		int e = errno;
		(void)!write(report[1], &e, sizeof e);
		_exit(127);
	}
	int e = errno;
	close(report[1]);
	close(go[0]);
	if (pout[1] >= 0) {
		close(pout[1]);
		close(perr[1]);
	}
	ob->out[0].fd = pout[0];
	ob->out[1].fd = perr[0];
	ob->report_fd = report[0];
	ob->go_fd = go[1];
	if (pid < 0) {
		snprintf(err, errlen, "cannot start the command: %s", strerror(e));
		return -1;
	}
	setpgid(pid, pid); /* also here: no race with the first kill */
	ob->pid = pid;
	ob->launched = true;
	return 0;
}

/* Lets the launched command run; 0, or -1 with ERR when it could not be executed. */
static int release(struct observer *ob, char *err, size_t errlen)
{
	int e = 0, got;

	(void)!write(ob->go_fd, "g", 1);
	close(ob->go_fd);
	ob->go_fd = -1;
	while ((got = (int)read(ob->report_fd, &e, sizeof e)) < 0 && errno == EINTR)
		;
	close(ob->report_fd);
	ob->report_fd = -1;
	if (got != (int)sizeof e)
		return 0;
	char q[ESCAPE_ECHO_SIZE];
	waitpid(ob->pid, NULL, 0);
	ob->exited = true;
	snprintf(err, errlen, "cannot run %s: %s", escape_echo(q, ob->o.argv[0]), strerror(e));
	return -1;
}

/* The real user id of PID from /proc/PID/status, or -1 when it is gone. */
static long owner_of(pid_t pid)
{
	char path[64], line[256];
	long uid = -1;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "Uid: %ld", &uid) == 1)
			break;
	if (f)
		fclose(f);
	return uid;
}

static int attach(struct observer *ob, char *err, size_t errlen)
{
	pid_t pid = ob->o.attach;
	long uid = pid > 0 ? owner_of(pid) : -1;

	if (uid < 0) {
		snprintf(err, errlen, "--attach %d: no such process", (int)pid);
		return -1;
	}
	if (getuid() != 0 && uid != (long)getuid()) {
		snprintf(err, errlen, "--attach %d: the process belongs to another user", (int)pid);
		return -1;
	}
	ob->pid = pid;
	return 0;
}

static enum observe_method pick_method(const struct observe_opts *o)
{
	int m = o->method;

	if (m == OBSERVE_AUTO && getenv("CONCTUI_OBSERVE"))
		m = observe_method_parse(getenv("CONCTUI_OBSERVE"));
	return m < 0 ? OBSERVE_AUTO : (enum observe_method)m;
}

/*
 * Each thread keeps four /proc files open (and perf events one a core):
 * the soft limit on descriptors, often 1024, is raised as far as the hard
 * one allows so that every lane can have its files.
 */
static void room_for_descriptors(void)
{
	struct rlimit r;
	rlim_t want = (rlim_t)OBSERVE_LANES * 8 + 64;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < want) {
		r.rlim_cur = r.rlim_max == RLIM_INFINITY || r.rlim_max > want ? want : r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

struct observer *observe_start(const struct observe_opts *o, struct trace *tr, char *err,
			       size_t errlen)
{
	struct observer *ob = calloc(1, sizeof *ob);

	if (!ob) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ob->o = *o;
	ob->tr = tr;
	pthread_mutex_init(&ob->names_lock, NULL);
	ob->out[0].fd = ob->out[1].fd = ob->go_fd = ob->report_fd = -1;
	ob->exit_status = OBSERVE_EXIT_UNKNOWN;
	ob->period_ns = (uint64_t)((o->period_us > 0 ? o->period_us : 1e6 / OBSERVE_HZ) * 1000);
	room_for_descriptors();
	if ((o->argv ? launch(ob, err, errlen) : attach(ob, err, errlen)) < 0) {
		observe_free(ob);
		return NULL;
	}
	ob->method = pick_method(o);
	if (ob->method != OBSERVE_SAMPLED && perf_open(ob) == 0)
		ob->method = OBSERVE_PERF;
	else
		ob->method = OBSERVE_SAMPLED;
	if (ob->launched && release(ob, err, errlen) < 0) {
		observe_free(ob);
		return NULL;
	}
	struct trace_meta *m = &tr->meta;
	snprintf(m->observer, sizeof m->observer, "%s", observe_method_name(ob->method));
	m->observer_period_us = ob->method == OBSERVE_SAMPLED ? (double)ob->period_ns / 1000 : 0;
	trace_start(tr, clock_now_ns());
	obs_discover(ob, clock_now_ns(), false);
	return ob;
}

/* ---- the loop ------------------------------------------------------------- */

/* Has the first process ended?  A launched one is reaped and its status kept. */
static bool program_ended(struct observer *ob)
{
	int status;

	if (!ob->launched) /* gone, or a zombie its parent has not reaped */
		return proc_process_info(ob->pid, NULL, NULL, 0) < 0;
	if (waitpid(ob->pid, &status, WNOHANG) != ob->pid)
		return false;
	ob->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
	ob->exited = true;
	return true;
}

/* Ctrl-C: SIGINT to the program's group, SIGTERM after a second, SIGKILL after two. */
static void pass_interrupt(struct observer *ob, uint64_t since, uint64_t now, int *sent)
{
	int sig = now - since >= OBSERVE_KILL_AFTER_NS	 ? SIGKILL
		  : now - since >= OBSERVE_TERM_AFTER_NS ? SIGTERM
							 : SIGINT;

	if (ob->launched && sig != *sent) {
		kill(-ob->pid, sig);
		*sent = sig;
	}
}

/* The lane of the first process's main thread ends as the program did. */
static void finish_main(struct observer *ob, uint64_t now)
{
	char why[64];
	int st = ob->exit_status;
	enum outcome o = OUTCOME_DONE;

	if (!ob->launched)
		return;
	if (observe_lanes(ob) == 0) {
		/* It ended before its first thread was seen: its lane still tells how. */
		const char *base = strrchr(ob->o.argv[0], '/');
		struct trace_thread info = {.pid = ob->pid, .tid = ob->pid};
		char name[TRACE_NAME_MAX];
		snprintf(info.process, sizeof info.process, "%.15s",
			 base ? base + 1 : ob->o.argv[0]);
		snprintf(name, sizeof name, "%s %d", info.process, (int)ob->pid);
		trace_set_name(ob->tr, 0, name);
		trace_set_thread(ob->tr, 0, &info);
		ob->th[0].pt.stat_fd = ob->th[0].pt.sched_fd = -1;
		ob->th[0].pt.syscall_fd = ob->th[0].pt.wchan_fd = -1;
		atomic_store_explicit(&ob->nth, 1, memory_order_release);
	}
	if (st > 0 || (st < 0 && st != OBSERVE_EXIT_UNKNOWN)) {
		o = st > 0 ? OUTCOME_FAILED : OUTCOME_KILLED;
		if (st > 0)
			snprintf(why, sizeof why, "exited with status %d", st);
		else
			snprintf(why, sizeof why, "killed by %s", strsignal(-st));
	} else {
		snprintf(why, sizeof why, "exited");
	}
	if (ob->th[0].alive)
		proc_thread_close(&ob->th[0].pt);
	ob->th[0].alive = false;
	trace_finish(ob->tr, 0, now, o, -1, why);
}

/* What the program left behind when its first process ended is killed. */
static void kill_leftovers(struct observer *ob)
{
	if (!ob->launched)
		return;
	kill(-ob->pid, SIGKILL);
	for (int i = 1; i < ob->nprocs; i++)
		if (kill(ob->procs[i].pid, 0) == 0)
			kill(ob->procs[i].pid, SIGKILL);
}

int observe_run(struct observer *ob, _Atomic int *cancel)
{
	uint64_t start = clock_now_ns(), next = start, since = 0;
	int sent = 0;

	ob->last_ns = start;
	for (;;) {
		uint64_t now = clock_now_ns();
		bool ended = program_ended(ob);
		if (ob->method == OBSERVE_PERF)
			perf_drain(ob);
		else
			obs_sample(ob, now);
		if (ended)
			break;
		obs_discover(ob, now, ob->ticks % 8 == 0);
		if (cancel && atomic_load(cancel) && since == 0)
			since = now;
		if (since)
			pass_interrupt(ob, since, now, &sent);
		next += ob->period_ns;
		if (next < now)
			next = now + ob->period_ns / 4; /* fell behind: do not try to catch up */
		obs_read_output(ob, next);
		if (ob->method == OBSERVE_PERF)
			ob->ticks++;
	}
	uint64_t end = clock_now_ns();
	obs_read_output(ob, end); /* what is left in the pipes */
	finish_main(ob, end);
	kill_leftovers(ob);
	obs_finish_all(ob, end);
	ob->tr->meta.wall_ns = end - ob->tr->epoch_ns;
	ob->tr->meta.exit_status = ob->exit_status;
	return 0;
}

int observe_lanes(const struct observer *ob)
{
	return atomic_load_explicit(&ob->nth, memory_order_acquire);
}

void observe_show(struct observer *ob)
{
	int n = observe_lanes(ob);

	pthread_mutex_lock(&ob->names_lock);
	for (int i = 0; i < n; i++) {
		struct obs_thread *th = &ob->th[i];
		if (th->renamed) {
			trace_set_name(ob->tr, i, th->new_name);
			th->renamed = false;
		}
	}
	pthread_mutex_unlock(&ob->names_lock);
	trace_show_lanes(ob->tr, n);
}

int observe_exit_status(const struct observer *ob)
{
	return ob->exit_status;
}

void observe_free(struct observer *ob)
{
	if (!ob)
		return;
	if (ob->launched && !ob->exited) {
		/* Never leave the program behind, whatever path led here. */
		kill(-ob->pid, SIGKILL);
		waitpid(ob->pid, NULL, 0);
	}
	perf_close(ob);
	proc_seen_free(&ob->seen);
	if (ob->go_fd >= 0)
		close(ob->go_fd);
	if (ob->report_fd >= 0)
		close(ob->report_fd);
	for (int i = 0; i < 2; i++)
		if (ob->out[i].fd >= 0)
			close(ob->out[i].fd);
	obs_close_all(ob);
	pthread_mutex_destroy(&ob->names_lock);
	free(ob);
}
