/*
 * view_timeline.c -- the main screen: one row per task, the cores and the
 * GIL below, then the legend, the figures, the caption and the narration.
 * With several panels (the overview, a compare record) the panels are
 * stacked on one time axis instead, so their lengths compare at a glance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_arrow.h"
#include "view_ctx.h"
#include "view_group.h"
#include "view_lanes.h"
#include "view_layout.h"

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
	c->mixed += view_lanes_task(g, c, ax, tr, lane, p->now_ns, y);
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

/* ------------------------------------------------------------------ */
/* One panel: the scenario screen                                      */
/* ------------------------------------------------------------------ */

/* A folded group: its stacked density, then how many of its tasks are in each state. */
static void group_row(struct grid *g, struct view_ctx *c, const struct view_axis *ax,
		      const struct trace *tr, struct view_row row, int nw, int y, bool selected)
{
	struct grid_style st = selected ? view_style(c, ROLE_SELECTED) : grid_plain;
	int counts[STATE_COUNT];
	char label[64], line[256];
	size_t n = 0;

	if (selected)
		grid_fill(g, 0, y, nw + 1, VIEW_GROUP_BAR_ROWS, ' ', st);
	view_group_label(tr, row, label, sizeof label);
	grid_text(g, 1, y, nw, label, st);
	c->mixed += view_group_draw(g, c, ax, tr, row, c->panels[0].now_ns, y);
	int started = view_group_count(tr, row, ax->cursor > 0 ? ax->cursor - 1 : 0, counts);
	n += (size_t)snprintf(line, sizeof line, "\u2514 %d tasks at the cursor:", row.count);
	for (int s = 0; s < STATE_COUNT && n < sizeof line; s++)
		if (counts[s] > 0)
			n += (size_t)snprintf(line + n, sizeof line - n, " %d %s \u00b7", counts[s],
					      state_name((enum state)s));
	if (started < row.count && n < sizeof line)
		n += (size_t)snprintf(line + n, sizeof line - n, " %d not started \u00b7",
				      row.count - started);
	if (n < sizeof line)
		snprintf(line + n, sizeof line - n, " Enter expands");
	grid_text(g, 2, y + VIEW_GROUP_BAR_ROWS, g->w - 3, line, view_style(c, ROLE_DIM));
}

/* Screen rows a row of the list takes: a group its density and counts, a task the pitch. */
static int row_height(struct view_row r, int pitch)
{
	return r.count > 1 ? VIEW_GROUP_ROWS : pitch;
}

/* The first row shown: the lowest from c->top that keeps the selected one in H rows. */
static int first_row(struct view_ctx *c, const struct view_row *rows, int n, int pitch, int h)
{
	int sel = view_group_row_of(rows, n, c->sel), top = c->top;

	if (sel < 0)
		sel = 0;
	if (top > sel)
		top = sel;
	for (;;) {
		int used = 0;
		for (int r = top; r <= sel; r++)
			used += row_height(rows[r], pitch);
		if (used <= h || top == sel)
			break;
		top++;
	}
	return top;
}

/* The rows of the picture: the tasks (or groups of them) in LO's rows. */
static void task_rows(struct grid *g, struct view_ctx *c, const struct view_axis *ax,
		      const struct view_layout *lo, int nw, const struct view_row *rows, int n)
{
	const struct view_panel *p = &c->panels[0];
	int pitch = lo->pitch, bar = pitch == 3 ? 2 : 1; /* and a blank row between tasks */
	int all = 0, h = lo->rows.h;

	for (int r = 0; r < n; r++)
		all += row_height(rows[r], pitch);
	bool hidden = all > h;
	if (hidden)
		h--; /* the scroll summary takes a row */
	int top = hidden ? first_row(c, rows, n, pitch, h) : 0, shown = 0;
	int sel = view_group_row_of(rows, n, c->sel);
	int y = lo->rows.y;
	static struct view_arrow_rows ar; /* the rows the change under the cursor may join */
	ar = (struct view_arrow_rows){.panel = 0, .bar = bar};
	for (int r = top; r < n && y + row_height(rows[r], pitch) <= lo->rows.y + h; r++) {
		int lane = rows[r].lane;
		if (rows[r].count > 1) {
			group_row(g, c, ax, p->tr, rows[r], nw, y, r == sel);
			for (int k = 0; k < VIEW_GROUP_BAR_ROWS; k++)
				grid_set_tag(g, y + k, lane + 1);
		} else {
			view_arrow_row(&ar, lane, y);
			for (int k = 0; k < bar; k++) {
				task_row(g, c, ax, p, lane, nw, y + k, r == sel);
				grid_set_tag(g, y + k, lane + 1);
			}
			if (bar > 1)
				grid_fill(g, 0, y + 1, nw + 1, 1, ' ',
					  r == sel ? view_style(c, ROLE_SELECTED) : grid_plain);
		}
		y += row_height(rows[r], pitch);
		shown++;
	}
	view_arrow_draw(g, c, ax, &ar);
	c->top = top;
	c->page = shown > 0 ? shown : 1;
	if (hidden)
		grid_textf(
		    g, 1, lo->rows.y + h, g->w - 2, view_style(c, ROLE_DIM),
		    "\u25b2 %d above \u00b7 \u25bc %d below \u00b7 %d tasks (j/k, PgUp/PgDn)", top,
		    n - top - shown, p->tr->ntasks);
}

/*
 * The list of rows: every task when they all fit, else the copies `count`
 * made folded into groups (except those expanded).  WANT gets the screen
 * rows the list takes.  Returns the rows, or 0 when out of memory.
 */
static int list_rows(struct grid *g, struct view_ctx *c, struct view_layout_want *want,
		     struct view_row *rows)
{
	const struct trace *tr = c->panels[0].tr;
	struct view_layout lo;

	want->rows = tr->ntasks;
	view_layout_plan(&lo, g->h, want);
	c->folded = lo.rows.h < tr->ntasks;
	int n = view_group_rows(c, tr, c->folded, rows), screen = 0;
	for (int r = 0; r < n; r++)
		screen += row_height(rows[r], 1);
	want->rows = screen;
	want->tall = want->tall && !c->folded;
	return n;
}

static void compose_single(struct grid *g, struct view_ctx *c)
{
	const struct view_panel *p = &c->panels[0];
	const struct trace *tr = p->tr;
	const int *cpus;
	struct view_layout lo;
	struct view_layout_want want = {
	    .min_rows = 3,
	    .narration = view_layout_narration_lines(g, c),
	    .axis = true,
	    .figures = true,
	    .tall = true,
	};

	struct view_row *rows = NULL;
	int nrows = 0;
	struct grid probe = *g;
	/* Drawing below the last row counts the findings' lines without drawing them. */
	want.findings = view_findings(&probe, c, g->h, 0);
	if (tr) {
		rows = malloc(sizeof *rows * (size_t)(tr->ntasks > 0 ? tr->ntasks : 1));
		if (rows)
			nrows = list_rows(g, c, &want, rows);
		want.strips = min(view_lanes_panel_cores(c, 0, &cpus), MAX_CORE_ROWS) +
			      (trace_lock_lane(tr) >= 0);
		want.key = want.strips > 0 && !view_lanes_letters_are_names(tr);
	}
	view_layout_plan(&lo, g->h, &want);
	view_figures(g, c, lo.figures.y);
	view_caption(g, c, lo.caption.y);
	view_layout_narration(g, c, lo.narration);
	view_findings(g, c, lo.findings.y, lo.findings.h);
	if (!tr) {
		view_legend(g, c, 1, lo.legend.y);
		grid_text(g, (g->w - grid_text_width(p->note)) / 2, g->h / 2, -1, p->note,
			  view_style(c, ROLE_TITLE));
		return;
	}
	int nw = max(view_lanes_name_width(tr) + 1, 5);
	for (int r = 0; r < nrows; r++)
		if (rows[r].count > 1) {
			char label[64];
			view_group_label(tr, rows[r], label, sizeof label);
			nw = max(nw, min(grid_text_width(label), 14) + 1);
		}
	struct view_axis ax;
	view_lanes_axis(c, &ax, nw + 2, g->w - nw - 3);
	view_lanes_ticks(g, c, &ax, lo.axis.y);
	if (rows)
		task_rows(g, c, &ax, &lo, nw, rows, nrows);
	free(rows);
	if (lo.strips.h > 0)
		lane_rows(g, c, &ax, 0, nw, lo.strips.y, lo.strips.h);
	if (lo.key.h > 0) /* the strips' letters, each with its task's name */
		view_lanes_key(g, c, tr, 1, lo.key.y, g->w - 2);
	view_legend(g, c, 1, lo.legend.y); /* last: it counts the mixed cells drawn */
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
	int n = c->npanels, nw = 5, got[VIEW_MAX_PANELS], want_rows = n;

	for (int i = 0; i < n; i++)
		if (c->panels[i].tr) {
			nw = max(nw, view_lanes_name_width(c->panels[i].tr) + 1);
			want_rows += c->panels[i].tr->ntasks;
		}
	struct view_layout lo;
	struct view_layout_want want = {
	    .rows = want_rows,
	    .min_rows = 2 * n,
	    .narration = view_layout_narration_lines(g, c),
	    .axis = true,
	};
	view_layout_plan(&lo, g->h, &want);
	struct view_axis ax;
	view_lanes_axis(c, &ax, nw + 2, g->w - nw - 3);
	view_lanes_ticks(g, c, &ax, lo.axis.y);
	view_caption(g, c, lo.caption.y);
	view_layout_narration(g, c, lo.narration);

	/* Each panel: a title row, then task rows dealt out one at a time. */
	int left = lo.rows.h - n, y = lo.rows.y;
	for (int i = 0; i < n; i++)
		got[i] = 0;
	for (bool more = true; more && left > 0;) {
		more = false;
		for (int i = 0; i < n && left > 0; i++)
			if (c->panels[i].tr && got[i] < c->panels[i].tr->ntasks)
				got[i]++, left--, more = true;
	}
	for (int i = 0; i < n && y < lo.rows.y + lo.rows.h; i++) {
		const struct view_panel *p = &c->panels[i];
		int ntasks = p->tr ? p->tr->ntasks : 0;

		panel_title(g, c, i, y++);
		static struct view_arrow_rows ar; /* this run's rows, for the change's connector */
		ar = (struct view_arrow_rows){.panel = i, .bar = 1};
		for (int r = 0; r < got[i]; r++, y++) {
			if (r == got[i] - 1 && got[i] < ntasks) {
				grid_textf(g, 1, y, g->w - 2, view_style(c, ROLE_DIM),
					   "+%d more tasks", ntasks - r);
			} else {
				task_row(g, c, &ax, p, r, nw, y, false);
				view_arrow_row(&ar, r, y);
			}
		}
		view_arrow_draw(g, c, &ax, &ar);
	}
	view_legend(g, c, 1, lo.legend.y);
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

/*
 * With groups folded, j/k move a row (a group is one), Enter on a group
 * expands it and Esc on one of its tasks folds it back; everything else,
 * and every key while nothing is folded, keeps its usual meaning.
 */
static bool act(struct view_ctx *c, enum view_action a)
{
	const struct trace *tr = c->panels[0].tr;
	int first, size;

	if (c->npanels != 1 || !tr || tr->ntasks == 0)
		return false;
	size = view_group_of(tr, c->sel, &first);
	bool open = size > 1 && view_group_expanded(c, first);
	switch (a) {
	case VA_DETAIL:
		if (!c->folded || size <= 1 || open)
			return false;
		view_group_set(c, first, true);
		return true;
	case VA_CLOSE:
		if (!open)
			return false;
		view_group_set(c, first, false);
		view_select(c, first);
		return true;
	case VA_ROW_DOWN:
		if (!c->folded || size <= 1 || open)
			return false;
		view_select(c, first + size); /* past the folded group */
		return true;
	case VA_ROW_UP:
		if (!c->folded || c->sel == 0)
			return false;
		size = view_group_of(tr, c->sel - 1, &first);
		if (size <= 1 || view_group_expanded(c, first))
			return false;
		view_select(c, first); /* onto the folded group above */
		return true;
	default:
		return false;
	}
}

const struct view view_timeline = {
    .name = "Timeline",
    .compose = compose,
    .act = act,
};
