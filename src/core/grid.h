/*
 * grid.h -- a plain cell grid: one character and one style per cell.
 *
 * Views compose the screen into a grid; tui_term.c is the only code that turns
 * a grid into curses calls.  Tests compose into a grid and read rows back
 * as UTF-8 text, so nothing on screen needs a terminal to be tested.
 *
 * A wide character (CJK) takes two cells: the first holds the character,
 * the second holds GRID_WIDE_TAIL.  In ASCII mode every code point written
 * is folded to ASCII at the grid, so --ascii holds whatever a view writes.
 */
#ifndef CONCTUI_GRID_H
#define CONCTUI_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

#define GRID_WIDE_TAIL 0u /* the right half of a wide character */

enum grid_attr {
	GRID_BOLD = 1 << 0,
	GRID_REVERSE = 1 << 1,
	GRID_DIM = 1 << 2,
	GRID_UNDERLINE = 1 << 3,
};

/* Colours are the state table's (enum state_colour); DEFAULT is the terminal's. */
struct grid_style {
	uint8_t fg;   /* enum state_colour */
	uint8_t bg;   /* enum state_colour */
	uint8_t attr; /* enum grid_attr bits */
};

struct grid_cell {
	uint32_t ch; /* Unicode code point; GRID_WIDE_TAIL after a wide one */
	struct grid_style st;
};

struct grid {
	int w, h;		 /* columns, rows */
	bool ascii;		 /* fold everything written to ASCII */
	struct grid_cell *cells; /* h rows of w cells */
	int *tags;		 /* per row: what a click there means, 0 = nothing */
};

/* The plain style: default colours, no attributes. */
extern const struct grid_style grid_plain;

struct grid *grid_new(int w, int h, bool ascii);
void grid_free(struct grid *g);
/* Changes the size and clears; returns 0 or -1 (out of memory: the grid is unchanged). */
int grid_resize(struct grid *g, int w, int h);
/* Every cell a plain space, every tag 0. */
void grid_clear(struct grid *g);

/* The cell at X, Y, or NULL when outside. */
const struct grid_cell *grid_at(const struct grid *g, int x, int y);

/* Puts code point CP at X, Y (clipped); returns the columns used (0, 1 or 2). */
int grid_put(struct grid *g, int x, int y, uint32_t cp, struct grid_style st);
/*
 * Writes UTF-8 text at X, Y using at most MAXW columns (clipped to the
 * grid too); returns the columns used.  Control characters and bytes that
 * are not UTF-8 show as escapes (escape.h); grid_put shows them as '?'.
 */
int grid_text(struct grid *g, int x, int y, int maxw, const char *s, struct grid_style st);
int grid_textf(struct grid *g, int x, int y, int maxw, struct grid_style st, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Fills a rectangle with CP. */
void grid_fill(struct grid *g, int x, int y, int w, int h, uint32_t cp, struct grid_style st);
/* Restyles W cells from X, Y, keeping their characters. */
void grid_restyle(struct grid *g, int x, int y, int w, struct grid_style st);
/* A frame around the rectangle (box-drawing lines, or +-| in ASCII mode). */
void grid_box(struct grid *g, int x, int y, int w, int h, struct grid_style st);

void grid_set_tag(struct grid *g, int y, int tag);
int grid_tag(const struct grid *g, int y);

/*
 * Row Y as UTF-8 text with trailing spaces removed, into BUF of LEN bytes
 * (always NUL-terminated).  Returns the length of the text.
 */
size_t grid_row_text(const struct grid *g, int y, char *buf, size_t len);

/* Display columns of a code point (0, 1 or 2), not depending on the locale. */
int grid_cp_width(uint32_t cp);
/* Display columns of UTF-8 text, as grid_text draws it. */
int grid_text_width(const char *s);
/* Decodes one UTF-8 character at *S and advances *S; bad bytes give U+FFFD. */
uint32_t grid_utf8_next(const char **s);
/* Encodes CP as UTF-8 into OUT (at least 5 bytes); returns the byte count. */
int grid_utf8_put(uint32_t cp, char *out);
/* The ASCII stand-in for CP (used in ASCII mode). */
char grid_ascii_fold(uint32_t cp);

#endif
