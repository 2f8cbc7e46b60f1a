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

#define RECORD_MAX_MS 1e12	     /* about 31 years: beyond is nonsense */
#define RECORD_MAX_BYTES (1ul << 30) /* the largest file record_read takes */
#define RECORD_MAX_COMPARE 1024	     /* records in one compare file */

/* ---- reading: one value at a time, each error naming its place ---------- */

struct reader {
	const char *name; /* the file, for messages */
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4))) static int fail(struct reader *rd, const char *at,
						      const char *fmt, ...)
{
	char msg[256], safe[512], name[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* Values were escaped where they were put in; this holds for any that were not. */
	escape_text(safe, sizeof safe, msg, -1, 0);
	escape_text(name, sizeof name, rd->name, -1, 0);
	if (rd->errlen > 0)
		snprintf(rd->err, rd->errlen, "%s: %s%s%s", name, at, *at ? ": " : "", safe);
	return -1;
}

/*
 * Formats a path such as "compare[9].tasks[99999].spans[262143].reason".
 * Paths are short; a cut one ends in "..." and only costs a message's end.
 */
__attribute__((format(printf, 3, 4))) static void path_printf(char *buf, size_t cap,
							      const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= cap && cap > 4)
		memcpy(buf + cap - 4, "...", 4);
}

/* "tasks[3]" + "name" -> "tasks[3].name"; the top level has no prefix. */
static const char *member_path(char *buf, size_t cap, const char *at, const char *key)
{
	path_printf(buf, cap, "%s%s%s", at, *at ? "." : "", key);
	return buf;
}

/* "tasks[3]" + "spans" + 7 -> "tasks[3].spans[7]". */
static void element_path(char *buf, size_t cap, const char *at, const char *key, size_t i)
{
	path_printf(buf, cap, "%s%s%s[%zu]", at, *at ? "." : "", key, i);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* The member KEY of OBJ, which must be there and be of type WANT. */
static json_t *member(struct reader *rd, json_t *obj, const char *at, const char *key,
		      json_type want, const char *what)
{
	json_t *v = json_object_get(obj, key);
	char where[160];
	bool ok;

	if (!v) {
		fail(rd, at, "missing \"%s\"", key);
		return NULL;
	}
	ok = json_typeof(v) == want || (want == JSON_REAL && json_is_integer(v));
	if (!ok) {
		fail(rd, member_path(where, sizeof where, at, key), "expected %s, not %s", what,
		     type_name(v));
		return NULL;
	}
	return v;
}

/* Copies valid UTF-8 into a fixed field, never cutting a character in two. */
static void copy_field(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		n = escape_utf8_cut(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int get_string(struct reader *rd, json_t *obj, const char *at, const char *key, char *dst,
		      size_t cap)
{
	json_t *v = member(rd, obj, at, key, JSON_STRING, "a string");

	if (!v)
		return -1;
	copy_field(dst, cap, json_string_value(v));
	return 0;
}

static int get_int(struct reader *rd, json_t *obj, const char *at, const char *key, json_int_t lo,
		   json_int_t hi, json_int_t *out)
{
	json_t *v = member(rd, obj, at, key, JSON_INTEGER, "an integer");
	char where[160];

	if (!v)
		return -1;
	*out = json_integer_value(v);
	if (*out < lo || *out > hi)
		return fail(rd, member_path(where, sizeof where, at, key),
			    "%" JSON_INTEGER_FORMAT " is out of range (%" JSON_INTEGER_FORMAT
			    " to %" JSON_INTEGER_FORMAT ")",
			    *out, lo, hi);
	return 0;
}

static int get_number(struct reader *rd, json_t *obj, const char *at, const char *key, double *out)
{
	json_t *v = member(rd, obj, at, key, JSON_REAL, "a number");
	char where[160];

	if (!v)
		return -1;
	*out = json_number_value(v);
	if (*out < 0)
		return fail(rd, member_path(where, sizeof where, at, key), "negative value %g",
			    *out);
	if (!(*out <= RECORD_MAX_MS))
		return fail(rd, member_path(where, sizeof where, at, key), "%g is out of range",
			    *out);
	return 0;
}

/* A time in ms from the start of the run, as ns. */
static int get_time(struct reader *rd, json_t *obj, const char *at, const char *key, uint64_t *ns)
{
	double ms;

	if (get_number(rd, obj, at, key, &ms))
		return -1;
	*ns = (uint64_t)llround(ms * 1e6);
	return 0;
}

static int get_name(struct reader *rd, json_t *obj, const char *at, const char *key,
		    int (*lookup)(const char *), const char *what, int *out)
{
	json_t *v = member(rd, obj, at, key, JSON_STRING, "a string");
	char where[160], q[ESCAPE_ECHO_SIZE];

	if (!v)
		return -1;
	*out = lookup(json_string_value(v));
	if (*out < 0)
		return fail(rd, member_path(where, sizeof where, at, key), "unknown %s \"%s\"",
			    what, escape_echo(q, json_string_value(v)));
	return 0;
}

/* The elements of an array member, each checked to be an object. */
static json_t *object_list(struct reader *rd, json_t *obj, const char *at, const char *key)
{
	json_t *list = member(rd, obj, at, key, JSON_ARRAY, "an array");
	char where[160];
	size_t i;
	json_t *v;

	if (!list)
		return NULL;
	json_array_foreach(list, i, v)
	{
		if (!json_is_object(v)) {
			element_path(where, sizeof where, at, key, i);
			fail(rd, where, "expected an object, not %s", type_name(v));
			return NULL;
		}
	}
	return list;
}

/* ---- reading: tasks, spans and the lock ---------------------------------- */

/* The optional step, cause and by of a span (a record without them still reads). */
static int read_why(struct reader *rd, json_t *js, const char *at, struct span *sp)
{
	char cause[24] = "";
	json_int_t step = -1, by = -1;

	if ((json_object_get(js, "step") && get_int(rd, js, at, "step", -1, INT32_MAX, &step)) ||
	    (json_object_get(js, "by") && get_int(rd, js, at, "by", -1, TRACE_MAX_TASKS, &by)) ||
	    (json_object_get(js, "cause") && get_string(rd, js, at, "cause", cause, sizeof cause)))
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

	if (get_name(rd, js, at, "state", state_from_name, "state", &st) ||
	    get_time(rd, js, at, "t0", &sp.t0) || get_time(rd, js, at, "t1", &sp.t1) ||
	    get_int(rd, js, at, "cpu", -1, INT32_MAX, &cpu) ||
	    get_string(rd, js, at, "reason", sp.reason, sizeof sp.reason))
		return -1;
	if (sp.t1 < sp.t0)
		return fail(rd, at, "ends (t1 %.3f) before it starts (t0 %.3f)",
			    (double)sp.t1 / 1e6, (double)sp.t0 / 1e6);
	if (sp.t0 < *prev_t0)
		return fail(rd, at, "starts before the span ahead of it");
	*prev_t0 = sp.t0;
	sp.state = (enum state)st;
	sp.cpu = (int32_t)cpu;
	if (read_why(rd, js, at, &sp))
		return -1;
	if (trace_append(tr, lane, &sp))
		return fail(rd, at, "too many spans in one lane");
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

	if (get_int(rd, jt, at, "id", 0, TRACE_MAX_TASKS, &id) ||
	    get_string(rd, jt, at, "name", name, sizeof name) ||
	    get_name(rd, jt, at, "outcome", outcome_from_name, "outcome", &outcome) ||
	    get_time(rd, jt, at, "start_ms", &start) || get_time(rd, jt, at, "end_ms", &end))
		return -1;
	if (id != lane)
		return fail(rd, member_path(where, sizeof where, at, "id"), "expected %d, not %lld",
			    lane, (long long)id);
	if (end < start)
		return fail(rd, at, "ends (end_ms) before it starts (start_ms)");
	spans = object_list(rd, jt, at, "spans");
	if (!spans)
		return -1;
	trace_set_name(tr, lane, name);
	json_array_foreach(spans, i, js)
	{
		element_path(where, sizeof where, at, "spans", i);
		if (read_span(rd, tr, lane, js, where, &prev_t0))
			return -1;
	}
	trace_set_outcome(tr, lane, (enum outcome)outcome);
	return 0;
}

static int read_gil(struct reader *rd, struct trace *tr, json_t *jg, const char *at)
{
	struct trace_meta *m = &tr->meta;
	json_int_t switches, drops, task;
	int lane = trace_lock_lane(tr);
	json_t *holds, *jh;
	char where[160], q[ESCAPE_ECHO_SIZE];
	size_t i;

	if (get_string(rd, jg, at, "mode", m->gil_mode, sizeof m->gil_mode) ||
	    get_number(rd, jg, at, "interval_ms", &m->gil_interval_ms) ||
	    get_int(rd, jg, at, "switches", 0, INT64_MAX, &switches) ||
	    get_int(rd, jg, at, "drop_requests", 0, INT64_MAX, &drops))
		return -1;
	if (strcmp(m->gil_mode, "new") && strcmp(m->gil_mode, "old") && strcmp(m->gil_mode, "off"))
		return fail(rd, member_path(where, sizeof where, at, "mode"),
			    "unknown mode \"%s\" (new, old or off)", escape_echo(q, m->gil_mode));
	m->gil_switches = (uint64_t)switches;
	m->gil_drop_requests = (uint64_t)drops;
	holds = object_list(rd, jg, at, "holds");
	if (!holds)
		return -1;
	json_array_foreach(holds, i, jh)
	{
		struct span sp = {.state = STATE_RUNNING, .step = -1, .by = -1};
		element_path(where, sizeof where, at, "holds", i);
		if (get_int(rd, jh, where, "task", 0, tr->ntasks - 1, &task) ||
		    get_time(rd, jh, where, "t0", &sp.t0) || get_time(rd, jh, where, "t1", &sp.t1))
			return -1;
		if (sp.t1 < sp.t0)
			return fail(rd, where, "ends before it starts");
		sp.cpu = (int32_t)task;
		if (trace_append(tr, lane, &sp))
			return fail(rd, where, "too many holds");
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
	list = object_list(rd, jr, at, "edges");
	if (!list)
		return -1;
	json_array_foreach(list, i, je)
	{
		struct trace_edge e;
		int k;

		element_path(where, sizeof where, at, "edges", i);
		if (get_int(rd, je, where, "from", -1, tr->ntasks - 1, &from) ||
		    get_int(rd, je, where, "to", -1, tr->ntasks - 1, &to) ||
		    get_time(rd, je, where, "t", &e.t) ||
		    get_string(rd, je, where, "kind", kind, sizeof kind))
			return -1;
		k = edge_kind_parse(kind);
		if (k < 0)
			continue; /* a kind from a newer build: the rest still reads */
		e.from = (int32_t)from;
		e.to = (int32_t)to;
		e.kind = (enum edge_kind)k;
		if (trace_append_edge(tr, &e))
			return fail(rd, where, "too many edges (at most %u)", TRACE_EDGE_CAP);
	}
	return 0;
}

/* The optional "spinner": {"task": L, "interval_ms": X}. */
static int read_spinner(struct reader *rd, struct trace *tr, json_t *jr, const char *at)
{
	json_t *js = member(rd, jr, at, "spinner", JSON_OBJECT, "an object");
	char where[160], bad[192];
	json_int_t task;
	double ms;

	if (!js)
		return -1;
	member_path(where, sizeof where, at, "spinner");
	if (get_int(rd, js, where, "task", 0, tr->ntasks - 1, &task) ||
	    get_number(rd, js, where, "interval_ms", &ms))
		return -1;
	if (ms <= 0)
		return fail(rd, member_path(bad, sizeof bad, where, "interval_ms"),
			    "%g ms (more than 0 expected)", ms);
	tr->meta.spinner = (int)task;
	tr->meta.spinner_ms = ms;
	return 0;
}

/* The run's facts; the trace exists already. */
static int read_meta(struct reader *rd, struct trace *tr, json_t *jr, const char *at)
{
	struct trace_meta *m = &tr->meta;
	json_int_t cores, dropped;
	double bytes;
	int model;

	if (get_string(rd, jr, at, "scenario", m->scenario, sizeof m->scenario) ||
	    get_string(rd, jr, at, "backend", m->backend, sizeof m->backend) ||
	    get_name(rd, jr, at, "model", model_from_name, "model", &model) ||
	    get_int(rd, jr, at, "cores", 0, 1 << 20, &cores) ||
	    get_time(rd, jr, at, "wall_ms", &m->wall_ns) ||
	    get_time(rd, jr, at, "cpu_ms", &m->cpu_ns))
		return -1;
	m->model = (enum model)model;
	m->cores = (int)cores;
	/* Our extensions are optional, so that older records still read. */
	if (json_object_get(jr, "title") &&
	    get_string(rd, jr, at, "title", m->title, sizeof m->title))
		return -1;
	if (json_object_get(jr, "bytes_per_task")) {
		if (get_number(rd, jr, at, "bytes_per_task", &bytes))
			return -1;
		m->bytes_per_task = bytes;
	}
	if (json_object_get(jr, "spinner") && read_spinner(rd, tr, jr, at))
		return -1;
	if (json_object_get(jr, "dropped")) {
		if (get_int(rd, jr, at, "dropped", 0, INT64_MAX, &dropped))
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
		return fail(rd, at, "not a conctui record (no \"conctui\" key)");
	if (get_int(rd, jr, at, "conctui", 0, INT64_MAX, &version))
		return -1;
	if (version != RECORD_VERSION)
		return fail(rd, member_path(where, sizeof where, at, "conctui"),
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
	tasks = object_list(rd, jr, at, "tasks");
	if (!tasks)
		return NULL;
	n = json_array_size(tasks);
	if (n == 0 || n > TRACE_MAX_TASKS) {
		fail(rd, member_path(where, sizeof where, at, "tasks"),
		     "%zu tasks (1 to %d allowed)", n, TRACE_MAX_TASKS);
		return NULL;
	}
	gil = json_object_get(jr, "gil");
	if (gil && !member(rd, jr, at, "gil", JSON_OBJECT, "an object"))
		return NULL;
	tr = trace_create((int)n, gil ? TRACE_LOCK_LANE : 0);
	if (!tr) {
		fail(rd, at, "cannot hold %zu tasks: %s", n, strerror(errno));
		return NULL;
	}
	if (read_meta(rd, tr, jr, at))
		goto fail;
	json_array_foreach(tasks, i, jt)
	{
		element_path(where, sizeof where, at, "tasks", i);
		if (read_task(rd, tr, (int)i, jt, where))
			goto fail;
	}
	if (gil && read_gil(rd, tr, gil, member_path(where, sizeof where, at, "gil")))
		goto fail;
	if (read_edges(rd, tr, jr, at))
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
			return fail(rd, "", "out of memory");
		trs[0] = read_record(rd, root, "");
		if (!trs[0]) {
			free(trs);
			return -1;
		}
		*out = trs;
		return 1;
	}
	if (check_version(rd, root, "") || !object_list(rd, root, "", "compare"))
		return -1;
	n = json_array_size(list);
	if (n == 0 || n > RECORD_MAX_COMPARE)
		return fail(rd, "compare", "%zu records (1 to %d allowed)", n, RECORD_MAX_COMPARE);
	trs = calloc(n, sizeof *trs);
	if (!trs)
		return fail(rd, "", "out of memory");
	json_array_foreach(list, i, jr)
	{
		element_path(where, sizeof where, "", "compare", i);
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
		return fail(&rd, "", "empty file");
	/* jansson would stop at a NUL and blame the end of the file. */
	const char *nul = memchr(buf, '\0', len);
	if (nul)
		return fail(&rd, "", "not a text file (a NUL byte at offset %zu)",
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
		n = fail(&rd, "", "not a conctui record (the top level is %s, not an object)",
			 type_name(root));
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
