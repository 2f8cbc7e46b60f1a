/*
 * escape.h -- text from input, made safe to show: the one rule for UTF-8.
 *
 * A scenario file, a record or a command-line value may hold any bytes.
 * Before such text reaches a message, the chart or the screen it is
 * rendered here: valid printable UTF-8 is kept, a control character (C0,
 * DEL, C1, the bidirectional overrides, the line separators) is shown as an
 * escape (\n, \r, \t, \x1b, \u202e) and a byte that is not UTF-8 as \xNN,
 * so nothing from a file can move the cursor, change colours or end a line.
 *
 * This module also owns what every other one needs to know about UTF-8:
 * how long a valid sequence is, and how many columns a character takes.
 */
#ifndef CONCTUI_ESCAPE_H
#define CONCTUI_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes the rendering of one character takes at most ("\u202e", or UTF-8). */
#define ESCAPE_CHAR_MAX 8

/* Columns of a value echoed in a message, and the buffer that holds it. */
#define ESCAPE_ECHO_COLS 60
#define ESCAPE_ECHO_SIZE (ESCAPE_ECHO_COLS * 4 + 1)

enum escape_flags {
	/* The text is shown between double quotes: '\\' and '"' are escaped too. */
	ESCAPE_QUOTED = 1 << 0,
};

/*
 * The length of the valid UTF-8 sequence at S (LEFT bytes remain, LEFT > 0),
 * 0 when it is invalid, -1 when the end cuts it off.  As strict as jansson:
 * no overlong forms, no surrogates, nothing above U+10FFFF.
 */
int escape_utf8_len(const char *s, size_t left);
/* The longest prefix of S, at most N bytes, that does not end inside a character. */
size_t escape_utf8_cut(const char *s, size_t n);

/* Display columns of a printable code point (0, 1 or 2), whatever the locale. */
int escape_cp_width(uint32_t cp);
/* Whether CP must never reach a terminal as it is. */
bool escape_is_control(uint32_t cp);

/*
 * Renders the character at S (LEFT > 0 bytes remain) into OUT, which holds
 * ESCAPE_CHAR_MAX bytes (no NUL is added): its length goes to *OUTLEN and
 * its columns to *COLS.  Returns the bytes of S it used (at least 1).
 */
size_t escape_char(const char *s, size_t left, unsigned flags, char *out, size_t *outlen,
		   int *cols);

/*
 * Renders the N bytes at S (NUL bytes included) into BUF of CAP bytes,
 * always NUL-terminated.  When the rendering needs more than MAXCOLS
 * columns (MAXCOLS < 0: no limit) or more than CAP bytes, it is cut after
 * a whole character and ends with an ellipsis.  Returns BUF.
 */
const char *escape_textn(char *buf, size_t cap, const char *s, size_t n, int maxcols,
			 unsigned flags);
/* The same for a NUL-terminated string. */
const char *escape_text(char *buf, size_t cap, const char *s, int maxcols, unsigned flags);
/* Columns the rendering of S takes. */
int escape_cols(const char *s, unsigned flags);

/*
 * A value for a message between double quotes, in ESCAPE_ECHO_COLS columns
 * at most: BUF holds ESCAPE_ECHO_SIZE bytes.  S may be NULL (shown empty).
 */
const char *escape_echo(char *buf, const char *s);
/* The same for the N bytes at S. */
const char *escape_echon(char *buf, const char *s, size_t n);

/*
 * The one form of a message about input: "file:LINE: MSG", or "file: MSG"
 * when LINE is 0, with FILE and MSG escaped, into ERR of ERRLEN bytes.
 */
void escape_error(char *err, size_t errlen, const char *file, int line, const char *msg);

#endif
