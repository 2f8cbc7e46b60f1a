/*
 * bench_frame.c -- what a frame costs while a large run is live.
 *
 * frame_ms_c10k_live: seed 002's C10K (10,000 asyncio tasks, each waiting
 * 1000 ms on the latency server) runs while the timeline view composes
 * frames of it into a 160 x 50 grid, following the cursor as the TUI does
 * during a run.  Frames composed while all the tasks are live (their waits
 * under way: from 300 ms to 900 ms into the run) are timed; the figure is
 * the median over three runs of each run's median frame, and those three
 * are the rounds.  Target: at most 8 ms, a quarter of the 33 ms a frame
 * may take at 30 frames a second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "clock.h"
#include "grid.h"
#include "run.h"
#include "scenario.h"
#include "stats.h"
#include "trace.h"
#include "view_ctx.h"

#define RUNS 3
#define MAX_FRAMES 256
#define FRAME_GAP_NS (30 * CLOCK_NS_PER_MS) /* the TUI's frame interval, about */
#define FROM_NS (300 * CLOCK_NS_PER_MS)
#define TO_NS (900 * CLOCK_NS_PER_MS)

static const char *const c10k_text = "[scenario]\nname = c10k\n"
				     "[task conn]\nsteps = io 1000\ncount = 10000\n";

/* One run of C10K with frames composed while it is live: the median frame, ms. */
static double one_run(const struct scenario *sc, struct grid *g)
{
	static struct view_ctx c;
	struct run_opts o = {.backend = "asyncio"};
	double ms[MAX_FRAMES];
	int n = 0;
	char err[256];

	struct run *r = run_start(sc, &o, NULL, NULL, err, sizeof err);
	if (!r) {
		fprintf(stderr, "bench_frame: %s\n", err);
		exit(1);
	}
	memset(&c, 0, sizeof c);
	c.npanels = 1;
	c.colour = true;
	snprintf(c.scenario, sizeof c.scenario, "c10k");
	view_player_reset(&c.pl, true);
	uint64_t last = clock_now_ns();
	while (!run_finished(r)) {
		struct view_panel *p = &c.panels[0];
		p->tr = run_trace(r);
		p->live = true;
		p->now_ns = run_elapsed_ns(r);
		uint64_t t0 = clock_now_ns();
		view_player_tick(&c.pl, c.panels, 1, t0 - last);
		view_compose(g, &c);
		uint64_t t1 = clock_now_ns();
		last = t0;
		if (p->now_ns >= FROM_NS && p->now_ns <= TO_NS && n < MAX_FRAMES)
			ms[n++] = (double)(t1 - t0) / 1e6;
		clock_sleep_until(t0 + FRAME_GAP_NS);
	}
	if (run_wait(r) != 0) {
		fprintf(stderr, "bench_frame: %s\n", run_error(r));
		exit(1);
	}
	run_free(r);
	if (n == 0) {
		fprintf(stderr, "bench_frame: no frame while the tasks were live\n");
		exit(1);
	}
	return stats_median(ms, n);
}

int main(void)
{
	struct scenario sc;
	struct grid *g = grid_new(160, 50, false);
	double med[RUNS];
	char err[256];

	if (!g || scenario_parse(c10k_text, "bench", &sc, err, sizeof err) != 0) {
		fprintf(stderr, "bench_frame: %s\n", g ? err : "out of memory");
		return 1;
	}
	for (int i = 0; i < RUNS; i++)
		med[i] = one_run(&sc, g);
	bench_median("frame_ms_c10k_live", 3, "ms", med, RUNS);
	scenario_free(&sc);
	grid_free(g);
	return 0;
}
