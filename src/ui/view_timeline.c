/*
 * view_timeline.c -- the main screen: one row per task, the cores and the
 * GIL below, then the legend, the figures, the caption and the narration.
 * With several panels (the overview, a compare record) the panels are
 * stacked on one time axis instead, so their lengths compare at a glance.
 */
#include <stdio.h>
#include <string.h>

#include "view_ctx.h"
#include "view_lanes.h"

#define MAX_CORE_ROWS 4 /* more cores: the Cores view (Tab) lists them all */

/* ------------------------------------------------------------------ */
/* Pieces                                                              */
/* ------------------------------------------------------------------ */

static void task_row(struct grid *g, struct view_ctx *c, const struct view_axis *ax,
		     const struct view_panel *p, int lane, int nw, int y, bool selected)
{
	const struct trace *tr = p->tr;
	struct grid_style st = selected ? view_style(c, ROLE_SELECTED) : grid_plain;

	if (trace_count(tr, lane) == 0 || trace_lane_start(tr, lane) > ax->cursor)
		st.attr |= GRID_DIM; /* not started yet */
	if (selected)
		grid_fill(g, 0, y, nw + 1, 1, ' ', st);
	grid_text(g, 1, y, nw, trace_name(tr, lane), st);
	view_lanes_task(g, c, ax, tr, lane, p->now_ns, y);
}

/* "cpu0".."cpuN" and "GIL" rows; returns the rows drawn. */
static int lane_rows(struct grid *g, struct view_ctx *c, const struct view_axis *ax, int panel,
		     int nw, int y, int max)
{
	const struct trace *tr = c->panels[panel].tr;
	const int *cpus;
	int ncores = view_lanes_panel_cores(c, panel, &cpus);
	int lock = trace_lock_lane(tr) >= 0;
	int rows[MAX_CORE_ROWS + 1], n = 0;
	struct grid_style lab = view_style(c, ROLE_AXIS);

	for (int i = 0; i < ncores && i < VIEW_MAX_CORES && n < max - lock && n < MAX_CORE_ROWS;
	     i++)
		rows[n++] = cpus[i];
	if (lock && n < max)
		rows[n++] = -1;
	for (int i = 0; i < n; i++) {
		if (rows[i] >= 0)
			grid_textf(g, 1, y + i, nw, lab, "cpu%d", rows[i]);
		else
			grid_text(g, 1, y + i, nw, "GIL", lab);
	}
	view_lanes_owners(g, c, ax, tr, c->panels[panel].now_ns, rows, n, y);
	int hidden = ncores - (n - (lock && n > 0 && rows[n - 1] == -1));
	if (hidden > 0 && n > 0)
		grid_textf(g, ax->x + ax->w - 28, y + n - 1 - (rows[n - 1] == -1), 28,
			   view_style(c, ROLE_DIM), " +%d more cores: Tab, Cores ", hidden);
	return n;
}

static int min(int a, int b)
{
	return a < b ? a : b;
}

static int max(int a, int b)
{
	return a > b ? a : b;
}

/* Rows of narration the scenario needs at this width. */
static int narration_rows(const struct grid *g, const struct view_ctx *c)
{
	struct grid probe = *g;

	/* Wrapping below the last row counts lines without drawing them. */
	return view_narration(&probe, c, g->h, 0);
}

/* ------------------------------------------------------------------ */
/* One panel: the scenario screen                                      */
/* ------------------------------------------------------------------ */

static void compose_single(struct grid *g, struct view_ctx *c)
{
	const struct view_panel *p = &c->panels[0];
	const struct trace *tr = p->tr;
	int H = g->h, bottom = H - 4; /* legend, figures, caption, key bar */

	view_legend(g, c, 1, bottom);
	view_figures(g, c, bottom + 1);
	view_caption(g, c, bottom + 2);
	if (!tr) {
		grid_text(g, (g->w - grid_text_width(p->note)) / 2, H / 2, -1, p->note,
			  view_style(c, ROLE_TITLE));
		return;
	}
	int nw = view_lanes_name_width(tr) + 1;
	if (nw < 5)
		nw = 5;
	struct view_axis ax;
	view_lanes_axis(c, &ax, nw + 2, g->w - nw - 3);
	view_lanes_ticks(g, c, &ax, 2);

	/* Share the rows out: a few tasks first, then lanes, narration, more tasks. */
	const int *cpus;
	int ntasks = tr->ntasks;
	int lanes =
	    min(view_lanes_panel_cores(c, 0, &cpus), MAX_CORE_ROWS) + (trace_lock_lane(tr) >= 0);
	int rest = bottom - 3;
	int rows = min(ntasks, 3);
	rest -= rows;
	int nlanes = min(lanes, max(rest, 0));
	rest -= nlanes;
	int gap = nlanes > 0 && rest > 0;
	rest -= gap;
	int narr = min(min(narration_rows(g, c), 2), max(rest, 0));
	rest -= narr;
	int extra = min(ntasks - rows, max(rest, 0));
	rows += extra;
	rest -= extra;
	int more = min(narration_rows(g, c) - narr, max(rest - 1, 0)); /* the rest of the story */
	if (more > 0)
		narr += more, rest -= more;
	bool hidden = rows < ntasks;
	if (hidden && rest <= 0)
		rows--; /* the summary takes a task's row */

	/* Room to spare: taller bars, easier to read from the back of a room. */
	int pitch = 1, bar = 1;
	if (!hidden && rows > 0 && rest >= 2 * rows)
		pitch = 3, bar = 2;
	else if (!hidden && rows > 0 && rest >= rows)
		pitch = 2;
	c->page = rows > 0 ? rows : 1;
	if (c->top > ntasks - rows)
		c->top = max(ntasks - rows, 0);
	if (c->sel < c->top || c->sel >= c->top + rows)
		c->top = max(0, min(c->sel, ntasks - rows));
	int y = 3;
	for (int r = 0; r < rows; r++, y += pitch) {
		int lane = c->top + r;
		for (int k = 0; k < bar; k++) {
			task_row(g, c, &ax, p, lane, nw, y + k, lane == c->sel);
			grid_set_tag(g, y + k, lane + 1);
		}
		if (bar > 1)
			grid_fill(g, 0, y + 1, nw + 1, 1, ' ',
				  lane == c->sel ? view_style(c, ROLE_SELECTED) : grid_plain);
	}
	if (hidden) {
		int below = ntasks - c->top - rows;
		grid_textf(
		    g, 1, y++, g->w - 2, view_style(c, ROLE_DIM),
		    "\u25b2 %d above \u00b7 \u25bc %d below \u00b7 %d tasks (j/k, PgUp/PgDn)",
		    c->top, below, ntasks);
	}
	y += gap;
	if (nlanes > 0)
		y += lane_rows(g, c, &ax, 0, nw, y, nlanes);
	if (narr > 0)
		view_narration(g, c, y + (rest > 0), narr);
}

/* ------------------------------------------------------------------ */
/* Several panels: the overview                                        */
/* ------------------------------------------------------------------ */

static void panel_title(struct grid *g, const struct view_ctx *c, int i, int y)
{
	const struct view_panel *p = &c->panels[i];
	struct grid_style frame = view_style(c, ROLE_FRAME);
	char t[32], buf[160];

	grid_fill(g, 0, y, g->w, 1, 0x2500, frame);
	int x = 2 + grid_textf(g, 2, y, -1, view_style(c, ROLE_TITLE), " %s ", p->title);
	if (!p->tr) {
		snprintf(buf, sizeof buf, " %s ", p->note);
	} else if (p->live) {
		view_fmt_time(t, sizeof t, p->now_ns);
		snprintf(buf, sizeof buf, " running\u2026 %s ", t);
	} else {
		uint64_t wall = view_player_end(p, 1), base = view_player_end(&c->panels[0], 1);
		int n;
		view_fmt_time(t, sizeof t, wall);
		n = snprintf(buf, sizeof buf, " wall %s ", t);
		if (i > 0 && c->panels[0].tr && !c->panels[0].live && wall > 0 && base > 0)
			snprintf(buf + n, sizeof buf - (size_t)n, "\u00b7 %.2f\u00d7 vs %.30s ",
				 (double)base / (double)wall, c->panels[0].title);
	}
	grid_text(g, x, y, -1, buf, frame);
}

static void compose_panels(struct grid *g, struct view_ctx *c)
{
	int H = g->h, n = c->npanels, nw = 5;

	for (int i = 0; i < n; i++)
		if (c->panels[i].tr)
			nw = max(nw, view_lanes_name_width(c->panels[i].tr) + 1);
	struct view_axis ax;
	view_lanes_axis(c, &ax, nw + 2, g->w - nw - 3);
	view_lanes_ticks(g, c, &ax, 2);
	view_legend(g, c, 1, H - 3);
	view_caption(g, c, H - 2);

	/* Each panel: a title row and as many task rows as share out evenly. */
	int avail = H - 3 - 3 - n, each = max(avail / max(n, 1), 1), y = 3;
	for (int i = 0; i < n; i++) {
		const struct view_panel *p = &c->panels[i];
		int ntasks = p->tr ? p->tr->ntasks : 0;
		int rows = min(ntasks, each);

		panel_title(g, c, i, y++);
		for (int r = 0; r < rows; r++, y++) {
			if (r == rows - 1 && rows < ntasks)
				grid_textf(g, 1, y, g->w - 2, view_style(c, ROLE_DIM),
					   "+%d more tasks", ntasks - r);
			else
				task_row(g, c, &ax, p, r, nw, y, false);
		}
		if (ntasks == 0)
			y += min(each, 1);
	}
}

static void compose(struct grid *g, struct view_ctx *c)
{
	view_header(g, c, 0);
	view_tabs(g, c, 1);
	view_keybar(g, c, g->h - 1);
	if (c->npanels > 1)
		compose_panels(g, c);
	else
		compose_single(g, c);
}

const struct view view_timeline = {
    .name = "Timeline",
    .compose = compose,
};
