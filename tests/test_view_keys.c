/*
 * test_view_keys.c -- the key table: every action has a key and a help
 * line, no key does two things, and lookups go both ways.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string.h>

#include "grid.h"
#include "view_keys.h"

static void test_every_action_has_a_key(void **state)
{
	(void)state;
	for (int a = VA_NONE + 1; a < VA_COUNT; a++) {
		const struct view_key *k = view_keys_find((enum view_action)a);
		assert_non_null(k);
		assert_true(k->codes[0] != 0);
		assert_true(strlen(k->help) > 0);
		/* The help overlay gives a help line 24 columns at 80x24. */
		assert_true(grid_text_width(k->help) <= 24);
		assert_true(grid_text_width(k->keys) <= 11);
	}
	assert_int_equal(view_nkeys, VA_COUNT - 1);
}

static void test_no_key_twice(void **state)
{
	(void)state;
	for (int i = 0; i < view_nkeys; i++)
		for (int j = 0; j < VIEW_KEY_CODES && view_keys[i].codes[j]; j++) {
			int code = view_keys[i].codes[j];
			assert_int_equal(view_keys_action(code), view_keys[i].action);
		}
}

static void test_lookups(void **state)
{
	(void)state;
	assert_int_equal(view_keys_action('q'), VA_QUIT);
	assert_int_equal(view_keys_action(' '), VA_PAUSE);
	assert_int_equal(view_keys_action(VK_RIGHT), VA_NEXT);
	assert_int_equal(view_keys_action('l'), VA_SCROLL_RIGHT);
	assert_int_equal(view_keys_action('?'), VA_HELP);
	assert_int_equal(view_keys_action('Z'), VA_NONE);
	assert_int_equal(view_keys_action(VK_NONE), VA_NONE);
	/* The key bar's hints start with the key. */
	for (int i = 0; i < view_nkeys; i++)
		if (view_keys[i].hint)
			assert_non_null(strchr(view_keys[i].hint, ' '));
}

/* The man page's KEYS section says what every key in the table does. */
static void test_man_page_lists_every_key(void **unused)
{
	(void)unused;
	const char *data = getenv("CONCTUI_DATADIR");
	char path[4096], line[512], want[256];
	char *man = NULL;
	size_t len = 0;

	snprintf(path, sizeof path, "%s/../man/conctui.1", data ? data : "assets");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	FILE *mem = open_memstream(&man, &len);
	while (fgets(line, sizeof line, f))
		fputs(line, mem);
	fclose(f);
	fclose(mem);
	for (int i = 0; i < view_nkeys; i++) {
		/* roff spells a minus sign "\-". */
		size_t n = 0;
		for (const char *c = view_keys[i].help; *c && n + 3 < sizeof want; c++) {
			if (*c == '-')
				want[n++] = '\\';
			want[n++] = *c;
		}
		want[n] = '\0';
		if (!strstr(man, want))
			fail_msg("man/conctui.1 does not describe the key for \"%s\"",
				 view_keys[i].help);
	}
	free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_action_has_a_key),
	    cmocka_unit_test(test_no_key_twice),
	    cmocka_unit_test(test_lookups),
	    cmocka_unit_test(test_man_page_lists_every_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
