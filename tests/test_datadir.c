/*
 * test_datadir.c -- the data directory search: $CONCTUI_DATADIR first, then
 * the build tree and the installed tree beside the executable, then the
 * compiled-in path; a candidate counts only when it holds what is asked for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"

/* ---- helpers ----------------------------------------------------------- */

/* A fresh directory with a "scenarios" subdirectory holding a.ini. */
static void make_tree(char *root, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(root, len, "/tmp/conctui-datadir-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof path, "%s/scenarios", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/scenarios/a.ini", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

static void remove_tree(const char *root)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/scenarios/a.ini", root);
	unlink(path);
	snprintf(path, sizeof path, "%s/scenarios", root);
	rmdir(path);
	rmdir(root);
}

/* ---- the candidates ----------------------------------------------------- */

static void test_candidates(void **state)
{
	char exe[PATH_MAX], want[PATH_MAX + 32], got[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	(void)state;
	assert_true(n > 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';

	unsetenv("CONCTUI_DATADIR");
	assert_false(datadir_candidate(0, "lessons", got, sizeof got));
	setenv("CONCTUI_DATADIR", "/somewhere", 1);
	assert_true(datadir_candidate(0, "lessons", got, sizeof got));
	assert_string_equal(got, "/somewhere/lessons");

	/* The build tree: assets/ beside the binary. */
	assert_true(datadir_candidate(1, "programs", got, sizeof got));
	snprintf(want, sizeof want, "%s/assets/programs", exe);
	assert_string_equal(got, want);

	/* The installed tree: <bindir>/../share/conctui, without "..". */
	assert_true(datadir_candidate(2, "scenarios", got, sizeof got));
	*strrchr(exe, '/') = '\0';
	snprintf(want, sizeof want, "%s/share/conctui/scenarios", exe);
	assert_string_equal(got, want);

	assert_true(datadir_candidate(3, "scenarios", got, sizeof got));
	assert_string_equal(got, CONCTUI_DATADIR "/scenarios");
	assert_false(datadir_candidate(DATADIR_CANDIDATES, "scenarios", got, sizeof got));
	assert_false(datadir_candidate(0, "scenarios", got, 4));
}

/* ---- searching ----------------------------------------------------------- */

static void test_find(void **state)
{
	char root[64], got[PATH_MAX], want[PATH_MAX + 32];

	(void)state;
	make_tree(root, sizeof root);
	setenv("CONCTUI_DATADIR", root, 1);

	assert_int_equal(datadir_find("scenarios", got, sizeof got), 0);
	snprintf(want, sizeof want, "%s/scenarios", root);
	assert_string_equal(got, want);
	assert_int_equal(datadir_find_file("scenarios", "a.ini", got, sizeof got), 0);
	snprintf(want, sizeof want, "%s/scenarios/a.ini", root);
	assert_string_equal(got, want);

	/* Nothing of that name anywhere: no candidate counts. */
	assert_int_equal(datadir_find("no-such-subdir", got, sizeof got), -1);
	assert_string_equal(got, "");
	assert_int_equal(datadir_find_file("scenarios", "no-such.ini", got, sizeof got), -1);
	assert_string_equal(got, "");

	remove_tree(root);
	unsetenv("CONCTUI_DATADIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_candidates),
	    cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
