/*
 * record_broker.c -- a record's "broker" (the `workers` executor's: which
 * broker, which workers on which hosts, how their clocks were put on the
 * run's) and each task's "worker", written and read back.
 */
#include <string.h>

#include "record.h"
#include "record_priv.h"

static double ms_of_signed(int64_t ns)
{
	return (double)ns / 1e6;
}

static json_t *worker_json(const struct trace_worker *w)
{
	char host[sizeof w->host * 2];

	return json_pack(
	    "{s:s, s:i, s:i, s:b, s:f, s:f}", "host", record_clean_text(w->host, host, sizeof host),
	    "pid", w->pid, "jobs", w->jobs, "remote", w->remote, "clock_offset_ms",
	    ms_of_signed(w->offset_ns), "clock_uncertainty_ms", (double)w->uncertainty_ns / 1e6);
}

int record_put_broker(json_t *o, const struct trace *tr)
{
	const struct trace_meta *m = &tr->meta;
	char url[sizeof m->broker * 2];
	json_t *list, *b;

	if (!m->broker[0])
		return 0;
	list = json_array();
	for (int i = 0; list && i < m->nworkers; i++)
		if (json_array_append_new(list, worker_json(&m->workers[i]))) {
			json_decref(list);
			return -1;
		}
	b = list
		? json_pack("{s:s, s:o, s:i}", "url", record_clean_text(m->broker, url, sizeof url),
			    "workers", list, "requeued", m->requeued)
		: NULL;
	return b ? json_object_set_new(o, "broker", b) : -1;
}

static int read_worker(struct reader *rd, json_t *jw, const char *at, struct trace_worker *w)
{
	json_int_t pid, jobs;
	double off = 0, unc;
	json_t *joff = json_object_get(jw, "clock_offset_ms");

	if (reader_string(rd, jw, at, "host", w->host, sizeof w->host) ||
	    reader_int(rd, jw, at, "pid", 0, INT32_MAX, &pid) ||
	    reader_int(rd, jw, at, "jobs", 0, TRACE_MAX_TASKS, &jobs) ||
	    reader_number(rd, jw, at, "clock_uncertainty_ms", &unc))
		return -1;
	/* An offset may be negative: reader_number takes none. */
	if (!json_is_number(joff))
		return reader_fail(rd, at, "missing \"clock_offset_ms\"");
	off = json_number_value(joff);
	if (!(off > -1e12 && off < 1e12))
		return reader_fail(rd, at, "clock_offset_ms is out of range");
	w->pid = (int32_t)pid;
	w->jobs = (int32_t)jobs;
	w->remote = json_is_true(json_object_get(jw, "remote"));
	w->offset_ns = (int64_t)(off * 1e6);
	w->uncertainty_ns = (uint64_t)(unc * 1e6);
	return 0;
}

int record_read_broker(struct reader *rd, struct trace *tr, json_t *jr, const char *at)
{
	struct trace_meta *m = &tr->meta;
	char where[160];
	json_t *jb = json_object_get(jr, "broker"), *list, *jw;
	json_int_t requeued;
	size_t i;

	if (!jb)
		return 0;
	reader_member_path(where, sizeof where, at, "broker");
	if (!reader_member(rd, jr, at, "broker", JSON_OBJECT, "an object") ||
	    reader_string(rd, jb, where, "url", m->broker, sizeof m->broker) ||
	    reader_int(rd, jb, where, "requeued", 0, TRACE_MAX_TASKS, &requeued))
		return -1;
	m->requeued = (int)requeued;
	list = reader_list(rd, jb, where, "workers");
	if (!list)
		return -1;
	json_array_foreach(list, i, jw)
	{
		char wat[200];
		if (i >= TRACE_WORKERS_MAX)
			return reader_fail(rd, where, "more than %d workers", TRACE_WORKERS_MAX);
		reader_element_path(wat, sizeof wat, where, "workers", i);
		if (read_worker(rd, jw, wat, &m->workers[i]))
			return -1;
		m->nworkers = (int)i + 1;
	}
	return 0;
}
