/*
 * test_exec_callbacks.c -- chains of libuv callbacks: the shared
 * single-thread properties (exec_loop_tests.h), plus what is the js-way's
 * own: each step's completion callback starts the next, in whatever order
 * libuv calls them back.
 */
#define LOOP_BACKEND "callbacks"
#include "exec_loop_tests.h"

/* seed 000's hello/sleep/done: bob's shorter timer calls back first. */
static void test_callbacks_chain(void **state)
{
	(void)state;
	struct trace *tr = loop_run_ok("[scenario]\nname = callback-hell\n"
				       "[task alice]\nsteps = cpu 5, sleep 200, io 100, cpu 5\n"
				       "[task bob]\nsteps = cpu 5, sleep 100, io 100, cpu 5\n");

	assert_int_equal(count_outcomes(tr, OUTCOME_DONE), 2);
	assert_true(has_reason(tr, 0, "callback: timer fired"));
	assert_true(has_reason(tr, 0, "callback: on_response"));
	assert_true(trace_lane_end(tr, 1, 0) < trace_lane_end(tr, 0, 0));
	assert_int_equal(stats_max_overlap(tr, STATE_RUNNING), 1);
	/* The two sleeps, and the two requests, overlap: neither waited for the other's. */
	assert_int_equal(stats_max_overlap(tr, STATE_SLEEP), 2);
	assert_int_equal(stats_max_overlap(tr, STATE_IO), 2);
	trace_destroy(tr);
}

/* A long chain: repeats link thousands of callbacks without growing the stack. */
static void test_long_chain(void **state)
{
	(void)state;
	struct trace *tr = loop_run_ok("[scenario]\nname = chain\n"
				       "[task T]\nsteps = cpu 0.05, sleep 0.5\nrepeat = 200\n"
				       "count = 50\n");

	assert_int_equal(count_outcomes(tr, OUTCOME_DONE), 50);
	assert_int_equal(stats_max_overlap(tr, STATE_RUNNING), 1);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    LOOP_COMMON_TESTS,
	    cmocka_unit_test(test_callbacks_chain),
	    cmocka_unit_test(test_long_chain),
	    LOOP_LAST_TEST,
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
