/*
 * compare.c -- --compare: seed 001's experiment.  The same scenario runs on
 * every executor that applies, one after another so that the runs do not
 * steal each other's cores; then one table row per executor and a verdict
 * picked from what was measured, never from the scenario's name.  This file
 * plans, runs and judges; out/compare_print.c prints the table.
 */
#include "compare.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"

#define COMPARE_WIDTH 100      /* columns of the table */
#define COMPARE_BEATS 1.5      /* a speedup that counts as "beat sequential" */
#define COMPARE_MANY 3.0       /* a speedup that shows many waits overlapping */
#define COMPARE_MANY_TASKS 100 /* tasks that make "many connections" */

/* ---- which executors apply ---------------------------------------------- */

/* Milliseconds the tasks would take one after another (spinners aside). */
static double compare_serial_ms(const struct scenario *sc)
{
	double ms = 0;

	for (int i = 0; i < sc->ntasks; i++) {
		const struct scenario_task *t = &sc->tasks[i];
		for (int s = 0; s < t->nsteps; s++)
			if (t->steps[s].kind != STEP_SPIN)
				ms += t->steps[s].ms * t->repeat;
	}
	return ms;
}

const char *compare_skip_reason(const struct executor *ex, const struct scenario *sc, char *buf,
				size_t len)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int slots = ex->at_once == EXEC_AT_ONCE_ONE	  ? 1
		    : ex->at_once == EXEC_AT_ONCE_WORKERS ? (sc->workers ? sc->workers : (int)cores)
							  : 0;

	/* A thread or a process of its own for each of 10,000 tasks. */
	if (ex->unit_per_task && exec_unit_is_os(ex->unit) && sc->ntasks > COMPARE_MAX_OS_UNITS) {
		snprintf(buf, len, "skipped: %d tasks would need %d %s", sc->ntasks, sc->ntasks,
			 exec_unit_plural(ex->unit));
		return buf;
	}
	/* One (or a few) at a time, a server of 10,000 connections takes hours. */
	if (slots > 0 && compare_serial_ms(sc) / slots > COMPARE_MAX_SERIAL_S * 1000) {
		double h = compare_serial_ms(sc) / slots / 3.6e6;
		snprintf(buf, len, "skipped: %d tasks, %d at a time, would take %.1f h", sc->ntasks,
			 slots, h);
		return buf;
	}
	return NULL;
}

/* ---- measuring ------------------------------------------------------------ */

static void compare_header(const struct scenario *sc, struct compare_result *res)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(res, 0, sizeof *res);
	snprintf(res->scenario, sizeof res->scenario, "%s", sc->name);
	snprintf(res->title, sizeof res->title, "%s", sc->title);
	res->ntasks = sc->ntasks;
	res->cores = cores > 0 ? (int)cores : 1;
}

static void compare_progress(FILE *f, const struct compare_row *row)
{
	if (!f)
		return;
	if (row->skipped[0])
		fprintf(f, "  %-14s %s\n", row->name, row->skipped);
	else
		fprintf(f, "  %-14s %.0f ms\n", row->name, row->st.wall_ms);
	fflush(f);
}

int compare_run(const struct scenario *sc, const struct run_opts *ro, struct compare_result *res,
		FILE *progress)
{
	struct run_opts each = ro ? *ro : (struct run_opts){0};

	compare_header(sc, res);
	if (progress) {
		char name[ESCAPE_ECHO_SIZE];

		fprintf(progress, "conctui: running %s on each executor in turn\n",
			escape_text(name, sizeof name, sc->name, -1, 0));
	}
	for (int i = 0; i < executor_count() && res->nrows < COMPARE_MAX_ROWS; i++) {
		const struct executor *ex = executor_at(i);
		struct compare_row *row = &res->rows[res->nrows++];
		int interrupted = 0, failed = 0;

		snprintf(row->name, sizeof row->name, "%s", ex->name);
		row->ex = ex;
		row->model = ex->model;
		if (!compare_skip_reason(ex, sc, row->skipped, sizeof row->skipped)) {
			each.backend = ex->name;
			row->tr = run_to_end(sc, &each, &interrupted, &failed);
			res->failed += failed;
			if (interrupted) {
				res->interrupted = true;
				snprintf(row->skipped, sizeof row->skipped, "interrupted");
				return -1;
			}
			if (row->tr) {
				stats_compute(row->tr, &row->st);
			} else {
				res->failed++;
				snprintf(row->skipped, sizeof row->skipped,
					 "failed: the run ended with an error");
			}
		}
		compare_progress(progress, row);
	}
	return 0;
}

void compare_from_traces(struct trace **trs, int n, struct compare_result *res)
{
	memset(res, 0, sizeof *res);
	for (int i = 0; i < n; i++) {
		if (res->nrows == COMPARE_MAX_ROWS) {
			trace_destroy(trs[i]);
			continue;
		}
		struct compare_row *row = &res->rows[res->nrows++];
		snprintf(row->name, sizeof row->name, "%s", trs[i]->meta.backend);
		row->ex = executor_find(trs[i]->meta.backend);
		row->model = trs[i]->meta.model;
		row->tr = trs[i];
		stats_compute(trs[i], &row->st);
	}
	if (n > 0) {
		snprintf(res->scenario, sizeof res->scenario, "%s", trs[0]->meta.scenario);
		snprintf(res->title, sizeof res->title, "%s", trs[0]->meta.title);
		res->ntasks = trs[0]->ntasks;
		res->cores = trs[0]->meta.cores;
	}
}

void compare_free(struct compare_result *res)
{
	for (int i = 0; i < res->nrows; i++) {
		trace_destroy(res->rows[i].tr);
		res->rows[i].tr = NULL;
	}
	res->nrows = 0;
}

const struct compare_row *compare_find(const struct compare_result *res, const char *name)
{
	for (int i = 0; i < res->nrows; i++)
		if (strcmp(res->rows[i].name, name) == 0)
			return &res->rows[i];
	return NULL;
}

/* ---- rows by what their executor is ---------------------------------------- */

/* Which rows a verdict speaks of, by the facts of their executor. */
typedef bool compare_kind(const struct compare_row *row);

/* The baseline: tasks one after another. */
static bool compare_is_sequential(const struct compare_row *row)
{
	return row->model == MODEL_SEQUENTIAL;
}

/* An OS thread per task, free to use every core: plain threads. */
static bool compare_is_threads(const struct compare_row *row)
{
	const struct executor *ex = row->ex;

	return ex && ex->unit == EXEC_UNIT_THREAD && ex->unit_per_task && ex->multicore && !ex->gil;
}

/* Threads that take a GIL to compute. */
static bool compare_is_gil(const struct compare_row *row)
{
	return row->ex && row->ex->gil;
}

/* Separate processes, which use several cores whatever the GIL. */
static bool compare_is_processes(const struct compare_row *row)
{
	return row->ex && row->ex->unit == EXEC_UNIT_PROCESS && row->ex->multicore;
}

/* Coroutines on an event loop: asyncio. */
static bool compare_is_coroutines(const struct compare_row *row)
{
	return row->ex && row->ex->unit == EXEC_UNIT_COROUTINE;
}

/* Python's ways that stay on one core: threads under the GIL, asyncio, gevent. */
static bool compare_is_python_serial(const struct compare_row *row)
{
	return row->ex && row->ex->python && !row->ex->multicore && row->model != MODEL_SEQUENTIAL;
}

/* The first row of KIND (skipped or not), or NULL. */
static const struct compare_row *compare_first(const struct compare_result *res, compare_kind *kind)
{
	for (int i = 0; i < res->nrows; i++)
		if (kind(&res->rows[i]))
			return &res->rows[i];
	return NULL;
}

double compare_speedup(const struct compare_result *res, const struct compare_row *row)
{
	const struct compare_row *seq = compare_first(res, compare_is_sequential);

	if (!row || !row->tr || !seq || !seq->tr || row->st.wall_ms <= 0)
		return 0;
	return seq->st.wall_ms / row->st.wall_ms;
}

/* ---- the verdict ---------------------------------------------------------- */

void compare_duration(char *buf, size_t len, double ms)
{
	if (ms < 10)
		snprintf(buf, len, "%.1f ms", ms);
	else if (ms < 1000)
		snprintf(buf, len, "%.0f ms", ms);
	else
		snprintf(buf, len, "%.2f s", ms / 1000);
}

/* Appends to BUF (a verdict being written). */
__attribute__((format(printf, 3, 4))) static void compare_append(char *buf, size_t len,
								 const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* The speedup of the first row of KIND, 0 when there is none or it did not run. */
static double compare_speedup_of(const struct compare_result *res, compare_kind *kind)
{
	return compare_speedup(res, compare_first(res, kind));
}

/*
 * The share of the tasks' time spent computing rather than waiting (I/O, a
 * timer, a blocking call), from sequential's trace where nothing overlaps,
 * else from the first run.  -1 when nothing ran.
 */
static double compare_cpu_share(const struct compare_result *res)
{
	const struct compare_row *row = compare_first(res, compare_is_sequential);

	for (int i = 0; (!row || !row->tr) && i < res->nrows; i++)
		row = &res->rows[i];
	if (!row || !row->tr)
		return -1;
	const double *ms = row->st.state_ms;
	double busy = ms[STATE_RUNNING];
	double waiting = ms[STATE_IO] + ms[STATE_SLEEP] + ms[STATE_BLOCKED];
	return busy + waiting > 0 ? busy / (busy + waiting) : -1;
}

/* Words of the verdict: Unicode, or plain ASCII with --ascii. */
struct compare_words {
	const char *arrow, *times, *dash;
};

/* Appends "name N.N×" for each row of KIND that ran, SEP before the first; returns how many. */
static int compare_append_speedups(const struct compare_result *res, const struct compare_words *w,
				   char *buf, size_t len, const char *sep, compare_kind *kind)
{
	int n = 0;

	for (int i = 0; i < res->nrows; i++) {
		const struct compare_row *r = &res->rows[i];
		double s = kind(r) ? compare_speedup(res, r) : 0;
		if (s > 0)
			compare_append(buf, len, "%s%s %.1f%s", n++ ? ", " : sep, r->name, s,
				       w->times);
	}
	return n;
}

/* The fastest row of KIND that ran (the first of equals), or NULL. */
static const struct compare_row *compare_fastest(const struct compare_result *res,
						 compare_kind *kind)
{
	const struct compare_row *best = NULL;

	for (int i = 0; i < res->nrows; i++) {
		const struct compare_row *r = &res->rows[i];
		if (kind(r) && r->tr &&
		    (!best || compare_speedup(res, r) > compare_speedup(res, best)))
			best = r;
	}
	return best;
}

/* CPU-bound: who used several cores, measured as speedups. */
static bool compare_verdict_cpu(const struct compare_result *res, const struct compare_words *w,
				char *buf, size_t len)
{
	const struct compare_row *procs = compare_fastest(res, compare_is_processes);
	double best = compare_speedup(res, procs), gil = compare_speedup_of(res, compare_is_gil);
	const struct compare_row *t = compare_first(res, compare_is_threads);
	const struct compare_row *g = compare_first(res, compare_is_gil);
	double threads = compare_speedup(res, t);
	bool gil_off = g && g->tr && strcmp(g->tr->meta.gil_mode, "off") == 0;

	if (gil_off && gil >= COMPARE_BEATS) {
		snprintf(buf, len,
			 "CPU-bound %s multiprocessing, or Python without its GIL: with "
			 "--gil off threads used several cores too (%s %.1f%s faster than "
			 "sequential)",
			 w->arrow, g->name, gil, w->times);
		return true;
	}
	if (gil >= COMPARE_BEATS)
		return false;
	if (best >= COMPARE_BEATS) {
		snprintf(buf, len,
			 "CPU-bound %s multiprocessing: under the GIL only separate "
			 "processes use several cores (%s %.1f%s faster than sequential",
			 w->arrow, procs->name, best, w->times);
		if (threads >= COMPARE_BEATS)
			compare_append(buf, len, ", %s without a GIL %.1f%s", t->name, threads,
				       w->times);
	} else if (threads >= COMPARE_BEATS && gil > 0) {
		snprintf(buf, len,
			 "CPU-bound %s multiprocessing: threads without a GIL used several "
			 "cores (%s %.1f%s faster than sequential), under the GIL they took turns "
			 "(",
			 w->arrow, t->name, threads, w->times);
		compare_append_speedups(res, w, buf, len, "", compare_is_python_serial);
		compare_append(buf, len, ")");
		return true;
	} else {
		return false;
	}
	compare_append_speedups(res, w, buf, len, "; ", compare_is_python_serial);
	compare_append(buf, len, ")");
	return true;
}

/* Whether asyncio's measured memory per task is the least of all runs that measured it. */
static bool compare_asyncio_leanest(const struct compare_result *res)
{
	const struct compare_row *a = compare_first(res, compare_is_coroutines),
				 *t = compare_first(res, compare_is_threads);

	if (!a || !a->tr || !t || !t->tr || a->tr->meta.bytes_per_task <= 0 ||
	    t->tr->meta.bytes_per_task <= 0)
		return false;
	for (int i = 0; i < res->nrows; i++) {
		const struct compare_row *r = &res->rows[i];
		if (r->tr && r->tr->meta.bytes_per_task > 0 &&
		    r->tr->meta.bytes_per_task < a->tr->meta.bytes_per_task)
			return false;
	}
	return true;
}

/* Seed 002: many mostly idle connections, where threads cost most memory. */
static bool compare_verdict_asyncio(const struct compare_result *res, const struct compare_words *w,
				    char *buf, size_t len)
{
	const struct compare_row *a = compare_first(res, compare_is_coroutines),
				 *t = compare_first(res, compare_is_threads);

	if (!a || !a->tr || !t)
		return false;
	if (!t->tr) {
		/* Threads were skipped: too many tasks for a thread each. */
		double waiting = a->st.state_ms[STATE_IO] + a->st.state_ms[STATE_SLEEP];
		snprintf(buf, len,
			 "I/O-bound, many connections %s %s: on one thread %.0f waits "
			 "overlapped on average; a thread per connection would need %d OS threads",
			 w->arrow, a->name, a->st.wall_ms > 0 ? waiting / a->st.wall_ms : 0,
			 res->ntasks);
		return true;
	}
	double sa = compare_speedup(res, a), st = compare_speedup(res, t);
	if (res->ntasks < COMPARE_MANY_TASKS || sa < COMPARE_MANY || st < COMPARE_MANY ||
	    !compare_asyncio_leanest(res))
		return false;
	snprintf(buf, len,
		 "I/O-bound, many connections %s %s: the waits overlap on one thread "
		 "at the least memory per task (%s %.1f%s, %.1f KiB a task; %s %.1f%s, "
		 "%.1f KiB a task)",
		 w->arrow, a->name, a->name, sa, w->times, a->tr->meta.bytes_per_task / 1024,
		 t->name, st, w->times, t->tr->meta.bytes_per_task / 1024);
	return true;
}

/* Waits overlap on threads and on the event loop alike. */
static bool compare_verdict_overlap(const struct compare_result *res, const struct compare_words *w,
				    char *buf, size_t len)
{
	/* Plain threads, or threads under the GIL when those did not run. */
	const struct compare_row *threads = compare_first(res, compare_is_threads);
	const struct compare_row *t =
	    threads && threads->tr ? threads : compare_first(res, compare_is_gil);
	const struct compare_row *a = compare_first(res, compare_is_coroutines);
	double st = compare_speedup(res, t), sa = compare_speedup(res, a);
	double lo = st < sa ? st : sa, hi = st < sa ? sa : st;

	if (lo < COMPARE_BEATS || lo < 0.6 * hi)
		return false;
	snprintf(buf, len,
		 "I/O-bound %s %s or %s: the waits overlap (%s %.1f%s, %s "
		 "%.1f%s faster than sequential",
		 w->arrow, threads ? threads->name : t->name, a->name, t->name, st, w->times,
		 a->name, sa, w->times);
	for (int i = 0; i < res->nrows; i++) {
		const struct compare_row *r = &res->rows[i];
		double s = compare_speedup(res, r);
		if (r->tr && r->model != MODEL_SEQUENTIAL && s < 0.6 * lo)
			compare_append(buf, len, "; %s only %.1f%s", r->name, s, w->times);
	}
	compare_append(buf, len, ")");
	if (compare_asyncio_leanest(res))
		compare_append(buf, len,
			       "; %s takes the least memory per task (%.1f KiB, "
			       "%s %.1f KiB), which decides it for many connections",
			       a->name, a->tr->meta.bytes_per_task / 1024, threads->name,
			       threads->tr->meta.bytes_per_task / 1024);
	return true;
}

/* No pattern from the seeds: say which executor was fastest. */
static void compare_verdict_neutral(const struct compare_result *res, const struct compare_words *w,
				    char *buf, size_t len)
{
	const struct compare_row *best = NULL;
	char wall[32];

	for (int i = 0; i < res->nrows; i++)
		if (res->rows[i].tr && (!best || res->rows[i].st.wall_ms < best->st.wall_ms))
			best = &res->rows[i];
	if (!best) {
		snprintf(buf, len, "Nothing ran, so there is nothing to compare");
		return;
	}
	compare_duration(wall, sizeof wall, best->st.wall_ms);
	if (best->model == MODEL_SEQUENTIAL)
		snprintf(buf, len,
			 "Nothing beat sequential here (%s): running the tasks "
			 "concurrently bought no time",
			 wall);
	else if (compare_speedup(res, best) > 0)
		snprintf(buf, len,
			 "No clear pattern %s the fastest here was %s: %s, %.1f%s "
			 "sequential's speed",
			 w->dash, best->name, wall, compare_speedup(res, best), w->times);
	else
		snprintf(buf, len,
			 "The fastest here was %s: %s (sequential did not run, so there "
			 "is no speedup)",
			 best->name, wall);
}

const char *compare_verdict(const struct compare_result *res, char *buf, size_t len, bool ascii)
{
	static const struct compare_words unicode = {"\u2192", "\u00d7", "\u2014"};
	static const struct compare_words plain = {"->", "x", "-"};
	const struct compare_words *w = ascii ? &plain : &unicode;
	double share = compare_cpu_share(res);
	bool done = false;

	buf[0] = '\0';
	if (share >= 0.5)
		done = compare_verdict_cpu(res, w, buf, len);
	else if (share >= 0)
		done = compare_verdict_asyncio(res, w, buf, len) ||
		       compare_verdict_overlap(res, w, buf, len);
	if (!done)
		compare_verdict_neutral(res, w, buf, len);
	return buf;
}
