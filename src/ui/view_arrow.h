/*
 * view_arrow.h -- the change under the cursor on the task rows: what
 * ended, what began, and a connector from the task that caused it.
 */
#ifndef CONCTUI_VIEW_ARROW_H
#define CONCTUI_VIEW_ARROW_H

#include "view_ctx.h"
#include "view_lanes.h"

#define VIEW_ARROW_ROWS 256 /* task rows one panel can show */

/* Where the task rows of one panel are on screen. */
struct view_arrow_rows {
	int panel;		    /* the run they show */
	int bar;		    /* rows of one lane's bar */
	int n;			    /* rows listed */
	int lanes[VIEW_ARROW_ROWS]; /* the task on each row */
	int ys[VIEW_ARROW_ROWS];    /* its first screen row */
};

/* Lists LANE's row at Y in R (a no-op once R is full). */
void view_arrow_row(struct view_arrow_rows *r, int lane, int y);

/* Draws the change the caption explains over the rows R (a no-op unless stepping). */
void view_arrow_draw(struct grid *g, const struct view_ctx *c, const struct view_axis *ax,
		     const struct view_arrow_rows *r);

#endif
