/*
 * test_scenario_path.c -- finding scenario files: a built-in name resolves
 * to its file in the data directory, an unknown name is refused with a
 * message, and anything that looks like a path is taken as it is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "scenario_path.h"
#include "scenario_test_util.h"

/* ---- helpers ----------------------------------------------------------- */

/* ---- resolving names ---------------------------------------------------- */

static void test_resolve(void **state)
{
	char path[PATH_MAX], err[512] = "", want[PATH_MAX + 32];
	const char *dir = builtin_dir();

	(void)state;
	assert_int_equal(scenario_resolve("hello", path, sizeof path, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/hello.ini", dir);
	assert_string_equal(path, want);
	assert_string_equal(scenario_dir(), dir);

	assert_int_equal(scenario_resolve("no-such-thing", path, sizeof path, err, sizeof err), -1);
	assert_string_equal(err, "unknown scenario \"no-such-thing\" (conctui --list shows them)");
	assert_int_equal(scenario_resolve("", path, sizeof path, err, sizeof err), -1);
	assert_string_equal(err, "unknown scenario \"\" (conctui --list shows them)");

	/* Paths are taken as they are, whether or not they exist. */
	assert_int_equal(scenario_resolve("x/hello", path, sizeof path, err, sizeof err), 0);
	assert_string_equal(path, "x/hello");
	assert_int_equal(scenario_resolve("mine.ini", path, sizeof path, err, sizeof err), 0);
	assert_string_equal(path, "mine.ini");
	assert_int_equal(scenario_resolve("x/hello", path, 4, err, sizeof err), -1);
	assert_string_equal(err, "x/hello: path too long");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
