/*
 * view_spinner.c -- the Spinner view: seed 004's spinner once per panel
 * (threads, processes, asyncio and the GIL, run one after another), each
 * turning exactly when its trace recorded a frame, so the same playback
 * cursor shows one spinner turning and another frozen.
 */
#include "view_spinner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "view_arrow.h"
#include "view_ctx.h"
#include "view_lanes.h"
#include "view_layout.h"

#define PROBE_LANES 64			 /* tasks searched for a spinner */
#define DEFAULT_INTERVAL_NS 100000000ull /* seed 004's 0.1 s, when the trace does not say */

/* ------------------------------------------------------------------ */
/* Reading a spinner from a trace                                      */
/* ------------------------------------------------------------------ */

/*
 * The spinner's lane, from the trace's metadata (run.c writes it from the
 * scenario's `spin` step).  A record made before that metadata existed
 * names its spinner task "spinner", as the scenarios do.
 */
int view_spinner_lane(const struct trace *tr)
{
	if (!tr)
		return -1;
	if (tr->meta.spinner_ms > 0 && tr->meta.spinner >= 0 && tr->meta.spinner < tr->ntasks)
		return tr->meta.spinner;
	for (int l = 0; l < tr->ntasks && l < PROBE_LANES; l++)
		if (strcmp(trace_name(tr, l), "spinner") == 0)
			return l;
	return -1;
}

/* The wait between frames, from the metadata; a guess for older records. */
static uint64_t interval_of(const struct trace *tr)
{
	return tr->meta.spinner_ms > 0 ? (uint64_t)(tr->meta.spinner_ms * 1e6)
				       : DEFAULT_INTERVAL_NS;
}

/* The first task other than the spinner: the slow call it waits for. */
static int slow_lane(const struct trace *tr, int spinner)
{
	for (int l = 0; l < tr->ntasks; l++)
		if (l != spinner)
			return l;
	return -1;
}

static bool lane_ended(const struct trace *tr, int lane, uint64_t t, uint64_t now)
{
	return trace_outcome(tr, lane) != OUTCOME_NONE && trace_count(tr, lane) > 0 &&
	       trace_lane_end(tr, lane, now) <= t;
}

/*
 * The start of the next frame of LANE from span *K on, or false when there
 * is none.  *PREV_END is where the last frame's running ended: a running
 * span that starts there continues that frame (a move to another core),
 * as stats_max_gap_ms counts them.
 */
static bool next_frame(const struct trace *tr, int lane, uint32_t *k, uint64_t *prev_end,
		       uint64_t *start)
{
	uint32_t n = trace_count(tr, lane);
	struct span sp;

	for (; *k < n; (*k)++) {
		trace_get(tr, lane, *k, &sp);
		if (sp.state != STATE_RUNNING)
			continue;
		uint64_t end = sp.t1 == TRACE_OPEN ? sp.t0 : sp.t1;
		bool same = *prev_end != UINT64_MAX && sp.t0 == *prev_end;
		*prev_end = end;
		if (same)
			continue;
		(*k)++;
		*start = sp.t0;
		return true;
	}
	return false;
}

bool view_spinner_at(const struct trace *tr, uint64_t t, uint64_t now, struct view_spin *s)
{
	uint64_t prev_end = UINT64_MAX, start;
	uint32_t k = 0;

	memset(s, 0, sizeof *s);
	s->lane = view_spinner_lane(tr);
	if (s->lane < 0)
		return false;
	s->slow = slow_lane(tr, s->lane);
	s->interval = interval_of(tr);
	while (next_frame(tr, s->lane, &k, &prev_end, &start) && start <= t) {
		if (s->frames > 0 && start - s->last > s->max_gap)
			s->max_gap = start - s->last;
		s->frames++;
		s->last = start;
	}
	s->ended = lane_ended(tr, s->lane, t, now);
	if (s->slow >= 0 && lane_ended(tr, s->slow, t, now)) {
		s->answered = trace_outcome(tr, s->slow) == OUTCOME_DONE;
		s->gave_up = !s->answered;
	}
	return true;
}

uint64_t view_spinner_gap_now(const struct view_spin *s, uint64_t t)
{
	if (s->ended || s->frames == 0 || t < s->last)
		return 0;
	return t - s->last;
}

bool view_spinner_frozen(const struct view_spin *s, uint64_t gap)
{
	return gap > STATS_SPIN_FROZEN * s->interval;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */
/* ------------------------------------------------------------------ */

/* "104 ms", "3.6 s": a spinner's gaps are read from the back of a room. */
static void fmt_gap(char *buf, size_t len, uint64_t ns)
{
	double ms = (double)ns / 1e6;

	if (ms < 1000)
		snprintf(buf, len, "%.0f ms", ms);
	else
		snprintf(buf, len, "%.1f s", ms / 1000);
}

static bool applies(const struct view_ctx *c)
{
	if (c->spinner)
		return true;
	for (int i = 0; i < c->npanels; i++)
		if (c->panels[i].tr && view_spinner_lane(c->panels[i].tr) >= 0)
			return true;
	return false;
}

/* The spinner itself, what it says, and its gaps, on row Y. */
static void spinner_row(struct grid *g, const struct view_ctx *c, const struct view_panel *p, int y)
{
	static const char glyphs[4] = {'\\', '|', '/', '-'}; /* itertools.cycle(r"\|/-") */
	const struct trace *tr = p->tr;
	uint64_t t = p->live && c->pl.cursor > p->now_ns ? p->now_ns : c->pl.cursor;
	struct view_spin s;
	char gap[32], buf[128];

	if (!tr || !view_spinner_at(tr, t, p->now_ns, &s)) {
		grid_text(g, 3, y, g->w - 4, tr ? "no spinner in this run" : p->note,
			  view_style(c, ROLE_DIM));
		return;
	}
	uint64_t now_gap = view_spinner_gap_now(&s, t);
	bool frozen_now = view_spinner_frozen(&s, now_gap);
	/* At the end, the figure is the run's: stats_max_gap_ms over the whole trace. */
	double max_ms =
	    s.ended ? stats_max_gap_ms(tr, s.lane, STATE_RUNNING) : (double)s.max_gap / 1e6;
	bool frozen_ever = view_spinner_frozen(&s, (uint64_t)(max_ms * 1e6));

	struct grid_style gs = view_style(c, frozen_now ? ROLE_BAD : ROLE_GOOD);
	grid_put(g, 3, y, s.frames ? (uint32_t)glyphs[(s.frames - 1) % 4] : ' ', gs);
	if (s.answered)
		grid_text(g, 5, y, 24, "Answer: 42", view_style(c, ROLE_TITLE));
	else if (s.gave_up)
		grid_text(g, 5, y, 24, "no answer", view_style(c, ROLE_DIM));
	else if (s.frames)
		grid_text(g, 5, y, 24, "thinking!", grid_plain);

	int x = 18 + grid_textf(g, 18, y, -1, view_style(c, ROLE_DIM), "frames %-4d ", s.frames);
	if (s.frames == 0 && s.ended) {
		/* asyncio, main = slow: created, but the loop never got control back. */
		grid_text(g, x, y, -1, " never ran: the loop never got control back ",
			  view_style(c, ROLE_BAD));
		return;
	}
	if (frozen_now || frozen_ever) {
		fmt_gap(gap, sizeof gap, frozen_now ? now_gap : (uint64_t)(max_ms * 1e6));
		snprintf(buf, sizeof buf, " frozen %s ", gap);
		grid_text(g, x, y, -1, buf, view_style(c, ROLE_BAD));
		return;
	}
	if (s.frames < 2) {
		grid_text(g, x, y, -1, "one frame, no gap yet", view_style(c, ROLE_DIM));
		return;
	}
	fmt_gap(gap, sizeof gap, (uint64_t)(max_ms * 1e6));
	x += grid_textf(g, x, y, -1, grid_plain, "largest gap %s", gap);
	grid_text(g, x, y, -1, s.ended ? " \u00b7 kept turning" : " \u00b7 turning",
		  view_style(c, ROLE_GOOD));
}

/* The column of time T, which lies in the axis' window. */
static int column(const struct view_axis *ax, uint64_t t)
{
	int i = (int)((t - ax->t0) * (uint64_t)ax->w / ax->len);

	return i < ax->w ? i : ax->w - 1;
}

/*
 * The spinner's lane as its frames: a mark in each column where a frame
 * was drawn, and red crosses over every gap long enough to be a freeze --
 * the picture of a blocked event loop.
 */
static void frames_row(struct grid *g, const struct view_ctx *c, const struct view_axis *ax,
		       const struct view_panel *p, int lane, uint64_t interval, int y)
{
	const struct trace *tr = p->tr;
	uint64_t cursor = p->live && ax->cursor > p->now_ns ? p->now_ns : ax->cursor;
	uint64_t prev_end = UINT64_MAX, start, last = UINT64_MAX, end = ax->t0 + ax->len;
	struct view_spin probe = {.interval = interval};
	struct grid_style good = view_style(c, ROLE_GOOD), bad = view_style(c, ROLE_BAD);
	uint32_t k = 0;

	bad.attr &= (uint8_t)~GRID_REVERSE;
	if (c->colour)
		bad.fg = COLOUR_RED, bad.bg = COLOUR_DEFAULT;
	for (;;) {
		bool more = next_frame(tr, lane, &k, &prev_end, &start) && start <= cursor;
		uint64_t to =
		    more ? start : (lane_ended(tr, lane, cursor, p->now_ns) ? last : cursor);
		/* The gap before this frame (or up to the cursor) when it is a freeze. */
		if (last != UINT64_MAX && to > last && view_spinner_frozen(&probe, to - last) &&
		    to > ax->t0 && last < end) {
			/* The frame that opened the gap keeps its mark. */
			int a = last >= ax->t0 ? column(ax, last) + 1 : 0;
			int b = column(ax, to < end ? to : end - 1);
			if (b >= a)
				grid_fill(g, ax->x + a, y, b - a + 1, 1, 0x00d7, bad);
		}
		if (!more)
			break;
		if (start >= ax->t0 && start < end)
			grid_put(g, ax->x + column(ax, start), y, 0x2502, good);
		last = start;
	}
}

/* One panel: its title, the spinner, then its lanes as far as ROWS allow. */
static void block(struct grid *g, struct view_ctx *c, const struct view_axis *ax, int i, int y,
		  int rows, int nw)
{
	const struct view_panel *p = &c->panels[i];
	struct view_spin s;

	if (rows >= 2) {
		view_layout_panel_rule(g, c, p, y++);
		rows--;
	}
	spinner_row(g, c, p, y++);
	rows--;
	if (!p->tr || rows <= 0 || !view_spinner_at(p->tr, 0, 0, &s))
		return;
	/* The spinner's and the slow task's rows, for the connector of the change under the cursor.
	 */
	static struct view_arrow_rows ar;
	ar = (struct view_arrow_rows){.panel = i, .bar = 1};
	grid_text(g, 1, y, nw, trace_name(p->tr, s.lane), view_style(c, ROLE_DIM));
	frames_row(g, c, ax, p, s.lane, s.interval, y);
	view_arrow_row(&ar, s.lane, y++);
	if (rows >= 2 && s.slow >= 0) {
		grid_text(g, 1, y, nw, trace_name(p->tr, s.slow), view_style(c, ROLE_DIM));
		c->mixed += view_lanes_task(g, c, ax, p->tr, s.slow, p->now_ns, y);
		view_arrow_row(&ar, s.slow, y);
	}
	view_arrow_draw(g, c, ax, &ar);
}

static void compose(struct grid *g, struct view_ctx *c)
{
	int n = c->npanels > 0 ? c->npanels : 1, nw = 8;
	struct view_axis ax;
	struct view_layout lo;
	struct view_layout_want want = {
	    .rows = 5 * n - 1, /* a title, the spinner, its frames, the slow task; a gap */
	    .min_rows = 2 * n,
	    .narration = view_layout_narration_lines(g, c),
	    .axis = true,
	};

	view_layout_plan(&lo, g->h, &want);
	view_layout_chrome(g, c, &lo);
	/* A blank row between the blocks when every block has its four. */
	int per = lo.rows.h >= 5 * n - 1 ? 5 : lo.rows.h / n, top = lo.rows.y;
	view_lanes_axis(c, &ax, nw + 2, g->w - nw - 3);
	view_lanes_ticks(g, c, &ax, lo.axis.y);
	for (int i = 0; i < c->npanels && per > 0; i++, top += per)
		block(g, c, &ax, i, top, per >= 5 ? 4 : per, nw);
	view_legend(g, c, 1, lo.legend.y);
}

const struct view view_spinner = {
    .name = "Spinner",
    .compose = compose,
    .applies = applies,
};
