/*
 * quiz.c -- a lesson's beats checked before anything runs, and questions
 * judged from the run's trace.  Measuring reads only trace data: span
 * states and times, edges, causes, and the meta's spinner lane.
 */
#include "quiz.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "run.h"
#include "stats.h"

const struct executor_want quiz_overview_wants[QUIZ_OVERVIEW_RUNS] = {
    {MODEL_SEQUENTIAL, EXEC_UNIT_THREAD, -1, -1},
    {MODEL_PSEUDO, EXEC_UNIT_THREAD, 1, 0},
    {MODEL_PARALLEL, EXEC_UNIT_THREAD, 1, 0},
};

const char *const quiz_overview_titles[QUIZ_OVERVIEW_RUNS] = {
    "Sequential",
    "Pseudo-parallel (one core, interleaved)",
    "Parallel (several cores)",
};

/* ---- checking a lesson ---------------------------------------------------- */

static int beat_error(const struct lesson *l, int line, char *err, size_t errlen, const char *msg)
{
	char file[512];

	snprintf(err, errlen, "%s:%d: %s", escape_text(file, sizeof file, l->file, -1, 0), line,
		 msg);
	return -1;
}

/* The first word of a choice (up to a blank, a comma or a bracket). */
static void first_word(const char *s, char *out, size_t len)
{
	size_t n = 0;

	while (isspace((unsigned char)*s))
		s++;
	while (s[n] && !isspace((unsigned char)s[n]) && !strchr(",;:()", s[n]) && n + 1 < len)
		n++;
	memcpy(out, s, n);
	out[n] = '\0';
}

static bool scenario_has_task(const struct scenario *sc, const char *name)
{
	for (int i = 0; i < sc->ntasks; i++)
		if (strcmp(sc->tasks[i].name, name) == 0)
			return true;
	return false;
}

/*
 * The spinner's longest gap between frames; a spinner that never drew one
 * (created on asyncio but never given the loop: `main = slow`) was frozen
 * for its whole life.
 */
static double spinner_gap_ms(const struct trace *tr, int lane)
{
	struct span sp;

	for (uint32_t i = 0; i < trace_count(tr, lane); i++) {
		trace_get(tr, lane, i, &sp);
		if (sp.state == STATE_RUNNING)
			return stats_max_gap_ms(tr, lane, STATE_RUNNING);
	}
	if (trace_count(tr, lane) == 0)
		return 0;
	return (double)(trace_lane_end(tr, lane, 0) - trace_lane_start(tr, lane)) / 1e6;
}

/* A selector's choices name what it picks among: tasks, executors. */
static int check_answer(const struct lesson *l, const struct lesson_beat *b,
			const struct scenario *sc, char *err, size_t errlen)
{
	char word[64], msg[256], q[ESCAPE_ECHO_SIZE];
	const struct lesson_answer *a = &b->answer;

	if (!b->has_answer)
		return 0;
	if ((a->figs & (1u << LESSON_FIG_GAP | 1u << LESSON_FIG_FROZEN)) &&
	    !scenario_has_step(sc, STEP_SPIN))
		return beat_error(l, b->answer_line, err, errlen,
				  "answer cannot be checked: the scenario has no spinner");
	for (int i = 0; a->selector && i < b->nchoice; i++) {
		first_word(b->choice[i], word, sizeof word);
		if (a->sel == LESSON_FIG_FIRST && !scenario_has_task(sc, word))
			snprintf(msg, sizeof msg,
				 "answer \"first\" cannot be checked: choice %d does not begin "
				 "with a task's name (\"%s\")",
				 i + 1, escape_echo(q, word));
		else if (a->sel == LESSON_FIG_FASTEST && !executor_find(word))
			snprintf(msg, sizeof msg,
				 "answer \"fastest\" cannot be checked: choice %d does not begin "
				 "with an executor's name (\"%s\")",
				 i + 1, escape_echo(q, word));
		else
			continue;
		return beat_error(l, b->answer_line, err, errlen, msg);
	}
	return 0;
}

static int check_beat(const struct lesson *l, const struct lesson_beat *b, char *err, size_t errlen)
{
	struct scenario sc;
	char msg[512], q[ESCAPE_ECHO_SIZE];

	if (b->kind == BEAT_COSTS)
		return 0;
	if (b->backend[0] && !executor_find(b->backend)) {
		snprintf(msg, sizeof msg, "unknown executor \"%s\" (conctui --list shows them)",
			 escape_echo(q, b->backend));
		return beat_error(l, b->backend_line, err, errlen, msg);
	}
	if (b->backend[0] && b->kind != BEAT_SCENARIO)
		return beat_error(l, b->backend_line, err, errlen,
				  "the overview and a comparison choose their own executors");
	if (quiz_beat_scenario(b, 1.0, &sc, msg, sizeof msg) < 0) {
		/* The scenario's own file:line message, or which scenario is missing. */
		if (strstr(msg, "unknown scenario"))
			return beat_error(l, b->scenario_line, err, errlen, msg);
		snprintf(err, errlen, "%s", msg);
		return -1;
	}
	int rc = check_answer(l, b, &sc, err, errlen);
	scenario_free(&sc);
	return rc;
}

int quiz_check(const struct lesson *l, char *err, size_t errlen)
{
	for (int i = 0; i < l->nbeats; i++)
		if (check_beat(l, &l->beats[i], err, errlen) < 0)
			return -1;
	return 0;
}

int quiz_load(const char *name, struct lesson *l, char *err, size_t errlen)
{
	char path[PATH_MAX];

	if (lesson_resolve(name, path, sizeof path, err, errlen) < 0 ||
	    lesson_load(path, l, err, errlen) < 0)
		return -1;
	if (quiz_check(l, err, errlen) < 0) {
		lesson_free(l);
		return -1;
	}
	return 0;
}

int quiz_beat_scenario(const struct lesson_beat *b, double scale, struct scenario *sc, char *err,
		       size_t errlen)
{
	char path[PATH_MAX];
	double x = (b->scale > 0 ? b->scale : 1.0) * (scale > 0 ? scale : 1.0);

	memset(sc, 0, sizeof *sc);
	if (b->kind == BEAT_COSTS) {
		snprintf(err, errlen, "the costs table runs no scenario");
		return -1;
	}
	if (scenario_resolve(b->scenario, path, sizeof path, err, errlen) < 0 ||
	    run_load_scenario(path, sc, err, errlen) < 0)
		return -1;
	if (x != 1.0)
		scenario_scale(sc, x);
	return 0;
}

/* ---- measuring ---------------------------------------------------------------- */

/* Sum of the steps' lengths: how long the work takes one task after another. */
static double nominal_ms(const struct scenario *sc)
{
	double ms = 0;

	for (int t = 0; sc && t < sc->ntasks; t++)
		for (int k = 0; k < sc->tasks[t].nsteps; k++)
			if (sc->tasks[t].steps[k].kind != STEP_SPIN)
				ms += sc->tasks[t].steps[k].ms * sc->tasks[t].repeat;
	return ms;
}

/* The task that finished first (outcome done, the earliest end), spinner aside. */
static void find_first(const struct trace *tr, struct quiz_figures *f)
{
	uint64_t best = UINT64_MAX;
	int spinner = tr->meta.spinner_ms > 0 ? tr->meta.spinner : -1;

	f->first[0] = '\0';
	for (int i = 0; i < tr->ntasks; i++) {
		if (i == spinner || trace_outcome(tr, i) != OUTCOME_DONE)
			continue;
		uint64_t end = trace_lane_end(tr, i, tr->meta.wall_ns);
		if (end < best) {
			best = end;
			snprintf(f->first, sizeof f->first, "%s", trace_name(tr, i));
		}
	}
	f->first_ms = best == UINT64_MAX ? 0 : (double)best / 1e6;
}

void quiz_measure(const struct trace *tr, const struct scenario *sc, struct quiz_figures *f)
{
	double *v = f->v;

	memset(f, 0, sizeof *f);
	v[LESSON_FIG_WALL] = (double)tr->meta.wall_ns / 1e6;
	v[LESSON_FIG_CPU] = (double)tr->meta.cpu_ns / 1e6;
	v[LESSON_FIG_SEQUENTIAL] = nominal_ms(sc);
	v[LESSON_FIG_CORES] = tr->meta.cores;
	v[LESSON_FIG_TASKS] = tr->ntasks;
	v[LESSON_FIG_RUNNING] = stats_max_overlap(tr, STATE_RUNNING);
	v[LESSON_FIG_SWITCHES] = (double)tr->meta.gil_switches;
	v[LESSON_FIG_OVERLAP] = v[LESSON_FIG_RUNNING] >= 2;
	f->spinner = tr->meta.spinner_ms > 0 && tr->meta.spinner < tr->ntasks;
	if (f->spinner) {
		v[LESSON_FIG_GAP] = spinner_gap_ms(tr, tr->meta.spinner);
		v[LESSON_FIG_FROZEN] = v[LESSON_FIG_GAP] > STATS_SPIN_FROZEN * tr->meta.spinner_ms;
	}
	snprintf(f->backend, sizeof f->backend, "%s", tr->meta.backend);
	find_first(tr, f);
	snprintf(f->fastest, sizeof f->fastest, "%s", tr->meta.backend);
	f->fastest_ms = v[LESSON_FIG_WALL];
}

void quiz_measure_runs(const struct trace *const *trs, int n, const struct scenario *sc,
		       struct quiz_figures *f)
{
	int best = -1;

	for (int i = 0; i < n; i++)
		if (trs[i] && (best < 0 || trs[i]->meta.wall_ns < trs[best]->meta.wall_ns))
			best = i;
	memset(f, 0, sizeof *f);
	if (best < 0)
		return;
	quiz_measure(trs[best], sc, f);
	for (int i = 0; i < n && f->nruns < QUIZ_MAX_RUNS; i++)
		if (trs[i]) {
			snprintf(f->run_backend[f->nruns], sizeof f->run_backend[0], "%s",
				 trs[i]->meta.backend);
			f->run_ms[f->nruns++] = (double)trs[i]->meta.wall_ns / 1e6;
		}
}
