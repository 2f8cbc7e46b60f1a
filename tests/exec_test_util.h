/*
 * exec_test_util.h -- what the executor tests (tests/test_exec_*.c and
 * exec_loop_tests.h) share: running a scenario text on a backend and
 * taking its trace, reading a trace (wall time, outcomes, reasons, two
 * cores at once), judging a timing only on runs the rest of the machine
 * left alone, interrupting a run from another thread, and finding this
 * process's children in /proc.
 *
 * Header-only, so each test binary stays one .c file plus the library.
 * Every function is static inline: a test file uses only some of them, and
 * an unused one must not warn.
 */
#ifndef CONCTUI_TEST_EXEC_TEST_UTIL_H
#define CONCTUI_TEST_EXEC_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "run.h"
#include "scenario.h"
#include "stats.h"
#include "timing_test_util.h"
#include "trace.h"

#include "scenario_test_util.h"

/* Seed 001's two CPU-bound tasks, the figure parallel models are judged on. */
#define TWO_CPU "[scenario]\nname = two-cpu\n[task T]\nsteps = cpu 300\ncount = 2\n"

/* ---- runs ---- */

/* Parses TEXT and starts it with options O; fails the test if either step fails. */
static inline struct run *start_run(const char *text, const struct run_opts *o, struct scenario *sc)
{
	char err[256];

	if (scenario_parse(text, "test.ini", sc, err, sizeof err) != 0)
		fail_msg("scenario: %s", err);
	struct run *r = run_start(sc, o, NULL, NULL, err, sizeof err);
	if (!r)
		fail_msg("run_start: %s", err);
	return r;
}

/* Waits for R and returns its trace; frees R and SC.  RC gets run_wait's result, MSG its error. */
static inline struct trace *finish_run(struct run *r, struct scenario *sc, int *rc, char *msg,
				       size_t msglen)
{
	*rc = run_wait(r);
	if (msg)
		snprintf(msg, msglen, "%s", *rc < 0 ? run_error(r) : "");
	struct trace *tr = run_take_trace(r);
	run_free(r);
	scenario_free(sc);
	return tr;
}

/* Runs TEXT on BACKEND; returns the finished trace.  RC gets run_wait's result, MSG its error. */
static inline struct trace *run_text(const char *text, const char *backend, int *rc, char *msg,
				     size_t msglen)
{
	struct scenario sc;
	struct run_opts o = {.backend = backend};
	struct run *r = start_run(text, &o, &sc);

	return finish_run(r, &sc, rc, msg, msglen);
}

/* Runs TEXT with options O; fails the test, saying why, unless the run succeeds. */
static inline struct trace *run_ok_opts(const char *text, const struct run_opts *o)
{
	struct scenario sc;
	char msg[256];
	int rc;
	struct run *r = start_run(text, o, &sc);
	struct trace *tr = finish_run(r, &sc, &rc, msg, sizeof msg);

	if (rc != 0)
		fail_msg("run failed: %s", msg);
	return tr;
}

static inline struct trace *run_ok(const char *text, const char *backend)
{
	struct run_opts o = {.backend = backend};

	return run_ok_opts(text, &o);
}

/* Runs the built-in scenario NAME with options O; fails the test unless the run succeeds. */
/* The built-in scenario NAME run with O, its durations multiplied by SCALE (--scale). */
static inline struct trace *run_builtin_scaled(const char *name, const struct run_opts *o,
					       double scale)
{
	struct scenario sc;
	char path[PATH_MAX + 64], err[256];
	int rc;

	snprintf(path, sizeof path, "%s/%s.ini", builtin_dir(), name);
	if (scenario_load(path, &sc, err, sizeof err) != 0)
		fail_msg("scenario: %s", err);
	if (scale != 1.0)
		scenario_scale(&sc, scale);
	struct run *r = run_start(&sc, o, NULL, NULL, err, sizeof err);
	if (!r)
		fail_msg("run_start: %s", err);
	struct trace *tr = finish_run(r, &sc, &rc, err, sizeof err);
	if (rc != 0)
		fail_msg("run failed: %s", err);
	return tr;
}

static inline struct trace *run_builtin(const char *name, const struct run_opts *o)
{
	return run_builtin_scaled(name, o, 1.0);
}

/* How many edges of KIND TR holds. */
static inline int count_edges(const struct trace *tr, enum edge_kind kind)
{
	struct trace_edge e;
	int n = 0;

	for (uint32_t i = 0; i < trace_edge_count(tr); i++)
		n += trace_get_edge(tr, i, &e) && e.kind == kind;
	return n;
}

/* ---- reading a trace ---- */

static inline double wall_ms(const struct trace *tr)
{
	return clock_ns_to_ms(tr->meta.wall_ns);
}

/* Asserts that every task ended with outcome O. */
static inline void assert_all(const struct trace *tr, enum outcome o)
{
	for (int i = 0; i < tr->ntasks; i++)
		assert_int_equal(trace_outcome(tr, i), o);
}

/* How many tasks ended with outcome O. */
static inline int count_outcomes(const struct trace *tr, enum outcome o)
{
	int n = 0;

	for (int i = 0; i < tr->ntasks; i++)
		n += trace_outcome(tr, i) == o;
	return n;
}

/* The reason of LANE's last span. */
static inline void last_reason(const struct trace *tr, int lane, char *out, size_t len)
{
	struct span sp;
	uint32_t n = trace_count(tr, lane);

	assert_true(n > 0);
	trace_get(tr, lane, n - 1, &sp);
	snprintf(out, len, "%s", sp.reason);
}

/* True when LANE has a span whose reason contains WORDS. */
static inline int has_reason(const struct trace *tr, int lane, const char *words)
{
	struct span sp;

	for (uint32_t i = 0; i < trace_count(tr, lane); i++) {
		trace_get(tr, lane, i, &sp);
		if (strstr(sp.reason, words))
			return 1;
	}
	return 0;
}

/* True when lanes 0 and 1 are running at the same instant on different cores. */
static inline int ran_on_two_cores_at_once(const struct trace *tr)
{
	struct span a, b;

	for (uint32_t i = 0; i < trace_count(tr, 0); i++) {
		trace_get(tr, 0, i, &a);
		if (a.state != STATE_RUNNING)
			continue;
		for (uint32_t j = 0; j < trace_count(tr, 1); j++) {
			trace_get(tr, 1, j, &b);
			if (b.state == STATE_RUNNING && b.t0 < a.t1 && a.t0 < b.t1 &&
			    a.cpu != b.cpu)
				return 1;
		}
	}
	return 0;
}

/*
 * wait = first, read off the record: exactly one task ended done (the
 * winner, returned), and each task that ended cancelled has its last span
 * caused by cancel with by = the winner, and one edge cancel from the
 * winner to it, at the winner's end; no other cancel edge.
 */
static inline int assert_cancelled_by_winner(const struct trace *tr)
{
	struct trace_edge e;
	struct span sp;
	int winner = -1, cancelled = 0;

	assert_int_equal(count_outcomes(tr, OUTCOME_DONE), 1);
	for (int i = 0; i < tr->ntasks; i++)
		if (trace_outcome(tr, i) == OUTCOME_DONE)
			winner = i;
	for (int i = 0; i < tr->ntasks; i++) {
		if (trace_outcome(tr, i) != OUTCOME_CANCELLED)
			continue;
		cancelled++;
		trace_get(tr, i, trace_count(tr, i) - 1, &sp);
		assert_int_equal(sp.cause, CAUSE_CANCEL);
		assert_int_equal(sp.by, winner);
		int edges = 0;
		for (uint32_t k = 0; k < trace_edge_count(tr); k++)
			if (trace_get_edge(tr, k, &e) && e.kind == EDGE_CANCEL && e.to == i) {
				assert_int_equal(e.from, winner);
				assert_true(e.t == trace_lane_end(tr, winner, 0));
				edges++;
			}
		assert_int_equal(edges, 1);
	}
	assert_true(cancelled > 0);
	assert_int_equal(count_edges(tr, EDGE_CANCEL), cancelled);
	return winner;
}

/* ---- timing on a shared machine ---- */

/* Runs TEXT with options O; *OTHERS_MS: CPU time the rest of the machine took meanwhile. */
static inline struct trace *run_measured_opts(const char *text, const struct run_opts *o,
					      double *others_ms)
{
	double busy0 = timing_machine_busy_ms();
	struct trace *tr = run_ok_opts(text, o);

	*others_ms = timing_machine_busy_ms() - busy0 - clock_ns_to_ms(tr->meta.cpu_ns);
	return tr;
}

/* Runs TEXT on BACKEND; *OTHERS_MS: CPU time the rest of the machine took meanwhile. */
static inline struct trace *run_measured(const char *text, const char *backend, double *others_ms)
{
	struct run_opts o = {.backend = backend};

	return run_measured_opts(text, &o, others_ms);
}

/*
 * True when the rest of the machine left TR's run alone: took at most 15%
 * of its wall time in CPU meanwhile.  Wall times are only judged on such
 * runs: wake-ups on a busy machine come late and a run shares its cores.
 */
static inline bool left_alone(const struct trace *tr, double others_ms)
{
	return timing_quiet(others_ms, wall_ms(tr));
}

/* One try at assert_two_cpu_speedup's figures, for timing_retry. */
static inline bool two_cpu_speedup_once(void *arg)
{
	const char *backend = arg;
	double seq_others, par_others;
	struct trace *seq = run_measured(TWO_CPU, "sequential", &seq_others);
	struct trace *par = run_measured(TWO_CPU, backend, &par_others);
	double speedup = wall_ms(seq) / wall_ms(par);
	bool both = stats_max_overlap(par, STATE_RUNNING) == 2 && ran_on_two_cores_at_once(par);

	assert_all(par, OUTCOME_DONE);
	assert_string_equal(par->meta.backend, backend);
	assert_int_equal(par->meta.model, MODEL_PARALLEL);
	assert_true(stats_max_overlap(par, STATE_RUNNING) <= 2);
	print_message("%s: sequential %.1f ms, %s %.1f ms, speedup %.2f, %s\n", backend,
		      wall_ms(seq), backend, wall_ms(par), speedup,
		      both ? "two running at once on two cores" : "never two at once");
	/* Load on a sequential run would flatter the speedup: both must be quiet. */
	bool quiet = left_alone(seq, seq_others) && left_alone(par, par_others);
	trace_destroy(seq);
	trace_destroy(par);
	return both && speedup >= 1.7 && quiet;
}

/*
 * TWO_CPU on BACKEND, a parallel model: the two tasks run at once on two
 * cores, and a run is at least 1.7 x as fast as sequential.  Both are
 * statistical on two cores shared with whatever else runs: retried, and
 * skipped when the machine never left a try alone.
 */
static inline void assert_two_cpu_speedup(const char *backend, int tries)
{
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip();
	timing_retry(backend, tries, two_cpu_speedup_once, (void *)backend);
}

/* ---- interrupting a run from another thread ---- */

struct interrupter {
	struct run *run;
	int spans; /* interrupt once every task lane has recorded this many spans */
};

/* True once every task lane of R's trace has at least SPANS spans. */
static inline bool every_lane_has(const struct run *r, int spans)
{
	const struct trace *tr = run_trace(r);

	for (int i = 0; i < tr->ntasks; i++)
		if (trace_count(tr, i) < (uint32_t)spans)
			return false;
	return true;
}

/* Polls until every task lane of R has SPANS spans (the run is in its steps). */
static inline void wait_every_lane(const struct run *r, int spans)
{
	while (!every_lane_has(r, spans) && !run_finished(r))
		clock_sleep_until(clock_now_ns() + 2 * CLOCK_NS_PER_MS);
}

/*
 * A thread's body: waits until every task is in its steps, then interrupts
 * the run as q or SIGINT would.  Waiting for the trace, not for a time,
 * makes sure the interrupt finds every task inside a wait or a computation.
 */
static inline void *interrupt_later(void *arg)
{
	struct interrupter *in = arg;

	wait_every_lane(in->run, in->spans);
	run_interrupt(in->run);
	return NULL;
}

/* ---- this process's children, read from /proc ---- */

#define MAX_KIDS 64

struct kid {
	pid_t pid;
	pid_t pgrp;
};

/* Fills KIDS with our children (zombies included); returns how many. */
static inline int list_children(struct kid *kids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) && n < max) {
		char path[300], buf[512];
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t len = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[len] = '\0';
		char *close = strrchr(buf, ')'); /* the name may hold spaces */
		char st;
		int ppid, pgrp;
		if (close && sscanf(close + 1, " %c %d %d", &st, &ppid, &pgrp) == 3 &&
		    ppid == getpid())
			kids[n++] = (struct kid){.pid = atoi(e->d_name), .pgrp = pgrp};
	}
	closedir(d);
	return n;
}

static inline int has_kid(const struct kid *kids, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (kids[i].pid == pid)
			return 1;
	return 0;
}

/* Fills OUT with the children we have now that were not in BEFORE; returns how many. */
static inline int new_children(const struct kid *before, int nbefore, struct kid *out, int max)
{
	struct kid now[MAX_KIDS];
	int n = list_children(now, MAX_KIDS), k = 0;

	for (int i = 0; i < n && k < max; i++)
		if (!has_kid(before, nbefore, now[i].pid))
			out[k++] = now[i];
	return k;
}

/* True when every child we have now was there in BEFORE (the latency server). */
static inline int no_new_children(const struct kid *before, int nbefore)
{
	struct kid now[MAX_KIDS];
	int n = new_children(before, nbefore, now, MAX_KIDS);

	for (int i = 0; i < n; i++)
		print_message("child %d outlived the run\n", (int)now[i].pid);
	return n == 0;
}

#endif
