/*
 * test_view_output.c -- the Output view composed from a hand-built trace:
 * the lines printed up to the cursor in time order, with the task that
 * printed each, escaped; the newest kept when they do not fit; the tab
 * only for a run that printed something.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "view_ctx.h"
#include "view_fixture.h"

static void print_at(struct trace *tr, int task, double ms, const char *text)
{
	struct trace_output o = {.t = (uint64_t)(ms * 1e6), .task = task};

	snprintf(o.text, sizeof o.text, "%s", text);
	assert_int_equal(trace_append_output(tr, &o), 0);
}

/* hello on threads, the slots claimed out of time order. */
static struct trace *hello(void)
{
	struct trace *tr = fx_one_core();

	print_at(tr, 0, 0.5, "hello alice");
	print_at(tr, 1, 30, "B done!");
	print_at(tr, 1, 10, "hello \x1b[31mB");
	print_at(tr, 0, 35, "A done!");
	return tr;
}

static void show_output(struct view_ctx *c)
{
	view_show(c, &view_output);
	assert_ptr_equal(view_table[view_current(c)], &view_output);
}

static void test_lines_up_to_the_cursor(void **state)
{
	(void)state;
	struct trace *tr = hello();
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);

	fx_ctx(&c, tr);
	show_output(&c);
	c.pl.cursor = 31 * MS;
	view_compose(g, &c);
	int y = fx_find(g, "hello alice");
	assert_true(y > 0);
	assert_non_null(strstr(fx_row(g, y), "500 us  A"));
	assert_non_null(strstr(fx_row(g, y + 1), "10.0 ms  B"));
	/* The escape sequence is shown, never sent to the terminal. */
	assert_non_null(strstr(fx_row(g, y + 1), "hello \\x1b[31mB"));
	assert_non_null(strstr(fx_row(g, y + 2), "B done!"));
	assert_int_equal(fx_find(g, "A done!"), -1);
	assert_true(fx_find(g, "Output: 3 of 4 lines") >= 0);

	c.pl.cursor = 0;
	view_compose(g, &c);
	assert_int_equal(fx_find(g, "hello alice"), -1);
	assert_true(fx_find(g, "nothing printed yet") >= 0);
	grid_free(g);
	trace_destroy(tr);
}

static void test_newest_kept(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_ctx c;
	struct grid *g = grid_new(80, 16, false);
	char line[16];

	for (int i = 0; i < 40; i++) {
		snprintf(line, sizeof line, "line %02d", i);
		print_at(tr, i % 2, i, line);
	}
	fx_ctx(&c, tr);
	show_output(&c);
	view_compose(g, &c);
	assert_true(fx_find(g, "line 39") >= 0);
	assert_int_equal(fx_find(g, "line 00"), -1);
	assert_true(fx_find(g, "line 39") > fx_find(g, "line 38"));
	grid_free(g);
	trace_destroy(tr);
}

static void test_tab_only_with_output(void **state)
{
	(void)state;
	struct trace *tr = fx_one_core();
	struct view_ctx c;
	int i = 0;

	fx_ctx(&c, tr);
	while (view_table[i] != &view_output)
		i++;
	assert_false(view_applies(&c, i));
	print_at(tr, 0, 1, "hi");
	assert_true(view_applies(&c, i));
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines_up_to_the_cursor),
	    cmocka_unit_test(test_newest_kept),
	    cmocka_unit_test(test_tab_only_with_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
