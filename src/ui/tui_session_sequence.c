/*
 * tui_session_sequence.c -- several runs of one scenario, one after
 * another so that they do not steal each other's cores, then played back
 * together from t = 0: the overview (seed 000's three pictures), the
 * spinner (seed 004's four executors) and the comparison (key c: every
 * executor that applies, seed 001's table).
 */
#include "tui_session.h"
#include "tui_session_priv.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "executor.h"
#include "quiz.h"
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
bool tui_session_sequence_next(struct tui_session *s)
{
	while (s->next < s->nplan) {
		int i = s->next++;
		tui_session_start_panel(s, i, s->plan[i]);
		if (s->runs[i])
			return true;
	}
	return false;
}

/* Runs the loaded scenario as sequence K. */
void tui_session_sequence_start(struct tui_session *s, enum sequence_kind k)
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
	tui_session_set_narration(s, NULL);
	c->npanels = s->nplan;
	c->spinner = scenario_has_step(&s->sc, STEP_SPIN) > 0;
	tui_session_sequence_next(s);
	/* While they run, show each as it grows; the playback from 0 comes after. */
	view_player_reset(&c->pl, true);
	tui_session_set_baseline(s);
}

int tui_session_overview(struct tui_session *s, char *err, size_t errlen)
{
	if (tui_session_load(s, "overview", err, errlen) < 0)
		return -1;
	tui_session_sequence_start(s, SEQ_OVERVIEW);
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
	if (tui_session_load(s, name, err, errlen) < 0)
		return -1;
	tui_session_sequence_start(s, SEQ_COMPARE);
	return 0;
}

int tui_session_compare_scenario(struct tui_session *s, const char *name, char *err, size_t errlen)
{
	if (tui_session_load(s, name, err, errlen) < 0)
		return -1;
	tui_session_sequence_start(s, SEQ_COMPARE);
	return 0;
}

/* Panel I's run has ended: its row of the comparison takes its trace and figures. */
void tui_session_sequence_take(struct tui_session *s, int i)
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
