/*
 * findings.c -- the patterns a finished run shows, found from trace data
 * alone (states, causes, `by`, the lock lane, the metadata) and added to
 * the trace as findings.
 */
#include "findings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "stats.h"

/*
 * The time thresholds below are budgets of the model at --scale 1: each is
 * multiplied by the run's scale (scaled(), from the trace's metadata), so
 * --scale 3 finds what --scale 1 finds, three times slower.  The shares of
 * the run and of the switch interval (which --scale already scales) need
 * nothing.
 *
 * asyncio's debug mode calls a callback slow past loop.slow_callback_duration,
 * 0.1 s: a task that keeps the loop longer than that is what it warns about.
 */
#define BLOCKING_CALL_NS (100 * CLOCK_NS_PER_MS)
/*
 * A convoy: a thread back from I/O waits for the GIL at least this share of
 * the switch interval (CPython makes it wait a whole interval before it may
 * ask the holder to drop; a free lock is taken at once) ...
 */
#define CONVOY_SHARE 0.5
/* ... at the median, over at least this many returns: once could be chance. */
#define CONVOY_MIN 3
/*
 * Thrash: the median hold is under this share of the switch interval (the
 * lock changes hands far more often than the interval asks for) ...
 */
#define THRASH_SHARE 0.2
/* ... over at least this many hand-offs, and threads wait longer than they hold it. */
#define THRASH_MIN 20
/* Oversubscribed: more runnable tasks than cores for at least this share of the run. */
#define OVERSUB_SHARE 0.25
/* Starved: ready without a break this long, and for this share of the run. */
#define STARVED_NS (500 * CLOCK_NS_PER_MS)
#define STARVED_SHARE 0.25
/*
 * No second core: two tasks wanted a core at once for this long in all,
 * and for this share of the run: the moments threads are being created, one
 * ready while another starts, are no lesson; a run whose point is parallel
 * work spends most of its time there.
 */
#define SECOND_CORE_NS (50 * CLOCK_NS_PER_MS)
#define SECOND_CORE_SHARE 0.25

/* ---- helpers -------------------------------------------------------------- */

/* NS, a threshold at --scale 1, at the pace TR's run was made. */
static uint64_t scaled(const struct trace *tr, uint64_t ns)
{
	double x = tr->meta.scale > 0 ? tr->meta.scale : 1;

	return (uint64_t)((double)ns * x + 0.5);
}

static uint64_t span_end(const struct span *sp)
{
	return sp->t1 == TRACE_OPEN ? sp->t0 : sp->t1;
}

/* "3.0 s" or "250 ms": a duration as people say it. */
static const char *say_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns >= 1000 * CLOCK_NS_PER_MS)
		snprintf(buf, len, "%.1f s", (double)ns / 1e9);
	else if (ns >= 10 * CLOCK_NS_PER_MS)
		snprintf(buf, len, "%.0f ms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.1f ms", (double)ns / 1e6);
	return buf;
}

__attribute__((format(printf, 6, 7))) static int add(struct trace *tr, enum finding_kind kind,
						     uint64_t t0, uint64_t t1, const int *tasks,
						     const char *fmt, ...)
{
	struct trace_finding f = {.kind = kind, .t0 = t0, .t1 = t1};
	va_list ap;

	for (int i = 0; i < TRACE_FINDING_TASKS && tasks[i] >= 0; i++)
		f.tasks[f.ntasks++] = tasks[i];
	va_start(ap, fmt);
	vsnprintf(f.text, sizeof f.text, fmt, ap);
	va_end(ap);
	return trace_add_finding(tr, &f) == 0;
}

/* True when a lane other than TASK was under way at some time in [T0, T1). */
static bool others_alive(const struct trace *tr, int task, uint64_t t0, uint64_t t1)
{
	for (int l = 0; l < tr->ntasks; l++)
		if (l != task && trace_count(tr, l) > 0 && trace_lane_start(tr, l) < t1 &&
		    trace_lane_end(tr, l, 0) > t0)
			return true;
	return false;
}

/* ---- blocking-call: one task kept the event loop -------------------------- */

/*
 * Spans in which a task keeps the loop's thread: running, preempted by the
 * OS while running, or a blocking wait it entered holding the loop (the
 * loop engine opens those with `step` or `loop_resume`; an awaited wait
 * begins with `yield` or `start`).
 */
static bool holds_loop(const struct span *sp)
{
	switch (sp->state) {
	case STATE_RUNNING:
		return true;
	case STATE_READY:
		return sp->cause == CAUSE_PREEMPT;
	case STATE_SLEEP:
		return sp->cause == CAUSE_STEP || sp->cause == CAUSE_LOOP_RESUME;
	default:
		return false;
	}
}

/*
 * TASK's longest stretch holding the loop: its start and end in *T0, *T1.
 * Work handed to the thread pool (a stretch that began as a `job`) runs
 * beside the loop, not on it.
 */
static uint64_t longest_hold(const struct trace *tr, int task, uint64_t *t0, uint64_t *t1)
{
	uint32_t n = trace_count(tr, task);
	uint64_t best = 0, start = 0;
	bool in = false, pooled = false;
	struct span sp;

	for (uint32_t i = 0; i <= n; i++) {
		bool holds = i < n && (trace_get(tr, task, i, &sp), holds_loop(&sp));
		if (holds && !in) {
			start = sp.t0;
			pooled = false;
		}
		pooled |= holds && sp.cause == CAUSE_JOB;
		if (!holds && in && !pooled) {
			uint64_t end = i < n ? sp.t0 : trace_lane_end(tr, task, 0);
			if (end - start > best) {
				best = end - start;
				*t0 = start;
				*t1 = end;
			}
		}
		in = holds;
	}
	return best;
}

static int find_blocking_calls(struct trace *tr, const struct executor *ex)
{
	const char *loop = ex->unit == EXEC_UNIT_GREEN ? "the hub" : "the event loop";
	int found = 0;
	char d[32];

	for (int task = 0; task < tr->ntasks && found < FINDINGS_PER_KIND; task++) {
		uint64_t t0 = 0, t1 = 0;
		if (longest_hold(tr, task, &t0, &t1) < scaled(tr, BLOCKING_CALL_NS) ||
		    !others_alive(tr, task, t0, t1))
			continue;
		found += add(tr, FINDING_BLOCKING_CALL, t0, t1, (int[]){task, -1},
			     "%s() blocked %s for %s: nothing else ran", trace_name(tr, task), loop,
			     say_ns(d, sizeof d, t1 - t0));
	}
	return found;
}

/* ---- the GIL: convoys and thrash ------------------------------------------- */

/* A task's waits for the GIL straight after an I/O or sleep span. */
struct convoy {
	int n;		 /* such waits */
	int after_io;	 /* ... of them after I/O (the rest after a sleep) */
	int holder;	 /* the task it waited behind most, -1 */
	double median;	 /* ms */
	uint64_t t0, t1; /* ns: the first one's start, the last one's end */
};

static void convoy_measure(const struct trace *tr, int task, double *waits, struct convoy *cv)
{
	uint32_t n = trace_count(tr, task);
	struct span sp, prev = {.state = STATE_DONE};
	int votes = 0;

	memset(cv, 0, sizeof *cv);
	cv->holder = -1;
	for (uint32_t i = 0; i < n; i++, prev = sp) {
		trace_get(tr, task, i, &sp);
		if (sp.state != STATE_LOCK || (prev.state != STATE_IO && prev.state != STATE_SLEEP))
			continue;
		if (cv->n == 0)
			cv->t0 = sp.t0;
		cv->t1 = span_end(&sp);
		cv->after_io += prev.state == STATE_IO;
		waits[cv->n++] = (double)(span_end(&sp) - sp.t0) / 1e6;
		/* The holder it waited behind most: a majority vote. */
		if (votes == 0)
			cv->holder = sp.by;
		votes += sp.by == cv->holder ? 1 : -1;
	}
	cv->median = stats_median(waits, cv->n);
}

/* TASK's convoy, if its waits back from I/O or a sleep are long: a finding. */
static int convoy_of(struct trace *tr, int task, double interval_ms)
{
	double *waits = malloc((trace_count(tr, task) + 1) * sizeof *waits);
	struct convoy cv;
	char how[48];
	int found = 0;

	if (!waits)
		return 0;
	convoy_measure(tr, task, waits, &cv);
	free(waits);
	if (cv.n < CONVOY_MIN || cv.median < CONVOY_SHARE * interval_ms)
		return 0;
	if (cv.median <= 2 * interval_ms)
		snprintf(how, sizeof how, "about one switch interval (%g ms)", interval_ms);
	else
		snprintf(how, sizeof how, "%.0f switch intervals of %g ms", cv.median / interval_ms,
			 interval_ms);
	found = add(tr, FINDING_GIL_CONVOY, cv.t0, cv.t1, (int[]){task, cv.holder, -1},
		    "%s waits %.1f ms for the GIL each time it is back from %s (median of %d): %s, "
		    "behind %s",
		    trace_name(tr, task), cv.median,
		    cv.after_io == cv.n ? "I/O"
		    : cv.after_io == 0	? "a sleep"
					: "I/O or a sleep",
		    cv.n, how, cv.holder >= 0 ? trace_name(tr, cv.holder) : "another thread");
	return found;
}

/* Total ms the tasks spent waiting for a lock. */
static double lock_wait_ms(const struct trace *tr)
{
	double ms = 0;

	for (int t = 0; t < tr->ntasks; t++)
		ms += stats_lock_wait_ms(tr, t);
	return ms;
}

static int find_thrash(struct trace *tr, int lane, double interval_ms)
{
	uint32_t n = trace_count(tr, lane);
	double *holds = malloc((n + 1) * sizeof *holds), held = 0;
	int handoffs = 0, who[2] = {-1, -1}, found = 0;
	struct span sp = {.cpu = -1};

	if (!holds)
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		int prev = sp.cpu;
		trace_get(tr, lane, i, &sp);
		holds[i] = (double)(span_end(&sp) - sp.t0) / 1e6;
		held += holds[i];
		handoffs += i > 0 && sp.cpu != prev;
		if (who[0] < 0 || (who[1] < 0 && sp.cpu != who[0]))
			who[who[0] >= 0] = sp.cpu;
	}
	double median = stats_median(holds, (int)n);
	if (handoffs >= THRASH_MIN && median < THRASH_SHARE * interval_ms &&
	    lock_wait_ms(tr) > held)
		found =
		    add(tr, FINDING_GIL_THRASH, 0, trace_lane_end(tr, lane, 0),
			(int[]){who[0], who[1], -1},
			"the GIL changed hands %d times, held %.2f ms at the median (the switch "
			"interval is %g ms): the threads wait for it more than they compute",
			handoffs, median, interval_ms);
	free(holds);
	return found;
}

static int find_gil(struct trace *tr)
{
	int lane = trace_lock_lane(tr), found = 0;
	double interval = tr->meta.gil_interval_ms;

	if (lane < 0 || !(interval > 0))
		return 0;
	for (int t = 0; t < tr->ntasks && found < FINDINGS_PER_KIND; t++)
		found += convoy_of(tr, t, interval);
	return found + find_thrash(tr, lane, interval);
}

/* ---- cores: oversubscribed, no second core --------------------------------- */

/* A task starts or stops wanting a core at T; RUNNING: it runs on one. */
struct edge_ev {
	uint64_t t;   /* ns since the run started */
	int delta;    /* +1 starts, -1 stops */
	bool running; /* the span is `running` (else `ready`) */
};

/* What a sweep over every task's running and ready spans measures. */
struct sweep {
	uint64_t over_ns; /* time more tasks wanted a core than there were cores */
	uint64_t over_t0; /* first moment of it */
	uint64_t over_t1; /* last moment of it */
	int over_peak;	  /* most tasks wanting a core at once */
	uint64_t peak_t;  /* when that was */
	uint64_t two_ns;  /* time two or more tasks wanted a core */
	uint64_t two_t0;  /* first moment of it */
	uint64_t two_t1;  /* last moment of it */
	int max_running;  /* most tasks running at once */
};

static int by_time(const void *a, const void *b)
{
	const struct edge_ev *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->delta - y->delta; /* ends first: touching spans do not overlap */
}

/* Events for every running or ready span, sorted; their count, or -1. */
static long collect(const struct trace *tr, struct edge_ev **out)
{
	size_t n = 0, cap = 0;
	struct edge_ev *ev = NULL;
	struct span sp;

	for (int l = 0; l < tr->ntasks; l++)
		for (uint32_t i = 0; i < trace_count(tr, l); i++) {
			trace_get(tr, l, i, &sp);
			if ((sp.state != STATE_RUNNING && sp.state != STATE_READY) ||
			    span_end(&sp) <= sp.t0)
				continue;
			if (n + 2 > cap) {
				cap = cap ? 2 * cap : 1024;
				struct edge_ev *m = realloc(ev, cap * sizeof *ev);
				if (!m) {
					free(ev);
					return -1;
				}
				ev = m;
			}
			bool run = sp.state == STATE_RUNNING;
			ev[n++] = (struct edge_ev){sp.t0, +1, run};
			ev[n++] = (struct edge_ev){span_end(&sp), -1, run};
		}
	if (n)
		qsort(ev, n, sizeof *ev, by_time);
	*out = ev;
	return (long)n;
}

static void sweep(const struct trace *tr, int cores, struct sweep *s)
{
	struct edge_ev *ev = NULL;
	long n = collect(tr, &ev);
	int want = 0, running = 0;

	memset(s, 0, sizeof *s);
	for (long i = 0; i < n; i++) {
		uint64_t dt = i > 0 ? ev[i].t - ev[i - 1].t : 0;
		if (want > cores && dt) {
			s->over_t0 = s->over_ns ? s->over_t0 : ev[i - 1].t;
			s->over_ns += dt;
			s->over_t1 = ev[i].t;
		}
		if (want >= 2 && dt) {
			s->two_t0 = s->two_ns ? s->two_t0 : ev[i - 1].t;
			s->two_ns += dt;
			s->two_t1 = ev[i].t;
		}
		want += ev[i].delta;
		running += ev[i].running ? ev[i].delta : 0;
		if (want > s->over_peak) {
			s->over_peak = want;
			s->peak_t = ev[i].t;
		}
		if (running > s->max_running)
			s->max_running = running;
	}
	free(ev);
}

/* Up to TRACE_FINDING_TASKS lanes running or ready at T in OUT, then -1 (room for one more). */
static void wanting_at(const struct trace *tr, uint64_t t, int *out)
{
	int k = 0;
	struct span sp;

	for (int l = 0; l < tr->ntasks && k < TRACE_FINDING_TASKS; l++)
		for (uint32_t i = 0; i < trace_count(tr, l); i++) {
			trace_get(tr, l, i, &sp);
			if ((sp.state == STATE_RUNNING || sp.state == STATE_READY) && sp.t0 <= t &&
			    span_end(&sp) > t) {
				out[k++] = l;
				break;
			}
		}
	out[k] = -1;
}

static int find_cores(struct trace *tr, const struct executor *ex)
{
	/* Threads under a GIL still have every core; threads pinned to one have one. */
	int cores = ex->multicore || ex->gil ? tr->meta.cores : 1, found = 0;
	int tasks[TRACE_FINDING_TASKS + 1];
	uint64_t wall = tr->meta.wall_ns ? tr->meta.wall_ns : trace_extent(tr, 0);
	struct sweep s;
	char d[32];

	if (!exec_unit_is_os(ex->unit) || ex->at_once != EXEC_AT_ONCE_ALL || cores < 1 || !wall)
		return 0;
	sweep(tr, cores, &s);
	if ((double)s.over_ns >= OVERSUB_SHARE * (double)wall) {
		wanting_at(tr, s.peak_t, tasks);
		found += add(tr, FINDING_OVERSUBSCRIBED, s.over_t0, s.over_t1, tasks,
			     "up to %d tasks wanted a core at once, %d core%s had them, for %.0f%% "
			     "of the run: the OS takes turns, each runs part of the time",
			     s.over_peak, cores, cores == 1 ? "" : "s",
			     100.0 * (double)s.over_ns / (double)wall);
	}
	if (ex->multicore && tr->meta.cores >= 2 && s.max_running < 2 &&
	    s.two_ns >= scaled(tr, SECOND_CORE_NS) &&
	    (double)s.two_ns >= SECOND_CORE_SHARE * (double)wall) {
		wanting_at(tr, s.two_t0, tasks);
		found += add(tr, FINDING_NO_SECOND_CORE, s.two_t0, s.two_t1, tasks,
			     "two tasks wanted a core at once for %s yet never ran together: this "
			     "machine was busy and gave the run one core, it is not what %s do",
			     say_ns(d, sizeof d, s.two_ns), exec_unit_plural(ex->unit));
	}
	return found;
}

/* ---- starved: ready for long ----------------------------------------------- */

/* TASK's longest unbroken stretch of `ready`: its length, *T0 and *T1. */
static uint64_t longest_ready(const struct trace *tr, int task, uint64_t *t0, uint64_t *t1)
{
	uint32_t n = trace_count(tr, task);
	uint64_t best = 0, start = 0, end = 0;
	bool in = false;
	struct span sp;

	for (uint32_t i = 0; i < n; i++) {
		trace_get(tr, task, i, &sp);
		bool ready = sp.state == STATE_READY;
		if (ready && !in)
			start = sp.t0;
		if (ready)
			end = span_end(&sp);
		if ((!ready || i + 1 == n) && (in || ready) && end - start > best) {
			best = end - start;
			*t0 = start;
			*t1 = end;
		}
		in = ready;
	}
	return best;
}

/* True when a blocking call already found covers most of [T0, T1): it is the cause. */
static bool explained(const struct trace *tr, uint64_t t0, uint64_t t1)
{
	struct trace_finding f;

	for (uint32_t i = 0; i < trace_finding_count(tr); i++) {
		if (!trace_get_finding(tr, i, &f) || f.kind != FINDING_BLOCKING_CALL)
			continue;
		uint64_t a = f.t0 > t0 ? f.t0 : t0, b = f.t1 < t1 ? f.t1 : t1;
		if (b > a && 2 * (b - a) >= t1 - t0)
			return true;
	}
	return false;
}

static int find_starved(struct trace *tr, const struct executor *ex)
{
	const char *what = exec_unit_is_os(ex->unit) ? "a core" : "the loop";
	uint64_t wall = tr->meta.wall_ns ? tr->meta.wall_ns : trace_extent(tr, 0);
	int found = 0;
	char d[32];

	/* A pool's queue, or tasks run one after another, keep tasks waiting by design. */
	if (ex->at_once != EXEC_AT_ONCE_ALL)
		return 0;
	for (int task = 0; task < tr->ntasks && found < FINDINGS_PER_KIND; task++) {
		uint64_t t0 = 0, t1 = 0, len = longest_ready(tr, task, &t0, &t1);
		if (len < scaled(tr, STARVED_NS) || (double)len < STARVED_SHARE * (double)wall ||
		    explained(tr, t0, t1))
			continue;
		found += add(tr, FINDING_STARVED, t0, t1, (int[]){task, -1},
			     "%s was ready to run for %s at a stretch but did not get %s",
			     trace_name(tr, task), say_ns(d, sizeof d, len), what);
	}
	return found;
}

/* ---- the analysis ---------------------------------------------------------- */

int findings_analyse(struct trace *tr, const struct executor *ex)
{
	int found = 0;

	if (!tr || !ex)
		return 0;
	if (!exec_unit_is_os(ex->unit))
		found += find_blocking_calls(tr, ex);
	found += find_gil(tr);
	found += find_cores(tr, ex);
	found += find_starved(tr, ex);
	return found;
}
