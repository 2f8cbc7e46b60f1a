/*
 * test_chrome_trace.c -- the Chrome Trace Event output parses as JSON, has
 * the process and thread metadata, one complete event per span (instant
 * events for zero-length ones), a GIL track whose events are the holds,
 * a flow for every hand-off with each end inside the slices it joins, and
 * counters for tasks running and the GIL's holder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "chrome_trace.h"
#include "trace.h"

#define MS 1000000ull

static void add(struct trace *tr, int lane, enum state st, uint64_t t0, uint64_t t1, int cpu,
		const char *reason)
{
	struct span sp = {.t0 = t0, .t1 = t1, .cpu = cpu, .state = st};

	snprintf(sp.reason, sizeof sp.reason, "%s", reason);
	assert_int_equal(trace_append(tr, lane, &sp), 0);
}

static struct trace *sample(unsigned flags)
{
	struct trace *tr = trace_create(2, flags);

	snprintf(tr->meta.scenario, sizeof tr->meta.scenario, "gil-battle");
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "gil");
	trace_set_name(tr, 0, "A \"quoted\"");
	/* A name cut in the middle of a character by the fixed-size field. */
	trace_set_name(tr, 1,
		       "B\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"
		       "\u00e9\u00e9\u00e9\u00e9\u00e9");
	add(tr, 0, STATE_RUNNING, 0, 5 * MS, 0, "computing");
	add(tr, 0, STATE_LOCK, 5 * MS, 10 * MS, -1, "waiting for the GIL\t(switch)");
	add(tr, 0, STATE_RUNNING, 10 * MS, 12500000, 1, "computing");
	add(tr, 1, STATE_LOCK, 0, 5 * MS, -1, "waiting for the GIL");
	add(tr, 1, STATE_RUNNING, 5 * MS, 10 * MS, 1, "computing");
	add(tr, 1, STATE_DONE, 10 * MS, 10 * MS, -1, "killed by SIGKILL");
	if (flags & TRACE_LOCK_LANE) {
		int gil = trace_lock_lane(tr);
		add(tr, gil, STATE_RUNNING, 0, 5 * MS, 0, "");
		add(tr, gil, STATE_RUNNING, 5 * MS, 10 * MS, 1, "");
		add(tr, gil, STATE_RUNNING, 10 * MS, 12500000, 0, "");
	}
	return tr;
}

/* The output for TR, parsed; fails the test when it is not JSON. */
static json_t *parsed(const struct trace *tr)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_error_t je;

	assert_int_equal(chrome_trace_write(tr, f), 0);
	fclose(f);
	json_t *root = json_loads(buf, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		fail_msg("%d:%d: %s\n%s", je.line, je.column, je.text, buf);
	free(buf);
	return root;
}

static int count(json_t *events, const char *ph, const char *cat, json_int_t tid)
{
	size_t i;
	json_t *ev;
	int n = 0;

	json_array_foreach(events, i, ev)
	{
		const char *p = json_string_value(json_object_get(ev, "ph"));
		const char *c = json_string_value(json_object_get(ev, "cat"));
		if (strcmp(p, ph) == 0 && (!cat || (c && strcmp(c, cat) == 0)) &&
		    (tid < 0 || json_integer_value(json_object_get(ev, "tid")) == tid))
			n++;
	}
	return n;
}

/* The metadata event NAME for TID, or NULL. */
static json_t *meta(json_t *events, const char *name, json_int_t tid)
{
	size_t i;
	json_t *ev;

	json_array_foreach(events, i, ev)
	{
		if (strcmp(json_string_value(json_object_get(ev, "ph")), "M") == 0 &&
		    strcmp(json_string_value(json_object_get(ev, "name")), name) == 0 &&
		    json_integer_value(json_object_get(ev, "tid")) == tid)
			return json_object_get(ev, "args");
	}
	return NULL;
}

static void test_events_and_metadata(void **state)
{
	(void)state;
	struct trace *tr = sample(0);
	json_t *root = parsed(tr), *events = json_object_get(root, "traceEvents");

	assert_true(json_is_array(events));
	assert_string_equal(json_string_value(json_object_get(root, "displayTimeUnit")), "ms");
	/* Five spans with a length, one instant, no GIL track. */
	assert_int_equal(count(events, "X", "state", -1), 5);
	assert_int_equal(count(events, "X", "state", 1), 3);
	assert_int_equal(count(events, "i", "state", 2), 1);
	assert_int_equal(count(events, "X", "gil", -1), 0);
	assert_string_equal(
	    json_string_value(json_object_get(meta(events, "process_name", 0), "name")),
	    "conctui: gil-battle on gil");
	assert_string_equal(
	    json_string_value(json_object_get(meta(events, "thread_name", 1), "name")),
	    "A \"quoted\"");
	/* The cut character is dropped: B and fifteen é. */
	assert_int_equal(
	    strlen(json_string_value(json_object_get(meta(events, "thread_name", 2), "name"))), 31);
	assert_int_equal(
	    json_integer_value(json_object_get(meta(events, "thread_sort_index", 2), "sort_index")),
	    1);
	assert_null(meta(events, "thread_name", 3));
	json_decref(root);
	trace_destroy(tr);
}

static void test_span_fields(void **state)
{
	(void)state;
	struct trace *tr = sample(0);
	json_t *root = parsed(tr), *events = json_object_get(root, "traceEvents"), *ev;
	size_t i;
	int seen = 0;

	json_array_foreach(events, i, ev)
	{
		json_t *args = json_object_get(ev, "args");
		if (strcmp(json_string_value(json_object_get(ev, "name")), "lock") != 0 ||
		    json_integer_value(json_object_get(ev, "tid")) != 1)
			continue;
		assert_true(json_number_value(json_object_get(ev, "ts")) == 5000.0);
		assert_true(json_number_value(json_object_get(ev, "dur")) == 5000.0);
		assert_string_equal(json_string_value(json_object_get(args, "reason")),
				    "waiting for the GIL\t(switch)");
		assert_int_equal(json_integer_value(json_object_get(args, "cpu")), -1);
		seen++;
	}
	assert_int_equal(seen, 1);
	json_array_foreach(events, i, ev)
	{
		if (strcmp(json_string_value(json_object_get(ev, "ph")), "i") == 0)
			assert_string_equal(json_string_value(json_object_get(
						json_object_get(ev, "args"), "reason")),
					    "killed by SIGKILL");
	}
	json_decref(root);
	trace_destroy(tr);
}

static void test_gil_track(void **state)
{
	(void)state;
	struct trace *tr = sample(TRACE_LOCK_LANE);
	json_t *root = parsed(tr), *events = json_object_get(root, "traceEvents"), *ev;
	const char *names[3];
	size_t i;
	int n = 0;

	assert_string_equal(
	    json_string_value(json_object_get(meta(events, "thread_name", 3), "name")), "GIL");
	assert_int_equal(
	    json_integer_value(json_object_get(meta(events, "thread_sort_index", 3), "sort_index")),
	    -1);
	assert_int_equal(count(events, "X", "gil", 3), 3);
	assert_int_equal(count(events, "X", "state", -1), 5);
	json_array_foreach(events, i, ev)
	{
		const char *cat = json_string_value(json_object_get(ev, "cat"));
		if (cat && strcmp(cat, "gil") == 0)
			names[n++] = json_string_value(json_object_get(ev, "name"));
	}
	assert_string_equal(names[0], "A \"quoted\"");
	assert_int_equal(strncmp(names[1], "B\u00e9", 3), 0);
	assert_string_equal(names[2], "A \"quoted\"");
	json_decref(root);
	trace_destroy(tr);
}

/* The events of phase PH and name NAME, in order, into OUT; their count. */
static int events_of(json_t *events, const char *ph, const char *name, json_t **out, int max)
{
	size_t i;
	json_t *ev;
	int n = 0;

	json_array_foreach(events, i, ev)
	{
		if (strcmp(json_string_value(json_object_get(ev, "ph")), ph) == 0 &&
		    strcmp(json_string_value(json_object_get(ev, "name")), name) == 0 && n < max)
			out[n++] = ev;
	}
	return n;
}

static double num(json_t *ev, const char *key)
{
	return json_number_value(json_object_get(ev, key));
}

/* A hand-off at 5 ms from A to B and at 10 ms back: two arrows, each end inside its slice. */
static void test_flows(void **state)
{
	(void)state;
	struct trace *tr = sample(TRACE_LOCK_LANE);
	struct trace_edge ab = {5 * MS, 0, 1, EDGE_GIL}, ba = {10 * MS, 1, 0, EDGE_GIL};
	struct trace_edge nowhere = {20 * MS, 0, 1, EDGE_GIL}; /* no slice holds it */

	assert_int_equal(trace_append_edge(tr, &ab), 0);
	assert_int_equal(trace_append_edge(tr, &ba), 0);
	assert_int_equal(trace_append_edge(tr, &nowhere), 0);
	json_t *root = parsed(tr), *events = json_object_get(root, "traceEvents");
	json_t *s[4], *f[4];

	assert_int_equal(events_of(events, "s", "gil", s, 4), 2);
	assert_int_equal(events_of(events, "f", "gil", f, 4), 2);
	/* A's running 0-5 ms hands over to B's running 5-10 ms. */
	assert_int_equal(json_integer_value(json_object_get(s[0], "tid")), 1);
	assert_true(num(s[0], "ts") > 0 && num(s[0], "ts") < 5000);
	assert_int_equal(json_integer_value(json_object_get(f[0], "tid")), 2);
	assert_true(num(f[0], "ts") > 5000 && num(f[0], "ts") < 10000);
	assert_string_equal(json_string_value(json_object_get(f[0], "bp")), "e");
	assert_true(json_equal(json_object_get(s[0], "id"), json_object_get(f[0], "id")));
	/* B's running 5-10 ms hands back to A's running from 10 ms. */
	assert_int_equal(json_integer_value(json_object_get(s[1], "tid")), 2);
	assert_true(num(s[1], "ts") > 5000 && num(s[1], "ts") < 10000);
	assert_int_equal(json_integer_value(json_object_get(f[1], "tid")), 1);
	assert_true(num(f[1], "ts") > 10000 && num(f[1], "ts") < 12500);
	json_decref(root);
	trace_destroy(tr);
}

/*
 * A drop request is no hand-off: its arrow joins the asker's wait to the
 * holder's slice at the moment it asked, not the ends of either.
 */
static void test_request_flow(void **state)
{
	(void)state;
	struct trace *tr = sample(TRACE_LOCK_LANE);
	struct trace_edge ask = {7 * MS, 0, 1, EDGE_GIL_ASK}; /* A waits; B holds */

	assert_int_equal(trace_append_edge(tr, &ask), 0);
	json_t *root = parsed(tr), *events = json_object_get(root, "traceEvents");
	json_t *s[2], *f[2];

	assert_int_equal(events_of(events, "s", "gil_ask", s, 2), 1);
	assert_int_equal(events_of(events, "f", "gil_ask", f, 2), 1);
	assert_int_equal(json_integer_value(json_object_get(s[0], "tid")), 1);
	assert_int_equal(json_integer_value(json_object_get(f[0], "tid")), 2);
	assert_true(num(s[0], "ts") == 7000 && num(f[0], "ts") == 7000);
	assert_true(json_equal(json_object_get(s[0], "id"), json_object_get(f[0], "id")));
	json_decref(root);
	trace_destroy(tr);
}

static void test_counters(void **state)
{
	(void)state;
	struct trace *tr = sample(TRACE_LOCK_LANE);
	json_t *root = parsed(tr), *events = json_object_get(root, "traceEvents");
	json_t *c[16];
	/* One task runs from 0 to 12.5 ms (A, B, A), then none. */
	double run_ts[] = {0, 12500};
	int running[] = {1, 0};
	/* The holder: A, B, A, then nobody. */
	double hold_ts[] = {0, 5000, 10000, 12500};
	int holder[] = {0, 1, 0, -1};

	assert_int_equal(events_of(events, "C", "tasks running", c, 16), 4);
	/* At 5 and 10 ms one task stops as the other starts: still one. */
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(c[1], "args"), "running")), 1);
	json_t *first = c[0], *last = c[3];
	assert_true(num(first, "ts") == run_ts[0]);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(first, "args"), "running")),
	    running[0]);
	assert_true(num(last, "ts") == run_ts[1]);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(last, "args"), "running")),
	    running[1]);
	assert_int_equal(events_of(events, "C", "GIL holder", c, 16), 4);
	for (int i = 0; i < 4; i++) {
		assert_true(num(c[i], "ts") == hold_ts[i]);
		assert_int_equal(
		    json_integer_value(json_object_get(json_object_get(c[i], "args"), "task")),
		    holder[i]);
	}
	json_decref(root);
	trace_destroy(tr);
}

/* A write error is reported, not ignored. */
/* A line printed by task 1 at 2.5 ms: an instant on its thread, named by the line. */
static void test_output_instants(void **state)
{
	(void)state;
	struct trace *tr = sample(0);
	struct trace_output o = {.t = 2500000, .task = 1, .text = "hello bob"};
	json_t *ev[2];

	assert_int_equal(trace_append_output(tr, &o), 0);
	json_t *root = parsed(tr);
	json_t *events = json_object_get(root, "traceEvents");
	assert_int_equal(events_of(events, "i", "hello bob", ev, 2), 1);
	assert_int_equal(json_integer_value(json_object_get(ev[0], "tid")), 2);
	assert_true(num(ev[0], "ts") == 2500.0);
	assert_int_equal(count(events, "i", "output", -1), 1);
	json_decref(root);
	trace_destroy(tr);
}

static void test_write_error(void **state)
{
	(void)state;
	struct trace *tr = sample(TRACE_LOCK_LANE);
	FILE *f = fopen("/dev/full", "w");

	if (!f)
		skip();
	assert_int_equal(chrome_trace_write(tr, f), -1);
	fclose(f);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_events_and_metadata), cmocka_unit_test(test_span_fields),
	    cmocka_unit_test(test_gil_track),		cmocka_unit_test(test_flows),
	    cmocka_unit_test(test_request_flow),	cmocka_unit_test(test_counters),
	    cmocka_unit_test(test_output_instants),	cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
