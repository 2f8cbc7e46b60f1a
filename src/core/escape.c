/*
 * escape.c -- text from input, made safe to show (see escape.h).
 */
#include "escape.h"

#include <stdio.h>
#include <string.h>

/* The mark of a value cut short: one column, three bytes. */
#define ELLIPSIS "\u2026"
#define ELLIPSIS_LEN (sizeof ELLIPSIS - 1)
#define ELLIPSIS_COLS 1

/* ---- UTF-8 ------------------------------------------------------------------ */

int escape_utf8_len(const char *s, size_t left)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	int len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	/* The second byte's range is what rules out overlongs and surrogates. */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= left)
			return -1;
		if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xbf))
			return 0;
	}
	return len;
}

size_t escape_utf8_cut(const char *s, size_t n)
{
	size_t m = 0;

	while (m < n) {
		int len = escape_utf8_len(s + m, n - m);
		if (len < 0)
			break;
		m += len ? (size_t)len : 1;
	}
	return m;
}

/* The code point of the valid sequence of LEN bytes at P. */
static uint32_t decode(const unsigned char *p, int len)
{
	uint32_t cp = len == 1 ? p[0] : p[0] & (0x7fu >> len);

	for (int i = 1; i < len; i++)
		cp = cp << 6 | (p[i] & 0x3fu);
	return cp;
}

/*
 * A small fixed table rather than wcwidth(): the answer must not depend on
 * the locale, so that tests, the chart and the terminal agree on columns.
 */
int escape_cp_width(uint32_t cp)
{
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp != 0x303f) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

/*
 * C0, DEL and C1 drive a terminal; the line and paragraph separators end a
 * line; the bidirectional marks, embeddings, overrides and isolates reorder
 * what follows them, so a name could pose as another ("Trojan Source").
 */
bool escape_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x061c || cp == 0x200e ||
	       cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* ---- one character ---------------------------------------------------------- */

static size_t put_hex(char *out, char kind, uint32_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	out[n++] = '\\';
	out[n++] = kind;
	for (int i = digits - 1; i >= 0; i--)
		out[n++] = hex[(v >> (4 * i)) & 0xf];
	return n;
}

/* The short escapes people know; 0 for a character that has none. */
static char short_escape(uint32_t cp, unsigned flags)
{
	switch (cp) {
	case '\n':
		return 'n';
	case '\r':
		return 'r';
	case '\t':
		return 't';
	case '\\':
		return flags & ESCAPE_QUOTED ? '\\' : 0;
	case '"':
		return flags & ESCAPE_QUOTED ? '"' : 0;
	default:
		return 0;
	}
}

size_t escape_char(const char *s, size_t left, unsigned flags, char *out, size_t *outlen, int *cols)
{
	const unsigned char *p = (const unsigned char *)s;
	int len = escape_utf8_len(s, left);
	uint32_t cp;
	char c;

	if (len <= 0) {
		/* Not UTF-8: each byte shows as what it is. */
		*outlen = put_hex(out, 'x', p[0], 2);
		*cols = (int)*outlen;
		return 1;
	}
	cp = decode(p, len);
	if ((c = short_escape(cp, flags)) != 0) {
		out[0] = '\\';
		out[1] = c;
		*outlen = 2;
	} else if (cp < 0x80 && escape_is_control(cp)) {
		*outlen = put_hex(out, 'x', cp, 2);
	} else if (escape_is_control(cp)) {
		*outlen = put_hex(out, 'u', cp, 4);
	} else {
		memcpy(out, s, (size_t)len);
		*outlen = (size_t)len;
		*cols = escape_cp_width(cp);
		return (size_t)len;
	}
	*cols = (int)*outlen;
	return (size_t)len;
}

/* ---- whole strings ---------------------------------------------------------- */

const char *escape_textn(char *buf, size_t cap, const char *s, size_t n, int maxcols,
			 unsigned flags)
{
	size_t len = 0, mark = 0;
	int cols = 0;
	bool cut = false;

	if (cap == 0)
		return buf;
	while (n > 0) {
		char piece[ESCAPE_CHAR_MAX];
		size_t plen;
		int pcols;
		size_t used = escape_char(s, n, flags, piece, &plen, &pcols);

		if ((maxcols >= 0 && cols + pcols > maxcols) || len + plen >= cap) {
			cut = true;
			break;
		}
		memcpy(buf + len, piece, plen);
		len += plen;
		cols += pcols;
		/* The last place an ellipsis would still fit after. */
		if ((maxcols < 0 || cols + ELLIPSIS_COLS <= maxcols) && len + ELLIPSIS_LEN < cap)
			mark = len;
		s += used;
		n -= used;
	}
	if (cut && (maxcols < 0 || maxcols >= ELLIPSIS_COLS) && ELLIPSIS_LEN < cap) {
		memcpy(buf + mark, ELLIPSIS, ELLIPSIS_LEN);
		len = mark + ELLIPSIS_LEN;
	}
	buf[len] = '\0';
	return buf;
}

const char *escape_text(char *buf, size_t cap, const char *s, int maxcols, unsigned flags)
{
	return escape_textn(buf, cap, s ? s : "", s ? strlen(s) : 0, maxcols, flags);
}

int escape_cols(const char *s, unsigned flags)
{
	size_t left = strlen(s);
	int n = 0;

	while (left > 0) {
		char piece[ESCAPE_CHAR_MAX];
		size_t plen;
		int pcols;
		size_t used = escape_char(s, left, flags, piece, &plen, &pcols);

		n += pcols;
		s += used;
		left -= used;
	}
	return n;
}

const char *escape_echo(char *buf, const char *s)
{
	return escape_text(buf, ESCAPE_ECHO_SIZE, s, ESCAPE_ECHO_COLS, ESCAPE_QUOTED);
}

const char *escape_echon(char *buf, const char *s, size_t n)
{
	return escape_textn(buf, ESCAPE_ECHO_SIZE, s, n, ESCAPE_ECHO_COLS, ESCAPE_QUOTED);
}

void escape_error(char *err, size_t errlen, const char *file, int line, const char *msg)
{
	char safe[512], name[512];

	if (!err || errlen == 0)
		return;
	/* Values were escaped where they were put in; this holds for any that were not. */
	escape_text(safe, sizeof safe, msg, -1, 0);
	escape_text(name, sizeof name, file, -1, 0);
	if (line > 0)
		snprintf(err, errlen, "%s:%d: %s", name, line, safe);
	else
		snprintf(err, errlen, "%s: %s", name, safe);
}
