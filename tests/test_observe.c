/*
 * test_observe.c -- observing a real program (tests/helpers/observe_helper.c,
 * built beside this test): every wait is classified from what the thread
 * waits in, by both methods (perf events where this machine allows them);
 * new threads and a child process get lanes; the exit status is kept;
 * bad input fails at once; no path leaves a process behind.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "observe.h"
#include "observe_proc.h"
#include "record.h"
#include "trace.h"

static char helper[PATH_MAX];

static void find_helper(void)
{
	ssize_t n = readlink("/proc/self/exe", helper, sizeof helper - 32);

	assert_true(n > 0);
	helper[n] = '\0';
	snprintf(strrchr(helper, '/'), 32, "/observe_helper");
	assert_int_equal(access(helper, X_OK), 0);
}

/* ---- the classification (no program needed) ----------------------------- */

static void expect(long nr, long arg1, char kind, const char *wchan, enum state st,
		   const char *reason)
{
	struct proc_wait w;

	proc_classify(nr, arg1, kind, wchan, &w);
	assert_int_equal(w.state, st);
	assert_string_equal(w.reason, reason);
}

static void test_classify(void **state)
{
	(void)state;
	expect(SYS_futex, 128, '?', "", STATE_LOCK, "futex wait");	   /* a mutex */
	expect(SYS_futex, 128 | 9, '?', "", STATE_LOCK, "futex wait");	   /* a condition */
	expect(SYS_futex, 9, '?', "", STATE_BLOCKED, "futex wait (join)"); /* pthread_join */
	expect(SYS_nanosleep, 0, '?', "", STATE_SLEEP, "nanosleep");
	expect(SYS_clock_nanosleep, 0, '?', "", STATE_SLEEP, "clock_nanosleep");
	expect(SYS_recvfrom, 0, 's', "", STATE_IO, "recv on a socket");
	expect(SYS_read, 0, 's', "", STATE_IO, "read on a socket");
	expect(SYS_read, 0, 'p', "", STATE_BLOCKED, "read on a pipe");
	expect(SYS_ppoll, 0, '?', "", STATE_IO, "ppoll");
	expect(SYS_epoll_pwait, 0, '?', "", STATE_IO, "epoll_pwait");
#ifdef SYS_epoll_wait
	expect(SYS_epoll_wait, 0, '?', "", STATE_IO, "epoll_wait");
	expect(SYS_select, 0, '?', "", STATE_IO, "select");
	expect(SYS_poll, 0, '?', "", STATE_IO, "poll");
#endif
	expect(SYS_wait4, 0, '?', "", STATE_BLOCKED, "wait4");
	expect(SYS_getpid, 0, '?', "", STATE_BLOCKED, "system call 39");
	/* Without the system call (another user's ptrace rules): the kernel function. */
	expect(-1, -1, '?', "futex_wait_queue", STATE_LOCK, "futex wait");
	expect(-1, -1, '?', "hrtimer_nanosleep", STATE_SLEEP, "nanosleep");
	expect(-1, -1, '?', "ep_poll", STATE_IO, "epoll_wait");
	expect(-1, -1, '?', "do_wait", STATE_BLOCKED, "wait4");
	expect(-1, -1, '?', "", STATE_BLOCKED, "waiting");
	/* Only the last saw nothing: the perf method then keeps the thread's last wait. */
	struct proc_wait w;
	proc_classify(-1, -1, '?', "", &w);
	assert_false(w.known);
	proc_classify(-1, -1, '?', "0", &w);
	assert_false(w.known);
	proc_classify(-1, -1, '?', "do_wait", &w);
	assert_true(w.known);
	proc_classify(SYS_getpid, 0, '?', "", &w);
	assert_true(w.known);
}

/* ---- running the helper --------------------------------------------------- */

/* Observes ARGV to its end with METHOD; the trace (lanes shown). */
static struct trace *observe_all(char **argv, enum observe_method method)
{
	struct observe_opts o = {.argv = argv, .method = method};
	char err[256] = "";
	struct trace *tr = observe_trace_new(&o);

	assert_non_null(tr);
	struct observer *ob = observe_start(&o, tr, err, sizeof err);
	if (!ob)
		fail_msg("cannot observe: %s", err);
	assert_int_equal(observe_run(ob, NULL), 0);
	observe_show(ob);
	observe_free(ob);
	return tr;
}

/* The lane whose name begins with NAME and a space, or -1. */
static int lane_named(const struct trace *tr, const char *name)
{
	size_t len = strlen(name);

	for (int i = 0; i < tr->ntasks; i++)
		if (strncmp(trace_name(tr, i), name, len) == 0 && trace_name(tr, i)[len] == ' ')
			return i;
	return -1;
}

/* Does LANE hold a span in ST whose reason begins with REASON (NULL: any)? */
static bool has_span(const struct trace *tr, int lane, enum state st, const char *reason)
{
	struct span sp;

	for (uint32_t i = 0; lane >= 0 && i < trace_count(tr, lane); i++) {
		trace_get(tr, lane, i, &sp);
		if (sp.state == st && (!reason || strncmp(sp.reason, reason, strlen(reason)) == 0))
			return true;
	}
	return false;
}

static bool alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno != ESRCH;
}

/* Every process of the trace is gone, and this test has no child left. */
static void assert_nothing_left(const struct trace *tr)
{
	for (int i = 0; i < tr->ntasks; i++)
		if (alive(trace_thread(tr, i)->pid))
			fail_msg("process %d (%s) was left behind", trace_thread(tr, i)->pid,
				 trace_name(tr, i));
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void check_every_wait(struct trace *tr)
{
	pid_t main_pid = trace_thread(tr, 0)->pid;
	bool child = false;

	assert_true(has_span(tr, lane_named(tr, "spin"), STATE_RUNNING, NULL));
	assert_true(has_span(tr, lane_named(tr, "sleep"), STATE_SLEEP, NULL));
	assert_true(has_span(tr, lane_named(tr, "waiter"), STATE_LOCK, "futex wait"));
	assert_true(has_span(tr, lane_named(tr, "sock"), STATE_IO, "recv on a socket"));
	assert_true(has_span(tr, lane_named(tr, "forker"), STATE_BLOCKED, "wait4"));
	/* The main thread joins its threads: a wait that is not a lock. */
	assert_true(has_span(tr, 0, STATE_BLOCKED, "futex wait (join)"));
	for (int i = 0; i < tr->ntasks; i++)
		child |= trace_thread(tr, i)->pid != main_pid;
	assert_true(child); /* the forked child has a lane of its own */
	assert_int_equal(tr->meta.exit_status, 0);
	assert_int_equal(trace_output_count(tr), 2); /* "started", "done" */
	assert_nothing_left(tr);
}

static void test_sampled(void **state)
{
	char *argv[] = {helper, "all", "300", NULL};
	(void)state;
	struct trace *tr = observe_all(argv, OBSERVE_SAMPLED);

	assert_string_equal(tr->meta.observer, "sampled");
	assert_true(tr->meta.observer_period_us > 0 && tr->meta.observer_period_us <= 1000);
	check_every_wait(tr);
	assert_true(trace_thread(tr, 0)->sampled);
	trace_destroy(tr);
}

/* The record keeps what an observed run adds: method, command, exit, pid/tid/process, sampled. */
static void test_record(void **state)
{
	/* It computes 50 ms first: a thread that ended before the first sample has no spans. */
	char *argv[] = {helper, "exit", "3", "50", NULL};
	(void)state;
	struct trace *tr = observe_all(argv, OBSERVE_SAMPLED), **back = NULL;
	char path[] = "/tmp/conctui-test-observe-XXXXXX", err[256];
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	assert_non_null(f);
	assert_int_equal(record_write(tr, f), 0);
	fclose(f);
	assert_int_equal(record_read(path, &back, err, sizeof err), 1);
	unlink(path);
	const struct trace_meta *m = &back[0]->meta;
	assert_string_equal(m->observer, "sampled");
	assert_int_equal(m->exit_status, 3);
	assert_int_equal(m->command_argc, 4);
	assert_string_equal(m->command + strlen(m->command) + 1, "exit");
	assert_int_equal(m->model, MODEL_OBSERVED);
	assert_int_equal(trace_thread(back[0], 0)->pid, trace_thread(tr, 0)->pid);
	assert_int_equal(trace_thread(back[0], 0)->tid, trace_thread(tr, 0)->tid);
	assert_string_equal(trace_thread(back[0], 0)->process, "observe_helper");
	assert_true(trace_thread(back[0], 0)->sampled);
	trace_destroy(back[0]);
	free(back);
	trace_destroy(tr);
}

static void test_perf(void **state)
{
	char *argv[] = {helper, "all", "300", NULL};
	(void)state;
	struct trace *tr = observe_all(argv, OBSERVE_PERF);

	if (strcmp(tr->meta.observer, "perf") != 0) {
		FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
		int level = -9;
		if (f && fscanf(f, "%d", &level) != 1)
			level = -9;
		if (f)
			fclose(f);
		print_message("perf events refused here (perf_event_paranoid %d): the exact "
			      "method is not tested\n",
			      level);
		trace_destroy(tr);
		skip();
	}
	check_every_wait(tr);
	assert_false(trace_thread(tr, 0)->sampled);
	trace_destroy(tr);
}

/* Whether two lanes are shown running on one core at once (a short run between samples aside). */
static bool core_shared(const struct trace *tr)
{
	struct span a, b;

	for (int l = 0; l < tr->ntasks; l++)
		for (uint32_t i = 0; i < trace_count(tr, l); i++) {
			trace_get(tr, l, i, &a);
			if (a.state != STATE_RUNNING || strcmp(a.reason, OBSERVE_BURST) == 0)
				continue;
			for (int k = l + 1; k < tr->ntasks; k++)
				for (uint32_t j = 0; j < trace_count(tr, k); j++) {
					trace_get(tr, k, j, &b);
					uint64_t ea = a.t1 == TRACE_OPEN ? a.t0 : a.t1;
					uint64_t eb = b.t1 == TRACE_OPEN ? b.t0 : b.t1;
					if (b.state == STATE_RUNNING && b.cpu == a.cpu &&
					    strcmp(b.reason, OBSERVE_BURST) != 0 && a.t0 < eb &&
					    b.t0 < ea)
						return true;
				}
		}
	return false;
}

/* More runnable threads than cores: sampling does not show two running on one core. */
static void test_sampled_one_per_core(void **state)
{
	char *argv[] = {helper, "busy", "6", "300", NULL};
	(void)state;
	struct trace *tr = observe_all(argv, OBSERVE_SAMPLED);

	assert_false(core_shared(tr));
	bool waited = false;
	for (int l = 0; l < tr->ntasks; l++)
		waited |= has_span(tr, l, STATE_READY, NULL);
	assert_true(waited); /* six threads on fewer cores did wait for one */
	trace_destroy(tr);
}

/* More threads than lanes: every lane is used, and the run says how many were left out. */
static void test_too_many_threads(void **state)
{
	char *argv[] = {helper, "many", "600", "300", NULL};
	(void)state;
	struct trace *tr = observe_all(argv, OBSERVE_SAMPLED);

	assert_int_equal(tr->ntasks, OBSERVE_LANES);
	/*
	 * 600 sleepers and the main thread alive at once, in 512 lanes (a
	 * sanitizer's runtime may add a thread or two of its own).
	 */
	assert_in_range(tr->meta.observer_unshown, 600 + 1 - OBSERVE_LANES,
			600 + 1 - OBSERVE_LANES + 4);
	assert_int_equal(tr->meta.exit_status, 0);
	/* Each lane is one thread: no thread id twice. */
	for (int i = 1; i < tr->ntasks; i++)
		assert_int_not_equal(trace_thread(tr, i)->tid, trace_thread(tr, i - 1)->tid);
	assert_nothing_left(tr);
	trace_destroy(tr);
}

static void test_exit_status(void **state)
{
	char *argv[] = {helper, "exit", "3", NULL};
	(void)state;
	struct trace *tr = observe_all(argv, OBSERVE_SAMPLED);
	struct trace_output line;

	assert_int_equal(tr->meta.exit_status, 3);
	assert_int_equal(trace_outcome(tr, 0), OUTCOME_FAILED);
	assert_true(trace_get_output(tr, 0, &line));
	assert_string_equal(line.text, "exiting with 3");
	assert_nothing_left(tr);
	trace_destroy(tr);
}

static void test_cannot_run(void **state)
{
	char *argv[] = {"/nonexistent/program", NULL};
	struct observe_opts o = {.argv = argv};
	char err[256] = "";
	(void)state;
	struct trace *tr = observe_trace_new(&o);

	assert_null(observe_start(&o, tr, err, sizeof err));
	assert_string_equal(err, "cannot run /nonexistent/program: No such file or directory");
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1); /* reaped: nothing left */
	trace_destroy(tr);
}

static void test_attach_missing(void **state)
{
	struct observe_opts o = {.attach = INT_MAX - 1};
	char err[256] = "";
	(void)state;
	struct trace *tr = observe_trace_new(&o);

	assert_null(observe_start(&o, tr, err, sizeof err));
	snprintf(err + 128, 128, "--attach %d: no such process", INT_MAX - 1);
	assert_string_equal(err, err + 128);
	trace_destroy(tr);
}

/* Another user's process (pid 1, root's) is refused; as root, a child drops to nobody first. */
static void test_attach_other_user(void **state)
{
	(void)state;
	pid_t pid = fork();

	if (pid == 0) {
		if (getuid() == 0 && setuid(65534) < 0)
			_exit(3);
		struct observe_opts o = {.attach = 1};
		char err[256] = "";
		struct trace *tr = observe_trace_new(&o);
		struct observer *ob = observe_start(&o, tr, err, sizeof err);
		_exit(!ob && strcmp(err, "--attach 1: the process belongs to another user") == 0
			  ? 0
			  : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* A process started elsewhere: its threads are seen and its end ends the run. */
static void test_attach(void **state)
{
	(void)state;
	pid_t pid = fork();

	if (pid == 0) {
		execl(helper, helper, "busy", "2", "300", (char *)NULL);
		_exit(127);
	}
	usleep(50000); /* readiness of an exec cannot be awaited from here; the run outlasts it */
	struct observe_opts o = {.attach = pid, .method = OBSERVE_SAMPLED};
	char err[256] = "";
	struct trace *tr = observe_trace_new(&o);
	struct observer *ob = observe_start(&o, tr, err, sizeof err);
	assert_non_null(ob);
	assert_int_equal(observe_run(ob, NULL), 0);
	observe_show(ob);
	observe_free(ob);
	assert_true(tr->ntasks >= 3); /* the main thread and two busy ones */
	assert_true(has_span(tr, 1, STATE_RUNNING, NULL));
	assert_int_equal(tr->meta.exit_status, OBSERVE_EXIT_UNKNOWN);
	waitpid(pid, NULL, 0);
	trace_destroy(tr);
}

/* Ctrl-C: SIGINT, and a program that ignores it gets SIGTERM; nothing is left. */
struct cancel_run {
	struct observer *ob;
	_Atomic int cancel;
};

static void *observe_thread(void *arg)
{
	struct cancel_run *c = arg;

	observe_run(c->ob, &c->cancel);
	return NULL;
}

static void test_interrupt(void **state)
{
	char *argv[] = {helper, "forever", NULL};
	struct observe_opts o = {.argv = argv, .method = OBSERVE_SAMPLED};
	struct cancel_run c = {0};
	char err[256] = "";
	pthread_t t;
	(void)state;
	struct trace *tr = observe_trace_new(&o);

	c.ob = observe_start(&o, tr, err, sizeof err);
	assert_non_null(c.ob);
	assert_int_equal(pthread_create(&t, NULL, observe_thread, &c), 0);
	/* Wait for the program to be ready: it prints once it ignores SIGINT. */
	while (trace_output_count(tr) == 0)
		usleep(1000);
	atomic_store(&c.cancel, 1);
	pthread_join(t, NULL);
	observe_show(c.ob);
	observe_free(c.ob);
	assert_int_equal(tr->meta.exit_status, -SIGTERM);
	assert_int_equal(trace_outcome(tr, 0), OUTCOME_KILLED);
	assert_nothing_left(tr);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classify),
	    cmocka_unit_test(test_sampled),
	    cmocka_unit_test(test_perf),
	    cmocka_unit_test(test_too_many_threads),
	    cmocka_unit_test(test_sampled_one_per_core),
	    cmocka_unit_test(test_exit_status),
	    cmocka_unit_test(test_cannot_run),
	    cmocka_unit_test(test_attach_missing),
	    cmocka_unit_test(test_attach_other_user),
	    cmocka_unit_test(test_attach),
	    cmocka_unit_test(test_interrupt),
	    cmocka_unit_test(test_record),
	};

	find_helper();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
