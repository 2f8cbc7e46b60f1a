/*
 * view_pair.h -- the Compare view's pair (key P): two runs of the
 * comparison drawn one above the other on the same time axis, every task
 * of each, with one cursor that steps through both.
 */
#ifndef CONCTUI_VIEW_PAIR_H
#define CONCTUI_VIEW_PAIR_H

#include <stdbool.h>
#include <stddef.h>

#include "grid.h"
#include "view_ctx.h"

/* The panels of the pair on screen (the row picked in the table first); false when none is. */
bool view_pair_panels(const struct view_ctx *c, int *a, int *b);
/* P (on or off), and while on: j/k another second run, Esc back to the table. */
bool view_pair_act(struct view_ctx *c, enum view_action a);
/* Key P from another view: the Compare view, showing the pair (or why it cannot). */
void view_pair_open(struct view_ctx *c);
/*
 * The change the caption explains while the pair is shown and no step chose
 * one: the latest at or before the cursor in either of its runs (not in a
 * run off screen).  False when no pair is shown or nothing happened yet.
 */
bool view_pair_event(const struct view_ctx *c, struct view_event *e);
/* The pair, the legend and the chrome over the whole screen. */
void view_pair_compose(struct grid *g, struct view_ctx *c);
/* "pair: sequential vs threads" for the header, or "" when no pair is shown. */
void view_pair_status(const struct view_ctx *c, char *buf, size_t len);

#endif
