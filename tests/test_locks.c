/*
 * test_locks.c -- named locks (exec/locks.c, exec/loop_lock.c): the
 * scenario errors found while reading the steps, the wait-for cycle, and
 * real runs: the two-lock deadlock caught and reported with its cycle on
 * threads (promptly, every task ended), the same work in one lock order
 * never deadlocking, and the loop's locks handing over in FIFO order.
 */
#include "exec_test_util.h"

#include "locks.h"

/* Parses TEXT and expects the error WANT ("test.ini:LINE: ..."). */
static void expect_error(const char *text, const char *want)
{
	struct scenario sc;
	char err[256] = "";

	assert_int_equal(scenario_parse(text, "test.ini", &sc, err, sizeof err), -1);
	assert_string_equal(err, want);
}

static void test_lock_errors(void **state)
{
	(void)state;
	expect_error("[scenario]\n[task A]\nsteps = lock a, cpu 1\n",
		     "test.ini:3: task \"A\" ends holding lock \"a\"");
	expect_error("[scenario]\n[task A]\nsteps = cpu 1,\n  unlock a\n",
		     "test.ini:4: task \"A\" unlocks \"a\", which it does not hold");
	expect_error("[scenario]\n[task A]\nsteps = lock a, lock a, unlock a\n",
		     "test.ini:3: task \"A\" takes lock \"a\" while holding it");
	expect_error("[scenario]\n[task A]\nsteps = lock\n",
		     "test.ini:3: missing lock name after \"lock\"");
	expect_error("[scenario]\n[task A]\nsteps = lock a!b, unlock a!b\n",
		     "test.ini:3: bad lock name \"a!b\" (use letters, digits, '-' and '_')");
}

static void test_lock_steps_parse(void **state)
{
	(void)state;
	struct scenario sc;
	char err[256];

	assert_int_equal(scenario_parse("[scenario]\n[task A]\nsteps = lock x, critical 2, "
					"lock y, unlock y, unlock x\nrepeat = 2\n[task B]\n"
					"steps = lock y, unlock y\n",
					"t.ini", &sc, err, sizeof err),
			 0);
	assert_int_equal(sc.nlocks, 2);
	assert_string_equal(sc.locks[0], "x");
	assert_string_equal(sc.locks[1], "y");
	assert_int_equal(sc.tasks[0].steps[0].kind, STEP_LOCK);
	assert_int_equal(sc.tasks[0].steps[1].kind, STEP_CRITICAL);
	assert_int_equal(sc.tasks[1].steps[0].lock, 1);
	scenario_free(&sc);
}

static void test_find_cycle(void **state)
{
	(void)state;
	/* 0 waits for lock 1 (held by 1), 1 for lock 2 (held by 2), 2 for lock 0 (held by 0). */
	int waits[4] = {1, 2, 0, -1}, holder[3] = {0, 1, 2}, cycle[4];

	assert_int_equal(locks_find_cycle(waits, holder, 4, 2, cycle), 3);
	assert_int_equal(cycle[0], 0); /* lowest first */
	assert_int_equal(cycle[1], 1);
	assert_int_equal(cycle[2], 2);
	waits[2] = -1; /* 2 stops waiting: a chain, no cycle */
	assert_int_equal(locks_find_cycle(waits, holder, 4, 0, cycle), 0);
	/* 3 waits for a lock held by a task in a cycle it is not part of. */
	int w2[4] = {1, 0, -1, 0}, h2[3] = {0, 1, -1};
	assert_int_equal(locks_find_cycle(w2, h2, 4, 3, cycle), 0);
	assert_int_equal(locks_find_cycle(w2, h2, 4, 1, cycle), 2);
}

static bool has_finding(const struct trace *tr, enum finding_kind k, struct trace_finding *out)
{
	for (uint32_t i = 0; i < trace_finding_count(tr); i++)
		if (trace_get_finding(tr, i, out) && out->kind == k)
			return true;
	return false;
}

/* The classic deadlock on real threads: caught, reported, and the run ends soon after. */
static void test_deadlock_threads(void **state)
{
	(void)state;
	struct run_opts o = {.backend = "threads"};
	struct trace *tr = run_builtin("deadlock", &o);
	struct trace_finding f;

	assert_true(has_finding(tr, FINDING_DEADLOCK, &f));
	assert_string_equal(f.text, "A holds a, waits for b; B holds b, waits for a");
	assert_int_equal(f.ntasks, 2);
	for (int i = 0; i < 2; i++)
		assert_int_equal(trace_outcome(tr, i), OUTCOME_DEADLOCKED);
	/* Every lane ended within a second of the catch. */
	for (int i = 0; i < 2; i++)
		assert_true(trace_lane_end(tr, i, 0) <= f.t1 + (1000 * CLOCK_NS_PER_MS));
	assert_true(tr->meta.wall_ns <= f.t1 + (1000 * CLOCK_NS_PER_MS));
	trace_destroy(tr);
}

/* Forked tasks share the locks through a shared mapping: caught the same way. */
static void test_deadlock_processes(void **state)
{
	(void)state;
	struct run_opts o = {.backend = "processes"};
	struct trace *tr = run_builtin("deadlock", &o);
	struct trace_finding f;

	assert_true(has_finding(tr, FINDING_DEADLOCK, &f));
	assert_int_equal(trace_outcome(tr, 0), OUTCOME_DEADLOCKED);
	assert_int_equal(trace_outcome(tr, 1), OUTCOME_DEADLOCKED);
	trace_destroy(tr);
}

/* One lock order: never a deadlock, however the threads interleave. */
static void test_lock_order_never_deadlocks(void **state)
{
	(void)state;
	struct run_opts o = {.backend = "threads"};
	struct trace_finding f;

	for (int run = 0; run < 40; run++) {
		struct trace *tr = run_builtin("lock-order", &o);
		assert_false(has_finding(tr, FINDING_DEADLOCK, &f));
		assert_int_equal(trace_outcome(tr, 0), OUTCOME_DONE);
		assert_int_equal(trace_outcome(tr, 1), OUTCOME_DONE);
		assert_int_equal(count_edges(tr, EDGE_LOCK) <= 1, 1);
		trace_destroy(tr);
	}
}

#define FIFO_LOCK                                                                                  \
	"[scenario]\n[task A]\nsteps = lock a, sleep 20, unlock a\n[task B]\n"                     \
	"steps = lock a, critical 1, unlock a\n[task C]\nsteps = lock a, critical 1, unlock a\n"

/* The loop's locks: B and C wait in order, each handed the lock by the one before. */
static void test_loop_lock_fifo(void **state)
{
	(void)state;
	static const char *const backends[] = {"asyncio", "green", "callbacks"};

	for (size_t b = 0; b < 3; b++) {
		struct trace *tr = run_ok(FIFO_LOCK, backends[b]);
		struct trace_edge e[2];
		int n = 0;
		for (uint32_t i = 0; i < trace_edge_count(tr) && n < 2; i++)
			if (trace_get_edge(tr, i, &e[n]) && e[n].kind == EDGE_LOCK)
				n++;
		assert_int_equal(n, 2);
		assert_int_equal(e[0].from, 0);
		assert_int_equal(e[0].to, 1);
		assert_int_equal(e[1].from, 1);
		assert_int_equal(e[1].to, 2);
		trace_destroy(tr);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lock_errors),
	    cmocka_unit_test(test_lock_steps_parse),
	    cmocka_unit_test(test_find_cycle),
	    cmocka_unit_test(test_deadlock_threads),
	    cmocka_unit_test(test_deadlock_processes),
	    cmocka_unit_test(test_lock_order_never_deadlocks),
	    cmocka_unit_test(test_loop_lock_fifo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
