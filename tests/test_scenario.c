/*
 * test_scenario.c -- the scenario file format: every kind of bad input gets
 * its exact `file:line: message`, good input gets every key right, and every
 * built-in scenario in assets/scenarios loads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenario.h"
#include "scenario_test_util.h"

/* ---- helpers ----------------------------------------------------------- */

/* Parses TEXT as "t.ini", which must fail with exactly WANT, leaving nothing to free. */
static void expect_error(const char *text, const char *want)
{
	struct scenario sc;
	char err[512] = "";

	assert_int_equal(scenario_parse(text, "t.ini", &sc, err, sizeof err), -1);
	assert_string_equal(err, want);
	assert_null(sc.tasks);
	assert_null(sc.steps);
	assert_int_equal(sc.ntasks, 0);
	assert_int_equal(sc.nnarration, 0);
	assert_null(sc.narration[0]);
}

/* Parses TEXT, which must succeed. */
static void parse_ok(const char *text, struct scenario *sc)
{
	char err[512] = "";
	int rc = scenario_parse(text, "t.ini", sc, err, sizeof err);

	if (rc != 0)
		fail_msg("unexpected error: %s", err);
}

#define HEAD "[scenario]\ntitle = T\n"	 /* two lines */
#define TASK "[task A]\nsteps = cpu 1\n" /* two lines */

static char tmpdir[] = "/tmp/test_scenario.XXXXXX";

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- bad input, one test per kind --------------------------------------- */

static void test_unknown_section(void **state)
{
	(void)state;
	expect_error(HEAD TASK "[colours]\nx = 1\n",
		     "t.ini:5: unknown section \"[colours]\" (expected [scenario] or [task NAME])");
	/* A section with no keys is still noticed, at its own line. */
	expect_error(HEAD "\n[empty]\n" TASK,
		     "t.ini:4: unknown section \"[empty]\" (expected [scenario] or [task NAME])");
}

/* The parser keeps the line of `backend`; whether it names an executor is run_load_scenario's to
 * say. */
static void test_backend_line(void **state)
{
	(void)state;
	struct scenario sc;
	char err[512] = "";

	assert_int_equal(
	    scenario_parse(HEAD "backend = nosuch\n" TASK, "t.ini", &sc, err, sizeof err), 0);
	assert_string_equal(sc.backend, "nosuch");
	assert_int_equal(sc.backend_line, 3);
	scenario_free(&sc);
	assert_int_equal(scenario_parse(HEAD TASK, "t.ini", &sc, err, sizeof err), 0);
	assert_int_equal(sc.backend_line, 0);
	scenario_free(&sc);
}

#define L10 "LLLLLLLLLL"

/* What an error echoes from the file is escaped and shortened: one inert line. */
static void test_echo_escaped(void **state)
{
	(void)state;
	expect_error(
	    HEAD "[task a\rb\x1b[31mRED]\nsteps = cpu 5\n",
	    "t.ini:3: bad task name \"a\\rb\\x1b[31mRED\" (use letters, digits, '-' and '_')");
	expect_error(HEAD "wait = \"x\\\xff\n" TASK,
		     "t.ini:3: wait must be \"all\" or \"first\", not \"\\\"x\\\\\\xff\"");
	expect_error(HEAD "[task A]\nsteps = cpu\x7f 5\n", "t.ini:4: unknown step \"cpu\\x7f\"");
	/* 71 characters: the echo keeps 59 and an ellipsis, 60 columns. */
	expect_error(HEAD "k" L10 L10 L10 L10 L10 L10 L10 " = 1\n" TASK,
		     "t.ini:3: unknown key \"k" L10 L10 L10 L10 L10
		     "LLLLLLLL\u2026\" in [scenario]");
}

static void test_unknown_key(void **state)
{
	(void)state;
	expect_error(HEAD "colour = red\n" TASK, "t.ini:3: unknown key \"colour\" in [scenario]");
	expect_error(HEAD TASK "speed = 3\n", "t.ini:5: unknown key \"speed\" in [task A]");
	expect_error(HEAD "= 3\n" TASK, "t.ini:3: missing key before \"=\"");
	expect_error("title = x\n" HEAD TASK,
		     "t.ini:1: \"title\" is outside any section (start with [scenario])");
}

static void test_unknown_step(void **state)
{
	(void)state;
	expect_error(HEAD "[task A]\nsteps = cpu 5, cpuu 5\n", "t.ini:4: unknown step \"cpuu\"");
	expect_error(HEAD "[task A]\nsteps = 5 cpu\n", "t.ini:4: unknown step \"5\"");
}

static void test_missing_duration(void **state)
{
	(void)state;
	expect_error(HEAD "[task A]\nsteps = io 5, cpu\n",
		     "t.ini:4: missing duration after \"cpu\"");
}

static void test_negative_duration(void **state)
{
	(void)state;
	expect_error(HEAD "[task A]\nsteps = sleep -5\n", "t.ini:4: negative duration \"-5\"");
	expect_error(HEAD "[task A]\nsteps = sleep -0.5\n", "t.ini:4: negative duration \"-0.5\"");
}

static void test_non_numeric_duration(void **state)
{
	(void)state;
	expect_error(HEAD "[task A]\nsteps = cpu abc\n",
		     "t.ini:4: bad duration \"abc\": not a number of ms");
	expect_error(HEAD "[task A]\nsteps = cpu 5ms\n",
		     "t.ini:4: bad duration \"5ms\": not a number of ms");
	expect_error(HEAD "[task A]\nsteps = cpu nan\n",
		     "t.ini:4: bad duration \"nan\": not a number of ms");
	expect_error(HEAD "[task A]\nsteps = cpu inf\n",
		     "t.ini:4: bad duration \"inf\": not a number of ms");
	expect_error(HEAD "[task A]\nsteps = cpu 0x10\n",
		     "t.ini:4: bad duration \"0x10\": not a number of ms");
}

static void test_duration_too_long(void **state)
{
	(void)state;
	expect_error(HEAD "[task A]\nsteps = sleep 600001\n",
		     "t.ini:4: duration 600001 is beyond the limit of 600000 ms");
	expect_error(HEAD "[task A]\nsteps = sleep 1e9\n",
		     "t.ini:4: duration 1e9 is beyond the limit of 600000 ms");
}

static void test_spin_needs_a_period(void **state)
{
	(void)state;
	expect_error(HEAD "[task A]\nsteps = spin 0\n",
		     "t.ini:4: spin needs a duration above 0 ms");
}

static void test_print_steps(void **state)
{
	struct scenario sc;

	(void)state;
	parse_ok(HEAD "[task A]\nsteps = print hello alice, sleep 5, print \"a, b\" , print x!\n",
		 &sc);
	assert_int_equal(sc.tasks[0].nsteps, 4);
	assert_int_equal(sc.steps[0].kind, STEP_PRINT);
	assert_string_equal(sc.steps[0].text, "hello alice");
	assert_null(sc.steps[1].text);
	assert_string_equal(sc.steps[2].text, "a, b");
	assert_string_equal(sc.steps[3].text, "x!");
	assert_true(sc.steps[0].ms == 0);
	scenario_free(&sc);
}

static void test_print_errors(void **state)
{
	(void)state;
	expect_error(HEAD "[task A]\nsteps = cpu 1, print\n",
		     "t.ini:4: missing text after \"print\"");
	expect_error(HEAD "[task A]\nsteps = print \"\"\n",
		     "t.ini:4: missing text after \"print\"");
	expect_error(HEAD "[task A]\nsteps = print \"a, b\n",
		     "t.ini:4: unbalanced quotes in print \\\"a, b");
	expect_error(HEAD "[task A]\nsteps = cpu 1\n[task B]\nsteps = print \"a\" b\"\n",
		     "t.ini:6: unbalanced quotes in print \\\"a\\\" b\\\"");
	/* An error after a print step frees its text (the sanitizer build checks). */
	expect_error(HEAD "[task A]\nsteps = print hi, cpuu 1\n", "t.ini:4: unknown step \"cpuu\"");
}

static void test_narration_tags(void **state)
{
	struct scenario sc;
	const char *lines[SCENARIO_MAX_NARRATION];

	(void)state;
	parse_ok(HEAD "narration = always\nnarration[gil,threads] = locked\n"
		      "  on and on\nnarration[asyncio] = looped\n" TASK,
		 &sc);
	assert_int_equal(sc.nnarration, 3);
	assert_int_equal(scenario_narration_for(&sc, "gil", lines, SCENARIO_MAX_NARRATION), 2);
	assert_string_equal(lines[0], "always");
	assert_string_equal(lines[1], "locked on and on");
	assert_int_equal(scenario_narration_for(&sc, "threads", lines, SCENARIO_MAX_NARRATION), 2);
	assert_int_equal(scenario_narration_for(&sc, "threads-1core", lines, 8), 1);
	assert_int_equal(scenario_narration_for(&sc, "asyncio", lines, 8), 2);
	assert_string_equal(lines[1], "looped");
	assert_int_equal(scenario_narration_for(&sc, NULL, lines, 8), 3);
	assert_int_equal(scenario_narration_for(&sc, NULL, lines, 1), 1);
	scenario_free(&sc);
	expect_error(HEAD "narration[] = x\n" TASK,
		     "t.ini:3: empty executor list in narration[...]");
	expect_error(HEAD "narration[gil,] = x\n" TASK,
		     "t.ini:3: bad executor list \"gil,\" (narration[NAME,NAME] = ...)");
	expect_error(HEAD "narration[GIL] = x\n" TASK,
		     "t.ini:3: bad executor list \"GIL\" (narration[NAME,NAME] = ...)");
	expect_error(HEAD "narration[gil = x\n" TASK, "t.ini:3: missing \"]\" in \"narration[\"");
}

static void test_step_syntax(void **state)
{
	(void)state;
	expect_error(HEAD "[task A]\nsteps = cpu 5 io 3\n",
		     "t.ini:4: unexpected \"io\" after \"cpu 5\" (separate steps with commas)");
	expect_error(HEAD "[task A]\nsteps = cpu 5,, io 3\n",
		     "t.ini:4: empty step between commas in \"cpu 5,, io 3\"");
	expect_error(HEAD "[task A]\nsteps = , io 3\n",
		     "t.ini:4: empty step between commas in \", io 3\"");
}

static void test_too_many_steps(void **state)
{
	char *text = malloc(16384), want[128];

	(void)state;
	assert_non_null(text);
	/* 1001 steps, 25 to a line: step i is on line 4 + i / 25. */
	strcpy(text, HEAD "[task A]\nsteps = io 1");
	for (int i = 1; i <= SCENARIO_MAX_STEPS; i++)
		strcat(text, i % 25 == 0 ? ",\n  io 1" : ", io 1");
	snprintf(want, sizeof want, "t.ini:%d: too many steps in task \"A\" (at most 1000)",
		 4 + SCENARIO_MAX_STEPS / 25);
	expect_error(text, want);
	free(text);
}

static void test_empty_task(void **state)
{
	(void)state;
	expect_error(HEAD "[task A]\nrepeat = 2\n[task B]\nsteps = cpu 1\n",
		     "t.ini:3: task \"A\" has no steps");
	expect_error(HEAD "[task A]\nsteps =\n", "t.ini:4: task \"A\" has no steps");
	expect_error(HEAD "[task A]\nsteps =   ; nothing\n", "t.ini:4: task \"A\" has no steps");
	/* The last section is checked at the end of the file. */
	expect_error(HEAD TASK "[task B]\n", "t.ini:5: task \"B\" has no steps");
}

static void test_bad_count(void **state)
{
	(void)state;
	expect_error(HEAD TASK "count = 0\n",
		     "t.ini:5: count must be an integer from 1 to 20000, not \"0\"");
	expect_error(HEAD TASK "count = -2\n",
		     "t.ini:5: count must be an integer from 1 to 20000, not \"-2\"");
	expect_error(HEAD TASK "count = 2.5\n",
		     "t.ini:5: count must be an integer from 1 to 20000, not \"2.5\"");
	expect_error(HEAD TASK "count = many\n",
		     "t.ini:5: count must be an integer from 1 to 20000, not \"many\"");
	expect_error(HEAD TASK "count = 20001\n",
		     "t.ini:5: count must be an integer from 1 to 20000, not \"20001\"");
	expect_error(HEAD TASK "count = 99999999999999999999\n",
		     "t.ini:5: count must be an integer from 1 to 20000, not "
		     "\"99999999999999999999\"");
}

static void test_bad_repeat(void **state)
{
	(void)state;
	expect_error(HEAD TASK "repeat = 0\n",
		     "t.ini:5: repeat must be an integer from 1 to 10000, not \"0\"");
	expect_error(HEAD TASK "repeat = 10001\n",
		     "t.ini:5: repeat must be an integer from 1 to 10000, not \"10001\"");
	expect_error(HEAD TASK "repeat = x\n",
		     "t.ini:5: repeat must be an integer from 1 to 10000, not \"x\"");
}

static void test_too_many_tasks(void **state)
{
	(void)state;
	expect_error(HEAD "[task A]\nsteps = io 1\ncount = 20000\n\n[task B]\nsteps = io 1\n",
		     "t.ini:7: too many tasks: 20001 in all (at most 20000)");
	expect_error(HEAD "[task A]\nsteps = io 1\ncount = 15000\n"
			  "[task B]\ncount = 5001\nsteps = io 1\n",
		     "t.ini:7: too many tasks: 20001 in all (at most 20000)");
}

/* `main = NAME` picks the task asyncio.run starts; it must name one task. */
static void test_main_task(void **state)
{
	struct scenario sc;

	(void)state;
	parse_ok(HEAD TASK "[task B]\nsteps = cpu 1\n", &sc);
	assert_int_equal(sc.main_task, -1);
	scenario_free(&sc);
	parse_ok("[scenario]\nmain = B\n" TASK "[task B]\nsteps = cpu 1\n", &sc);
	assert_int_equal(sc.main_task, 1);
	scenario_free(&sc);
	expect_error("[scenario]\nmain = C\n" TASK, "t.ini:2: main names no task: \"C\"");
	/* Copies are A1 and A2: the template's own name is none of them. */
	expect_error("[scenario]\nmain = A\n[task A]\nsteps = cpu 1\ncount = 2\n",
		     "t.ini:2: main names no task: \"A\"");
}

static void test_bad_wait_and_gil(void **state)
{
	(void)state;
	expect_error("[scenario]\nwait = any\n" TASK,
		     "t.ini:2: wait must be \"all\" or \"first\", not \"any\"");
	expect_error("[scenario]\ngil = yes\n" TASK,
		     "t.ini:2: gil must be \"new\", \"old\" or \"off\", not \"yes\"");
}

static void test_bad_workers(void **state)
{
	(void)state;
	expect_error("[scenario]\nworkers = 0\n" TASK,
		     "t.ini:2: workers must be an integer from 1 to 64, not \"0\"");
	expect_error("[scenario]\nworkers = 65\n" TASK,
		     "t.ini:2: workers must be an integer from 1 to 64, not \"65\"");
	expect_error("[scenario]\nworkers = four\n" TASK,
		     "t.ini:2: workers must be an integer from 1 to 64, not \"four\"");
}

static void test_bad_switch_interval(void **state)
{
	static const char *const bad[] = {"0", "-1", "1001", "fast", "nan"};
	char text[256], want[256];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(text, sizeof text, "[scenario]\n\nswitch_interval = %s\n" TASK, bad[i]);
		snprintf(want, sizeof want,
			 "t.ini:3: switch_interval must be a number of ms above 0 and at most "
			 "1000, not \"%s\"",
			 bad[i]);
		expect_error(text, want);
	}
}

static void test_missing_sections(void **state)
{
	(void)state;
	expect_error(TASK, "t.ini: no [scenario] section");
	expect_error(HEAD, "t.ini: no tasks (add a [task NAME] section)");
	expect_error("", "t.ini: no [scenario] section");
	expect_error("; only a comment\n", "t.ini: no [scenario] section");
	expect_error(HEAD TASK "[scenario]\n", "t.ini:5: a second [scenario] section");
}

static void test_duplicate_names(void **state)
{
	(void)state;
	expect_error(HEAD TASK "[task A]\nsteps = io 1\n",
		     "t.ini:5: duplicate task \"A\" (first at line 3)");
	/* Copies are named A1, A2: a task called A2 collides with one. */
	expect_error(HEAD TASK "count = 2\n[task A2]\nsteps = io 1\n",
		     "t.ini:6: two tasks are named \"A2\" (count names copies NAME1..NAMEN)");
}

static void test_bad_task_name(void **state)
{
	(void)state;
	expect_error(HEAD "[task a.b]\nsteps = io 1\n",
		     "t.ini:3: bad task name \"a.b\" (use letters, digits, '-' and '_')");
	expect_error(HEAD "[task a b]\nsteps = io 1\n",
		     "t.ini:3: bad task name \"a b\" (use letters, digits, '-' and '_')");
	expect_error(HEAD "[task]\nsteps = io 1\n",
		     "t.ini:3: a task section needs a name: [task NAME]");
	expect_error(HEAD "[task abcdefghijklmnopqrstuvwxy]\nsteps = io 1\n",
		     "t.ini:3: task name \"abcdefghijklmnopqrstuvwxy\" is too long (at most 24 "
		     "characters)");
}

static void test_duplicate_and_empty_keys(void **state)
{
	(void)state;
	expect_error("[scenario]\ntitle = a\ntitle = b\n" TASK, "t.ini:3: duplicate key \"title\"");
	expect_error(HEAD "[task A]\nsteps = io 1\nsteps = io 2\n",
		     "t.ini:5: duplicate key \"steps\"");
	expect_error("[scenario]\nbackend =\n" TASK, "t.ini:2: missing value for \"backend\"");
	expect_error(HEAD "[task A]\nsteps = io 1\n  count = 3\n",
		     "t.ini:5: unknown step \"count\"");
	expect_error("[scenario]\nworkers = 2\n   3\n" TASK,
		     "t.ini:3: indented line: \"workers\" takes one line");
}

static void test_too_many_narration_lines(void **state)
{
	char text[2048] = "[scenario]\n";

	(void)state;
	for (int i = 0; i <= SCENARIO_MAX_NARRATION; i++)
		strcat(text, "narration = more\n");
	strcat(text, TASK);
	expect_error(text, "t.ini:18: too many narration lines (at most 16)");
}

static void test_text_too_long(void **state)
{
	char text[512], want[128];

	(void)state;
	snprintf(text, sizeof text, "[scenario]\nbackend = %040d\n" TASK, 0);
	snprintf(want, sizeof want, "t.ini:2: \"backend\" is too long (at most 31 characters)");
	expect_error(text, want);
}

static void test_not_ini(void **state)
{
	(void)state;
	expect_error("This is not a scenario.\nJust prose.\n",
		     "t.ini:1: expected \"[section]\" or \"key = value\"");
	expect_error(HEAD TASK "just words\n",
		     "t.ini:5: expected \"[section]\" or \"key = value\"");
	expect_error(HEAD "[task A\nsteps = io 1\n",
		     "t.ini:3: missing \"]\" in the section header");
	expect_error(HEAD "[task A] steps = io 1\n", "t.ini:3: unexpected text after \"]\"");
	/* libinih's complaint comes first when its line comes first. */
	expect_error(HEAD "oops\n[task A]\nsteps = cpuu 1\n",
		     "t.ini:3: expected \"[section]\" or \"key = value\"");
}

static void test_line_too_long(void **state)
{
	char text[512];

	(void)state;
	snprintf(text, sizeof text, HEAD "title = %0250d\n" TASK, 0);
	expect_error(text, "t.ini:3: line too long (at most 198 characters)");
}

/* ---- files ------------------------------------------------------------- */

static void test_load_missing_file(void **state)
{
	struct scenario sc;
	char err[512], path[PATH_MAX], want[PATH_MAX + 64];

	(void)state;
	snprintf(path, sizeof path, "%s/nope.ini", tmpdir);
	snprintf(want, sizeof want, "%s: No such file or directory", path);
	assert_int_equal(scenario_load(path, &sc, err, sizeof err), -1);
	assert_string_equal(err, want);
	assert_null(sc.tasks);
}

static void test_load_directory(void **state)
{
	struct scenario sc;
	char err[512], want[PATH_MAX + 64];

	(void)state;
	snprintf(want, sizeof want, "%s: not a regular file", tmpdir);
	assert_int_equal(scenario_load(tmpdir, &sc, err, sizeof err), -1);
	assert_string_equal(err, want);
	assert_int_equal(scenario_load("/dev/null", &sc, err, sizeof err), -1);
	assert_string_equal(err, "/dev/null: not a regular file");
}

static void test_load_fifo(void **state)
{
	struct scenario sc;
	char err[512], path[PATH_MAX], want[PATH_MAX + 64];

	(void)state;
	snprintf(path, sizeof path, "%s/fifo.ini", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(want, sizeof want, "%s: not a regular file", path);
	assert_int_equal(scenario_load(path, &sc, err, sizeof err), -1);
	assert_string_equal(err, want);
}

/* Loads PATH and compares the error with WANT: 0 when it matches (for a child process). */
static int load_fails_with(const char *path, const char *want)
{
	struct scenario sc;
	char err[512] = "";

	if (scenario_load(path, &sc, err, sizeof err) == 0 || strcmp(err, want) != 0) {
		fprintf(stderr, "got \"%s\", want \"%s\"\n", err, want);
		return 1;
	}
	return 0;
}

static void test_load_unreadable(void **state)
{
	char path[PATH_MAX], want[PATH_MAX + 64];
	const char text[] = HEAD TASK;
	int status;
	pid_t pid;

	(void)state;
	snprintf(path, sizeof path, "%s/secret.ini", tmpdir);
	write_file(path, text, sizeof text - 1);
	assert_int_equal(chmod(path, 0), 0);
	snprintf(want, sizeof want, "%s: Permission denied", path);
	if (geteuid() != 0) {
		assert_int_equal(load_fails_with(path, want), 0);
		return;
	}
	/* Root reads anything: try as nobody, in a child so this process keeps its rights. */
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(77);
		_exit(load_fails_with(path, want));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_load_binary(void **state)
{
	struct scenario sc;
	char err[512], path[PATH_MAX], want[PATH_MAX + 64];
	const char text[] = "[scenario]\ntitle = a\0b\n";

	(void)state;
	snprintf(path, sizeof path, "%s/binary.ini", tmpdir);
	write_file(path, text, sizeof text - 1);
	snprintf(want, sizeof want, "%s:2: not a text file (NUL byte)", path);
	assert_int_equal(scenario_load(path, &sc, err, sizeof err), -1);
	assert_string_equal(err, want);
}

static void test_load_file_errors_name_lines(void **state)
{
	struct scenario sc;
	char err[512], path[PATH_MAX], want[PATH_MAX + 64];
	const char text[] = "; a comment\n[scenario]\n\n[task A]\nsteps = cpu 1, cpuu 2\n";

	(void)state;
	snprintf(path, sizeof path, "%s/bad.ini", tmpdir);
	write_file(path, text, sizeof text - 1);
	snprintf(want, sizeof want, "%s:5: unknown step \"cpuu\"", path);
	assert_int_equal(scenario_load(path, &sc, err, sizeof err), -1);
	assert_string_equal(err, want);
}

static void test_load_good_file(void **state)
{
	struct scenario sc;
	char err[512] = "", path[PATH_MAX];
	/* No newline at the end, and CRLF line ends: both are fine. */
	const char text[] = "[scenario]\r\ntitle = From a file\r\n[task A]\r\nsteps = io 3";

	(void)state;
	snprintf(path, sizeof path, "%s/my-file.ini", tmpdir);
	write_file(path, text, sizeof text - 1);
	assert_int_equal(scenario_load(path, &sc, err, sizeof err), 0);
	assert_string_equal(sc.name, "my-file");
	assert_string_equal(sc.title, "From a file");
	assert_int_equal(sc.ntasks, 1);
	assert_int_equal(sc.tasks[0].steps[0].kind, STEP_IO);
	assert_true(sc.tasks[0].steps[0].ms == 3.0);
	scenario_free(&sc);
}

/* ---- good input -------------------------------------------------------- */

static void test_every_key(void **state)
{
	struct scenario sc;
	const char *text =
	    "; a full example\n"
	    "[scenario]\n"
	    "name = full\n"
	    "title = Every key\n"
	    "source = seed 003\n"
	    "backend = gil\n"
	    "narration = First line.\n"
	    "narration = Second line.\n"
	    "workers = 3\n"
	    "wait = first\n"
	    "gil = old\n"
	    "switch_interval = 2.5\n"
	    "\n"
	    "[task A]\n"
	    "steps = cpu 5, native 1, io 800, sleep 2, block 3, offload 4, spin 100, print done\n"
	    "repeat = 3\n"
	    "[task B]\n"
	    "steps = io 1\n"
	    "count = 1\n";

	(void)state;
	parse_ok(text, &sc);
	assert_string_equal(sc.name, "full");
	assert_string_equal(sc.title, "Every key");
	assert_string_equal(sc.source, "seed 003");
	assert_string_equal(sc.backend, "gil");
	assert_int_equal(sc.nnarration, 2);
	assert_string_equal(sc.narration[0], "First line.");
	assert_string_equal(sc.narration[1], "Second line.");
	assert_int_equal(sc.workers, 3);
	assert_int_equal(sc.wait, WAIT_FIRST);
	assert_string_equal(sc.gil, "old");
	assert_true(sc.switch_interval_ms == 2.5);
	assert_int_equal(sc.ntasks, 2);
	assert_string_equal(sc.tasks[0].name, "A");
	assert_int_equal(sc.tasks[0].nsteps, 8);
	assert_int_equal(sc.tasks[0].repeat, 3);
	for (int k = 0; k < sc.tasks[0].nsteps - 1; k++)
		assert_int_equal(sc.tasks[0].steps[k].kind, k);
	assert_int_equal(sc.tasks[0].steps[7].kind, STEP_PRINT);
	assert_true(sc.tasks[0].steps[2].ms == 800.0);
	assert_true(sc.tasks[0].steps[6].ms == 100.0);
	assert_string_equal(sc.tasks[1].name, "B"); /* count = 1: no digit */
	assert_int_equal(sc.nsteps, 9);
	scenario_free(&sc);
	assert_null(sc.tasks);
	assert_int_equal(sc.nnarration, 0);
}

static void test_inline_comments(void **state)
{
	struct scenario sc;
	const char *text = "[scenario]   ; the header\n"
			   "backend = threads          ; the default executor\n"
			   "narration = One; two.   ; repeatable\n"
			   "[task B] ; a task\n"
			   "steps = cpu 5, io 800, cpu 5   ; comma-separated steps: KIND MS\n"
			   "repeat = 2                     ; the step list twice\n"
			   "count = 3                      ; B1..B3\n";

	(void)state;
	parse_ok(text, &sc);
	assert_string_equal(sc.backend, "threads");
	assert_string_equal(sc.narration[0], "One; two.");
	assert_int_equal(sc.ntasks, 3);
	assert_int_equal(sc.tasks[0].nsteps, 3);
	assert_int_equal(sc.tasks[0].repeat, 2);
	scenario_free(&sc);
}

static void test_count_copies_share_steps(void **state)
{
	struct scenario sc;

	(void)state;
	parse_ok(HEAD "[task A]\nsteps = sleep 1\n[task B]\nsteps = cpu 5, io 8\ncount = 12\n"
		      "repeat = 4\n[task C]\nsteps = io 2\n",
		 &sc);
	assert_int_equal(sc.ntasks, 14);
	assert_int_equal(sc.nsteps, 4); /* templates' steps only: copies share them */
	assert_string_equal(sc.tasks[0].name, "A");
	assert_string_equal(sc.tasks[1].name, "B1");
	assert_string_equal(sc.tasks[2].name, "B2");
	assert_string_equal(sc.tasks[12].name, "B12");
	assert_string_equal(sc.tasks[13].name, "C");
	for (int i = 1; i <= 12; i++) {
		assert_ptr_equal(sc.tasks[i].steps, sc.tasks[1].steps);
		assert_int_equal(sc.tasks[i].nsteps, 2);
		assert_int_equal(sc.tasks[i].repeat, 4);
	}
	assert_ptr_equal(sc.tasks[0].steps, sc.steps);
	assert_ptr_equal(sc.tasks[1].steps, sc.steps + 1);
	assert_ptr_equal(sc.tasks[13].steps, sc.steps + 3);
	scenario_free(&sc);
}

static void test_decimals(void **state)
{
	struct scenario sc;

	(void)state;
	parse_ok(HEAD "[task A]\nsteps = io 0.5, cpu .25, sleep 600000, io 0\n", &sc);
	assert_true(sc.steps[0].ms == 0.5);
	assert_true(sc.steps[1].ms == 0.25);
	assert_true(sc.steps[2].ms == SCENARIO_MAX_MS);
	assert_true(sc.steps[3].ms == 0.0);
	scenario_free(&sc);
}

static void test_defaults(void **state)
{
	struct scenario sc;
	char err[256];

	(void)state;
	assert_int_equal(scenario_parse("[scenario]\n[task A]\nsteps = cpu 1\n",
					"some/dir/my-scenario.ini", &sc, err, sizeof err),
			 0);
	assert_string_equal(sc.name, "my-scenario");
	assert_string_equal(sc.title, "my-scenario");
	assert_string_equal(sc.backend, "sequential");
	assert_string_equal(sc.source, "");
	assert_string_equal(sc.gil, "");
	assert_int_equal(sc.nnarration, 0);
	assert_int_equal(sc.workers, 0);
	assert_int_equal(sc.wait, WAIT_ALL);
	assert_true(sc.switch_interval_ms == 0.0);
	assert_int_equal(sc.tasks[0].repeat, 1);
	scenario_free(&sc);
}

static void test_continuation_lines(void **state)
{
	struct scenario sc;

	(void)state;
	parse_ok(
	    "[scenario]\ntitle = A long\n  title\nnarration = One\n  more.\nnarration = Two\n"
	    "[task A]\nsteps = cpu 1,\n  io 2,\n\tsleep 3\ncount = 2\n"
	    "[task B]\nsteps =\n  ; the list starts on the next line\n  cpu 1, io 2\n\n  sleep 3\n",
	    &sc);
	assert_string_equal(sc.title, "A long title");
	assert_string_equal(sc.tasks[2].name, "B");
	assert_int_equal(sc.nnarration, 2);
	assert_string_equal(sc.narration[0], "One more.");
	assert_int_equal(sc.tasks[0].nsteps, 3);
	assert_int_equal(sc.tasks[0].steps[2].kind, STEP_SLEEP);
	assert_int_equal(sc.ntasks, 3);
	assert_int_equal(sc.tasks[2].nsteps, 3);
	scenario_free(&sc);
}

static void test_step_names(void **state)
{
	(void)state;
	assert_string_equal(step_name(STEP_CPU), "cpu");
	assert_string_equal(step_name(STEP_SPIN), "spin");
	assert_string_equal(step_name(STEP_COUNT), "?");
	assert_non_null(strstr(step_summary(STEP_IO), "latency server"));
	assert_string_equal(step_summary((enum step_kind) - 1), "?");
	for (int k = 0; k < STEP_COUNT; k++)
		assert_int_equal(step_from_name(step_name(k)), k);
	assert_int_equal(step_from_name("cpuu"), -1);
	assert_int_equal(step_from_name(""), -1);
}

static void test_scale_and_has_step(void **state)
{
	struct scenario sc;

	(void)state;
	parse_ok(HEAD "[task A]\nsteps = cpu 10, io 0.5\ncount = 3\n[task B]\nsteps = sleep 800\n",
		 &sc);
	sc.switch_interval_ms = 2;
	scenario_scale(&sc, 2.5);
	assert_true(sc.switch_interval_ms == 5.0);
	assert_true(sc.scale == 2.5);
	assert_true(sc.tasks[0].steps[0].ms == 25.0);
	assert_true(sc.tasks[2].steps[1].ms == 1.25);
	assert_true(sc.tasks[3].steps[0].ms == 2000.0);
	scenario_scale(&sc, 0); /* ignored: a scale must be positive */
	scenario_scale(&sc, -1);
	assert_true(sc.tasks[3].steps[0].ms == 2000.0);
	assert_true(scenario_has_step(&sc, STEP_IO));
	assert_true(scenario_has_step(&sc, STEP_SLEEP));
	assert_false(scenario_has_step(&sc, STEP_SPIN));
	scenario_free(&sc);
}

/* ---- built-in scenarios ------------------------------------------------- */

static const char *const executors[] = {"sequential", "threads", "threads-1core", "processes",
					"pool",	      "asyncio", "green",	  "callbacks",
					"gil",	      "workers"};

static bool known_executor(const char *name)
{
	for (size_t i = 0; i < sizeof executors / sizeof *executors; i++)
		if (strcmp(executors[i], name) == 0)
			return true;
	return false;
}

/* The scenarios DESIGN.md promises, each of which must be a file. */
static const char *const builtins[] = {
    "overview",	   "hello",	      "seed-sleep", "seed-fib",	     "cpu-bound",      "io-bound",
    "primes-pool", "first-completed", "spinner",    "spinner-cpu",   "gil-battle",     "gil-convoy",
    "c10k",	   "web-server",      "daemon",	    "callback-hell", "blocking-sleep", "offload",
    "native-gil",  "task-queue"};

/* Every executor a narration line is tagged for exists. */
static void check_tags(const char *path, const char *tags)
{
	char buf[256], *save;

	snprintf(buf, sizeof buf, "%s", tags);
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save))
		if (!known_executor(w))
			fail_msg("%s: narration for unknown executor \"%s\"", path, w);
}

static void check_builtin(const char *path, const char *stem)
{
	struct scenario sc;
	char err[512] = "";

	if (scenario_load(path, &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_string_equal(sc.name, stem);
	assert_true(strlen(sc.title) > 0 && strcmp(sc.title, sc.name) != 0);
	/* From the seeds ("seed 003", "seeds 000, 003"), CPython, or the program's own. */
	assert_true(strncmp(sc.source, "seed", 4) == 0 || strcmp(sc.source, "CPython") == 0 ||
		    strcmp(sc.source, "conctui") == 0);
	/* Each executor's screen tells two to five lines, and tags name real executors. */
	for (size_t i = 0; i < sizeof executors / sizeof *executors; i++) {
		const char *lines[SCENARIO_MAX_NARRATION];
		int n = scenario_narration_for(&sc, executors[i], lines, SCENARIO_MAX_NARRATION);
		if (n < 2 || n > 5)
			fail_msg("%s: %d narration lines on %s", path, n, executors[i]);
	}
	for (int i = 0; i < sc.nnarration; i++)
		if (sc.narration_for[i])
			check_tags(path, sc.narration_for[i]);
	assert_true(sc.ntasks >= 1);
	if (!known_executor(sc.backend))
		fail_msg("%s: unknown backend \"%s\"", path, sc.backend);
	scenario_free(&sc);
}

static void test_every_builtin_loads(void **state)
{
	const char *dir = builtin_dir();
	char path[PATH_MAX + 300], stem[256];
	struct dirent *e;
	int n = 0;
	DIR *d;

	(void)state;
	assert_non_null(d = opendir(dir));
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 4, ".ini") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		snprintf(stem, sizeof stem, "%.*s", (int)(len - 4), e->d_name);
		check_builtin(path, stem);
		n++;
	}
	closedir(d);
	assert_true(n >= (int)(sizeof builtins / sizeof *builtins));
	for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++) {
		snprintf(path, sizeof path, "%s/%s.ini", dir, builtins[i]);
		if (access(path, R_OK) != 0)
			fail_msg("missing built-in scenario %s", path);
	}
}

/* Fidelity item 1 depends on these exact numbers. */
static void test_builtin_workloads(void **state)
{
	struct scenario sc;
	char path[PATH_MAX], err[512] = "";

	(void)state;
	builtin_dir();
	assert_int_equal(scenario_resolve("seed-sleep", path, sizeof path, err, sizeof err), 0);
	assert_int_equal(scenario_load(path, &sc, err, sizeof err), 0);
	assert_int_equal(sc.ntasks, 2);
	assert_int_equal(sc.tasks[0].nsteps, 1);
	assert_int_equal(sc.tasks[0].steps[0].kind, STEP_SLEEP);
	assert_true(sc.tasks[0].steps[0].ms == 800.0);
	assert_true(sc.tasks[1].steps[0].ms == 900.0);
	scenario_free(&sc);

	assert_int_equal(scenario_resolve("first-completed", path, sizeof path, err, sizeof err),
			 0);
	assert_int_equal(scenario_load(path, &sc, err, sizeof err), 0);
	assert_int_equal(sc.wait, WAIT_FIRST);
	scenario_free(&sc);

	assert_int_equal(scenario_resolve("c10k", path, sizeof path, err, sizeof err), 0);
	assert_int_equal(scenario_load(path, &sc, err, sizeof err), 0);
	assert_int_equal(sc.ntasks, 10000);
	assert_string_equal(sc.tasks[9999].name, "conn10000");
	scenario_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unknown_section),
	    cmocka_unit_test(test_unknown_key),
	    cmocka_unit_test(test_backend_line),
	    cmocka_unit_test(test_echo_escaped),
	    cmocka_unit_test(test_unknown_step),
	    cmocka_unit_test(test_missing_duration),
	    cmocka_unit_test(test_negative_duration),
	    cmocka_unit_test(test_non_numeric_duration),
	    cmocka_unit_test(test_duration_too_long),
	    cmocka_unit_test(test_spin_needs_a_period),
	    cmocka_unit_test(test_print_steps),
	    cmocka_unit_test(test_print_errors),
	    cmocka_unit_test(test_narration_tags),
	    cmocka_unit_test(test_step_syntax),
	    cmocka_unit_test(test_too_many_steps),
	    cmocka_unit_test(test_empty_task),
	    cmocka_unit_test(test_bad_count),
	    cmocka_unit_test(test_bad_repeat),
	    cmocka_unit_test(test_too_many_tasks),
	    cmocka_unit_test(test_bad_wait_and_gil),
	    cmocka_unit_test(test_main_task),
	    cmocka_unit_test(test_bad_workers),
	    cmocka_unit_test(test_bad_switch_interval),
	    cmocka_unit_test(test_missing_sections),
	    cmocka_unit_test(test_duplicate_names),
	    cmocka_unit_test(test_bad_task_name),
	    cmocka_unit_test(test_duplicate_and_empty_keys),
	    cmocka_unit_test(test_too_many_narration_lines),
	    cmocka_unit_test(test_text_too_long),
	    cmocka_unit_test(test_not_ini),
	    cmocka_unit_test(test_line_too_long),
	    cmocka_unit_test(test_load_missing_file),
	    cmocka_unit_test(test_load_directory),
	    cmocka_unit_test(test_load_fifo),
	    cmocka_unit_test(test_load_unreadable),
	    cmocka_unit_test(test_load_binary),
	    cmocka_unit_test(test_load_file_errors_name_lines),
	    cmocka_unit_test(test_load_good_file),
	    cmocka_unit_test(test_every_key),
	    cmocka_unit_test(test_inline_comments),
	    cmocka_unit_test(test_count_copies_share_steps),
	    cmocka_unit_test(test_decimals),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_continuation_lines),
	    cmocka_unit_test(test_step_names),
	    cmocka_unit_test(test_scale_and_has_step),
	    cmocka_unit_test(test_every_builtin_loads),
	    cmocka_unit_test(test_builtin_workloads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
