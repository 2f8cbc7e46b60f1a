/*
 * scenario_test_util.h -- what the scenario tests share: where the
 * built-in scenario files are.  Included by one test file each, after
 * cmocka.h.
 */
#ifndef CONCTUI_SCENARIO_TEST_UTIL_H
#define CONCTUI_SCENARIO_TEST_UTIL_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/*
 * The built-in scenarios: $CONCTUI_DATADIR/scenarios as the test runner sets
 * it, else found relative to where the test is run (and then the variable
 * is set, so scenario_resolve finds them too).
 */
static inline const char *builtin_dir(void)
{
	static char dir[PATH_MAX];
	static const char *const guesses[] = {"assets", "../assets", "../../assets",
					      "../../../assets"};
	const char *env = getenv("CONCTUI_DATADIR");
	struct stat st;

	if (env && *env) {
		snprintf(dir, sizeof dir, "%s/scenarios", env);
		return dir;
	}
	for (size_t i = 0; i < sizeof guesses / sizeof *guesses; i++) {
		snprintf(dir, sizeof dir, "%s/scenarios", guesses[i]);
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
			setenv("CONCTUI_DATADIR", guesses[i], 1);
			return dir;
		}
	}
	fail_msg("no assets/scenarios directory found; set CONCTUI_DATADIR");
	return NULL;
}

#endif
