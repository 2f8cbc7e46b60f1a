/*
 * view_find.h -- `/` finds a task by name: the key bar becomes a prompt
 * that echoes what is typed (escaped, as all text on screen), Enter
 * selects the next task whose name holds it, Esc gives up.
 */
#ifndef CONCTUI_VIEW_FIND_H
#define CONCTUI_VIEW_FIND_H

#include <stdbool.h>

#include "grid.h"
#include "view_ctx.h"

/* Opens the prompt, empty. */
void view_find_open(struct view_ctx *c);
/* While the prompt is open, takes key CODE (a view_keycode); false when it is closed. */
bool view_find_key(struct view_ctx *c, int code);
/* The prompt on row Y, in the key bar's place. */
void view_find_compose(struct grid *g, const struct view_ctx *c, int y);
/* Selects the next task of panel 0 after the selected one whose name holds TEXT; false: none. */
bool view_find_next(struct view_ctx *c, const char *text);

#endif
