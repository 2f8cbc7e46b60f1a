/*
 * view_header.c -- the rows that frame every view: the header (scenario,
 * executor, time, speed and the badge), the tabs, the key bar, the legend
 * of the states and the figures line.  They live apart from the views so
 * that every view frames its picture alike.
 */
#include "view_ctx.h"

#include <stdio.h>
#include <string.h>

#include "view_find.h"
#include "view_pair.h"

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

/*
 * The right end of the header: time (with the run's end unless SHORTER),
 * speed, zoom and the step mode.
 */
static void header_right(const struct view_ctx *c, int shorter, char *buf, size_t len)
{
	char now[32], end[32];
	int n;

	view_fmt_time(now, sizeof now, c->pl.cursor);
	view_fmt_time(end, sizeof end, view_player_end(c->panels, c->npanels));
	n = snprintf(buf, len, "t=%s%s%s \u2502 %g\u00d7 ", now, shorter ? "" : " / ",
		     shorter ? "" : end, view_player_speed(&c->pl));
	if (c->pl.zoom > 0)
		n += snprintf(buf + n, len - (size_t)n, "\u2502 zoom %llu\u00d7 ",
			      1ull << c->pl.zoom);
	view_step_status(c, buf + n, len - (size_t)n);
}

/* What runs, after the scenario's name: the full words, or fewer when SHORTER. */
static void header_what(const struct view_ctx *c, int shorter, char *buf, size_t len)
{
	const struct trace *tr = c->npanels > 0 ? c->panels[0].tr : NULL;
	char pair[96];

	view_pair_status(c, pair, sizeof pair);
	if (pair[0])
		snprintf(buf, len, " \u2502 %s", shorter ? pair + strlen("pair: ") : pair);
	else if (c->overview || c->npanels > 1)
		snprintf(buf, len, " \u2502 %d executors", c->npanels);
	else if (tr && shorter)
		snprintf(buf, len, " \u2502 %s", tr->meta.backend);
	else if (tr)
		snprintf(buf, len, " \u2502 %s \u00b7 %s", tr->meta.backend,
			 model_name(tr->meta.model));
	else
		snprintf(buf, len, " \u2502 %s", c->panels[0].note);
}

/*
 * The header: " conctui │ SCENARIO │ WHAT", then time, speed and the badge
 * at the right end.  When the row is narrow, the first of these that fits:
 * everything; WHAT shortened (no model, or the pair without "pair:"); the
 * time without the run's end; both shortened.  Past that the names are cut.
 */
void view_header(struct grid *g, const struct view_ctx *c, int y)
{
	struct grid_style hd = view_style(c, ROLE_HEADER), hb = view_style(c, ROLE_HEADER_BOLD);
	const char *scenario = c->scenario[0] ? c->scenario : "-";
	char what[160], right[160];
	enum view_badge b = view_badge(c);
	int bw = grid_text_width(badges[b].text);
	int left = grid_text_width(" conctui \u2502 ") + grid_text_width(scenario);

	for (int k = 0; k < 4; k++) {
		header_right(c, k >= 2, right, sizeof right);
		header_what(c, k % 2, what, sizeof what);
		if (left + grid_text_width(what) <= g->w - bw - grid_text_width(right) - 1)
			break;
	}
	grid_fill(g, 0, y, g->w, 1, ' ', hd);
	grid_text(g, g->w - bw, y, bw, badges[b].text, view_style(c, badges[b].role));
	int rw = grid_text_width(right);
	int limit = g->w - bw - rw - 1;
	grid_text(g, limit + 1, y, rw, right, hd);

	int x = grid_text(g, 0, y, limit, " conctui ", hb);
	x += grid_text(g, x, y, limit - x, "\u2502 ", hd);
	x += grid_text(g, x, y, limit - x, scenario, hb);
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
/* Legend and figures                                                  */
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
