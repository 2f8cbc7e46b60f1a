/*
 * bench_compose.c -- what one frame of the timeline view costs.
 *
 * compose_ms_64x100k: a synthetic finished trace of 64 tasks and 100,000
 * spans (two cores, running and waiting in turn, a few milliseconds each),
 * composed by the timeline view into a 160 x 50 grid with the cursor in
 * the middle of the run.  The median of several compositions, so that a
 * noisy neighbour moves it little.  A frame is drawn ~30 times a second
 * while something moves, so a few milliseconds here is what playback costs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"
#include "clock.h"
#include "grid.h"
#include "stats.h"
#include "trace.h"
#include "view_ctx.h"

#define TASKS 64
#define SPANS 100000
#define ROUNDS 15

static struct trace *synthetic(void)
{
	struct trace *tr = trace_create(TASKS, 0);
	static const char *const why[2] = {"computing", "preempted by the OS"};
	uint64_t end = 0;

	if (!tr)
		return NULL;
	for (int l = 0; l < TASKS; l++) {
		char name[16];
		uint64_t t = (uint64_t)l * 100000; /* staggered starts */
		snprintf(name, sizeof name, "task%d", l);
		trace_set_name(tr, l, name);
		for (int k = 0; k < SPANS / TASKS; k++) {
			/* Lengths from 0.5 to 4.5 ms, varied so columns hold several spans. */
			uint64_t len = 500000 + (uint64_t)((k * 7919 + l * 104729) % 4000) * 1000;
			struct span sp = {
			    t,	t + len, k & 1 ? -1 : l % 2, k & 1 ? STATE_READY : STATE_RUNNING,
			    "", -1,	 CAUSE_NONE,	     -1};
			snprintf(sp.reason, sizeof sp.reason, "%s", why[k & 1]);
			trace_append(tr, l, &sp);
			t += len;
		}
		trace_set_outcome(tr, l, OUTCOME_DONE);
		if (t > end)
			end = t;
	}
	snprintf(tr->meta.scenario, sizeof tr->meta.scenario, "synthetic");
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "threads");
	tr->meta.model = MODEL_PARALLEL;
	tr->meta.wall_ns = end;
	return tr;
}

int main(void)
{
	struct trace *tr = synthetic();
	struct grid *g = grid_new(160, 50, false);
	static struct view_ctx c;
	struct stats st;
	double ms[ROUNDS];

	if (!tr || !g) {
		perror("bench_compose");
		return 1;
	}
	c.panels[0].tr = tr;
	c.panels[0].now_ns = tr->meta.wall_ns;
	c.npanels = 1;
	c.colour = true;
	snprintf(c.scenario, sizeof c.scenario, "synthetic");
	stats_compute(tr, &st);
	c.stats = &st;
	view_player_reset(&c.pl, false);
	c.pl.cursor = tr->meta.wall_ns / 2;
	c.pl.paused = true;
	view_compose(g, &c); /* the cores cache fills once, as on the first frame */
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = clock_now_ns();
		/* The cursor moves a little each frame, as it does while playing. */
		c.pl.cursor += 1000000;
		view_compose(g, &c);
		ms[r] = (double)(clock_now_ns() - t0) / 1e6;
	}
	bench_median("compose_ms_64x100k", 3, "ms", ms, ROUNDS);
	grid_free(g);
	trace_destroy(tr);
	return 0;
}
