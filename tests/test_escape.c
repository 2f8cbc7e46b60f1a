/*
 * test_escape.c -- text from input made safe to show: control characters
 * and bad bytes escaped, printable UTF-8 kept, long values cut after a
 * whole character with an ellipsis.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "escape.h"

static const char *esc(const char *s, int maxcols, unsigned flags)
{
	static char buf[1024];

	return escape_text(buf, sizeof buf, s, maxcols, flags);
}

/* No byte below 0x20 and no DEL: nothing a terminal would act on. */
static void assert_inert(const char *s)
{
	for (; *s; s++)
		assert_true((unsigned char)*s >= 0x20 && (unsigned char)*s != 0x7f);
}

static void test_printable_kept(void **state)
{
	(void)state;
	assert_string_equal(esc("hello world", -1, 0), "hello world");
	assert_string_equal(esc("caf\u00e9 \u4e2d\u6587 \u2014 \u2588", -1, 0),
			    "caf\u00e9 \u4e2d\u6587 \u2014 \u2588");
	assert_string_equal(esc("", -1, 0), "");
	assert_string_equal(escape_text((char[8]){0}, 8, NULL, -1, 0), "");
}

static void test_controls_escaped(void **state)
{
	(void)state;
	assert_string_equal(esc("d\ne", -1, 0), "d\\ne");
	assert_string_equal(esc("a\rb\tc", -1, 0), "a\\rb\\tc");
	assert_string_equal(esc("a\x1b[31mRED", -1, 0), "a\\x1b[31mRED");
	assert_string_equal(esc("\x01\x7f", -1, 0), "\\x01\\x7f");
	/* C1 controls in UTF-8 form (CSI is U+009B) and a bidi override. */
	assert_string_equal(esc("a\xc2\x9b"
				"2Jb",
				-1, 0),
			    "a\\u009b2Jb");
	assert_string_equal(esc("x\u202ey", -1, 0), "x\\u202ey");
	assert_string_equal(esc("l\u2028m", -1, 0), "l\\u2028m");
	assert_inert(esc("\x1b]0;title\x07\x1b[2J\r\n", -1, 0));
}

static void test_backslash_and_quote(void **state)
{
	(void)state;
	/* On screen a backslash is itself; between quotes it is doubled. */
	assert_string_equal(esc("C:\\dir \"x\"", -1, 0), "C:\\dir \"x\"");
	assert_string_equal(esc("C:\\dir \"x\"", -1, ESCAPE_QUOTED), "C:\\\\dir \\\"x\\\"");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* A lone continuation byte, an overlong '/', a surrogate, a cut-off sequence. */
	assert_string_equal(esc("a\x80z", -1, 0), "a\\x80z");
	assert_string_equal(esc("\xc0\xaf", -1, 0), "\\xc0\\xaf");
	assert_string_equal(esc("\xed\xa0\x80", -1, 0), "\\xed\\xa0\\x80");
	assert_string_equal(esc("ok\xe2\x80", -1, 0), "ok\\xe2\\x80");
	assert_string_equal(esc("\xf5\xff\xfe", -1, 0), "\\xf5\\xff\\xfe");
	/* A broken sequence does not swallow the good character after it. */
	assert_string_equal(esc("\xe2(x", -1, 0), "\\xe2(x");
}

static void test_binary_junk(void **state)
{
	(void)state;
	char junk[256], buf[2048];

	for (int i = 0; i < 255; i++)
		junk[i] = (char)(i + 1);
	junk[255] = '\0';
	escape_text(buf, sizeof buf, junk, -1, ESCAPE_QUOTED);
	assert_inert(buf);
	assert_non_null(strstr(buf, "\\x1b"));
	assert_non_null(strstr(buf, "\\xff"));
	/* Bytes with NUL among them, given by length. */
	escape_textn(buf, sizeof buf, "a\0b", 3, -1, 0);
	assert_string_equal(buf, "a\\x00b");
}

static void test_cut_with_ellipsis(void **state)
{
	(void)state;
	assert_string_equal(esc("abcdefghij", 5, 0), "abcd\u2026");
	assert_string_equal(esc("abcde", 5, 0), "abcde");
	assert_string_equal(esc("abcdef", 1, 0), "\u2026");
	assert_string_equal(esc("abcdef", 0, 0), "");
	/* An escape is never cut in two: it goes whole, or the ellipsis takes its place. */
	assert_string_equal(esc("ab\x1b[0m", 5, 0), "ab\u2026");
	assert_string_equal(esc("ab\x1b[0m", 7, 0), "ab\\x1b\u2026");
	assert_int_equal(escape_cols(esc("a\nb\x1b", -1, 0), 0), 8);
}

static void test_cut_between_characters(void **state)
{
	(void)state;
	char buf[16];

	/* Wide characters take two columns: the third would not fit in five. */
	assert_string_equal(esc("\u4e2d\u6587\u5b57\u5e93", 5, 0), "\u4e2d\u6587\u2026");
	assert_string_equal(esc("\u4e2d\u6587\u5b57", 6, 0), "\u4e2d\u6587\u5b57");
	/* A small buffer: the cut comes after a whole character, by bytes too. */
	escape_text(buf, 8, "\u00e9\u00e9\u00e9\u00e9\u00e9", -1, 0);
	assert_string_equal(buf, "\u00e9\u00e9\u2026");
	escape_text(buf, 4, "\u4e2d\u6587", -1, 0);
	assert_string_equal(buf, "\u2026");
	escape_text(buf, 7, "\u4e2d\u6587", -1, 0);
	assert_string_equal(buf, "\u4e2d\u6587");
	escape_text(buf, 1, "abc", -1, 0);
	assert_string_equal(buf, "");
}

static void test_overlong_echo(void **state)
{
	(void)state;
	char big[4096], buf[ESCAPE_ECHO_SIZE];

	memset(big, '\x1b', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	escape_echo(buf, big);
	assert_inert(buf);
	assert_true(escape_cols(buf, 0) <= ESCAPE_ECHO_COLS);
	assert_non_null(strstr(buf, "\u2026"));
	/* The worst case for bytes per column: four-byte characters. */
	for (size_t i = 0; i + 4 < sizeof big; i += 4)
		memcpy(big + i, "\U0001f600", 4);
	big[sizeof big - 1 - (sizeof big - 1) % 4] = '\0';
	escape_echo(buf, big);
	assert_true(strlen(buf) < ESCAPE_ECHO_SIZE);
	assert_int_equal(escape_cols(buf, 0), ESCAPE_ECHO_COLS - 1);
	assert_string_equal(escape_echon(buf, "x\"y", 3), "x\\\"y");
	assert_string_equal(escape_echo(buf, NULL), "");
}

static void test_utf8_helpers(void **state)
{
	(void)state;
	assert_int_equal(escape_utf8_len("a", 1), 1);
	assert_int_equal(escape_utf8_len("\u00e9", 2), 2);
	assert_int_equal(escape_utf8_len("\u2014", 3), 3);
	assert_int_equal(escape_utf8_len("\U0001f600", 4), 4);
	assert_int_equal(escape_utf8_len("\u2014", 2), -1);
	assert_int_equal(escape_utf8_len("\xc0\x80", 2), 0);
	assert_int_equal(escape_utf8_len("\xf4\x90\x80\x80", 4), 0);
	/* A cut inside "—" (three bytes) backs off to before it. */
	assert_int_equal(escape_utf8_cut("ab\u2014", 4), 2);
	assert_int_equal(escape_utf8_cut("ab\u2014", 5), 5);
	assert_int_equal(escape_utf8_cut("a\x80\x80", 2), 2);
	assert_int_equal(escape_cp_width('a'), 1);
	assert_int_equal(escape_cp_width(0x4e2d), 2);
	assert_int_equal(escape_cp_width(0x301), 0);
	assert_true(escape_is_control(0x1b));
	assert_true(escape_is_control(0x9b));
	assert_false(escape_is_control(0xa0));
	assert_false(escape_is_control(' '));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_printable_kept),
	    cmocka_unit_test(test_controls_escaped),
	    cmocka_unit_test(test_backslash_and_quote),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_binary_junk),
	    cmocka_unit_test(test_cut_with_ellipsis),
	    cmocka_unit_test(test_cut_between_characters),
	    cmocka_unit_test(test_overlong_echo),
	    cmocka_unit_test(test_utf8_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
