/*
 * chrome_trace.c -- a trace as Chrome Trace Event JSON (--trace), which
 * Perfetto and chrome://tracing open.
 *
 * One process for the run, one thread per task (named, and sorted in task
 * order), one complete event ("ph": "X") per span, named by its state, and
 * a "GIL" thread on top whose events are the lock's holds, named by the
 * task that held it.  A zero-length span (a task's final "killed by
 * SIGKILL") becomes an instant event, so its reason is not lost.
 *
 * Every event is built and escaped by jansson and written as it is made,
 * one per line: a trace can hold two million spans, and a tree of them all
 * would cost far more memory than the run did.
 */
#include "chrome_trace.h"

#include <errno.h>
#include <jansson.h>

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
	if (w.failed || fputs("\n]}\n", f) == EOF || fflush(f) != 0) {
		if (errno == 0)
			errno = w.failed ? ENOMEM : EIO;
		return -1;
	}
	return 0;
}
