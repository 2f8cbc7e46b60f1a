/*
 * view_compare.c -- the Compare view: seed 001's table for the scenario on
 * every executor (executor, model, wall, CPU, speedup over sequential, a
 * bar), compare.c's verdict once every executor has run, and below them a
 * small timeline of each run on one time axis, so that "parallel" and
 * "one at a time" are seen as well as counted.
 *
 * The numbers are compare.c's (compare_speedup, compare_verdict) over the
 * rows tui_session fills as runs end; a row still running is read from its
 * panel, which carries the executor's name as its title.
 */
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "view_arrow.h"
#include "view_ctx.h"
#include "view_lanes.h"
#include "view_layout.h"
#include "view_pair.h"

#define COL_NAME 14
#define COL_MODEL 16
#define COL_TIME 9
#define COL_SPEEDUP 8
#define VERDICT_ROWS 3
#define MAX_LANES 4 /* task rows in one run's small timeline */

static bool applies(const struct view_ctx *c)
{
	return c->compare && c->compare->nrows > 0;
}

/* The panel that shows executor NAME's run, or -1. */
static int panel_of(const struct view_ctx *c, const char *name)
{
	for (int i = 0; i < c->npanels; i++)
		if (strcmp(c->panels[i].title, name) == 0)
			return i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* The table                                                           */
/* ------------------------------------------------------------------ */

struct layout {
	bool model; /* room for the model column */
	int bar_x, bar_w;
};

static void plan_columns(const struct grid *g, struct layout *lo)
{
	int fixed =
	    1 + COL_NAME + 1 + COL_MODEL + 1 + COL_TIME + 1 + COL_TIME + 1 + COL_SPEEDUP + 2;

	lo->model = g->w - fixed - 1 >= 10;
	if (!lo->model)
		fixed -= COL_MODEL + 1;
	lo->bar_x = fixed;
	lo->bar_w = g->w - fixed - 1;
}

static void heading(struct grid *g, const struct view_ctx *c, const struct layout *lo, int y)
{
	struct grid_style st = view_style(c, ROLE_AXIS);
	int x = 1;

	x += grid_textf(g, x, y, -1, st, "%-*s ", COL_NAME, "executor");
	if (lo->model)
		x += grid_textf(g, x, y, -1, st, "%-*s ", COL_MODEL, "model");
	grid_textf(g, x, y, -1, st, "%*s %*s %*s  %s", COL_TIME, "wall", COL_TIME, "CPU",
		   COL_SPEEDUP, "speedup", "wall time");
}

static void table_row(struct grid *g, const struct view_ctx *c, const struct layout *lo, int i,
		      double max_ms, int y)
{
	const struct compare_result *res = c->compare;
	const struct compare_row *row = &res->rows[i];
	int p = panel_of(c, row->name), x = 1;
	char wall[32], cpu[32], speed[32];

	x += grid_textf(g, x, y, COL_NAME,
			view_style(c, i == c->compare_sel ? ROLE_SELECTED : ROLE_TITLE), "%-*s",
			COL_NAME, row->name) +
	     1;
	if (lo->model)
		x +=
		    grid_textf(g, x, y, -1, grid_plain, "%-*s ", COL_MODEL, model_name(row->model));
	if (!row->tr) {
		const struct view_panel *pn = p >= 0 ? &c->panels[p] : NULL;
		if (row->skipped[0]) {
			grid_text(g, x, y, g->w - x - 1, row->skipped, view_style(c, ROLE_DIM));
		} else if (pn && pn->live) {
			compare_duration(wall, sizeof wall, (double)pn->now_ns / 1e6);
			grid_textf(g, x, y, -1, grid_plain, "%*s", COL_TIME, wall);
			grid_text(g, x + COL_TIME + 1, y, -1, "running\u2026",
				  view_style(c, ROLE_DIM));
			view_bar(g, lo->bar_x, y, lo->bar_w, (double)pn->now_ns / 1e6, max_ms,
				 view_style(c, ROLE_DIM));
		} else {
			grid_text(g, x, y, g->w - x - 1, pn ? pn->note : "waiting for its turn",
				  view_style(c, ROLE_DIM));
		}
		return;
	}
	double s = compare_speedup(res, row);
	compare_duration(wall, sizeof wall, row->st.wall_ms);
	compare_duration(cpu, sizeof cpu, row->st.cpu_ms);
	if (s > 0)
		snprintf(speed, sizeof speed, "%.1f\u00d7", s);
	else
		snprintf(speed, sizeof speed, "\u2014");
	x += grid_textf(g, x, y, -1, grid_plain, "%*s %*s ", COL_TIME, wall, COL_TIME, cpu);
	/* Right-aligned by columns, since "×" is one column but two bytes. */
	int sw = grid_text_width(speed);
	grid_text(g, x + COL_SPEEDUP - sw, y, sw, speed,
		  view_style(c, s >= 1.5 ? ROLE_GOOD : ROLE_PLAIN));
	view_bar(g, lo->bar_x, y, lo->bar_w, row->st.wall_ms, max_ms, view_style(c, ROLE_BAR));
}

/* The table from row Y; returns the row after it. */
static int table(struct grid *g, const struct view_ctx *c, int y)
{
	const struct compare_result *res = c->compare;
	struct layout lo;
	double max_ms = 0;

	plan_columns(g, &lo);
	for (int i = 0; i < res->nrows; i++) {
		int p = panel_of(c, res->rows[i].name);
		double ms = res->rows[i].tr		  ? res->rows[i].st.wall_ms
			    : p >= 0 && c->panels[p].live ? (double)c->panels[p].now_ns / 1e6
							  : 0;
		if (ms > max_ms)
			max_ms = ms;
	}
	grid_textf(g, 1, y++, g->w - 2, view_style(c, ROLE_DIM),
		   "%s \u2014 %s (%d task%s, %d core%s)", res->scenario, res->title, res->ntasks,
		   res->ntasks == 1 ? "" : "s", res->cores, res->cores == 1 ? "" : "s");
	heading(g, c, &lo, y++);
	for (int i = 0; i < res->nrows; i++)
		table_row(g, c, &lo, i, max_ms, y++);
	return y;
}

/* Rows the verdict takes at this width. */
static int verdict_rows(const struct grid *g, const struct view_ctx *c)
{
	struct grid probe = *g;
	char buf[1024];
	int n;

	if (!c->compare_done)
		return 1;
	compare_verdict(c->compare, buf, sizeof buf, c->ascii);
	/* Wrapping below the last row counts the rows without drawing them. */
	n = view_wrap(&probe, 1, g->h, g->w - 2, 0, buf, grid_plain);
	return n < VERDICT_ROWS ? n : VERDICT_ROWS;
}

/* The verdict (or why there is none yet) from row Y; returns the row after it. */
static int verdict(struct grid *g, const struct view_ctx *c, int y)
{
	char buf[1024];

	if (!c->compare_done) {
		grid_text(g, 1, y, g->w - 2,
			  "each executor runs in turn, alone; the verdict comes when all have run",
			  view_style(c, ROLE_DIM));
		return y + 1;
	}
	compare_verdict(c->compare, buf, sizeof buf, c->ascii);
	return y + view_wrap(g, 1, y, g->w - 2, VERDICT_ROWS, buf, view_style(c, ROLE_CAPTION));
}

/* ------------------------------------------------------------------ */
/* The small timelines                                                 */
/* ------------------------------------------------------------------ */

/* One run: a title rule and its first K tasks (a last row says how many more). */
static void run_block(struct grid *g, struct view_ctx *c, const struct view_axis *ax, int p,
		      bool selected, int k, int nw, int y)
{
	const struct view_panel *pn = &c->panels[p];
	const struct trace *tr = pn->tr;
	struct grid_style frame = view_style(c, ROLE_FRAME);
	int ntasks = tr ? tr->ntasks : 0, shown = ntasks > k ? k - 1 : ntasks;

	grid_fill(g, 0, y, g->w, 1, 0x2500, frame);
	int x = 2 + grid_textf(g, 2, y, -1, view_style(c, selected ? ROLE_SELECTED : ROLE_TITLE),
			       " %s ", pn->title);
	if (tr)
		grid_textf(g, x, y, -1, frame, "\u00b7 %s ", model_name(tr->meta.model));
	static struct view_arrow_rows ar; /* this run's rows, for the change's connector */
	ar = (struct view_arrow_rows){.panel = p, .bar = 1};
	for (int r = 0; r < shown; r++) {
		grid_text(g, 1, y + 1 + r, nw, trace_name(tr, r), view_style(c, ROLE_DIM));
		c->mixed += view_lanes_task(g, c, ax, tr, r, pn->now_ns, y + 1 + r);
		view_arrow_row(&ar, r, y + 1 + r);
	}
	view_arrow_draw(g, c, ax, &ar);
	if (shown < ntasks)
		grid_textf(g, 1, y + 1 + shown, g->w - 2, view_style(c, ROLE_DIM),
			   "+%d more task%s", ntasks - shown, ntasks - shown == 1 ? "" : "s");
}

/*
 * Rows each run's block takes (its title and its tasks).  While runs go on
 * the blocks stay small so that all of them show; once every run is done,
 * each shows all its tasks -- sequential's point is B waiting -- and the
 * selection scrolls the ones below into view.
 */
static int block_rows(const struct view_ctx *c, const struct trace *tr, int avail)
{
	int k = tr->ntasks;

	if (!c->compare_done && k > MAX_LANES)
		k = MAX_LANES;
	if (k + 1 > avail)
		k = avail - 1;
	return k + 1;
}

static void timelines(struct grid *g, struct view_ctx *c, int y, int ymax)
{
	int list[VIEW_MAX_PANELS], n = 0, sel = 0, nw = 5;

	for (int i = 0; i < c->npanels; i++) {
		const struct trace *tr = c->panels[i].tr;
		if (!tr)
			continue;
		if (c->compare_sel < c->compare->nrows &&
		    strcmp(c->panels[i].title, c->compare->rows[c->compare_sel].name) == 0)
			sel = n;
		list[n++] = i;
		int w = view_lanes_name_width(tr) + 1;
		nw = w > nw ? w : nw;
	}
	int avail = ymax - y - 1; /* the axis takes a row */
	if (n == 0 || avail < 2)
		return;
	/* The first block shown: the lowest that keeps the selected one on screen. */
	int first = 0;
	for (;;) {
		int used = 0;
		for (int j = first; j <= sel; j++)
			used += block_rows(c, c->panels[list[j]].tr, avail);
		if (used <= avail || first == sel)
			break;
		first++;
	}
	struct view_axis ax;
	view_lanes_axis(c, &ax, nw + 2, g->w - nw - 3);
	view_lanes_ticks(g, c, &ax, y++);
	/* The blocks that fit from FIRST; when some do not, a row says so. */
	int last = first, used = 0;
	while (last < n && used + block_rows(c, c->panels[list[last]].tr, avail) <= avail)
		used += block_rows(c, c->panels[list[last++]].tr, avail);
	if (last < n && used == avail && last - 1 > sel)
		last--;
	for (int j = first; j < last; j++) {
		int h = block_rows(c, c->panels[list[j]].tr, avail);
		run_block(g, c, &ax, list[j], j == sel, h - 1, nw, y);
		y += h;
	}
	if (last < n && y < ymax)
		grid_textf(g, 1, y, g->w - 2, view_style(c, ROLE_DIM),
			   "\u25bc %d more run%s below (j/k)", n - last, n - last == 1 ? "" : "s");
}

/* ------------------------------------------------------------------ */
/* The view                                                            */
/* ------------------------------------------------------------------ */

static void compose(struct grid *g, struct view_ctx *c)
{
	struct view_layout lo;
	struct view_layout_want want = {.narration = view_layout_narration_lines(g, c)};
	int a, b;

	if (view_pair_panels(c, &a, &b)) {
		view_pair_compose(g, c);
		return;
	}
	if (applies(c)) {
		/* The table and the verdict come first, then as much of the runs as fits. */
		/* The title, the heading, a row each, the verdict and the axis... */
		want.rows = 2 + c->compare->nrows + verdict_rows(g, c) + 1;
		want.min_rows = want.rows + 2; /* ...and one run's first task */
		for (int i = 0; i < c->npanels; i++)
			if (c->panels[i].tr)
				want.rows += block_rows(c, c->panels[i].tr, g->h);
	}
	view_layout_plan(&lo, g->h, &want);
	view_layout_chrome(g, c, &lo);
	if (applies(c)) {
		if (c->compare_sel >= c->compare->nrows)
			c->compare_sel = c->compare->nrows - 1;
		int y = table(g, c, lo.rows.y);
		y = verdict(g, c, y);
		timelines(g, c, y, lo.rows.y + lo.rows.h);
	}
	view_legend(g, c, 1, lo.legend.y);
}

/* j/k and the page keys pick an executor's row (its timeline scrolls into view). */
static bool act(struct view_ctx *c, enum view_action a)
{
	int n = c->compare ? c->compare->nrows : 0, sel = c->compare_sel;

	if (view_pair_act(c, a))
		return true;
	switch (a) {
	case VA_ROW_DOWN:
		sel++;
		break;
	case VA_ROW_UP:
		sel--;
		break;
	case VA_PAGE_DOWN:
		sel = n - 1;
		break;
	case VA_PAGE_UP:
		sel = 0;
		break;
	default:
		return false;
	}
	c->compare_sel = sel < 0 ? 0 : sel >= n ? (n > 0 ? n - 1 : 0) : sel;
	return true;
}

const struct view view_compare = {
    .name = "Compare",
    .compose = compose,
    .applies = applies,
    .act = act,
};
