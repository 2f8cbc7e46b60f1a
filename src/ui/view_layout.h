/*
 * view_layout.h -- where each place of a screen goes, computed once per
 * frame, so that no piece draws over another.
 *
 * A view says how many rows each place wants (the tasks, the cores and
 * GIL strips, the narration, the findings); view_layout_plan shares the
 * height out in a fixed order of need and gives every place its own rows,
 * top to bottom:
 *
 *   header, tabs, axis, rows, strips, strips' key, legend, figures,
 *   narration, findings, caption, key bar
 *
 * A place that gets fewer rows than it wants is paged or summarised by its
 * drawer (the rows by a scroll summary, the narration by pages); a place
 * with no rows is simply not drawn.  Rows nobody asked for go above the
 * caption, so the picture and its legend stay together at the top.  The caption always has its
 * rows: two, or three on a tall screen.
 */
#ifndef CONCTUI_VIEW_LAYOUT_H
#define CONCTUI_VIEW_LAYOUT_H

#include <stdbool.h>

#include "grid.h"
#include "view_ctx.h"

/* The caption's rows: two, three from this screen height on. */
#define VIEW_CAPTION_ROWS 2
#define VIEW_CAPTION_TALL 30

/* Rows [y, y + h) across the whole width; h == 0: the place is not shown. */
struct view_rect {
	int y; /* first row */
	int h; /* rows */
};

/* What a screen asks for, in rows. */
struct view_layout_want {
	int rows;      /* task rows for every task (or panel rows) */
	int min_rows;  /* task rows that come before the optional places */
	int strips;    /* cores and GIL rows */
	int narration; /* narration lines at this width */
	int findings;  /* findings lines, 0 when there are none */
	bool axis;     /* a tick row above the rows */
	bool figures;  /* a figures row under the legend */
	bool tall;     /* rows may take 2 or 3 screen rows each when there is room */
	bool key;      /* the strips name tasks by letters that need a key (letter -> task) */
};

struct view_layout {
	struct view_rect header, tabs, axis, rows, strips, key, legend, figures, narration,
	    findings, caption, keybar;
	int pitch; /* screen rows per task row: 1, or 2-3 with W.tall and room */
	int spare; /* rows nobody asked for (above the caption) */
};

/* Shares H rows out among the places W asks for. */
void view_layout_plan(struct view_layout *lo, int h, const struct view_layout_want *w);

/* Lines the narration takes wrapped to the screen's width (1 column each side). */
int view_layout_narration_lines(const struct grid *g, const struct view_ctx *c);

/*
 * The narration in R: all of it when it fits, else page c->narr_page of
 * it with a marker saying which page and the key for the next one.
 */
void view_layout_narration(struct grid *g, struct view_ctx *c, struct view_rect r);
/* Draws what every view has in the places LO gave it: header, tabs, caption, key bar, narration. */
void view_layout_chrome(struct grid *g, struct view_ctx *c, const struct view_layout *lo);
/*
 * Panel P's title rule across row Y, as the Spinner and Compare views draw
 * one a run: "── threads · parallel ───── wall 3.01 s ──", or its note when
 * it has no run yet.
 */
void view_layout_panel_rule(struct grid *g, const struct view_ctx *c, const struct view_panel *p,
			    int y);

#endif
