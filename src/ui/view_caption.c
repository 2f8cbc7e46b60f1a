/*
 * view_caption.c -- the caption: the state change under the cursor in
 * words, built from the span's reason and what the other lanes were doing
 * at that instant ("B: waiting for the GIL -- A holds it").
 */
#include <stdio.h>
#include <string.h>

#include "view_ctx.h"

/* The task running on core CPU at T, other than LANE, or -1. */
static int runner_on(const struct trace *tr, int cpu, uint64_t t, int lane)
{
	struct span sp;

	for (int l = 0; l < tr->ntasks; l++) {
		int32_t k = view_span_at(tr, l, t);
		if (l == lane || k < 0)
			continue;
		trace_get(tr, l, (uint32_t)k, &sp);
		if (sp.state == STATE_RUNNING && sp.cpu == cpu &&
		    (sp.t1 == TRACE_OPEN || sp.t1 > t))
			return l;
	}
	return -1;
}

/* The task holding the lock at T, or -1. */
static int holder_at(const struct trace *tr, uint64_t t)
{
	int lock = trace_lock_lane(tr);
	struct span sp;

	if (lock < 0)
		return -1;
	int32_t k = view_span_at(tr, lock, t);
	if (k < 0)
		return -1;
	trace_get(tr, lock, (uint32_t)k, &sp);
	if (sp.t1 != TRACE_OPEN && sp.t1 <= t)
		return -1;
	return sp.cpu >= 0 && sp.cpu < tr->ntasks ? sp.cpu : -1;
}

static void explain_span(const struct trace *tr, int lane, uint32_t idx, char *buf, size_t len)
{
	struct span sp, prev;
	const char *name = trace_name(tr, lane);
	int n = 0;

	trace_get(tr, lane, idx, &sp);
	const char *what = sp.reason[0] ? sp.reason : state_label(sp.state);
	switch (sp.state) {
	case STATE_RUNNING:
		n = snprintf(buf, len, "%s: %s", name, what);
		if (sp.cpu >= 0)
			n += snprintf(buf + n, len - (size_t)n, " on core %d", sp.cpu);
		if (holder_at(tr, sp.t0) == lane)
			snprintf(buf + n, len - (size_t)n, " \u2014 holds the GIL");
		break;
	case STATE_READY: {
		/* Who took the core: the one running where this task last ran. */
		int cpu = sp.cpu;
		if (cpu < 0 && idx > 0) {
			trace_get(tr, lane, idx - 1, &prev);
			cpu = prev.cpu;
		}
		/* Not run yet: the core it is about to get. */
		if (cpu < 0 && idx + 1 < trace_count(tr, lane)) {
			trace_get(tr, lane, idx + 1, &prev);
			cpu = prev.state == STATE_RUNNING ? prev.cpu : -1;
		}
		n = snprintf(buf, len, "%s: %s", name, what);
		int other = cpu >= 0 ? runner_on(tr, cpu, sp.t0, lane) : -1;
		if (other >= 0)
			snprintf(buf + n, len - (size_t)n, " \u2014 %s runs on core %d",
				 trace_name(tr, other), cpu);
		break;
	}
	case STATE_LOCK: {
		int h = holder_at(tr, sp.t0);
		n = snprintf(buf, len, "%s: %s", name, what);
		if (h >= 0 && h != lane)
			snprintf(buf + n, len - (size_t)n, " \u2014 %s holds it",
				 trace_name(tr, h));
		break;
	}
	case STATE_DONE:
		snprintf(buf, len, "%s: %s (%s)", name, outcome_name(trace_outcome(tr, lane)),
			 what);
		break;
	default:
		snprintf(buf, len, "%s: %s", name, what);
		break;
	}
}

void view_caption_event(const struct view_ctx *c, const struct view_event *e, char *buf, size_t len)
{
	const struct view_panel *p = &c->panels[e->panel];
	const struct trace *tr = p->tr;
	char t[32], what[256];
	int n = 0;

	if (!tr) {
		snprintf(buf, len, "%s", p->note);
		return;
	}
	if (c->npanels > 1)
		n = snprintf(buf, len, "%s \u2502 ", p->title);
	view_fmt_time(t, sizeof t, e->t);
	if (e->idx >= trace_count(tr, e->lane)) {
		enum outcome o = trace_outcome(tr, e->lane);
		snprintf(what, sizeof what, "%s: %s", trace_name(tr, e->lane),
			 o == OUTCOME_DONE ? "finished" : outcome_name(o));
	} else {
		explain_span(tr, e->lane, e->idx, what, sizeof what);
	}
	snprintf(buf + n, len - (size_t)n, "t=%s  %s", t, what);
}

void view_caption_text(const struct view_ctx *c, char *buf, size_t len)
{
	struct view_event e;
	char t[32];

	if (c->npanels == 0) {
		snprintf(buf, len, "nothing to show");
		return;
	}
	if (view_event_current(&c->pl, c->panels, c->npanels, &e)) {
		view_caption_event(c, &e, buf, len);
		return;
	}
	view_fmt_time(t, sizeof t, c->pl.cursor);
	if (!c->panels[0].tr && c->panels[0].note[0])
		snprintf(buf, len, "%s", c->panels[0].note);
	else
		snprintf(buf, len, "t=%s  nothing has happened yet", t);
}
