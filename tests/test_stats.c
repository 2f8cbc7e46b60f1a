/*
 * test_stats.c -- the figures computed from a trace: overlap counting
 * (touching spans do not overlap), per-state totals, outcomes, medians,
 * the GIL's holds, lock waits, convoys and the spinner's frame gap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"
#include "trace.h"

#define MS 1000000ull

static void add(struct trace *tr, int lane, enum state st, uint64_t t0, uint64_t t1, int cpu)
{
	struct span sp = {.t0 = t0, .t1 = t1, .cpu = cpu, .state = st};

	assert_int_equal(trace_append(tr, lane, &sp), 0);
}

static void test_median(void **state)
{
	(void)state;
	double odd[] = {5, 1, 3};
	double even[] = {4, 1, 3, 2};
	double one[] = {7};

	assert_true(stats_median(odd, 3) == 3);
	assert_true(stats_median(even, 4) == 2.5);
	assert_true(stats_median(one, 1) == 7);
	assert_true(stats_median(NULL, 0) == 0);
}

/* Three lanes: A and B overlap in running; C starts exactly when A ends. */
static void test_overlap_touching(void **state)
{
	(void)state;
	struct trace *tr = trace_create(3, 0);

	add(tr, 0, STATE_RUNNING, 0, 10 * MS, 0);
	add(tr, 1, STATE_SLEEP, 0, 5 * MS, -1);
	add(tr, 1, STATE_RUNNING, 5 * MS, 10 * MS, 1);
	add(tr, 2, STATE_RUNNING, 10 * MS, 20 * MS, 0);
	assert_int_equal(stats_max_overlap(tr, STATE_RUNNING), 2);
	assert_int_equal(stats_max_overlap(tr, STATE_SLEEP), 1);
	assert_int_equal(stats_max_overlap(tr, STATE_IO), 0);
	trace_destroy(tr);
}

/* Strict alternation, as on one core: never two at once. */
static void test_overlap_alternating(void **state)
{
	(void)state;
	struct trace *tr = trace_create(2, 0);

	for (uint64_t k = 0; k < 10; k++) {
		int lane = (int)(k % 2);
		add(tr, lane, STATE_RUNNING, k * MS, (k + 1) * MS, 0);
		add(tr, 1 - lane, STATE_READY, k * MS, (k + 1) * MS, -1);
	}
	assert_int_equal(stats_max_overlap(tr, STATE_RUNNING), 1);
	assert_int_equal(stats_max_overlap(tr, STATE_READY), 1);
	trace_destroy(tr);
}

/* Zero-length spans overlap nothing; open spans count up to "now". */
static void test_overlap_zero_and_open(void **state)
{
	(void)state;
	struct trace *tr = trace_create(3, 0);

	add(tr, 0, STATE_RUNNING, 0, 10 * MS, 0);
	add(tr, 1, STATE_RUNNING, 5 * MS, 5 * MS, 1);
	add(tr, 2, STATE_RUNNING, 2 * MS, TRACE_OPEN, 1);
	assert_int_equal(stats_max_overlap(tr, STATE_RUNNING), 1);
	assert_int_equal(stats_max_overlap_at(tr, STATE_RUNNING, 20 * MS), 2);
	trace_destroy(tr);
}

static void test_totals_and_outcomes(void **state)
{
	(void)state;
	struct trace *tr = trace_create(3, 0);
	struct stats st;

	add(tr, 0, STATE_RUNNING, 0, 2 * MS, 0);
	add(tr, 0, STATE_SLEEP, 2 * MS, 802 * MS, -1);
	add(tr, 1, STATE_RUNNING, 0, 1 * MS, 1);
	add(tr, 1, STATE_IO, 1 * MS, 901 * MS, -1);
	add(tr, 2, STATE_READY, 0, 3 * MS, -1);
	add(tr, 2, STATE_DONE, 3 * MS, 3 * MS, -1);
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	trace_set_outcome(tr, 2, OUTCOME_KILLED);
	tr->meta.cpu_ns = 3100000;

	stats_compute(tr, &st);
	assert_int_equal(st.tasks, 3);
	assert_true(st.wall_ms == 901.0); /* the extent: no wall_ns recorded */
	assert_true(st.cpu_ms == 3.1);
	assert_true(st.state_ms[STATE_RUNNING] == 3.0);
	assert_true(st.state_ms[STATE_SLEEP] == 800.0);
	assert_true(st.state_ms[STATE_IO] == 900.0);
	assert_true(st.state_ms[STATE_READY] == 3.0);
	assert_true(st.state_ms[STATE_DONE] == 0.0);
	assert_int_equal(st.outcomes[OUTCOME_DONE], 2);
	assert_int_equal(st.outcomes[OUTCOME_KILLED], 1);
	assert_int_equal(st.max_running, 2);
	assert_int_equal(st.spans, 6);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.holds, 0);

	tr->meta.wall_ns = 950 * MS;
	stats_compute(tr, &st);
	assert_true(st.wall_ms == 950.0);
	trace_destroy(tr);
}

/*
 * A GIL convoy: A computes holding the lock; B comes back from I/O and
 * waits for it.  Holds of 5, 5, 4 and 6 ms.
 */
static struct trace *convoy_trace(void)
{
	struct trace *tr = trace_create(2, TRACE_LOCK_LANE);
	int gil = trace_lock_lane(tr);

	add(tr, 0, STATE_RUNNING, 0, 20 * MS, 0);
	add(tr, 1, STATE_IO, 0, 1 * MS, -1);
	add(tr, 1, STATE_LOCK, 1 * MS, 5 * MS, -1);
	add(tr, 1, STATE_RUNNING, 5 * MS, 6 * MS, 1);
	add(tr, 1, STATE_SLEEP, 6 * MS, 8 * MS, -1);
	add(tr, 1, STATE_LOCK, 8 * MS, 14 * MS, -1);
	add(tr, 1, STATE_RUNNING, 14 * MS, 15 * MS, 1);
	add(tr, 1, STATE_READY, 15 * MS, 16 * MS, -1);
	add(tr, 1, STATE_LOCK, 16 * MS, 26 * MS, -1); /* not after a wait */
	add(tr, gil, STATE_RUNNING, 0, 5 * MS, 0);
	add(tr, gil, STATE_RUNNING, 5 * MS, 10 * MS, 1);
	add(tr, gil, STATE_RUNNING, 10 * MS, 14 * MS, 0);
	add(tr, gil, STATE_RUNNING, 14 * MS, 20 * MS, 1);
	tr->meta.wall_ns = 2000 * MS;
	tr->meta.gil_switches = 30;
	return tr;
}

static void test_gil_figures(void **state)
{
	(void)state;
	struct trace *tr = convoy_trace();
	struct stats st;

	stats_compute(tr, &st);
	assert_int_equal(st.holds, 4);
	assert_true(st.median_hold_ms == 5.0);
	assert_true(st.switches_per_s == 15.0);
	/* Holds are not task spans. */
	assert_int_equal(st.spans, 9);
	assert_true(stats_lock_wait_ms(tr, 1) == 20.0);
	assert_true(stats_lock_wait_ms(tr, 0) == 0.0);
	trace_destroy(tr);
}

static void test_convoy_median(void **state)
{
	(void)state;
	struct trace *tr = convoy_trace();

	/* Only the waits after io (4 ms) and sleep (6 ms) count. */
	assert_int_equal(stats_convoy_count(tr, 1), 2);
	assert_true(stats_convoy_median_ms(tr, 1) == 5.0);
	assert_int_equal(stats_convoy_count(tr, 0), 0);
	assert_true(stats_convoy_median_ms(tr, 0) == 0.0);
	trace_destroy(tr);
}

/* A spinner: frames at 0, 100, 250 (moving core mid-frame), 330 ms. */
static void test_max_gap(void **state)
{
	(void)state;
	struct trace *tr = trace_create(1, 0);

	add(tr, 0, STATE_RUNNING, 0, 1 * MS, 0);
	add(tr, 0, STATE_SLEEP, 1 * MS, 100 * MS, -1);
	add(tr, 0, STATE_RUNNING, 100 * MS, 101 * MS, 0);
	add(tr, 0, STATE_SLEEP, 101 * MS, 250 * MS, -1);
	add(tr, 0, STATE_RUNNING, 250 * MS, 251 * MS, 0);
	add(tr, 0, STATE_RUNNING, 251 * MS, 252 * MS, 1);
	add(tr, 0, STATE_SLEEP, 252 * MS, 330 * MS, -1);
	add(tr, 0, STATE_RUNNING, 330 * MS, 331 * MS, 1);
	assert_true(stats_max_gap_ms(tr, 0, STATE_RUNNING) == 150.0);
	assert_true(stats_max_gap_ms(tr, 0, STATE_SLEEP) == 151.0);
	assert_true(stats_max_gap_ms(tr, 0, STATE_IO) == 0.0);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_median),
	    cmocka_unit_test(test_overlap_touching),
	    cmocka_unit_test(test_overlap_alternating),
	    cmocka_unit_test(test_overlap_zero_and_open),
	    cmocka_unit_test(test_totals_and_outcomes),
	    cmocka_unit_test(test_gil_figures),
	    cmocka_unit_test(test_convoy_median),
	    cmocka_unit_test(test_max_gap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
