/*
 * view_cores.c -- the Cores view: one lane per core the run used, showing
 * which task ran on it over time, and the GIL's holder.  This is where
 * "parallel" and "pseudo-parallel" look different: several busy lanes, or
 * one lane shared in slices.
 */
#include <stdio.h>

#include "view_ctx.h"
#include "view_layout.h"
#include "view_lanes.h"

/* Busy time of core CPU (or the GIL, -1) up to the cursor, as a share of it. */
static double busy_share(const struct trace *tr, int cpu, uint64_t cursor, uint64_t now)
{
	int lock = trace_lock_lane(tr);
	uint64_t busy = 0;
	struct span sp;

	if (cursor == 0)
		return 0;
	for (int l = 0; l < tr->nlanes; l++) {
		bool is_lock = l == lock;
		if (is_lock != (cpu < 0))
			continue;
		uint32_t n = trace_count(tr, l);
		for (uint32_t k = 0; k < n; k++) {
			trace_get(tr, l, k, &sp);
			if (sp.t0 >= cursor)
				break;
			if (!is_lock && (sp.state != STATE_RUNNING || sp.cpu != cpu))
				continue;
			uint64_t t1 = sp.t1 == TRACE_OPEN ? now : sp.t1;
			busy += (t1 < cursor ? t1 : cursor) - sp.t0;
		}
	}
	return (double)busy / (double)cursor;
}

static int panel_lanes(struct grid *g, struct view_ctx *c, const struct view_axis *ax, int p, int y,
		       int ymax, int nw)
{
	const struct trace *tr = c->panels[p].tr;
	const int *cpus;
	int n = view_lanes_panel_cores(c, p, &cpus), y0 = y;
	bool lock = trace_lock_lane(tr) >= 0;
	uint64_t now = c->panels[p].now_ns;
	int total = n + lock;
	/* Spread the lanes out when there is room: easier to read on a wall. */
	int stride = (ymax - y) >= 2 * total ? 2 : 1;

	for (int i = 0; i < total && y < ymax; i++, y += stride) {
		int cpu = i < n ? (i < VIEW_MAX_CORES ? cpus[i] : -2) : -1;
		if (cpu == -2)
			break;
		double share = busy_share(tr, cpu, ax->cursor, now);
		if (cpu >= 0)
			grid_textf(g, 1, y, nw, view_style(c, ROLE_AXIS), "cpu%-3d%3.0f%%", cpu,
				   share * 100);
		else
			grid_textf(g, 1, y, nw, view_style(c, ROLE_AXIS), "GIL   %3.0f%%",
				   share * 100);
		view_lanes_owners(g, c, ax, tr, now, &cpu, 1, y);
	}
	if (total == 0 && y < ymax)
		grid_text(g, 1, y++, g->w - 2,
			  c->panels[p].live ? "no task has run on a core yet"
					    : "no task ran on a core in this run",
			  view_style(c, ROLE_DIM));
	return y - y0;
}

static void compose(struct grid *g, struct view_ctx *c)
{
	int nw = 11, y = 3, ymax = g->h - 2 - VIEW_CAPTION_ROWS;
	struct view_axis ax;

	view_header(g, c, 0);
	view_tabs(g, c, 1);
	view_keybar(g, c, g->h - 1);
	view_caption(g, c, g->h - 1 - VIEW_CAPTION_ROWS);
	const struct trace *tr0 = c->npanels > 0 ? c->panels[0].tr : NULL;
	if (tr0 && !view_lanes_letters_are_names(tr0)) {
		/* The key says whose letter each chip is; it takes the explanation's row. */
		view_lanes_key(g, c, tr0, 1, g->h - 2 - VIEW_CAPTION_ROWS, g->w - 2);
	} else {
		grid_text(g, 1, g->h - 2 - VIEW_CAPTION_ROWS, g->w - 2,
			  "each lane: the task running on that core (busy % up to the cursor)",
			  view_style(c, ROLE_DIM));
	}
	view_lanes_axis(c, &ax, nw + 2, g->w - nw - 3);
	view_lanes_ticks(g, c, &ax, 2);
	for (int p = 0; p < c->npanels && y < ymax; p++) {
		if (c->npanels > 1) {
			grid_textf(g, 1, y++, g->w - 2, view_style(c, ROLE_TITLE), "%s",
				   c->panels[p].title);
		}
		if (!c->panels[p].tr) {
			if (y < ymax)
				grid_text(g, 3, y++, g->w - 4, c->panels[p].note,
					  view_style(c, ROLE_DIM));
			continue;
		}
		y += panel_lanes(g, c, &ax, p, y, ymax, nw);
	}
}

const struct view view_cores = {
    .name = "Cores",
    .compose = compose,
};
