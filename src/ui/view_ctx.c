/*
 * view_ctx.c -- the table of views, the whole screen composed from the
 * view on screen, and the actions that only move the picture.  The pieces
 * of screen every view shares are in view_style.c (styles, glyphs,
 * numbers), view_header.c (header, tabs, key bar, legend, figures) and
 * view_wrap.c (wrapped text: caption, findings, narration).
 */
#include "view_ctx.h"

#include <stdio.h>
#include <string.h>

#include "view_find.h"
#include "view_help.h"
#include "view_pair.h"

const struct view *const view_table[] = {&view_timeline, &view_cores, &view_detail, &view_spinner,
					 &view_compare,	 &view_costs, &view_output};
const int view_count = (int)(sizeof view_table / sizeof view_table[0]);

#define VIEW_DETAIL 2

bool view_applies(const struct view_ctx *c, int i)
{
	return i >= 0 && i < view_count && (!view_table[i]->applies || view_table[i]->applies(c));
}

void view_show(struct view_ctx *c, const struct view *v)
{
	for (int i = 0; i < view_count; i++)
		if (view_table[i] == v)
			c->view = i;
}

int view_current(const struct view_ctx *c)
{
	return view_applies(c, c->view) ? c->view : 0;
}

/* The next view that applies, DIR = 1 or -1 from the one on screen. */
static int view_cycle(const struct view_ctx *c, int dir)
{
	int i = view_current(c);

	for (int k = 0; k < view_count; k++) {
		i = (i + dir + view_count) % view_count;
		if (view_applies(c, i))
			return i;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The player's state, as the header and the views read it             */
/* ------------------------------------------------------------------ */

enum view_badge view_badge(const struct view_ctx *c)
{
	bool live = view_player_live(c->panels, c->npanels);

	if (c->pl.paused)
		return VIEW_PAUSED;
	if (live && c->pl.follow)
		return VIEW_LIVE;
	if (!live && c->pl.cursor >= view_player_end(c->panels, c->npanels))
		return VIEW_DONE;
	return VIEW_REPLAY;
}

uint64_t view_fit(const struct view_ctx *c)
{
	return view_player_fit(view_player_end(c->panels, c->npanels),
			       view_player_live(c->panels, c->npanels));
}

/* ------------------------------------------------------------------ */
/* Composing and acting                                                */
/* ------------------------------------------------------------------ */

/* Centred on one line when it fits, else on two: never a crash, at any size. */
static void compose_too_small(struct grid *g, const struct view_ctx *c)
{
	const char *ask = "please enlarge the terminal";
	char need[64], all[128];
	struct grid_style st = view_style(c, ROLE_TITLE);

	snprintf(need, sizeof need, "(needs %dx%d, have %dx%d)", VIEW_MIN_W, VIEW_MIN_H, g->w,
		 g->h);
	snprintf(all, sizeof all, "%s %s", ask, need);
	int y = g->h / 2;
	if ((int)strlen(all) <= g->w) {
		grid_text(g, (g->w - (int)strlen(all)) / 2, y, -1, all, st);
		return;
	}
	int aw = (int)strlen(ask), nw = (int)strlen(need);
	y = (g->h - 2) / 2;
	grid_text(g, aw < g->w ? (g->w - aw) / 2 : 0, y, -1, ask, st);
	grid_text(g, nw < g->w ? (g->w - nw) / 2 : 0, y + 1, -1, need, st);
}

void view_compose(struct grid *g, struct view_ctx *c)
{
	grid_clear(g);
	if (g->w < VIEW_MIN_W || g->h < VIEW_MIN_H) {
		compose_too_small(g, c);
		return;
	}
	if (c->view < 0 || c->view >= view_count)
		c->view = 0;
	c->mixed = 0;
	view_table[view_current(c)]->compose(g, c);
	if (c->menu.kind != VIEW_MENU_NONE)
		view_menu_compose(g, c);
	if (c->help)
		view_help_compose(g, c);
}

static int ntasks(const struct view_ctx *c)
{
	return c->npanels > 0 && c->panels[0].tr ? c->panels[0].tr->ntasks : 0;
}

void view_select(struct view_ctx *c, int task)
{
	int n = ntasks(c), page = c->page > 0 ? c->page : 1;

	if (task >= n)
		task = n - 1;
	if (task < 0)
		task = 0;
	c->sel = task;
	if (c->sel < c->top)
		c->top = c->sel;
	if (c->sel >= c->top + page)
		c->top = c->sel - page + 1;
	c->detail_top = 0;
}

bool view_act(struct view_ctx *c, enum view_action a)
{
	uint64_t fit = view_fit(c);

	if (c->help) {
		/* Any key closes the help; q too, so a reflex q never quits by surprise. */
		c->help = false;
		return true;
	}
	const struct view *v = view_table[view_current(c)];
	if (v->act && v->act(c, a))
		return true;
	switch (a) {
	case VA_PAUSE:
		view_player_toggle(&c->pl, c->panels, c->npanels);
		break;
	case VA_NEXT:
	case VA_PREV:
	case VA_STEP_MODE:
	case VA_WHY:
	case VA_WHY_BACK:
		view_step_act(c, a);
		break;
	case VA_START:
		view_player_home(&c->pl);
		break;
	case VA_END:
		view_player_end_key(&c->pl, c->panels, c->npanels);
		break;
	case VA_SLOWER:
		view_player_change_speed(&c->pl, -1);
		break;
	case VA_FASTER:
		view_player_change_speed(&c->pl, 1);
		break;
	case VA_ZOOM_IN:
		view_player_zoom(&c->pl, 1, fit);
		break;
	case VA_ZOOM_OUT:
		view_player_zoom(&c->pl, -1, fit);
		break;
	case VA_SCROLL_LEFT:
		view_player_scroll(&c->pl, -1, fit);
		break;
	case VA_SCROLL_RIGHT:
		view_player_scroll(&c->pl, 1, fit);
		break;
	case VA_ROW_DOWN:
		view_select(c, c->sel + 1);
		break;
	case VA_ROW_UP:
		view_select(c, c->sel - 1);
		break;
	case VA_PAGE_DOWN:
		c->top += c->page;
		view_select(c, c->sel + c->page);
		if (c->top > c->sel)
			c->top = c->sel;
		break;
	case VA_PAGE_UP:
		c->top = c->top > c->page ? c->top - c->page : 0;
		view_select(c, c->sel - c->page);
		break;
	case VA_DETAIL:
		c->view = VIEW_DETAIL;
		break;
	case VA_FINDING:
		c->view = VIEW_DETAIL;
		view_detail_next_finding(c);
		break;
	case VA_VIEW_NEXT:
		c->view = view_cycle(c, 1);
		break;
	case VA_VIEW_PREV:
		c->view = view_cycle(c, -1);
		break;
	case VA_HELP:
		c->help = true;
		break;
	case VA_NARRATION:
		c->narr_page++;
		break;
	case VA_FIND:
		view_find_open(c);
		break;
	case VA_CLOSE:
		c->view = 0;
		break;
	case VA_PAIR:
		view_pair_open(c);
		break;
	default:
		return false;
	}
	return true;
}
