/*
 * record.c -- writing the record format (--json): one run as JSON.
 *
 * The format is a contract (DESIGN.md, "The record format"): keys may be
 * added, never renamed or removed.  Times are milliseconds from the start
 * of the run, to the nanosecond the trace holds, printed with 15 significant
 * digits, so that a record read back (record_read.c) and written again is
 * the same text, and a replay shows the same figures as the live run.
 */
#include "record.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "record_priv.h"

/* Fifteen digits round-trip through a double; seventeen would print noise. */
#define RECORD_DUMP_FLAGS JSON_REAL_PRECISION(15)

/* ---- writing ------------------------------------------------------------ */

/* ns -> ms, exactly: 15 digits hold any run shorter than 11 days. */
static double ms_of(uint64_t ns)
{
	return (double)ns / 1e6;
}

/*
 * The trace keeps names and reasons in fixed-size fields that may cut a
 * multi-byte character in two, and jansson refuses such text: a cut-off
 * tail is dropped and any other bad byte becomes '?'.
 */
const char *record_clean_text(const char *s, char *buf, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), n = 0;

	while (left > 0) {
		int len = escape_utf8_len((const char *)p, left);
		if (len < 0 || n + (size_t)(len ? len : 1) >= cap)
			break;
		if (len == 0) {
			buf[n++] = '?';
			len = 1;
		} else {
			memcpy(buf + n, p, (size_t)len);
			n += (size_t)len;
		}
		p += len;
		left -= (size_t)len;
	}
	if (cap > 0)
		buf[n] = '\0';
	return buf;
}

static json_t *text(const char *s)
{
	char buf[256];

	return json_string(record_clean_text(s, buf, sizeof buf));
}

/* Sets KEY of OBJ to a new value; a NULL value (no memory) is an error. */
static int put(json_t *obj, const char *key, json_t *v)
{
	return v ? json_object_set_new(obj, key, v) : -1;
}

/* SAMPLED: the lane's spans were found by sampling (an observed program). */
static json_t *span_json(const struct span *sp, bool sampled)
{
	uint64_t t1 = sp->t1 == TRACE_OPEN ? sp->t0 : sp->t1;
	json_t *o = json_object();

	if (!o || put(o, "state", json_string(state_name(sp->state))) ||
	    put(o, "t0", json_real(ms_of(sp->t0))) || put(o, "t1", json_real(ms_of(t1))) ||
	    put(o, "cpu", json_integer(sp->cpu)) || put(o, "reason", text(sp->reason)) ||
	    put(o, "step", json_integer(sp->step)) ||
	    put(o, "cause", json_string(cause_name(sp->cause))) ||
	    put(o, "by", json_integer(sp->by)) || (sampled && put(o, "sampled", json_true()))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *task_json(const struct trace *tr, int lane)
{
	json_t *o = json_object(), *spans = json_array();
	uint32_t n = trace_count(tr, lane);
	struct span sp;

	if (!o || !spans || put(o, "id", json_integer(lane)) ||
	    put(o, "name", text(trace_name(tr, lane))) ||
	    put(o, "outcome", json_string(outcome_name(trace_outcome(tr, lane)))) ||
	    put(o, "start_ms", json_real(ms_of(trace_lane_start(tr, lane)))) ||
	    put(o, "end_ms", json_real(ms_of(trace_lane_end(tr, lane, 0)))) ||
	    (trace_worker(tr, lane) >= 0 &&
	     put(o, "worker", json_integer(trace_worker(tr, lane)))) ||
	    record_put_thread(o, tr, lane))
		goto fail;
	for (uint32_t i = 0; i < n; i++) {
		trace_get(tr, lane, i, &sp);
		if (json_array_append_new(spans, span_json(&sp, trace_thread(tr, lane)->sampled)))
			goto fail;
	}
	if (put(o, "spans", spans) == 0)
		return o;
	spans = NULL; /* put() took it even on failure */
fail:
	json_decref(spans);
	json_decref(o);
	return NULL;
}

static json_t *gil_json(const struct trace *tr, int lane)
{
	const struct trace_meta *m = &tr->meta;
	json_t *o = json_object(), *holds = json_array();
	uint32_t n = trace_count(tr, lane);
	struct span sp;

	if (!o || !holds || put(o, "mode", text(m->gil_mode)) ||
	    put(o, "interval_ms", json_real(m->gil_interval_ms)) ||
	    put(o, "switches", json_integer((json_int_t)m->gil_switches)) ||
	    put(o, "drop_requests", json_integer((json_int_t)m->gil_drop_requests)))
		goto fail;
	for (uint32_t i = 0; i < n; i++) {
		trace_get(tr, lane, i, &sp);
		uint64_t t1 = sp.t1 == TRACE_OPEN ? sp.t0 : sp.t1;
		if (json_array_append_new(holds, json_pack("{s:i, s:f, s:f}", "task", sp.cpu, "t0",
							   ms_of(sp.t0), "t1", ms_of(t1))))
			goto fail;
	}
	if (put(o, "holds", holds) == 0)
		return o;
	holds = NULL;
fail:
	json_decref(holds);
	json_decref(o);
	return NULL;
}

/* The spinner's lane and interval, so that a replay needs no reason text. */
static json_t *spinner_json(const struct trace_meta *m)
{
	json_t *o = json_object();

	if (o && (put(o, "task", json_integer(m->spinner)) ||
		  put(o, "interval_ms", json_real(m->spinner_ms)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The run's facts, in the order DESIGN.md shows them, plus our extensions. */
static int put_meta(json_t *o, const struct trace *tr)
{
	const struct trace_meta *m = &tr->meta;
	uint64_t dropped = trace_dropped(tr, -1) + m->dropped;

	if (put(o, "conctui", json_integer(RECORD_VERSION)) ||
	    put(o, "scenario", text(m->scenario)) || put(o, "title", text(m->title)) ||
	    put(o, "backend", text(m->backend)) ||
	    put(o, "model", json_string(model_name(m->model))) ||
	    put(o, "cores", json_integer(m->cores)) ||
	    put(o, "wall_ms", json_real(ms_of(m->wall_ns))) ||
	    put(o, "cpu_ms", json_real(ms_of(m->cpu_ns))))
		return -1;
	if (m->bytes_per_task > 0 && put(o, "bytes_per_task", json_real(m->bytes_per_task)))
		return -1;
	if (m->spinner_ms > 0 && put(o, "spinner", spinner_json(m)))
		return -1;
	/* Only a scaled run says so: absent means 1. */
	if (m->scale > 0 && m->scale != 1 && put(o, "scale", json_real(m->scale)))
		return -1;
	/* Informative only: a trace read back cannot hold a count of lost spans. */
	if (dropped > 0 && put(o, "dropped", json_integer((json_int_t)dropped)))
		return -1;
	return 0;
}

/* The hand-offs in time order (writers claim slots in nearly that order). */
static int edge_by_time(const void *a, const void *b)
{
	const struct trace_edge *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

static json_t *edges_json(const struct trace *tr)
{
	uint32_t n = trace_edge_count(tr), k = 0;
	struct trace_edge *e = n ? malloc(n * sizeof *e) : NULL;
	json_t *list = json_array();

	if (!list || (n && !e))
		goto fail;
	for (uint32_t i = 0; i < n; i++)
		k += trace_get_edge(tr, i, &e[k]);
	if (k > 1)
		qsort(e, k, sizeof *e, edge_by_time);
	for (uint32_t i = 0; i < k; i++)
		if (json_array_append_new(list, json_pack("{s:i, s:i, s:f, s:s}", "from", e[i].from,
							  "to", e[i].to, "t", ms_of(e[i].t), "kind",
							  edge_kind_name(e[i].kind))))
			goto fail;
	free(e);
	return list;
fail:
	free(e);
	json_decref(list);
	return NULL;
}

static json_t *record_json(const struct trace *tr)
{
	json_t *o = json_object(), *tasks = json_array();
	int lock = trace_lock_lane(tr);

	if (!o || !tasks || put_meta(o, tr))
		goto fail;
	for (int lane = 0; lane < tr->ntasks; lane++)
		if (json_array_append_new(tasks, task_json(tr, lane)))
			goto fail;
	if (put(o, "tasks", tasks)) {
		tasks = NULL;
		goto fail;
	}
	if (put(o, "edges", edges_json(tr)) || record_put_log(o, tr) || record_put_broker(o, tr) ||
	    record_put_observer(o, tr) || (lock >= 0 && put(o, "gil", gil_json(tr, lock)))) {
		json_decref(o);
		return NULL;
	}
	return o;
fail:
	json_decref(tasks);
	json_decref(o);
	return NULL;
}

static int dump(json_t *root, FILE *f)
{
	int rc;

	if (!root) {
		errno = ENOMEM;
		return -1;
	}
	rc = json_dumpf(root, f, RECORD_DUMP_FLAGS);
	json_decref(root);
	if (rc == 0 && fputc('\n', f) == EOF)
		rc = -1;
	if (rc == 0 && fflush(f) != 0)
		rc = -1;
	if (rc != 0 && errno == 0)
		errno = EIO;
	return rc ? -1 : 0;
}

int record_write(const struct trace *tr, FILE *f)
{
	errno = 0;
	return dump(record_json(tr), f);
}

int record_write_compare(struct trace *const *trs, int n, FILE *f)
{
	json_t *o = json_object(), *list = json_array();

	errno = 0;
	if (!o || !list || put(o, "conctui", json_integer(RECORD_VERSION)))
		goto fail;
	for (int i = 0; i < n; i++)
		if (json_array_append_new(list, record_json(trs[i])))
			goto fail;
	if (put(o, "compare", list) == 0)
		return dump(o, f);
	list = NULL;
fail:
	json_decref(list);
	json_decref(o);
	errno = ENOMEM;
	return -1;
}
