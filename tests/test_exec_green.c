/*
 * test_exec_green.c -- green threads on a libuv hub: the shared
 * single-thread properties (exec_loop_tests.h), plus what is gevent's own:
 * the waits switch to the hub without the task saying so, an unpatched
 * blocking call stalls the hub, and many green threads each have a stack.
 */
#define LOOP_BACKEND "green"
#include "exec_loop_tests.h"

/* gevent's patched calls: the reasons say the switch was implicit. */
static void test_waits_switch_implicitly(void **state)
{
	(void)state;
	struct trace *tr = loop_run_ok("[scenario]\nname = hello\n"
				       "[task alice]\nsteps = cpu 5, sleep 200, io 100\n"
				       "[task bob]\nsteps = cpu 5, sleep 100, io 100\n");

	assert_int_equal(count_outcomes(tr, OUTCOME_DONE), 2);
	assert_true(has_reason(tr, 0, "implicit switch to the hub"));
	assert_true(has_reason(tr, 0, "awaiting response (implicit switch)"));
	/* bob's shorter sleep lets him finish first although alice started first. */
	assert_true(trace_lane_end(tr, 1, 0) < trace_lane_end(tr, 0, 0));
	/* The two sleeps, and the two requests, overlap: neither waited for the other's. */
	assert_int_equal(stats_max_overlap(tr, STATE_SLEEP), 2);
	assert_int_equal(stats_max_overlap(tr, STATE_IO), 2);
	trace_destroy(tr);
}

/* An unpatched time.sleep blocks the hub: bob's timer waits for it. */
static void test_unpatched_block_stalls_the_hub(void **state)
{
	(void)state;
	struct timing_watch w;
	timing_watch_start(&w);
	struct trace *tr = loop_run_ok("[scenario]\nname = block\n"
				       "[task bob]\nsteps = sleep 100, sleep 100\n"
				       "[task alice]\nsteps = block 400\n");

	assert_int_equal(count_outcomes(tr, OUTCOME_DONE), 2);
	assert_true(loop_longest(tr, 0, STATE_READY) > 250);
	assert_true(wall_ms(tr) > 0.95 * 500);
	if (timing_judged(&w))
		assert_true(wall_ms(tr) < 1.2 * 500);
	trace_destroy(tr);
}

/* A deep step list on each of many stacks: repeats switch thousands of times. */
static void test_many_switches(void **state)
{
	(void)state;
	struct trace *tr = loop_run_ok("[scenario]\nname = switches\n"
				       "[task T]\nsteps = sleep 1, cpu 0.05\nrepeat = 50\n"
				       "count = 200\n");

	assert_int_equal(count_outcomes(tr, OUTCOME_DONE), 200);
	assert_int_equal(stats_max_overlap(tr, STATE_RUNNING), 1);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    LOOP_COMMON_TESTS,
	    cmocka_unit_test(test_waits_switch_implicitly),
	    cmocka_unit_test(test_unpatched_block_stalls_the_hub),
	    cmocka_unit_test(test_many_switches),
	    LOOP_LAST_TEST,
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
