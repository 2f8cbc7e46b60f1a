/*
 * test_view_caption.c -- captions as cause -> effect, built from the
 * trace's causes, wakers and edges: a recorded gil-battle stepped from
 * t = 0 (every GIL hand-off names both tasks), OS preemption on one core,
 * the loop resuming a task whose response arrived, the caption's rows, and
 * following a cause and back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "compare.h"
#include "record.h"
#include "view_ctx.h"
#include "view_fixture.h"
#include "view_why.h"

/* A span with its cause and waker, as an executor writes it. */
static void cx_span(struct trace *tr, int lane, enum state st, double t0, double t1, int cpu,
		    enum cause cause, int by, const char *reason)
{
	struct span sp = {(uint64_t)(t0 * 1e6), (uint64_t)(t1 * 1e6), cpu, st, "", 0, cause, by};

	snprintf(sp.reason, sizeof sp.reason, "%s", reason);
	trace_append(tr, lane, &sp);
}

static void cx_edge(struct trace *tr, int from, int to, double t, enum edge_kind k)
{
	struct trace_edge e = {(uint64_t)(t * 1e6), from, to, k};
	trace_append_edge(tr, &e);
}

/* A recorded run from tests/e2e/fixtures (FILE), found from the data directory or here. */
static struct trace *read_fixture(const char *file, struct trace ***all)
{
	const char *dir = getenv("CONCTUI_DATADIR");
	char path[1024], err[256];
	int n;

	snprintf(path, sizeof path, "%s/../tests/e2e/fixtures/%s", dir ? dir : ".", file);
	n = record_read(path, all, err, sizeof err);
	if (n < 1) {
		snprintf(path, sizeof path, "tests/e2e/fixtures/%s", file);
		n = record_read(path, all, err, sizeof err);
	}
	if (n < 1)
		fail_msg("%s", err);
	return (*all)[0];
}

/* The recorded gil-battle (a real run at --scale 0.1, with causes and edges). */
static struct trace *read_gil_battle(struct trace ***all)
{
	return read_fixture("gil-battle.json", all);
}

/* Whether NAME appears in S as a word of its own (task names are letters). */
static bool names(const char *s, const char *name)
{
	size_t k = strlen(name);

	for (const char *p = strstr(s, name); p; p = strstr(p + 1, name)) {
		bool left = p == s || p[-1] == ' ' || p[-1] == '(';
		char r = p[k];
		if (left && (r == ' ' || r == '\'' || r == ',' || r == ':' || r == ')' || !r))
			return true;
	}
	return false;
}

/*
 * Steps through TR from t = 0: every GIL hand-off caption names both
 * tasks; returns how many hand-offs there were, and in *ASKED how many
 * forced drops said when the other asked.
 */
static int step_handoffs(struct trace *tr, int *asked)
{
	struct view_ctx c;
	char buf[512];
	int handoffs = 0, steps = 0;

	*asked = 0;
	fx_ctx(&c, tr);
	assert_true(view_act(&c, VA_START));
	assert_true(c.pl.paused);
	while (view_player_step(&c.pl, c.panels, c.npanels, 1) && steps++ < 100000) {
		struct span sp;
		const struct view_event *e = &c.pl.focus;
		if (!view_why_span(tr, e->lane, e->idx, &sp))
			continue;
		bool handoff =
		    (sp.cause == CAUSE_GIL_TAKE || sp.cause == CAUSE_GIL_DROP) && sp.by >= 0;
		if (!handoff)
			continue;
		handoffs++;
		view_caption_text(&c, buf, sizeof buf);
		if (getenv("CONCTUI_TEST_VERBOSE"))
			print_message("%s\n", buf);
		if (!names(buf, "A") || !names(buf, "B") || !strstr(buf, "GIL") ||
		    !strstr(buf, "\u2192"))
			fail_msg("hand-off caption lacks a side: %s", buf);
		*asked += strstr(buf, "forced to drop") && strstr(buf, " asked ") &&
			  strstr(buf, " ago, after waiting ");
	}
	return handoffs;
}

static void test_gil_battle_handoffs_name_both(void **state)
{
	(void)state;
	struct trace **all;
	struct trace *tr = read_gil_battle(&all);
	int asked;

	/* A record made before drop requests were recorded still names both sides. */
	assert_true(step_handoffs(tr, &asked) >= 10);
	assert_int_equal(asked, 0);
	free(all);
	trace_destroy(tr);
	/* With them, every forced drop says who asked and how long before. */
	tr = read_fixture("gil-battle-asks.json", &all);
	int handoffs = step_handoffs(tr, &asked);
	assert_true(handoffs >= 10);
	assert_true(asked >= handoffs * 3 / 4);
	free(all);
	trace_destroy(tr);
}

static void test_gil_forced_drop_both_sides(void **state)
{
	(void)state;
	struct trace *tr = trace_create(2, TRACE_LOCK_LANE);
	struct view_ctx c;
	char buf[512];

	trace_set_name(tr, 0, "A");
	trace_set_name(tr, 1, "B");
	cx_span(tr, 0, STATE_RUNNING, 0, 5.1, 0, CAUSE_GIL_TAKE, -1, "computing");
	cx_span(tr, 0, STATE_LOCK, 5.1, 9, -1, CAUSE_GIL_DROP, 1, "drop request");
	cx_span(tr, 1, STATE_LOCK, 0.1, 5.2, -1, CAUSE_GIL_WAIT, 0, "waiting for the GIL");
	cx_span(tr, 1, STATE_RUNNING, 5.2, 9, 1, CAUSE_GIL_TAKE, 0, "computing");
	cx_span(tr, 2, STATE_RUNNING, 0, 5.1, 0, CAUSE_NONE, -1, "");
	cx_span(tr, 2, STATE_RUNNING, 5.15, 9, 1, CAUSE_NONE, -1, "");
	cx_edge(tr, 0, 1, 5.15, EDGE_GIL);
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	tr->meta.wall_ns = 9 * MS;
	fx_ctx(&c, tr);
	c.pl.focus = (struct view_event){(uint64_t)(5.1 * 1e6), 0, 0, 1};
	c.pl.has_focus = true;
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=5.1 ms  A is forced to drop the GIL after 5.1 ms (B waited 5.1 "
				 "ms) \u2192 B takes the GIL, runs on core 1");
	c.pl.focus = (struct view_event){(uint64_t)(5.2 * 1e6), 0, 1, 1};
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=5.2 ms  A is forced to drop the GIL after 5.1 ms (B waited 5.1 "
				 "ms) \u2192 B takes it, runs on core 1");
	c.pl.focus = (struct view_event){(uint64_t)(0.1 * 1e6), 0, 1, 0};
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=100 us  A holds the GIL \u2192 B must wait for it");
	trace_destroy(tr);
}

static void test_preempt_and_loop(void **state)
{
	(void)state;
	struct trace *tr = trace_create(3, 0);
	struct view_ctx c;
	char buf[512];

	trace_set_name(tr, 0, "A");
	trace_set_name(tr, 1, "B");
	trace_set_name(tr, 2, "C");
	/* A and B on one core: B is preempted at 10 and A runs. */
	cx_span(tr, 0, STATE_RUNNING, 0, 4, 0, CAUSE_STEP, -1, "computing");
	cx_span(tr, 0, STATE_READY, 4, 10, -1, CAUSE_PREEMPT, -1, "preempted by the OS");
	cx_span(tr, 0, STATE_RUNNING, 10, 20, 0, CAUSE_RESUME, -1, "computing");
	cx_span(tr, 1, STATE_READY, 0, 4, -1, CAUSE_START, -1, "thread starting");
	cx_span(tr, 1, STATE_RUNNING, 4, 10, 0, CAUSE_STEP, -1, "computing");
	cx_span(tr, 1, STATE_READY, 10, 20, -1, CAUSE_PREEMPT, -1, "preempted by the OS");
	/* C on a loop: its response arrives at 100, B yields, the loop resumes C. */
	cx_span(tr, 2, STATE_IO, 0, 100, -1, CAUSE_YIELD, -1, "awaiting response");
	cx_span(tr, 2, STATE_READY, 100, 101, -1, CAUSE_IO_DONE, -1, "queued");
	cx_span(tr, 2, STATE_RUNNING, 101, 102, 1, CAUSE_LOOP_RESUME, -1, "resumed");
	for (int l = 0; l < 3; l++)
		trace_set_outcome(tr, l, OUTCOME_DONE);
	tr->meta.wall_ns = 102 * MS;
	fx_ctx(&c, tr);
	c.pl.has_focus = true;
	c.pl.focus = (struct view_event){10 * MS, 0, 1, 2};
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=10.0 ms  B is preempted by the OS on core 0 \u2192 A runs");
	c.pl.focus = (struct view_event){10 * MS, 0, 0, 2};
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=10.0 ms  B is preempted by the OS on core 0 \u2192 A runs");
	c.pl.focus = (struct view_event){101 * MS, 0, 2, 2};
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(
	    buf, "t=101.0 ms  the loop resumes C on core 1: its response arrived after 100.0 ms");
	trace_destroy(tr);
}

/* The forced drop of test_gil_forced_drop_both_sides, as a fixture. */
static struct trace *forced_drop_trace(void)
{
	struct trace *tr = trace_create(2, TRACE_LOCK_LANE);

	trace_set_name(tr, 0, "A");
	trace_set_name(tr, 1, "B");
	cx_span(tr, 0, STATE_RUNNING, 0, 5.1, 0, CAUSE_GIL_TAKE, -1, "computing");
	cx_span(tr, 0, STATE_LOCK, 5.1, 9, -1, CAUSE_GIL_DROP, 1, "drop request");
	cx_span(tr, 1, STATE_LOCK, 0.1, 5.2, -1, CAUSE_GIL_WAIT, 0, "waiting for the GIL");
	cx_span(tr, 1, STATE_RUNNING, 5.2, 9, 1, CAUSE_GIL_TAKE, 0, "computing");
	cx_span(tr, 2, STATE_RUNNING, 0, 5.1, 0, CAUSE_NONE, -1, "");
	cx_span(tr, 2, STATE_RUNNING, 5.15, 9, 1, CAUSE_NONE, -1, "");
	cx_edge(tr, 0, 1, 5.15, EDGE_GIL);
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	tr->meta.wall_ns = 9 * MS;
	return tr;
}

static void test_step_modes(void **state)
{
	(void)state;
	struct trace **all;
	struct trace *tr = read_gil_battle(&all);
	struct view_ctx c;
	struct grid *g = grid_new(120, 30, false);
	struct span sp;
	int n = 0;

	fx_ctx(&c, tr);
	view_act(&c, VA_START);
	/* One panel: every change, one task, then GIL hand-offs ("one run" is skipped). */
	assert_int_equal(c.pl.step_mode, STEP_ALL);
	view_act(&c, VA_STEP_MODE);
	assert_int_equal(c.pl.step_mode, STEP_TASK);
	view_act(&c, VA_STEP_MODE);
	assert_int_equal(c.pl.step_mode, STEP_GIL);
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, 0), "steps: GIL hand-offs"));
	while (view_act(&c, VA_NEXT) && !c.flash[0] && n < 1000) {
		n++;
		assert_true(view_why_span(tr, c.pl.focus.lane, c.pl.focus.idx, &sp));
		assert_int_equal(sp.cause, CAUSE_GIL_TAKE);
		assert_true(sp.by >= 0 && sp.by != c.pl.focus.lane);
	}
	assert_true(n >= 10);
	assert_non_null(strstr(c.flash, "GIL hand-offs"));
	/* Back over them too, then the OS's preemptions. */
	c.flash[0] = '\0';
	view_act(&c, VA_PREV);
	assert_true(view_why_span(tr, c.pl.focus.lane, c.pl.focus.idx, &sp));
	assert_int_equal(sp.cause, CAUSE_GIL_TAKE);
	view_act(&c, VA_STEP_MODE);
	assert_int_equal(c.pl.step_mode, STEP_PREEMPT);
	view_act(&c, VA_START);
	view_act(&c, VA_NEXT);
	assert_true(view_why_span(tr, c.pl.focus.lane, c.pl.focus.idx, &sp));
	assert_int_equal(sp.cause, CAUSE_PREEMPT);
	/* One task: only B's changes, whatever A does in between. */
	c.pl.step_mode = STEP_TASK;
	view_act(&c, VA_START);
	view_select(&c, 1);
	for (int i = 0; i < 20 && view_act(&c, VA_NEXT) && !c.flash[0]; i++)
		assert_int_equal(c.pl.focus.lane, 1);
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, 0), "steps: B"));
	grid_free(g);
	free(all);
	trace_destroy(tr);
}

static void test_step_one_run(void **state)
{
	(void)state;
	struct trace *a = fx_one_core(), *b = fx_gil();
	struct view_ctx c;

	fx_ctx(&c, a);
	c.panels[1] = c.panels[0];
	c.panels[1].tr = b;
	c.npanels = 2;
	c.overview = true;
	view_act(&c, VA_START);
	/* Every change interleaves the runs; "one run" stays in the run under the cursor. */
	view_act(&c, VA_NEXT);
	view_act(&c, VA_NEXT);
	view_act(&c, VA_NEXT);
	int panel = c.pl.focus.panel;
	view_act(&c, VA_STEP_MODE);
	view_act(&c, VA_STEP_MODE);
	assert_int_equal(c.pl.step_mode, STEP_RUN);
	for (int i = 0; i < 8 && view_act(&c, VA_NEXT) && !c.flash[0]; i++)
		assert_int_equal(c.pl.focus.panel, panel);
	trace_destroy(a);
	trace_destroy(b);
}

static void test_why_and_back(void **state)
{
	(void)state;
	struct trace *tr = forced_drop_trace();
	struct view_ctx c;
	char buf[512];

	fx_ctx(&c, tr);
	view_player_jump(&c.pl, &(struct view_event){(uint64_t)(5.2 * 1e6), 0, 1, 1});
	/* B took the GIL because A dropped it: y goes to A's drop. */
	assert_true(view_act(&c, VA_WHY));
	assert_int_equal(c.pl.focus.lane, 0);
	assert_int_equal(c.pl.focus.idx, 1);
	assert_int_equal(c.sel, 0);
	/* A dropped it because B asked: y again goes to B's wait. */
	view_act(&c, VA_WHY);
	assert_int_equal(c.pl.focus.lane, 1);
	assert_int_equal(c.pl.focus.idx, 0);
	view_caption_text(&c, buf, sizeof buf);
	assert_non_null(strstr(buf, "A holds the GIL \u2192 B must wait for it"));
	/* Y retraces the steps. */
	view_act(&c, VA_WHY_BACK);
	assert_int_equal(c.pl.focus.lane, 0);
	view_act(&c, VA_WHY_BACK);
	assert_int_equal(c.pl.focus.lane, 1);
	assert_int_equal(c.pl.focus.idx, 1);
	assert_int_equal(c.pl.cursor, (uint64_t)(5.2 * 1e6));
	c.flash[0] = '\0';
	view_act(&c, VA_WHY_BACK);
	assert_non_null(strstr(c.flash, "nothing to go back to"));
	trace_destroy(tr);
}

static void test_arrow_on_grid(void **state)
{
	(void)state;
	struct trace *tr = forced_drop_trace();
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);

	fx_ctx(&c, tr);
	c.colour = true;
	view_player_jump(&c.pl, &(struct view_event){(uint64_t)(5.2 * 1e6), 0, 1, 1});
	view_compose(g, &c);
	int ya = fx_find(g, " A  "), yb = fx_find(g, " B  ");
	assert_true(ya > 2 && yb > ya);
	/* 72 columns for 9 ms: B's take at 5.2 ms is column 7 + 41. */
	int x = 7 + 41;
	assert_int_equal(grid_at(g, x, yb)->ch, 0x2588); /* B's new state, marked */
	assert_true(grid_at(g, x, yb)->st.attr & GRID_REVERSE);
	/* The connector leaves A's bar and points down at B. */
	int bar_end = yb - 1;
	while (bar_end > ya && grid_at(g, x, bar_end)->ch == 0x2502)
		bar_end--;
	assert_true(grid_at(g, x, yb - 1)->ch == 0x25bc || grid_at(g, x, yb - 1)->ch == 0x252c);
	bool tee = false;
	for (int y = ya; y < yb; y++)
		tee |= grid_at(g, x, y)->ch == 0x252c;
	assert_true(tee);
	/* B's wait that ended is underlined. */
	assert_true(grid_at(g, 7 + 5, yb)->st.attr & GRID_UNDERLINE);
	/* Playing again: no marks. */
	view_act(&c, VA_PAUSE);
	view_player_tick(&c.pl, c.panels, c.npanels, 1000);
	view_compose(g, &c);
	assert_false(grid_at(g, 7 + 5, yb)->st.attr & GRID_UNDERLINE);
	/* ASCII: the connector in ASCII too. */
	grid_free(g);
	g = grid_new(80, 24, true);
	c.ascii = true;
	view_player_jump(&c.pl, &(struct view_event){(uint64_t)(5.2 * 1e6), 0, 1, 1});
	view_compose(g, &c);
	assert_true(fx_find(g, "+") > 0);
	for (int r = 0; r < g->h; r++)
		for (const char *p = fx_row(g, r); *p; p++)
			assert_true((unsigned char)*p < 0x80);
	grid_free(g);
	trace_destroy(tr);
}

static void test_arrow_in_the_overview(void **state)
{
	(void)state;
	struct trace *a = fx_one_core(), *b = forced_drop_trace();
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);

	fx_ctx(&c, a);
	c.panels[1] = c.panels[0];
	c.panels[1].tr = b;
	snprintf(c.panels[1].title, sizeof c.panels[1].title, "gil run");
	c.npanels = 2;
	c.overview = true;
	view_player_jump(&c.pl, &(struct view_event){(uint64_t)(5.2 * 1e6), 1, 1, 1});
	view_compose(g, &c);
	int title = fx_find(g, "gil run");
	assert_true(title > 0);
	/* Panel 1's rows: A then B; the connector leaves A's row for B's. */
	int ya = title + 1, yb = title + 2;
	assert_non_null(strstr(fx_row(g, ya), " A "));
	assert_non_null(strstr(fx_row(g, yb), " B "));
	bool tee = false;
	for (int x = 0; x < g->w; x++)
		tee |=
		    grid_at(g, x, ya)->ch == 0x252c && (grid_at(g, x, yb)->st.attr & GRID_REVERSE);
	assert_true(tee);
	/* The other run's rows are left alone. */
	for (int y = 3; y < title; y++)
		for (int x = 0; x < g->w; x++)
			assert_int_not_equal(grid_at(g, x, y)->ch, 0x252c);
	grid_free(g);
	trace_destroy(a);
	trace_destroy(b);
}

/* Whether some column joins row YA to row YB below it: a tee on YA over B's marked new state. */
static bool joined(const struct grid *g, int ya, int yb)
{
	for (int x = 0; x < g->w; x++)
		if (grid_at(g, x, ya)->ch == 0x252c && (grid_at(g, x, yb)->st.attr & GRID_REVERSE))
			return true;
	return false;
}

/* The Compare view: the run under the cursor gets the connector, the others none. */
static void test_arrow_in_compare(void **state)
{
	(void)state;
	struct trace *trs[2] = {forced_drop_trace(), forced_drop_trace()};
	struct compare_result res;
	struct view_ctx c;
	struct grid *g = grid_new(100, 34, false);

	snprintf(trs[0]->meta.backend, sizeof trs[0]->meta.backend, "sequential");
	snprintf(trs[1]->meta.backend, sizeof trs[1]->meta.backend, "gil");
	compare_from_traces(trs, 2, &res);
	fx_ctx(&c, res.rows[0].tr);
	c.npanels = 0;
	for (int i = 0; i < res.nrows; i++) {
		c.panels[c.npanels].tr = res.rows[i].tr;
		c.panels[c.npanels].now_ns = res.rows[i].tr->meta.wall_ns;
		snprintf(c.panels[c.npanels++].title, sizeof c.panels[0].title, "%s",
			 res.rows[i].name);
	}
	c.overview = true;
	c.compare = &res;
	c.compare_done = true;
	view_show(&c, &view_compare);
	int p = strcmp(c.panels[0].title, "gil") == 0 ? 0 : 1;
	view_player_jump(&c.pl, &(struct view_event){(uint64_t)(5.2 * 1e6), p, 1, 1});
	view_compose(g, &c);
	int gil = fx_find(g, "\u2500 gil \u00b7"), seq = fx_find(g, "\u2500 sequential \u00b7");
	assert_true(gil > 0 && seq > 0);
	assert_non_null(strstr(fx_row(g, gil + 1), " A "));
	assert_true(joined(g, gil + 1, gil + 2));
	assert_false(joined(g, seq + 1, seq + 2));
	grid_free(g);
	compare_free(&res);
}

/* The Spinner view: the loop resumes the slow call when the spinner yields. */
static void test_arrow_in_spinner(void **state)
{
	(void)state;
	struct trace *tr = trace_create(2, 0);
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);

	trace_set_name(tr, 0, "spinner");
	trace_set_name(tr, 1, "slow");
	cx_span(tr, 0, STATE_RUNNING, 0, 1, 0, CAUSE_START, -1, "drawing a frame");
	cx_span(tr, 0, STATE_SLEEP, 1, 100, -1, CAUSE_YIELD, -1, "sleep 100 ms");
	cx_span(tr, 1, STATE_READY, 0, 1, -1, CAUSE_START, -1, "waiting for the loop");
	cx_span(tr, 1, STATE_RUNNING, 1, 100, 0, CAUSE_LOOP_RESUME, 0, "computing");
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "asyncio");
	tr->meta.wall_ns = 100 * MS;
	fx_ctx(&c, tr);
	c.spinner = true;
	view_show(&c, &view_spinner);
	view_player_jump(&c.pl, &(struct view_event){1 * MS, 0, 1, 1});
	view_compose(g, &c);
	int ys = fx_find(g, " spinner "), yslow = fx_find(g, " slow ");
	assert_true(ys > 0 && yslow == ys + 1);
	assert_true(joined(g, ys, yslow));
	/* Playing again: the picture is clean. */
	view_act(&c, VA_PAUSE);
	view_player_tick(&c.pl, c.panels, c.npanels, 1000);
	view_compose(g, &c);
	assert_false(joined(g, ys, yslow));
	grid_free(g);
	trace_destroy(tr);
}

static void test_caption_rows_of_its_own(void **state)
{
	(void)state;
	struct trace *tr = forced_drop_trace();
	struct view_ctx c;
	struct grid *g = grid_new(60, 20, false);

	fx_ctx(&c, tr);
	view_player_jump(&c.pl, &(struct view_event){(uint64_t)(5.1 * 1e6), 0, 0, 1});
	view_compose(g, &c);
	int y = fx_find(g, "A is forced to drop the GIL");
	assert_true(y > 0);
	/* Too long for one row: the effect goes below, the rows around stay whole. */
	assert_non_null(strstr(fx_row(g, y + 1), "\u2192 B takes the GIL, runs on core 1"));
	int wall = fx_find(g, "wall");
	assert_true(wall >= 0 && wall != y && wall != y + 1);
	assert_non_null(strstr(fx_row(g, g->h - 1), "Pause"));
	grid_free(g);
	trace_destroy(tr);
}

static void test_strips_letters_and_key(void **state)
{
	(void)state;
	struct trace *tr = trace_create(2, 0);
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);

	trace_set_name(tr, 0, "fib33");
	trace_set_name(tr, 1, "fib34");
	fx_span(tr, 0, STATE_RUNNING, 0, 10, 0, "computing");
	fx_span(tr, 0, STATE_READY, 10, 20, -1, "preempted by the OS");
	fx_span(tr, 1, STATE_READY, 0, 10, -1, "preempted by the OS");
	fx_span(tr, 1, STATE_RUNNING, 10, 20, 0, "computing");
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	tr->meta.wall_ns = 20 * MS;
	fx_ctx(&c, tr);
	c.colour = true;
	view_compose(g, &c);
	int y = fx_find(g, " cpu0 ");
	assert_true(y > 0);
	/* Letters, not cut names; the key below says whose. */
	assert_null(strstr(fx_row(g, y), "fib"));
	int x = (int)(strchr(fx_row(g, y) + 6, 'A') - fx_row(g, y));
	assert_int_equal(grid_at(g, x, y)->ch, 'A');
	assert_true(grid_at(g, x, y)->st.fg >= COLOUR_TASK_0);
	for (int s = 0; s < STATE_COUNT; s++)
		assert_int_not_equal(grid_at(g, x, y)->st.fg, state_colour((enum state)s));
	assert_non_null(strstr(fx_row(g, y), "B"));
	/* The Cores view has the key. */
	c.view = 1;
	view_compose(g, &c);
	assert_true(fx_find(g, "key: A fib33  B fib34") > 0);
	/* Tasks named by their letters need no key. */
	struct trace *ab = fx_gil();
	fx_ctx(&c, ab);
	view_compose(g, &c);
	assert_true(fx_find(g, "key:") < 0);
	grid_free(g);
	trace_destroy(ab);
	trace_destroy(tr);
}

static void test_small_fixes(void **state)
{
	(void)state;
	struct trace *tr = trace_create(1, 0);
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);

	trace_set_name(tr, 0, "A");
	fx_span(tr, 0, STATE_SLEEP, 0, 10, -1, "sleep 10 ms");
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	tr->meta.wall_ns = 10 * MS;
	fx_ctx(&c, tr);
	/* A finished run that never ran on a core says so, without "yet". */
	c.view = 1;
	view_compose(g, &c);
	assert_true(fx_find(g, "no task ran on a core in this run") > 0);
	/* q in the help closes the help and does not ask to quit. */
	view_act(&c, VA_HELP);
	assert_true(c.help);
	assert_true(view_act(&c, VA_QUIT));
	assert_false(c.help);
	/* g after the end (DONE) goes to 0 and stays there. */
	assert_false(c.pl.paused);
	view_act(&c, VA_START);
	assert_int_equal(c.pl.cursor, 0);
	assert_true(c.pl.paused);
	assert_false(view_player_tick(&c.pl, c.panels, c.npanels, 5 * MS));
	assert_int_equal(c.pl.cursor, 0);
	grid_free(g);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gil_battle_handoffs_name_both),
	    cmocka_unit_test(test_gil_forced_drop_both_sides),
	    cmocka_unit_test(test_preempt_and_loop),
	    cmocka_unit_test(test_step_modes),
	    cmocka_unit_test(test_step_one_run),
	    cmocka_unit_test(test_why_and_back),
	    cmocka_unit_test(test_arrow_on_grid),
	    cmocka_unit_test(test_arrow_in_the_overview),
	    cmocka_unit_test(test_arrow_in_compare),
	    cmocka_unit_test(test_arrow_in_spinner),
	    cmocka_unit_test(test_caption_rows_of_its_own),
	    cmocka_unit_test(test_strips_letters_and_key),
	    cmocka_unit_test(test_small_fixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
