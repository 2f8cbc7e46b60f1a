/*
 * test_trace_log.c -- a trace's output lines and findings: kept in order,
 * cut after a whole character, counted when they do not fit, emptied by a
 * reset, and written by forked tasks into the slots the parent reads.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "trace.h"

static void test_print_keeps_lines(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(2, 0);
	struct trace_output o;

	trace_start(tr, 1000);
	assert_int_equal(trace_print(tr, 1, 3000, "hello alice"), 0);
	assert_int_equal(trace_print(tr, 0, 5000, "bob done!"), 0);
	assert_int_equal(trace_output_count(tr), 2);
	assert_true(trace_get_output(tr, 0, &o));
	assert_int_equal(o.t, 2000);
	assert_int_equal(o.task, 1);
	assert_string_equal(o.text, "hello alice");
	assert_true(trace_get_output(tr, 1, &o));
	assert_int_equal(o.t, 4000);
	assert_string_equal(o.text, "bob done!");
	trace_reset(tr);
	assert_int_equal(trace_output_count(tr), 0);
	trace_destroy(tr);
}

/* A long line is cut before a character that would not fit whole. */
static void test_print_cuts_whole_characters(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(1, 0);
	char text[TRACE_TEXT_MAX + 8];
	struct trace_output o;

	memset(text, 'a', TRACE_TEXT_MAX - 2);
	strcpy(text + TRACE_TEXT_MAX - 2, "\u00e9\u00e9"); /* é straddles the end */
	assert_int_equal(trace_print(tr, 0, 0, text), 0);
	assert_true(trace_get_output(tr, 0, &o));
	assert_int_equal(strlen(o.text), TRACE_TEXT_MAX - 2);
	trace_destroy(tr);
}

static void test_output_overflow_counted(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(1, 0);

	for (int i = 0; i < TRACE_OUTPUT_CAP; i++)
		assert_int_equal(trace_print(tr, 0, (uint64_t)i, "x"), 0);
	assert_int_equal(trace_print(tr, 0, 0, "one too many"), -ENOSPC);
	assert_int_equal(trace_output_count(tr), TRACE_OUTPUT_CAP);
	assert_int_equal(trace_output_dropped(tr), 1);
	trace_destroy(tr);
}

static void test_findings(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(3, 0);
	struct trace_finding f = {.kind = FINDING_DEADLOCK, .t0 = 10, .t1 = 20, .ntasks = 99};
	struct trace_finding got;

	f.tasks[0] = 2;
	f.tasks[1] = 0;
	snprintf(f.text, sizeof f.text, "A holds a, waits for b; B holds b, waits for a");
	assert_int_equal(trace_add_finding(tr, &f), 0);
	assert_int_equal(trace_finding_count(tr), 1);
	assert_true(trace_get_finding(tr, 0, &got));
	assert_int_equal(got.kind, FINDING_DEADLOCK);
	assert_int_equal(got.ntasks, TRACE_FINDING_TASKS); /* clamped */
	assert_int_equal(got.tasks[0], 2);
	assert_string_equal(got.text, f.text);
	for (int i = 1; i < TRACE_FINDING_CAP; i++)
		assert_int_equal(trace_add_finding(tr, &f), 0);
	assert_int_equal(trace_add_finding(tr, &f), -ENOSPC);
	trace_reset(tr);
	assert_int_equal(trace_finding_count(tr), 0);
	trace_destroy(tr);
}

static void test_finding_kind_names(void **unused)
{
	(void)unused;
	for (int k = 0; k < FINDING_KIND_COUNT; k++)
		assert_int_equal(finding_kind_parse(finding_kind_name((enum finding_kind)k)), k);
	assert_string_equal(finding_kind_name(FINDING_BLOCKING_CALL), "blocking-call");
	assert_int_equal(finding_kind_parse("a-word-from-a-newer-build"), FINDING_NOTE);
}

static void test_print_across_fork(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(3, TRACE_SHARED);
	struct trace_output o;
	int seen = 0;

	trace_start(tr, 0);
	for (int i = 0; i < 3; i++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			char line[32];
			snprintf(line, sizeof line, "child %d", i);
			_exit(trace_print(tr, i, 100 * (uint64_t)(i + 1), line) == 0 ? 0 : 1);
		}
	}
	for (int i = 0; i < 3; i++) {
		int status;
		wait(&status);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(trace_output_count(tr), 3);
	for (uint32_t i = 0; i < 3; i++) {
		assert_true(trace_get_output(tr, i, &o));
		assert_int_equal(o.t, 100 * (uint64_t)(o.task + 1));
		seen |= 1 << o.task;
	}
	assert_int_equal(seen, 7);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_print_keeps_lines),
	    cmocka_unit_test(test_print_cuts_whole_characters),
	    cmocka_unit_test(test_output_overflow_counted),
	    cmocka_unit_test(test_findings),
	    cmocka_unit_test(test_finding_kind_names),
	    cmocka_unit_test(test_print_across_fork),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
