/*
 * test_view_spinner.c -- the Spinner view composed from hand-built traces:
 * the glyph advances once per recorded frame at the cursor, "thinking!"
 * turns into "Answer: 42" when the slow call returns, the largest gap is
 * stats_max_gap_ms, and a spinner whose loop was blocked says "frozen" in
 * red -- while it is frozen and afterwards.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "stats.h"
#include "view_ctx.h"
#include "view_fixture.h"
#include "view_spinner.h"

/*
 * Seed 004 on threads: a frame (0.1 ms running) every 100 ms for 300 ms
 * while slow() sleeps; the spinner draws once more when it sees slow done.
 */
static struct trace *fx_threads(void)
{
	struct trace *tr = trace_create(2, 0);

	trace_set_name(tr, 0, "spinner");
	trace_set_name(tr, 1, "slow");
	tr->meta.spinner = 0;
	tr->meta.spinner_ms = 100;
	for (int i = 0; i < 3; i++) {
		fx_span(tr, 0, STATE_RUNNING, i * 100, i * 100 + 0.1, 0, "spinner frame");
		fx_span(tr, 0, STATE_SLEEP, i * 100 + 0.1, (i + 1) * 100, -1,
			"spinner waits 100 ms");
	}
	fx_span(tr, 0, STATE_RUNNING, 300, 300.1, 0, "spinner frame");
	fx_span(tr, 1, STATE_SLEEP, 0, 299, -1, "sleep 299 ms");
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	snprintf(tr->meta.scenario, sizeof tr->meta.scenario, "spinner");
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "threads");
	tr->meta.model = MODEL_PARALLEL;
	tr->meta.wall_ns = 301 * MS;
	return tr;
}

/*
 * Seed 004 on asyncio with a CPU-bound slow(): one frame, then the loop is
 * blocked for 3 s; the second frame comes when slow returns.  The frame is
 * two running spans that continue one another (resumed, then drawing).
 */
static struct trace *fx_asyncio(void)
{
	struct trace *tr = trace_create(2, 0);

	trace_set_name(tr, 0, "spinner");
	trace_set_name(tr, 1, "slow");
	tr->meta.spinner = 0;
	tr->meta.spinner_ms = 100;
	fx_span(tr, 0, STATE_READY, 0, 0.5, -1, "queued on the event loop");
	fx_span(tr, 0, STATE_RUNNING, 0.5, 0.6, 0, "resumed by the event loop");
	fx_span(tr, 0, STATE_RUNNING, 0.6, 0.7, 0, "spinner frame");
	fx_span(tr, 0, STATE_SLEEP, 0.7, 100.7, -1, "spinner: await asyncio.sleep 100 ms");
	fx_span(tr, 0, STATE_READY, 100.7, 3000.5, -1, "queued on the event loop");
	fx_span(tr, 0, STATE_RUNNING, 3000.5, 3000.6, 0, "spinner frame");
	fx_span(tr, 1, STATE_RUNNING, 0.7, 3000.4, 0, "computing (blocks the loop)");
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	snprintf(tr->meta.scenario, sizeof tr->meta.scenario, "spinner-cpu");
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "asyncio");
	tr->meta.model = MODEL_PSEUDO;
	tr->meta.wall_ns = 3001 * MS;
	return tr;
}

/* Both, as the spinner sequence shows them, with the cursor at T ms. */
static void two_panels(struct view_ctx *c, struct trace *a, struct trace *b, double t_ms)
{
	fx_ctx(c, a);
	c->panels[1].tr = b;
	c->panels[1].now_ns = b->meta.wall_ns;
	snprintf(c->panels[1].title, sizeof c->panels[1].title, "%s", b->meta.backend);
	c->npanels = 2;
	c->overview = true;
	c->spinner = true;
	view_show(c, &view_spinner);
	c->pl.cursor = (uint64_t)(t_ms * 1e6);
	c->pl.paused = true;
}

/* The spinner row of the panel titled NAME: the row after its title rule. */
static const char *spinner_row(const struct grid *g, const char *name, int *y)
{
	char rule[64];

	snprintf(rule, sizeof rule, " %s \u00b7", name);
	*y = fx_find(g, rule) + 1;
	assert_true(*y > 0);
	return fx_row(g, *y);
}

static void test_reading_a_spinner(void **unused)
{
	(void)unused;
	struct trace *a = fx_threads(), *b = fx_asyncio();
	struct view_spin s;

	assert_int_equal(view_spinner_lane(a), 0);
	assert_true(view_spinner_at(a, 150 * MS, 301 * MS, &s));
	assert_int_equal(s.frames, 2);
	assert_int_equal(s.slow, 1);
	assert_int_equal(s.interval, 100 * MS);
	assert_false(s.answered);
	assert_int_equal(view_spinner_gap_now(&s, 150 * MS), 50 * MS);
	assert_true(view_spinner_at(a, 301 * MS, 301 * MS, &s));
	assert_int_equal(s.frames, 4);
	assert_true(s.answered && s.ended);
	/* The largest gap is counted as stats counts it. */
	assert_int_equal(s.max_gap, (uint64_t)(stats_max_gap_ms(a, 0, STATE_RUNNING) * 1e6));

	/* Two running spans in a row are one frame. */
	assert_true(view_spinner_at(b, 2000 * MS, 3001 * MS, &s));
	assert_int_equal(s.frames, 1);
	assert_true(view_spinner_frozen(&s, view_spinner_gap_now(&s, 2000 * MS)));
	assert_true(view_spinner_at(b, 3001 * MS, 3001 * MS, &s));
	assert_int_equal(s.frames, 2);
	assert_true(view_spinner_frozen(&s, s.max_gap));
	assert_int_equal(s.max_gap, (uint64_t)(stats_max_gap_ms(b, 0, STATE_RUNNING) * 1e6));

	/* No spinner: nothing to read. */
	struct trace *none = fx_one_core();
	assert_int_equal(view_spinner_lane(none), -1);
	assert_false(view_spinner_at(none, 0, 0, &s));
	trace_destroy(none);
	trace_destroy(a);
	trace_destroy(b);
}

/* The glyph is frame k's of \|/- , for the frames recorded before the cursor. */
/*
 * The spinner's lane and interval come from the trace's metadata, whatever
 * the lane is called and whatever its reasons say.
 */
static void test_spinner_from_metadata(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(2, 0);
	struct view_spin s;

	trace_set_name(tr, 0, "slow");
	trace_set_name(tr, 1, "ticker");
	for (int i = 0; i < 4; i++) {
		fx_span(tr, 1, STATE_RUNNING, i * 50, i * 50 + 0.1, 0, "tick");
		fx_span(tr, 1, STATE_SLEEP, i * 50 + 0.1, (i + 1) * 50, -1, "waits 999 ms");
	}
	fx_span(tr, 0, STATE_SLEEP, 0, 199, -1, "sleep 199 ms");
	assert_false(view_spinner_at(tr, 100 * MS, 200 * MS, &s));
	tr->meta.spinner = 1;
	tr->meta.spinner_ms = 50;
	assert_true(view_spinner_at(tr, 160 * MS, 200 * MS, &s));
	assert_int_equal(s.lane, 1);
	assert_int_equal(s.slow, 0);
	assert_int_equal(s.interval, 50 * MS);
	assert_int_equal(s.frames, 4);
	trace_destroy(tr);
}

static void test_glyph_follows_the_frames(void **unused)
{
	(void)unused;
	static const struct {
		double t_ms;
		char glyph;
	} at[] = {{0, '\\'}, {50, '\\'}, {100, '|'}, {199.9, '|'}, {200, '/'}, {300, '-'}};
	struct trace *a = fx_threads(), *b = fx_asyncio();
	struct view_ctx c;
	struct grid *g = grid_new(100, 30, false);
	int y;

	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		two_panels(&c, a, b, at[i].t_ms);
		view_compose(g, &c);
		const char *row = spinner_row(g, "threads", &y);
		assert_int_equal(row[3], at[i].glyph);
		assert_non_null(strstr(row, at[i].t_ms < 299 ? "thinking!" : "Answer: 42"));
		assert_null(strstr(row, at[i].t_ms < 299 ? "Answer: 42" : "thinking!"));
	}
	/* The Spinner tab is on and names the view. */
	assert_non_null(strstr(fx_row(g, 1), "Spinner"));
	grid_free(g);
	trace_destroy(a);
	trace_destroy(b);
}

static void test_frozen_in_red(void **unused)
{
	(void)unused;
	struct trace *a = fx_threads(), *b = fx_asyncio();
	struct view_ctx c;
	struct grid *g = grid_new(100, 30, false);
	int y;

	/* Half-way through the blocking call: frozen for as long as it has been. */
	two_panels(&c, a, b, 1500.7);
	c.colour = true;
	view_compose(g, &c);
	const char *row = spinner_row(g, "asyncio", &y);
	assert_non_null(strstr(row, "thinking!"));
	assert_non_null(strstr(row, " frozen 1.5 s"));
	int x = (int)(strstr(row, "frozen") - row);
	assert_int_equal(grid_at(g, x, y)->st.bg, COLOUR_RED);
	/* The threads spinner has ended by then: its figure is the run's. */
	row = spinner_row(g, "threads", &y);
	assert_non_null(strstr(row, "largest gap 100 ms"));
	assert_null(strstr(row, "frozen"));

	/* At the end: the answer, and the largest gap called frozen. */
	two_panels(&c, a, b, 3001);
	c.colour = true;
	view_compose(g, &c);
	row = spinner_row(g, "asyncio", &y);
	assert_non_null(strstr(row, "Answer: 42"));
	assert_non_null(strstr(row, " frozen 3.0 s"));
	/* The frames lane: red crosses over the freeze, a mark at each frame. */
	const char *lane = fx_row(g, y + 1);
	assert_non_null(strstr(lane, "spinner"));
	assert_non_null(strstr(lane, "\u00d7\u00d7\u00d7\u00d7\u00d7\u00d7\u00d7\u00d7"));
	assert_non_null(strstr(fx_row(g, y + 2), "slow"));
	grid_free(g);
	trace_destroy(a);
	trace_destroy(b);
}

/* A run that has not drawn yet, every size, ASCII: never a crash, nothing outside ASCII. */
static void test_every_size(void **unused)
{
	(void)unused;
	static const int sizes[][2] = {{60, 16}, {80, 24}, {200, 60}, {61, 17}};
	struct trace *a = fx_threads(), *b = fx_asyncio();
	struct view_ctx c;

	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		struct grid *g = grid_new(sizes[s][0], sizes[s][1], true);
		two_panels(&c, a, b, 1000);
		c.ascii = true;
		c.panels[0].tr = NULL; /* still waiting for its turn */
		snprintf(c.panels[0].note, sizeof c.panels[0].note, "waiting for its turn");
		view_compose(g, &c);
		assert_true(fx_find(g, "waiting for its turn") > 0);
		assert_true(fx_find(g, "frozen") > 0);
		for (int r = 0; r < g->h; r++)
			for (const char *p = fx_row(g, r); *p; p++)
				assert_true((unsigned char)*p < 0x80);
		grid_free(g);
	}
	trace_destroy(a);
	trace_destroy(b);
}

/* The tab is there only when a run has a spinner (or the scenario promises one). */
static void test_applies(void **unused)
{
	(void)unused;
	struct trace *a = fx_threads(), *none = fx_one_core();
	struct view_ctx c;
	struct grid *g = grid_new(100, 30, false);

	fx_ctx(&c, none);
	view_show(&c, &view_spinner);
	view_compose(g, &c);
	assert_null(strstr(fx_row(g, 1), "Spinner"));
	assert_true(fx_find(g, " A ") > 0); /* the timeline stands in */
	c.spinner = true;
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, 1), "Spinner"));
	fx_ctx(&c, a);
	assert_true(view_applies(&c, 3));
	grid_free(g);
	trace_destroy(a);
	trace_destroy(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reading_a_spinner),
	    cmocka_unit_test(test_spinner_from_metadata),
	    cmocka_unit_test(test_glyph_follows_the_frames),
	    cmocka_unit_test(test_frozen_in_red),
	    cmocka_unit_test(test_every_size),
	    cmocka_unit_test(test_applies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
