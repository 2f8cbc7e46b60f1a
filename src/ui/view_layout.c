/*
 * view_layout.c -- sharing a screen's rows out among its places, and the
 * narration drawn (or paged) into the rows it was given.
 */
#include "view_layout.h"

#include <stdio.h>
#include <string.h>

static int min(int a, int b)
{
	return a < b ? a : b;
}

/* Up to WANT rows out of *LEFT. */
static int take(int *left, int want)
{
	int n = min(want, *left);

	if (n < 0)
		n = 0;
	*left -= n;
	return n;
}

static struct view_rect place(int *y, int h)
{
	struct view_rect r = {*y, h};

	*y += h;
	return r;
}

/*
 * The order of need: a few tasks, the strips and their key (letters nobody
 * can read are worse than no strips), two lines of the story and
 * of the findings, then every task, then the rest of the story and the
 * findings.  What is left makes the bars taller when the view allows it
 * and every task is shown (easier to read from the back of a room).
 */
void view_layout_plan(struct view_layout *lo, int h, const struct view_layout_want *w)
{
	int caption = h >= VIEW_CAPTION_TALL ? VIEW_CAPTION_ROWS + 1 : VIEW_CAPTION_ROWS;
	/* The header, the tabs, the legend and the key bar always have a row. */
	int left = h - (4 + (w->axis ? 1 : 0) + (w->figures ? 1 : 0) + caption);
	int y = 0;

	memset(lo, 0, sizeof *lo);
	int rows = take(&left, min(w->min_rows, w->rows));
	int strips = take(&left, w->strips);
	int key = strips > 0 && w->key ? take(&left, 1) : 0;
	int narr = take(&left, min(w->narration, 2));
	int find = take(&left, min(w->findings, 2));
	rows += take(&left, w->rows - rows);
	narr += take(&left, w->narration - narr);
	find += take(&left, w->findings - find);
	lo->pitch = 1;
	if (w->tall && rows > 0 && rows == w->rows)
		lo->pitch = left >= 2 * rows ? 3 : left >= rows ? 2 : 1;
	left -= rows * (lo->pitch - 1);
	lo->spare = left > 0 ? left : 0;

	lo->header = place(&y, 1);
	lo->tabs = place(&y, 1);
	lo->axis = place(&y, w->axis ? 1 : 0);
	lo->rows = place(&y, rows * lo->pitch);
	lo->strips = place(&y, strips);
	lo->key = place(&y, key);
	lo->legend = place(&y, 1);
	lo->figures = place(&y, w->figures ? 1 : 0);
	lo->narration = place(&y, narr);
	lo->findings = place(&y, find);
	y += lo->spare;
	lo->caption = place(&y, caption);
	lo->keybar = place(&y, 1);
}

/* ------------------------------------------------------------------ */
/* The narration                                                       */
/* ------------------------------------------------------------------ */

#define PAGE_MARK_W 8 /* "[1/3 N]" and a space */

/* Wrapped lines of the narration at W columns; draws nothing. */
static int lines_at(const struct grid *g, const struct view_ctx *c, int w)
{
	struct grid probe = *g;
	int rows = 0;

	/* Wrapping below the last row counts lines without drawing them. */
	for (int i = 0; i < c->nnarration; i++)
		rows += view_wrap(&probe, 1, g->h, w, 0, c->narration[i], grid_plain);
	return rows;
}

int view_layout_narration_lines(const struct grid *g, const struct view_ctx *c)
{
	return lines_at(g, c, g->w - 2);
}

/* Lines [FROM, FROM + R.h) of the narration wrapped at W columns, into R. */
static void draw_lines(struct grid *g, const struct view_ctx *c, struct view_rect r, int w,
		       int from)
{
	int done = 0; /* wrapped lines before the paragraph */

	for (int i = 0; i < c->nnarration && done < from + r.h; i++) {
		int skip = from > done ? from - done : 0;
		int at = done > from ? done - from : 0;
		done +=
		    view_wrap_rows(g, 1, r.y + at, w, skip, r.h - at, c->narration[i], grid_plain);
	}
}

void view_layout_narration(struct grid *g, struct view_ctx *c, struct view_rect r)
{
	if (r.h <= 0 || c->nnarration == 0)
		return;
	if (view_layout_narration_lines(g, c) <= r.h) {
		draw_lines(g, c, r, g->w - 2, 0);
		return;
	}
	/* Too long for its rows: a page at a time, narrower for the page mark. */
	int w = g->w - 2 - PAGE_MARK_W, total = lines_at(g, c, w);
	int pages = (total + r.h - 1) / r.h;
	int page = c->narr_page % pages;
	char mark[32];

	draw_lines(g, c, r, w, page * r.h);
	snprintf(mark, sizeof mark, "[%d/%d N]", page + 1, pages);
	grid_text(g, g->w - 1 - grid_text_width(mark), r.y + r.h - 1, -1, mark,
		  view_style(c, ROLE_DIM));
}

void view_layout_chrome(struct grid *g, struct view_ctx *c, const struct view_layout *lo)
{
	view_header(g, c, lo->header.y);
	view_tabs(g, c, lo->tabs.y);
	view_caption(g, c, lo->caption.y);
	view_keybar(g, c, lo->keybar.y);
	view_layout_narration(g, c, lo->narration);
}

void view_layout_panel_rule(struct grid *g, const struct view_ctx *c, const struct view_panel *p,
			    int y)
{
	struct grid_style frame = view_style(c, ROLE_FRAME);
	char t[32], right[sizeof p->note + 8];

	grid_fill(g, 0, y, g->w, 1, 0x2500, frame);
	int x = 2 + grid_textf(g, 2, y, -1, view_style(c, ROLE_TITLE), " %s ", p->title);
	if (p->tr)
		grid_textf(g, x, y, -1, frame, "\u00b7 %s ", model_name(p->tr->meta.model));
	if (!p->tr) {
		snprintf(right, sizeof right, " %s ", p->note);
	} else if (p->live) {
		view_fmt_time(t, sizeof t, p->now_ns);
		snprintf(right, sizeof right, " running\u2026 %s ", t);
	} else {
		view_fmt_time(t, sizeof t, view_player_end(p, 1));
		snprintf(right, sizeof right, " wall %s ", t);
	}
	int rw = grid_text_width(right);
	grid_text(g, g->w - rw - 2, y, rw, right, frame);
}
