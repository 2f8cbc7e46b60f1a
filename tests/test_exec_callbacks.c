/*
 * test_exec_callbacks.c -- chains of libuv callbacks: the shared
 * single-thread properties (exec_loop_tests.h), plus what is the js-way's
 * own: each step's completion callback starts the next, in whatever order
 * libuv calls them back.
 */
#define LOOP_BACKEND "callbacks"
#include "exec_loop_tests.h"

/* True when LANE has a span whose reason contains WORDS. */
static int has_reason(const struct trace *tr, int lane, const char *words)
{
	struct span sp;

	for (uint32_t i = 0; i < trace_count(tr, lane); i++) {
		trace_get(tr, lane, i, &sp);
		if (strstr(sp.reason, words))
			return 1;
	}
	return 0;
}

/* seed 000's hello/sleep/done: bob's shorter timer calls back first. */
static void test_callbacks_chain(void **state)
{
	(void)state;
	struct trace *tr = loop_run_ok("[scenario]\nname = callback-hell\n"
				       "[task alice]\nsteps = cpu 5, sleep 200, io 100, cpu 5\n"
				       "[task bob]\nsteps = cpu 5, sleep 100, io 100, cpu 5\n");

	assert_int_equal(loop_outcomes(tr, OUTCOME_DONE), 2);
	assert_true(has_reason(tr, 0, "callback: timer fired"));
	assert_true(has_reason(tr, 0, "callback: on_response"));
	assert_true(trace_lane_end(tr, 1, 0) < trace_lane_end(tr, 0, 0));
	assert_int_equal(stats_max_overlap(tr, STATE_RUNNING), 1);
	assert_true(loop_wall_ms(tr) < 0.8 * (310 + 310));
	trace_destroy(tr);
}

/* A long chain: repeats link thousands of callbacks without growing the stack. */
static void test_long_chain(void **state)
{
	(void)state;
	struct trace *tr = loop_run_ok("[scenario]\nname = chain\n"
				       "[task T]\nsteps = cpu 0.05, sleep 0.5\nrepeat = 200\n"
				       "count = 50\n");

	assert_int_equal(loop_outcomes(tr, OUTCOME_DONE), 50);
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
