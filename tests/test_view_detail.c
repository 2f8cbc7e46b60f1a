/*
 * test_view_detail.c -- the Figures view's findings, composed from a
 * hand-built trace: the list with kind, time range, tasks and sentence;
 * key f moves the cursor to each finding in turn, paused, selecting its
 * task and highlighting it; a run without findings says so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "view_ctx.h"
#include "view_fixture.h"

static void add_finding(struct trace *tr, enum finding_kind k, double t0, double t1, int task,
			const char *text)
{
	struct trace_finding f = {.kind = k,
				  .t0 = (uint64_t)(t0 * 1e6),
				  .t1 = (uint64_t)(t1 * 1e6),
				  .ntasks = 1,
				  .tasks = {task}};

	snprintf(f.text, sizeof f.text, "%s", text);
	assert_int_equal(trace_add_finding(tr, &f), 0);
}

static void test_findings_listed_and_jumped_to(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_ctx c;
	struct grid *g = grid_new(100, 40, false);

	add_finding(tr, FINDING_STARVED, 0, 10, 1, "B was ready for 10 ms");
	add_finding(tr, FINDING_OVERSUBSCRIBED, 10, 20, 0, "too many for one core");
	fx_ctx(&c, tr);
	assert_true(view_act(&c, VA_FINDING));
	assert_ptr_equal(view_table[view_current(&c)], &view_detail);
	assert_true(c.pl.paused);
	assert_true(c.pl.cursor == 0);
	assert_int_equal(c.sel, 1);
	view_compose(g, &c);
	int y = fx_find(g, "Findings (2, f jumps to the next)");
	assert_true(y > 0);
	assert_non_null(
	    strstr(fx_row(g, y + 1), "\u25b8 starved 0.0 ms\u201310.0 ms B  B was ready"));
	assert_non_null(
	    strstr(fx_row(g, y + 2), "  oversubscribed 10.0 ms\u201320.0 ms A  too many"));
	assert_true(fx_find(g, "Task B") > y);

	assert_true(view_act(&c, VA_FINDING));
	assert_true(c.pl.cursor == 10 * MS);
	assert_int_equal(c.sel, 0);
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, y + 2), "\u25b8 oversubscribed"));
	/* Round again. */
	assert_true(view_act(&c, VA_FINDING));
	assert_true(c.pl.cursor == 0);
	grid_free(g);
	trace_destroy(tr);
}

static void test_no_findings(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_ctx c;
	struct grid *g = grid_new(100, 40, false);

	fx_ctx(&c, tr);
	c.pl.cursor = 20 * MS;
	assert_true(view_act(&c, VA_FINDING));
	assert_true(c.pl.cursor == 20 * MS);
	assert_non_null(strstr(c.flash, "no findings in this run"));
	view_compose(g, &c);
	assert_true(fx_find(g, "Findings: none") > 0);
	grid_free(g);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_findings_listed_and_jumped_to),
	    cmocka_unit_test(test_no_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
