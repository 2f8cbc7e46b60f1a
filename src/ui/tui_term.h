/*
 * tui_term.h -- the terminal, the only module that calls curses: taking the
 * screen and giving it back, colours, drawing a grid, and reading keys as
 * view_keys codes.  The program (tui.c) runs its loop on these calls and
 * never sees a curses type.
 */
#ifndef CONCTUI_TUI_TERM_H
#define CONCTUI_TUI_TERM_H

#include <stdbool.h>

#include "grid.h"

/* What tui_term_read found waiting on the terminal. */
enum tui_term_input {
	TUI_TERM_EMPTY,	 /* nothing (more) to read */
	TUI_TERM_KEY,	 /* a key, or a mouse event, as a view_keys code */
	TUI_TERM_RESIZE, /* curses took in a new size: only redraw */
};

/*
 * False when the terminal cannot address the cursor (TERM=dumb, an unknown
 * TERM): the screen would stay empty.  Asked before tui_term_start.
 */
bool tui_term_can_draw(void);

/*
 * Takes the screen: stderr goes to a temporary file until tui_term_stop,
 * the terminal is given back at exit() and on a crash too.  *COLOUR tells
 * whether colours are in use (WANT_COLOUR and the terminal has them).
 * Returns 0, or -1 (stderr given back) when curses cannot start.
 */
int tui_term_start(bool want_colour, bool *colour);
/* Gives the terminal back and replays what was written to stderr meanwhile. */
void tui_term_stop(void);

/* The screen's size in cells. */
void tui_term_size(int *w, int *h);
/* Draws G (the screen's size) in one update; COLOUR: with its colours. */
void tui_term_blit(const struct grid *g, bool colour);
/* The whole screen is drawn again on the next blit (Ctrl-L, a resize). */
void tui_term_redraw(void);
/* SIGWINCH: tells curses the terminal's new size, then redraws. */
void tui_term_resized(void);

/*
 * The next key waiting, without blocking: *CODE a view_keys code (VK_NONE
 * for one that means nothing here), *CLICK_ROW the screen row of a mouse
 * event, -1 for a key.
 */
enum tui_term_input tui_term_read(int *code, int *click_row);

#endif
