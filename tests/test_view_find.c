/*
 * test_view_find.c -- `/` finds a task by name: the prompt echoes what is
 * typed in the key bar's place, Enter selects the next match (opening a
 * folded group), a miss says so, Esc gives up, and keys typed into the
 * prompt do nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "view_ctx.h"
#include "view_find.h"
#include "view_fixture.h"

static void type(struct view_ctx *c, const char *s)
{
	for (; *s; s++)
		assert_true(view_find_key(c, (unsigned char)*s));
}

static void test_find_by_name(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(200, 0);
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);
	char name[16];

	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof name, i == 150 ? "Server" : "conn%d", i + 1);
		trace_set_name(tr, i, name);
		fx_span(tr, i, STATE_IO, 0, 5, -1, "");
	}
	tr->meta.wall_ns = 5 * MS;
	fx_ctx(&c, tr);
	assert_false(view_find_key(&c, 'q')); /* closed: keys are the usual ones */
	view_act(&c, VA_FIND);
	type(&c, "conn1x");
	assert_true(view_find_key(&c, VK_BACKSPACE));
	type(&c, "2");
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, 23), "/conn12_"));
	assert_non_null(strstr(fx_row(g, 23), "Esc: cancel"));
	/* Typed keys are text, not commands: q does not quit, j does not move. */
	assert_int_equal(c.sel, 0);
	assert_true(view_find_key(&c, VK_ENTER));
	assert_false(c.finding);
	assert_int_equal(c.sel, 11);
	/* conn12 was inside the folded group: it is shown. */
	view_compose(g, &c);
	assert_true(fx_find(g, " conn12 ") > 0);
	/* Case is ignored; a miss says so and keeps the selection. */
	view_act(&c, VA_FIND);
	type(&c, "server");
	view_find_key(&c, VK_ENTER);
	assert_int_equal(c.sel, 150);
	view_act(&c, VA_FIND);
	type(&c, "nobody");
	view_find_key(&c, VK_ENTER);
	assert_int_equal(c.sel, 150);
	assert_non_null(strstr(c.flash, "no task named like \"nobody\""));
	/* Esc gives up and the key bar comes back. */
	view_act(&c, VA_FIND);
	type(&c, "conn");
	view_find_key(&c, VK_ESC);
	assert_int_equal(c.sel, 150);
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, 23), "? Help"));
	grid_free(g);
	trace_destroy(tr);
}

/* Control characters never reach the prompt; other text shows as typed. */
static void test_prompt_is_escaped(void **unused)
{
	(void)unused;
	struct trace *tr = fx_one_core();
	struct view_ctx c;
	struct grid *g = grid_new(80, 24, false);

	fx_ctx(&c, tr);
	view_act(&c, VA_FIND);
	view_find_key(&c, VK_UP); /* not a character: ignored */
	view_find_key(&c, 0xd800);
	view_find_key(&c, 7);
	view_find_key(&c, 0x00e9);
	view_find_key(&c, 'A');
	assert_string_equal(c.find, "\u00e9A");
	view_compose(g, &c);
	assert_non_null(strstr(fx_row(g, 23), "/\u00e9A_"));
	view_find_key(&c, VK_BACKSPACE);
	view_find_key(&c, VK_BACKSPACE);
	assert_string_equal(c.find, "");
	grid_free(g);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find_by_name),
	    cmocka_unit_test(test_prompt_is_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
