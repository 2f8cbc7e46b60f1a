/*
 * test_view_lanes.c -- how a cell of a lane is drawn: a cell that holds
 * several changes is drawn as mixed (never as whichever state took most of
 * it, which aliases 5 ms GIL holds into 80 ms blocks), each state has its
 * own glyph without colour too, the edge of a sleep is never io's, and the
 * cores and GIL strips mark a cell two tasks shared.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "view_ctx.h"
#include "view_fixture.h"
#include "view_lanes.h"

/* Two threads trading the GIL every 5 ms for a second. */
static struct trace *fx_battle(void)
{
	struct trace *tr = trace_create(2, TRACE_LOCK_LANE);

	trace_set_name(tr, 0, "A");
	trace_set_name(tr, 1, "B");
	for (int i = 0; i < 200; i++) {
		int run = i % 2, wait = 1 - run;
		fx_span(tr, run, STATE_RUNNING, i * 5.0, i * 5.0 + 5, 0, "");
		fx_span(tr, wait, STATE_LOCK, i * 5.0, i * 5.0 + 5, -1, "");
		fx_span(tr, 2, STATE_RUNNING, i * 5.0, i * 5.0 + 5, run, "");
	}
	tr->meta.wall_ns = 1000 * MS;
	tr->meta.model = MODEL_PSEUDO;
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "gil");
	return tr;
}

static void test_mixed_cells_do_not_alias(void **unused)
{
	(void)unused;
	struct trace *tr = fx_battle();
	struct view_ctx c;
	struct grid *g = grid_new(77, 2, true);
	/* 77 columns over a second: 13 ms a cell, two or three hand-offs in each. */
	struct view_axis ax = {0, 77, 0, 1000 * MS, 1000 * MS};

	fx_ctx(&c, tr);
	c.ascii = true;
	int mixed = view_lanes_task(g, &c, &ax, tr, 0, 1000 * MS, 0);
	assert_int_equal(mixed, 77);
	for (int x = 0; x < 77; x++)
		assert_int_equal(grid_at(g, x, 0)->ch, STATE_MIXED_ASCII);
	/* Zoomed in to 1 ms a cell: the holds come back, 5 cells each, no mixed cell. */
	struct view_axis zoom = {0, 50, 0, 50 * MS, 50 * MS};
	grid_clear(g);
	assert_int_equal(view_lanes_task(g, &c, &zoom, tr, 0, 1000 * MS, 0), 0);
	assert_string_equal(fx_row(g, 0), "#####xxxxx#####xxxxx#####xxxxx#####xxxxx#####xxxxx");
	/* Unicode, in colour: the mixed glyph in the colours of its two states. */
	c.ascii = false;
	c.colour = true;
	struct grid *u = grid_new(77, 1, false);
	view_lanes_task(u, &c, &ax, tr, 0, 1000 * MS, 0);
	const struct grid_cell *cell = grid_at(u, 10, 0);
	const char *glyph = STATE_MIXED_GLYPH;
	assert_int_equal(cell->ch, grid_utf8_next(&glyph));
	assert_true((cell->st.fg == COLOUR_GREEN && cell->st.bg == COLOUR_RED) ||
		    (cell->st.fg == COLOUR_RED && cell->st.bg == COLOUR_GREEN));
	grid_free(u);
	grid_free(g);
	trace_destroy(tr);
}

/* A cell one state held for more than three quarters is that state's, switches or not. */
static void test_dominant_state_is_not_mixed(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(1, 0);
	struct view_ctx c;
	struct grid *g = grid_new(2, 1, true);
	struct view_axis ax = {0, 2, 0, 20 * MS, 20 * MS};

	trace_set_name(tr, 0, "A");
	/* Cell 0: running, preempted twice for half a millisecond.  Cell 1: 60/40. */
	fx_span(tr, 0, STATE_RUNNING, 0, 3, 0, "");
	fx_span(tr, 0, STATE_READY, 3, 3.5, -1, "");
	fx_span(tr, 0, STATE_RUNNING, 3.5, 7, 0, "");
	fx_span(tr, 0, STATE_READY, 7, 7.5, -1, "");
	fx_span(tr, 0, STATE_RUNNING, 7.5, 12, 0, "");
	fx_span(tr, 0, STATE_LOCK, 12, 14, -1, "");
	fx_span(tr, 0, STATE_RUNNING, 14, 16, 0, "");
	fx_span(tr, 0, STATE_LOCK, 16, 18, -1, "");
	fx_span(tr, 0, STATE_RUNNING, 18, 20, 0, "");
	tr->meta.wall_ns = 20 * MS;
	fx_ctx(&c, tr);
	c.ascii = true;
	assert_int_equal(view_lanes_task(g, &c, &ax, tr, 0, 20 * MS, 0), 1);
	assert_string_equal(fx_row(g, 0), "#*");
	grid_free(g);
	trace_destroy(tr);
}

/* One lane through every state, 10 ms each, drawn 1 ms a cell. */
static void test_each_state_its_own_glyph(void **unused)
{
	(void)unused;
	enum state order[] = {STATE_RUNNING, STATE_READY, STATE_IO,
			      STATE_SLEEP,   STATE_LOCK,  STATE_BLOCKED};
	struct trace *tr = trace_create(1, 0);
	struct view_ctx c;

	trace_set_name(tr, 0, "A");
	for (int i = 0; i < 6; i++)
		fx_span(tr, 0, order[i], i * 10.0, i * 10.0 + 10,
			order[i] == STATE_RUNNING ? 0 : -1, "");
	tr->meta.wall_ns = 60 * MS;
	fx_ctx(&c, tr);
	for (int mode = 0; mode < 2; mode++) {
		struct grid *g = grid_new(60, 1, mode == 1);
		struct view_axis ax = {0, 60, 0, 60 * MS, 60 * MS};
		c.ascii = mode == 1;
		c.colour = false;
		view_lanes_task(g, &c, &ax, tr, 0, 60 * MS, 0);
		for (int i = 0; i < 6; i++)
			for (int j = 0; j < 6; j++)
				if (i != j)
					assert_int_not_equal(grid_at(g, i * 10 + 5, 0)->ch,
							     grid_at(g, j * 10 + 5, 0)->ch);
		for (int i = 0; i < 6; i++)
			assert_int_equal(grid_at(g, i * 10 + 5, 0)->ch,
					 view_state_cp(&c, order[i]));
		grid_free(g);
	}
	trace_destroy(tr);
}

/*
 * Without colour an edge inside a cell is drawn as the state that took
 * most of it: a partial block there would draw the lock as nothing.
 */
static void test_edges_without_colour(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(1, 0);
	struct view_ctx c;
	struct grid *g = grid_new(4, 1, false);
	struct view_axis ax = {0, 4, 0, 4 * MS, 4 * MS};

	trace_set_name(tr, 0, "A");
	fx_span(tr, 0, STATE_RUNNING, 0, 1.25, 0, "");
	fx_span(tr, 0, STATE_LOCK, 1.25, 2.75, -1, "");
	fx_span(tr, 0, STATE_RUNNING, 2.75, 4, 0, "");
	tr->meta.wall_ns = 4 * MS;
	fx_ctx(&c, tr);
	view_lanes_task(g, &c, &ax, tr, 0, 4 * MS, 0);
	assert_string_equal(fx_row(g, 0), "\u2588\u2573\u2573\u2588");
	/* In colour the edge moves in eighths, its other part the lock's colour. */
	c.colour = true;
	grid_clear(g);
	view_lanes_task(g, &c, &ax, tr, 0, 4 * MS, 0);
	assert_int_equal(grid_at(g, 1, 0)->ch, 0x258e);
	assert_int_equal(grid_at(g, 1, 0)->st.bg, COLOUR_RED);
	grid_free(g);
	trace_destroy(tr);
}

/* The first and last cell of a sleep are the sleep's or running's, never io's. */
static void test_sleep_edges_are_not_io(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(1, 0);
	struct view_ctx c;
	struct grid *g = grid_new(10, 1, false);
	struct view_axis ax = {0, 10, 0, 100 * MS, 100 * MS};

	trace_set_name(tr, 0, "A");
	fx_span(tr, 0, STATE_READY, 0, 3, -1, "");
	fx_span(tr, 0, STATE_RUNNING, 3, 4, 0, "");
	fx_span(tr, 0, STATE_SLEEP, 4, 93, -1, "");
	fx_span(tr, 0, STATE_RUNNING, 93, 94, 0, "");
	tr->meta.wall_ns = 100 * MS;
	fx_ctx(&c, tr);
	for (int colour = 0; colour < 2; colour++) {
		c.colour = colour;
		grid_clear(g);
		view_lanes_task(g, &c, &ax, tr, 0, 100 * MS, 0);
		for (int x = 0; x < 10; x++) {
			const struct grid_cell *cell = grid_at(g, x, 0);
			assert_int_not_equal(cell->ch, view_state_cp(&c, STATE_IO));
			assert_int_not_equal(cell->st.fg, COLOUR_CYAN);
			assert_int_not_equal(cell->st.bg, COLOUR_CYAN);
		}
		assert_int_equal(grid_at(g, 5, 0)->ch, view_state_cp(&c, STATE_SLEEP));
	}
	grid_free(g);
	trace_destroy(tr);
}

/* The GIL strip: a cell two holders shared is mixed, not the longer holder's name. */
static void test_strip_marks_shared_cells(void **unused)
{
	(void)unused;
	struct trace *tr = fx_battle();
	struct view_ctx c;
	struct grid *g = grid_new(77, 1, true);
	struct view_axis ax = {0, 77, 0, 1000 * MS, 1000 * MS};
	int rows[1] = {-1};

	fx_ctx(&c, tr);
	c.ascii = true;
	view_lanes_owners(g, &c, &ax, tr, 1000 * MS, rows, 1, 0);
	for (int x = 0; x < 77; x++)
		assert_int_equal(grid_at(g, x, 0)->ch, STATE_MIXED_ASCII);
	struct view_axis zoom = {0, 20, 0, 20 * MS, 20 * MS};
	grid_clear(g);
	view_lanes_owners(g, &c, &zoom, tr, 1000 * MS, rows, 1, 0);
	assert_int_equal(grid_at(g, 0, 0)->ch, 'A');
	assert_int_equal(grid_at(g, 5, 0)->ch, 'B');
	/* One hand-off inside a cell is an edge, not a mix: 2 ms cells, holds of 5 ms. */
	struct view_axis edge = {0, 10, 0, 20 * MS, 20 * MS};
	grid_clear(g);
	view_lanes_owners(g, &c, &edge, tr, 1000 * MS, rows, 1, 0);
	assert_null(strchr(fx_row(g, 0), STATE_MIXED_ASCII));
	grid_free(g);
	trace_destroy(tr);
}

/* The legend lists the mixed glyph, and how many cells are mixed with the key to zoom. */
static void test_legend_counts_mixed(void **unused)
{
	(void)unused;
	struct trace *tr = fx_battle();
	struct view_ctx c;
	struct grid *g = grid_new(120, 34, false);

	fx_ctx(&c, tr);
	view_compose(g, &c);
	int y = fx_find(g, "\u2588 running");
	assert_true(y > 0);
	assert_non_null(strstr(fx_row(g, y), STATE_MIXED_GLYPH " mixed: "));
	assert_non_null(strstr(fx_row(g, y), "+ to zoom"));
	assert_true(c.mixed > 100);
	/* Zoomed in far enough, nothing is mixed and the legend says only what the glyph is. */
	for (int i = 0; i < 8; i++)
		view_act(&c, VA_ZOOM_IN);
	view_act(&c, VA_START);
	view_compose(g, &c);
	assert_int_equal(c.mixed, 0);
	assert_null(strstr(fx_row(g, y), "+ to zoom"));
	assert_non_null(strstr(fx_row(g, y), STATE_MIXED_GLYPH " mixed"));
	grid_free(g);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mixed_cells_do_not_alias),
	    cmocka_unit_test(test_dominant_state_is_not_mixed),
	    cmocka_unit_test(test_each_state_its_own_glyph),
	    cmocka_unit_test(test_edges_without_colour),
	    cmocka_unit_test(test_sleep_edges_are_not_io),
	    cmocka_unit_test(test_strip_marks_shared_cells),
	    cmocka_unit_test(test_legend_counts_mixed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
