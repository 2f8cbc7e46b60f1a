/*
 * view_fixture.h -- hand-built traces for the view tests (header-only, so
 * each test binary stays one file plus the library).
 */
#ifndef CONCTUI_TEST_VIEW_FIXTURE_H
#define CONCTUI_TEST_VIEW_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "trace.h"
#include "view_ctx.h"

#define MS 1000000ull

static inline void fx_span(struct trace *tr, int lane, enum state st, double t0_ms, double t1_ms,
			   int cpu, const char *reason)
{
	struct span sp = {
	    (uint64_t)(t0_ms * 1e6), (uint64_t)(t1_ms * 1e6), cpu, st, "", -1, CAUSE_NONE, -1};

	snprintf(sp.reason, sizeof sp.reason, "%s", reason);
	trace_append(tr, lane, &sp);
}

/*
 * Two tasks on one core, 40 ms:
 *   A: running 0-10 (cpu 0), ready 10-20, running 20-30, done
 *   B: ready 0-10, running 10-20 (cpu 0), sleep 20-40, done
 */
static inline struct trace *fx_one_core(void)
{
	struct trace *tr = trace_create(2, 0);

	trace_set_name(tr, 0, "A");
	trace_set_name(tr, 1, "B");
	fx_span(tr, 0, STATE_RUNNING, 0, 10, 0, "computing");
	fx_span(tr, 0, STATE_READY, 10, 20, -1, "preempted by the OS");
	fx_span(tr, 0, STATE_RUNNING, 20, 30, 0, "computing");
	fx_span(tr, 1, STATE_READY, 0, 10, -1, "waiting for a core");
	fx_span(tr, 1, STATE_RUNNING, 10, 20, 0, "computing");
	fx_span(tr, 1, STATE_SLEEP, 20, 40, -1, "sleep 20 ms");
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	snprintf(tr->meta.scenario, sizeof tr->meta.scenario, "two");
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "threads-1core");
	tr->meta.model = MODEL_PSEUDO;
	tr->meta.wall_ns = 40 * MS;
	return tr;
}

/* Two CPU-bound threads under the GIL: A holds 0-5, B holds 5-10. */
static inline struct trace *fx_gil(void)
{
	struct trace *tr = trace_create(2, TRACE_LOCK_LANE);

	trace_set_name(tr, 0, "A");
	trace_set_name(tr, 1, "B");
	fx_span(tr, 0, STATE_RUNNING, 0, 5, 0, "computing");
	fx_span(tr, 0, STATE_LOCK, 5, 10, -1, "waiting for the GIL");
	fx_span(tr, 1, STATE_LOCK, 0, 5, -1, "waiting for the GIL (drop requested)");
	fx_span(tr, 1, STATE_RUNNING, 5, 10, 1, "computing");
	fx_span(tr, 2, STATE_RUNNING, 0, 5, 0, "");
	fx_span(tr, 2, STATE_RUNNING, 5, 10, 1, "");
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "gil");
	tr->meta.model = MODEL_PSEUDO;
	tr->meta.wall_ns = 10 * MS;
	return tr;
}

/* A context showing TR, finished, with the cursor at its end. */
static inline void fx_ctx(struct view_ctx *c, struct trace *tr)
{
	memset(c, 0, sizeof *c);
	c->panels[0].tr = tr;
	c->panels[0].now_ns = tr->meta.wall_ns;
	snprintf(c->panels[0].title, sizeof c->panels[0].title, "%s", tr->meta.backend);
	c->npanels = 1;
	snprintf(c->scenario, sizeof c->scenario, "two");
	snprintf(c->title, sizeof c->title, "Two tasks");
	view_player_reset(&c->pl, false);
	c->pl.cursor = tr->meta.wall_ns;
}

static inline const char *fx_row(const struct grid *g, int y)
{
	static char buf[8192];

	grid_row_text(g, y, buf, sizeof buf);
	return buf;
}

/* The first row containing S, or -1. */
static inline int fx_find(const struct grid *g, const char *s)
{
	for (int y = 0; y < g->h; y++)
		if (strstr(fx_row(g, y), s))
			return y;
	return -1;
}

#endif
