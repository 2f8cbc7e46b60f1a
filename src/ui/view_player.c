/*
 * view_player.c -- the cursor into recorded traces: playing, stepping from
 * one state change to the next, and the zoomed window on the time axis.
 */
#include "view_player.h"

#include <limits.h>

static const double speeds[] = {0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0};
#define NSPEEDS ((int)(sizeof speeds / sizeof speeds[0]))
#define SPEED_ONE 3

#define MIN_WINDOW_NS 10000ull /* zooming stops at 10 us across the screen */

/* ------------------------------------------------------------------ */
/* Speed, ends and playing                                             */
/* ------------------------------------------------------------------ */

void view_player_reset(struct view_player *pl, bool live)
{
	int speed = pl->speed;
	enum view_step_mode mode = pl->step_mode;

	*pl = (struct view_player){0};
	pl->speed = speed > 0 && speed < NSPEEDS ? speed : SPEED_ONE;
	pl->step_mode = mode >= 0 && mode < STEP_MODE_COUNT ? mode : STEP_ALL;
	pl->follow = live;
}

double view_player_speed(const struct view_player *pl)
{
	return pl->speed >= 0 && pl->speed < NSPEEDS ? speeds[pl->speed] : 1.0;
}

double view_player_change_speed(struct view_player *pl, int dir)
{
	pl->speed += dir;
	if (pl->speed < 0)
		pl->speed = 0;
	if (pl->speed >= NSPEEDS)
		pl->speed = NSPEEDS - 1;
	return speeds[pl->speed];
}

static uint64_t panel_end(const struct view_panel *p)
{
	if (!p->tr)
		return 0;
	if (p->live)
		return p->now_ns;
	uint64_t end = p->tr->meta.wall_ns;
	uint64_t ext = trace_extent(p->tr, p->now_ns);

	if (ext > end)
		end = ext;
	return end > p->now_ns ? end : p->now_ns;
}

uint64_t view_player_end(const struct view_panel *p, int n)
{
	uint64_t end = 0;

	for (int i = 0; i < n; i++) {
		uint64_t e = panel_end(&p[i]);
		if (e > end)
			end = e;
	}
	return end;
}

bool view_player_live(const struct view_panel *p, int n)
{
	for (int i = 0; i < n; i++)
		if (p[i].live)
			return true;
	return false;
}

bool view_player_tick(struct view_player *pl, const struct view_panel *p, int n, uint64_t dt_ns)
{
	uint64_t end = view_player_end(p, n);
	bool live = view_player_live(p, n);
	uint64_t old = pl->cursor;

	if (pl->paused)
		return false;
	if (live && pl->follow) {
		pl->cursor = end;
	} else {
		pl->cursor += (uint64_t)((double)dt_ns * view_player_speed(pl));
		if (pl->cursor >= end) {
			pl->cursor = end;
			pl->follow = live;
		}
	}
	if (pl->cursor != old) {
		pl->has_focus = false;
		pl->scrolled = false;
	}
	return pl->cursor != old;
}

bool view_player_moving(const struct view_player *pl, const struct view_panel *p, int n)
{
	if (view_player_live(p, n))
		return true;
	return !pl->paused && pl->cursor < view_player_end(p, n);
}

void view_player_toggle(struct view_player *pl, const struct view_panel *p, int n)
{
	bool live = view_player_live(p, n);

	if (!live && pl->cursor >= view_player_end(p, n)) {
		/* At the end of a finished run, play it again like a video. */
		view_player_home(pl);
		pl->paused = false;
		return;
	}
	pl->paused = !pl->paused;
	pl->follow = false;
}

void view_player_home(struct view_player *pl)
{
	/* Back to the start to look at it: paused, even after the end (DONE). */
	pl->cursor = 0;
	pl->paused = true;
	pl->follow = false;
	pl->has_focus = false;
	pl->scrolled = false;
}

void view_player_end_key(struct view_player *pl, const struct view_panel *p, int n)
{
	pl->cursor = view_player_end(p, n);
	pl->follow = view_player_live(p, n);
	pl->paused = false;
	pl->has_focus = false;
	pl->scrolled = false;
}

/* ------------------------------------------------------------------ */
/* Events: span starts and lane ends, in (t, panel, lane, idx) order   */
/* ------------------------------------------------------------------ */

static int event_cmp(const struct view_event *a, const struct view_event *b)
{
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->panel != b->panel)
		return a->panel < b->panel ? -1 : 1;
	if (a->lane != b->lane)
		return a->lane < b->lane ? -1 : 1;
	if (a->idx != b->idx)
		return a->idx < b->idx ? -1 : 1;
	return 0;
}

/* Spans of LANE plus one for its end when it has finished. */
static uint32_t lane_events(const struct trace *tr, int lane, struct span *last)
{
	uint32_t n = trace_count(tr, lane);

	if (n == 0)
		return 0;
	trace_get(tr, lane, n - 1, last);
	/* A final zero-length `done` span already marks the end. */
	if (last->t1 != TRACE_OPEN && last->state != STATE_DONE &&
	    trace_outcome(tr, lane) != OUTCOME_NONE)
		return n + 1;
	return n;
}

static uint64_t event_time(const struct trace *tr, int lane, uint32_t idx, uint32_t n,
			   const struct span *last)
{
	struct span sp;

	if (idx >= n)
		return last->t1;
	trace_get(tr, lane, idx, &sp);
	return sp.t0;
}

/* The first index of LANE whose event orders after A (m if none). */
static uint32_t lane_search(const struct trace *tr, int panel, int lane, uint32_t m,
			    const struct span *last, const struct view_event *a, bool or_equal)
{
	uint32_t n = trace_count(tr, lane);
	uint32_t lo = 0, hi = m;

	if (n > m)
		n = m;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		struct view_event e = {event_time(tr, lane, mid, n, last), panel, lane, mid};
		int c = event_cmp(&e, a);

		if (c > 0 || (or_equal && c == 0))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Whether event K of LANE is one that F steps over. */
static bool event_kept(const struct trace *tr, int lane, uint32_t k,
		       const struct view_step_filter *f)
{
	struct span sp;

	if (!f || f->mode <= STEP_RUN)
		return true;
	if (k >= trace_count(tr, lane))
		return false; /* a lane's end is no hand-off */
	trace_get(tr, lane, k, &sp);
	switch (f->mode) {
	case STEP_GIL:
		return sp.cause == CAUSE_GIL_TAKE && sp.by >= 0 && sp.by != lane;
	case STEP_PREEMPT:
		return sp.cause == CAUSE_PREEMPT;
	case STEP_LOOP:
		return sp.cause == CAUSE_LOOP_RESUME;
	default:
		return true;
	}
}

/*
 * The nearest event after A (BACK: before A) over the lanes F allows (every
 * lane of every panel when F is NULL): each lane is binary-searched, walked
 * on to the first event F keeps, and the closest candidate wins.
 */
static bool event_step(const struct view_panel *p, int n, const struct view_event *a,
		       struct view_event *out, bool back, const struct view_step_filter *f)
{
	bool found = false;
	bool one_run = f && (f->mode == STEP_RUN || f->mode == STEP_TASK);

	for (int pi = 0; pi < n; pi++) {
		const struct trace *tr = p[pi].tr;
		if (one_run && pi != f->panel)
			continue;
		if (f && f->pair && pi != f->panel && pi != f->pair - 1)
			continue; /* a pair on screen: its two runs only */
		for (int l = 0; tr && l < tr->ntasks; l++) {
			if (f && f->mode == STEP_TASK && l != f->lane)
				continue;
			struct span last;
			uint32_t m = lane_events(tr, l, &last);
			uint32_t i = lane_search(tr, pi, l, m, &last, a, back);
			if (back) {
				while (i > 0 && !event_kept(tr, l, i - 1, f))
					i--;
			} else {
				while (i < m && !event_kept(tr, l, i, f))
					i++;
			}
			if (back ? i == 0 : i >= m)
				continue;
			uint32_t k = back ? i - 1 : i;
			struct view_event e = {event_time(tr, l, k, trace_count(tr, l), &last), pi,
					       l, k};
			if (!found || (back ? event_cmp(&e, out) > 0 : event_cmp(&e, out) < 0))
				*out = e, found = true;
		}
	}
	return found;
}

bool view_event_next(const struct view_panel *p, int n, const struct view_event *a,
		     struct view_event *out)
{
	return event_step(p, n, a, out, false, NULL);
}

bool view_event_prev(const struct view_panel *p, int n, const struct view_event *a,
		     struct view_event *out)
{
	return event_step(p, n, a, out, true, NULL);
}

bool view_event_current(const struct view_player *pl, const struct view_panel *p, int n,
			struct view_event *out)
{
	if (pl->has_focus) {
		*out = pl->focus;
		return true;
	}
	struct view_event a = {pl->cursor, INT_MAX, INT_MAX, UINT32_MAX};
	return view_event_prev(p, n, &a, out);
}

bool view_player_step(struct view_player *pl, const struct view_panel *p, int n, int dir)
{
	return view_player_step_over(pl, p, n, dir, NULL);
}

bool view_player_step_over(struct view_player *pl, const struct view_panel *p, int n, int dir,
			   const struct view_step_filter *f)
{
	struct view_event a, e;
	bool ok;

	if (pl->has_focus) {
		a = pl->focus;
	} else if (dir > 0) {
		/* From t = 0 the first step shows the tasks starting. */
		a = (struct view_event){pl->cursor, pl->cursor ? INT_MAX : -1, 0, 0};
	} else {
		a = (struct view_event){pl->cursor, INT_MAX, INT_MAX, UINT32_MAX};
		if (event_step(p, n, &a, &e, true, f) && e.t == pl->cursor)
			a = e; /* already there: go one further back */
	}
	ok = event_step(p, n, &a, &e, dir < 0, f);
	pl->paused = true;
	pl->follow = false;
	if (!ok)
		return false;
	pl->cursor = e.t;
	pl->focus = e;
	pl->has_focus = true;
	pl->scrolled = false;
	return true;
}

void view_player_jump(struct view_player *pl, const struct view_event *e)
{
	pl->cursor = e->t;
	pl->focus = *e;
	pl->has_focus = true;
	pl->paused = true;
	pl->follow = false;
	pl->scrolled = false;
}

const char *view_step_mode_name(enum view_step_mode m)
{
	static const char *const names[] = {
#define X(e, n) n,
	    STEP_MODE_MAP(X)
#undef X
	};
	return m >= 0 && m < STEP_MODE_COUNT ? names[m] : "?";
}

/* ------------------------------------------------------------------ */
/* The window on the time axis                                         */
/* ------------------------------------------------------------------ */

uint64_t view_player_fit(uint64_t extent, bool live)
{
	if (!live)
		return extent > 1000000 ? extent : 1000000;
	/* Round up to 1, 2 or 5 x 10^k so that a growing run rescales rarely. */
	uint64_t want = extent + extent / 8, step = 100000000; /* 100 ms at least */
	while (step < want) {
		if (step * 2 >= want)
			return step * 2;
		if (step * 5 >= want)
			return step * 5;
		step *= 10;
	}
	return step;
}

static uint64_t window_len(const struct view_player *pl, uint64_t fit)
{
	uint64_t len = fit >> pl->zoom;
	return len < MIN_WINDOW_NS ? MIN_WINDOW_NS : len;
}

static void clamp_t0(struct view_player *pl, uint64_t fit, uint64_t len)
{
	uint64_t max = fit > len ? fit - len : 0;
	if (pl->win_t0 > max)
		pl->win_t0 = max;
}

void view_player_window(struct view_player *pl, uint64_t fit, uint64_t *t0, uint64_t *len)
{
	*len = window_len(pl, fit);
	if (pl->zoom == 0) {
		pl->win_t0 = 0;
	} else if (!pl->scrolled && (pl->cursor < pl->win_t0 || pl->cursor >= pl->win_t0 + *len)) {
		/* Keep the cursor in view, a quarter in, with room ahead. */
		pl->win_t0 = pl->cursor > *len / 4 ? pl->cursor - *len / 4 : 0;
		clamp_t0(pl, fit, *len);
	}
	*t0 = pl->win_t0;
}

void view_player_zoom(struct view_player *pl, int dir, uint64_t fit)
{
	if (dir > 0 && (fit >> (pl->zoom + 1)) >= MIN_WINDOW_NS && pl->zoom < 40)
		pl->zoom++;
	else if (dir < 0 && pl->zoom > 0)
		pl->zoom--;
	uint64_t len = window_len(pl, fit);
	pl->win_t0 = pl->cursor > len / 2 ? pl->cursor - len / 2 : 0;
	clamp_t0(pl, fit, len);
	pl->scrolled = false;
}

void view_player_scroll(struct view_player *pl, int dir, uint64_t fit)
{
	uint64_t len = window_len(pl, fit);

	if (pl->zoom == 0)
		return;
	if (dir < 0)
		pl->win_t0 = pl->win_t0 > len / 4 ? pl->win_t0 - len / 4 : 0;
	else
		pl->win_t0 += len / 4;
	clamp_t0(pl, fit, len);
	pl->scrolled = true;
}

int32_t view_span_at(const struct trace *tr, int lane, uint64_t t)
{
	uint32_t lo = 0, hi = trace_count(tr, lane);
	struct span sp;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		trace_get(tr, lane, mid, &sp);
		if (sp.t0 <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int32_t)lo - 1;
}
