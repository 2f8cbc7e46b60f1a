/*
 * test_trace.c -- span lists: appending, merging, overflow, a concurrent
 * reader, and forked writers in the shared arena.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace.h"

#define MS 1000000ull

static void test_enter_closes_previous(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(2, 0);
	struct span sp;

	assert_non_null(tr);
	trace_start(tr, 1000 * MS);
	trace_set_name(tr, 0, "A");
	trace_enter(tr, 0, 1000 * MS, STATE_RUNNING, 1, CAUSE_STEP, -1, "computing");
	trace_enter(tr, 0, 1005 * MS, STATE_SLEEP, -1, CAUSE_STEP, -1, "sleep 800 ms");
	assert_int_equal(trace_count(tr, 0), 2);
	trace_get(tr, 0, 0, &sp);
	assert_int_equal(sp.t0, 0);
	assert_int_equal(sp.t1, 5 * MS);
	assert_int_equal(sp.cpu, 1);
	assert_int_equal(sp.state, STATE_RUNNING);
	assert_string_equal(sp.reason, "computing");
	trace_get(tr, 0, 1, &sp);
	assert_int_equal(sp.t1, TRACE_OPEN);
	assert_int_equal(trace_lane_end(tr, 0, 7 * MS), 7 * MS);
	trace_finish(tr, 0, 1805 * MS, OUTCOME_DONE, -1, NULL);
	trace_get(tr, 0, 1, &sp);
	assert_int_equal(sp.t1, 805 * MS);
	assert_int_equal(trace_count(tr, 0), 2);
	assert_int_equal(trace_outcome(tr, 0), OUTCOME_DONE);
	assert_int_equal(trace_outcome(tr, 1), OUTCOME_NONE);
	assert_string_equal(trace_name(tr, 0), "A");
	assert_int_equal(trace_lock_lane(tr), -1);
	assert_int_equal(trace_extent(tr, 0), 805 * MS);
	trace_destroy(tr);
}

static void test_same_state_merges(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(1, 0);

	trace_start(tr, 0);
	trace_enter(tr, 0, 1, STATE_RUNNING, 0, CAUSE_STEP, -1, "computing");
	trace_enter(tr, 0, 2, STATE_RUNNING, 0, CAUSE_STEP, -1, "computing");
	assert_int_equal(trace_count(tr, 0), 1);
	trace_enter(tr, 0, 3, STATE_RUNNING, 1, CAUSE_STEP, -1, "computing"); /* migrated */
	trace_enter(tr, 0, 4, STATE_RUNNING, 1, CAUSE_STEP, -1, "other");
	assert_int_equal(trace_count(tr, 0), 3);
	trace_destroy(tr);
}

static void test_finish_reason_and_outcome(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(1, 0);
	struct span sp;

	trace_start(tr, 0);
	trace_enter(tr, 0, 10, STATE_RUNNING, 0, CAUSE_STEP, -1, "computing");
	trace_finish(tr, 0, 20, OUTCOME_KILLED, -1, "killed by SIGKILL");
	assert_int_equal(trace_count(tr, 0), 2);
	trace_get(tr, 0, 1, &sp);
	assert_int_equal(sp.state, STATE_DONE);
	assert_int_equal(sp.t0, 20);
	assert_int_equal(sp.t1, 20);
	assert_string_equal(sp.reason, "killed by SIGKILL");
	assert_int_equal(trace_outcome(tr, 0), OUTCOME_KILLED);
	trace_destroy(tr);
}

static void test_long_reason_truncated(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(1, 0);
	char longtext[200];
	struct span sp;

	memset(longtext, 'x', sizeof longtext - 1);
	longtext[sizeof longtext - 1] = '\0';
	trace_start(tr, 0);
	trace_enter(tr, 0, 0, STATE_IO, -1, CAUSE_STEP, -1, longtext);
	trace_get(tr, 0, 0, &sp);
	assert_int_equal(strlen(sp.reason), TRACE_REASON_MAX - 1);
	trace_destroy(tr);
}

static void test_truncation_keeps_utf8_whole(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(1, 0);
	char text[TRACE_REASON_MAX + 8];
	struct span sp;

	/* 42 ASCII bytes, then a 3-byte dash that does not fit in the 43 kept. */
	memset(text, 'a', 42);
	strcpy(text + 42, "\u2014 more");
	trace_start(tr, 0);
	trace_enter(tr, 0, 0, STATE_IO, -1, CAUSE_STEP, -1, text);
	trace_get(tr, 0, 0, &sp);
	assert_int_equal(strlen(sp.reason), 42);
	trace_enter(tr, 0, 1, STATE_SLEEP, -1, CAUSE_STEP, -1, "sleep \u2014 ok");
	trace_get(tr, 0, 1, &sp);
	assert_string_equal(sp.reason, "sleep \u2014 ok");
	trace_destroy(tr);
}

static void test_full_lane_counts_drops(void **unused)
{
	(void)unused;
	/* Many tasks leave each lane the minimum of 64 slots. */
	struct trace *tr = trace_create(TRACE_MAX_TASKS, 0);
	struct span sp;

	assert_non_null(tr);
	trace_start(tr, 0);
	for (uint64_t t = 0; t < 100; t++)
		trace_enter(tr, 5, t, (t & 1) ? STATE_SLEEP : STATE_RUNNING, 0, CAUSE_STEP, -1,
			    "x");
	assert_int_equal(trace_count(tr, 5), 64);
	/* Of the 36 late calls, half repeat the open span's state: no loss. */
	assert_int_equal(trace_dropped(tr, 5), 18);
	assert_int_equal(trace_dropped(tr, -1), 18);
	/* The last span kept is still open, so the lane's end is not lost. */
	trace_get(tr, 5, 63, &sp);
	assert_int_equal(sp.t1, TRACE_OPEN);
	trace_finish(tr, 5, 200, OUTCOME_DONE, -1, NULL);
	assert_int_equal(trace_lane_end(tr, 5, 0), 200);
	trace_destroy(tr);
}

/*
 * Lanes written in turn, each to its last slot, read back only their own
 * spans: a lane's first spans and the rest lie in different places.
 */
static void test_lanes_keep_their_own_spans(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(TRACE_MAX_TASKS, TRACE_LOCK_LANE);
	struct span sp;
	uint64_t t = 0;

	assert_non_null(tr);
	const int lanes[] = {0, 1, 2, TRACE_MAX_TASKS - 1, trace_lock_lane(tr)};
	trace_start(tr, 0);
	/* Every lane to its last slot, and one more span each, which is dropped. */
	while (trace_dropped(tr, lanes[0]) == 0 && t < 1000000) {
		for (int k = 0; k < 5; k++)
			trace_enter(tr, lanes[k], t * 1000 + (uint64_t)lanes[k],
				    (t & 1) ? STATE_SLEEP : STATE_RUNNING, 0, CAUSE_STEP, -1, "x");
		t++;
	}
	for (int k = 0; k < 5; k++) {
		uint32_t n = trace_count(tr, lanes[k]);
		assert_true(n > 8 && n + (k < 4) == t);
		for (uint32_t i = 0; i < n; i++) {
			trace_get(tr, lanes[k], i, &sp);
			assert_int_equal(sp.t0, i * 1000 + (uint64_t)lanes[k]);
		}
	}
	trace_destroy(tr);
}

static void test_bad_create(void **unused)
{
	(void)unused;
	assert_null(trace_create(0, 0));
	assert_null(trace_create(TRACE_MAX_TASKS + 1, 0));
}

static void test_lock_lane(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(2, TRACE_LOCK_LANE);
	struct span sp;

	assert_int_equal(tr->nlanes, 3);
	assert_int_equal(trace_lock_lane(tr), 2);
	trace_start(tr, 0);
	trace_enter(tr, 2, 0, STATE_RUNNING, 1, CAUSE_STEP, -1, "held by B");
	trace_close(tr, 2, 50);
	trace_get(tr, 2, 0, &sp);
	assert_int_equal(sp.cpu, 1);
	assert_int_equal(sp.t1, 50);
	trace_destroy(tr);
}

/* ---- a writer and a reader at once (run under TSan too) ---------------- */

#define WRITES 20000

struct race {
	struct trace *tr;
	_Atomic int done;
};

static void *writer(void *arg)
{
	struct race *rc = arg;

	for (uint64_t t = 1; t <= WRITES; t++)
		trace_enter(rc->tr, 0, t * 10, (t & 1) ? STATE_RUNNING : STATE_READY, (int)(t & 1),
			    CAUSE_STEP, -1, (t & 1) ? "computing" : "preempted by the OS");
	trace_finish(rc->tr, 0, (WRITES + 1) * 10, OUTCOME_DONE, -1, NULL);
	atomic_store(&rc->done, 1);
	return NULL;
}

static void test_reader_sees_consistent_spans(void **unused)
{
	(void)unused;
	struct race rc = {.tr = trace_create(1, 0)};
	pthread_t th;
	int rounds = 0;

	trace_start(rc.tr, 0);
	pthread_create(&th, NULL, writer, &rc);
	while (!atomic_load(&rc.done) || rounds == 0) {
		uint32_t n = trace_count(rc.tr, 0);
		struct span prev = {0}, sp;
		for (uint32_t i = 0; i < n; i++) {
			trace_get(rc.tr, 0, i, &sp);
			/* Published spans are whole: state and reason always agree. */
			assert_true(sp.state == STATE_RUNNING || sp.state == STATE_READY);
			assert_string_equal(sp.reason, sp.state == STATE_RUNNING
							   ? "computing"
							   : "preempted by the OS");
			if (sp.t1 != TRACE_OPEN)
				assert_true(sp.t1 >= sp.t0);
			if (i > 0)
				assert_true(sp.t0 >= prev.t0);
			prev = sp;
		}
		rounds++;
	}
	pthread_join(th, NULL);
	assert_int_equal(trace_count(rc.tr, 0), WRITES);
	trace_destroy(rc.tr);
}

/* ---- forked writers into the shared arena ------------------------------- */

static void test_shared_arena_across_fork(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(3, TRACE_SHARED);
	struct span sp;

	trace_start(tr, 0);
	for (int i = 0; i < 3; i++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			trace_enter(tr, i, 100 * (uint64_t)i, STATE_RUNNING, i, CAUSE_STEP, -1,
				    "child");
			trace_finish(tr, i, 100 * (uint64_t)i + 50, OUTCOME_DONE, -1, NULL);
			_exit(0);
		}
	}
	for (int i = 0; i < 3; i++)
		wait(NULL);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(trace_count(tr, i), 1);
		trace_get(tr, i, 0, &sp);
		assert_int_equal(sp.t0, 100 * (uint64_t)i);
		assert_int_equal(sp.t1, 100 * (uint64_t)i + 50);
		assert_int_equal(sp.cpu, i);
		assert_int_equal(trace_outcome(tr, i), OUTCOME_DONE);
	}
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_enter_closes_previous),
	    cmocka_unit_test(test_same_state_merges),
	    cmocka_unit_test(test_finish_reason_and_outcome),
	    cmocka_unit_test(test_long_reason_truncated),
	    cmocka_unit_test(test_truncation_keeps_utf8_whole),
	    cmocka_unit_test(test_full_lane_counts_drops),
	    cmocka_unit_test(test_lanes_keep_their_own_spans),
	    cmocka_unit_test(test_bad_create),
	    cmocka_unit_test(test_lock_lane),
	    cmocka_unit_test(test_reader_sees_consistent_spans),
	    cmocka_unit_test(test_shared_arena_across_fork),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
