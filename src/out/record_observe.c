/*
 * record_observe.c -- the record's parts for an observed program: the
 * `observer` object, each task's `pid`, `tid` and `process`, and which
 * spans were found by sampling (DESIGN.md, the record format).
 */
#include <stdint.h>
#include <string.h>

#include "record.h"
#include "record_priv.h"

int record_put_observer(json_t *o, const struct trace *tr)
{
	const struct trace_meta *m = &tr->meta;
	json_t *ob, *cmd;
	size_t at = 0;

	if (!m->observer[0])
		return 0;
	ob = json_object();
	cmd = json_array();
	if (!ob || !cmd)
		goto fail;
	for (int i = 0; i < m->command_argc && at < sizeof m->command; i++) {
		char buf[sizeof m->command];
		if (json_array_append_new(
			cmd, json_string(record_clean_text(m->command + at, buf, sizeof buf))))
			goto fail;
		at += strlen(m->command + at) + 1;
	}
	if (json_object_set_new(ob, "method", json_string(m->observer)) ||
	    json_object_set_new(ob, "period_us", json_real(m->observer_period_us)) ||
	    json_object_set_new(ob, "command", cmd))
		goto fail_ob;
	if (m->exit_status != TRACE_EXIT_UNKNOWN &&
	    json_object_set_new(ob, "exit", json_integer(m->exit_status)))
		goto fail_ob;
	if (m->observer_unshown > 0 &&
	    json_object_set_new(ob, "unshown", json_integer(m->observer_unshown)))
		goto fail_ob;
	return json_object_set_new(o, "observer", ob);
fail:
	json_decref(cmd);
fail_ob:
	json_decref(ob);
	return -1;
}

int record_put_thread(json_t *task, const struct trace *tr, int lane)
{
	const struct trace_thread *th = trace_thread(tr, lane);
	char buf[sizeof th->process];

	if (th->tid == 0)
		return 0;
	return json_object_set_new(task, "pid", json_integer(th->pid)) ||
	       json_object_set_new(task, "tid", json_integer(th->tid)) ||
	       json_object_set_new(task, "process",
				   json_string(record_clean_text(th->process, buf, sizeof buf)));
}

int record_read_observer(struct reader *rd, struct trace *tr, json_t *jr, const char *at)
{
	struct trace_meta *m = &tr->meta;
	char where[160];
	json_t *ob = json_object_get(jr, "observer"), *cmd, *arg;
	json_int_t code;
	size_t i, used = 0;

	m->exit_status = TRACE_EXIT_UNKNOWN;
	if (!ob)
		return 0;
	reader_member_path(where, sizeof where, at, "observer");
	if (!reader_member(rd, jr, at, "observer", JSON_OBJECT, "an object") ||
	    reader_string(rd, ob, where, "method", m->observer, sizeof m->observer))
		return -1;
	if (json_object_get(ob, "period_us") &&
	    reader_number(rd, ob, where, "period_us", &m->observer_period_us))
		return -1;
	if (json_object_get(ob, "exit")) {
		if (reader_int(rd, ob, where, "exit", -255, 255, &code))
			return -1;
		m->exit_status = (int)code;
	}
	if (json_object_get(ob, "unshown")) {
		if (reader_int(rd, ob, where, "unshown", 0, INT32_MAX, &code))
			return -1;
		m->observer_unshown = (int)code;
	}
	cmd = json_object_get(ob, "command");
	json_array_foreach(cmd, i, arg)
	{
		const char *s = json_string_value(arg);
		size_t len = s ? strlen(s) + 1 : 0;
		if (!s || used + len > sizeof m->command)
			break;
		memcpy(m->command + used, s, len);
		used += len;
		m->command_argc++;
	}
	return 0;
}

int record_read_thread(struct reader *rd, struct trace *tr, int lane, json_t *jt, const char *at)
{
	struct trace_thread th = {0};
	json_int_t pid, tid;
	json_t *spans = json_object_get(jt, "spans"), *js;
	size_t i;

	if (!json_object_get(jt, "tid"))
		return 0;
	if (reader_int(rd, jt, at, "pid", 0, INT32_MAX, &pid) ||
	    reader_int(rd, jt, at, "tid", 0, INT32_MAX, &tid) ||
	    (json_object_get(jt, "process") &&
	     reader_string(rd, jt, at, "process", th.process, sizeof th.process)))
		return -1;
	th.pid = (int32_t)pid;
	th.tid = (int32_t)tid;
	json_array_foreach(spans, i, js)
	{
		if (json_is_true(json_object_get(js, "sampled")))
			th.sampled = true;
	}
	trace_set_thread(tr, lane, &th);
	return 0;
}
