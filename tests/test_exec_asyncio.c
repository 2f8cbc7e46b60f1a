/*
 * test_exec_asyncio.c -- stackless coroutines on one loop: the shared
 * single-thread properties (exec_loop_tests.h), plus what is asyncio's
 * own: a blocking call stalls every other coroutine, and a coroutine is
 * small enough for C10k.
 */
#define LOOP_BACKEND "asyncio"
#include "exec_loop_tests.h"

/*
 * time.sleep in a coroutine: B's timer is due at 100 ms, but B runs again
 * only when A's blocking call returns the loop at 400 ms.
 */
static void test_block_stalls_the_loop(void **state)
{
	(void)state;
	struct timing_watch w;
	timing_watch_start(&w);
	struct trace *tr = loop_run_ok("[scenario]\nname = block\n"
				       "[task B]\nsteps = sleep 100, sleep 100\n"
				       "[task A]\nsteps = block 400\n");

	assert_int_equal(count_outcomes(tr, OUTCOME_DONE), 2);
	assert_true(loop_longest(tr, 0, STATE_READY) > 250);
	assert_true(wall_ms(tr) > 0.95 * 500);
	if (timing_judged(&w))
		assert_true(wall_ms(tr) < 1.2 * 500);
	trace_destroy(tr);
}

/* Memory per coroutine, the socket and its handle included, at 2,000 in flight. */
static void test_coroutines_are_small(void **state)
{
	(void)state;
	struct trace *tr = loop_run_ok("[scenario]\nname = c2k\n"
				       "[task T]\nsteps = io 200\ncount = 2000\n");

	print_message("%.0f bytes per coroutine\n", tr->meta.bytes_per_task);
	assert_int_equal(count_outcomes(tr, OUTCOME_DONE), 2000);
	assert_true(tr->meta.bytes_per_task > 0);
	if (!SANITIZED)
		assert_true(tr->meta.bytes_per_task <= 1024);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    LOOP_COMMON_TESTS,
	    cmocka_unit_test(test_block_stalls_the_loop),
	    cmocka_unit_test(test_coroutines_are_small),
	    LOOP_LAST_TEST,
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
