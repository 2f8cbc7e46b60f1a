/*
 * view_arrow.h -- the change under the cursor on the task rows: what
 * ended, what began, and a connector from the task that caused it.
 */
#ifndef CONCTUI_VIEW_ARROW_H
#define CONCTUI_VIEW_ARROW_H

#include "view_ctx.h"
#include "view_lanes.h"

/* Where the task rows of one panel are on screen. */
struct view_arrow_rows {
	int panel; /* the run they show */
	int first; /* the lane on the first row */
	int n;	   /* lanes shown */
	int y0;	   /* the first lane's first row */
	int pitch; /* rows from one lane to the next */
	int bar;   /* rows of one lane's bar */
};

/* Draws the change the caption explains over the rows R (a no-op unless stepping). */
void view_arrow_draw(struct grid *g, const struct view_ctx *c, const struct view_axis *ax,
		     const struct view_arrow_rows *r);

#endif
