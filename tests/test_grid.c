/*
 * test_grid.c -- the cell grid: text, clipping, wide characters, ASCII
 * folding, boxes and reading rows back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "grid.h"

static const char *row(const struct grid *g, int y)
{
	static char buf[4096];

	grid_row_text(g, y, buf, sizeof buf);
	return buf;
}

static void test_text_and_row(void **state)
{
	(void)state;
	struct grid *g = grid_new(20, 3, false);

	assert_non_null(g);
	assert_int_equal(grid_text(g, 2, 1, -1, "hello", grid_plain), 5);
	assert_string_equal(row(g, 0), "");
	assert_string_equal(row(g, 1), "  hello");
	assert_int_equal(grid_at(g, 2, 1)->ch, 'h');
	assert_null(grid_at(g, 20, 0));
	grid_free(g);
}

static void test_clipping(void **state)
{
	(void)state;
	struct grid *g = grid_new(8, 2, false);

	assert_int_equal(grid_text(g, 5, 0, -1, "abcdef", grid_plain), 3);
	assert_string_equal(row(g, 0), "     abc");
	assert_int_equal(grid_text(g, 0, 1, 2, "xyz", grid_plain), 2);
	assert_string_equal(row(g, 1), "xy");
	/* Off-grid rows and negative starts never write outside. */
	assert_int_equal(grid_text(g, 0, 5, -1, "no", grid_plain), 0);
	grid_text(g, -2, 1, 6, "1234", grid_plain);
	assert_string_equal(row(g, 1), "34");
	grid_free(g);
}

static void test_utf8_and_wide(void **state)
{
	(void)state;
	struct grid *g = grid_new(10, 2, false);

	assert_int_equal(grid_text_width("a\u2588b"), 3);
	assert_int_equal(grid_text_width("\u4e2d\u6587"), 4);
	assert_int_equal(grid_text(g, 0, 0, -1, "\u4e2d\u6587x", grid_plain), 5);
	assert_int_equal(grid_at(g, 1, 0)->ch, GRID_WIDE_TAIL);
	assert_string_equal(row(g, 0), "\u4e2d\u6587x");
	/* Overwriting the tail of a wide character blanks its head. */
	grid_put(g, 1, 0, 'z', grid_plain);
	assert_string_equal(row(g, 0), " z\u6587x");
	/* A wide character does not fit in one last column. */
	assert_int_equal(grid_text(g, 9, 1, -1, "\u4e2d", grid_plain), 0);
	/* Bad UTF-8 and controls show as escapes; one that does not fit is left out. */
	assert_int_equal(grid_text(g, 0, 1, -1, "a\xff\tb", grid_plain), 8);
	assert_string_equal(row(g, 1), "a\\xff\\tb");
	assert_int_equal(grid_text_width("a\xff\tb"), 8);
	grid_clear(g);
	assert_int_equal(grid_text(g, 0, 0, 5, "ab\x1b[31m", grid_plain), 2);
	assert_string_equal(row(g, 0), "ab");
	/* A code point put directly is never a control either. */
	grid_put(g, 0, 1, 0x1b, grid_plain);
	grid_put(g, 1, 1, 0x9b, grid_plain);
	assert_string_equal(row(g, 1), "??");
	grid_free(g);
}

static void test_ascii_folding(void **state)
{
	(void)state;
	struct grid *g = grid_new(20, 3, true);

	grid_text(g, 0, 0, -1, "a\u2014b \u2192 \u2588\u2592 \u00d7", grid_plain);
	assert_string_equal(row(g, 0), "a-b > #- x");
	grid_text(g, 0, 1, -1, "\u4e2d!", grid_plain);
	assert_string_equal(row(g, 1), "?!");
	grid_free(g);
}

static void test_box_fill_restyle(void **state)
{
	(void)state;
	struct grid *g = grid_new(6, 4, false);
	struct grid_style rev = {COLOUR_GREEN, COLOUR_DEFAULT, GRID_REVERSE};

	grid_box(g, 0, 0, 6, 4, grid_plain);
	assert_string_equal(row(g, 0), "\u250c\u2500\u2500\u2500\u2500\u2510");
	assert_string_equal(row(g, 1), "\u2502    \u2502");
	assert_string_equal(row(g, 3), "\u2514\u2500\u2500\u2500\u2500\u2518");
	grid_fill(g, 1, 1, 4, 2, '#', grid_plain);
	assert_string_equal(row(g, 2), "\u2502####\u2502");
	grid_restyle(g, 1, 1, 2, rev);
	assert_int_equal(grid_at(g, 1, 1)->st.attr, GRID_REVERSE);
	assert_int_equal(grid_at(g, 1, 1)->ch, '#');
	assert_int_equal(grid_at(g, 3, 1)->st.attr, 0);
	grid_free(g);

	g = grid_new(6, 3, true);
	grid_box(g, 0, 0, 6, 3, grid_plain);
	assert_string_equal(row(g, 0), "+----+");
	assert_string_equal(row(g, 1), "|    |");
	grid_free(g);
}

static void test_tags_resize_and_small_buffer(void **state)
{
	(void)state;
	struct grid *g = grid_new(4, 2, false);
	char buf[3];

	grid_set_tag(g, 1, 7);
	assert_int_equal(grid_tag(g, 1), 7);
	assert_int_equal(grid_tag(g, 9), 0);
	grid_text(g, 0, 0, -1, "abcd", grid_plain);
	assert_int_equal(grid_row_text(g, 0, buf, sizeof buf), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(grid_resize(g, 10, 5), 0);
	assert_int_equal(g->w, 10);
	assert_int_equal(grid_tag(g, 1), 0);
	assert_string_equal(row(g, 0), "");
	assert_int_equal(grid_resize(g, 0, 0), 0);
	assert_string_equal(row(g, 0), "");
	grid_free(g);
}

static void test_textf(void **state)
{
	(void)state;
	struct grid *g = grid_new(30, 1, false);

	grid_textf(g, 0, 0, -1, grid_plain, "t=%.1f ms %s", 812.44, "B");
	assert_string_equal(row(g, 0), "t=812.4 ms B");
	grid_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_and_row),
	    cmocka_unit_test(test_clipping),
	    cmocka_unit_test(test_utf8_and_wide),
	    cmocka_unit_test(test_ascii_folding),
	    cmocka_unit_test(test_box_fill_restyle),
	    cmocka_unit_test(test_tags_resize_and_small_buffer),
	    cmocka_unit_test(test_textf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
