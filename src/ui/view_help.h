/*
 * view_help.h -- the help overlay: every key of view_keys[], in a box.
 */
#ifndef CONCTUI_VIEW_HELP_H
#define CONCTUI_VIEW_HELP_H

#include "grid.h"

struct view_ctx;
void view_help_compose(struct grid *g, const struct view_ctx *c);

#endif
