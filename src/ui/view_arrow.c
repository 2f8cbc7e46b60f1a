/*
 * view_arrow.c -- the change under the cursor, drawn on the task rows: the
 * span that just ended is underlined, the new state is marked in reverse
 * at the cursor's column, and a connector runs up or down that column from
 * the task that caused it (its `by`, or the hand-off edge into it) to the
 * task it woke.  Drawn only while stepping (the caption explains the same
 * change), so a playing picture stays clean.
 */
#include "view_arrow.h"

#include "view_why.h"

/* The column of T on the axis, or -1 outside the window. */
static int column_at(const struct view_axis *ax, uint64_t t)
{
	if (t < ax->t0 || t >= ax->t0 + ax->len)
		return -1;
	return (int)((t - ax->t0) * (uint64_t)ax->w / ax->len);
}

/* Adds ATTR to the cells of row Y from column X0 to X1 (inclusive), keeping their colours. */
static void emphasise(struct grid *g, int x0, int x1, int y, uint8_t attr)
{
	for (int x = x0; x <= x1; x++) {
		const struct grid_cell *cell = grid_at(g, x, y);
		if (!cell || cell->ch == ' ')
			continue;
		struct grid_style st = cell->st;
		st.attr |= attr;
		grid_restyle(g, x, y, 1, st);
	}
}

void view_arrow_row(struct view_arrow_rows *r, int lane, int y)
{
	if (r->n < VIEW_ARROW_ROWS)
		r->lanes[r->n] = lane, r->ys[r->n++] = y;
}

/* The row of LANE's first bar row on screen, or -1 when it is not shown. */
static int row_of(const struct view_arrow_rows *r, int lane)
{
	for (int i = 0; i < r->n; i++)
		if (r->lanes[i] == lane)
			return r->ys[i];
	return -1;
}

/* The wait that ended: underlined, on every bar row of LANE. */
static void mark_ended(struct grid *g, const struct view_axis *ax, const struct view_arrow_rows *r,
		       const struct trace *tr, int lane, uint32_t idx, int y)
{
	struct span prev;

	if (idx == 0 || !view_why_span(tr, lane, idx - 1, &prev))
		return;
	uint64_t a = prev.t0 > ax->t0 ? prev.t0 : ax->t0;
	int x0 = column_at(ax, a), x1 = column_at(ax, prev.t1 > a ? prev.t1 - 1 : a);
	if (x0 < 0)
		return;
	if (x1 < 0)
		x1 = ax->w - 1;
	for (int k = 0; k < r->bar; k++)
		emphasise(g, ax->x + x0, ax->x + x1, y + k, GRID_UNDERLINE | GRID_BOLD);
}

void view_arrow_draw(struct grid *g, const struct view_ctx *c, const struct view_axis *ax,
		     const struct view_arrow_rows *r)
{
	const struct view_player *pl = &c->pl;
	const struct trace *tr = r->panel < c->npanels ? c->panels[r->panel].tr : NULL;
	struct span sp;

	if (!tr || !pl->has_focus || pl->focus.panel != r->panel ||
	    !view_why_span(tr, pl->focus.lane, pl->focus.idx, &sp))
		return;
	int lane = pl->focus.lane, col = column_at(ax, sp.t0);
	int y = row_of(r, lane);
	if (col < 0 || y < 0)
		return;
	int x = ax->x + col;
	mark_ended(g, ax, r, tr, lane, pl->focus.idx, y);
	/* The new state, marked where it begins. */
	if (sp.state != STATE_DONE) {
		struct grid_style st = view_state_style(c, sp.state);
		st.attr |= GRID_REVERSE | GRID_BOLD;
		for (int k = 0; k < r->bar; k++)
			grid_put(g, x, y + k, view_state_cp(c, sp.state), st);
	}
	int waker = view_why_waker(tr, lane, &sp);
	int wy = waker >= 0 ? row_of(r, waker) : -1;
	if (wy < 0)
		return;
	/* The connector: from the waker's row to the woken one, down or up. */
	struct grid_style cs = view_style(c, ROLE_CURSOR);
	int step = wy < y ? 1 : -1;
	int from = step > 0 ? wy + r->bar - 1 : wy; /* the waker's bar row nearest the woken */
	int to = step > 0 ? y : y + r->bar - 1;	    /* the woken's bar row nearest the waker */
	grid_put(g, x, from, step > 0 ? 0x252c : 0x2534, cs); /* a tee out of the waker's bar */
	for (int yy = from + step; yy != to; yy += step)
		grid_put(g, x, yy, yy + step == to ? (step > 0 ? 0x25bc : 0x25b2) : 0x2502, cs);
}
