/*
 * test_options.c -- the command line: every option parses, bad usage is
 * one clear message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

static int parse(struct options *o, char *err, size_t len, const char *first, ...)
{
	char *argv[32] = {"conctui"};
	int argc = 1;
	va_list ap;

	va_start(ap, first);
	for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return options_parse(argc, argv, o, err, len);
}

static void test_defaults(void **unused)
{
	(void)unused;
	struct options o;
	char err[256];

	unsetenv("NO_COLOR");
	assert_int_equal(parse(&o, err, sizeof err, NULL), 0);
	assert_null(o.scenario);
	assert_false(o.batch);
	assert_true(o.colour);
	assert_true(o.scale == 1.0);
	assert_null(o.run.backend);
}

static void test_everything(void **unused)
{
	(void)unused;
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, sizeof err, "--batch", "-b", "threads", "--json", "-",
			       "--trace", "t.json", "--scale", "2.5", "--gil", "old",
			       "--switch-interval", "1", "-w", "3", "--ascii", "--no-color",
			       "seed-sleep", NULL),
			 0);
	assert_true(o.batch);
	assert_string_equal(o.run.backend, "threads");
	assert_string_equal(o.json, "-");
	assert_string_equal(o.trace, "t.json");
	assert_true(o.scale == 2.5);
	assert_string_equal(o.run.gil, "old");
	assert_true(o.run.switch_interval_ms == 1.0);
	assert_int_equal(o.run.workers, 3);
	assert_true(o.ascii);
	assert_false(o.colour);
	assert_string_equal(o.scenario, "seed-sleep");
	assert_int_equal(parse(&o, err, sizeof err, "-l", NULL), 0);
	assert_true(o.list);
	assert_int_equal(parse(&o, err, sizeof err, "-h", NULL), 0);
	assert_true(o.help);
	assert_int_equal(parse(&o, err, sizeof err, "-V", NULL), 0);
	assert_true(o.version);
	assert_int_equal(parse(&o, err, sizeof err, "--replay", "r.json", NULL), 0);
	assert_string_equal(o.replay, "r.json");
	assert_int_equal(parse(&o, err, sizeof err, "--compare", "cpu-bound", NULL), 0);
	assert_true(o.compare);
	assert_int_equal(parse(&o, err, sizeof err, "--costs", NULL), 0);
	assert_true(o.costs);
}

/* --lesson: the positional names the lesson; what would change a beat's run is refused. */
static void test_lesson(void **unused)
{
	(void)unused;
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, sizeof err, "--lesson", NULL), 0);
	assert_true(o.lesson);
	assert_null(o.scenario);
	assert_int_equal(parse(&o, err, sizeof err, "--batch", "--lesson", "gil", NULL), 0);
	assert_true(o.lesson && o.batch);
	assert_string_equal(o.scenario, "gil");
	assert_int_equal(parse(&o, err, sizeof err, "--lesson", "--scale", "2", NULL), 0);
	assert_int_equal(parse(&o, err, sizeof err, "--lesson", "-b", "threads", NULL), -1);
	assert_string_equal(err, "--lesson does not take --backend: each beat names its run");
	assert_int_equal(parse(&o, err, sizeof err, "--lesson", "--compare", NULL), -1);
	assert_string_equal(err, "--lesson does not take --compare: each beat names its run");
}

static void test_no_color_env(void **unused)
{
	(void)unused;
	struct options o;
	char err[256];

	setenv("NO_COLOR", "1", 1);
	assert_int_equal(parse(&o, err, sizeof err, NULL), 0);
	assert_false(o.colour);
	setenv("NO_COLOR", "", 1); /* empty means unset, per no-color.org */
	assert_int_equal(parse(&o, err, sizeof err, NULL), 0);
	assert_true(o.colour);
	unsetenv("NO_COLOR");
}

static void expect_error(const char *msg, const char *a, const char *b, const char *c)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, sizeof err, a, b, c, NULL), -1);
	assert_string_equal(err, msg);
}

static void test_bad_usage(void **unused)
{
	(void)unused;
	expect_error("unknown option \"--frobnicate\"", "--frobnicate", NULL, NULL);
	expect_error("unknown option \"-z\"", "-z", NULL, NULL);
	expect_error("option \"--json\" needs a value", "--json", NULL, NULL);
	expect_error("--scale 0: must be > 0 and <= 100", "--scale", "0", NULL);
	expect_error("--scale abc: must be > 0 and <= 100", "--scale", "abc", NULL);
	expect_error("--scale 1000: must be > 0 and <= 100", "--scale", "1000", NULL);
	expect_error("--gil new2: must be new, old or off", "--gil", "new2", NULL);
	expect_error("--switch-interval -1: must be > 0 and <= 1000 (milliseconds)",
		     "--switch-interval", "-1", NULL);
	expect_error("--workers 2.5: must be a whole number from 1 to 64", "--workers", "2.5",
		     NULL);
	expect_error("--batch needs a SCENARIO", "--batch", NULL, NULL);
	expect_error("unexpected argument \"b\"", "a", "b", NULL);
	expect_error("give either --replay FILE or a SCENARIO, not both", "--replay", "x", "y");
}

/* A record is shown as recorded: what would re-run it is refused, by name. */
static void test_replay_refuses_run_options(void **unused)
{
	(void)unused;
	const char *opts[][2] = {{"-b", "threads"}, {"--backend", "threads"},
				 {"--gil", "old"},  {"--switch-interval", "2"},
				 {"--scale", "2"},  {"--workers", "2"}};
	const char *names[] = {"backend", "backend", "gil", "switch-interval", "scale", "workers"};
	struct options o;
	char err[256];

	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		char want[128];
		snprintf(want, sizeof want,
			 "--replay does not take --%s: a record cannot be re-run", names[i]);
		assert_int_equal(
		    parse(&o, err, sizeof err, "--replay", "r.json", opts[i][0], opts[i][1], NULL),
		    -1);
		assert_string_equal(err, want);
	}
	/* The same options are fine where a run happens. */
	assert_int_equal(parse(&o, err, sizeof err, "--gil", "old", "--scale", "2", "x", NULL), 0);
}

/* --costs runs no scenario; with --batch it is --costs on a pipe. */
static void test_costs_combinations(void **unused)
{
	(void)unused;
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, sizeof err, "--batch", "--costs", "--json", "-", NULL), 0);
	assert_true(o.costs && o.batch);
	assert_string_equal(o.json, "-");
	expect_error("--costs does not take a SCENARIO: it runs none", "--costs", "seed-sleep",
		     NULL);
	expect_error("--costs does not take --trace: it runs no scenario", "--costs", "--trace",
		     "t.json");
	expect_error("--costs does not take --backend: it runs no scenario", "--costs", "-b",
		     "threads");
}

static void test_usage_lists_every_option(void **unused)
{
	(void)unused;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *names[] = {"--backend", "--batch",		 "--compare", "--costs",
			       "--json",    "--trace",		 "--replay",  "--scale",
			       "--gil",	    "--switch-interval", "--workers", "--list",
			       "--ascii",   "--no-color",	 "--help",    "--version"};

	options_usage(f);
	fclose(f);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_non_null(strstr(buf, names[i]));
	free(buf);
}

/* -- COMMAND and --attach: what follows "--" is the command, untouched; bad mixes refused. */
static void test_observe(void **unused)
{
	(void)unused;
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, sizeof err, "--batch", "--passthrough", "--", "python3",
			       "-u", "x.py", "--json", NULL),
			 0);
	assert_true(o.batch && o.passthrough);
	assert_null(o.json); /* after "--": the program's own argument */
	assert_string_equal(o.command[0], "python3");
	assert_string_equal(o.command[3], "--json");
	assert_null(o.command[4]);
	assert_int_equal(parse(&o, err, sizeof err, "--attach", "42", NULL), 0);
	assert_int_equal(o.attach, 42);
	assert_null(o.command);

	assert_int_equal(parse(&o, err, sizeof err, "--batch", "--", NULL), -1);
	assert_string_equal(err, "-- needs a COMMAND to observe");
	assert_int_equal(parse(&o, err, sizeof err, "--attach", "4x", NULL), -1);
	assert_string_equal(err, "--attach 4x: must be a process id");
	assert_int_equal(parse(&o, err, sizeof err, "--attach", "1", "--", "true", NULL), -1);
	assert_string_equal(err, "give either --attach PID or -- COMMAND, not both");
	assert_int_equal(parse(&o, err, sizeof err, "seed-sleep", "--", "true", NULL), -1);
	assert_string_equal(err, "-- COMMAND does not take a SCENARIO");
	assert_int_equal(parse(&o, err, sizeof err, "--gil", "old", "--attach", "1", NULL), -1);
	assert_string_equal(err, "--attach does not take --gil: it runs no scenario");
	assert_int_equal(parse(&o, err, sizeof err, "--passthrough", "seed-sleep", NULL), -1);
	assert_string_equal(err, "--passthrough is for an observed program (-- COMMAND)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_everything),
	    cmocka_unit_test(test_lesson),
	    cmocka_unit_test(test_no_color_env),
	    cmocka_unit_test(test_bad_usage),
	    cmocka_unit_test(test_replay_refuses_run_options),
	    cmocka_unit_test(test_costs_combinations),
	    cmocka_unit_test(test_usage_lists_every_option),
	    cmocka_unit_test(test_observe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
