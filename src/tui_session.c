/*
 * tui_session.c -- runs, the overview's sequence of runs, and replayed
 * records, turned into the panels the views draw.
 */
#include "tui_session.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executor.h"
#include "record.h"
#include "scenario.h"
#include "stats.h"

/* The overview's three pictures, in the order seed 000 draws them. */
static const struct {
	const char *backend;
	const char *title;
} overview_runs[] = {
	{"sequential", "Sequential"},
	{"threads-1core", "Pseudo-parallel (one core, interleaved)"},
	{"threads", "Parallel (several cores)"},
};
#define NOVERVIEW 3

enum session_kind { SESSION_NONE, SESSION_SCENARIO, SESSION_OVERVIEW, SESSION_REPLAY };

/* Sequential wall times measured in this session, for "speedup vs sequential". */
struct baseline {
	char scenario[64];
	double wall_ms;
};
#define NBASELINES 32

struct tui_session {
	struct view_ctx *ctx;
	enum session_kind kind;
	struct run_opts ro;              /* from the command line */
	double scale;
	char backend[32];                /* the executor picked with b, "" for the default */
	struct scenario sc;
	bool have_sc;
	char sc_name[PATH_MAX];          /* what was asked for: a name or a path */
	struct run *runs[VIEW_MAX_PANELS];
	bool seen[VIEW_MAX_PANELS];      /* its end has been taken in */
	struct trace **replayed;         /* from record_read */
	int nreplayed;
	int next;                        /* the overview: next panel to run */
	struct stats stats;
	struct baseline base[NBASELINES];
	void (*wake)(void *);
	void *wake_ud;
};

struct tui_session *tui_session_new(struct view_ctx *ctx, const struct run_opts *ro,
				    double scale, void (*wake)(void *), void *wake_ud)
{
	struct tui_session *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->ctx = ctx;
	s->ro = *ro;
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
	if (scenario_load(path, &sc, err, errlen) < 0)
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
		if (strcmp(s->base[i].scenario, tr->meta.scenario) == 0 || !s->base[i].scenario[0]) {
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
	start_panel(s, 0, s->backend);
	snprintf(c->panels[0].title, sizeof c->panels[0].title, "%s",
		 c->panels[0].tr ? c->panels[0].tr->meta.backend : "");
	view_player_reset(&c->pl, c->panels[0].live);
	set_baseline(s);
}

int tui_session_scenario(struct tui_session *s, const char *name, const char *backend,
			 char *err, size_t errlen)
{
	if (load(s, name, err, errlen) < 0)
		return -1;
	if (backend)
		snprintf(s->backend, sizeof s->backend, "%.31s", backend);
	start_scenario(s);
	return 0;
}

/* Starts the next of the overview's runs that can run; false when none is left. */
static bool overview_next(struct tui_session *s)
{
	while (s->next < NOVERVIEW) {
		int i = s->next++;
		start_panel(s, i, overview_runs[i].backend);
		if (s->runs[i])
			return true;
	}
	return false;
}

int tui_session_overview(struct tui_session *s, char *err, size_t errlen)
{
	struct view_ctx *c = s->ctx;

	if (load(s, "overview", err, errlen) < 0)
		return -1;
	s->kind = SESSION_OVERVIEW;
	c->overview = true;
	c->npanels = NOVERVIEW;
	for (int i = 0; i < NOVERVIEW; i++) {
		snprintf(c->panels[i].title, sizeof c->panels[i].title, "%s", overview_runs[i].title);
		snprintf(c->panels[i].note, sizeof c->panels[i].note, "waiting for its turn");
	}
	s->next = 0;
	overview_next(s);
	/* While they run, show each as it grows; the playback from 0 comes after. */
	view_player_reset(&c->pl, true);
	return 0;
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
	s->replayed = trs;
	s->nreplayed = n;
	c->replay = true;
	c->npanels = n < VIEW_MAX_PANELS ? n : VIEW_MAX_PANELS;
	for (int i = 0; i < c->npanels; i++) {
		struct view_panel *p = &c->panels[i];
		p->tr = trs[i];
		p->now_ns = trs[i]->meta.wall_ns;
		snprintf(p->title, sizeof p->title, "%s (%s)", trs[i]->meta.backend,
			 model_name(trs[i]->meta.model));
	}
	c->overview = n > 1;
	snprintf(c->scenario, sizeof c->scenario, "%s", trs[0]->meta.scenario);
	snprintf(c->title, sizeof c->title, "%s", trs[0]->meta.title);
	const char *base = strrchr(path, '/');
	snprintf(c->source, sizeof c->source, "replay of %.40s", base ? base + 1 : path);
	c->narration = NULL;
	c->nnarration = 0;
	/* The story, when the scenario the record came from is at hand. */
	char file[PATH_MAX], ignored[256];
	if (s->have_sc)
		scenario_free(&s->sc);
	s->have_sc = scenario_resolve(c->scenario, file, sizeof file, ignored, sizeof ignored) == 0 &&
		     scenario_load(file, &s->sc, ignored, sizeof ignored) == 0;
	if (s->have_sc) {
		c->narration = (const char *const *)s->sc.narration;
		c->nnarration = s->sc.nnarration;
	}
	if (n == 1) {
		stats_compute(trs[0], &s->stats);
		c->stats = &s->stats;
	}
	set_baseline(s);
	view_player_reset(&c->pl, false);
	return 0;
}

void tui_session_rerun(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;
	char err[256];

	switch (s->kind) {
	case SESSION_SCENARIO:
		clear(s);
		start_scenario(s);
		break;
	case SESSION_OVERVIEW:
		if (tui_session_overview(s, err, sizeof err) < 0)
			snprintf(c->flash, sizeof c->flash, "%.150s", err);
		break;
	case SESSION_REPLAY:
		view_player_reset(&c->pl, false);
		break;
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
		if (run_wait(r) < 0)
			snprintf(c->flash, sizeof c->flash, "the run failed: %s", run_error(r));
		if (i == 0 && s->kind == SESSION_SCENARIO) {
			stats_compute(run_trace(r), &s->stats);
			c->stats = &s->stats;
			set_baseline(s);
		}
	}
	if (ended && s->kind == SESSION_OVERVIEW && !overview_next(s)) {
		/* All three are recorded: play them together from t = 0. */
		view_player_reset(&c->pl, false);
	}
}

void tui_session_update(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;

	for (int i = 0; i < c->npanels; i++)
		if (s->runs[i] && !s->seen[i])
			c->panels[i].now_ns = run_elapsed_ns(s->runs[i]);
}

/* ------------------------------------------------------------------ */
/* Menus                                                               */
/* ------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void tui_session_menu_scenarios(struct tui_session *s)
{
	struct view_menu *m = &s->ctx->menu;
	const char *dir = scenario_dir();
	char *names[VIEW_MENU_MAX];
	int n = 0;
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;

	view_menu_open(m, VIEW_MENU_SCENARIO, "Scenarios");
	while (d && (e = readdir(d)) && n < VIEW_MENU_MAX) {
		size_t len = strlen(e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".ini") == 0)
			names[n++] = strndup(e->d_name, len - 4);
	}
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof names[0], cmp_str);
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX], err[256], label[160];
		struct scenario sc;

		snprintf(path, sizeof path, "%s/%s.ini", dir, names[i]);
		if (scenario_load(path, &sc, err, sizeof err) == 0) {
			snprintf(label, sizeof label, "%-16s %s", names[i], sc.title);
			scenario_free(&sc);
			view_menu_add(m, names[i], label, false);
		} else {
			snprintf(label, sizeof label, "%-16s (does not load)", names[i]);
			view_menu_add(m, names[i], label, true);
		}
		free(names[i]);
	}
	view_menu_select(m, s->ctx->scenario);
}

void tui_session_menu_backends(struct tui_session *s)
{
	struct view_menu *m = &s->ctx->menu;
	const struct trace *tr = s->ctx->npanels == 1 ? s->ctx->panels[0].tr : NULL;

	view_menu_open(m, VIEW_MENU_BACKEND, "Run this scenario on");
	for (int i = 0; i < executor_count(); i++) {
		const struct executor *ex = executor_at(i);
		char label[160];

		snprintf(label, sizeof label, "%-14s %-16s %.60s", ex->name, model_name(ex->model),
			 ex->summary);
		view_menu_add(m, ex->name, label, false);
	}
	if (tr)
		view_menu_select(m, tr->meta.backend);
}

void tui_session_choose(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;
	struct view_menu *m = &c->menu;
	char key[64], err[256];
	enum view_menu_kind kind = m->kind;

	if (m->n == 0)
		return;
	snprintf(key, sizeof key, "%s", m->key[m->sel]);
	view_menu_close(m);
	if (kind == VIEW_MENU_SCENARIO) {
		int rc;
		s->backend[0] = '\0'; /* a new scenario starts on its own executor */
		if (strcmp(key, "overview") == 0)
			rc = tui_session_overview(s, err, sizeof err);
		else
			rc = tui_session_scenario(s, key, NULL, err, sizeof err);
		if (rc < 0)
			snprintf(c->flash, sizeof c->flash, "%.150s", err);
		return;
	}
	/* An executor: the same scenario again (a record's, if it can be found). */
	const char *name = s->kind == SESSION_SCENARIO ? s->sc_name : c->scenario;
	char again[PATH_MAX];
	snprintf(again, sizeof again, "%s", name);
	if (tui_session_scenario(s, again, key, err, sizeof err) < 0)
		snprintf(c->flash, sizeof c->flash, "%.150s", err);
}
