/*
 * view_style.c -- how one value looks on screen: each role's style in
 * colour and in monochrome, a state's colour and glyph, a time or an axis
 * tick in words, and a bar in eighths of a cell.  Every view draws its
 * values through these, so that one state, one time, one figure reads the
 * same in every picture.
 */
#include "view_ctx.h"

#include <stdio.h>

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
/* Bars                                                                */
/* ------------------------------------------------------------------ */

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
