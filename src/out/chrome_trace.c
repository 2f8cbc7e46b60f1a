/*
 * chrome_trace.c -- a trace as Chrome Trace Event JSON (--trace), which
 * Perfetto and chrome://tracing open.
 *
 * One process for the run, one thread per task (named, and sorted in task
 * order), one complete event ("ph": "X") per span, named by its state, and
 * a "GIL" thread on top whose events are the lock's holds, named by the
 * task that held it.  A zero-length span (a task's final "killed by
 * SIGKILL") becomes an instant event, so its reason is not lost; so does
 * each line a task printed, on its thread, named by the line.
 *
 * Each hand-off between tasks (an edge of the trace) is a flow: an arrow
 * from a point inside the slice of the task that handed over to a point
 * inside the slice of the task that took over.  Two counter tracks follow
 * the run: how many tasks were running, and on the GIL executor which task
 * held the lock (-1: none).
 *
 * Every event is built and escaped by jansson and written as it is made,
 * one per line: a trace can hold two million spans, and a tree of them all
 * would cost far more memory than the run did.
 */
#include "chrome_trace.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>

#include "record.h"

#define CHROME_PID 1
#define CHROME_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

struct writer {
	FILE *f;
	int events; /* written so far: the first one has no comma */
	int failed; /* a write or an allocation failed */
};

/* ns -> µs, the unit of "ts" and "dur". */
static double us_of(uint64_t ns)
{
	return (double)ns / 1e3;
}

static json_t *text(const char *s)
{
	char buf[256];

	return json_string(record_clean_text(s, buf, sizeof buf));
}

/* Writes EV (taking it) as the next element of "traceEvents". */
static void emit(struct writer *w, json_t *ev)
{
	if (!ev) {
		w->failed = 1;
		return;
	}
	if (!w->failed && fputs(w->events ? ",\n" : "\n", w->f) == EOF)
		w->failed = 1;
	if (!w->failed && json_dumpf(ev, w->f, CHROME_FLAGS) != 0)
		w->failed = 1;
	w->events++;
	json_decref(ev);
}

/* A metadata event naming or ordering a thread (or the process). */
static void thread_meta(struct writer *w, int tid, const char *name, int sort)
{
	emit(w, json_pack("{s:s, s:s, s:i, s:i, s:{s:o}}", "name", "thread_name", "ph", "M", "pid",
			  CHROME_PID, "tid", tid, "args", "name", text(name)));
	emit(w, json_pack("{s:s, s:s, s:i, s:i, s:{s:i}}", "name", "thread_sort_index", "ph", "M",
			  "pid", CHROME_PID, "tid", tid, "args", "sort_index", sort));
}

static void process_meta(struct writer *w, const struct trace *tr)
{
	char name[160];

	snprintf(name, sizeof name, "conctui: %s on %s", tr->meta.scenario, tr->meta.backend);
	emit(w, json_pack("{s:s, s:s, s:i, s:i, s:{s:o}}", "name", "process_name", "ph", "M", "pid",
			  CHROME_PID, "tid", 0, "args", "name", text(name)));
}

/* A span as a complete event, or an instant one when it has no length. */
static void span_event(struct writer *w, int tid, const struct span *sp)
{
	uint64_t t1 = sp->t1 == TRACE_OPEN ? sp->t0 : sp->t1;
	json_t *args = json_pack("{s:o, s:i}", "reason", text(sp->reason), "cpu", sp->cpu);

	if (t1 > sp->t0)
		emit(w, json_pack("{s:s, s:s, s:s, s:i, s:i, s:f, s:f, s:o}", "name",
				  state_name(sp->state), "cat", "state", "ph", "X", "pid",
				  CHROME_PID, "tid", tid, "ts", us_of(sp->t0), "dur",
				  us_of(t1 - sp->t0), "args", args));
	else
		emit(w, json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:f, s:o}", "name",
				  state_name(sp->state), "cat", "state", "ph", "i", "s", "t", "pid",
				  CHROME_PID, "tid", tid, "ts", us_of(sp->t0), "args", args));
}

static void hold_event(struct writer *w, const struct trace *tr, int tid, const struct span *sp)
{
	uint64_t t1 = sp->t1 == TRACE_OPEN ? sp->t0 : sp->t1;
	bool known = sp->cpu >= 0 && sp->cpu < tr->ntasks;
	char name[TRACE_NAME_MAX + 16];

	if (t1 <= sp->t0)
		return;
	if (known)
		snprintf(name, sizeof name, "%s", trace_name(tr, sp->cpu));
	else
		snprintf(name, sizeof name, "task %d", (int)sp->cpu);
	emit(w, json_pack("{s:o, s:s, s:s, s:i, s:i, s:f, s:f, s:{s:i}}", "name", text(name), "cat",
			  "gil", "ph", "X", "pid", CHROME_PID, "tid", tid, "ts", us_of(sp->t0),
			  "dur", us_of(t1 - sp->t0), "args", "task", (int)sp->cpu));
}

static void lane_events(struct writer *w, const struct trace *tr, int lane, int tid)
{
	uint32_t n = trace_count(tr, lane);
	struct span sp;

	for (uint32_t i = 0; i < n && !w->failed; i++) {
		trace_get(tr, lane, i, &sp);
		if (lane == trace_lock_lane(tr))
			hold_event(w, tr, tid, &sp);
		else
			span_event(w, tid, &sp);
	}
}

/* Each line a task printed: an instant event on its thread, named by the line. */
static void output_events(struct writer *w, const struct trace *tr)
{
	uint32_t n = trace_output_count(tr);
	struct trace_output o;

	for (uint32_t i = 0; i < n && !w->failed; i++)
		if (trace_get_output(tr, i, &o) && o.task >= 0 && o.task < tr->ntasks)
			emit(w, json_pack("{s:o, s:s, s:s, s:s, s:i, s:i, s:f}", "name",
					  text(o.text), "cat", "output", "ph", "i", "s", "t", "pid",
					  CHROME_PID, "tid", o.task + 1, "ts", us_of(o.t)));
}

/* ---- flows: the edges ------------------------------------------------------ */

/*
 * The span of LANE that holds time T: with BEFORE, the one that ends at or
 * after T and starts before it (the slice handing over); else the one that
 * starts at or before T and ends after it (the slice taking over).  False
 * when there is none.
 */
static bool span_at(const struct trace *tr, int lane, uint64_t t, bool before, struct span *out)
{
	uint32_t lo = 0, hi = trace_count(tr, lane);

	/* The first span that starts after T (or at T, when BEFORE). */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		trace_get(tr, lane, mid, out);
		if (before ? out->t0 < t : out->t0 <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Zero-length spans cannot hold a flow's end: look further back. */
	for (; lo > 0; lo--) {
		trace_get(tr, lane, lo - 1, out);
		uint64_t t1 = out->t1 == TRACE_OPEN ? out->t0 : out->t1;
		if (t1 > out->t0)
			return before ? t1 >= t : t1 > t;
	}
	return false;
}

/* A time strictly inside SP, as close to its end (AT_END) or start as 1 µs allows. */
static uint64_t inside(const struct span *sp, bool at_end)
{
	uint64_t t1 = sp->t1 == TRACE_OPEN ? sp->t0 : sp->t1, len = t1 - sp->t0;
	uint64_t in = len > 2000 ? 1000 : len / 2;

	return at_end ? t1 - in : sp->t0 + in;
}

static void flow_events(struct writer *w, const struct trace *tr)
{
	uint32_t n = trace_edge_count(tr);
	struct trace_edge e;
	struct span from, to;

	for (uint32_t i = 0; i < n && !w->failed; i++) {
		if (!trace_get_edge(tr, i, &e))
			continue;
		/* A drop request joins the two slices under way when it was made, at that time. */
		bool ask = e.kind == EDGE_GIL_ASK;
		if (e.from < 0 || e.to < 0 || e.from >= tr->ntasks || e.to >= tr->ntasks ||
		    !span_at(tr, e.from, e.t, !ask, &from) || !span_at(tr, e.to, e.t, false, &to))
			continue;
		const char *kind = edge_kind_name(e.kind);
		uint64_t ts_from = ask ? e.t : inside(&from, true);
		uint64_t ts_to = ask ? e.t : inside(&to, false);
		emit(w, json_pack("{s:s, s:s, s:s, s:I, s:i, s:i, s:f}", "name", kind, "cat",
				  ask ? "request" : "handoff", "ph", "s", "id", (json_int_t)i + 1,
				  "pid", CHROME_PID, "tid", e.from + 1, "ts", us_of(ts_from)));
		emit(w, json_pack("{s:s, s:s, s:s, s:s, s:I, s:i, s:i, s:f}", "name", kind, "cat",
				  ask ? "request" : "handoff", "ph", "f", "bp", "e", "id",
				  (json_int_t)i + 1, "pid", CHROME_PID, "tid", e.to + 1, "ts",
				  us_of(ts_to)));
	}
}

/* ---- counters ------------------------------------------------------------- */

struct change {
	uint64_t t;
	int delta; /* +1 a task starts running, -1 it stops */
};

static int change_order(const void *a, const void *b)
{
	const struct change *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->delta - y->delta; /* ends before starts at one instant */
}

static void counter(struct writer *w, const char *name, const char *key, uint64_t t, int value)
{
	emit(w, json_pack("{s:s, s:s, s:i, s:f, s:{s:i}}", "name", name, "ph", "C", "pid",
			  CHROME_PID, "ts", us_of(t), "args", key, value));
}

/* The tasks in state ST, a value at every instant the number changes. */
static void state_counter(struct writer *w, const struct trace *tr, enum state st, const char *name,
			  const char *key)
{
	size_t n = 0, cap = 0;
	struct change *c = NULL;
	struct span sp;

	for (int lane = 0; lane < tr->ntasks; lane++) {
		uint32_t k = trace_count(tr, lane);
		for (uint32_t i = 0; i < k; i++) {
			trace_get(tr, lane, i, &sp);
			uint64_t t1 = sp.t1 == TRACE_OPEN ? sp.t0 : sp.t1;
			if (sp.state != st || t1 <= sp.t0)
				continue;
			if (n + 2 > cap) {
				cap = cap ? cap * 2 : 1024;
				struct change *m = realloc(c, cap * sizeof *c);
				if (!m) {
					w->failed = 1;
					free(c);
					return;
				}
				c = m;
			}
			c[n++] = (struct change){sp.t0, +1};
			c[n++] = (struct change){t1, -1};
		}
	}
	qsort(c, n, sizeof *c, change_order);
	int count = 0;
	for (size_t i = 0; i < n && !w->failed; i++) {
		count += c[i].delta;
		if (i + 1 == n || c[i + 1].t != c[i].t)
			counter(w, name, key, c[i].t, count);
	}
	free(c);
}

/* "GIL holder": the task holding the lock, -1 between holds. */
static void holder_counter(struct writer *w, const struct trace *tr, int lock)
{
	uint32_t n = trace_count(tr, lock);
	uint64_t end = 0;
	struct span sp;

	for (uint32_t i = 0; i < n && !w->failed; i++) {
		trace_get(tr, lock, i, &sp);
		uint64_t t1 = sp.t1 == TRACE_OPEN ? sp.t0 : sp.t1;
		if (i > 0 && sp.t0 > end)
			counter(w, "GIL holder", "task", end, -1);
		counter(w, "GIL holder", "task", sp.t0, sp.cpu);
		end = t1;
	}
	if (n > 0)
		counter(w, "GIL holder", "task", end, -1);
}

int chrome_trace_write(const struct trace *tr, FILE *f)
{
	struct writer w = {f, 0, 0};
	int lock = trace_lock_lane(tr);

	errno = 0;
	if (fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[", f) == EOF)
		return -1;
	process_meta(&w, tr);
	/* Tasks are threads 1..n; the GIL sorts above them. */
	if (lock >= 0)
		thread_meta(&w, tr->ntasks + 1, "GIL", -1);
	for (int lane = 0; lane < tr->ntasks; lane++)
		thread_meta(&w, lane + 1, trace_name(tr, lane), lane);
	if (lock >= 0)
		lane_events(&w, tr, lock, tr->ntasks + 1);
	for (int lane = 0; lane < tr->ntasks && !w.failed; lane++)
		lane_events(&w, tr, lane, lane + 1);
	output_events(&w, tr);
	flow_events(&w, tr);
	state_counter(&w, tr, STATE_RUNNING, "tasks running", "running");
	/* A task queue's jobs wait blocked in the queue: its length over time. */
	if (tr->meta.broker[0])
		state_counter(&w, tr, STATE_BLOCKED, "jobs queued", "queued");
	if (lock >= 0)
		holder_counter(&w, tr, lock);
	if (w.failed || fputs("\n]}\n", f) == EOF || fflush(f) != 0) {
		if (errno == 0)
			errno = w.failed ? ENOMEM : EIO;
		return -1;
	}
	return 0;
}
