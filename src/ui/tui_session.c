/*
 * tui_session.c -- the session's life: a scenario loaded and run on one
 * executor, what is on screen torn down, runs ending and the frames in
 * between, and the costs measurement.  The sequences of runs (the
 * overview, the spinner, the comparison) are in tui_session_sequence.c, a
 * replayed record in tui_session_replay.c, the pick lists in
 * tui_session_menu.c.
 */
#include "tui_session.h"
#include "tui_session_priv.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "executor.h"
#include "scenario.h"
#include "stats.h"
#include "tui_costs.h"

struct tui_session *tui_session_new(struct view_ctx *ctx, const struct run_opts *ro, double scale,
				    void (*wake)(void *), void *wake_ud)
{
	struct tui_session *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->ctx = ctx;
	s->ro = *ro;
	if (ro->picks)
		snprintf(s->picks, sizeof s->picks, "%s", ro->picks);
	s->scale = scale > 0 ? scale : 1.0;
	s->wake = wake;
	s->wake_ud = wake_ud;
	if (ro->backend)
		snprintf(s->backend, sizeof s->backend, "%s", ro->backend);
	return s;
}

/* ------------------------------------------------------------------ */
/* Tearing down what is on screen                                      */
/* ------------------------------------------------------------------ */

void tui_session_stop(struct tui_session *s)
{
	for (int i = 0; i < VIEW_MAX_PANELS; i++)
		if (s->runs[i])
			run_interrupt(s->runs[i]);
	for (int i = 0; i < VIEW_MAX_PANELS; i++) {
		run_free(s->runs[i]);
		s->runs[i] = NULL;
	}
}

static void clear(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;

	tui_session_stop(s);
	for (int i = 0; i < s->nreplayed; i++)
		trace_destroy(s->replayed[i]);
	free(s->replayed);
	s->replayed = NULL;
	s->nreplayed = 0;
	/* After the runs: the traces they gave up belong to the comparison. */
	if (s->have_cmp)
		compare_free(&s->cmp);
	s->have_cmp = false;
	c->compare = NULL;
	c->compare_done = false;
	c->compare_sel = 0;
	c->spinner = false;
	s->nplan = s->next = 0;
	memset(c->panels, 0, sizeof c->panels);
	memset(c->cores, 0, sizeof c->cores);
	memset(s->seen, 0, sizeof s->seen);
	c->npanels = 0;
	c->stats = NULL;
	c->overview = false;
	c->replay = false;
	c->sel = c->top = c->detail_top = 0;
	c->seq_wall_ms = 0;
	c->seq_estimated = false;
	s->kind = SESSION_NONE;
}

void tui_session_free(struct tui_session *s)
{
	if (!s)
		return;
	clear(s);
	if (s->have_sc)
		scenario_free(&s->sc);
	tui_costs_free(s->costs_job);
	free(s);
}

/* ------------------------------------------------------------------ */
/* Scenarios and runs                                                  */
/* ------------------------------------------------------------------ */

static void on_finish(void *ud)
{
	struct tui_session *s = ud;

	s->wake(s->wake_ud); /* controller thread: only the async send */
}

/* The narration for a run on BACKEND (NULL: several executors on screen). */
void tui_session_set_narration(struct tui_session *s, const char *backend)
{
	s->ctx->narration = s->narr;
	s->ctx->nnarration =
	    scenario_narration_for(&s->sc, backend, s->narr, SCENARIO_MAX_NARRATION);
}

int tui_session_load(struct tui_session *s, const char *name, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct scenario sc;

	if (scenario_resolve(name, path, sizeof path, err, errlen) < 0)
		return -1;
	if (run_load_scenario(path, &sc, err, errlen) < 0)
		return -1;
	if (s->scale != 1.0)
		scenario_scale(&sc, s->scale);
	/* Only now is the old scenario unused: its runs were stopped by clear(). */
	clear(s);
	if (s->have_sc)
		scenario_free(&s->sc);
	s->sc = sc;
	s->have_sc = true;
	snprintf(s->sc_name, sizeof s->sc_name, "%s", name);
	struct view_ctx *c = s->ctx;
	snprintf(c->scenario, sizeof c->scenario, "%s", sc.name);
	snprintf(c->title, sizeof c->title, "%s", sc.title);
	snprintf(c->source, sizeof c->source, "%s", sc.source);
	tui_session_set_narration(s, NULL);
	return 0;
}

/* Starts panel I on BACKEND; a failure becomes the panel's note. */
void tui_session_start_panel(struct tui_session *s, int i, const char *backend)
{
	struct view_panel *p = &s->ctx->panels[i];
	struct run_opts ro = s->ro;
	char err[256];

	if (s->ro.manual || s->picks[0])
		ro.picks = s->picks; /* manual play: what was picked so far */
	ro.backend = backend && *backend ? backend : NULL;
	if (ro.backend && !executor_find(ro.backend)) {
		snprintf(p->note, sizeof p->note, "executor not available: %s", ro.backend);
		s->seen[i] = true;
		return;
	}
	s->runs[i] = run_start(&s->sc, &ro, on_finish, s, err, sizeof err);
	if (!s->runs[i]) {
		snprintf(p->note, sizeof p->note, "cannot run: %.80s", err);
		s->seen[i] = true;
		return;
	}
	p->tr = run_trace(s->runs[i]);
	p->live = true;
	p->now_ns = 0;
	p->note[0] = '\0';
}

static double baseline_of(struct tui_session *s, const char *scenario)
{
	for (int i = 0; i < NBASELINES; i++)
		if (strcmp(s->base[i].scenario, scenario) == 0)
			return s->base[i].wall_ms;
	return 0;
}

static void remember_baseline(struct tui_session *s, const struct trace *tr)
{
	int slot = 0;

	for (int i = 0; i < NBASELINES; i++)
		if (strcmp(s->base[i].scenario, tr->meta.scenario) == 0 ||
		    !s->base[i].scenario[0]) {
			slot = i;
			break;
		}
	snprintf(s->base[slot].scenario, sizeof s->base[slot].scenario, "%s", tr->meta.scenario);
	s->base[slot].wall_ms = (double)tr->meta.wall_ns / 1e6;
}

/* Sum of the steps' lengths: the ideal sequential time, when none was measured. */
static double nominal_ms(const struct scenario *sc)
{
	double ms = 0;

	for (int t = 0; t < sc->ntasks; t++)
		for (int k = 0; k < sc->tasks[t].nsteps; k++)
			if (sc->tasks[t].steps[k].kind != STEP_SPIN)
				ms += sc->tasks[t].steps[k].ms * sc->tasks[t].repeat;
	return ms;
}

void tui_session_set_baseline(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;
	double ms = baseline_of(s, c->scenario);

	c->seq_wall_ms = ms;
	c->seq_estimated = false;
	if (ms <= 0 && s->have_sc && s->kind == SESSION_SCENARIO) {
		c->seq_wall_ms = nominal_ms(&s->sc);
		c->seq_estimated = true;
	}
}

static void start_scenario(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;

	s->kind = SESSION_SCENARIO;
	c->npanels = 1;
	c->spinner = scenario_has_step(&s->sc, STEP_SPIN) > 0;
	tui_session_start_panel(s, 0, s->backend);
	snprintf(c->panels[0].title, sizeof c->panels[0].title, "%s",
		 c->panels[0].tr ? c->panels[0].tr->meta.backend : "");
	tui_session_set_narration(s, c->panels[0].tr ? c->panels[0].tr->meta.backend : NULL);
	view_player_reset(&c->pl, c->panels[0].live);
	tui_session_set_baseline(s);
}

int tui_session_scenario(struct tui_session *s, const char *name, const char *backend, char *err,
			 size_t errlen)
{
	bool same = s->have_sc && strcmp(s->sc_name, name) == 0;

	if (tui_session_load(s, name, err, errlen) < 0)
		return -1;
	if (!same && s->have_sc && s->sc_name[0])
		s->picks[0] = '\0'; /* picks name another scenario's tasks */
	if (backend)
		snprintf(s->backend, sizeof s->backend, "%.31s", backend);
	/*
	 * A spinner on no executor in particular: seed 004's four, side by
	 * side; a challenge is played on its own executor.
	 */
	if (!s->backend[0] && scenario_has_step(&s->sc, STEP_SPIN) > 0 &&
	    s->sc.goal.kind == GOAL_NONE)
		tui_session_sequence_start(s, SEQ_SPINNER);
	else
		start_scenario(s);
	return 0;
}

void tui_session_set_run(struct tui_session *s, double scale, const char *backend)
{
	s->scale = scale > 0 ? scale : 1.0;
	snprintf(s->backend, sizeof s->backend, "%.31s", backend ? backend : "");
}

void tui_session_costs(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;
	bool on_costs = view_current(c) >= 0 && view_table[view_current(c)] == &view_costs;

	/* C opens the view, measuring once; on the view it measures again. */
	if (!s->costs_job && (!c->costs || on_costs)) {
		s->costs_job = tui_costs_start(s->wake, s->wake_ud);
		if (!s->costs_job)
			snprintf(c->flash, sizeof c->flash,
				 "cannot start measuring: out of threads");
	}
	c->costs_measuring = s->costs_job != NULL;
	view_show(c, &view_costs);
}

void tui_session_restart(struct tui_session *s)
{
	if (s->kind == SESSION_SCENARIO) {
		clear(s);
		start_scenario(s);
	}
}

void tui_session_rerun(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;

	switch (s->kind) {
	case SESSION_SCENARIO:
		clear(s);
		start_scenario(s);
		break;
	case SESSION_SEQUENCE: {
		enum sequence_kind k = s->seq;
		clear(s);
		tui_session_sequence_start(s, k);
		break;
	}
	case SESSION_REPLAY:
		view_player_reset(&c->pl, false);
		break;
	case SESSION_OBSERVED: {
		char err[256];
		if (tui_session_observe(s, &s->observe, err, sizeof err) < 0)
			snprintf(c->flash, sizeof c->flash, "%.150s", err);
		break;
	}
	default:
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Runs ending, frames                                                 */
/* ------------------------------------------------------------------ */

void tui_session_poll(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;
	bool ended = false;

	for (int i = 0; i < c->npanels; i++) {
		struct run *r = s->runs[i];
		if (!r || s->seen[i] || !run_finished(r))
			continue;
		s->seen[i] = true;
		ended = true;
		c->panels[i].live = false;
		c->panels[i].now_ns = run_trace(r)->meta.wall_ns;
		if (run_executor(r)->model == MODEL_SEQUENTIAL)
			remember_baseline(s, run_trace(r));
		char why[256];
		if (run_wait(r) < 0) {
			snprintf(c->flash, sizeof c->flash, "the run failed: %s", run_error(r));
		} else if (run_failure(r, why, sizeof why)) {
			/* On the status line now, and on stderr after the TUI ends. */
			snprintf(c->flash, sizeof c->flash, "%.*s", (int)sizeof c->flash - 1, why);
			fprintf(stderr, "conctui: %s\n", why);
			s->program_failed |= s->kind == SESSION_OBSERVED;
		}
		if (i == 0 && (s->kind == SESSION_SCENARIO || s->kind == SESSION_OBSERVED)) {
			tui_session_manual_ended(s);
			stats_compute(run_trace(r), &s->stats);
			c->stats = &s->stats;
			tui_session_set_baseline(s);
		}
		if (s->kind == SESSION_SEQUENCE && s->seq == SEQ_COMPARE)
			tui_session_sequence_take(s, i);
	}
	if (s->costs_job && tui_costs_done(s->costs_job)) {
		s->costs = *tui_costs_result(s->costs_job);
		tui_costs_free(s->costs_job);
		s->costs_job = NULL;
		c->costs = &s->costs;
		c->costs_measuring = false;
	}
	if (ended && s->kind == SESSION_SEQUENCE && !tui_session_sequence_next(s)) {
		/* All are recorded: play them together from t = 0. */
		c->compare_done = s->seq == SEQ_COMPARE;
		view_player_reset(&c->pl, false);
	}
	if (ended)
		tui_session_write_outputs(s);
}

void tui_session_update(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;

	for (int i = 0; i < c->npanels; i++)
		if (s->runs[i] && !s->seen[i]) {
			run_show_lanes(s->runs[i]); /* an observed program's newborn threads */
			c->panels[i].now_ns = run_elapsed_ns(s->runs[i]);
		}
}

void tui_session_clear(struct tui_session *s)
{
	clear(s);
}

void tui_session_run_ended(void *session)
{
	on_finish(session);
}
