/*
 * view_wrap.c -- words wrapped to the width of the screen, and the
 * paragraphs every view shares that are made of them: the caption (or the
 * flash message), what a run found, and the scenario's narration.  One
 * wrapping rule, so a sentence breaks the same way wherever it is shown.
 */
#include "view_ctx.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "view_layout.h"

void view_caption(struct grid *g, const struct view_ctx *c, int y)
{
	struct grid_style st = view_style(c, ROLE_CAPTION);
	char buf[1024];
	int w = g->w - 2;

	if (c->flash[0] || c->prompt[0]) {
		view_wrap(g, 1, y, w, VIEW_CAPTION_ROWS, c->flash[0] ? c->flash : c->prompt,
			  view_style(c, ROLE_FLASH));
		return;
	}
	view_caption_text(c, buf, sizeof buf);
	const char *mark = " \u2192 ";
	if (c->ascii) {
		/* "->" reads as an arrow; the one-character fold would be ">". */
		for (char *p = strstr(buf, "\u2192"); p; p = strstr(p, "\u2192")) {
			memcpy(p, "->", 2);
			memmove(p + 2, p + 3, strlen(p + 3) + 1);
		}
		mark = " -> ";
	}
	char *arrow = strstr(buf, mark);
	if (grid_text_width(buf) <= w || !arrow) {
		view_wrap(g, 1, y, w, VIEW_CAPTION_ROWS, buf, st);
		return;
	}
	/* Too long for a row: the cause on the first, "-> the effect" below it. */
	*arrow = '\0';
	int rows = view_wrap(g, 1, y, w, VIEW_CAPTION_ROWS - 1, buf, st);
	if (rows > VIEW_CAPTION_ROWS - 1)
		rows = VIEW_CAPTION_ROWS - 1;
	view_wrap(g, 3, y + rows, w - 2, VIEW_CAPTION_ROWS - rows, arrow + 1, st);
}

int view_wrap_rows(struct grid *g, int x, int y, int w, int skip, int max, const char *s,
		   struct grid_style st)
{
	int rows = 0;

	while (*s) {
		const char *p = s, *cut = NULL;
		int cols = 0;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		/* Take words while they fit; a word longer than the line is cut. */
		for (p = s; *p && cols <= w;) {
			const char *q = p;
			uint32_t cp = grid_utf8_next(&q);
			if (cp == ' ')
				cut = p;
			cols += grid_cp_width(cp);
			if (cols > w)
				break;
			p = q;
		}
		if (*p && cols > w && cut)
			p = cut;
		if (rows >= skip && rows < skip + max) {
			char line[512];
			snprintf(line, sizeof line, "%.*s", (int)(p - s), s);
			grid_text(g, x, y + rows - skip, w, line, st);
		}
		rows++;
		s = p;
	}
	return rows;
}

int view_wrap(struct grid *g, int x, int y, int w, int max, const char *s, struct grid_style st)
{
	return view_wrap_rows(g, x, y, w, 0, max, s, st);
}

/* What a run found about its locks and its goal: said first, above the story. */
int view_findings(struct grid *g, const struct view_ctx *c, int y, int max)
{
	const struct trace *tr = c->npanels == 1 ? c->panels[0].tr : NULL;
	char line[5 * TRACE_TEXT_MAX], safe[4 * TRACE_TEXT_MAX];
	struct trace_finding f;
	int rows = 0;

	for (uint32_t i = 0; tr && i < trace_finding_count(tr); i++) {
		if (!trace_get_finding(tr, i, &f) ||
		    (f.kind != FINDING_DEADLOCK && f.kind != FINDING_CRITICAL_OVERLAP &&
		     f.kind != FINDING_GOAL_MET && f.kind != FINDING_GOAL_MISSED))
			continue;
		escape_text(safe, sizeof safe, f.text, -1, 0);
		snprintf(line, sizeof line, "%s: %s", finding_kind_name(f.kind), safe);
		rows += view_wrap(g, 1, y + rows, g->w - 2, max - rows, line,
				  view_style(c, f.kind == FINDING_GOAL_MET ? ROLE_GOOD : ROLE_BAD));
	}
	return rows;
}

int view_narration(struct grid *g, const struct view_ctx *c, int y, int max)
{
	int rows = view_findings(g, c, y, max);

	for (int i = 0; i < c->nnarration; i++)
		rows +=
		    view_wrap(g, 1, y + rows, g->w - 2, max - rows, c->narration[i], grid_plain);
	return rows;
}
