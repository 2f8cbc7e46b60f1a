/*
 * view_costs.c -- the Costs view: what --costs measures (costs.h), as bars.
 * For an OS thread, a process, a coroutine and a green thread: the time to
 * start one and see it end, the time of one switch, and the memory each
 * takes while many exist -- seed 004's "overhead: threads medium, async
 * low, multiprocessing high" and seed 002's C10K, in this machine's numbers.
 * The measuring runs on a thread of tui_session; this only draws.
 */
#include <stdio.h>

#include "costs.h"
#include "view_ctx.h"
#include "view_layout.h"

#define COL_UNIT 13
#define COL_VALUE 9

static bool applies(const struct view_ctx *c)
{
	return c->costs || c->costs_measuring;
}

static double figure(const struct costs_figures *f, int k)
{
	return k == 0 ? f->start_us : k == 1 ? f->switch_us : f->kib;
}

/* "0.085", "25.3", "412": as many digits as the size deserves; n/a when unmeasured. */
static void fmt_value(char *buf, size_t len, double v)
{
	if (v < 0)
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, v < 1 ? "%.3f" : v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
}

/* One figure for every unit, as a titled group of bars; returns the next row. */
static int group(struct grid *g, const struct view_ctx *c, int k, const char *title, int y,
		 int ymax)
{
	const struct costs_result *res = c->costs;
	double max = 0;
	char v[32];

	for (int u = 0; u < COSTS_UNIT_COUNT; u++)
		if (figure(&res->unit[u], k) > max)
			max = figure(&res->unit[u], k);
	if (y < ymax)
		grid_text(g, 1, y++, g->w - 2, title, view_style(c, ROLE_TITLE));
	for (int u = 0; u < COSTS_UNIT_COUNT && y < ymax; u++, y++) {
		double f = figure(&res->unit[u], k);
		int x = 3 + grid_textf(g, 3, y, -1, grid_plain, "%-*s", COL_UNIT,
				       costs_unit_name((enum costs_unit)u));
		fmt_value(v, sizeof v, f);
		x += grid_textf(g, x, y, -1, grid_plain, "%*s  ", COL_VALUE, v);
		view_bar(g, x, y, g->w - x - 2, f, max, view_style(c, ROLE_BAR));
	}
	return y;
}

/* Seed 002's C10K in measured megabytes: 10,000 connections, one unit each. */
static int c10k(struct grid *g, const struct view_ctx *c, int y, int ymax)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf, "For 10,000 connections, one unit each:");

	for (int u = 0; u < COSTS_UNIT_COUNT && n < (int)sizeof buf; u++) {
		double mib = c->costs->unit[u].kib * 10000 / 1024;
		if (mib >= 0)
			n += snprintf(buf + n, sizeof buf - (size_t)n, "%s %.*f MiB as %s%s",
				      u ? "," : "", mib < 10 ? 1 : 0, mib,
				      costs_unit_name((enum costs_unit)u),
				      u == COSTS_PROCESS ? "es" : "s");
	}
	if (y >= ymax)
		return y;
	return y + view_wrap(g, 1, y, g->w - 2, ymax - y, buf, view_style(c, ROLE_CAPTION));
}

static void compose(struct grid *g, struct view_ctx *c)
{
	int y = 2, ymax = g->h - 1 - VIEW_CAPTION_ROWS;

	view_header(g, c, 0);
	view_tabs(g, c, 1);
	view_caption(g, c, g->h - 1 - VIEW_CAPTION_ROWS);
	view_keybar(g, c, g->h - 1);
	if (!c->costs) {
		grid_text(g, 1, y + 1, g->w - 2,
			  "measuring what a thread, a process, a coroutine and a green thread cost "
			  "to start, switch and keep\u2026",
			  view_style(c, ROLE_TITLE));
		grid_text(g, 1, y + 2, g->w - 2, "(a few seconds; the same as conctui --costs)",
			  view_style(c, ROLE_DIM));
		return;
	}
	grid_textf(g, 1, y++, g->w - 2, view_style(c, ROLE_DIM),
		   "medians of %d rounds on this machine%s%s", c->costs->rounds,
		   c->costs_measuring ? " \u2014 measuring again\u2026" : "",
		   c->costs_measuring ? "" : " \u2014 C measures again");
	y = group(g, c, 0, "Start one and see it end (\u00b5s)", y, ymax);
	y = group(g, c, 1, "One switch from one to another (\u00b5s)", y, ymax);
	char title[96];
	snprintf(title, sizeof title,
		 "Memory per unit while many exist (KiB; %d threads, %d "
		 "processes at once)",
		 c->costs->unit[COSTS_THREAD].alive, c->costs->unit[COSTS_PROCESS].alive);
	y = group(g, c, 2, title, y, ymax);
	c10k(g, c, y, ymax);
}

const struct view view_costs = {
    .name = "Costs",
    .compose = compose,
    .applies = applies,
};
