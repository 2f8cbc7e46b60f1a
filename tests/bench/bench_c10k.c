/*
 * bench_c10k.c -- seed 002's C10K on the asyncio executor: what a
 * coroutine costs, and whether 10,000 concurrent waits take the time of one.
 *
 * coroutine_bytes: resident memory per task while all 10,000 are in
 * flight (coroutine, timer slot and request; the trace's own pages are
 * left out), as the executor records it; the largest of the rounds.
 * Target: at most 256.
 * c10k_vs_one: wall time of 10,000 requests of 1000 ms at once over that of
 * a single one run just before it.  Target: at most 1.2.  Runs alternate so
 * that drifting load on a shared machine hits both alike; the figure is
 * the median of the rounds' ratios, and every round is printed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"
#include "clock.h"
#include "run.h"
#include "scenario.h"
#include "stats.h"
#include "trace.h"

#define ROUNDS 7

/* assets/scenarios/c10k.ini, and the same with one connection. */
static const char *const c10k_text = "[scenario]\nname = c10k\n"
				     "[task conn]\nsteps = io 1000\ncount = 10000\n";
static const char *const one_text = "[scenario]\nname = one\n"
				    "[task conn]\nsteps = io 1000\n";

/* Runs TEXT on asyncio: its wall ms, and its bytes per task in *BYTES. */
static double run_once(const char *text, double *bytes)
{
	struct scenario sc;
	struct run_opts o = {.backend = "asyncio"};
	char err[256];

	if (scenario_parse(text, "bench", &sc, err, sizeof err) != 0) {
		fprintf(stderr, "bench_c10k: %s\n", err);
		exit(1);
	}
	struct run *r = run_start(&sc, &o, NULL, NULL, err, sizeof err);
	if (!r || run_wait(r) != 0) {
		fprintf(stderr, "bench_c10k: %s\n", r ? run_error(r) : err);
		exit(1);
	}
	struct trace *tr = run_trace(r);
	for (int i = 0; i < tr->ntasks; i++)
		if (trace_outcome(tr, i) != OUTCOME_DONE) {
			fprintf(stderr, "bench_c10k: task %d did not finish\n", i);
			exit(1);
		}
	double wall = clock_ns_to_ms(tr->meta.wall_ns);
	*bytes = tr->meta.bytes_per_task;
	run_free(r);
	scenario_free(&sc);
	return wall;
}

int main(void)
{
	double many[ROUNDS], one[ROUNDS], bytes[ROUNDS], ratio[ROUNDS], unused;

	for (int i = 0; i < ROUNDS; i++) {
		one[i] = run_once(one_text, &unused);
		many[i] = run_once(c10k_text, &bytes[i]);
		ratio[i] = many[i] / one[i];
		fprintf(stderr, "bench_c10k: round %d: one %.0f ms, 10k %.0f ms, %.0f bytes\n",
			i + 1, one[i], many[i], bytes[i]);
	}
	/*
	 * The largest round: later rounds reuse memory malloc kept from the
	 * rounds before (the arena's top is never handed back), which the
	 * meter rightly does not see grow, so they read low.
	 */
	double most = 0;
	for (int i = 0; i < ROUNDS; i++)
		most = bytes[i] > most ? bytes[i] : most;
	bench_print("coroutine_bytes", 0, most, "bytes", bytes, ROUNDS);
	bench_median("c10k_vs_one", 3, "ratio", ratio, ROUNDS);
	bench_median("c10k_ms", 0, "ms", many, ROUNDS);
	bench_median("c10k_one_ms", 0, "ms", one, ROUNDS);
	return 0;
}
