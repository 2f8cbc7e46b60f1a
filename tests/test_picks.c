/*
 * test_picks.c -- --picks (exec/picks.c): parsing a list against the
 * scenario's tasks, the choice it makes, and real runs on every executor
 * that decides who runs next: asyncio, green, callbacks and the GIL run
 * the first steps in the order picked, every time, and record the picks.
 */
#include "exec_test_util.h"

#include "picks.h"

#define ABC                                                                                        \
	"[scenario]\nname = abc\n[task A]\nsteps = cpu 2, sleep 5\n[task B]\n"                     \
	"steps = cpu 2, sleep 5\n[task C]\nsteps = cpu 2, sleep 5\n"

static void test_parse(void **state)
{
	(void)state;
	struct scenario sc;
	struct picks p;
	char err[256];

	assert_int_equal(scenario_parse(ABC, "abc.ini", &sc, err, sizeof err), 0);
	assert_int_equal(picks_parse(&p, &sc, "C,B,A", err, sizeof err), 0);
	assert_int_equal(p.nwant, 3);
	assert_int_equal(p.want[0], 2);
	assert_int_equal(p.want[2], 0);
	assert_int_equal(picks_parse(&p, &sc, "C,X", err, sizeof err), -1);
	assert_string_equal(err, "--picks: no task named \"X\" in abc");
	assert_int_equal(picks_parse(&p, &sc, "A,,B", err, sizeof err), -1);
	scenario_free(&sc);
}

static void test_choose(void **state)
{
	(void)state;
	struct trace *tr = trace_create(3, 0);
	struct picks p = {.tr = tr, .want = {2, 1, 1}, .nwant = 3};
	int ready[3] = {0, 1, 2};

	for (int i = 0; i < 3; i++)
		trace_set_name(tr, i, (const char *[]){"A", "B", "C"}[i]);
	assert_int_equal(picks_choose(&p, ready, 3), 2);
	assert_int_equal(picks_choose(&p, ready, 2), 1);
	/* B is not ready: the first ready one runs, and a note says so. */
	int only[2] = {0, 2};
	assert_int_equal(picks_choose(&p, only, 2), 0);
	assert_int_equal(trace_finding_count(tr), 1);
	/* The list is used up: the executor's order. */
	assert_int_equal(picks_choose(&p, ready, 3), 0);
	assert_int_equal(tr->meta.npicks, 4);
	assert_int_equal(tr->meta.picks[0], 2);
	assert_int_equal(tr->meta.picks[2], 0);
	trace_destroy(tr);
}

/* The tasks in the order their first running span began. */
static void first_order(const struct trace *tr, int *order)
{
	uint64_t t[3];
	struct span sp;

	for (int i = 0; i < 3; i++) {
		t[i] = UINT64_MAX;
		for (uint32_t k = 0; k < trace_count(tr, i) && t[i] == UINT64_MAX; k++) {
			trace_get(tr, i, k, &sp);
			if (sp.state == STATE_RUNNING && sp.step == 0)
				t[i] = sp.t0;
		}
		order[i] = i;
	}
	for (int i = 0; i < 3; i++)
		for (int k = i + 1; k < 3; k++)
			if (t[order[k]] < t[order[i]]) {
				int x = order[i];
				order[i] = order[k];
				order[k] = x;
			}
}

static void test_runs_in_picked_order(void **state)
{
	(void)state;
	static const char *const backends[] = {"green", "asyncio", "callbacks", "gil"};
	static const struct {
		const char *list;
		int order[3];
	} cases[] = {{"C,B,A", {2, 1, 0}}, {"B,C,A", {1, 2, 0}}};

	for (size_t b = 0; b < 4; b++)
		for (size_t c = 0; c < 2; c++)
			for (int rep = 0; rep < 3; rep++) {
				struct run_opts o = {.backend = backends[b],
						     .picks = cases[c].list};
				struct trace *tr = run_ok_opts(ABC, &o);
				int order[3];
				first_order(tr, order);
				for (int i = 0; i < 3; i++)
					if (order[i] != cases[c].order[i])
						fail_msg("%s --picks %s: task %d ran %d-th",
							 backends[b], cases[c].list, order[i], i);
				assert_true(tr->meta.npicks >= 2);
				assert_int_equal(tr->meta.picks[0], cases[c].order[0]);
				trace_destroy(tr);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_choose),
	    cmocka_unit_test(test_runs_in_picked_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
