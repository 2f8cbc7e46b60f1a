/*
 * record_read.c -- reading the record format (--replay): a record, or
 * every record of a compare file, as traces.
 *
 * Reading is strict: anything that is not the format is an error that
 * names the file and the place ("rec.json: tasks[3].spans[7]: unknown
 * state \"runing\""), and never a crash, a leak or a half-built trace.
 * Keys this program does not know are ignored, so that records from a
 * newer version that only adds keys still replay.
 */
#include "record.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "reader.h"
#include "record_priv.h"

#define RECORD_MAX_BYTES (1ul << 30) /* the largest file record_read takes */
#define RECORD_MAX_COMPARE 1024	     /* records in one compare file */

/* ---- reading: tasks, spans and the lock ---------------------------------- */

/* The optional step, cause and by of a span (a record without them still reads). */
static int read_why(struct reader *rd, json_t *js, const char *at, struct span *sp)
{
	char cause[24] = "";
	json_int_t step = -1, by = -1;

	if ((json_object_get(js, "step") && reader_int(rd, js, at, "step", -1, INT32_MAX, &step)) ||
	    (json_object_get(js, "by") && reader_int(rd, js, at, "by", -1, TRACE_MAX_TASKS, &by)) ||
	    (json_object_get(js, "cause") &&
	     reader_string(rd, js, at, "cause", cause, sizeof cause)))
		return -1;
	sp->step = (int32_t)step;
	sp->by = (int32_t)by;
	/* A word from a newer build is kept as "not known", not refused. */
	sp->cause = cause_parse(cause);
	return 0;
}

static int read_span(struct reader *rd, struct trace *tr, int lane, json_t *js, const char *at,
		     uint64_t *prev_t0)
{
	struct span sp = {0};
	json_int_t cpu;
	int st;

	if (reader_name(rd, js, at, "state", state_from_name, "state", &st) ||
	    reader_time(rd, js, at, "t0", &sp.t0) || reader_time(rd, js, at, "t1", &sp.t1) ||
	    reader_int(rd, js, at, "cpu", -1, INT32_MAX, &cpu) ||
	    reader_string(rd, js, at, "reason", sp.reason, sizeof sp.reason))
		return -1;
	if (sp.t1 < sp.t0)
		return reader_fail(rd, at, "ends (t1 %.3f) before it starts (t0 %.3f)",
				   (double)sp.t1 / 1e6, (double)sp.t0 / 1e6);
	if (sp.t0 < *prev_t0)
		return reader_fail(rd, at, "starts before the span ahead of it");
	*prev_t0 = sp.t0;
	sp.state = (enum state)st;
	sp.cpu = (int32_t)cpu;
	if (read_why(rd, js, at, &sp))
		return -1;
	if (trace_append(tr, lane, &sp))
		return reader_fail(rd, at, "too many spans in one lane");
	return 0;
}

static int read_task(struct reader *rd, struct trace *tr, int lane, json_t *jt, const char *at)
{
	char name[TRACE_NAME_MAX], where[160];
	uint64_t start, end, prev_t0 = 0;
	json_t *spans, *js;
	json_int_t id;
	int outcome;
	size_t i;

	if (reader_int(rd, jt, at, "id", 0, TRACE_MAX_TASKS, &id) ||
	    reader_string(rd, jt, at, "name", name, sizeof name) ||
	    reader_name(rd, jt, at, "outcome", outcome_from_name, "outcome", &outcome) ||
	    reader_time(rd, jt, at, "start_ms", &start) || reader_time(rd, jt, at, "end_ms", &end))
		return -1;
	if (id != lane)
		return reader_fail(rd, reader_member_path(where, sizeof where, at, "id"),
				   "expected %d, not %lld", lane, (long long)id);
	if (end < start)
		return reader_fail(rd, at, "ends (end_ms) before it starts (start_ms)");
	spans = reader_list(rd, jt, at, "spans");
	if (!spans)
		return -1;
	trace_set_name(tr, lane, name);
	json_array_foreach(spans, i, js)
	{
		reader_element_path(where, sizeof where, at, "spans", i);
		if (read_span(rd, tr, lane, js, where, &prev_t0))
			return -1;
	}
	trace_set_outcome(tr, lane, (enum outcome)outcome);
	if (json_object_get(jt, "worker")) {
		json_int_t w;
		if (reader_int(rd, jt, at, "worker", -1, TRACE_WORKERS_MAX - 1, &w))
			return -1;
		trace_set_worker(tr, lane, (int)w);
	}
	return record_read_thread(rd, tr, lane, jt, at);
}

static int read_gil(struct reader *rd, struct trace *tr, json_t *jg, const char *at)
{
	struct trace_meta *m = &tr->meta;
	json_int_t switches, drops, task;
	int lane = trace_lock_lane(tr);
	json_t *holds, *jh;
	char where[160], q[ESCAPE_ECHO_SIZE];
	size_t i;

	if (reader_string(rd, jg, at, "mode", m->gil_mode, sizeof m->gil_mode) ||
	    reader_number(rd, jg, at, "interval_ms", &m->gil_interval_ms) ||
	    reader_int(rd, jg, at, "switches", 0, INT64_MAX, &switches) ||
	    reader_int(rd, jg, at, "drop_requests", 0, INT64_MAX, &drops))
		return -1;
	if (strcmp(m->gil_mode, "new") && strcmp(m->gil_mode, "old") && strcmp(m->gil_mode, "off"))
		return reader_fail(rd, reader_member_path(where, sizeof where, at, "mode"),
				   "unknown mode \"%s\" (new, old or off)",
				   escape_echo(q, m->gil_mode));
	m->gil_switches = (uint64_t)switches;
	m->gil_drop_requests = (uint64_t)drops;
	holds = reader_list(rd, jg, at, "holds");
	if (!holds)
		return -1;
	json_array_foreach(holds, i, jh)
	{
		struct span sp = {.state = STATE_RUNNING, .step = -1, .by = -1};
		reader_element_path(where, sizeof where, at, "holds", i);
		if (reader_int(rd, jh, where, "task", 0, tr->ntasks - 1, &task) ||
		    reader_time(rd, jh, where, "t0", &sp.t0) ||
		    reader_time(rd, jh, where, "t1", &sp.t1))
			return -1;
		if (sp.t1 < sp.t0)
			return reader_fail(rd, where, "ends before it starts");
		sp.cpu = (int32_t)task;
		if (trace_append(tr, lane, &sp))
			return reader_fail(rd, where, "too many holds");
	}
	return 0;
}

/* The optional hand-offs between tasks; every end must be a task of the record. */
static int read_edges(struct reader *rd, struct trace *tr, json_t *jr, const char *at)
{
	char where[160], kind[16];
	json_t *list, *je;
	json_int_t from, to;
	size_t i;

	if (!json_object_get(jr, "edges"))
		return 0;
	list = reader_list(rd, jr, at, "edges");
	if (!list)
		return -1;
	json_array_foreach(list, i, je)
	{
		struct trace_edge e;
		int k;

		reader_element_path(where, sizeof where, at, "edges", i);
		if (reader_int(rd, je, where, "from", -1, tr->ntasks - 1, &from) ||
		    reader_int(rd, je, where, "to", -1, tr->ntasks - 1, &to) ||
		    reader_time(rd, je, where, "t", &e.t) ||
		    reader_string(rd, je, where, "kind", kind, sizeof kind))
			return -1;
		k = edge_kind_parse(kind);
		if (k < 0)
			continue; /* a kind from a newer build: the rest still reads */
		e.from = (int32_t)from;
		e.to = (int32_t)to;
		e.kind = (enum edge_kind)k;
		if (trace_append_edge(tr, &e))
			return reader_fail(rd, where, "too many edges (at most %u)",
					   TRACE_EDGE_CAP);
	}
	return 0;
}

/* The optional "spinner": {"task": L, "interval_ms": X}. */
static int read_spinner(struct reader *rd, struct trace *tr, json_t *jr, const char *at)
{
	json_t *js = reader_member(rd, jr, at, "spinner", JSON_OBJECT, "an object");
	char where[160], bad[192];
	json_int_t task;
	double ms;

	if (!js)
		return -1;
	reader_member_path(where, sizeof where, at, "spinner");
	if (reader_int(rd, js, where, "task", 0, tr->ntasks - 1, &task) ||
	    reader_number(rd, js, where, "interval_ms", &ms))
		return -1;
	if (ms <= 0)
		return reader_fail(rd, reader_member_path(bad, sizeof bad, where, "interval_ms"),
				   "%g ms (more than 0 expected)", ms);
	tr->meta.spinner = (int)task;
	tr->meta.spinner_ms = ms;
	return 0;
}

/* The optional "scale": what --scale multiplied the run by (more than 0, and sane). */
static int read_scale(struct reader *rd, struct trace *tr, json_t *jr, const char *at)
{
	char where[160];
	double x;

	if (reader_number(rd, jr, at, "scale", &x))
		return -1;
	if (!(x > 0) || x > 1e6)
		return reader_fail(rd, reader_member_path(where, sizeof where, at, "scale"),
				   "%g (more than 0 expected)", x);
	tr->meta.scale = x;
	return 0;
}

/* The run's facts; the trace exists already. */
static int read_meta(struct reader *rd, struct trace *tr, json_t *jr, const char *at)
{
	struct trace_meta *m = &tr->meta;
	json_int_t cores, dropped;
	double bytes;
	int model;

	if (reader_string(rd, jr, at, "scenario", m->scenario, sizeof m->scenario) ||
	    reader_string(rd, jr, at, "backend", m->backend, sizeof m->backend) ||
	    reader_name(rd, jr, at, "model", model_from_name, "model", &model) ||
	    reader_int(rd, jr, at, "cores", 0, 1 << 20, &cores) ||
	    reader_time(rd, jr, at, "wall_ms", &m->wall_ns) ||
	    reader_time(rd, jr, at, "cpu_ms", &m->cpu_ns))
		return -1;
	m->model = (enum model)model;
	m->cores = (int)cores;
	/* Our extensions are optional, so that older records still read. */
	if (json_object_get(jr, "title") &&
	    reader_string(rd, jr, at, "title", m->title, sizeof m->title))
		return -1;
	if (json_object_get(jr, "bytes_per_task")) {
		if (reader_number(rd, jr, at, "bytes_per_task", &bytes))
			return -1;
		m->bytes_per_task = bytes;
	}
	if (json_object_get(jr, "spinner") && read_spinner(rd, tr, jr, at))
		return -1;
	if (json_object_get(jr, "scale") && read_scale(rd, tr, jr, at))
		return -1;
	if (json_object_get(jr, "dropped")) {
		if (reader_int(rd, jr, at, "dropped", 0, INT64_MAX, &dropped))
			return -1;
		m->dropped = (uint64_t)dropped;
	}
	return 0;
}

static int check_version(struct reader *rd, json_t *jr, const char *at)
{
	json_int_t version;
	char where[160];

	if (!json_object_get(jr, "conctui"))
		return reader_fail(rd, at, "not a conctui record (no \"conctui\" key)");
	if (reader_int(rd, jr, at, "conctui", 0, INT64_MAX, &version))
		return -1;
	if (version != RECORD_VERSION)
		return reader_fail(rd, reader_member_path(where, sizeof where, at, "conctui"),
				   "version %lld is not supported (this program reads %d)",
				   (long long)version, RECORD_VERSION);
	return 0;
}

/* One record as a new trace, or NULL with the error set. */
static struct trace *read_record(struct reader *rd, json_t *jr, const char *at)
{
	char where[160];
	json_t *tasks, *gil, *jt;
	struct trace *tr;
	size_t i, n;

	if (check_version(rd, jr, at))
		return NULL;
	tasks = reader_list(rd, jr, at, "tasks");
	if (!tasks)
		return NULL;
	n = json_array_size(tasks);
	if (n == 0 || n > TRACE_MAX_TASKS) {
		reader_fail(rd, reader_member_path(where, sizeof where, at, "tasks"),
			    "%zu tasks (1 to %d allowed)", n, TRACE_MAX_TASKS);
		return NULL;
	}
	gil = json_object_get(jr, "gil");
	if (gil && !reader_member(rd, jr, at, "gil", JSON_OBJECT, "an object"))
		return NULL;
	tr = trace_create((int)n, gil ? TRACE_LOCK_LANE : 0);
	if (!tr) {
		reader_fail(rd, at, "cannot hold %zu tasks: %s", n, strerror(errno));
		return NULL;
	}
	if (read_meta(rd, tr, jr, at))
		goto fail;
	json_array_foreach(tasks, i, jt)
	{
		reader_element_path(where, sizeof where, at, "tasks", i);
		if (read_task(rd, tr, (int)i, jt, where))
			goto fail;
	}
	if (gil && read_gil(rd, tr, gil, reader_member_path(where, sizeof where, at, "gil")))
		goto fail;
	if (read_edges(rd, tr, jr, at) || record_read_log(rd, tr, jr, at) ||
	    record_read_broker(rd, tr, jr, at) || record_read_observer(rd, tr, jr, at))
		goto fail;
	return tr;
fail:
	trace_destroy(tr);
	return NULL;
}

/* Reads a compare file's records, or the single record ROOT, into *OUT. */
static int read_root(struct reader *rd, json_t *root, struct trace ***out)
{
	json_t *list = json_object_get(root, "compare"), *jr;
	char where[32];
	struct trace **trs;
	size_t i, n;

	if (!list) {
		trs = malloc(sizeof *trs);
		if (!trs)
			return reader_fail(rd, "", "out of memory");
		trs[0] = read_record(rd, root, "");
		if (!trs[0]) {
			free(trs);
			return -1;
		}
		*out = trs;
		return 1;
	}
	if (check_version(rd, root, "") || !reader_list(rd, root, "", "compare"))
		return -1;
	n = json_array_size(list);
	if (n == 0 || n > RECORD_MAX_COMPARE)
		return reader_fail(rd, "compare", "%zu records (1 to %d allowed)", n,
				   RECORD_MAX_COMPARE);
	trs = calloc(n, sizeof *trs);
	if (!trs)
		return reader_fail(rd, "", "out of memory");
	json_array_foreach(list, i, jr)
	{
		reader_element_path(where, sizeof where, "", "compare", i);
		trs[i] = read_record(rd, jr, where);
		if (!trs[i]) {
			while (i-- > 0)
				trace_destroy(trs[i]);
			free(trs);
			return -1;
		}
	}
	*out = trs;
	return (int)n;
}

int record_read_buffer(const char *buf, size_t len, const char *name, struct trace ***out,
		       char *err, size_t errlen)
{
	struct reader rd = {name, err, errlen};
	json_error_t je;
	json_t *root;
	int n;

	*out = NULL;
	if (len == 0)
		return reader_fail(&rd, "", "empty file");
	/* jansson would stop at a NUL and blame the end of the file. */
	const char *nul = memchr(buf, '\0', len);
	if (nul)
		return reader_fail(&rd, "", "not a text file (a NUL byte at offset %zu)",
				   (size_t)(nul - buf));
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		char file[512], text[ESCAPE_ECHO_SIZE * 2];

		/* jansson quotes the text it stopped at, which came from the file. */
		if (errlen > 0)
			snprintf(err, errlen, "%s:%d:%d: invalid JSON: %s",
				 escape_text(file, sizeof file, name, -1, 0), je.line, je.column,
				 escape_text(text, sizeof text, je.text, ESCAPE_ECHO_COLS * 2, 0));
		return -1;
	}
	if (!json_is_object(root))
		n = reader_fail(&rd, "",
				"not a conctui record (the top level is %s, not an object)",
				reader_type_name(root));
	else
		n = read_root(&rd, root, out);
	json_decref(root);
	return n;
}

/* The whole of F in a new buffer; NULL with errno set. */
static char *slurp(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap), *bigger;

	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (ferror(f)) {
			free(buf);
			return NULL;
		}
		if (n < cap) {
			*len = n;
			return buf;
		}
		if (cap >= RECORD_MAX_BYTES) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		bigger = realloc(buf, cap * 2);
		if (!bigger)
			free(buf);
		buf = bigger;
		cap *= 2;
	}
	errno = ENOMEM;
	return NULL;
}

int record_read(const char *path, struct trace ***out, char *err, size_t errlen)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "stdin" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	size_t len = 0;
	char *buf;
	int n;

	char file[512];

	*out = NULL;
	escape_text(file, sizeof file, name, -1, 0);
	if (!f) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return -1;
	}
	buf = slurp(f, &len);
	if (!buf) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		if (!is_stdin)
			fclose(f);
		return -1;
	}
	if (!is_stdin)
		fclose(f);
	n = record_read_buffer(buf, len, name, out, err, errlen);
	free(buf);
	return n;
}
