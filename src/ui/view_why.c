/*
 * view_why.c -- what made a state change happen, read from the trace's
 * data (the span's cause and waker, the edges), never from its reason:
 * the task on the other side of a hand-off, the hand-off that follows,
 * who ran on a core before or after, and the event that caused an event.
 * The caption puts these into words; the arrows and the "why" key follow
 * them on screen.
 */
#include "view_why.h"

#include <string.h>

#define EDGE_SLACK 32 /* edges are near time order: look this far around */

bool view_why_span(const struct trace *tr, int lane, uint32_t idx, struct span *sp)
{
	if (lane < 0 || lane >= tr->nlanes || idx >= trace_count(tr, lane))
		return false;
	trace_get(tr, lane, idx, sp);
	return true;
}

int32_t view_why_span_at(const struct trace *tr, int lane, uint64_t t, struct span *sp)
{
	if (lane < 0 || lane >= tr->ntasks)
		return -1;
	int32_t k = view_span_at(tr, lane, t);
	if (k >= 0)
		trace_get(tr, lane, (uint32_t)k, sp);
	return k;
}

uint64_t view_why_end(const struct span *sp, uint64_t now)
{
	return sp->t1 == TRACE_OPEN ? (now > sp->t0 ? now : sp->t0) : sp->t1;
}

int view_why_runner_on(const struct trace *tr, int cpu, uint64_t t, int lane)
{
	struct span sp;

	for (int l = 0; l < tr->ntasks; l++) {
		if (l == lane || view_why_span_at(tr, l, t, &sp) < 0)
			continue;
		if (sp.state == STATE_RUNNING && (cpu < 0 || sp.cpu == cpu) &&
		    (sp.t1 == TRACE_OPEN || sp.t1 > t))
			return l;
	}
	return -1;
}

int view_why_next_runner(const struct trace *tr, int cpu, uint64_t t, int lane)
{
	int best = view_why_runner_on(tr, cpu, t, lane);
	uint64_t when = UINT64_MAX;
	struct span sp;

	if (best >= 0)
		return best;
	for (int l = 0; l < tr->ntasks; l++) {
		int32_t k = view_span_at(tr, l, t);
		if (l == lane || !view_why_span(tr, l, (uint32_t)(k + 1), &sp))
			continue;
		if (sp.state == STATE_RUNNING && sp.cpu == cpu && sp.t0 < when)
			when = sp.t0, best = l;
	}
	return best;
}

int view_why_prev_runner(const struct trace *tr, int cpu, uint64_t t, int lane, bool *preempted,
			 uint64_t *ended)
{
	uint64_t when = 0;
	int best = -1;
	struct span sp, next;

	*preempted = false;
	*ended = 0;
	for (int l = 0; l < tr->ntasks; l++) {
		int32_t k = view_span_at(tr, l, t);
		/* The last running span on CPU that ended by T: this one or the one before. */
		for (int32_t j = k; j >= 0 && j >= k - 1; j--) {
			if (l == lane || !view_why_span(tr, l, (uint32_t)j, &sp))
				continue;
			if (sp.state != STATE_RUNNING || sp.cpu != cpu || sp.t1 == TRACE_OPEN ||
			    sp.t1 > t || sp.t1 < when)
				continue;
			when = sp.t1, best = l;
			*ended = when;
			*preempted = view_why_span(tr, l, (uint32_t)j + 1, &next) &&
				     next.cause == CAUSE_PREEMPT;
			break;
		}
	}
	return best;
}

int view_why_holder(const struct trace *tr, uint64_t t)
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

uint64_t view_why_hold(const struct trace *tr, int task, uint64_t t, uint64_t now)
{
	int lock = trace_lock_lane(tr);
	struct span sp;

	if (lock < 0)
		return 0;
	/* TASK's latest hold that began by T: a few holds back at most. */
	for (int32_t k = view_span_at(tr, lock, t), n = 0; k >= 0 && n < 4; k--, n++) {
		trace_get(tr, lock, (uint32_t)k, &sp);
		if (sp.cpu == task)
			return view_why_end(&sp, now) - sp.t0;
	}
	return 0;
}

/* The first edge slot whose time is at or after T (edges are near time order). */
static uint32_t edge_search(const struct trace *tr, uint32_t n, uint64_t t)
{
	uint32_t lo = 0, hi = n;
	struct trace_edge e;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (trace_get_edge(tr, mid, &e) && e.t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The edge in [T0, T1] from FROM to TO (-1: any) whose kind ASK says (a
 * drop request, or a hand-off): the earliest, or with LATEST the latest.
 */
static bool find_edge(const struct trace *tr, int from, int to, uint64_t t0, uint64_t t1, bool ask,
		      bool latest, struct trace_edge *out)
{
	uint32_t n = trace_edge_count(tr);
	uint32_t i = edge_search(tr, n, t0);
	bool found = false;
	struct trace_edge e;

	i = i > EDGE_SLACK ? i - EDGE_SLACK : 0;
	for (uint32_t miss = 0; i < n && miss <= EDGE_SLACK; i++) {
		if (!trace_get_edge(tr, i, &e))
			continue;
		if (e.t > t1) {
			miss++;
			continue;
		}
		if (e.t < t0 || (from >= 0 && e.from != from) || (to >= 0 && e.to != to) ||
		    (e.kind == EDGE_GIL_ASK) != ask)
			continue;
		if (!found || (latest ? e.t >= out->t : e.t < out->t))
			*out = e, found = true;
	}
	return found;
}

bool view_why_edge(const struct trace *tr, int from, int to, uint64_t t0, uint64_t t1,
		   struct trace_edge *out)
{
	return find_edge(tr, from, to, t0, t1, false, false, out);
}

bool view_why_ask(const struct trace *tr, int asker, int holder, uint64_t t0, uint64_t t1,
		  uint64_t *at)
{
	struct trace_edge e;

	if (!find_edge(tr, asker, holder, t0, t1, true, true, &e))
		return false;
	*at = e.t;
	return true;
}

int view_why_waker(const struct trace *tr, int lane, const struct span *sp)
{
	struct trace_edge e;

	if (sp->by >= 0 && sp->by < tr->ntasks && sp->by != lane)
		return sp->by;
	/* An edge into this span, written at its hand-off, a moment before it began. */
	uint64_t from = sp->t0 > 1000000 ? sp->t0 - 1000000 : 0;
	if (view_why_edge(tr, -1, lane, from, sp->t0, &e) && e.from != lane)
		return e.from;
	return -1;
}

bool view_why_cause(const struct view_panel *p, const struct view_event *e, struct view_event *out)
{
	const struct trace *tr = p->tr;
	struct span sp, w;

	if (!tr)
		return false;
	uint32_t n = trace_count(tr, e->lane);
	if (e->idx >= n) {
		/* A lane's end: the span that ended it. */
		if (n == 0)
			return false;
		trace_get(tr, e->lane, n - 1, &sp);
		*out = (struct view_event){sp.t0, e->panel, e->lane, n - 1};
		return true;
	}
	trace_get(tr, e->lane, e->idx, &sp);
	int by = view_why_waker(tr, e->lane, &sp);
	/* Another task did it: the span of it that was under way then. */
	int32_t k = by >= 0 ? view_why_span_at(tr, by, sp.t0, &w) : -1;
	if (k >= 0) {
		*out = (struct view_event){w.t0, e->panel, by, (uint32_t)k};
		return true;
	}
	/* Its own doing (a timer, the OS, the next step): what it was doing before. */
	if (e->idx == 0)
		return false;
	trace_get(tr, e->lane, e->idx - 1, &w);
	*out = (struct view_event){w.t0, e->panel, e->lane, e->idx - 1};
	return true;
}
