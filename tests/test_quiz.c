/*
 * test_quiz.c -- a lesson's beats checked against the scenarios and the
 * executors, and questions judged from hand-built traces: the verdict
 * follows what the trace says happened, whatever a stored key would say.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lesson.h"
#include "quiz.h"
#include "trace.h"

#define MS 1000000ull
#define HEAD "[lesson]\nname = t\n"

static void add(struct trace *tr, int lane, enum state st, uint64_t t0, uint64_t t1,
		enum cause cause)
{
	struct span sp = {.t0 = t0, .t1 = t1, .cpu = 0, .state = st, .step = 0, .cause = cause};

	assert_int_equal(trace_append(tr, lane, &sp), 0);
}

/* Two tasks A and B on BACKEND: A runs 0..A_END, B runs B0..B_END; wall is the later end. */
static struct trace *two_tasks(const char *backend, uint64_t a_end, uint64_t b0, uint64_t b_end)
{
	struct trace *tr = trace_create(2, 0);

	trace_set_name(tr, 0, "A");
	trace_set_name(tr, 1, "B");
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "%s", backend);
	add(tr, 0, STATE_RUNNING, 0, a_end, CAUSE_START);
	if (b0 > 0)
		add(tr, 1, STATE_READY, 0, b0, CAUSE_START);
	add(tr, 1, STATE_RUNNING, b0, b_end, CAUSE_STEP);
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	tr->meta.wall_ns = a_end > b_end ? a_end : b_end;
	tr->meta.cores = 2;
	return tr;
}

/* Parses TEXT, whose first beat is judged; the lesson is the caller's to free. */
static const struct lesson_beat *parse(struct lesson *l, const char *text)
{
	char err[256] = "";

	if (lesson_parse(text, "t.ini", l, err, sizeof err) < 0)
		fail_msg("%s", err);
	return &l->beats[0];
}

static void judge(const struct lesson_beat *b, const struct trace *tr, int picked, char *out,
		  size_t len, int *right)
{
	struct quiz_figures f;
	struct quiz_verdict v;

	quiz_measure(tr, NULL, &f);
	quiz_judge(b, &f, &v);
	quiz_reveal(b, &v, picked, out, len);
	*right = v.right;
}

static void test_first(void **state)
{
	(void)state;
	struct lesson l;
	const struct lesson_beat *b = parse(&l, HEAD "[beat a]\nscenario = hello\nquestion = "
						     "q\nchoice = A\nchoice = B\nanswer = first\n");
	char out[256];
	int right;
	struct trace *tr = two_tasks("threads", 300 * MS, 0, 500 * MS);

	judge(b, tr, 1, out, sizeof out, &right);
	assert_int_equal(right, 0);
	assert_string_equal(out, "A finished first, at 0.30 s: you said B; the run says 1) A");
	trace_destroy(tr);
	/* The same question, another run: the run decides, not a key. */
	tr = two_tasks("threads", 700 * MS, 0, 500 * MS);
	judge(b, tr, 1, out, sizeof out, &right);
	assert_int_equal(right, 1);
	assert_string_equal(out, "right! B finished first, at 0.50 s: 2) B");
	trace_destroy(tr);
	lesson_free(&l);
}

static void test_wall_nearest(void **state)
{
	(void)state;
	struct lesson l;
	const struct lesson_beat *b =
	    parse(&l, HEAD "[beat a]\nscenario = seed-sleep\nquestion = q\nchoice = 0.9 s\n"
			   "choice = 1.7 s\nanswer = wall\n");
	char out[256];
	int right;
	struct trace *tr = two_tasks("threads", 900 * MS, 0, 880 * MS);

	judge(b, tr, 1, out, sizeof out, &right);
	assert_int_equal(right, 0);
	assert_string_equal(out, "threads took 0.90 s: you said 1.7 s; the run says 1) 0.9 s");
	trace_destroy(tr);
	tr = two_tasks("sequential", 800 * MS, 800 * MS, 1700 * MS);
	judge(b, tr, 1, out, sizeof out, &right);
	assert_int_equal(right, 1);
	trace_destroy(tr);
	lesson_free(&l);
}

static void test_overlap(void **state)
{
	(void)state;
	struct lesson l;
	const struct lesson_beat *b =
	    parse(&l, HEAD "[beat a]\nscenario = hello\nquestion = q\nchoice = no, never\n"
			   "choice = yes, they do\nanswer = overlap\n");
	char out[256];
	int right;
	/* Overlapping runs: yes (choice 2, whatever the order of the choices). */
	struct trace *tr = two_tasks("threads", 300 * MS, 100 * MS, 400 * MS);

	judge(b, tr, -1, out, sizeof out, &right);
	assert_int_equal(right, 1);
	trace_destroy(tr);
	/* Touching, not overlapping: no. */
	tr = two_tasks("asyncio", 300 * MS, 300 * MS, 400 * MS);
	judge(b, tr, 0, out, sizeof out, &right);
	assert_int_equal(right, 0);
	assert_string_equal(out, "right! on asyncio at most 1 task ran at the same instant: 1) "
				 "no, never");
	trace_destroy(tr);
	lesson_free(&l);
}

/* A spinner lane whose frames are GAP ms apart, interval 100 ms. */
static struct trace *spinner(uint64_t gap)
{
	struct trace *tr = trace_create(2, 0);

	trace_set_name(tr, 0, "spinner");
	trace_set_name(tr, 1, "slow");
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "asyncio");
	tr->meta.spinner = 0;
	tr->meta.spinner_ms = 100;
	for (uint64_t t = 0; t < 1000 * MS; t += gap * MS) {
		add(tr, 0, STATE_RUNNING, t, t + MS, CAUSE_TIMER);
		add(tr, 0, STATE_SLEEP, t + MS, t + gap * MS, CAUSE_YIELD);
	}
	add(tr, 1, STATE_RUNNING, 0, 1000 * MS, CAUSE_START);
	tr->meta.wall_ns = 1000 * MS;
	return tr;
}

static void test_frozen(void **state)
{
	(void)state;
	struct lesson l;
	const struct lesson_beat *b =
	    parse(&l, HEAD "[beat a]\nscenario = spinner\nquestion = q\nchoice = yes, it stops\n"
			   "choice = no, it turns\nanswer = frozen\n");
	char out[256];
	int right;
	struct trace *tr = spinner(100);

	judge(b, tr, 0, out, sizeof out, &right);
	assert_int_equal(right, 1);
	trace_destroy(tr);
	tr = spinner(500);
	judge(b, tr, 0, out, sizeof out, &right);
	assert_int_equal(right, 0);
	assert_string_equal(out,
			    "right! on asyncio the spinner's longest gap was 0.50 s: it froze: "
			    "1) yes, it stops");
	trace_destroy(tr);
	/* A spinner task created but never given the loop (main = slow): frozen throughout. */
	tr = trace_create(2, 0);
	trace_set_name(tr, 0, "spinner");
	trace_set_name(tr, 1, "slow");
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "asyncio");
	tr->meta.spinner = 0;
	tr->meta.spinner_ms = 100;
	add(tr, 0, STATE_READY, 0, 1000 * MS, CAUSE_START);
	add(tr, 1, STATE_RUNNING, 0, 1000 * MS, CAUSE_START);
	tr->meta.wall_ns = 1000 * MS;
	judge(b, tr, 0, out, sizeof out, &right);
	assert_int_equal(right, 0);
	trace_destroy(tr);
	lesson_free(&l);
}

static void test_comparison_and_fastest(void **state)
{
	(void)state;
	struct lesson l;
	const struct lesson_beat *b = parse(
	    &l, HEAD "[beat a]\nscenario = gil-battle\nquestion = q\nchoice = yes, faster\n"
		     "choice = no, the same\nanswer = wall < 0.7 * sequential\n"
		     "[beat b]\nscenario = compare cpu-bound\nquestion = q\nchoice = threads\n"
		     "choice = asyncio\nanswer = fastest\n");
	struct trace *tr = two_tasks("gil", 500 * MS, 500 * MS, 1000 * MS);
	struct quiz_figures f;
	struct quiz_verdict v;

	quiz_measure(tr, NULL, &f);
	f.v[LESSON_FIG_SEQUENTIAL] = 1000; /* the scenario's steps, added up */
	quiz_judge(b, &f, &v);
	assert_int_equal(v.right, 1);
	assert_string_equal(v.measured, "on gil: wall 1.00 s, sequential 1.00 s");
	/* Fastest: the run with the least wall time, whatever its place. */
	struct trace *runs[2] = {tr, two_tasks("asyncio", 200 * MS, 0, 300 * MS)};
	quiz_measure_runs((const struct trace *const *)runs, 2, NULL, &f);
	quiz_judge(&l.beats[1], &f, &v);
	assert_int_equal(v.right, 1);
	assert_string_equal(v.measured, "asyncio was fastest: 0.30 s");
	/* The fastest is not a choice: the fastest of those the choices name. */
	struct trace *three[3] = {runs[0], runs[1], two_tasks("pool", 100 * MS, 0, 100 * MS)};
	quiz_measure_runs((const struct trace *const *)three, 3, NULL, &f);
	quiz_judge(&l.beats[1], &f, &v);
	assert_int_equal(v.right, 1);
	assert_string_equal(v.measured,
			    "pool was fastest: 0.10 s; of the choices, asyncio: 0.30 s");
	trace_destroy(three[2]);
	trace_destroy(runs[0]);
	trace_destroy(runs[1]);
	lesson_free(&l);
}

static void test_time_points(void **state)
{
	(void)state;
	struct lesson_at gil = {.event = LESSON_EVENT_GIL_HANDOFF};
	struct lesson_at pre = {.event = LESSON_EVENT_PREEMPT};
	struct lesson_at done = {.event = LESSON_EVENT_FIRST_DONE};
	struct lesson_at at = {.ms = 12.5};
	struct trace *tr = two_tasks("gil", 300 * MS, 0, 500 * MS);
	struct trace_edge e = {.t = 5 * MS, .from = 0, .to = 1, .kind = EDGE_GIL};

	assert_int_equal(quiz_at_ns(&gil, tr), UINT64_MAX);
	assert_int_equal(quiz_at_ns(&pre, tr), UINT64_MAX);
	assert_int_equal(trace_append_edge(tr, &e), 0);
	add(tr, 0, STATE_READY, 300 * MS, 310 * MS, CAUSE_PREEMPT);
	assert_int_equal(quiz_at_ns(&gil, tr), 5 * MS);
	assert_int_equal(quiz_at_ns(&pre, tr), 300 * MS);
	assert_int_equal(quiz_at_ns(&done, tr), 310 * MS);
	assert_int_equal(quiz_at_ns(&at, tr), 12500000);
	trace_destroy(tr);
}

/* What only the run layer knows: scenarios, executors, task names, a spinner. */
static void expect_refused(const char *text, const char *msg)
{
	struct lesson l;
	char err[512] = "";

	if (lesson_parse(text, "c.ini", &l, err, sizeof err) < 0)
		fail_msg("%s", err);
	assert_int_equal(quiz_check(&l, err, sizeof err), -1);
	if (strcmp(err, msg) != 0)
		fail_msg("expected \"%s\", got \"%s\"", msg, err);
	lesson_free(&l);
}

static void test_check(void **state)
{
	(void)state;
	expect_refused(HEAD "[beat a]\nscenario = no-such-thing\n",
		       "c.ini:4: unknown scenario \"no-such-thing\" (conctui --list shows them)");
	expect_refused(HEAD "[beat a]\nscenario = hello\nbackend = fibers\n",
		       "c.ini:5: unknown executor \"fibers\" (conctui --list shows them)");
	expect_refused(
	    HEAD "[beat a]\nscenario = hello\nquestion = q\nchoice = alice\nchoice = "
		 "carol\nanswer = first\n",
	    "c.ini:8: answer \"first\" cannot be checked: choice 2 does not begin with a "
	    "task's name (\"carol\")");
	expect_refused(HEAD "[beat a]\nscenario = hello\nquestion = q\nchoice = yes\nchoice = "
			    "no\nanswer = frozen\n",
		       "c.ini:8: answer cannot be checked: the scenario has no spinner");
	expect_refused(
	    HEAD "[beat a]\nscenario = compare hello\nquestion = q\nchoice = "
		 "threads\nchoice = fibers\nanswer = fastest\n",
	    "c.ini:8: answer \"fastest\" cannot be checked: choice 2 does not begin with "
	    "an executor's name (\"fibers\")");
}

static void test_builtin_lesson_checks(void **state)
{
	(void)state;
	struct lesson l;
	char err[512] = "";

	if (quiz_load(NULL, &l, err, sizeof err) < 0)
		fail_msg("%s", err);
	assert_true(l.nbeats >= 12);
	lesson_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_first),
	    cmocka_unit_test(test_wall_nearest),
	    cmocka_unit_test(test_overlap),
	    cmocka_unit_test(test_frozen),
	    cmocka_unit_test(test_comparison_and_fastest),
	    cmocka_unit_test(test_time_points),
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_builtin_lesson_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
