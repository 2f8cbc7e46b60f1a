/*
 * record_log.c -- a record's "output" (lines printed, in time order) and
 * "findings" (patterns found in the run), written and read back.
 */
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "record_priv.h"

/* ns -> ms, exactly: 15 digits hold any run shorter than 11 days. */
static double ms_of(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* ---- writing ------------------------------------------------------------ */

static int output_by_time(const void *a, const void *b)
{
	const struct trace_output *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

static json_t *output_line(const struct trace_output *o)
{
	char buf[TRACE_TEXT_MAX];

	return json_pack("{s:i, s:f, s:s}", "task", o->task, "t", ms_of(o->t), "text",
			 record_clean_text(o->text, buf, sizeof buf));
}

static json_t *output_json(const struct trace *tr)
{
	uint32_t n = trace_output_count(tr), k = 0;
	struct trace_output *lines = n ? malloc(n * sizeof *lines) : NULL;
	json_t *list = json_array();

	if (!list || (n && !lines))
		goto fail;
	for (uint32_t i = 0; i < n; i++)
		k += trace_get_output(tr, i, &lines[k]);
	/* Stable for equal times: lines one task printed keep their order. */
	if (k > 1)
		qsort(lines, k, sizeof *lines, output_by_time);
	for (uint32_t i = 0; i < k; i++)
		if (json_array_append_new(list, output_line(&lines[i])))
			goto fail;
	free(lines);
	return list;
fail:
	free(lines);
	json_decref(list);
	return NULL;
}

static json_t *finding_json(const struct trace_finding *f)
{
	char buf[TRACE_TEXT_MAX];
	json_t *tasks = json_array();

	for (int i = 0; tasks && i < f->ntasks; i++)
		if (json_array_append_new(tasks, json_integer(f->tasks[i]))) {
			json_decref(tasks);
			return NULL;
		}
	if (!tasks)
		return NULL;
	return json_pack("{s:s, s:o, s:f, s:f, s:s}", "kind", finding_kind_name(f->kind), "tasks",
			 tasks, "t0", ms_of(f->t0), "t1", ms_of(f->t1), "text",
			 record_clean_text(f->text, buf, sizeof buf));
}

static json_t *findings_json(const struct trace *tr)
{
	uint32_t n = trace_finding_count(tr);
	json_t *list = json_array();
	struct trace_finding f;

	for (uint32_t i = 0; list && i < n; i++)
		if (trace_get_finding(tr, i, &f) && json_array_append_new(list, finding_json(&f))) {
			json_decref(list);
			return NULL;
		}
	return list;
}

/* --picks: the task chosen at each decision, by name (replayable as a --picks list). */
static int picks_put(json_t *o, const struct trace *tr)
{
	json_t *list;

	if (tr->meta.npicks == 0)
		return 0;
	if (!(list = json_array()))
		return -1;
	for (int i = 0; i < tr->meta.npicks; i++)
		if (json_array_append_new(list, json_string(trace_name(tr, tr->meta.picks[i])))) {
			json_decref(list);
			return -1;
		}
	return json_object_set_new(o, "picks", list);
}

int record_put_log(json_t *o, const struct trace *tr)
{
	json_t *out = output_json(tr), *found = findings_json(tr);

	if (picks_put(o, tr) < 0) {
		json_decref(out);
		json_decref(found);
		return -1;
	}
	if (!out || !found || json_object_set_new(o, "output", out)) {
		json_decref(out);
		json_decref(found);
		return -1;
	}
	return json_object_set_new(o, "findings", found);
}

/* ---- reading ------------------------------------------------------------ */

static int read_output(struct reader *rd, struct trace *tr, json_t *jr, const char *at)
{
	char where[160];
	json_t *list, *jo;
	json_int_t task;
	size_t i;

	if (!json_object_get(jr, "output"))
		return 0;
	list = reader_list(rd, jr, at, "output");
	if (!list)
		return -1;
	json_array_foreach(list, i, jo)
	{
		struct trace_output o;

		reader_element_path(where, sizeof where, at, "output", i);
		if (reader_int(rd, jo, where, "task", -1, tr->ntasks - 1, &task) ||
		    reader_time(rd, jo, where, "t", &o.t) ||
		    reader_string(rd, jo, where, "text", o.text, sizeof o.text))
			return -1;
		o.task = (int32_t)task;
		if (trace_append_output(tr, &o))
			return reader_fail(rd, where, "too many lines of output (at most %u)",
					   TRACE_OUTPUT_CAP);
	}
	return 0;
}

static int read_finding_tasks(struct reader *rd, struct trace *tr, json_t *jf, const char *at,
			      struct trace_finding *f)
{
	json_t *list = reader_member(rd, jf, at, "tasks", JSON_ARRAY, "an array"), *v;
	char where[160];
	size_t i;

	if (!list)
		return -1;
	f->ntasks = 0;
	json_array_foreach(list, i, v)
	{
		json_int_t task = json_is_integer(v) ? json_integer_value(v) : -2;

		reader_element_path(where, sizeof where, at, "tasks", i);
		if (task < 0 || task >= tr->ntasks)
			return reader_fail(rd, where, "expected a task of the record");
		if (f->ntasks < TRACE_FINDING_TASKS)
			f->tasks[f->ntasks++] = (int32_t)task;
	}
	return 0;
}

static int read_findings(struct reader *rd, struct trace *tr, json_t *jr, const char *at)
{
	char where[160], kind[32];
	json_t *list, *jf;
	size_t i;

	if (!json_object_get(jr, "findings"))
		return 0;
	list = reader_list(rd, jr, at, "findings");
	if (!list)
		return -1;
	json_array_foreach(list, i, jf)
	{
		struct trace_finding f = {0};

		reader_element_path(where, sizeof where, at, "findings", i);
		if (reader_string(rd, jf, where, "kind", kind, sizeof kind) ||
		    read_finding_tasks(rd, tr, jf, where, &f) ||
		    reader_time(rd, jf, where, "t0", &f.t0) ||
		    reader_time(rd, jf, where, "t1", &f.t1) ||
		    reader_string(rd, jf, where, "text", f.text, sizeof f.text))
			return -1;
		if (f.t1 < f.t0)
			return reader_fail(rd, where, "ends before it starts");
		f.kind = finding_kind_parse(kind);
		if (trace_add_finding(tr, &f))
			return reader_fail(rd, where, "too many findings (at most %u)",
					   TRACE_FINDING_CAP);
	}
	return 0;
}

static int read_picks(struct reader *rd, struct trace *tr, json_t *jr, const char *at)
{
	char where[160];
	json_t *list, *v;
	size_t i;

	if (!json_object_get(jr, "picks"))
		return 0;
	list = reader_list(rd, jr, at, "picks");
	if (!list)
		return -1;
	json_array_foreach(list, i, v)
	{
		int task = -1;

		reader_element_path(where, sizeof where, at, "picks", i);
		for (int k = 0; json_is_string(v) && k < tr->ntasks && task < 0; k++)
			if (strcmp(trace_name(tr, k), json_string_value(v)) == 0)
				task = k;
		if (task < 0)
			return reader_fail(rd, where, "expected the name of a task of the record");
		if (tr->meta.npicks < TRACE_PICKS_MAX)
			tr->meta.picks[tr->meta.npicks++] = task;
	}
	return 0;
}

int record_read_log(struct reader *rd, struct trace *tr, json_t *jr, const char *at)
{
	return read_output(rd, tr, jr, at) || read_findings(rd, tr, jr, at) ||
		       read_picks(rd, tr, jr, at)
		   ? -1
		   : 0;
}
