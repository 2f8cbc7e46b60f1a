/*
 * grid.c -- the cell grid views compose into, and its UTF-8 helpers.
 */
#include "grid.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

const struct grid_style grid_plain = {COLOUR_DEFAULT, COLOUR_DEFAULT, 0};

/* ------------------------------------------------------------------ */
/* UTF-8 and widths                                                    */
/* ------------------------------------------------------------------ */

uint32_t grid_utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t cp;
	int n;

	if (p[0] < 0x80) {
		*s += 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		cp = p[0] & 0x1f;
		n = 1;
	} else if ((p[0] & 0xf0) == 0xe0) {
		cp = p[0] & 0x0f;
		n = 2;
	} else if ((p[0] & 0xf8) == 0xf0) {
		cp = p[0] & 0x07;
		n = 3;
	} else {
		*s += 1;
		return 0xfffd;
	}
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			/* A truncated sequence: skip what was read, never past a NUL. */
			*s += i;
			return 0xfffd;
		}
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	*s += n + 1;
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0xfffd;
	return cp;
}

int grid_utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The one column table (escape.c), so the chart and the screen agree. */
int grid_cp_width(uint32_t cp)
{
	return escape_cp_width(cp);
}

int grid_text_width(const char *s)
{
	return escape_cols(s, 0);
}

char grid_ascii_fold(uint32_t cp)
{
	static const struct {
		uint32_t cp;
		char c;
	} fold[] = {
	    {0x2014, '-'},  {0x2013, '-'},
	    {0x2192, '>'},  {0x2190, '<'},
	    {0x2191, '^'},  {0x2193, 'v'},
	    {0x00d7, 'x'},  {0x00b7, '.'},
	    {0x2026, '.'},  {0x25b6, '>'},
	    {0x25bc, 'v'},  {0x25b2, '^'},
	    {0x2500, '-'},  {0x2502, '|'},
	    {0x250c, '+'},  {0x2510, '+'},
	    {0x2514, '+'},  {0x2518, '+'},
	    {0x251c, '+'},  {0x2524, '+'},
	    {0x252c, '+'},  {0x2534, '+'},
	    {0x253c, '+'},  {0x2588, '#'},
	    {0x2591, '.'},  {0x2592, '-'},
	    {0x2593, '~'},  {0x2573, 'x'},
	    {0x2019, '\''}, {0x201c, '"'},
	    {0x201d, '"'},  {0x00a0, ' '},
	    {0x25a0, '#'},  {0x25cf, '*'},
	    {0x2016, '|'},  {0x00bb, '>'},
	    {0x2575, '|'},  {0x259a, STATE_MIXED_ASCII},
	};

	if (cp >= 0x20 && cp < 0x7f)
		return (char)cp;
	for (size_t i = 0; i < sizeof fold / sizeof fold[0]; i++)
		if (fold[i].cp == cp)
			return fold[i].c;
	if (cp >= 0x2589 && cp <= 0x258f)
		return '#'; /* partial blocks */
	return '?';
}

/* ------------------------------------------------------------------ */
/* The grid                                                            */
/* ------------------------------------------------------------------ */

struct grid *grid_new(int w, int h, bool ascii)
{
	struct grid *g = calloc(1, sizeof *g);

	if (!g)
		return NULL;
	g->ascii = ascii;
	if (grid_resize(g, w, h) < 0) {
		free(g);
		return NULL;
	}
	return g;
}

void grid_free(struct grid *g)
{
	if (!g)
		return;
	free(g->cells);
	free(g->tags);
	free(g);
}

int grid_resize(struct grid *g, int w, int h)
{
	if (w < 0)
		w = 0;
	if (h < 0)
		h = 0;
	size_t n = (size_t)w * (size_t)h;
	struct grid_cell *cells = calloc(n ? n : 1, sizeof *cells);
	int *tags = calloc(h ? (size_t)h : 1, sizeof *tags);

	if (!cells || !tags) {
		free(cells);
		free(tags);
		return -1;
	}
	free(g->cells);
	free(g->tags);
	g->cells = cells;
	g->tags = tags;
	g->w = w;
	g->h = h;
	grid_clear(g);
	return 0;
}

void grid_clear(struct grid *g)
{
	size_t n = (size_t)g->w * (size_t)g->h;

	for (size_t i = 0; i < n; i++) {
		g->cells[i].ch = ' ';
		g->cells[i].st = grid_plain;
	}
	if (g->h > 0)
		memset(g->tags, 0, (size_t)g->h * sizeof *g->tags);
}

const struct grid_cell *grid_at(const struct grid *g, int x, int y)
{
	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return NULL;
	return &g->cells[(size_t)y * (size_t)g->w + (size_t)x];
}

static struct grid_cell *cell(struct grid *g, int x, int y)
{
	return (struct grid_cell *)grid_at(g, x, y);
}

/*
 * Overwriting half of a wide character would leave the other half
 * dangling on screen, so the orphan becomes a space.
 */
static void unpair(struct grid *g, int x, int y)
{
	struct grid_cell *c = cell(g, x, y);

	if (!c)
		return;
	if (c->ch == GRID_WIDE_TAIL) {
		struct grid_cell *head = cell(g, x - 1, y);
		if (head)
			head->ch = ' ';
	} else if (grid_cp_width(c->ch) == 2) {
		struct grid_cell *tail = cell(g, x + 1, y);
		if (tail && tail->ch == GRID_WIDE_TAIL)
			tail->ch = ' ';
	}
}

int grid_put(struct grid *g, int x, int y, uint32_t cp, struct grid_style st)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		cp = '?';
	if (g->ascii && cp >= 0x80)
		cp = (uint32_t)grid_ascii_fold(cp);
	int w = grid_cp_width(cp);

	if (w == 0 || !cell(g, x, y))
		return 0;
	if (w == 2 && !cell(g, x + 1, y))
		cp = ' ', w = 1; /* a wide character cut by the edge */
	unpair(g, x, y);
	if (w == 2)
		unpair(g, x + 1, y);
	struct grid_cell *c = cell(g, x, y);
	c->ch = cp;
	c->st = st;
	if (w == 2) {
		c[1].ch = GRID_WIDE_TAIL;
		c[1].st = st;
	}
	return w;
}

/*
 * Text is rendered by escape.c first, so a control character or a bad byte
 * from a file shows as its escape (\x1b) and no view can draw one raw.  An
 * escape is drawn whole or not at all.
 */
int grid_text(struct grid *g, int x, int y, int maxw, const char *s, struct grid_style st)
{
	int used = 0;
	size_t left;

	if (!s || y < 0 || y >= g->h)
		return 0;
	if (maxw < 0 || x + maxw > g->w)
		maxw = g->w - x;
	left = strlen(s);
	while (left > 0 && used < maxw) {
		char piece[ESCAPE_CHAR_MAX + 1];
		size_t plen;
		int cols;
		size_t n = escape_char(s, left, 0, piece, &plen, &cols);
		const char *q = piece;

		if (g->ascii && (unsigned char)piece[0] >= 0x80)
			cols = 1; /* folded to one ASCII character */
		if (used + cols > maxw)
			break;
		piece[plen] = '\0';
		while (*q) {
			uint32_t cp = grid_utf8_next(&q);
			if (x + used >= 0)
				grid_put(g, x + used, y, cp, st);
			used += g->ascii && cp >= 0x80 ? 1 : grid_cp_width(cp);
		}
		s += n;
		left -= n;
	}
	return used;
}

int grid_textf(struct grid *g, int x, int y, int maxw, struct grid_style st, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return grid_text(g, x, y, maxw, buf, st);
}

void grid_fill(struct grid *g, int x, int y, int w, int h, uint32_t cp, struct grid_style st)
{
	for (int j = y; j < y + h; j++)
		for (int i = x; i < x + w; i++)
			grid_put(g, i, j, cp, st);
}

void grid_restyle(struct grid *g, int x, int y, int w, struct grid_style st)
{
	for (int i = x; i < x + w; i++) {
		struct grid_cell *c = cell(g, i, y);
		if (c)
			c->st = st;
	}
}

void grid_box(struct grid *g, int x, int y, int w, int h, struct grid_style st)
{
	if (w < 2 || h < 2)
		return;
	for (int i = x + 1; i < x + w - 1; i++) {
		grid_put(g, i, y, 0x2500, st);
		grid_put(g, i, y + h - 1, 0x2500, st);
	}
	for (int j = y + 1; j < y + h - 1; j++) {
		grid_put(g, x, j, 0x2502, st);
		grid_put(g, x + w - 1, j, 0x2502, st);
	}
	grid_put(g, x, y, 0x250c, st);
	grid_put(g, x + w - 1, y, 0x2510, st);
	grid_put(g, x, y + h - 1, 0x2514, st);
	grid_put(g, x + w - 1, y + h - 1, 0x2518, st);
}

void grid_set_tag(struct grid *g, int y, int tag)
{
	if (y >= 0 && y < g->h)
		g->tags[y] = tag;
}

int grid_tag(const struct grid *g, int y)
{
	return y >= 0 && y < g->h ? g->tags[y] : 0;
}

size_t grid_row_text(const struct grid *g, int y, char *buf, size_t len)
{
	size_t n = 0, keep = 0;

	if (len == 0)
		return 0;
	for (int x = 0; y >= 0 && y < g->h && x < g->w; x++) {
		const struct grid_cell *c = grid_at(g, x, y);
		char enc[5];
		int k;

		if (c->ch == GRID_WIDE_TAIL)
			continue;
		k = grid_utf8_put(c->ch, enc);
		if (n + (size_t)k >= len)
			break;
		memcpy(buf + n, enc, (size_t)k);
		n += (size_t)k;
		if (c->ch != ' ')
			keep = n;
	}
	buf[keep] = '\0';
	return keep;
}
