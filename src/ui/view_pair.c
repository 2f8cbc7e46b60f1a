/*
 * view_pair.c -- the Compare view's pair.  The table says that threads
 * took as long as sequential; the pair shows why: the two runs one above
 * the other, full width on the same time axis (so a column is the same
 * instant in both), every task of each, so "sequential: B waits for A" and
 * "threads: both at once" are read off one picture from the back of a
 * room.  The cursor is the player's, shared by both: the bars of both
 * grow to it, → and ← step over the changes of these two runs only, and
 * the change under it gets its connector in its own run.
 */
#include "view_pair.h"

#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "view_arrow.h"
#include "view_lanes.h"
#include "view_layout.h"

/* The panel showing row ROW of the table, when that run has a trace; else -1. */
static int panel_of_row(const struct view_ctx *c, int row)
{
	if (!c->compare || row < 0 || row >= c->compare->nrows)
		return -1;
	for (int i = 0; i < c->npanels; i++)
		if (c->panels[i].tr && strcmp(c->panels[i].title, c->compare->rows[row].name) == 0)
			return i;
	return -1;
}

bool view_pair_panels(const struct view_ctx *c, int *a, int *b)
{
	if (!c->compare_pair || view_table[view_current(c)] != &view_compare)
		return false;
	*a = panel_of_row(c, c->compare_sel);
	*b = panel_of_row(c, c->compare_other);
	return *a >= 0 && *b >= 0 && *a != *b;
}

/* The next row from FROM in DIR (wrapping) with a run to draw, other than SKIP; -1: none. */
static int next_row(const struct view_ctx *c, int from, int dir, int skip)
{
	int n = c->compare ? c->compare->nrows : 0;

	for (int k = 1; k <= n; k++) {
		int r = ((from + dir * k) % n + n) % n;
		if (r != skip && panel_of_row(c, r) >= 0)
			return r;
	}
	return -1;
}

/* Key P: the picked row and the next one that ran, or back to the table. */
static void toggle(struct view_ctx *c)
{
	if (c->compare_pair) {
		c->compare_pair = false;
		return;
	}
	int other = next_row(c, c->compare_sel, 1, c->compare_sel);
	if (panel_of_row(c, c->compare_sel) < 0 || other < 0) {
		snprintf(c->flash, sizeof c->flash,
			 "P pairs two runs that have started: pick one with j/k, or wait");
		return;
	}
	c->compare_other = other;
	c->compare_pair = true;
}

void view_pair_open(struct view_ctx *c)
{
	if (!c->compare || c->compare->nrows == 0) {
		snprintf(c->flash, sizeof c->flash,
			 "P pairs two runs of a comparison: press c to compare first");
		return;
	}
	view_show(c, &view_compare);
	c->compare_pair = false;
	toggle(c);
}

bool view_pair_act(struct view_ctx *c, enum view_action a)
{
	int dir = 1, other;

	if (a == VA_PAIR) {
		toggle(c);
		return true;
	}
	if (!c->compare_pair)
		return false;
	switch (a) {
	case VA_CLOSE:
		c->compare_pair = false;
		return true;
	case VA_ROW_UP:
	case VA_PAGE_UP:
		dir = -1;
		/* fall through */
	case VA_ROW_DOWN:
	case VA_PAGE_DOWN:
		other = next_row(c, c->compare_other, dir, c->compare_sel);
		if (other >= 0)
			c->compare_other = other;
		return true;
	default:
		return false;
	}
}

bool view_pair_event(const struct view_ctx *c, struct view_event *e)
{
	int p[2];
	bool found = false;
	struct view_event one;

	if (c->pl.has_focus || !view_pair_panels(c, &p[0], &p[1]))
		return false;
	for (int i = 0; i < 2; i++)
		if (view_event_current(&c->pl, &c->panels[p[i]], 1, &one) &&
		    (!found || one.t > e->t)) {
			*e = one;
			e->panel = p[i]; /* it was found in a list of one */
			found = true;
		}
	return found;
}

void view_pair_status(const struct view_ctx *c, char *buf, size_t len)
{
	int a, b;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (view_pair_panels(c, &a, &b))
		snprintf(buf, len, "pair: %.20s vs %.20s", c->panels[a].title, c->panels[b].title);
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */
/* ------------------------------------------------------------------ */

/*
 * Panel P's title and its first GOT tasks, PITCH rows apart, from row Y
 * (the last row says how many more when not all fit); returns the rows used.
 */
static int pair_block(struct grid *g, struct view_ctx *c, const struct view_axis *ax, int p,
		      int got, int pitch, int nw, int y)
{
	const struct view_panel *pn = &c->panels[p];
	int ntasks = pn->tr->ntasks, y0 = y, bar = pitch == 3 ? 2 : pitch; /* and a gap */
	static struct view_arrow_rows ar; /* this run's rows, for the change's connector */

	ar = (struct view_arrow_rows){.panel = p, .bar = bar};
	view_layout_panel_rule(g, c, pn, y++);
	for (int r = 0; r < got; r++) {
		if (r == got - 1 && got < ntasks) {
			grid_textf(g, 1, y++, g->w - 2, view_style(c, ROLE_DIM),
				   "+%d more tasks: the timeline of this run alone has them",
				   ntasks - r);
			break;
		}
		grid_text(g, 1, y, nw, trace_name(pn->tr, r), grid_plain);
		for (int k = 0; k < bar; k++)
			c->mixed += view_lanes_task(g, c, ax, pn->tr, r, pn->now_ns, y + k);
		view_arrow_row(&ar, r, y);
		y += pitch;
	}
	view_arrow_draw(g, c, ax, &ar);
	return y - y0;
}

/* Task rows for each run out of UNITS, dealt one at a time so both get their share. */
static void deal(const int *ntasks, int units, int *got)
{
	got[0] = got[1] = 0;
	for (bool more = true; more && units > 0;) {
		more = false;
		for (int i = 0; i < 2 && units > 0; i++)
			if (got[i] < ntasks[i])
				got[i]++, units--, more = true;
	}
}

void view_pair_compose(struct grid *g, struct view_ctx *c)
{
	int p[2], ntasks[2], got[2], nw = 5;

	if (!view_pair_panels(c, &p[0], &p[1]))
		return;
	for (int i = 0; i < 2; i++) {
		const struct trace *tr = c->panels[p[i]].tr;
		ntasks[i] = tr->ntasks;
		int w = view_lanes_name_width(tr) + 1;
		nw = w > nw ? w : nw;
	}
	int n = ntasks[0] + ntasks[1], pitch = 1;
	struct view_layout lo;
	struct view_layout_want want = {
	    .rows = 2 + n,
	    .min_rows = 2 + (ntasks[0] < 2 ? ntasks[0] : 2) + (ntasks[1] < 2 ? ntasks[1] : 2),
	    .narration = view_layout_narration_lines(g, c),
	    .axis = true,
	};
	view_layout_plan(&lo, g->h, &want);
	/* Every task shown with rows to spare: taller bars, then a gap between them. */
	if (lo.rows.h == want.rows && n > 0) {
		pitch = lo.spare >= 2 * n ? 3 : lo.spare >= n ? 2 : 1;
		want.rows = 2 + pitch * n;
		view_layout_plan(&lo, g->h, &want);
	}
	view_layout_chrome(g, c, &lo);
	struct view_axis ax;
	view_lanes_axis(c, &ax, nw + 2, g->w - nw - 3);
	view_lanes_ticks(g, c, &ax, lo.axis.y);
	deal(ntasks, (lo.rows.h - 2) / pitch, got);
	int y = lo.rows.y;
	for (int i = 0; i < 2; i++)
		y += pair_block(g, c, &ax, p[i], got[i], pitch, nw, y);
	view_legend(g, c, 1, lo.legend.y);
}
