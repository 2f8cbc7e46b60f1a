/*
 * view_ctx.c -- the table of views, the actions that only move the
 * picture, and the pieces of screen every view shares.
 */
#include "view_ctx.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "view_find.h"
#include "view_help.h"
#include "view_layout.h"
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
/* Styles                                                              */
/* ------------------------------------------------------------------ */

#define S(fg, bg, attr)                                                                            \
	{                                                                                          \
		COLOUR_##fg, COLOUR_##bg, attr                                                     \
	}

/* Colour first, then monochrome: every role must read well in both. */
static const struct grid_style roles[ROLE_COUNT][2] = {
    [ROLE_PLAIN] = {S(DEFAULT, DEFAULT, 0), S(DEFAULT, DEFAULT, 0)},
    [ROLE_HEADER] = {S(WHITE, BLUE, 0), S(DEFAULT, DEFAULT, GRID_REVERSE)},
    [ROLE_HEADER_BOLD] = {S(WHITE, BLUE, GRID_BOLD), S(DEFAULT, DEFAULT, GRID_REVERSE | GRID_BOLD)},
    [ROLE_BADGE_LIVE] = {S(GREEN, DEFAULT, GRID_REVERSE | GRID_BOLD),
			 S(DEFAULT, DEFAULT, GRID_BOLD)},
    [ROLE_BADGE_PAUSED] = {S(YELLOW, DEFAULT, GRID_REVERSE | GRID_BOLD),
			   S(DEFAULT, DEFAULT, GRID_BOLD)},
    [ROLE_BADGE_REPLAY] = {S(CYAN, DEFAULT, GRID_REVERSE | GRID_BOLD),
			   S(DEFAULT, DEFAULT, GRID_BOLD)},
    [ROLE_BADGE_DONE] = {S(WHITE, DEFAULT, GRID_REVERSE | GRID_BOLD),
			 S(DEFAULT, DEFAULT, GRID_BOLD)},
    [ROLE_TITLE] = {S(DEFAULT, DEFAULT, GRID_BOLD), S(DEFAULT, DEFAULT, GRID_BOLD)},
    [ROLE_DIM] = {S(DEFAULT, DEFAULT, GRID_DIM), S(DEFAULT, DEFAULT, GRID_DIM)},
    [ROLE_SELECTED] = {S(DEFAULT, DEFAULT, GRID_REVERSE), S(DEFAULT, DEFAULT, GRID_REVERSE)},
    [ROLE_AXIS] = {S(CYAN, DEFAULT, 0), S(DEFAULT, DEFAULT, 0)},
    [ROLE_CURSOR] = {S(YELLOW, DEFAULT, GRID_BOLD), S(DEFAULT, DEFAULT, GRID_BOLD)},
    [ROLE_KEY] = {S(DEFAULT, DEFAULT, GRID_BOLD), S(DEFAULT, DEFAULT, GRID_BOLD)},
    [ROLE_KEYLABEL] = {S(CYAN, DEFAULT, GRID_REVERSE), S(DEFAULT, DEFAULT, GRID_REVERSE)},
    [ROLE_CAPTION] = {S(DEFAULT, DEFAULT, GRID_BOLD), S(DEFAULT, DEFAULT, GRID_BOLD)},
    [ROLE_FLASH] = {S(YELLOW, DEFAULT, GRID_BOLD), S(DEFAULT, DEFAULT, GRID_BOLD | GRID_UNDERLINE)},
    [ROLE_FRAME] = {S(CYAN, DEFAULT, 0), S(DEFAULT, DEFAULT, 0)},
    [ROLE_TAB] = {S(DEFAULT, DEFAULT, 0), S(DEFAULT, DEFAULT, 0)},
    [ROLE_TAB_ON] = {S(WHITE, BLUE, GRID_BOLD), S(DEFAULT, DEFAULT, GRID_REVERSE | GRID_BOLD)},
    [ROLE_GOOD] = {S(GREEN, DEFAULT, GRID_BOLD), S(DEFAULT, DEFAULT, GRID_BOLD)},
    [ROLE_BAD] = {S(WHITE, RED, GRID_BOLD), S(DEFAULT, DEFAULT, GRID_REVERSE | GRID_BOLD)},
    [ROLE_BAR] = {S(CYAN, DEFAULT, 0), S(DEFAULT, DEFAULT, 0)},
};

#undef S

struct grid_style view_style(const struct view_ctx *c, enum view_role r)
{
	return roles[r][c->colour ? 0 : 1];
}

struct grid_style view_state_style(const struct view_ctx *c, enum state s)
{
	struct grid_style st = grid_plain;

	if (c->colour)
		st.fg = (uint8_t)state_colour(s);
	return st;
}

uint32_t view_state_cp(const struct view_ctx *c, enum state s)
{
	const char *g = state_glyph(s);

	if (c->ascii)
		return (uint32_t)(unsigned char)state_ascii(s);
	return grid_utf8_next(&g);
}

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
/* Numbers                                                             */
/* ------------------------------------------------------------------ */

void view_fmt_time(char *buf, size_t len, uint64_t ns)
{
	double ms = (double)ns / 1e6;

	if (ns < 1000000 && ns > 0)
		snprintf(buf, len, "%.0f us", (double)ns / 1e3);
	else if (ms < 10000)
		snprintf(buf, len, "%.1f ms", ms);
	else
		snprintf(buf, len, "%.2f s", ms / 1e3);
}

void view_fmt_tick(char *buf, size_t len, uint64_t ns)
{
	if (ns == 0)
		snprintf(buf, len, "0");
	else if (ns < 1000000)
		snprintf(buf, len, "%gus", (double)ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%gms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%gs", (double)ns / 1e9);
}

/* ------------------------------------------------------------------ */
/* Header, tabs, key bar                                               */
/* ------------------------------------------------------------------ */

static const struct {
	const char *text;
	enum view_role role;
} badges[] = {
    [VIEW_LIVE] = {" \u25cf LIVE ", ROLE_BADGE_LIVE},
    [VIEW_PAUSED] = {" \u2016 PAUSED ", ROLE_BADGE_PAUSED},
    [VIEW_REPLAY] = {" \u25b6 REPLAY ", ROLE_BADGE_REPLAY},
    [VIEW_DONE] = {" \u25a0 DONE ", ROLE_BADGE_DONE},
};

void view_header(struct grid *g, const struct view_ctx *c, int y)
{
	struct grid_style hd = view_style(c, ROLE_HEADER), hb = view_style(c, ROLE_HEADER_BOLD);
	const struct trace *tr = c->npanels > 0 ? c->panels[0].tr : NULL;
	char now[32], end[32], what[128], right[128];
	enum view_badge b = view_badge(c);
	int n;

	/* The right end first (time, speed, badge): the names give way to it. */
	grid_fill(g, 0, y, g->w, 1, ' ', hd);
	int bw = grid_text_width(badges[b].text);
	grid_text(g, g->w - bw, y, bw, badges[b].text, view_style(c, badges[b].role));
	view_fmt_time(now, sizeof now, c->pl.cursor);
	view_fmt_time(end, sizeof end, view_player_end(c->panels, c->npanels));
	n = snprintf(right, sizeof right, "t=%s / %s \u2502 %g\u00d7 ", now, end,
		     view_player_speed(&c->pl));
	if (c->pl.zoom > 0)
		n += snprintf(right + n, sizeof right - (size_t)n, "\u2502 zoom %llu\u00d7 ",
			      1ull << c->pl.zoom);
	view_step_status(c, right + n, sizeof right - (size_t)n);
	n = (int)strlen(right);
	view_pair_status(c, right + n, sizeof right - (size_t)n);
	int rw = grid_text_width(right);
	int limit = g->w - bw - rw - 1;
	grid_text(g, limit + 1, y, rw, right, hd);

	int x = grid_text(g, 0, y, limit, " conctui ", hb);
	x += grid_text(g, x, y, limit - x, "\u2502 ", hd);
	x += grid_text(g, x, y, limit - x, c->scenario[0] ? c->scenario : "-", hb);
	if (c->overview || c->npanels > 1)
		snprintf(what, sizeof what, " \u2502 %d executors", c->npanels);
	else if (tr) {
		snprintf(what, sizeof what, " \u2502 %s \u00b7 %s", tr->meta.backend,
			 model_name(tr->meta.model));
		if (x + grid_text_width(what) > limit) /* narrow: the model goes */
			snprintf(what, sizeof what, " \u2502 %s", tr->meta.backend);
	} else
		snprintf(what, sizeof what, " \u2502 %s", c->panels[0].note);
	grid_text(g, x, y, limit - x, what, hd);
}

void view_tabs(struct grid *g, const struct view_ctx *c, int y)
{
	int tabs_w = 0, cur = view_current(c);

	for (int i = 0; i < view_count; i++)
		if (view_applies(c, i))
			tabs_w += grid_text_width(view_table[i]->name) + 2;
	int x = g->w - tabs_w;
	if (c->source[0])
		grid_textf(g, 1, y, x - 2, view_style(c, ROLE_TITLE), "%s  (%s)", c->title,
			   c->source);
	else
		grid_text(g, 1, y, x - 2, c->title, view_style(c, ROLE_TITLE));
	for (int i = 0; i < view_count; i++) {
		if (!view_applies(c, i))
			continue;
		enum view_role r = i == cur ? ROLE_TAB_ON : ROLE_TAB;
		x += grid_textf(g, x, y, -1, view_style(c, r), " %s ", view_table[i]->name);
		x += grid_text(g, x, y, -1, " ", grid_plain) - 1;
	}
}

void view_keybar(struct grid *g, const struct view_ctx *c, int y)
{
	if (c->finding) {
		view_find_compose(g, c, y); /* the prompt takes the key bar's place */
		return;
	}
	const struct view_key *items[VA_COUNT];
	int n = 0, width = 0;

	for (int i = 0; i < view_nkeys; i++)
		if (view_keys[i].hint)
			items[n++] = &view_keys[i];
	for (int i = 0; i < n; i++)
		width += grid_text_width(items[i]->hint) + 1;
	/* Too narrow: drop items before the last two (help and quit stay). */
	while (width > g->w && n > 2) {
		width -= grid_text_width(items[n - 3]->hint) + 1;
		memmove(&items[n - 3], &items[n - 2], 2 * sizeof items[0]);
		n--;
	}
	int x = 0;
	for (int i = 0; i < n; i++) {
		const char *sp = strchr(items[i]->hint, ' ');
		char key[16];
		int kl = sp ? (int)(sp - items[i]->hint) : 0;

		snprintf(key, sizeof key, "%.*s", kl, items[i]->hint);
		x += grid_text(g, x, y, -1, key, view_style(c, ROLE_KEY));
		x += grid_textf(g, x, y, -1, view_style(c, ROLE_KEYLABEL), "%s ", sp ? sp : "");
	}
	grid_fill(g, x, y, g->w - x, 1, ' ', view_style(c, ROLE_KEYLABEL));
}

/* ------------------------------------------------------------------ */
/* Legend, figures, caption, narration                                 */
/* ------------------------------------------------------------------ */

void view_legend(struct grid *g, const struct view_ctx *c, int x, int y)
{
	const char *mixed = STATE_MIXED_GLYPH;
	char more[64] = "";

	for (int s = 0; s < STATE_COUNT && x < g->w; s++) {
		if (s == STATE_DONE)
			continue;
		grid_put(g, x, y, view_state_cp(c, (enum state)s),
			 view_state_style(c, (enum state)s));
		x +=
		    1 + grid_textf(g, x + 1, y, -1, grid_plain, " %s  ", state_name((enum state)s));
	}
	/* The mixed glyph, and how many cells on screen are mixed: zooming in splits them. */
	grid_put(g, x, y,
		 c->ascii ? (uint32_t)(unsigned char)STATE_MIXED_ASCII : grid_utf8_next(&mixed),
		 grid_plain);
	if (c->mixed > 0)
		snprintf(more, sizeof more, ": %d cell%s, + to zoom", c->mixed,
			 c->mixed == 1 ? "" : "s");
	if (c->mixed > 0 && x + 8 + grid_text_width(more) > g->w - 1)
		snprintf(more, sizeof more, " %d +", c->mixed); /* narrow: count and key */
	grid_textf(g, x + 1, y, g->w - x - 2, c->mixed > 0 ? view_style(c, ROLE_FLASH) : grid_plain,
		   " mixed%s", more);
}

void view_bar(struct grid *g, int x, int y, int w, double v, double max, struct grid_style st)
{
	static const uint32_t eighths[8] = {' ',    0x258f, 0x258e, 0x258d,
					    0x258c, 0x258b, 0x258a, 0x2589};
	int n = max > 0 && v > 0 ? (int)(v / max * w * 8 + 0.5) : 0;

	if (v > 0 && n < 1)
		n = 1; /* what ran at all shows */
	if (n > w * 8)
		n = w * 8;
	for (int i = 0; i < n / 8; i++)
		grid_put(g, x + i, y, 0x2588, st);
	if (n % 8)
		grid_put(g, x + n / 8, y, eighths[n % 8], st);
}

void view_figures(struct grid *g, const struct view_ctx *c, int y)
{
	const struct trace *tr = c->npanels > 0 ? c->panels[0].tr : NULL;
	char buf[256], t[32];
	int n = 0;

	if (!tr)
		return;
	int lock = trace_lock_lane(tr);
	if (!c->panels[0].live && !c->stats) {
		view_fmt_time(t, sizeof t, view_player_end(c->panels, 1));
		snprintf(buf, sizeof buf, "wall %s", t);
		grid_text(g, 1, y, g->w - 2, buf, grid_plain);
		return;
	}
	if (c->panels[0].live) {
		view_fmt_time(t, sizeof t, c->panels[0].now_ns);
		n += snprintf(buf + n, sizeof buf - (size_t)n, "elapsed %s (running)", t);
		if (lock >= 0)
			n += snprintf(buf + n, sizeof buf - (size_t)n, " \u00b7 GIL holds %u",
				      trace_count(tr, lock));
		grid_text(g, 1, y, g->w - 2, buf, grid_plain);
		return;
	}
	const struct stats *st = c->stats;
	view_fmt_time(t, sizeof t, (uint64_t)(st->wall_ms * 1e6));
	n += snprintf(buf + n, sizeof buf - (size_t)n, "wall %s", t);
	view_fmt_time(t, sizeof t, (uint64_t)(st->cpu_ms * 1e6));
	n += snprintf(buf + n, sizeof buf - (size_t)n, " \u00b7 cpu %s", t);
	if (tr->meta.model == MODEL_SEQUENTIAL)
		n += snprintf(buf + n, sizeof buf - (size_t)n, " \u00b7 the sequential baseline");
	else if (c->seq_wall_ms > 0 && st->wall_ms > 0)
		n += snprintf(buf + n, sizeof buf - (size_t)n,
			      " \u00b7 speedup %.2f\u00d7 vs sequential%s",
			      c->seq_wall_ms / st->wall_ms, c->seq_estimated ? " (est.)" : "");
	if (lock >= 0)
		n += snprintf(buf + n, sizeof buf - (size_t)n, " \u00b7 GIL switches %llu",
			      (unsigned long long)tr->meta.gil_switches);
	if (st->max_running > 0)
		n += snprintf(buf + n, sizeof buf - (size_t)n, " \u00b7 max %d running at once",
			      st->max_running);
	grid_text(g, 1, y, g->w - 2, buf, grid_plain);
}

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
