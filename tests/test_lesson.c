/*
 * test_lesson.c -- the lesson parser: a good file gives its beats in
 * order, and each kind of bad file gives one "file:line: message" with the
 * line it is about; the answers' expressions and the words choices are read by.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lesson.h"

#define HEAD "[lesson]\nname = t\ntitle = A test\n"

static const char good[] = HEAD "[beat one]\n"
				"scenario = seed-sleep\n"
				"backend = threads\n"
				"scale = 0.5\n"
				"narration = first line\n"
				"narration = second line\n"
				"at = first gil hand-off: pause\n"
				"at = 1.5 s: a line\n"
				"question = How long?\n"
				"choice = 0.9 s\n"
				"choice = 1.7 s\n"
				"answer = wall\n"
				"[beat two]\n"
				"scenario = compare cpu-bound\n"
				"[beat three]\n"
				"scenario = overview\n"
				"[beat four]\n"
				"scenario = costs\n"
				"[beat five]\n"
				"scenario = gil-battle\n"
				"question = Faster?\n"
				"choice = yes\n"
				"choice = no\n"
				"answer = wall < 0.7 * sequential\n";

static void test_good(void **state)
{
	(void)state;
	struct lesson l;
	char err[256] = "";

	assert_int_equal(lesson_parse(good, "good.ini", &l, err, sizeof err), 0);
	assert_string_equal(l.name, "t");
	assert_string_equal(l.title, "A test");
	assert_int_equal(l.nbeats, 5);
	const struct lesson_beat *b = &l.beats[0];
	assert_string_equal(b->id, "one");
	assert_int_equal(b->kind, BEAT_SCENARIO);
	assert_string_equal(b->scenario, "seed-sleep");
	assert_string_equal(b->backend, "threads");
	assert_true(b->scale == 0.5);
	assert_int_equal(b->nnarration, 2);
	assert_int_equal(b->nat, 2);
	assert_int_equal(b->at[0].event, LESSON_EVENT_GIL_HANDOFF);
	assert_true(b->at[0].pause);
	assert_true(b->at[1].ms == 1500);
	assert_string_equal(b->at[1].text, "a line");
	assert_int_equal(b->nchoice, 2);
	assert_true(b->answer.selector);
	assert_int_equal(b->answer.sel, LESSON_FIG_WALL);
	assert_int_equal(l.beats[1].kind, BEAT_COMPARE);
	assert_string_equal(l.beats[1].scenario, "cpu-bound");
	assert_int_equal(l.beats[2].kind, BEAT_OVERVIEW);
	assert_int_equal(l.beats[3].kind, BEAT_COSTS);
	assert_false(l.beats[4].answer.selector);
	lesson_free(&l);
}

/* Each bad text gives exactly MSG (file:line: message). */
static void expect_error(const char *text, const char *msg)
{
	struct lesson l;
	char err[256] = "";

	assert_int_equal(lesson_parse(text, "bad.ini", &l, err, sizeof err), -1);
	if (strcmp(err, msg) != 0)
		fail_msg("expected \"%s\", got \"%s\"", msg, err);
	assert_int_equal(l.nbeats, 0);
	assert_null(l.beats);
}

static void test_missing_scenario(void **state)
{
	(void)state;
	expect_error(HEAD "[beat a]\nnarration = hello\n", "bad.ini:4: beat \"a\" has no scenario");
}

static void test_unknown_key(void **state)
{
	(void)state;
	expect_error(HEAD "[beat a]\nscenario = hello\ncolour = red\n",
		     "bad.ini:6: unknown key \"colour\" in a beat (title, scenario, backend, "
		     "scale, narration, at, question, choice, answer)");
	expect_error("[lesson]\nauthor = me\n",
		     "bad.ini:2: unknown key \"author\" in [lesson] (name, title)");
}

static void test_unknown_section(void **state)
{
	(void)state;
	expect_error(HEAD "[scene a]\n",
		     "bad.ini:4: unknown section \"[scene a]\" (expected [lesson] or [beat NAME])");
	expect_error("[beat a]\nscenario = hello\n",
		     "bad.ini:1: a beat before the [lesson] section");
}

static void test_answer_unknown_figure(void **state)
{
	(void)state;
	expect_error(HEAD "[beat a]\nscenario = hello\nquestion = q\nchoice = yes\nchoice = no\n"
			  "answer = speed > 2\n",
		     "bad.ini:9: answer \"speed > 2\" cannot be checked: an unknown figure (wall, "
		     "cpu, sequential, cores, tasks, running, gap, switches, overlap, frozen)");
}

static void test_answer_not_checkable(void **state)
{
	(void)state;
	/* A number alone picks no choice. */
	expect_error(HEAD "[beat a]\nscenario = hello\nquestion = q\nchoice = yes\nchoice = no\n"
			  "answer = cpu\n",
		     "bad.ini:9: answer \"cpu\" cannot be checked: a number alone picks no "
		     "choice: compare it (wall < 1000)");
	/* wall needs durations in its choices. */
	expect_error(HEAD "[beat a]\nscenario = hello\nquestion = q\nchoice = fast\nchoice = 2 "
			  "s\nanswer = wall\n",
		     "bad.ini:9: answer \"wall\" cannot be checked: choice 1 names no duration "
		     "(\"0.9 s\", \"800 ms\")");
	/* fastest needs several runs. */
	expect_error(HEAD "[beat a]\nscenario = hello\nquestion = q\nchoice = threads\nchoice = "
			  "asyncio\nanswer = fastest\n",
		     "bad.ini:9: answer cannot be checked on this beat (fastest needs overview or "
		     "compare; every other figure one scenario)");
	/* The costs table is not a run. */
	expect_error(HEAD "[beat a]\nscenario = costs\nquestion = q\nchoice = yes\nchoice = no\n"
			  "answer = overlap\n",
		     "bad.ini:9: answer cannot be checked: the costs table is not a run");
	/* A question must have an answer the run can check. */
	expect_error(HEAD "[beat a]\nscenario = hello\nquestion = q\nchoice = yes\nchoice = no\n",
		     "bad.ini:6: a question needs an answer the run can check");
	/* yes-or-no selectors need choices that say yes and no. */
	expect_error(HEAD "[beat a]\nscenario = hello\nquestion = q\nchoice = sure\nchoice = "
			  "nope\nanswer = overlap\n",
		     "bad.ini:9: answer \"overlap\" cannot be checked: its choices must begin with "
		     "\"yes\" or \"no\"");
}

static void test_other_errors(void **state)
{
	(void)state;
	expect_error(HEAD "[beat a]\nscenario = hello\nat = soon: pause\n",
		     "bad.ini:6: unknown time point \"soon\" (a time in ms or s, or: first gil "
		     "hand-off, first preemption, first task done, end)");
	expect_error(HEAD "[beat a]\nscenario = hello\nscenario = hello\n",
		     "bad.ini:6: duplicate key \"scenario\"");
	expect_error(HEAD "[beat a]\nscenario = hello\n[beat a]\nscenario = hello\n",
		     "bad.ini:6: a second beat named \"a\"");
	expect_error(HEAD, "bad.ini: no beats (add a [beat NAME] section)");
	expect_error("", "bad.ini: no [lesson] section");
	expect_error(HEAD "this is not ini\n",
		     "bad.ini:4: expected \"[section]\" or \"key = value\"");
	expect_error(HEAD "[beat a]\nscenario = costs\nbackend = threads\n",
		     "bad.ini:6: the costs table runs no scenario: no backend or time points");
}

/* Escaped: a control byte in a name never reaches the terminal. */
static void test_escaped(void **state)
{
	(void)state;
	struct lesson l;
	char err[256] = "";

	assert_int_equal(lesson_parse(HEAD "[beat a]\nscenario = x\nbad\x1b[2J = 1\n", "bad.ini",
				      &l, err, sizeof err),
			 -1);
	assert_null(strchr(err, '\x1b'));
}

static void test_expressions(void **state)
{
	(void)state;
	struct lesson l;
	char err[256];
	double v[LESSON_FIG_COUNT] = {0};

	assert_int_equal(lesson_parse(good, "good.ini", &l, err, sizeof err), 0);
	const struct lesson_answer *a = &l.beats[4].answer;
	double lhs, rhs;
	v[LESSON_FIG_WALL] = 500;
	v[LESSON_FIG_SEQUENTIAL] = 1000;
	assert_true(lesson_answer_eval(a, v, &lhs, &rhs));
	assert_true(lhs == 500 && rhs == 700);
	v[LESSON_FIG_WALL] = 990;
	assert_false(lesson_answer_eval(a, v, NULL, NULL));
	lesson_free(&l);

	assert_true(lesson_choice_ms("0.9 s") == 900);
	assert_true(lesson_choice_ms("about 800 ms") == 800);
	assert_true(lesson_choice_ms("fast") < 0);
	assert_int_equal(lesson_choice_yes("Yes, it does"), 1);
	assert_int_equal(lesson_choice_yes("no"), 0);
	assert_int_equal(lesson_choice_yes("nope"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_missing_scenario),
	    cmocka_unit_test(test_unknown_key),
	    cmocka_unit_test(test_unknown_section),
	    cmocka_unit_test(test_answer_unknown_figure),
	    cmocka_unit_test(test_answer_not_checkable),
	    cmocka_unit_test(test_other_errors),
	    cmocka_unit_test(test_escaped),
	    cmocka_unit_test(test_expressions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
