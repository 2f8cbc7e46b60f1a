/*
 * view_menu.c -- the pick list: a framed box in the middle of the screen.
 */
#include "view_menu.h"

#include <stdio.h>
#include <string.h>

#include "view_ctx.h"

void view_menu_open(struct view_menu *m, enum view_menu_kind kind, const char *title)
{
	m->kind = kind;
	m->n = 0;
	m->sel = 0;
	snprintf(m->title, sizeof m->title, "%s", title);
}

int view_menu_add(struct view_menu *m, const char *key, const char *label, bool off)
{
	if (m->n >= VIEW_MENU_MAX)
		return -1;
	snprintf(m->key[m->n], sizeof m->key[0], "%s", key);
	snprintf(m->label[m->n], sizeof m->label[0], "%s", label);
	m->off[m->n] = off;
	return m->n++;
}

void view_menu_close(struct view_menu *m)
{
	m->kind = VIEW_MENU_NONE;
}

void view_menu_select(struct view_menu *m, const char *key)
{
	for (int i = 0; key && i < m->n; i++)
		if (strcmp(m->key[i], key) == 0)
			m->sel = i;
}

enum view_menu_result view_menu_act(struct view_menu *m, enum view_action a)
{
	switch (a) {
	case VA_ROW_DOWN:
	case VA_NEXT:
		if (m->sel + 1 < m->n)
			m->sel++;
		return VIEW_MENU_KEPT;
	case VA_ROW_UP:
	case VA_PREV:
		if (m->sel > 0)
			m->sel--;
		return VIEW_MENU_KEPT;
	case VA_PAGE_DOWN:
	case VA_END:
		m->sel = m->n > 0 ? m->n - 1 : 0;
		return VIEW_MENU_KEPT;
	case VA_PAGE_UP:
	case VA_START:
		m->sel = 0;
		return VIEW_MENU_KEPT;
	case VA_DETAIL:
		if (m->n == 0 || m->off[m->sel])
			return VIEW_MENU_KEPT;
		return VIEW_MENU_CHOSEN;
	case VA_CLOSE:
	case VA_QUIT:
	case VA_BACKEND:
	case VA_SCENARIO:
		view_menu_close(m);
		return VIEW_MENU_CLOSED;
	default:
		return VIEW_MENU_KEPT;
	}
}

void view_menu_compose(struct grid *g, const struct view_ctx *c)
{
	const struct view_menu *m = &c->menu;
	int w = 0;

	for (int i = 0; i < m->n; i++) {
		int lw = grid_text_width(m->label[i]);
		if (lw > w)
			w = lw;
	}
	w += 6;
	if (w < grid_text_width(m->title) + 8)
		w = grid_text_width(m->title) + 8;
	if (w < 40)
		w = 40;
	if (w > g->w - 4)
		w = g->w - 4;
	int rows = m->n > 0 ? m->n : 1;
	if (rows > g->h - 6)
		rows = g->h - 6;
	int h = rows + 2, x = (g->w - w) / 2, y = (g->h - h) / 2;
	int top = m->sel >= rows ? m->sel - rows + 1 : 0;
	struct grid_style frame = view_style(c, ROLE_FRAME);

	grid_fill(g, x, y, w, h, ' ', grid_plain);
	grid_box(g, x, y, w, h, frame);
	grid_textf(g, x + 2, y, w - 4, view_style(c, ROLE_TITLE), " %s ", m->title);
	for (int i = 0; i < rows && top + i < m->n; i++) {
		int k = top + i;
		struct grid_style st = m->off[k] ? view_style(c, ROLE_DIM) : grid_plain;
		if (k == m->sel)
			st = view_style(c, ROLE_SELECTED);
		grid_fill(g, x + 1, y + 1 + i, w - 2, 1, ' ', st);
		grid_text(g, x + 2, y + 1 + i, w - 4, m->label[k], st);
	}
	if (m->n == 0)
		grid_text(g, x + 2, y + 1, w - 4, "(nothing to choose)", view_style(c, ROLE_DIM));
	grid_text(g, x + 2, y + h - 1, w - 4, " \u2191\u2193 move  Enter choose  Esc close ",
		  frame);
}
