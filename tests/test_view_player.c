/*
 * test_view_player.c -- the cursor: playing, following a live run, pausing,
 * stepping through state changes in order, and the zoom window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "view_fixture.h"
#include "view_player.h"

static void one_panel(struct view_panel *p, struct trace *tr)
{
	memset(p, 0, sizeof *p);
	p->tr = tr;
	p->now_ns = tr->meta.wall_ns;
}

static void test_events_in_order(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_panel p;
	struct view_event a = {0, -1, 0, 0}, e;
	/* (t ms, lane, idx): span starts, then each lane's end. */
	static const int want[][3] = {{0, 0, 0},  {0, 1, 0},  {10, 0, 1}, {10, 1, 1},
				      {20, 0, 2}, {20, 1, 2}, {30, 0, 3}, {40, 1, 3}};
	int n = 0;

	one_panel(&p, tr);
	while (view_event_next(&p, 1, &a, &e)) {
		assert_true(n < 8);
		assert_int_equal(e.t, (uint64_t)want[n][0] * MS);
		assert_int_equal(e.lane, want[n][1]);
		assert_int_equal(e.idx, (uint32_t)want[n][2]);
		a = e;
		n++;
	}
	assert_int_equal(n, 8);
	/* And backwards from the last one. */
	while (view_event_prev(&p, 1, &a, &e)) {
		n--;
		assert_int_equal(e.t, (uint64_t)want[n - 1][0] * MS);
		assert_int_equal(e.lane, want[n - 1][1]);
		a = e;
	}
	assert_int_equal(n, 1);
	trace_destroy(tr);
}

static void test_play_pause_and_end(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_panel p;
	struct view_player pl = {0};

	one_panel(&p, tr);
	view_player_reset(&pl, false);
	assert_true(view_player_moving(&pl, &p, 1));
	assert_true(view_player_tick(&pl, &p, 1, 10 * MS));
	assert_int_equal(pl.cursor, 10 * MS);
	view_player_change_speed(&pl, -1); /* 0.5x */
	view_player_tick(&pl, &p, 1, 10 * MS);
	assert_int_equal(pl.cursor, 15 * MS);
	view_player_toggle(&pl, &p, 1);
	assert_true(pl.paused);
	assert_false(view_player_tick(&pl, &p, 1, 10 * MS));
	assert_false(view_player_moving(&pl, &p, 1));
	view_player_toggle(&pl, &p, 1);
	view_player_tick(&pl, &p, 1, 1000 * MS);
	assert_int_equal(pl.cursor, 40 * MS); /* stops at the end */
	assert_false(view_player_moving(&pl, &p, 1));
	/* Space at the end plays again from the start. */
	view_player_toggle(&pl, &p, 1);
	assert_int_equal(pl.cursor, 0);
	assert_false(pl.paused);
	/* Speeds stop at 0.1x and 10x. */
	for (int i = 0; i < 20; i++)
		view_player_change_speed(&pl, 1);
	assert_true(view_player_speed(&pl) == 10.0);
	for (int i = 0; i < 20; i++)
		view_player_change_speed(&pl, -1);
	assert_true(view_player_speed(&pl) == 0.1);
	trace_destroy(tr);
}

static void test_live_follow(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_panel p;
	struct view_player pl = {0};

	one_panel(&p, tr);
	p.live = true;
	p.now_ns = 12 * MS;
	view_player_reset(&pl, true);
	view_player_tick(&pl, &p, 1, MS);
	assert_int_equal(pl.cursor, 12 * MS); /* rides "now" */
	view_player_toggle(&pl, &p, 1);	      /* pause: the run goes on */
	p.now_ns = 30 * MS;
	view_player_tick(&pl, &p, 1, MS);
	assert_int_equal(pl.cursor, 12 * MS);
	assert_true(view_player_moving(&pl, &p, 1)); /* still recording */
	view_player_toggle(&pl, &p, 1);		     /* resume: catch up at 1x */
	view_player_tick(&pl, &p, 1, 8 * MS);
	assert_int_equal(pl.cursor, 20 * MS);
	assert_false(pl.follow);
	view_player_end_key(&pl, &p, 1);
	assert_int_equal(pl.cursor, 30 * MS);
	assert_true(pl.follow);
	trace_destroy(tr);
}

static void test_step_pauses_and_focuses(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_panel p;
	struct view_player pl = {0};
	struct view_event e;

	one_panel(&p, tr);
	view_player_reset(&pl, false);
	pl.cursor = 12 * MS; /* between changes, playing */
	assert_true(view_player_step(&pl, &p, 1, 1));
	assert_true(pl.paused);
	assert_int_equal(pl.cursor, 20 * MS);
	assert_int_equal(pl.focus.lane, 0);
	assert_true(view_player_step(&pl, &p, 1, 1));
	assert_int_equal(pl.focus.lane, 1);
	assert_int_equal(pl.cursor, 20 * MS);
	assert_true(view_event_current(&pl, &p, 1, &e));
	assert_int_equal(e.lane, 1);
	/* Back from between changes: the latest change before the cursor. */
	pl.has_focus = false;
	pl.cursor = 15 * MS;
	assert_true(view_player_step(&pl, &p, 1, -1));
	assert_int_equal(pl.cursor, 10 * MS);
	assert_int_equal(pl.focus.lane, 1);
	/* From t = 0 back: the changes at 0, then nothing before them. */
	view_player_home(&pl);
	while (view_player_step(&pl, &p, 1, -1))
		assert_int_equal(pl.cursor, 0);
	assert_int_equal(pl.focus.lane, 0);
	pl.cursor = 40 * MS;
	pl.has_focus = false;
	assert_false(view_player_step(&pl, &p, 1, 1));
	trace_destroy(tr);
}

static void test_window_zoom_scroll(void **state)
{
	(void)state;
	struct view_player pl = {0};
	uint64_t t0, len, fit = 40 * MS;

	view_player_reset(&pl, false);
	view_player_window(&pl, fit, &t0, &len);
	assert_int_equal(t0, 0);
	assert_int_equal(len, 40 * MS);
	pl.cursor = 30 * MS;
	view_player_zoom(&pl, 1, fit);
	view_player_window(&pl, fit, &t0, &len);
	assert_int_equal(len, 20 * MS);
	assert_true(pl.cursor >= t0 && pl.cursor < t0 + len);
	view_player_scroll(&pl, -1, fit);
	view_player_scroll(&pl, -1, fit);
	view_player_window(&pl, fit, &t0, &len);
	assert_int_equal(t0, 10 * MS); /* a quarter window a step, from 20 ms */
	for (int i = 0; i < 10; i++)
		view_player_scroll(&pl, 1, fit);
	view_player_window(&pl, fit, &t0, &len);
	assert_int_equal(t0 + len, fit); /* never past the end */
	for (int i = 0; i < 60; i++)
		view_player_zoom(&pl, 1, fit);
	view_player_window(&pl, fit, &t0, &len);
	assert_true(len >= 10000);
	for (int i = 0; i < 60; i++)
		view_player_zoom(&pl, -1, fit);
	view_player_window(&pl, fit, &t0, &len);
	assert_int_equal(len, fit);
	/* A live run's axis rounds up, so it rescales rarely. */
	assert_int_equal(view_player_fit(450 * MS, true), 1000 * MS);
	assert_int_equal(view_player_fit(30 * MS, true), 100 * MS);
	assert_int_equal(view_player_fit(1500 * MS, true), 2000 * MS);
	assert_int_equal(view_player_fit(30 * MS, false), 30 * MS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_events_in_order),
	    cmocka_unit_test(test_play_pause_and_end),
	    cmocka_unit_test(test_live_follow),
	    cmocka_unit_test(test_step_pauses_and_focuses),
	    cmocka_unit_test(test_window_zoom_scroll),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
