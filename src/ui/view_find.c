/*
 * view_find.c -- finding a task by name.
 */
#include "view_find.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "view_group.h"

void view_find_open(struct view_ctx *c)
{
	c->finding = true;
	c->find[0] = '\0';
}

/* Whether NAME holds TEXT, ignoring ASCII case. */
static bool holds(const char *name, const char *text)
{
	size_t n = strlen(text);

	for (; *name; name++) {
		size_t i = 0;
		while (i < n && name[i] &&
		       tolower((unsigned char)name[i]) == tolower((unsigned char)text[i]))
			i++;
		if (i == n)
			return true;
	}
	return n == 0;
}

bool view_find_next(struct view_ctx *c, const char *text)
{
	const struct trace *tr = c->npanels > 0 ? c->panels[0].tr : NULL;
	int n = tr ? tr->ntasks : 0;

	for (int k = 1; k <= n && text[0]; k++) {
		int lane = (c->sel + k) % n, first;
		if (!holds(trace_name(tr, lane), text))
			continue;
		/* A task inside a folded group: the group opens to show it. */
		if (view_group_of(tr, lane, &first) > 1)
			view_group_set(c, first, true);
		view_select(c, lane);
		return true;
	}
	return false;
}

/* Appends code point CP to the text, whole or not at all. */
static void append(struct view_ctx *c, uint32_t cp)
{
	char enc[5];
	int k = grid_utf8_put(cp, enc);
	size_t len = strlen(c->find);

	if (len + (size_t)k < sizeof c->find) {
		memcpy(c->find + len, enc, (size_t)k);
		c->find[len + (size_t)k] = '\0';
	}
}

/* Removes the last character (a whole UTF-8 sequence). */
static void backspace(struct view_ctx *c)
{
	size_t len = strlen(c->find);

	while (len > 0 && ((unsigned char)c->find[len - 1] & 0xc0) == 0x80)
		len--;
	if (len > 0)
		len--;
	c->find[len] = '\0';
}

bool view_find_key(struct view_ctx *c, int code)
{
	if (!c->finding)
		return false;
	if (code == VK_ESC) {
		c->finding = false;
	} else if (code == VK_ENTER) {
		c->finding = false;
		if (c->find[0] && !view_find_next(c, c->find))
			snprintf(c->flash, sizeof c->flash, "no task named like \"%.60s\"",
				 c->find);
	} else if (code == VK_BACKSPACE || code == 127 || code == 8) {
		backspace(c);
	} else if (code >= 0x20 && code < VK_BASE && code != 0x7f &&
		   !(code >= 0xd800 && code <= 0xdfff) && !(code >= 0x80 && code < 0xa0)) {
		append(c, (uint32_t)code);
	}
	return true;
}

void view_find_compose(struct grid *g, const struct view_ctx *c, int y)
{
	struct grid_style key = view_style(c, ROLE_KEY), bar = view_style(c, ROLE_KEYLABEL);
	const char *help = "  Enter: next match \u00b7 Esc: cancel ";
	int hw = grid_text_width(help);

	grid_fill(g, 0, y, g->w, 1, ' ', bar);
	int x = grid_text(g, 0, y, -1, "/", key);
	x += grid_text(g, x, y, g->w - x - hw - 1, c->find, bar);
	grid_put(g, x, y, '_', key);
	grid_text(g, g->w - hw, y, hw, help, bar);
}
