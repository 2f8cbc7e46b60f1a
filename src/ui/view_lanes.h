/*
 * view_lanes.h -- drawing lanes on a time axis: a task's state bar, a
 * core's or the GIL's owner chips, and the axis with its cursor.
 *
 * Each column of a lane covers len/w ns of the window.  Only what happened
 * before the cursor is drawn, so playing the trace grows the bars.  A
 * column where a running span starts or ends part-way gets a partial block
 * (U+2589..U+258F), so edges move in eighths of a cell.
 */
#ifndef CONCTUI_VIEW_LANES_H
#define CONCTUI_VIEW_LANES_H

#include <stdint.h>

#include "grid.h"
#include "trace.h"
#include "view_ctx.h"

/* Where lanes go on screen and which slice of time they show. */
struct view_axis {
	int x, w;	  /* the bars' columns */
	uint64_t t0, len; /* the window: [t0, t0 + len) ns */
	uint64_t cursor;  /* nothing after this is drawn */
};

/* Sets up AX for bars from column X, W wide, from the player's window. */
void view_lanes_axis(struct view_ctx *c, struct view_axis *ax, int x, int w);
/* The time at the start of column I (0 .. w). */
uint64_t view_lanes_time(const struct view_axis *ax, int i);
/* Tick labels on row Y and the cursor's marker. */
void view_lanes_ticks(struct grid *g, const struct view_ctx *c, const struct view_axis *ax, int y);
/* Columns for lane names: the longest name, within [4, 14]. */
int view_lanes_name_width(const struct trace *tr);

/*
 * LANE's state bar on row Y; NOW_NS closes an open span (live runs).
 * Returns the cells drawn as mixed (two or more changes in one cell).
 */
int view_lanes_task(struct grid *g, const struct view_ctx *c, const struct view_axis *ax,
		    const struct trace *tr, int lane, uint64_t now_ns, int y);
/* The glyph of a mixed cell: Unicode, or its ASCII letter. */
uint32_t view_lanes_mixed_cp(const struct view_ctx *c);

/*
 * The cores that running spans used up to UPTO, sorted, into CPUS (at most
 * MAX); returns how many there are in all.
 */
int view_lanes_cores(const struct trace *tr, uint64_t upto, int *cpus, int max);
/* The cores panel P used (cached in C); returns how many, sets *CPUS. */
int view_lanes_panel_cores(struct view_ctx *c, int p, const int **cpus);
/*
 * Owner chips: for each core of CPUS, which task ran on it, one row each
 * from row Y; with CPU == -1 in CPUS, the lock lane's holder instead.
 */
void view_lanes_owners(struct grid *g, const struct view_ctx *c, const struct view_axis *ax,
		       const struct trace *tr, uint64_t now_ns, const int *cpus, int n, int y);

#endif
