/*
 * test_child.c -- a forked child keeps only the descriptors it names,
 * ignores Ctrl-C, and refuses to run when its parent is gone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "runner.h"

/* Runs child_tie in a child keeping REPORT and EXTRA; returns its answer byte. */
static char tie_in_child(int extra_open)
{
	int report[2], extra[2];
	char answer = '?';

	assert_int_equal(pipe(report), 0);
	assert_int_equal(pipe(extra), 0);
	pid_t parent = getpid(), pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int keep[2] = {report[1], extra[0]};
		if (child_tie(parent, keep, extra_open ? 2 : 1) < 0)
			_exit(3);
		struct sigaction sa;
		sigaction(SIGINT, NULL, &sa);
		char c = 'k';
		if (fcntl(report[0], F_GETFD) != -1 || fcntl(extra[1], F_GETFD) != -1)
			c = 'o'; /* something not kept is still open */
		else if ((fcntl(extra[0], F_GETFD) != -1) != extra_open)
			c = 'x'; /* a kept one was closed, or the other way round */
		else if (sa.sa_handler != SIG_IGN)
			c = 'i';
		if (write(report[1], &c, 1) != 1)
			_exit(4);
		_exit(0);
	}
	close(report[1]);
	assert_int_equal(read(report[0], &answer, 1), 1);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(report[0]);
	close(extra[0]);
	close(extra[1]);
	return answer;
}

static void test_keeps_only_what_it_names(void **unused)
{
	(void)unused;
	assert_int_equal(tie_in_child(1), 'k');
	assert_int_equal(tie_in_child(0), 'k');
}

static void test_refuses_when_parent_is_gone(void **unused)
{
	(void)unused;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_tie(getppid() + 1, NULL, 0) == -1 ? 0 : 1);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Cancel passes on at once; an interrupt escalates to SIGTERM, then SIGKILL. */
static void test_pass_cancel_escalates(void **unused)
{
	(void)unused;
	_Atomic int from = RUNNER_GO, to = RUNNER_GO;
	struct child_stop st = {0};
	uint64_t t = 1000 * CHILD_GRACE_NS;

	assert_int_equal(child_pass_cancel(&from, &to, &st, t), 0);
	assert_int_equal(atomic_load(&to), RUNNER_GO);
	from = RUNNER_FIRST_DONE;
	assert_int_equal(child_pass_cancel(&from, &to, &st, t), 0);
	assert_int_equal(atomic_load(&to), RUNNER_FIRST_DONE);
	assert_int_equal(st.since, 0); /* first-done is no interrupt: no signals */

	_Atomic int to2 = RUNNER_GO;
	from = RUNNER_INTERRUPTED;
	assert_int_equal(child_pass_cancel(&from, &to2, &st, t), 0);
	assert_int_equal(atomic_load(&to2), RUNNER_INTERRUPTED);
	assert_int_equal(child_pass_cancel(&from, &to2, &st, t + CHILD_GRACE_NS - 1), 0);
	assert_int_equal(child_pass_cancel(&from, &to2, &st, t + CHILD_GRACE_NS), SIGTERM);
	assert_int_equal(child_pass_cancel(&from, &to2, &st, t + CHILD_GRACE_NS + 1), 0);
	assert_int_equal(child_pass_cancel(&from, &to2, &st, t + CHILD_GRACE_NS + CHILD_TERM_NS),
			 SIGKILL);
	assert_int_equal(child_pass_cancel(&from, &to2, &st, t + 10 * CHILD_TERM_NS), 0);
}

static void test_fork_hint(void **unused)
{
	(void)unused;
	assert_non_null(strstr(child_fork_hint(EAGAIN), "process limit"));
	assert_string_equal(child_fork_hint(ENOMEM), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keeps_only_what_it_names),
	    cmocka_unit_test(test_refuses_when_parent_is_gone),
	    cmocka_unit_test(test_pass_cancel_escalates),
	    cmocka_unit_test(test_fork_hint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
