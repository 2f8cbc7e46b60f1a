/*
 * test_view_compare.c -- the Compare view and the Costs view composed from
 * hand-built results: seed 001's table with speedups and bars, compare.c's
 * verdict once every run has ended, a row still running or skipped, the
 * small timelines, j/k picking a row; the costs as bars, longest for the
 * dearest, and seed 002's C10K sentence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "compare.h"
#include "costs.h"
#include "view_ctx.h"
#include "view_fixture.h"

/* Two CPU-bound tasks of 100 ms, run as BACKEND: one after another or both at once. */
static struct trace *fx_cpu(const char *backend, enum model m, bool parallel)
{
	struct trace *tr = trace_create(2, 0);

	trace_set_name(tr, 0, "A");
	trace_set_name(tr, 1, "B");
	fx_span(tr, 0, STATE_RUNNING, 0, 100, 0, "computing");
	if (parallel) {
		fx_span(tr, 1, STATE_RUNNING, 0, 100, 1, "computing");
	} else {
		fx_span(tr, 1, STATE_READY, 0, 100, -1, "waiting for its turn");
		fx_span(tr, 1, STATE_RUNNING, 100, 200, 0, "computing");
	}
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	snprintf(tr->meta.scenario, sizeof tr->meta.scenario, "cpu");
	snprintf(tr->meta.title, sizeof tr->meta.title, "Two CPU-bound tasks");
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "%s", backend);
	snprintf(tr->meta.gil_mode, sizeof tr->meta.gil_mode, "new");
	tr->meta.model = m;
	tr->meta.cores = 2;
	tr->meta.wall_ns = (parallel ? 100 : 200) * MS;
	tr->meta.cpu_ns = 200 * MS;
	return tr;
}

/* sequential, processes (both at once) and gil (one at a time), as a compare file gives them. */
static void fx_result(struct compare_result *res)
{
	struct trace *trs[3] = {fx_cpu("sequential", MODEL_SEQUENTIAL, false),
				fx_cpu("processes", MODEL_PARALLEL, true),
				fx_cpu("gil", MODEL_PSEUDO, false)};

	compare_from_traces(trs, 3, res);
}

/* A context showing RES: a panel per row that ran, titled with its executor. */
static void fx_compare_ctx(struct view_ctx *c, struct compare_result *res)
{
	fx_ctx(c, res->rows[0].tr);
	c->npanels = 0;
	for (int i = 0; i < res->nrows; i++) {
		struct view_panel *p = &c->panels[c->npanels++];
		p->tr = res->rows[i].tr;
		p->now_ns = p->tr ? p->tr->meta.wall_ns : 0;
		snprintf(p->title, sizeof p->title, "%s", res->rows[i].name);
	}
	c->overview = true;
	c->compare = res;
	c->compare_done = true;
	view_show(c, &view_compare);
	c->pl.cursor = 200 * MS;
}

static void test_table_and_verdict(void **unused)
{
	(void)unused;
	struct compare_result res;
	struct view_ctx c;
	struct grid *g = grid_new(100, 30, false);
	char verdict[512];

	fx_result(&res);
	fx_compare_ctx(&c, &res);
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, 1), "Compare"));
	assert_true(fx_find(g, "cpu \u2014 Two CPU-bound tasks (2 tasks, 2 cores)") == 2);
	assert_true(fx_find(g, " executor       model") == 3);
	/* Wall, CPU, speedup; bars as long as the wall times (200 ms: all 36 columns). */
	int y = fx_find(g, " sequential     sequential");
	assert_true(y == 4);
	assert_non_null(strstr(fx_row(g, y), "200 ms    200 ms     1.0\u00d7  "));
	assert_non_null(strstr(fx_row(g, y), "\u2588"));
	size_t full = strlen(strstr(fx_row(g, y), "\u2588"));
	y = fx_find(g, " processes      parallel");
	assert_non_null(strstr(fx_row(g, y), "100 ms    200 ms     2.0\u00d7  "));
	assert_int_equal(strlen(strstr(fx_row(g, y), "\u2588")), full / 2);
	assert_non_null(strstr(fx_row(g, fx_find(g, " gil ")), "1.0\u00d7"));
	/* The verdict is compare.c's, word for word (its start: the row wraps). */
	compare_verdict(&res, verdict, sizeof verdict, false);
	verdict[40] = '\0';
	assert_true(fx_find(g, verdict) > y);
	assert_non_null(strstr(verdict, "multiprocessing"));
	/* The small timelines: a rule per run and its tasks. */
	int t = fx_find(g, " processes \u00b7 parallel ");
	assert_true(t > y);
	assert_non_null(strstr(fx_row(g, t + 1), " A "));
	assert_non_null(strstr(fx_row(g, t + 1), "\u2588"));
	compare_free(&res);
	grid_free(g);
}

/* Stepping over one run follows the executor picked in the table. */
static void test_step_the_picked_run(void **unused)
{
	(void)unused;
	struct compare_result res;
	struct view_ctx c;

	fx_result(&res);
	fx_compare_ctx(&c, &res);
	c.pl.step_mode = STEP_RUN;
	view_act(&c, VA_ROW_DOWN); /* processes */
	view_act(&c, VA_ROW_DOWN); /* gil */
	view_act(&c, VA_START);
	for (int i = 0; i < 4 && view_act(&c, VA_NEXT) && !c.flash[0]; i++)
		assert_int_equal(c.pl.focus.panel, 2);
	assert_true(c.pl.has_focus);
	compare_free(&res);
}

/* The column of the first cell of row Y from X on that holds CP, or -1. */
static int first_cell(const struct grid *g, int x, int y, uint32_t cp)
{
	for (; x < g->w; x++)
		if (grid_at(g, x, y)->ch == cp)
			return x;
	return -1;
}

/*
 * Key P: the picked run and the next one, one above the other on one time
 * axis with every task, at 120x34 and 80x24; sequential's B starts where
 * processes' A ends (the same instant is the same column); stepping stays
 * in the pair; j/k change the second run; Esc goes back to the table.
 */
static void test_pair(void **unused)
{
	(void)unused;
	struct compare_result res;
	struct view_ctx c;
	const int sizes[2][2] = {{120, 34}, {80, 24}};

	fx_result(&res);
	fx_compare_ctx(&c, &res);
	assert_true(view_act(&c, VA_PAIR));
	/* The caption explains a change of the pair, not of the run off screen (gil). */
	char caption[256];
	view_caption_text(&c, caption, sizeof caption);
	assert_true(strncmp(caption, "sequential \u2502", 12) == 0);
	for (int s = 0; s < 2; s++) {
		struct grid *g = grid_new(sizes[s][0], sizes[s][1], false);
		view_compose(g, &c);
		/* The header names the scenario and the pair; at 80 columns without "pair:". */
		assert_non_null(
		    strstr(fx_row(g, 0), s == 0 ? "\u2502 two \u2502 pair: sequential vs processes"
						: "\u2502 two \u2502 sequential vs processes"));
		assert_true(fx_find(g, " executor       model") < 0); /* the pair has the screen */
		int seq = fx_find(g, "\u2500 sequential \u00b7 sequential");
		int par = fx_find(g, "\u2500 processes \u00b7 parallel");
		assert_true(seq > 2 && par > seq);
		assert_true(fx_find(g, "\u2500 gil \u00b7") < 0);
		int seq_b = seq + 1, par_a = par + 1;
		while (!strstr(fx_row(g, seq_b), " B "))
			seq_b++;
		assert_non_null(strstr(fx_row(g, par_a), " A "));
		/* B waits in sequential; its run begins where processes' A ends: 100 ms. */
		int x0 = first_cell(g, 0, par_a, 0x2588);
		int end = first_cell(g, x0, par_a, ' ');
		assert_true(x0 > 0 && end > x0);
		assert_int_equal(first_cell(g, 0, seq_b, 0x2588), end);
		assert_int_equal(grid_at(g, x0, seq_b)->ch, 0x2592); /* ready */
		assert_true(fx_find(g, "\u2588 running") > par);
		grid_free(g);
	}
	/* One cursor: -> steps over the changes of these two runs only. */
	view_act(&c, VA_START);
	int steps = 0;
	while (view_act(&c, VA_NEXT) && !c.flash[0] && steps < 50) {
		assert_true(c.pl.focus.panel == 0 || c.pl.focus.panel == 1);
		steps++;
	}
	assert_true(steps >= 4);
	/* j: another second run (never the first); Esc: the table again. */
	struct grid *g = grid_new(100, 30, false);
	view_act(&c, VA_ROW_DOWN);
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, 0), "pair: sequential vs gil"));
	view_act(&c, VA_ROW_DOWN);
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, 0), "pair: sequential vs processes"));
	view_act(&c, VA_CLOSE);
	view_compose(g, &c);
	assert_true(fx_find(g, " executor       model") > 0);
	assert_null(strstr(fx_row(g, 0), "pair:"));
	/* P from another view opens the pair in the Compare view. */
	c.view = 0;
	view_act(&c, VA_PAIR);
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, 0), "pair: sequential vs processes"));
	grid_free(g);
	compare_free(&res);
}

static void test_running_skipped_and_rows(void **unused)
{
	(void)unused;
	struct compare_result res;
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);

	fx_result(&res);
	fx_compare_ctx(&c, &res);
	/* gil still runs; a fourth executor was skipped. */
	c.compare_done = false;
	struct trace *gil = res.rows[2].tr;
	res.rows[2].tr = NULL;
	c.panels[2].live = true;
	c.panels[2].now_ns = 50 * MS;
	struct compare_row *skip = &res.rows[res.nrows++];
	snprintf(skip->name, sizeof skip->name, "threads");
	skip->model = MODEL_PARALLEL;
	snprintf(skip->skipped, sizeof skip->skipped,
		 "skipped: 10000 tasks would need 10000 OS threads");
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, fx_find(g, " gil ")), " 50 ms running\u2026"));
	assert_non_null(strstr(fx_row(g, fx_find(g, " threads ")), "skipped: 10000 tasks"));
	assert_true(fx_find(g, "the verdict comes when all have run") > 0);
	assert_true(fx_find(g, "multiprocessing") < 0);

	/* j/k pick a row and stop at the ends; the view keeps them from the timeline. */
	assert_int_equal(c.compare_sel, 0);
	assert_true(view_act(&c, VA_ROW_DOWN));
	assert_true(view_act(&c, VA_ROW_DOWN));
	assert_int_equal(c.compare_sel, 2);
	assert_true(view_act(&c, VA_PAGE_DOWN));
	assert_int_equal(c.compare_sel, 3);
	assert_true(view_act(&c, VA_ROW_DOWN));
	assert_int_equal(c.compare_sel, 3);
	assert_true(view_act(&c, VA_PAGE_UP));
	assert_true(view_act(&c, VA_ROW_UP));
	assert_int_equal(c.compare_sel, 0);
	assert_int_equal(c.sel, 0);

	/* Every size, ASCII: nothing outside ASCII, never a crash. */
	static const int sizes[][2] = {{60, 16}, {80, 24}, {200, 60}, {61, 17}};
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		struct grid *a = grid_new(sizes[s][0], sizes[s][1], true);
		c.ascii = true;
		c.compare_sel = (int)s;
		view_compose(a, &c);
		assert_true(fx_find(a, "processes") > 0);
		for (int r = 0; r < a->h; r++)
			for (const char *p = fx_row(a, r); *p; p++)
				assert_true((unsigned char)*p < 0x80);
		grid_free(a);
	}
	res.rows[2].tr = gil;
	compare_free(&res);
	grid_free(g);
}

static void test_costs_bars(void **unused)
{
	(void)unused;
	struct costs_result res = {.rounds = 7};
	struct trace *tr = fx_one_core();
	struct view_ctx c;
	struct grid *g = grid_new(100, 30, false);

	res.unit[COSTS_THREAD] = (struct costs_figures){20, 2, 16, 1000};
	res.unit[COSTS_PROCESS] = (struct costs_figures){400, 4, 160, 200};
	res.unit[COSTS_COROUTINE] = (struct costs_figures){0.05, 0.01, 0.5, 10000};
	res.unit[COSTS_GREEN] = (struct costs_figures){2, -1, 8, 10000};
	fx_ctx(&c, tr);
	view_show(&c, &view_costs);
	/* Before any measurement there is no Costs view. */
	view_compose(g, &c);
	assert_null(strstr(fx_row(g, 1), "Costs"));
	c.costs_measuring = true;
	view_compose(g, &c);
	assert_true(fx_find(g, "measuring what a thread") > 0);
	c.costs = &res;
	c.costs_measuring = false;
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, 1), "Costs"));
	int y = fx_find(g, "Start one and see it end");
	assert_true(y > 1);
	assert_non_null(strstr(fx_row(g, y + 2), "process"));
	assert_non_null(strstr(fx_row(g, y + 2), "  400  "));
	/* The dearest fills the bar; a twentieth of it gets a twentieth. */
	size_t full = strlen(strstr(fx_row(g, y + 2), "\u2588"));
	const char *t = strstr(fx_row(g, y + 1), "\u2588");
	assert_non_null(t);
	assert_true(strlen(t) * 20 >= full - 20 && strlen(t) * 20 <= full + 60);
	/* The cheapest still shows; an unmeasured figure says so. */
	assert_non_null(strstr(fx_row(g, y + 3), "0.050  \u258f"));
	assert_non_null(strstr(fx_row(g, fx_find(g, "One switch") + 4), "n/a"));
	assert_true(fx_find(g, "For 10,000 connections, one unit each: 156 MiB as threads") > y);
	grid_free(g);
	trace_destroy(tr);
}

/* Every executor's run on screen at once: every view composes at every size. */
static void test_every_view_with_every_run(void **unused)
{
	(void)unused;
	static const int sizes[][2] = {{60, 16}, {80, 24}, {200, 60}, {61, 17}};
	struct trace *trs[VIEW_MAX_PANELS];
	struct compare_result res;
	struct view_ctx c;
	char name[32];

	for (int i = 0; i < VIEW_MAX_PANELS; i++) {
		snprintf(name, sizeof name, i ? "executor%d" : "sequential", i);
		trs[i] = fx_cpu(name, i ? MODEL_PARALLEL : MODEL_SEQUENTIAL, i % 2);
	}
	compare_from_traces(trs, VIEW_MAX_PANELS, &res);
	fx_compare_ctx(&c, &res);
	for (int v = 0; v < view_count; v++)
		for (size_t s = 0; s < sizeof sizes / sizeof sizes[0] && view_applies(&c, v); s++) {
			struct grid *g = grid_new(sizes[s][0], sizes[s][1], s % 2);
			c.view = v;
			c.colour = s % 2 == 0;
			c.compare_sel = VIEW_MAX_PANELS - 1;
			view_compose(g, &c);
			assert_true(fx_find(g, view_table[v]->name) == 1);
			grid_free(g);
		}
	compare_free(&res);
}

/* Six tasks of 10 ms, one after another (sequential) or all at once. */
static struct trace *fx_six(const char *backend, enum model m)
{
	struct trace *tr = trace_create(6, 0);
	char name[8];

	for (int i = 0; i < 6; i++) {
		bool seq = m == MODEL_SEQUENTIAL;
		snprintf(name, sizeof name, "T%d", i);
		trace_set_name(tr, i, name);
		if (seq && i > 0)
			fx_span(tr, i, STATE_READY, 0, i * 10.0, -1, "waiting for its turn");
		fx_span(tr, i, STATE_RUNNING, seq ? i * 10.0 : 0, seq ? i * 10.0 + 10 : 10, i,
			"computing");
		trace_set_outcome(tr, i, OUTCOME_DONE);
	}
	snprintf(tr->meta.scenario, sizeof tr->meta.scenario, "six");
	snprintf(tr->meta.title, sizeof tr->meta.title, "Six tasks");
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "%s", backend);
	tr->meta.model = m;
	tr->meta.cores = 6;
	tr->meta.wall_ns = (m == MODEL_SEQUENTIAL ? 60 : 10) * MS;
	tr->meta.cpu_ns = 60 * MS;
	return tr;
}

/*
 * Once every run is done each small timeline shows all its tasks (the
 * point of sequential is the last task waiting), and j/k scroll the runs
 * that do not fit into view.
 */
static void test_every_task_once_done(void **unused)
{
	(void)unused;
	struct compare_result res;
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);
	struct trace *trs[3] = {fx_six("sequential", MODEL_SEQUENTIAL),
				fx_six("threads", MODEL_PARALLEL),
				fx_six("processes", MODEL_PARALLEL)};

	compare_from_traces(trs, 3, &res);
	fx_compare_ctx(&c, &res);
	c.pl.cursor = 60 * MS;
	view_compose(g, &c);
	int t = fx_find(g, " sequential \u00b7 sequential ");
	assert_true(t > 0);
	for (int i = 0; i < 6; i++) {
		char name[8];
		snprintf(name, sizeof name, " T%d ", i);
		assert_non_null(strstr(fx_row(g, t + 1 + i), name));
	}
	assert_true(fx_find(g, "more task") < 0);
	assert_true(fx_find(g, "more run") > t);
	/* The last run scrolled into view, all its tasks with it. */
	view_act(&c, VA_PAGE_DOWN);
	view_compose(g, &c);
	t = fx_find(g, " processes \u00b7 parallel ");
	assert_true(t > 0);
	assert_non_null(strstr(fx_row(g, t + 6), " T5 "));
	/* While runs go on, the blocks stay small so that every run shows. */
	c.compare_done = false;
	view_act(&c, VA_PAGE_UP);
	view_compose(g, &c);
	assert_true(fx_find(g, "+3 more tasks") > 0);
	compare_free(&res);
	grid_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_and_verdict),
	    cmocka_unit_test(test_step_the_picked_run),
	    cmocka_unit_test(test_pair),
	    cmocka_unit_test(test_running_skipped_and_rows),
	    cmocka_unit_test(test_costs_bars),
	    cmocka_unit_test(test_every_task_once_done),
	    cmocka_unit_test(test_every_view_with_every_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
