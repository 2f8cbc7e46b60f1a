/*
 * view_help.c -- the help overlay.  It lists the key table itself, so a
 * key cannot be missing from the help.
 */
#include "view_help.h"

#include "view_ctx.h"

#define KEY_W 11 /* the keys column: "Shift-Tab", "Shift-<- h" */

void view_help_compose(struct grid *g, const struct view_ctx *c)
{
	int cols = g->w >= 2 * (KEY_W + 12) + 5 ? 2 : 1;
	int rows = (view_nkeys + cols - 1) / cols;
	int w = g->w - 4 < 80 ? g->w - 4 : 80;
	int h = rows + 4, top = 2; /* a blank row under the title when there is room */
	if (h > g->h)
		h = rows + 3, top = 1; /* 80x24: every key rather than the blank row */
	if (h > g->h)
		h = g->h;
	int x = (g->w - w) / 2, y = (g->h - h) / 2;
	int colw = (w - 3) / cols;
	struct grid_style frame = view_style(c, ROLE_FRAME), key = view_style(c, ROLE_KEY);

	grid_fill(g, x, y, w, h, ' ', grid_plain);
	grid_box(g, x, y, w, h, frame);
	grid_text(g, x + 2, y, w - 4, " conctui keys ", view_style(c, ROLE_TITLE));
	for (int i = 0; i < view_nkeys; i++) {
		int col = i / rows, row = i % rows;
		int kx = x + 2 + col * colw, ky = y + top + row;

		if (ky >= y + h - 1)
			continue;
		grid_text(g, kx, ky, KEY_W, view_keys[i].keys, key);
		grid_text(g, kx + KEY_W, ky, colw - KEY_W - 1, view_keys[i].help, grid_plain);
	}
	/* A lesson's own keys take the bottom line: it fits every screen the help does. */
	grid_text(g, x + 2, y + h - 1, w - 4,
		  c->lesson ? " lesson: n next beat, p previous, 1-9 answer; any key closes "
			    : " any key closes this help ",
		  frame);
}
