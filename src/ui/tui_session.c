/*
 * tui_session.c -- runs, sequences of runs (the overview, the spinner, the
 * comparison), replayed records and the costs measurement, turned into the
 * panels and the figures the views draw.  The pick lists are in
 * tui_session_menu.c.
 */
#include "tui_session.h"
#include "tui_session_priv.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "executor.h"
#include "quiz.h"
#include "record.h"
#include "scenario.h"
#include "stats.h"
#include "tui_costs.h"
#include "view_spinner.h"

/*
 * The overview's three pictures, in the order seed 000 draws them (the
 * table is quiz.h's, so that a lesson's overview beat judges the same runs).
 */
#define NOVERVIEW QUIZ_OVERVIEW_RUNS

/*
 * Seed 004's spinner, the four ways the seed writes it: threads, a
 * process, a coroutine, and threads under the GIL.
 */
static const struct executor_want spinner_runs[] = {
    {MODEL_PARALLEL, EXEC_UNIT_THREAD, 1, 0},
    {MODEL_PARALLEL, EXEC_UNIT_PROCESS, 1, 0},
    {-1, EXEC_UNIT_COROUTINE, 1, 0},
    {-1, EXEC_UNIT_THREAD, 1, 1},
};
#define NSPINNER 4

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

static int load(struct tui_session *s, const char *name, char *err, size_t errlen)
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
	c->narration = (const char *const *)s->sc.narration;
	c->nnarration = s->sc.nnarration;
	return 0;
}

/* Starts panel I on BACKEND; a failure becomes the panel's note. */
static void start_panel(struct tui_session *s, int i, const char *backend)
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

static void set_baseline(struct tui_session *s)
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
	start_panel(s, 0, s->backend);
	snprintf(c->panels[0].title, sizeof c->panels[0].title, "%s",
		 c->panels[0].tr ? c->panels[0].tr->meta.backend : "");
	view_player_reset(&c->pl, c->panels[0].live);
	set_baseline(s);
}

/* ------------------------------------------------------------------ */
/* Sequences: the overview, the spinner, the comparison                */
/* ------------------------------------------------------------------ */

/* Adds a panel that runs on BACKEND in its turn, titled TITLE. */
static void plan_add(struct tui_session *s, const char *backend, const char *title)
{
	struct view_panel *p = &s->ctx->panels[s->nplan];

	snprintf(s->plan[s->nplan], sizeof s->plan[0], "%s", backend);
	snprintf(p->title, sizeof p->title, "%s", title);
	snprintf(p->note, sizeof p->note, "waiting for its turn");
	s->nplan++;
}

/* The comparison's rows: every executor, with why it is skipped if it is. */
static void plan_compare(struct tui_session *s)
{
	struct compare_result *res = &s->cmp;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(res, 0, sizeof *res);
	s->have_cmp = true;
	snprintf(res->scenario, sizeof res->scenario, "%s", s->sc.name);
	snprintf(res->title, sizeof res->title, "%s", s->sc.title);
	res->ntasks = s->sc.ntasks;
	res->cores = cores > 0 ? (int)cores : 1;
	for (int i = 0; i < executor_count() && res->nrows < COMPARE_MAX_ROWS; i++) {
		const struct executor *ex = executor_at(i);
		struct compare_row *row = &res->rows[res->nrows++];

		snprintf(row->name, sizeof row->name, "%s", ex->name);
		row->ex = ex;
		row->model = ex->model;
		if (!compare_skip_reason(ex, &s->sc, row->skipped, sizeof row->skipped) &&
		    s->nplan < VIEW_MAX_PANELS)
			plan_add(s, ex->name, ex->name);
	}
	s->ctx->compare = res;
}

/* Starts the next run of the sequence that can run; false when none is left. */
static bool sequence_next(struct tui_session *s)
{
	while (s->next < s->nplan) {
		int i = s->next++;
		start_panel(s, i, s->plan[i]);
		if (s->runs[i])
			return true;
	}
	return false;
}

/* Runs the loaded scenario as sequence K. */
static void sequence_start(struct tui_session *s, enum sequence_kind k)
{
	struct view_ctx *c = s->ctx;

	s->kind = SESSION_SEQUENCE;
	s->seq = k;
	s->nplan = s->next = 0;
	switch (k) {
	case SEQ_OVERVIEW:
		for (int i = 0; i < NOVERVIEW; i++)
			plan_add(s, executor_match(&quiz_overview_wants[i])->name,
				 quiz_overview_titles[i]);
		break;
	case SEQ_SPINNER:
		for (int i = 0; i < NSPINNER; i++) {
			const char *name = executor_match(&spinner_runs[i])->name;
			plan_add(s, name, name);
		}
		view_show(c, &view_spinner);
		break;
	case SEQ_COMPARE:
		plan_compare(s);
		view_show(c, &view_compare);
		break;
	}
	c->overview = true;
	c->npanels = s->nplan;
	c->spinner = scenario_has_step(&s->sc, STEP_SPIN) > 0;
	sequence_next(s);
	/* While they run, show each as it grows; the playback from 0 comes after. */
	view_player_reset(&c->pl, true);
	set_baseline(s);
}

int tui_session_scenario(struct tui_session *s, const char *name, const char *backend, char *err,
			 size_t errlen)
{
	bool same = s->have_sc && strcmp(s->sc_name, name) == 0;

	if (load(s, name, err, errlen) < 0)
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
		sequence_start(s, SEQ_SPINNER);
	else
		start_scenario(s);
	return 0;
}

int tui_session_overview(struct tui_session *s, char *err, size_t errlen)
{
	if (load(s, "overview", err, errlen) < 0)
		return -1;
	sequence_start(s, SEQ_OVERVIEW);
	return 0;
}

/* The scenario on screen, by the name it was asked for when there is one. */
static void current_name(const struct tui_session *s, char *buf, size_t len)
{
	bool ran = s->kind == SESSION_SCENARIO || s->kind == SESSION_SEQUENCE;

	snprintf(buf, len, "%s", ran && s->sc_name[0] ? s->sc_name : s->ctx->scenario);
}

int tui_session_compare(struct tui_session *s, char *err, size_t errlen)
{
	char name[PATH_MAX];

	current_name(s, name, sizeof name);
	if (!name[0]) {
		snprintf(err, errlen, "no scenario to compare");
		return -1;
	}
	if (load(s, name, err, errlen) < 0)
		return -1;
	sequence_start(s, SEQ_COMPARE);
	return 0;
}

int tui_session_compare_scenario(struct tui_session *s, const char *name, char *err, size_t errlen)
{
	if (load(s, name, err, errlen) < 0)
		return -1;
	sequence_start(s, SEQ_COMPARE);
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

int tui_session_replay(struct tui_session *s, const char *path, char *err, size_t errlen)
{
	struct view_ctx *c = s->ctx;
	struct trace **trs;
	int n = record_read(path, &trs, err, errlen);

	if (n < 0)
		return -1;
	clear(s);
	s->kind = SESSION_REPLAY;
	c->replay = true;
	c->npanels = n < VIEW_MAX_PANELS ? n : VIEW_MAX_PANELS;
	if (n > 1) {
		/* A compare file: its rows own the records, its view comes first. */
		compare_from_traces(trs, n, &s->cmp);
		free(trs);
		trs = NULL;
		s->have_cmp = true;
		c->compare = &s->cmp;
		c->compare_done = true;
		if (c->npanels > s->cmp.nrows)
			c->npanels = s->cmp.nrows;
		view_show(c, &view_compare);
	} else {
		s->replayed = trs;
		s->nreplayed = n;
	}
	for (int i = 0; i < c->npanels; i++) {
		struct view_panel *p = &c->panels[i];
		const struct trace *tri = trs ? trs[i] : s->cmp.rows[i].tr;
		p->tr = tri;
		p->now_ns = tri->meta.wall_ns;
		/* A comparison's panels carry the executor's name alone: its rows find them by it.
		 */
		if (n > 1)
			snprintf(p->title, sizeof p->title, "%s", tri->meta.backend);
		else
			snprintf(p->title, sizeof p->title, "%s (%s)", tri->meta.backend,
				 model_name(tri->meta.model));
	}
	const struct trace *first = c->panels[0].tr;
	c->overview = n > 1;
	snprintf(c->scenario, sizeof c->scenario, "%s", first->meta.scenario);
	snprintf(c->title, sizeof c->title, "%s", first->meta.title);
	const char *base = strrchr(path, '/');
	snprintf(c->source, sizeof c->source, "replay of %.40s", base ? base + 1 : path);
	c->narration = NULL;
	c->nnarration = 0;
	/* The story, when the scenario the record came from is at hand. */
	char file[PATH_MAX], ignored[256];
	if (s->have_sc)
		scenario_free(&s->sc);
	s->have_sc =
	    scenario_resolve(c->scenario, file, sizeof file, ignored, sizeof ignored) == 0 &&
	    run_load_scenario(file, &s->sc, ignored, sizeof ignored) == 0;
	if (s->have_sc) {
		c->narration = (const char *const *)s->sc.narration;
		c->nnarration = s->sc.nnarration;
	}
	if (n == 1) {
		stats_compute(trs[0], &s->stats);
		c->stats = &s->stats;
		if (view_spinner_lane(trs[0]) >= 0)
			view_show(c, &view_spinner);
	}
	set_baseline(s);
	view_player_reset(&c->pl, false);
	tui_session_write_outputs(s);
	return 0;
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
		sequence_start(s, k);
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

/* Panel I's run has ended: its row of the comparison takes its trace and figures. */
static void compare_take(struct tui_session *s, int i)
{
	struct run *r = s->runs[i];

	for (int k = 0; k < s->cmp.nrows; k++) {
		struct compare_row *row = &s->cmp.rows[k];
		if (strcmp(row->name, s->ctx->panels[i].title) != 0)
			continue;
		if (run_wait(r) < 0) {
			s->cmp.failed++;
			snprintf(row->skipped, sizeof row->skipped,
				 "failed: the run ended with an error");
			return;
		}
		/* The panel keeps pointing at it; the row owns it from now on. */
		row->tr = run_take_trace(r);
		stats_compute(row->tr, &row->st);
		return;
	}
}

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
			set_baseline(s);
		}
		if (s->kind == SESSION_SEQUENCE && s->seq == SEQ_COMPARE)
			compare_take(s, i);
	}
	if (s->costs_job && tui_costs_done(s->costs_job)) {
		s->costs = *tui_costs_result(s->costs_job);
		tui_costs_free(s->costs_job);
		s->costs_job = NULL;
		c->costs = &s->costs;
		c->costs_measuring = false;
	}
	if (ended && s->kind == SESSION_SEQUENCE && !sequence_next(s)) {
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
