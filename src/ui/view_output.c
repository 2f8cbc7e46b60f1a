/*
 * view_output.c -- the Output view: the lines the tasks printed up to the
 * cursor, in time order, each with its time and the task that printed it,
 * as a program's terminal would have shown them by then.  When they do not
 * fit, the newest stay on screen, as on a terminal.
 */
#include <stdlib.h>

#include "view_ctx.h"

/* Columns of the task name. */
#define OUTPUT_NAME_W 12

static bool applies(const struct view_ctx *c)
{
	return c->npanels == 1 && c->panels[0].tr && trace_output_count(c->panels[0].tr) > 0;
}

/* Lines of TR printed at or before the cursor, in time order, into *OUT (malloc'd). */
static uint32_t lines_upto(const struct trace *tr, uint64_t cursor, struct trace_output **out)
{
	uint32_t n = trace_output_count(tr), k = 0;

	*out = n ? malloc(n * sizeof **out) : NULL;
	if (!*out)
		return 0;
	n = trace_output_in_order(tr, *out, n);
	while (k < n && (*out)[k].t <= cursor)
		k++;
	return k;
}

static void compose(struct grid *g, struct view_ctx *c)
{
	const struct trace *tr = c->panels[0].tr;
	struct trace_output *lines = NULL;
	int y = 3, ymax = g->h - 2;
	char t[32];

	view_header(g, c, 0);
	view_tabs(g, c, 1);
	view_keybar(g, c, g->h - 1);
	view_caption(g, c, g->h - 2);
	if (!tr)
		return;
	uint32_t n = lines_upto(tr, c->pl.cursor, &lines);
	uint32_t total = trace_output_count(tr);
	grid_textf(g, 1, y++, g->w - 2, view_style(c, ROLE_TITLE),
		   "Output: %u of %u line%s printed by the cursor", n, total,
		   total == 1 ? "" : "s");
	grid_textf(g, 1, y++, g->w - 2, view_style(c, ROLE_AXIS), "%10s  %-*s  %s", "at",
		   OUTPUT_NAME_W, "task", "line");
	uint32_t first = n > (uint32_t)(ymax - y) ? n - (uint32_t)(ymax - y) : 0;
	for (uint32_t i = first; i < n && y < ymax; i++, y++) {
		const struct trace_output *o = &lines[i];
		view_fmt_time(t, sizeof t, o->t);
		grid_textf(g, 1, y, 12, view_style(c, ROLE_DIM), "%10s", t);
		grid_text(g, 13, y, OUTPUT_NAME_W,
			  o->task >= 0 && o->task < tr->ntasks ? trace_name(tr, o->task) : "?",
			  grid_plain);
		grid_text(g, 15 + OUTPUT_NAME_W, y, g->w - 16 - OUTPUT_NAME_W, o->text, grid_plain);
	}
	if (n == 0 && y < ymax)
		grid_text(g, 1, y, g->w - 2, "nothing printed yet at the cursor",
			  view_style(c, ROLE_DIM));
	free(lines);
}

const struct view view_output = {
    .name = "Output",
    .compose = compose,
    .applies = applies,
};
