/*
 * test_view_timeline.c -- the main screen composed from hand-built traces
 * and read back as text: bars, glyphs in ASCII mode, sub-cell edges,
 * captions, core and GIL lanes, the hidden-rows summary, the help and the
 * "please enlarge" screen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "view_ctx.h"
#include "view_fixture.h"
#include "view_help.h"
#include "view_lanes.h"

static char *repeat(const char *s, int n)
{
	static char buf[4][1024];
	static int k;
	char *out = buf[k++ % 4];

	out[0] = '\0';
	for (int i = 0; i < n; i++)
		strcat(out, s);
	return out;
}

static void test_bars_unicode(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);
	char want[1024];

	fx_ctx(&c, tr);
	view_compose(g, &c);
	int y = fx_find(g, " A  ");
	assert_true(y > 2);
	/* Name width 5, bars from column 7, 72 columns for 40 ms: 18 per 10 ms. */
	snprintf(want, sizeof want, " A     %s%s%s", repeat("\u2588", 18), repeat("\u2592", 18),
		 repeat("\u2588", 18));
	assert_string_equal(fx_row(g, y), want);
	assert_int_equal(grid_tag(g, y), 1);
	snprintf(want, sizeof want, " B     %s%s%s", repeat("\u2592", 18), repeat("\u2588", 18),
		 repeat("\u2591", 36));
	assert_string_equal(fx_row(g, fx_find(g, " B  ")), want);
	assert_non_null(strstr(fx_row(g, 0), "DONE"));
	assert_non_null(strstr(fx_row(g, 0), "threads-1core"));
	assert_true(fx_find(g, "running") > y);
	grid_free(g);
	trace_destroy(tr);
}

/* An observed program's threads are listed by process, though born interleaved. */
static void test_threads_by_process(void **state)
{
	(void)state;
	struct trace *tr = trace_create(4, 0);
	const char *names[] = {"main 100", "child 200", "worker 101", "worker 201"};
	pid_t pids[] = {100, 200, 100, 200};
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);

	for (int i = 0; i < 4; i++) {
		struct trace_thread th = {.pid = pids[i], .tid = pids[i] + (i >= 2)};
		trace_set_name(tr, i, names[i]);
		trace_set_thread(tr, i, &th);
		fx_span(tr, i, STATE_RUNNING, 0, 10, 0, "running");
		trace_set_outcome(tr, i, OUTCOME_DONE);
	}
	tr->meta.model = MODEL_OBSERVED;
	tr->meta.wall_ns = 10 * MS;
	fx_ctx(&c, tr);
	view_compose(g, &c);
	int y[] = {fx_find(g, " main 100"), fx_find(g, " worker 101"), fx_find(g, " child 200"),
		   fx_find(g, " worker 201")};
	assert_true(y[0] > 0);
	assert_true(y[0] < y[1] && y[1] < y[2] && y[2] < y[3]);
	grid_free(g);
	trace_destroy(tr);
}

static void test_bars_ascii_and_cursor(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, true);
	char want[1024];

	fx_ctx(&c, tr);
	c.ascii = true;
	c.pl.cursor = 20 * MS; /* only what happened before 20 ms is drawn */
	c.pl.paused = true;
	view_compose(g, &c);
	int y = fx_find(g, " A  ");
	snprintf(want, sizeof want, " A     %s%s", repeat("#", 18), repeat("-", 18));
	assert_string_equal(fx_row(g, y), want);
	snprintf(want, sizeof want, " B     %s%s", repeat("-", 18), repeat("#", 18));
	assert_string_equal(fx_row(g, fx_find(g, " B  ")), want);
	assert_non_null(strstr(fx_row(g, 0), "PAUSED"));
	/* Nothing on screen is outside ASCII. */
	for (int r = 0; r < g->h; r++)
		for (const char *p = fx_row(g, r); *p; p++)
			assert_true((unsigned char)*p < 0x80);
	/* The cursor's marker sits on the axis row, at column 7 + 36. */
	assert_int_equal(grid_at(g, 7 + 36, 2)->ch, 'v');
	grid_free(g);
	trace_destroy(tr);
}

static void test_sub_cell_edges(void **state)
{
	(void)state;
	struct trace *tr = trace_create(2, 0);
	struct view_ctx c;
	struct grid *g = grid_new(10, 2, false);
	struct view_axis ax = {0, 10, 0, 10 * MS, 10 * MS};

	fx_span(tr, 0, STATE_RUNNING, 0, 2.5, 0, "");
	fx_span(tr, 0, STATE_SLEEP, 2.5, 5, -1, "");
	fx_span(tr, 1, STATE_READY, 0, 2.25, -1, "");
	fx_span(tr, 1, STATE_RUNNING, 2.25, 4, 0, "");
	tr->meta.wall_ns = 10 * MS;
	fx_ctx(&c, tr);
	c.colour = true; /* the unlit part of a partial block is the other state's colour */
	view_lanes_task(g, &c, &ax, tr, 0, 10 * MS, 0);
	view_lanes_task(g, &c, &ax, tr, 1, 10 * MS, 1);
	/* Running ends half-way through column 2: a half block. */
	assert_string_equal(fx_row(g, 0), "\u2588\u2588\u258c\u2591\u2591");
	/* Running starts a quarter into column 2: a reversed quarter block. */
	assert_int_equal(grid_at(g, 2, 1)->ch, 0x258e);
	assert_true(grid_at(g, 2, 1)->st.attr & GRID_REVERSE);
	assert_int_equal(grid_at(g, 3, 1)->ch, 0x2588);
	/* Ending at the cursor moves in eighths too. */
	grid_clear(g);
	ax.cursor = (uint64_t)(1.75 * MS);
	view_lanes_task(g, &c, &ax, tr, 0, 10 * MS, 0);
	assert_string_equal(fx_row(g, 0), "\u2588\u258a");
	/* Time slices inside one column: several changes, so the mixed glyph. */
	struct trace *sl = trace_create(1, 0);
	for (int i = 0; i < 10; i++) {
		fx_span(sl, 0, STATE_RUNNING, i * 1.0, i * 1.0 + 0.25, 0, "");
		fx_span(sl, 0, STATE_READY, i * 1.0 + 0.25, i * 1.0 + 1.0, -1, "");
	}
	struct view_axis wide = {0, 2, 0, 10 * MS, 10 * MS};
	grid_clear(g);
	view_lanes_task(g, &c, &wide, sl, 0, 10 * MS, 0);
	assert_string_equal(fx_row(g, 0), STATE_MIXED_GLYPH STATE_MIXED_GLYPH);
	trace_destroy(sl);
	/* ASCII mode has no partial blocks: the larger share wins. */
	c.ascii = true;
	grid_clear(g);
	ax.cursor = 10 * MS;
	view_lanes_task(g, &c, &ax, tr, 0, 10 * MS, 0);
	assert_string_equal(fx_row(g, 0), "###..");
	grid_free(g);
	trace_destroy(tr);
}

static void test_caption_steps(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_ctx c;
	char buf[512];

	fx_ctx(&c, tr);
	view_player_home(&c.pl);
	assert_true(view_act(&c, VA_NEXT));
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=0.0 ms  A: computing on core 0");
	view_act(&c, VA_NEXT);
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=0.0 ms  B: waiting for a core \u2014 A runs on core 0");
	assert_int_equal(c.sel, 1); /* stepping selects the task it explains */
	view_act(&c, VA_NEXT);
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=10.0 ms  A: preempted by the OS \u2014 B runs on core 0");
	assert_true(c.pl.paused);
	assert_int_equal(c.pl.cursor, 10 * MS);
	view_act(&c, VA_END);
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=40.0 ms  B: finished");
	trace_destroy(tr);
}

static void test_gil_caption_and_lane(void **state)
{
	(void)state;
	struct trace *tr = fx_gil();
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);
	char buf[512];

	fx_ctx(&c, tr);
	view_player_home(&c.pl);
	view_act(&c, VA_NEXT);
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=0.0 ms  A: computing on core 0 \u2014 holds the GIL");
	view_act(&c, VA_NEXT);
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf,
			    "t=0.0 ms  B: waiting for the GIL (drop requested) \u2014 A holds it");
	view_act(&c, VA_END);
	view_compose(g, &c);
	int y = fx_find(g, " GIL ");
	assert_true(y > 0);
	/* The GIL lane shows its holder's name at the start of each hold. */
	assert_int_equal(grid_at(g, 7, y)->ch, 'A');
	assert_int_equal(grid_at(g, 7 + 36, y)->ch, 'B');
	assert_true(grid_at(g, 8, y)->st.attr & GRID_REVERSE);
	assert_true(fx_find(g, " cpu0 ") > 0);
	assert_true(fx_find(g, " cpu1 ") > 0);
	grid_free(g);
	trace_destroy(tr);
}

/*
 * Strips whose letters are not the names: a key row of its own between the
 * strips and the legend, at 120x34 and at 80x24; none when A is "A".
 */
static void test_strips_key(void **state)
{
	(void)state;
	struct trace *tr = fx_gil();
	struct view_ctx c;
	const int sizes[2][2] = {{120, 34}, {80, 24}};

	fx_ctx(&c, tr);
	for (int i = 0; i < 2; i++) {
		struct grid *g = grid_new(sizes[i][0], sizes[i][1], false);
		trace_set_name(tr, 0, "A");
		trace_set_name(tr, 1, "B");
		view_compose(g, &c);
		assert_true(fx_find(g, "key:") < 0);
		trace_set_name(tr, 0, "fib33");
		trace_set_name(tr, 1, "fib34");
		view_compose(g, &c);
		int gil = fx_find(g, " GIL "), key = fx_find(g, "key:");
		int legend = fx_find(g, "\u2588 running");
		assert_true(gil > 0);
		assert_int_equal(key, gil + 1);
		assert_int_equal(legend, key + 1);
		assert_non_null(strstr(fx_row(g, key), " key: A fib33  B fib34"));
		/* The key's letters wear the strips' task colours. */
		int x = (int)(strstr(fx_row(g, key), "A fib33") - fx_row(g, key));
		assert_int_equal(grid_at(g, x, key)->ch, 'A');
		assert_true(grid_at(g, x, key)->st.attr & GRID_REVERSE);
		/* The strips themselves are still whole above it. */
		assert_non_null(strstr(fx_row(g, fx_find(g, " cpu1 ")), "B"));
		grid_free(g);
	}
	trace_destroy(tr);
}

static void test_many_tasks_summary(void **state)
{
	(void)state;
	struct trace *tr = trace_create(10000, 0);
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);
	char name[16];

	for (int i = 0; i < 10000; i++) {
		snprintf(name, sizeof name, "conn%d", i);
		trace_set_name(tr, i, name);
		fx_span(tr, i, STATE_IO, 0, 5, -1, "recv on socket");
		fx_span(tr, i, STATE_RUNNING, 5, 6, i % 2, "callback");
		trace_set_outcome(tr, i, OUTCOME_DONE);
	}
	tr->meta.wall_ns = 6 * MS;
	fx_ctx(&c, tr);
	/* Folded: the 10,000 copies are one row, all of them on io until 5 ms. */
	c.pl.cursor = 3 * MS;
	view_compose(g, &c);
	int y = fx_find(g, "conn\u00d710000");
	assert_true(y > 0);
	/* Without colour the density rises in whole cells: all of them on io fills both. */
	assert_non_null(strstr(fx_row(g, y), "\u2593\u2593\u2593"));
	assert_non_null(strstr(fx_row(g, y + 1), "\u2593\u2593\u2593"));
	assert_non_null(strstr(fx_row(g, y + 2), "10000 tasks at the cursor: 10000 io"));
	assert_true(fx_find(g, "tasks (j/k") < 0);
	/* At the end every one of them runs its callback: the counts follow the cursor. */
	c.pl.cursor = 6 * MS;
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, y + 2), "10000 running"));
	/* Enter expands the group into its tasks, with the scroll summary. */
	view_act(&c, VA_DETAIL);
	view_compose(g, &c);
	assert_true(fx_find(g, "conn\u00d710000") < 0);
	y = fx_find(g, "tasks (j/k");
	assert_true(y > 0);
	assert_non_null(strstr(fx_row(g, y), "\u25b2 0 above"));
	char want[64];
	snprintf(want, sizeof want, "\u25bc %d below", 10000 - c.page);
	assert_non_null(strstr(fx_row(g, y), want));
	assert_true(c.page >= 3);
	view_act(&c, VA_PAGE_DOWN);
	view_compose(g, &c);
	snprintf(want, sizeof want, "\u25b2 %d above", c.page);
	assert_true(fx_find(g, want) > 0);
	/* conn0 has no row now (the strips' key may still name it). */
	for (int r = 0; r < g->h; r++)
		assert_true(strncmp(fx_row(g, r), " conn0 ", 7) != 0);
	view_act(&c, VA_END);
	for (int i = 0; i < 20; i++)
		view_act(&c, VA_PAGE_DOWN);
	view_select(&c, 9999);
	view_compose(g, &c);
	assert_true(fx_find(g, "conn9999") > 0);
	assert_true(fx_find(g, "\u25bc 0 below") > 0);
	/* Esc folds it back, the group selected. */
	view_act(&c, VA_CLOSE);
	view_compose(g, &c);
	assert_true(fx_find(g, "conn\u00d710000") > 0);
	assert_int_equal(c.sel, 0);
	grid_free(g);
	trace_destroy(tr);
}

/*
 * 100 connections on io for 10 ms; from 5 ms, 30 of them run and 30 are
 * ready.  The folded group stacks the states per column: before 5 ms all
 * io; after it, running at the bottom, ready above it, io on top.
 */
static struct trace *density_trace(void)
{
	struct trace *tr = trace_create(100, 0);
	char name[16];

	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "conn%d", i + 1);
		trace_set_name(tr, i, name);
		if (i < 60) {
			fx_span(tr, i, STATE_IO, 0, 5, -1, "recv on socket");
			fx_span(tr, i, i < 30 ? STATE_RUNNING : STATE_READY, 5, 10, i < 30 ? 0 : -1,
				"");
		} else {
			fx_span(tr, i, STATE_IO, 0, 10, -1, "recv on socket");
		}
		trace_set_outcome(tr, i, OUTCOME_DONE);
	}
	tr->meta.wall_ns = 10 * MS;
	return tr;
}

/* The cells of column X on rows Y and Y + 1 of G: *A the top, *B the bottom. */
static void column(const struct grid *g, int x, int y, const struct grid_cell **a,
		   const struct grid_cell **b)
{
	*a = grid_at(g, x, y);
	*b = grid_at(g, x, y + 1);
}

static void test_group_density_modes(void **state)
{
	(void)state;
	struct trace *tr = density_trace();
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);
	const struct grid_cell *top, *bottom;
	int early = 7 + 10, late = 7 + 60; /* bars from column 7; 72 columns for 10 ms */

	fx_ctx(&c, tr);
	/* Colour, Unicode: the stack rises in eighths, two cells tall (16). */
	c.colour = true;
	view_compose(g, &c);
	int y = fx_find(g, "conn\u00d7100");
	assert_true(y > 0);
	assert_string_equal(
	    fx_row(g, y + 2) + 2,
	    "\u2514 100 tasks at the cursor: 30 running \u00b7 30 ready \u00b7 40 io "
	    "\u00b7 Enter expands");
	column(g, early, y, &top, &bottom);
	assert_int_equal(top->ch, 0x2588);
	assert_int_equal(bottom->ch, 0x2588);
	assert_int_equal(top->st.fg, COLOUR_CYAN);
	assert_int_equal(bottom->st.fg, COLOUR_CYAN);
	/* 30 % running = 5 eighths, 30 % ready = 5, 40 % io = 6. */
	column(g, late, y, &top, &bottom);
	assert_int_equal(bottom->ch, 0x2585);
	assert_int_equal(bottom->st.fg, COLOUR_GREEN);
	assert_int_equal(bottom->st.bg, COLOUR_YELLOW);
	assert_int_equal(top->ch, 0x2582);
	assert_int_equal(top->st.fg, COLOUR_YELLOW);
	assert_int_equal(top->st.bg, COLOUR_CYAN);
	assert_int_equal(c.mixed, 0);

	/*
	 * No colour: whole cells of the states' glyphs, each for half the
	 * tasks.  The top half is 80 % io: io; the bottom half is split 60/40
	 * between running and ready: mixed, never the winner alone.
	 */
	c.colour = false;
	view_compose(g, &c);
	column(g, early, y, &top, &bottom);
	assert_int_equal(top->ch, 0x2593);
	assert_int_equal(bottom->ch, 0x2593);
	column(g, late, y, &top, &bottom);
	assert_int_equal(top->ch, 0x2593);
	assert_int_equal(bottom->ch, 0x259a);
	assert_true(c.mixed > 0);

	/* ASCII: the same with the ASCII glyphs. */
	c.ascii = true;
	view_compose(g, &c);
	column(g, early, y, &top, &bottom);
	assert_int_equal(top->ch, '~');
	assert_int_equal(bottom->ch, '~');
	column(g, late, y, &top, &bottom);
	assert_int_equal(top->ch, '~');
	assert_int_equal(bottom->ch, STATE_MIXED_ASCII);

	/* Half of them start at 5 ms: before that, the ones not started leave the bar half empty.
	 */
	trace_destroy(tr);
	tr = trace_create(100, 0);
	for (int i = 0; i < 100; i++) {
		char name[16];
		snprintf(name, sizeof name, "conn%d", i + 1);
		trace_set_name(tr, i, name);
		fx_span(tr, i, STATE_SLEEP, i < 50 ? 0 : 5, 10, -1, "sleep");
	}
	tr->meta.wall_ns = 10 * MS;
	fx_ctx(&c, tr);
	view_compose(g, &c);
	y = fx_find(g, "conn\u00d7100");
	column(g, early, y, &top, &bottom);
	assert_int_equal(top->ch, ' ');
	assert_int_equal(bottom->ch, 0x2591);
	column(g, late, y, &top, &bottom);
	assert_int_equal(top->ch, 0x2591);
	assert_int_equal(bottom->ch, 0x2591);
	grid_free(g);
	trace_destroy(tr);
}

/* Copies that all fit are not folded; a task between two groups is its own row. */
static void test_groups_fold_only_when_needed(void **state)
{
	(void)state;
	struct trace *tr = trace_create(41, 0);
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);
	char name[16];

	for (int i = 0; i < 41; i++) {
		if (i == 20)
			snprintf(name, sizeof name, "main");
		else
			snprintf(name, sizeof name, "%s%d", i < 20 ? "job" : "conn",
				 i < 20 ? i + 1 : i - 20);
		trace_set_name(tr, i, name);
		fx_span(tr, i, i % 2 ? STATE_SLEEP : STATE_RUNNING, 0, 5, i % 2 ? -1 : 0, "");
	}
	tr->meta.wall_ns = 5 * MS;
	fx_ctx(&c, tr);
	view_compose(g, &c);
	int jobs = fx_find(g, "job\u00d720"), conns = fx_find(g, "conn\u00d720");
	int main_row = fx_find(g, " main ");
	assert_true(jobs > 0 && main_row > jobs && conns > main_row);
	/*
	 * Split half running, half sleeping: each column shows both, running
	 * at the bottom and sleep above it, and neither is a mixed cell.
	 */
	assert_non_null(strstr(fx_row(g, jobs), "\u2591\u2591\u2591"));
	assert_non_null(strstr(fx_row(g, jobs + 1), "\u2588\u2588\u2588"));
	assert_null(strstr(fx_row(g, jobs), STATE_MIXED_GLYPH));
	/* j from the first group goes to main, then to the second group. */
	view_act(&c, VA_ROW_DOWN);
	assert_int_equal(c.sel, 20);
	view_act(&c, VA_ROW_DOWN);
	assert_int_equal(c.sel, 21);
	view_act(&c, VA_ROW_UP);
	view_act(&c, VA_ROW_UP);
	assert_int_equal(c.sel, 0);
	/* A tall screen shows every task: nothing folds. */
	struct grid *tall = grid_new(120, 60, false);
	view_compose(tall, &c);
	assert_true(fx_find(tall, "\u00d720") < 0);
	assert_true(fx_find(tall, " conn20 ") > 0);
	grid_free(tall);
	grid_free(g);
	trace_destroy(tr);
}

static void test_too_small(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_ctx c;
	struct grid *g = grid_new(40, 10, false);

	fx_ctx(&c, tr);
	view_compose(g, &c);
	assert_true(fx_find(g, "please enlarge the terminal") >= 0);
	assert_true(fx_find(g, "(needs 60x16, have 40x10)") >= 0);
	grid_resize(g, 2, 1);
	view_compose(g, &c);
	grid_resize(g, 0, 0);
	view_compose(g, &c);
	grid_resize(g, 120, 15);
	view_compose(g, &c);
	assert_true(fx_find(g, "please enlarge the terminal (needs 60x16, have 120x15)") >= 0);
	grid_free(g);
	trace_destroy(tr);
}

static void test_help_lists_every_key(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_ctx c;
	struct grid *g = grid_new(100, 30, false), *small = grid_new(80, 24, false);

	fx_ctx(&c, tr);
	assert_true(view_act(&c, VA_HELP));
	view_compose(g, &c);
	view_compose(small, &c);
	for (int i = 0; i < view_nkeys; i++) {
		assert_true(fx_find(g, view_keys[i].help) >= 0);
		assert_true(fx_find(small, view_keys[i].help) >= 0); /* 80x24 too */
	}
	grid_free(small);
	/* Any key closes it. */
	assert_true(view_act(&c, VA_NEXT));
	assert_false(c.help);
	grid_free(g);
	trace_destroy(tr);
}

static void test_overview_panels(void **state)
{
	(void)state;
	struct trace *a = fx_one_core(), *b = fx_gil();
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);

	fx_ctx(&c, a);
	c.panels[1] = c.panels[0];
	c.panels[1].tr = b;
	c.panels[1].now_ns = b->meta.wall_ns;
	snprintf(c.panels[0].title, sizeof c.panels[0].title, "Sequential");
	snprintf(c.panels[1].title, sizeof c.panels[1].title, "Parallel (several cores)");
	c.panels[2] = (struct view_panel){0};
	snprintf(c.panels[2].title, sizeof c.panels[2].title, "Pseudo-parallel");
	snprintf(c.panels[2].note, sizeof c.panels[2].note, "executor not available");
	c.npanels = 3;
	c.overview = true;
	view_compose(g, &c);
	int y0 = fx_find(g, "Sequential"), y1 = fx_find(g, "Parallel (several"),
	    y2 = fx_find(g, "executor not available");
	assert_true(y0 > 2 && y1 > y0 && y2 > y1);
	assert_non_null(strstr(fx_row(g, y0), "wall 40.0 ms"));
	assert_non_null(strstr(fx_row(g, y1), "wall 10.0 ms"));
	assert_non_null(strstr(fx_row(g, y1), "4.00\u00d7 vs Sequential"));
	grid_free(g);
	trace_destroy(a);
	trace_destroy(b);
}

static void test_views_compose_everywhere(void **state)
{
	(void)state;
	struct trace *tr = fx_gil();
	struct view_ctx c;
	static const int sizes[][2] = {{60, 16}, {80, 24}, {200, 60}, {61, 17}};

	fx_ctx(&c, tr);
	for (int v = 0; v < view_count; v++)
		for (size_t s = 0; s < sizeof sizes / sizeof sizes[0] && view_applies(&c, v); s++) {
			struct grid *g = grid_new(sizes[s][0], sizes[s][1], s % 2);
			c.view = v;
			c.colour = s % 2 == 0;
			view_compose(g, &c);
			assert_non_null(strstr(fx_row(g, 0), "conctui"));
			assert_true(fx_find(g, view_table[v]->name) == 1);
			grid_free(g);
		}
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bars_unicode),
	    cmocka_unit_test(test_bars_ascii_and_cursor),
	    cmocka_unit_test(test_sub_cell_edges),
	    cmocka_unit_test(test_caption_steps),
	    cmocka_unit_test(test_gil_caption_and_lane),
	    cmocka_unit_test(test_strips_key),
	    cmocka_unit_test(test_many_tasks_summary),
	    cmocka_unit_test(test_groups_fold_only_when_needed),
	    cmocka_unit_test(test_group_density_modes),
	    cmocka_unit_test(test_too_small),
	    cmocka_unit_test(test_help_lists_every_key),
	    cmocka_unit_test(test_threads_by_process),
	    cmocka_unit_test(test_overview_panels),
	    cmocka_unit_test(test_views_compose_everywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
