/*
 * test_chart.c -- the batch text chart: a fixed trace gives exactly the
 * expected text (ASCII, so the golden is plain), a c10k-sized trace ends
 * its rows with "... N more tasks", and no line is ever wider than asked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chart.h"
#include "state.h"
#include "trace.h"

#define MS 1000000ull

static void add(struct trace *tr, int lane, enum state st, uint64_t t0, uint64_t t1, int cpu,
		const char *reason)
{
	struct span sp = {.t0 = t0 * MS, .t1 = t1 * MS, .cpu = cpu, .state = st};

	snprintf(sp.reason, sizeof sp.reason, "%s", reason);
	assert_int_equal(trace_append(tr, lane, &sp), 0);
}

/*
 * Two threads under the GIL and a third that is killed: "cpu" computes and
 * waits for the lock; "io" comes back from I/O and a sleep into a convoy.
 */
static struct trace *gil_trace(void)
{
	struct trace *tr = trace_create(3, TRACE_LOCK_LANE);
	struct trace_meta *m = &tr->meta;
	int gil = trace_lock_lane(tr);

	snprintf(m->scenario, sizeof m->scenario, "demo");
	snprintf(m->title, sizeof m->title, "Two threads, one GIL");
	snprintf(m->backend, sizeof m->backend, "gil");
	m->model = MODEL_PSEUDO;
	m->cores = 2;
	m->wall_ns = 40 * MS;
	m->cpu_ns = 30 * MS;
	snprintf(m->gil_mode, sizeof m->gil_mode, "new");
	m->gil_interval_ms = 5;
	m->gil_switches = 3;
	m->gil_drop_requests = 2;
	trace_set_name(tr, 0, "cpu");
	trace_set_name(tr, 1, "io");
	trace_set_name(tr, 2, "killed");
	add(tr, 0, STATE_RUNNING, 0, 10, 0, "computing");
	add(tr, 0, STATE_LOCK, 10, 20, -1, "waiting for the GIL");
	add(tr, 0, STATE_RUNNING, 20, 30, 1, "computing");
	add(tr, 1, STATE_IO, 0, 5, -1, "recv on socket");
	add(tr, 1, STATE_LOCK, 5, 10, -1, "waiting for the GIL");
	add(tr, 1, STATE_RUNNING, 10, 20, 1, "computing");
	add(tr, 1, STATE_SLEEP, 20, 26, -1, "sleep 6 ms");
	add(tr, 1, STATE_LOCK, 26, 30, -1, "waiting for the GIL");
	add(tr, 1, STATE_RUNNING, 30, 40, 0, "computing");
	add(tr, 2, STATE_BLOCKED, 4, 16, -1, "waiting for a job");
	add(tr, 2, STATE_DONE, 16, 16, -1, "killed by SIGKILL");
	add(tr, gil, STATE_RUNNING, 0, 10, 0, "");
	add(tr, gil, STATE_RUNNING, 10, 20, 1, "");
	add(tr, gil, STATE_RUNNING, 20, 30, 0, "");
	add(tr, gil, STATE_RUNNING, 30, 40, 1, "");
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	trace_set_outcome(tr, 2, OUTCOME_KILLED);
	return tr;
}

/* The chart of TR as a string (free it). */
static char *charted(const struct trace *tr, const struct chart_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	chart_print(tr, o, f);
	fclose(f);
	return buf;
}

/*
 * Fails when any line of TEXT is wider than WIDTH columns.  CJK ideographs
 * (the only wide characters the tests use) count two.
 */
static void assert_width(const char *text, int width)
{
	int cols = 0, line = 1;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\n') {
			cols = 0;
			line++;
			continue;
		}
		if ((*p & 0xc0) == 0x80)
			continue;
		cols += *p == 0xe4 || *p == 0xe5 || *p == 0xe6 ? 2 : 1; /* U+4000..U+6FFF */
		if (cols > width)
			fail_msg("line %d is wider than %d:\n%s", line, width, text);
	}
}

static int count_lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

static void test_golden(void **state)
{
	(void)state;
	struct trace *tr = gil_trace();
	struct chart_opts o = {.width = 60, .ascii = true};
	char *text = charted(tr, &o);
	const char *want = "demo - Two threads, one GIL; gil (pseudo-parallel); 2 cores\n"
			   "       0          10         20         30           40.0 ms\n"
			   "       +----------+----------+----------+----------+\n"
			   "cpu    ###########xxxxxxxxxxx############            cpu 0,1\n"
			   "io     ~~~~~~xxxxx############......xxxxx########### cpu 0,1\n"
			   "killed     ______________                            killed\n"
			   "GIL    ccccccccccciiiiiiiiiiicccccccccccciiiiiiiiiii\n"
			   "cores (the task running on each):\n"
			   "cpu 0  cccccccccccc                     iiiiiiiiiiii\n"
			   "cpu 1             iiiiiiiiiiicccccccccccc\n"
			   "legend: # running on a CPU   - ready, not running\n"
			   "        ~ waiting on network I/O   . sleeping on a timer\n"
			   "        x waiting for a lock (GIL)   _ blocked (join, queue)\n"
			   "wall 40.0 ms, cpu 30.0 ms, at most 1 task running at once\n"
			   "time in states: running 40.0 ms, io 5.00 ms, sleep 6.00 ms\n"
			   "                lock 19.0 ms, blocked 12.0 ms\n"
			   "tasks: 2 done, 1 killed\n"
			   "GIL (new, switch interval 5 ms): 4 holds\n"
			   "  median hold 10.0 ms, 75.0 switches/s, 2 drop requests\n"
			   "lock wait: cpu 10.0 ms, io 9.00 ms\n"
			   "convoy (GIL wait after I/O, median): io 4.50 ms (2)\n";

	if (strcmp(text, want) != 0) {
		fprintf(stderr, "got:\n%s\nwanted:\n%s", text, want);
		fail();
	}
	free(text);
	trace_destroy(tr);
}

/* c10k: ten thousand connections, mostly waiting on I/O, on four cores. */
static struct trace *many_tasks(int n)
{
	struct trace *tr = trace_create(n, 0);
	char name[16];

	snprintf(tr->meta.scenario, sizeof tr->meta.scenario, "c10k");
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "asyncio");
	tr->meta.bytes_per_task = 8192;
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "conn%d", i + 1);
		trace_set_name(tr, i, name);
		add(tr, i, STATE_READY, 0, (uint64_t)(i % 50), -1, "queued on the event loop");
		add(tr, i, STATE_RUNNING, (uint64_t)(i % 50), (uint64_t)(i % 50) + 1, i % 4,
		    "callback");
		add(tr, i, STATE_IO, (uint64_t)(i % 50) + 1, 1000, -1, "awaiting response");
		trace_set_outcome(tr, i, OUTCOME_DONE);
	}
	return tr;
}

static void test_more_tasks(void **state)
{
	(void)state;
	struct trace *tr = many_tasks(10000);
	char *text = charted(tr, NULL);

	assert_non_null(strstr(text, "\n\u2026 9960 more tasks\n"));
	assert_non_null(strstr(text, "\nconn40 "));
	assert_null(strstr(text, "\nconn41 "));
	/* Names share a first letter, so the GIL-less core rows need a key. */
	assert_non_null(strstr(text, "\nkey: a conn1  b conn2"));
	assert_non_null(strstr(text, "  * another task\n"));
	assert_non_null(strstr(text, "memory per task: 8.0 KiB"));
	assert_non_null(strstr(text, "tasks: 10000 done"));
	assert_width(text, 100);
	assert_true(count_lines(text) < 70);
	free(text);
	trace_destroy(tr);
}

static void test_max_rows(void **state)
{
	(void)state;
	struct trace *tr = many_tasks(12);
	struct chart_opts o = {.width = 70, .ascii = true, .max_rows = 5};
	char *text = charted(tr, &o);

	assert_non_null(strstr(text, "\nconn5 "));
	assert_non_null(strstr(text, "\n... 7 more tasks\n"));
	assert_width(text, 70);
	free(text);
	trace_destroy(tr);
}

/* Names and titles that are too long, not ASCII, or hold control bytes. */
static struct trace *awkward_trace(void)
{
	struct trace *tr = trace_create(3, TRACE_LOCK_LANE);

	snprintf(tr->meta.scenario, sizeof tr->meta.scenario, "a-scenario-name-that-goes-on");
	memset(tr->meta.title, 'T', sizeof tr->meta.title - 1);
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "threads-1core");
	trace_set_name(tr, 0, "a-task-name-far-too-long-to-fit");
	trace_set_name(tr, 1, "\u00e9t\u00e9 \u2192 \u65e5\u672c");
	trace_set_name(tr, 2, "tab\there\x01\xff");
	for (int lane = 0; lane < 3; lane++) {
		add(tr, lane, STATE_RUNNING, 0, 3, lane, "computing");
		add(tr, lane, STATE_READY, 3, 1000000, -1, "preempted by the OS");
	}
	add(tr, 3, STATE_RUNNING, 0, 500000, 1, "");
	trace_set_outcome(tr, 1, OUTCOME_CANCELLED);
	return tr;
}

static void test_widths(void **state)
{
	(void)state;
	struct trace *traces[] = {gil_trace(), awkward_trace(), many_tasks(300)};

	for (int t = 0; t < 3; t++) {
		for (int width = 1; width <= 200; width += width < 40 ? 1 : 17) {
			for (int ascii = 0; ascii < 2; ascii++) {
				struct chart_opts o = {.width = width, .ascii = ascii};
				char *text = charted(traces[t], &o);
				assert_width(text, width);
				free(text);
			}
		}
		trace_destroy(traces[t]);
	}
}

/* A name holding control bytes or bad UTF-8 shows escaped, never raw. */
static void test_names_escaped(void **state)
{
	(void)state;
	struct trace *tr = awkward_trace();
	struct chart_opts o = {.width = 100};
	char *text = charted(tr, &o);

	for (const char *p = text; *p; p++)
		assert_true(*p == '\n' || ((unsigned char)*p >= 0x20 && *p != 0x7f));
	assert_non_null(strstr(text, "tab\\there\\x01"));
	free(text);
	trace_destroy(tr);
}

/* What the tasks printed, in time order and escaped. */
static void test_output_and_findings(void **state)
{
	(void)state;
	struct trace *tr = gil_trace();
	struct chart_opts o = {.width = 60};
	struct trace_output late = {.t = 30 * MS, .task = 0, .text = "cpu done"};
	struct trace_output early = {.t = 2 * MS, .task = 1, .text = "io says \x1b[2Jhi"};
	struct trace_finding f = {
	    .kind = FINDING_GIL_CONVOY, .t0 = 5 * MS, .t1 = 30 * MS, .ntasks = 2, .tasks = {1, 0}};

	snprintf(f.text, sizeof f.text,
		 "io waits 5.0 ms for the GIL each time it is back from "
		 "I/O (median of 2): about one switch interval");
	assert_int_equal(trace_append_output(tr, &late), 0);
	assert_int_equal(trace_append_output(tr, &early), 0);
	assert_int_equal(trace_add_finding(tr, &f), 0);
	char *text = charted(tr, &o);
	assert_width(text, 60);
	assert_non_null(strstr(text, "Output (2 lines, in the order printed):\n"
				     "       2.0 ms  io           io says \\x1b[2Jhi\n"
				     "      30.0 ms  cpu          cpu done\n"));
	/* The findings are the batch mode's to list, after the chart. */
	assert_null(strstr(text, "gil-convoy"));
	free(text);
	trace_destroy(tr);
}

static void test_unicode_glyphs(void **state)
{
	(void)state;
	struct trace *tr = gil_trace();
	char *text = charted(tr, NULL);

	assert_non_null(strstr(text, "demo \u2014 Two threads, one GIL"));
	assert_non_null(strstr(text, state_glyph(STATE_RUNNING)));
	assert_non_null(strstr(text, state_glyph(STATE_LOCK)));
	assert_non_null(strstr(text, "\nGIL    cccc"));
	assert_width(text, 100);
	free(text);
	trace_destroy(tr);
}

/* A lane that overflowed, and a trace with nothing in it. */
static void test_dropped_and_empty(void **state)
{
	(void)state;
	struct trace *tr = trace_create(40000, 0), *empty = trace_create(1, 0);
	char *text;

	for (uint64_t i = 0; i < 70; i++)
		trace_append(tr, 0, &(struct span){.t0 = i * MS, .t1 = (i + 1) * MS, .cpu = 0});
	text = charted(tr, NULL);
	assert_non_null(strstr(text, "\n6 spans dropped (the trace was full)\n"));
	free(text);
	text = charted(empty, NULL);
	assert_true(strncmp(text, "a run; (sequential)\n    0.0 ", 28) == 0);
	assert_non_null(strstr(text, "1 task: 1 running"));
	/* Nothing ran: said so, never "at most 0 tasks running at once". */
	assert_non_null(strstr(text, "no task ran on a CPU"));
	assert_null(strstr(text, "at most 0"));
	free(text);
	trace_destroy(tr);
	trace_destroy(empty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden),
	    cmocka_unit_test(test_more_tasks),
	    cmocka_unit_test(test_max_rows),
	    cmocka_unit_test(test_widths),
	    cmocka_unit_test(test_names_escaped),
	    cmocka_unit_test(test_unicode_glyphs),
	    cmocka_unit_test(test_output_and_findings),
	    cmocka_unit_test(test_dropped_and_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
