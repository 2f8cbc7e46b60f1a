/*
 * view_group.h -- many tasks as one row: the copies `count = N` makes
 * (named NAME1..NAMEN, DESIGN.md) fold into a group row that shows, per
 * cell, how many of them are in each state, so 10,000 connections waiting
 * on io at once is one picture rather than 10,000 rows to scroll.
 *
 * Groups fold only when the tasks do not all fit; Enter on a group row
 * expands it, Esc on one of its tasks folds it again.
 */
#ifndef CONCTUI_VIEW_GROUP_H
#define CONCTUI_VIEW_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "trace.h"
#include "view_ctx.h"
#include "view_lanes.h"

/* A row of the task list: one task, or a folded group of them. */
struct view_row {
	int lane;  /* the task, or the group's first */
	int count; /* 1 for a task; the group's size when folded */
};

/* The group of tasks LANE belongs to: *FIRST and the size (1: none). */
int view_group_of(const struct trace *tr, int lane, int *first);

/*
 * The rows of TR's tasks into ROWS (room for tr->ntasks): with FOLD,
 * groups not expanded in C are one row each.  Returns the row count.
 */
int view_group_rows(const struct view_ctx *c, const struct trace *tr, bool fold,
		    struct view_row *rows);

/* "conn×10000" for a folded group, the task's name for a task. */
void view_group_label(const struct trace *tr, struct view_row row, char *buf, size_t len);

/* The row of ROWS (N of them) that holds LANE, or -1. */
int view_group_row_of(const struct view_row *rows, int n, int lane);

/* Whether the group starting at FIRST is expanded; expands or folds it. */
bool view_group_expanded(const struct view_ctx *c, int first);
void view_group_set(struct view_ctx *c, int first, bool expanded);

/*
 * A folded group takes VIEW_GROUP_ROWS screen rows: a stacked density
 * VIEW_GROUP_BAR_ROWS tall, then the counts at the cursor.
 */
#define VIEW_GROUP_BAR_ROWS 2
#define VIEW_GROUP_ROWS (VIEW_GROUP_BAR_ROWS + 1)

/*
 * Group ROW's density on rows Y .. Y + VIEW_GROUP_BAR_ROWS - 1: each
 * column a stacked bar of how many of its tasks were in each state over
 * the column's time (running at the bottom, in the legend's order; the
 * full height is every task of the group, so finished and unstarted ones
 * leave it empty).  In colour it rises in eighths of a cell; in ASCII or
 * without colour in whole cells of the states' own glyphs.  NOW_NS closes
 * open spans.  Returns the cells drawn as mixed (more states than cells).
 */
int view_group_draw(struct grid *g, const struct view_ctx *c, const struct view_axis *ax,
		    const struct trace *tr, struct view_row row, uint64_t now_ns, int y);

/* How many of ROW's tasks are in each state at T, into COUNTS; returns those started. */
int view_group_count(const struct trace *tr, struct view_row row, uint64_t t,
		     int counts[STATE_COUNT]);

#endif
