/*
 * stats.c -- figures and properties of a trace: time per state, outcomes,
 * the most tasks running at once, the GIL's holds, waits and convoys.
 *
 * Everything here reads the trace through trace_count/trace_get only, so a
 * replayed record, a finished run and a run in progress are treated alike.
 */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

/* An open span ends "now", but never before it started. */
static uint64_t span_end(const struct span *sp, uint64_t now_rel_ns)
{
	if (sp->t1 != TRACE_OPEN)
		return sp->t1;
	return now_rel_ns > sp->t0 ? now_rel_ns : sp->t0;
}

static double span_ms(const struct span *sp, uint64_t now_rel_ns)
{
	return (double)(span_end(sp, now_rel_ns) - sp->t0) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_median(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	if (n % 2)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- overlap: a sweep over span endpoints ------------------------------ */

struct edge {
	uint64_t t;
	int delta; /* -1 an end, +1 a start */
};

/* Ends sort before starts at the same instant: touching spans do not overlap. */
static int cmp_edge(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->delta - y->delta;
}

/* Counts the spans of ST with a length; zero-length ones overlap nothing. */
static size_t count_state_spans(const struct trace *tr, enum state st, uint64_t now)
{
	size_t n = 0;
	struct span sp;

	for (int lane = 0; lane < tr->ntasks; lane++) {
		uint32_t cnt = trace_count(tr, lane);
		for (uint32_t i = 0; i < cnt; i++) {
			trace_get(tr, lane, i, &sp);
			if (sp.state == st && span_end(&sp, now) > sp.t0)
				n++;
		}
	}
	return n;
}

int stats_max_overlap_at(const struct trace *tr, enum state st, uint64_t now_rel_ns)
{
	size_t cap = count_state_spans(tr, st, now_rel_ns);
	size_t n = 0;
	struct edge *ev;
	struct span sp;
	int cur = 0, best = 0;

	if (cap == 0)
		return 0;
	ev = malloc(2 * cap * sizeof *ev);
	if (!ev)
		return -1;
	for (int lane = 0; lane < tr->ntasks; lane++) {
		uint32_t cnt = trace_count(tr, lane);
		for (uint32_t i = 0; i < cnt && n < 2 * cap; i++) {
			trace_get(tr, lane, i, &sp);
			uint64_t end = span_end(&sp, now_rel_ns);
			if (sp.state != st || end <= sp.t0)
				continue;
			ev[n++] = (struct edge){sp.t0, +1};
			ev[n++] = (struct edge){end, -1};
		}
	}
	qsort(ev, n, sizeof *ev, cmp_edge);
	for (size_t i = 0; i < n; i++) {
		cur += ev[i].delta;
		if (cur > best)
			best = cur;
	}
	free(ev);
	return best;
}

int stats_max_overlap(const struct trace *tr, enum state st)
{
	return stats_max_overlap_at(tr, st, 0);
}

/* ---- the lock lane ------------------------------------------------------ */

/* Fills the hold figures from the lock lane, if the trace has one. */
static void lock_figures(const struct trace *tr, uint64_t now, struct stats *st)
{
	int lane = trace_lock_lane(tr);
	struct span sp;

	if (lane < 0)
		return;
	uint32_t n = trace_count(tr, lane);
	st->holds = (int)n;
	if (st->wall_ms > 0)
		st->switches_per_s = (double)tr->meta.gil_switches / (st->wall_ms / 1e3);
	if (n == 0)
		return;
	double *len = malloc(n * sizeof *len);
	if (!len)
		return;
	for (uint32_t i = 0; i < n; i++) {
		trace_get(tr, lane, i, &sp);
		len[i] = span_ms(&sp, now);
	}
	st->median_hold_ms = stats_median(len, (int)n);
	free(len);
}

double stats_lock_wait_ms(const struct trace *tr, int task)
{
	uint32_t n = trace_count(tr, task);
	double sum = 0;
	struct span sp;

	for (uint32_t i = 0; i < n; i++) {
		trace_get(tr, task, i, &sp);
		if (sp.state == STATE_LOCK)
			sum += span_ms(&sp, 0);
	}
	return sum;
}

/*
 * Stores the lengths of TASK's convoy waits in V (when V is not NULL) and
 * returns how many there are.
 */
static int convoy_waits(const struct trace *tr, int task, double *v)
{
	uint32_t cnt = trace_count(tr, task);
	enum state prev = STATE_DONE;
	struct span sp;
	int n = 0;

	for (uint32_t i = 0; i < cnt; i++) {
		trace_get(tr, task, i, &sp);
		if (sp.state == STATE_LOCK && (prev == STATE_IO || prev == STATE_SLEEP)) {
			if (v)
				v[n] = span_ms(&sp, 0);
			n++;
		}
		prev = sp.state;
	}
	return n;
}

int stats_convoy_count(const struct trace *tr, int task)
{
	return convoy_waits(tr, task, NULL);
}

double stats_convoy_median_ms(const struct trace *tr, int task)
{
	int n = convoy_waits(tr, task, NULL);
	double med;

	if (n == 0)
		return 0;
	double *v = malloc((size_t)n * sizeof *v);
	if (!v)
		return 0;
	convoy_waits(tr, task, v);
	med = stats_median(v, n);
	free(v);
	return med;
}

/* Fills V (when given) with each worker's gaps between a job's end and its next job's start. */
static int job_gaps(const struct trace *tr, double *v)
{
	struct trace_edge e;
	int n = 0;

	for (uint32_t i = 0; i < trace_edge_count(tr); i++) {
		if (!trace_get_edge(tr, i, &e) || e.kind != EDGE_JOB || e.from < 0 || e.to < 0 ||
		    trace_count(tr, e.to) == 0)
			continue;
		uint64_t end = trace_lane_end(tr, e.from, 0);
		if (e.t < end)
			continue;
		if (v)
			v[n] = (double)(e.t - end) / 1e6;
		n++;
	}
	return n;
}

double stats_job_handoff_ms(const struct trace *tr)
{
	int n = job_gaps(tr, NULL);
	double med = 0, *v = n ? malloc((size_t)n * sizeof *v) : NULL;

	if (v) {
		n = job_gaps(tr, v);
		med = stats_median(v, n);
	}
	free(v);
	return med;
}

double stats_max_gap_ms(const struct trace *tr, int task, enum state st)
{
	uint32_t cnt = trace_count(tr, task);
	uint64_t prev_start = 0, prev_end = 0, gap = 0;
	bool seen = false;
	struct span sp;

	for (uint32_t i = 0; i < cnt; i++) {
		trace_get(tr, task, i, &sp);
		if (sp.state != st)
			continue;
		uint64_t end = span_end(&sp, 0);
		/* A span that continues the previous one is the same episode. */
		if (seen && sp.t0 == prev_end) {
			prev_end = end;
			continue;
		}
		if (seen && sp.t0 - prev_start > gap)
			gap = sp.t0 - prev_start;
		seen = true;
		prev_start = sp.t0;
		prev_end = end;
	}
	return (double)gap / 1e6;
}

/* ---- everything at once ------------------------------------------------- */

void stats_compute_at(const struct trace *tr, uint64_t now_rel_ns, struct stats *st)
{
	struct span sp;

	memset(st, 0, sizeof *st);
	st->tasks = tr->ntasks;
	st->wall_ms =
	    (double)(tr->meta.wall_ns ? tr->meta.wall_ns : trace_extent(tr, now_rel_ns)) / 1e6;
	st->cpu_ms = (double)tr->meta.cpu_ns / 1e6;
	for (int lane = 0; lane < tr->ntasks; lane++) {
		uint32_t n = trace_count(tr, lane);
		for (uint32_t i = 0; i < n; i++) {
			trace_get(tr, lane, i, &sp);
			if ((unsigned)sp.state < STATE_COUNT)
				st->state_ms[sp.state] += span_ms(&sp, now_rel_ns);
		}
		st->spans += n;
		enum outcome o = trace_outcome(tr, lane);
		if ((unsigned)o < OUTCOME_COUNT)
			st->outcomes[o]++;
	}
	st->dropped = trace_dropped(tr, -1);
	st->max_running = stats_max_overlap_at(tr, STATE_RUNNING, now_rel_ns);
	lock_figures(tr, now_rel_ns, st);
}

void stats_compute(const struct trace *tr, struct stats *st)
{
	stats_compute_at(tr, 0, st);
}
