/*
 * test_run.c -- loading a scenario for a run: a backend that names no
 * executor is refused at its line, like every other scenario error, with
 * nothing left to free; a known one loads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "run.h"
#include "scenario.h"

/* Writes TEXT to a new temporary .ini file; its path in PATH. */
static void write_file(char *path, size_t len, const char *text)
{
	snprintf(path, len, "/tmp/conctui-test-run-XXXXXX.ini");
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void test_unknown_backend(void **state)
{
	(void)state;
	char path[64], err[512] = "", want[160];
	struct scenario sc;

	write_file(path, sizeof path,
		   "[scenario]\ntitle = T\nbackend = nosuch\n[task A]\nsteps = cpu 1\n");
	assert_int_equal(run_load_scenario(path, &sc, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:3: unknown executor \"nosuch\" (conctui --list shows them)",
		 path);
	assert_string_equal(err, want);
	assert_null(sc.tasks);
	unlink(path);
}

static void test_known_backend(void **state)
{
	(void)state;
	char path[64], err[512] = "";
	struct scenario sc;

	write_file(path, sizeof path,
		   "[scenario]\ntitle = T\nbackend = asyncio\n[task A]\nsteps = cpu 1\n");
	assert_int_equal(run_load_scenario(path, &sc, err, sizeof err), 0);
	assert_string_equal(sc.backend, "asyncio");
	scenario_free(&sc);
	unlink(path);
}

/* The switch interval SC's run on the GIL gets with O. */
static double interval_of(struct scenario *sc, const struct run_opts *o)
{
	char err[256];
	struct run *r = run_start(sc, o, NULL, NULL, err, sizeof err);

	if (!r)
		fail_msg("run_start: %s", err);
	assert_int_equal(run_wait(r), 0);
	double ms = run_trace(r)->meta.gil_interval_ms;
	run_free(r);
	return ms;
}

/* --scale slows the GIL's switch interval with the work; --switch-interval is kept as given. */
static void test_scale_scales_the_interval(void **state)
{
	(void)state;
	char err[256];
	struct scenario sc;
	struct run_opts o = {.backend = "gil"};

	assert_int_equal(
	    scenario_parse("[scenario]\n[task A]\nsteps = cpu 1\n", "t.ini", &sc, err, sizeof err),
	    0);
	assert_true(interval_of(&sc, &o) == RUN_DEFAULT_SWITCH_MS);
	scenario_scale(&sc, 3);
	assert_true(interval_of(&sc, &o) == 3 * RUN_DEFAULT_SWITCH_MS);
	o.switch_interval_ms = 2;
	assert_true(interval_of(&sc, &o) == 2);
	scenario_free(&sc);

	assert_int_equal(
	    scenario_parse("[scenario]\nswitch_interval = 1\n[task A]\nsteps = cpu 1\n", "t.ini",
			   &sc, err, sizeof err),
	    0);
	o.switch_interval_ms = 0;
	scenario_scale(&sc, 3);
	assert_true(interval_of(&sc, &o) == 3);
	scenario_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unknown_backend),
	    cmocka_unit_test(test_known_backend),
	    cmocka_unit_test(test_scale_scales_the_interval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
