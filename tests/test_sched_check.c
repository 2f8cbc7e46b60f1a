/*
 * test_sched_check.c -- goals and critical regions (core/goal.c,
 * run/sched_check.c): reading a goal, finding two tasks inside a critical
 * region at once in a trace, and the built-in challenges: each is lost by
 * the executor's own order and won by a list of picks, played here.
 */
#include "exec_test_util.h"

#include "sched_check.h"

static void test_goal_parse(void **state)
{
	(void)state;
	struct scenario_goal g;
	char buf[64];

	assert_int_equal(goal_parse("done by 1200", &g), 0);
	assert_int_equal(g.kind, GOAL_DONE_BY);
	assert_true(g.ms == 1200);
	assert_int_equal(goal_parse("spinner gap <= 150 ms", &g), 0);
	assert_int_equal(g.kind, GOAL_SPINNER_GAP);
	assert_true(g.ms == 150);
	goal_format(&g, buf, sizeof buf);
	assert_string_equal(buf, "spinner gap <= 150 ms");
	assert_int_equal(goal_parse("deadlock", &g), 0);
	assert_int_equal(g.kind, GOAL_DEADLOCK);
	assert_int_equal(goal_parse("critical  overlap", &g), 0);
	assert_int_equal(g.kind, GOAL_CRITICAL_OVERLAP);
	assert_int_equal(goal_parse("done by", &g), -1);
	assert_int_equal(goal_parse("deadlock soon", &g), -1);
	assert_int_equal(goal_parse("win", &g), -1);
}

static void test_goal_error_line(void **state)
{
	(void)state;
	struct scenario sc;
	char err[256];

	assert_int_equal(scenario_parse("[scenario]\ngoal = win\n[task A]\nsteps = cpu 1\n",
					"g.ini", &sc, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "g.ini:2: goal must be"));
}

/* Two tasks whose critical steps (step 0) overlap from 2 to 3 ms, or not. */
static struct trace *critical_trace(uint64_t b_start_ms)
{
	struct trace *tr = trace_create(2, 0);
	struct span a = {.t0 = 0, .t1 = 3 * CLOCK_NS_PER_MS, .state = STATE_RUNNING, .step = 0};
	struct span b = {.t0 = b_start_ms * CLOCK_NS_PER_MS,
			 .t1 = (b_start_ms + 2) * CLOCK_NS_PER_MS,
			 .state = STATE_RUNNING,
			 .step = 0};

	trace_append(tr, 0, &a);
	trace_append(tr, 1, &b);
	return tr;
}

static void test_critical_overlap(void **state)
{
	(void)state;
	struct scenario sc;
	char err[256];

	assert_int_equal(scenario_parse("[scenario]\ngoal = critical overlap\n[task A]\n"
					"steps = critical 3\n[task B]\nsteps = critical 2\n",
					"c.ini", &sc, err, sizeof err),
			 0);
	struct trace *tr = critical_trace(2);
	sched_check(tr, &sc);
	assert_true(sched_has_finding(tr, FINDING_CRITICAL_OVERLAP));
	assert_true(sched_has_finding(tr, FINDING_GOAL_MET));
	trace_destroy(tr);
	tr = critical_trace(3); /* B enters as A leaves */
	sched_check(tr, &sc);
	assert_false(sched_has_finding(tr, FINDING_CRITICAL_OVERLAP));
	assert_true(sched_has_finding(tr, FINDING_GOAL_MISSED));
	trace_destroy(tr);
	scenario_free(&sc);
}

/* Plays challenge NAME with PICKS (NULL: the executor's own order). */
static bool won(const char *name, const char *picks)
{
	struct run_opts o = {.picks = picks};
	struct trace *tr = run_builtin(name, &o);
	bool met = sched_has_finding(tr, FINDING_GOAL_MET);

	assert_true(met || sched_has_finding(tr, FINDING_GOAL_MISSED));
	trace_destroy(tr);
	return met;
}

static void test_challenges(void **state)
{
	(void)state;
	static const struct {
		const char *name, *win, *lose;
	} c[] = {
	    {"challenge-1", "B", NULL},
	    {"challenge-2", "X,spinner", "spinner,X"},
	    {"challenge-3", "A", NULL},
	    {"challenge-4", "B,B", NULL},
	    {"challenge-5", "A,B,C,D", "A,C,B,D"},
	};

	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		/* Goals read from a clock are judged in the plain build only. */
		if (SANITIZED && strcmp(c[i].name, "challenge-4") != 0)
			continue;
		/*
		 * On the GIL the OS still preempts threads: a loaded machine can
		 * stretch a step past the switch interval, so it gets three tries.
		 */
		bool gil = strcmp(c[i].name, "challenge-3") == 0;
		int tries = gil ? 3 : 1;
		while (tries > 0 && !won(c[i].name, c[i].win))
			tries--;
		if (tries == 0)
			fail_msg("%s not won with --picks %s", c[i].name, c[i].win);
		/* The GIL's own order is the OS's: only the loops lose for sure. */
		if (!gil && won(c[i].name, c[i].lose))
			fail_msg("%s won with --picks %s", c[i].name,
				 c[i].lose ? c[i].lose : "(none)");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_goal_parse),
	    cmocka_unit_test(test_goal_error_line),
	    cmocka_unit_test(test_critical_overlap),
	    cmocka_unit_test(test_challenges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
