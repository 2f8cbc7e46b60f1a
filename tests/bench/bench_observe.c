/*
 * bench_observe.c -- what observing a real program costs, and how exactly
 * it places switches (tests/helpers/observe_helper.c is the program).
 *
 * observe_overhead_pct: the observer's CPU time while it samples 8 busy
 *   threads at 1 kHz, as a percent of one core (target <= 3); the same
 *   with perf events as observe_overhead_perf_pct where they are allowed.
 * observe_switch_error_ms: two threads pass a baton every 5 ms and print
 *   the moment each takes over; the median distance from that moment to
 *   the start of the nearest running span the observer recorded on that
 *   thread's lane (target <= 2 sampled, <= 0.5 with perf events).
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "observe.h"
#include "trace.h"

static char helper[PATH_MAX];

/* Observes ARGV with METHOD on this thread; the trace, and the observer's CPU in *CPU_NS. */
static struct trace *observe(char **argv, enum observe_method method, uint64_t *cpu_ns,
			     uint64_t *wall_ns)
{
	struct observe_opts o = {.argv = argv, .method = method};
	char err[256];
	struct trace *tr = observe_trace_new(&o);
	struct observer *ob = tr ? observe_start(&o, tr, err, sizeof err) : NULL;

	if (!ob) {
		fprintf(stderr, "bench_observe: %s\n", err);
		exit(1);
	}
	uint64_t c0 = clock_thread_cpu_ns(), t0 = clock_now_ns();
	observe_run(ob, NULL);
	*cpu_ns = clock_thread_cpu_ns() - c0;
	*wall_ns = clock_now_ns() - t0;
	observe_show(ob);
	observe_free(ob);
	return tr;
}

static void overhead(enum observe_method method, const char *name)
{
	char *argv[] = {helper, "busy", "8", "2000", NULL};
	uint64_t cpu, wall;
	struct trace *tr = observe(argv, method, &cpu, &wall);

	if (method == OBSERVE_PERF && strcmp(tr->meta.observer, "perf") != 0)
		printf("bench %s - pct (perf events refused here)\n", name);
	else
		printf("bench %s %.2f pct\n", name, 100.0 * (double)cpu / (double)wall);
	trace_destroy(tr);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The distance (ms) from T (ns, run-relative) to the nearest running span start on LANE. */
static double nearest_start(const struct trace *tr, int lane, uint64_t t)
{
	double best = INFINITY;
	struct span sp;

	for (uint32_t i = 0; i < trace_count(tr, lane); i++) {
		trace_get(tr, lane, i, &sp);
		double d = fabs((double)sp.t0 - (double)t) / 1e6;
		if (sp.state == STATE_RUNNING && d < best)
			best = d;
	}
	return best;
}

static void switch_error(enum observe_method method, const char *name)
{
	char *argv[] = {helper, "turns", "60", "5", NULL};
	uint64_t cpu, wall;
	struct trace *tr = observe(argv, method, &cpu, &wall);
	double err[256];
	int n = 0;
	struct trace_output line;

	if (method == OBSERVE_PERF && strcmp(tr->meta.observer, "perf") != 0) {
		printf("bench %s - ms (perf events refused here)\n", name);
		trace_destroy(tr);
		return;
	}
	for (uint32_t i = 0; i < trace_output_count(tr) && n < 256; i++) {
		int who;
		unsigned long long abs_ns;
		if (!trace_get_output(tr, i, &line) ||
		    sscanf(line.text, "switch %d %llu", &who, &abs_ns) != 2)
			continue;
		/* Lane 0 is the main thread; the two takers follow in the order they were born. */
		int lane = 1 + who;
		if (lane < tr->ntasks && abs_ns > tr->epoch_ns)
			err[n++] = nearest_start(tr, lane, abs_ns - tr->epoch_ns);
	}
	qsort(err, (size_t)n, sizeof err[0], by_value);
	if (n == 0)
		printf("bench %s - ms (no switches seen)\n", name);
	else
		printf("bench %s %.3f ms\n", name, err[n / 2]);
	trace_destroy(tr);
}

int main(int argc, char **argv)
{
	(void)argc;
	/* The helper sits in the build's tests/ directory, beside this bench's directory. */
	snprintf(helper, sizeof helper, "%s", argv[0]);
	char *slash = strrchr(helper, '/');
	if (slash)
		snprintf(slash, sizeof helper - (size_t)(slash - helper),
			 "/../tests/observe_helper");
	if (access(helper, X_OK) != 0) {
		fprintf(stderr, "bench_observe: no helper at %s (make build-tests)\n", helper);
		return 1;
	}
	overhead(OBSERVE_SAMPLED, "observe_overhead_pct");
	overhead(OBSERVE_PERF, "observe_overhead_perf_pct");
	switch_error(OBSERVE_SAMPLED, "observe_switch_error_ms");
	switch_error(OBSERVE_PERF, "observe_switch_error_perf_ms");
	return 0;
}
