/*
 * test_record.c -- the record format: the exact text of a small record,
 * write -> read -> write giving the same text (with a GIL lane and in
 * compare form), and every kind of malformed input failing with a message
 * that names the file and the place, never a crash or a leak.
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

#include "record.h"
#include "trace.h"

#define US 1000ull
#define MS 1000000ull

static void add(struct trace *tr, int lane, enum state st, uint64_t t0, uint64_t t1, int cpu,
		const char *reason)
{
	struct span sp = {.t0 = t0, .t1 = t1, .cpu = cpu, .state = st, .step = -1, .by = -1};

	snprintf(sp.reason, sizeof sp.reason, "%s", reason);
	assert_int_equal(trace_append(tr, lane, &sp), 0);
}

/* A span of step STEP that began because of CAUSE, caused by task BY. */
static void add_why(struct trace *tr, int lane, enum state st, uint64_t t0, uint64_t t1, int cpu,
		    const char *reason, int step, enum cause cause, int by)
{
	struct span sp = {.t0 = t0, .t1 = t1, .cpu = cpu, .state = st};

	snprintf(sp.reason, sizeof sp.reason, "%s", reason);
	sp.step = step;
	sp.cause = cause;
	sp.by = by;
	assert_int_equal(trace_append(tr, lane, &sp), 0);
}

static void set_meta(struct trace *tr, const char *scenario, const char *backend, enum model m)
{
	snprintf(tr->meta.scenario, sizeof tr->meta.scenario, "%s", scenario);
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "%s", backend);
	tr->meta.model = m;
	tr->meta.cores = 2;
}

/* seed-sleep as DESIGN.md shows it. */
static struct trace *small_trace(void)
{
	struct trace *tr = trace_create(1, 0);

	set_meta(tr, "seed-sleep", "threads", MODEL_PARALLEL);
	tr->meta.wall_ns = 901200 * US;
	tr->meta.cpu_ns = 3100 * US;
	trace_set_name(tr, 0, "A");
	add_why(tr, 0, STATE_RUNNING, 0, 100 * US, 0, "computing", 0, CAUSE_START, -1);
	add_why(tr, 0, STATE_SLEEP, 100 * US, 800600 * US, -1, "sleep 800 ms", 1, CAUSE_STEP, -1);
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	return tr;
}

/* Three tasks under the GIL, odd times, a killed task, UTF-8 and quotes. */
static struct trace *gil_trace(void)
{
	struct trace *tr = trace_create(3, TRACE_LOCK_LANE);
	int gil = trace_lock_lane(tr);

	set_meta(tr, "gil-convoy", "gil", MODEL_PSEUDO);
	snprintf(tr->meta.title, sizeof tr->meta.title, "One \"CPU\" thread \u2192 one I/O");
	tr->meta.wall_ns = 123456789;
	tr->meta.cpu_ns = 98765432;
	tr->meta.bytes_per_task = 8192.5;
	tr->meta.spinner = 1;
	tr->meta.spinner_ms = 50;
	snprintf(tr->meta.gil_mode, sizeof tr->meta.gil_mode, "new");
	tr->meta.gil_interval_ms = 5;
	tr->meta.gil_switches = 12;
	tr->meta.gil_drop_requests = 11;
	trace_set_name(tr, 0, "cpu");
	trace_set_name(tr, 1, "io\u00e9");
	trace_set_name(tr, 2, "victim");
	add(tr, 0, STATE_RUNNING, 0, 5001234, 0, "computing");
	add_why(tr, 0, STATE_LOCK, 5001234, 10002001, -1, "waiting for the GIL (switch requested)",
		0, CAUSE_GIL_DROP, 1);
	add_why(tr, 0, STATE_RUNNING, 10002001, 20000000, 1, "computing", 0, CAUSE_GIL_TAKE, 1);
	add(tr, 1, STATE_IO, 0, 1 * MS, -1, "recv on socket");
	add_why(tr, 1, STATE_LOCK, 1 * MS, 5001234, -1, "waiting for the GIL", 1, CAUSE_GIL_WAIT,
		0);
	add_why(tr, 1, STATE_RUNNING, 5001234, 10002001, 1, "tab\there \\ \"q\"", 1, CAUSE_GIL_TAKE,
		0);
	add(tr, 2, STATE_BLOCKED, 0, 7 * MS, -1, "waiting for a job");
	add(tr, 2, STATE_DONE, 7 * MS, 7 * MS, -1, "killed by SIGKILL");
	add(tr, gil, STATE_RUNNING, 0, 5001234, 0, "");
	add(tr, gil, STATE_RUNNING, 5001234, 10002001, 1, "");
	add(tr, gil, STATE_RUNNING, 10002001, 20000000, 0, "");
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	trace_set_outcome(tr, 2, OUTCOME_KILLED);
	/* B asks A to drop the GIL at 5.0 ms; A drops it and B takes it at 5.001. */
	struct trace_edge ask = {5000000, 1, 0, EDGE_GIL_ASK};
	struct trace_edge e1 = {5001234, 0, 1, EDGE_GIL}, e2 = {10002001, 1, 0, EDGE_GIL};
	assert_int_equal(trace_append_edge(tr, &ask), 0);
	assert_int_equal(trace_append_edge(tr, &e1), 0);
	assert_int_equal(trace_append_edge(tr, &e2), 0);
	return tr;
}

/* Runs WRITE on TR into a string (free it). */
static char *written(const struct trace *tr)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(record_write(tr, f), 0);
	fclose(f);
	return buf;
}

static void free_traces(struct trace **trs, int n)
{
	for (int i = 0; i < n; i++)
		trace_destroy(trs[i]);
	free(trs);
}

static void test_exact_text(void **state)
{
	(void)state;
	struct trace *tr = small_trace();
	char *text = written(tr);

	assert_string_equal(
	    text,
	    "{\"conctui\": 1, \"scenario\": \"seed-sleep\", \"title\": \"\", \"backend\": "
	    "\"threads\", \"model\": \"parallel\", \"cores\": 2, \"wall_ms\": 901.2, "
	    "\"cpu_ms\": 3.1, \"tasks\": [{\"id\": 0, \"name\": \"A\", \"outcome\": \"done\", "
	    "\"start_ms\": 0.0, \"end_ms\": 800.6, \"spans\": [{\"state\": \"running\", "
	    "\"t0\": 0.0, \"t1\": 0.1, \"cpu\": 0, \"reason\": \"computing\", \"step\": 0, "
	    "\"cause\": \"start\", \"by\": -1}, {\"state\": \"sleep\", \"t0\": 0.1, \"t1\": "
	    "800.6, \"cpu\": -1, \"reason\": \"sleep 800 ms\", \"step\": 1, \"cause\": "
	    "\"step\", \"by\": -1}]}], \"edges\": [], \"output\": [], \"findings\": []}\n");
	free(text);
	trace_destroy(tr);
}

static void assert_same_spans(const struct trace *a, const struct trace *b, int lane)
{
	struct span x, y;

	assert_int_equal(trace_count(a, lane), trace_count(b, lane));
	for (uint32_t i = 0; i < trace_count(a, lane); i++) {
		trace_get(a, lane, i, &x);
		trace_get(b, lane, i, &y);
		assert_int_equal(x.state, y.state);
		assert_int_equal(x.cpu, y.cpu);
		assert_string_equal(x.reason, y.reason);
		assert_int_equal(x.step, y.step);
		assert_int_equal(x.cause, y.cause);
		assert_int_equal(x.by, y.by);
		/* Times survive to the microsecond. */
		assert_true(llabs((long long)x.t0 - (long long)y.t0) <= 500);
		assert_true(llabs((long long)x.t1 - (long long)y.t1) <= 500);
	}
}

static void test_round_trip(void **state)
{
	(void)state;
	struct trace *tr = gil_trace(), **back = NULL;
	char *first = written(tr), *second, err[256] = "";
	int n = record_read_buffer(first, strlen(first), "gil.json", &back, err, sizeof err);

	assert_int_equal(n, 1);
	assert_string_equal(err, "");
	assert_int_equal(back[0]->ntasks, 3);
	assert_int_equal(trace_lock_lane(back[0]), 3);
	assert_string_equal(back[0]->meta.title, tr->meta.title);
	assert_string_equal(back[0]->meta.gil_mode, "new");
	assert_int_equal(back[0]->meta.gil_switches, 12);
	assert_int_equal(back[0]->meta.model, MODEL_PSEUDO);
	assert_true(back[0]->meta.bytes_per_task == 8192.5);
	/* The spinner is data, so that a replay reads no reason text. */
	assert_int_equal(back[0]->meta.spinner, 1);
	assert_true(back[0]->meta.spinner_ms == 50);
	assert_int_equal(trace_outcome(back[0], 2), OUTCOME_KILLED);
	assert_string_equal(trace_name(back[0], 1), "io\u00e9");
	for (int lane = 0; lane < tr->nlanes; lane++)
		assert_same_spans(tr, back[0], lane);
	assert_int_equal(trace_edge_count(back[0]), 3);
	struct trace_edge e;
	assert_true(trace_get_edge(back[0], 0, &e));
	assert_int_equal(e.kind, EDGE_GIL_ASK);
	assert_int_equal(e.from, 1);
	assert_true(llabs((long long)e.t - 5000000) <= 500);
	assert_true(trace_get_edge(back[0], 2, &e));
	assert_int_equal(e.from, 1);
	assert_int_equal(e.to, 0);
	assert_int_equal(e.kind, EDGE_GIL);
	assert_true(llabs((long long)e.t - 10002001) <= 500);
	second = written(back[0]);
	assert_string_equal(first, second);
	free(first);
	free(second);
	free_traces(back, n);
	trace_destroy(tr);
}

static void test_compare_form(void **state)
{
	(void)state;
	struct trace *trs[2] = {small_trace(), gil_trace()}, **back = NULL;
	char *buf = NULL, *again = NULL, err[256];
	size_t len = 0, len2 = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(record_write_compare(trs, 2, f), 0);
	fclose(f);
	assert_true(strncmp(buf, "{\"conctui\": 1, \"compare\": [{\"conctui\": 1, ", 42) == 0);
	int n = record_read_buffer(buf, len, "cmp.json", &back, err, sizeof err);
	assert_int_equal(n, 2);
	assert_int_equal(trace_lock_lane(back[0]), -1);
	assert_int_equal(trace_lock_lane(back[1]), 3);
	f = open_memstream(&again, &len2);
	assert_int_equal(record_write_compare(back, 2, f), 0);
	fclose(f);
	assert_string_equal(buf, again);
	free(buf);
	free(again);
	free_traces(back, n);
	trace_destroy(trs[0]);
	trace_destroy(trs[1]);
}

/* Reads LEN bytes of TEXT as "bad.json"; expects failure with MESSAGE. */
static void expect_error_len(const char *text, size_t len, const char *message)
{
	struct trace **out = NULL;
	char err[512] = "";
	int n = record_read_buffer(text, len, "bad.json", &out, err, sizeof err);

	if (n != -1 || !strstr(err, message) || strncmp(err, "bad.json", 8) != 0 ||
	    strchr(err, '\n'))
		fail_msg("input: %s\nwanted: %s\ngot %d: %s", text, message, n, err);
	assert_null(out);
}

static void expect_error(const char *text, const char *message)
{
	expect_error_len(text, strlen(text), message);
}

#define HEAD                                                                                       \
	"{\"conctui\": 1, \"scenario\": \"s\", \"backend\": \"b\", \"model\": \"parallel\", "      \
	"\"cores\": 2, \"wall_ms\": 1.0, \"cpu_ms\": 1.0, "
#define TASK0 "{\"id\": 0, \"name\": \"A\", \"outcome\": \"done\", \"start_ms\": 0, \"end_ms\": 1, "
#define SPAN(s, t0, t1)                                                                            \
	"{\"state\": " s ", \"t0\": " t0 ", \"t1\": " t1 ", \"cpu\": 0, \"reason\": \"\"}"

static void test_valid_minimal(void **state)
{
	(void)state;
	const char *ok =
	    HEAD "\"tasks\": [" TASK0 "\"spans\": [" SPAN("\"running\"", "0", "1") "]}]}";
	struct trace **out = NULL;
	char err[256] = "";

	struct span sp;

	assert_int_equal(record_read_buffer(ok, strlen(ok), "ok.json", &out, err, sizeof err), 1);
	assert_int_equal(trace_count(out[0], 0), 1);
	/* A record without steps, causes and edges reads as "not known". */
	trace_get(out[0], 0, 0, &sp);
	assert_int_equal(sp.step, -1);
	assert_int_equal(sp.cause, CAUSE_NONE);
	assert_int_equal(sp.by, -1);
	assert_int_equal(trace_edge_count(out[0]), 0);
	free_traces(out, 1);
}

/* Edges must join tasks of the record; a cause or kind from a newer build still reads. */
static void test_edges_and_causes(void **state)
{
	(void)state;
	const char *bad = HEAD "\"tasks\": [" TASK0 "\"spans\": []}], \"edges\": [{\"from\": 0, "
			       "\"to\": 5, \"t\": 1.0, \"kind\": \"gil\"}]}";
	const char *newer = HEAD
	    "\"tasks\": [" TASK0 "\"spans\": [{\"state\": \"running\", \"t0\": 0, \"t1\": 1, "
	    "\"cpu\": 0, \"reason\": \"x\", \"step\": 2, \"cause\": \"teleport\", \"by\": 0}]}], "
	    "\"edges\": [{\"from\": 0, \"to\": 0, \"t\": 1.0, \"kind\": \"wormhole\"}]}";
	struct trace **out = NULL;
	char err[256] = "";
	struct span sp;

	assert_int_equal(record_read_buffer(bad, strlen(bad), "bad.json", &out, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "edges[0].to"));
	assert_int_equal(
	    record_read_buffer(newer, strlen(newer), "newer.json", &out, err, sizeof err), 1);
	trace_get(out[0], 0, 0, &sp);
	assert_int_equal(sp.step, 2);
	assert_int_equal(sp.cause, CAUSE_NONE);
	assert_int_equal(sp.by, 0);
	assert_int_equal(trace_edge_count(out[0]), 0);
	free_traces(out, 1);
}

/*
 * A scaled run records its scale (the findings' thresholds followed it);
 * a run at 1 does not, and a record without one reads as 1; a scale that
 * is not more than 0 is refused.
 */
static void test_scale(void **state)
{
	(void)state;
	const char *plain = HEAD "\"tasks\": [" TASK0 "\"spans\": []}]}";
	const char *bad = HEAD "\"scale\": 0, \"tasks\": [" TASK0 "\"spans\": []}]}";
	struct trace **out = NULL;
	char err[256] = "";

	assert_int_equal(record_read_buffer(plain, strlen(plain), "p.json", &out, err, sizeof err),
			 1);
	assert_true(out[0]->meta.scale == 0);
	char *text = written(out[0]);
	assert_null(strstr(text, "\"scale\""));
	free(text);
	out[0]->meta.scale = 3;
	text = written(out[0]);
	assert_non_null(strstr(text, "\"scale\": 3"));
	free_traces(out, 1);
	assert_int_equal(record_read_buffer(text, strlen(text), "s.json", &out, err, sizeof err),
			 1);
	assert_true(out[0]->meta.scale == 3);
	free_traces(out, 1);
	free(text);
	assert_int_equal(record_read_buffer(bad, strlen(bad), "bad.json", &out, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "scale"));
}

/* Output lines come out in time order and, with findings, read back as written. */
static void test_output_and_findings(void **state)
{
	(void)state;
	struct trace *tr = small_trace(), **out = NULL;
	struct trace_finding f = {
	    .kind = FINDING_BLOCKING_CALL, .t0 = 0, .t1 = 3000 * MS, .ntasks = 1};
	struct trace_output o;
	char err[256] = "", *text, *again;

	trace_start(tr, 0);
	trace_print(tr, 0, 5 * MS, "alice done!");
	trace_print(tr, 0, 1 * MS, "hello \"alice\"");
	snprintf(f.text, sizeof f.text, "slow() blocked the event loop for 3.0 s");
	trace_add_finding(tr, &f);
	text = written(tr);
	assert_non_null(strstr(text,
			       "\"output\": [{\"task\": 0, \"t\": 1.0, \"text\": "
			       "\"hello \\\"alice\\\"\"}, {\"task\": 0, \"t\": 5.0, \"text\": "
			       "\"alice done!\"}]"));
	assert_non_null(strstr(text, "\"findings\": [{\"kind\": \"blocking-call\", \"tasks\": [0], "
				     "\"t0\": 0.0, \"t1\": 3000.0, \"text\": \"slow() blocked"));
	assert_int_equal(record_read_buffer(text, strlen(text), "r.json", &out, err, sizeof err),
			 1);
	assert_int_equal(trace_output_count(out[0]), 2);
	assert_true(trace_get_output(out[0], 0, &o));
	assert_string_equal(o.text, "hello \"alice\"");
	assert_int_equal(trace_finding_count(out[0]), 1);
	again = written(out[0]);
	assert_string_equal(text, again);
	free(again);
	free(text);
	free_traces(out, 1);
	trace_destroy(tr);
}

/* A finding that names a task the record does not have is refused; a new kind is a note. */
static void test_findings_read(void **state)
{
	(void)state;
	const char *bad =
	    HEAD "\"tasks\": [" TASK0 "\"spans\": []}], \"findings\": [{\"kind\": "
		 "\"starved\", \"tasks\": [3], \"t0\": 0, \"t1\": 1, \"text\": \"x\"}]}";
	const char *newer =
	    HEAD "\"tasks\": [" TASK0 "\"spans\": []}], \"findings\": [{\"kind\": "
		 "\"time-travel\", \"tasks\": [0], \"t0\": 0, \"t1\": 1, \"text\": \"x\"}]}";
	struct trace **out = NULL;
	struct trace_finding f;
	char err[256] = "";

	assert_int_equal(record_read_buffer(bad, strlen(bad), "bad.json", &out, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "findings[0].tasks[0]"));
	assert_int_equal(
	    record_read_buffer(newer, strlen(newer), "newer.json", &out, err, sizeof err), 1);
	assert_true(trace_get_finding(out[0], 0, &f));
	assert_int_equal(f.kind, FINDING_NOTE);
	free_traces(out, 1);
}

/* An outcome of "d\\ne" (found by the fuzzer) is echoed as one escaped line. */
static void test_echo_escaped(void **state)
{
	(void)state;
	const char *bad = HEAD "\"tasks\": [{\"id\": 0, \"name\": \"A\", \"outcome\": \"d\\ne\", "
			       "\"start_ms\": 0, \"end_ms\": 1, \"spans\": []}]}";
	const char *esc =
	    HEAD "\"tasks\": [" TASK0 "\"spans\": [" SPAN("\"\\u001b[2J\\u009b\"", "0", "1") "]}]}";
	char err[512] = "";
	struct trace **out = NULL;

	assert_int_equal(record_read_buffer(bad, strlen(bad), "x.json", &out, err, sizeof err), -1);
	assert_string_equal(err, "x.json: tasks[0].outcome: unknown outcome \"d\\ne\"");
	expect_error(esc, "unknown state \"\\x1b[2J\\u009b\"");
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("", "bad.json: empty file");
	expect_error("   ", "bad.json:1:3: invalid JSON");
	expect_error("{\"conctui\": 1,", "bad.json:1:14: invalid JSON");
	expect_error_len("\x7f"
			 "ELF\x02\x01\x00\x00",
			 8, "bad.json: not a text file (a NUL byte at offset 6)");
	expect_error("\xff\xfe{", "bad.json:1:0: invalid JSON: unable to decode byte 0xff");
	expect_error("[1, 2]", "bad.json: not a conctui record (the top level is an array");
	expect_error("{}", "bad.json: not a conctui record (no \"conctui\" key)");
	expect_error("{\"conctui\": 2}", "bad.json: conctui: version 2 is not supported");
	expect_error("{\"conctui\": \"1\"}",
		     "bad.json: conctui: expected an integer, not a string");
	expect_error("{\"conctui\": 1, \"conctui\": 1}", "duplicate");
	expect_error(HEAD "\"extra\": 0}", "bad.json: missing \"tasks\"");
	expect_error(HEAD "\"tasks\": {}}", "bad.json: tasks: expected an array, not an object");
	expect_error(HEAD "\"tasks\": []}", "bad.json: tasks: 0 tasks");
	expect_error(HEAD "\"tasks\": [3]}",
		     "bad.json: tasks[0]: expected an object, not an integer");
	expect_error(HEAD "\"tasks\": [{}]}", "bad.json: tasks[0]: missing \"id\"");
	expect_error(HEAD "\"tasks\": [" TASK0 "\"spans\": []}, " TASK0 "\"spans\": []}]}",
		     "bad.json: tasks[1].id: expected 1, not 0");
	expect_error(HEAD "\"tasks\": [" TASK0 "\"spans\": [" SPAN("\"runing\"", "0", "1") "]}]}",
		     "bad.json: tasks[0].spans[0].state: unknown state \"runing\"");
	expect_error(HEAD "\"tasks\": [" TASK0 "\"spans\": [" SPAN("3", "0", "1") "]}]}",
		     "bad.json: tasks[0].spans[0].state: expected a string, not an integer");
	expect_error(HEAD "\"tasks\": [" TASK0 "\"spans\": [" SPAN("\"io\"", "-1", "1") "]}]}",
		     "bad.json: tasks[0].spans[0].t0: negative value -1");
	expect_error(HEAD "\"tasks\": [" TASK0 "\"spans\": [" SPAN("\"io\"", "5", "1") "]}]}",
		     "bad.json: tasks[0].spans[0]: ends (t1 1.000) before it starts (t0 5.000)");
	expect_error(HEAD "\"tasks\": [" TASK0 "\"spans\": [" SPAN("\"io\"", "\"0\"", "1") "]}]}",
		     "bad.json: tasks[0].spans[0].t0: expected a number, not a string");
	expect_error(HEAD "\"tasks\": [" TASK0
			  "\"spans\": [" SPAN("\"io\"", "1e300", "1e301") "]}]}",
		     "bad.json: tasks[0].spans[0].t0: 1e+300 is out of range");
	expect_error(HEAD
		     "\"tasks\": [" TASK0
		     "\"spans\": [" SPAN("\"io\"", "2", "3") ", " SPAN("\"io\"", "1", "3") "]}]}",
		     "bad.json: tasks[0].spans[1]: starts before the span ahead of it");
	expect_error(HEAD "\"tasks\": [" TASK0 "\"spans\": [{\"state\": \"io\"}]}]}",
		     "bad.json: tasks[0].spans[0]: missing \"t0\"");
	expect_error(HEAD "\"tasks\": [{\"id\": 0, \"name\": \"A\", \"outcome\": \"won\", "
			  "\"start_ms\": 0, \"end_ms\": 1, \"spans\": []}]}",
		     "bad.json: tasks[0].outcome: unknown outcome \"won\"");
	expect_error(
	    "{\"conctui\": 1, \"scenario\": \"s\", \"backend\": \"b\", \"model\": \"fast\", "
	    "\"cores\": 2, \"wall_ms\": 1, \"cpu_ms\": 1, \"tasks\": [" TASK0 "\"spans\": []}]}",
	    "bad.json: model: unknown model \"fast\"");
	expect_error(HEAD "\"tasks\": [" TASK0 "\"spans\": []}], \"gil\": 5}",
		     "bad.json: gil: expected an object, not an integer");
	expect_error(HEAD "\"tasks\": [" TASK0 "\"spans\": []}], \"gil\": {\"mode\": \"new\", "
			  "\"interval_ms\": 5, \"switches\": 0, \"drop_requests\": 0, \"holds\": "
			  "[{\"task\": 1, \"t0\": 0, \"t1\": 1}]}}",
		     "bad.json: gil.holds[0].task: 1 is out of range (0 to 0)");
	expect_error(HEAD
		     "\"tasks\": [" TASK0 "\"spans\": []}], \"gil\": {\"mode\": \"fast\", "
		     "\"interval_ms\": 5, \"switches\": 0, \"drop_requests\": 0, \"holds\": []}}",
		     "bad.json: gil.mode: unknown mode \"fast\"");
	expect_error("{\"conctui\": 1, \"compare\": []}", "bad.json: compare: 0 records");
	expect_error("{\"conctui\": 1, \"compare\": [{\"conctui\": 1}]}",
		     "bad.json: compare[0]: missing \"tasks\"");
	expect_error("{\"conctui\": 1, \"compare\": [" HEAD "\"tasks\": [" TASK0
		     "\"spans\": [" SPAN("\"nap\"", "0", "1") "]}]}]}",
		     "bad.json: compare[0].tasks[0].spans[0].state: unknown state \"nap\"");
}

/* More tasks than a trace holds: an error before any trace is made. */
static void test_too_many_tasks(void **state)
{
	(void)state;
	size_t n = TRACE_MAX_TASKS + 1, cap = n * 3 + 256, len;
	char *buf = malloc(cap);

	len = (size_t)snprintf(buf, cap, HEAD "\"tasks\": [");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, cap - len, "{}%s", i + 1 < n ? "," : "");
	len += (size_t)snprintf(buf + len, cap - len, "]}");
	expect_error(buf, "bad.json: tasks: 100001 tasks (1 to 100000 allowed)");
	free(buf);
}

/* Every 7th prefix of a valid record fails cleanly; only the whole succeeds. */
static void test_truncations(void **state)
{
	(void)state;
	struct trace *tr = gil_trace(), **out;
	char *text = written(tr), err[512];
	size_t len = strlen(text);
	int n;

	for (size_t k = 0; k < len; k += 7) {
		out = NULL;
		n = record_read_buffer(text, k, "cut.json", &out, err, sizeof err);
		if (n != -1)
			fail_msg("prefix of %zu bytes was accepted", k);
		assert_null(out);
		assert_true(strncmp(err, "cut.json", 8) == 0);
	}
	/* The trailing newline is optional; the closing brace is not. */
	n = record_read_buffer(text, len - 1, "cut.json", &out, err, sizeof err);
	assert_int_equal(n, 1);
	free_traces(out, n);
	n = record_read_buffer(text, len - 2, "cut.json", &out, err, sizeof err);
	assert_int_equal(n, -1);
	free(text);
	trace_destroy(tr);
}

/* Bytes flipped here and there: whatever happens, no crash and no leak. */
static void test_corruptions(void **state)
{
	(void)state;
	struct trace *tr = gil_trace(), **out;
	char *text = written(tr), err[512];
	size_t len = strlen(text);
	const char junk[] = {'\0', '\xff', '"', '}', '9', '-', ','};

	for (size_t k = 0; k < len; k += 5) {
		char saved = text[k];
		text[k] = junk[k % sizeof junk];
		out = NULL;
		int n = record_read_buffer(text, len, "bad.json", &out, err, sizeof err);
		if (n > 0)
			free_traces(out, n);
		else
			assert_null(out);
		text[k] = saved;
	}
	free(text);
	trace_destroy(tr);
}

static void test_clean_text(void **state)
{
	(void)state;
	char buf[8];

	assert_string_equal(record_clean_text("ab\xe2\x86", buf, sizeof buf), "ab");
	assert_string_equal(record_clean_text("a\xff"
					      "b\xc0\xafz",
					      buf, sizeof buf),
			    "a?b??z");
	assert_string_equal(record_clean_text("\xed\xa0\x80", buf, sizeof buf), "???");
	assert_string_equal(record_clean_text("abcd\u2192", buf, 7), "abcd");
	assert_string_equal(record_clean_text("abcdefghij", buf, sizeof buf), "abcdefg");
}

/* A name cut mid-character by the trace's field still makes a record. */
static void test_cut_name(void **state)
{
	(void)state;
	struct trace *tr = small_trace(), **back;
	char *first, *second, err[256];

	trace_set_name(tr, 0,
		       "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"
		       "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9");
	first = written(tr);
	assert_int_equal(record_read_buffer(first, strlen(first), "x", &back, err, sizeof err), 1);
	assert_int_equal(strlen(trace_name(back[0], 0)), 30);
	second = written(back[0]);
	assert_string_equal(first, second);
	free(first);
	free(second);
	free_traces(back, 1);
	trace_destroy(tr);
}

static void test_files(void **state)
{
	(void)state;
	char path[] = "/tmp/test_record_XXXXXX", err[512];
	struct trace *tr = small_trace(), **out;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	assert_int_equal(record_write(tr, f), 0);
	fclose(f);
	assert_int_equal(record_read(path, &out, err, sizeof err), 1);
	assert_string_equal(out[0]->meta.scenario, "seed-sleep");
	free_traces(out, 1);
	/* "-" is stdin. */
	assert_non_null(freopen(path, "r", stdin));
	assert_int_equal(record_read("-", &out, err, sizeof err), 1);
	free_traces(out, 1);
	unlink(path);
	assert_int_equal(record_read(path, &out, err, sizeof err), -1);
	assert_true(strncmp(err, path, strlen(path)) == 0);
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(record_read("/", &out, err, sizeof err), -1);
	assert_true(strncmp(err, "/: ", 3) == 0);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_text),	  cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_compare_form),  cmocka_unit_test(test_valid_minimal),
	    cmocka_unit_test(test_malformed),	  cmocka_unit_test(test_too_many_tasks),
	    cmocka_unit_test(test_truncations),	  cmocka_unit_test(test_corruptions),
	    cmocka_unit_test(test_files),	  cmocka_unit_test(test_clean_text),
	    cmocka_unit_test(test_cut_name),	  cmocka_unit_test(test_edges_and_causes),
	    cmocka_unit_test(test_echo_escaped),  cmocka_unit_test(test_output_and_findings),
	    cmocka_unit_test(test_findings_read), cmocka_unit_test(test_scale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
