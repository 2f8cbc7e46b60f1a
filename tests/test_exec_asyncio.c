/*
 * test_exec_asyncio.c -- stackless coroutines on one loop: the shared
 * single-thread properties (exec_loop_tests.h), plus what is asyncio's
 * own: a blocking call stalls every other coroutine, and a coroutine is
 * small enough for C10k.
 */
#define LOOP_BACKEND "asyncio"
#include "exec_loop_tests.h"

#include <sched.h>
#include <stdatomic.h>

#include "probe.h"

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

/* The first span of state ST in LANE (t0 = TRACE_OPEN when there is none). */
static struct span first_span(const struct trace *tr, int lane, enum state st)
{
	struct span sp = {.t0 = TRACE_OPEN};

	for (uint32_t i = 0; i < trace_count(tr, lane); i++) {
		trace_get(tr, lane, i, &sp);
		if (sp.state == st)
			return sp;
	}
	sp.t0 = TRACE_OPEN;
	return sp;
}

/*
 * main = NAME: asyncio.run starts that task, and the one it creates first
 * runs when it first awaits -- though listed first, W runs after M's
 * computing, once M sleeps.
 */
static void test_main_starts_first(void **state)
{
	(void)state;
	struct trace *tr = loop_run_ok("[scenario]\nname = main\nmain = M\n"
				       "[task W]\nsteps = cpu 5\n"
				       "[task M]\nsteps = cpu 20, sleep 20\n");
	struct span w = first_span(tr, 0, STATE_RUNNING), m = first_span(tr, 1, STATE_SLEEP);

	assert_all(tr, OUTCOME_DONE);
	assert_true(w.t0 != TRACE_OPEN && m.t0 != TRACE_OPEN);
	assert_true(w.t0 >= m.t0);
	trace_destroy(tr);
}

/*
 * Seed 004 on asyncio with a CPU-bound slow(): the spinner task was
 * created but the loop never got control back before slow() returned, so
 * it never ran -- no frame at all -- and was cancelled.
 */
static void test_created_task_never_runs(void **state)
{
	(void)state;
	struct trace *tr = loop_run_ok("[scenario]\nname = spinner-cpu\nmain = slow\n"
				       "[task spinner]\nsteps = spin 10\n"
				       "[task slow]\nsteps = cpu 60\n");

	assert_int_equal(trace_outcome(tr, 1), OUTCOME_DONE);
	assert_int_equal(trace_outcome(tr, 0), OUTCOME_CANCELLED);
	assert_true(first_span(tr, 0, STATE_RUNNING).t0 == TRACE_OPEN);
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

/* Spins on the CPU until *ARG goes up: a competitor for the loop's core. */
static void *compete(void *arg)
{
	atomic_int *stop = arg;
	uint64_t sink = 0;

	while (!atomic_load_explicit(stop, memory_order_relaxed))
		sink += sink * 31 + 7;
	return (void *)(uintptr_t)sink;
}

/*
 * The probe's preemptions in TR: each `ready` span caused by `preempt` says
 * "preempted by the OS", by nobody, and is the middle of running, ready,
 * and running again (`resume`, REASON) or the next span, end to start.
 * Returns how many were found at a chunk boundary (followed by `resume`).
 */
static int probe_preemptions(const struct trace *tr, const char *reason)
{
	struct span a, b, c;
	int n = 0;

	for (int l = 0; l < tr->ntasks; l++)
		for (uint32_t i = 1; i + 1 < trace_count(tr, l); i++) {
			trace_get(tr, l, i, &b);
			if (b.cause != CAUSE_PREEMPT)
				continue;
			trace_get(tr, l, i - 1, &a);
			trace_get(tr, l, i + 1, &c);
			assert_int_equal(b.state, STATE_READY);
			assert_string_equal(b.reason, "preempted by the OS");
			assert_int_equal(b.by, -1);
			assert_int_equal(a.state, STATE_RUNNING);
			assert_int_equal(a.t1, b.t0);
			assert_int_equal(c.t0, b.t1);
			if (c.cause != CAUSE_RESUME)
				continue; /* cut short by leaving running: the next step began */
			assert_int_equal(c.state, STATE_RUNNING);
			assert_string_equal(c.reason, reason);
			n++;
		}
	return n;
}

/*
 * The same CPU-bound work, judged by the same rule: on threads-1core two
 * threads take turns on one core; on asyncio the loop thread shares its
 * core with a spinning thread.  Either way the OS takes the core away
 * every few milliseconds, and both records show it the probe's way.
 */
static void test_preemption_as_on_threads_1core(void **state)
{
	(void)state;
	cpu_set_t all, one;
	atomic_int stop = 0;
	pthread_t rival;

	assert_int_equal(sched_getaffinity(0, sizeof all, &all), 0);
	CPU_ZERO(&one);
	CPU_SET(probe_current_cpu(), &one);
	/* Threads made from now on, the loop's included, inherit the one core. */
	assert_int_equal(sched_setaffinity(0, sizeof one, &one), 0);
	assert_int_equal(pthread_create(&rival, NULL, compete, &stop), 0);
	struct trace *loop = loop_run_ok(TWO_CPU);
	atomic_store(&stop, 1);
	pthread_join(rival, NULL);
	sched_setaffinity(0, sizeof all, &all);
	struct trace *threads = run_ok(TWO_CPU, "threads-1core");

	int on_loop = probe_preemptions(loop, "computing (blocks the loop)");
	int on_threads = probe_preemptions(threads, "computing");
	print_message("preemptions: asyncio %d, threads-1core %d\n", on_loop, on_threads);
	assert_true(on_loop > 0);
	assert_true(on_threads > 0);
	trace_destroy(loop);
	trace_destroy(threads);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    LOOP_COMMON_TESTS,
	    cmocka_unit_test(test_block_stalls_the_loop),
	    cmocka_unit_test(test_main_starts_first),
	    cmocka_unit_test(test_created_task_never_runs),
	    cmocka_unit_test(test_coroutines_are_small),
	    cmocka_unit_test(test_preemption_as_on_threads_1core),
	    LOOP_LAST_TEST,
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
