/*
 * test_view_layout.c -- the screen's places: every place gets its own rows
 * in a fixed order at any height, the caption always two or three, the
 * narration paged when long; composed screens keep the legend, the
 * caption and the key bar whole in every view.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "view_ctx.h"
#include "view_fixture.h"
#include "view_layout.h"

static void check_plan(int h, const struct view_layout_want *w)
{
	struct view_layout lo;

	view_layout_plan(&lo, h, w);
	const struct view_rect order[] = {lo.header,	lo.tabs,     lo.axis,	 lo.rows,
					  lo.strips,	lo.key,	     lo.legend,	 lo.figures,
					  lo.narration, lo.findings, lo.caption, lo.keybar};
	int y = 0;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		assert_true(order[i].h >= 0);
		/* In order, never overlapping; only the spare rows above the caption are skipped.
		 */
		if (order[i].y != y)
			assert_true(order[i].y == y + lo.spare && &order[i] == &order[10]);
		y = order[i].y + order[i].h;
	}
	assert_int_equal(y, h);
	assert_int_equal(lo.keybar.y, h - 1);
	assert_int_equal(lo.legend.h, 1);
	assert_true(lo.caption.h >= VIEW_CAPTION_ROWS && lo.caption.h <= VIEW_CAPTION_ROWS + 1);
	assert_int_equal(lo.axis.h, w->axis ? 1 : 0);
	assert_true(lo.rows.h / lo.pitch <= w->rows);
	assert_true(lo.narration.h <= w->narration && lo.findings.h <= w->findings);
	/* The strips' key: one row with the strips when asked for, none without them. */
	assert_true(lo.key.h == 0 || (lo.key.h == 1 && w->key && lo.strips.h > 0));
	if (w->key && lo.strips.h > 0 && lo.narration.h + lo.findings.h > 0)
		assert_int_equal(lo.key.h, 1); /* it comes before the story */
	/* The first few rows come before anything optional. */
	int need = w->min_rows < w->rows ? w->min_rows : w->rows;
	if (h >= VIEW_MIN_H && need <= 3)
		assert_true(lo.rows.h >= need);
}

static void test_places_in_order(void **unused)
{
	(void)unused;
	const int rows[] = {0, 1, 2, 3, 10, 40, 10000};
	for (int h = VIEW_MIN_H; h <= 60; h++)
		for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
			for (int strips = 0; strips <= 5; strips += 5)
				for (int narr = 0; narr <= 12; narr += 4)
					for (int f = 0; f <= 4; f += 4) {
						struct view_layout_want w = {
						    rows[r],	3,	strips,	   narr, f,
						    r % 2 == 0, f == 0, narr == 4, false};
						check_plan(h, &w);
						w.key = true;
						check_plan(h, &w);
					}
}

/* A short screen: the rows, the strips and two lines of story before more tasks. */
static void test_order_of_need(void **unused)
{
	(void)unused;
	struct view_layout lo;
	struct view_layout_want w = {
	    .rows = 10, .min_rows = 3, .strips = 2, .narration = 5, .axis = true, .figures = true};

	view_layout_plan(&lo, 24, &w);
	assert_int_equal(lo.caption.h, 2);
	assert_int_equal(lo.strips.h, 2);
	assert_true(lo.narration.h >= 2);
	assert_int_equal(lo.rows.h + lo.narration.h, 24 - 10);
	view_layout_plan(&lo, 34, &w);
	assert_int_equal(lo.caption.h, 3);
	assert_int_equal(lo.rows.h, 10);
	assert_int_equal(lo.narration.h, 5);
	/* Room to spare and every task shown: taller bars. */
	w.rows = 2;
	w.tall = true;
	view_layout_plan(&lo, 34, &w);
	assert_int_equal(lo.pitch, 3);
	assert_int_equal(lo.rows.h, 6);
}

static const char *const story[] = {
    "The first line of a long story about threads that wraps over the width of the screen.",
    "The second line says that the GIL is held by one thread at a time, at most 5 ms.",
    "The third line tells what happens when a thread waits for the network.",
    "The fourth line is about the event loop, and how one blocking call freezes it.",
    "The fifth line ends the story: CPU-bound work wants processes, not threads.",
    "More of the story, a seventh line long enough to wrap on an 80-column terminal.",
    "More of the story, an eighth line long enough to wrap on an 80-column terminal.",
    "More of the story, a ninth line long enough to wrap on an 80-column terminal..",
    "The sixth line is the last one of the story.",
};

/* Every view at 80x24 with a long story: the legend, the caption and the key bar stay whole. */
static void test_nothing_overwrites(void **unused)
{
	(void)unused;
	struct trace *tr = fx_gil();
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);

	fx_ctx(&c, tr);
	c.narration = story;
	c.nnarration = 9;
	for (int v = 0; v < 4; v++) {
		c.view = v;
		view_compose(g, &c);
		if (view_current(&c) != v)
			continue;
		int y = fx_find(g, "\u2588 running");
		if (v == 0) {
			assert_true(y > 0);
			assert_non_null(strstr(fx_row(g, y), "\u2500 blocked  " STATE_MIXED_GLYPH));
		}
		assert_non_null(strstr(fx_row(g, 23), "? Help"));
	}
	c.view = 0;
	view_compose(g, &c);
	/* The story is paged: a page mark, and N turns the page. */
	int m = fx_find(g, " N]");
	assert_true(m > 0);
	assert_non_null(strstr(fx_row(g, m), "[1/"));
	assert_true(fx_find(g, "The first line") > fx_find(g, "\u2588 running"));
	assert_true(fx_find(g, "The first line") < 22);
	view_act(&c, VA_NARRATION);
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, fx_find(g, " N]")), "[2/"));
	assert_true(fx_find(g, "The first line") < 0);
	assert_true(fx_find(g, "\u2588 running") > 0);
	/* A tall screen tells all of it, with no page mark. */
	struct grid *tall = grid_new(120, 44, false);
	view_compose(tall, &c);
	assert_true(fx_find(tall, "The sixth line") > 0);
	assert_true(fx_find(tall, " N]") < 0);
	grid_free(tall);
	grid_free(g);
	trace_destroy(tr);
}

/* The overview tells its story too, below its panels and the legend. */
static void test_overview_narration(void **unused)
{
	(void)unused;
	struct trace *a = fx_one_core(), *b = fx_gil();
	struct view_ctx c;
	struct grid *g = grid_new(120, 34, false);

	fx_ctx(&c, a);
	c.panels[1] = c.panels[0];
	c.panels[1].tr = b;
	c.npanels = 2;
	c.overview = true;
	c.narration = story;
	c.nnarration = 2;
	view_compose(g, &c);
	int legend = fx_find(g, "\u2588 running");
	assert_true(legend > fx_find(g, " B "));
	assert_true(fx_find(g, "The first line") > legend);
	assert_true(fx_find(g, "The second line") > legend);
	grid_free(g);
	trace_destroy(a);
	trace_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_places_in_order),
	    cmocka_unit_test(test_order_of_need),
	    cmocka_unit_test(test_nothing_overwrites),
	    cmocka_unit_test(test_overview_narration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
