/*
 * tui_lesson.c -- a lesson in the interactive program.  Each beat is shown
 * through the session as if its keys had been pressed (a scenario on an
 * executor, the overview, a comparison, the costs); the lesson only adds
 * its title, its narration, its time points, the question before the run
 * and the reveal after it, judged by quiz.c from the runs' traces.
 */
#include "tui_lesson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "quiz.h"
#include "scenario.h"

/* Where a beat is. */
enum lesson_phase {
	LP_QUESTION, /* the question is up; the run waits for an answer */
	LP_PLAYING,  /* the run is on (or has ended with no question to reveal) */
	LP_REVEALED, /* the answer has been judged and said */
};

#define LESSON_LINES (LESSON_MAX_NARRATION + LESSON_MAX_AT + 1)

struct tui_lesson {
	struct lesson l;
	struct tui_session *s;	 /* the runs on screen */
	struct view_ctx *ctx;	 /* what the views draw from */
	double scale;		 /* --scale; each beat's own multiplies it */
	int beat;		 /* the beat on screen */
	enum lesson_phase phase; /* see above */
	int picked;		 /* the choice answered, -1: none */
	bool started;		 /* this beat's run has been started */
	bool fired[LESSON_MAX_AT];
	struct scenario sc; /* the beat's scenario (scaled), for judging */
	bool have_sc;
	char title[128];			   /* "beat 3 of 12: TITLE" */
	char lines[LESSON_LINES][LESSON_TEXT_MAX]; /* narration shown, escaped */
	const char *narr[LESSON_LINES];		   /* ... pointers for the views */
	int nlines;				   /* lines in use */
	char reveal[LESSON_TEXT_MAX];		   /* the judged answer, or "" */
};

static const struct lesson_beat *cur(const struct tui_lesson *tl)
{
	return &tl->l.beats[tl->beat];
}

/*
 * Panel 0 when it shows this beat's scenario: after s or o inside a beat the
 * screen shows another run, which the beat's time points and question are
 * not about.
 */
static const struct trace *beat_trace(const struct tui_lesson *tl)
{
	const struct view_ctx *c = tl->ctx;
	const struct trace *tr = c->npanels > 0 ? c->panels[0].tr : NULL;

	if (!tr || !tl->have_sc || strcmp(tr->meta.scenario, tl->sc.name) != 0)
		return NULL;
	return tr;
}

struct tui_lesson *tui_lesson_new(const char *name, struct tui_session *s, struct view_ctx *ctx,
				  double scale, char *err, size_t errlen)
{
	struct tui_lesson *tl = calloc(1, sizeof *tl);

	if (!tl) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (quiz_load(name, &tl->l, err, errlen) < 0) {
		free(tl);
		return NULL;
	}
	tl->s = s;
	tl->ctx = ctx;
	ctx->lesson = true;
	tl->scale = scale > 0 ? scale : 1.0;
	return tl;
}

void tui_lesson_free(struct tui_lesson *tl)
{
	if (!tl)
		return;
	if (tl->have_sc)
		scenario_free(&tl->sc);
	lesson_free(&tl->l);
	free(tl);
}

int tui_lesson_beat(const struct tui_lesson *tl)
{
	return tl->beat;
}

/* ---- beats ------------------------------------------------------------------ */

/* Starts the beat's run through the session, as its keys would. */
static void start_run(struct tui_lesson *tl)
{
	const struct lesson_beat *b = cur(tl);
	struct view_ctx *c = tl->ctx;
	char err[256];
	int rc = 0;

	tl->started = true;
	tui_session_set_run(tl->s, tl->scale * (b->scale > 0 ? b->scale : 1.0), b->backend);
	switch (b->kind) {
	case BEAT_OVERVIEW:
		rc = tui_session_overview(tl->s, err, sizeof err);
		break;
	case BEAT_COMPARE:
		rc = tui_session_compare_scenario(tl->s, b->scenario, err, sizeof err);
		break;
	case BEAT_COSTS:
		tui_session_costs(tl->s);
		break;
	default:
		rc = tui_session_scenario(tl->s, b->scenario, NULL, err, sizeof err);
		if (rc == 0 && !b->backend[0] && b->kind == BEAT_SCENARIO)
			view_show(c, &view_timeline);
		break;
	}
	if (rc < 0)
		snprintf(c->flash, sizeof c->flash, "%.150s", err);
}

void tui_lesson_enter(struct tui_lesson *tl, int i)
{
	const struct lesson_beat *b;
	char err[256];

	if (i < 0 || i >= tl->l.nbeats)
		return;
	tl->beat = i;
	b = cur(tl);
	tl->picked = -1;
	tl->started = false;
	tl->reveal[0] = '\0';
	memset(tl->fired, 0, sizeof tl->fired);
	if (tl->have_sc)
		scenario_free(&tl->sc);
	tl->have_sc = b->kind != BEAT_COSTS &&
		      quiz_beat_scenario(b, tl->scale, &tl->sc, err, sizeof err) == 0;
	tl->phase = b->question ? LP_QUESTION : LP_PLAYING;
	if (tl->phase == LP_PLAYING)
		start_run(tl);
}

bool tui_lesson_key(struct tui_lesson *tl, int code, enum view_action a)
{
	struct view_ctx *c = tl->ctx;

	if (code == 'n' || code == 'p') {
		int to = tl->beat + (code == 'n' ? 1 : -1);
		if (to < 0 || to >= tl->l.nbeats)
			snprintf(c->flash, sizeof c->flash, "this is the %s beat",
				 to < 0 ? "first" : "last");
		else
			tui_lesson_enter(tl, to);
		return true;
	}
	if (tl->phase == LP_QUESTION) {
		if (code >= '1' && code < '1' + cur(tl)->nchoice)
			tl->picked = code - '1';
		else if (a != VA_CLOSE)
			return false;
		/* Answered (or Esc: no answer): the run starts now. */
		tl->phase = LP_PLAYING;
		start_run(tl);
		return true;
	}
	if (a == VA_RERUN && tl->started) {
		memset(tl->fired, 0, sizeof tl->fired);
		tl->reveal[0] = '\0';
		tl->phase = LP_PLAYING;
	}
	return false;
}

/* ---- each frame ---------------------------------------------------------------- */

/* The time points the cursor has passed: a pause stops the player right there. */
static void fire_points(struct tui_lesson *tl)
{
	const struct lesson_beat *b = cur(tl);
	struct view_ctx *c = tl->ctx;
	const struct trace *tr = beat_trace(tl);

	for (int k = 0; tr && k < b->nat; k++) {
		/* The run's end is in its meta, written once the run is over. */
		bool wait = b->at[k].event == LESSON_EVENT_END && c->panels[0].live;
		uint64_t t = tl->fired[k] || wait ? UINT64_MAX : quiz_at_ns(&b->at[k], tr);
		if (t == UINT64_MAX || c->pl.cursor < t)
			continue;
		tl->fired[k] = true;
		if (!b->at[k].pause)
			continue;
		c->pl.cursor = t;
		c->pl.paused = true;
		c->pl.follow = false;
		snprintf(c->flash, sizeof c->flash, "paused%s%s: Space goes on",
			 b->at[k].event ? " at the " : "", lesson_event_name(b->at[k].event));
	}
}

/*
 * Once every run has ended and the playback has reached the end, the
 * question is judged from their traces.
 */
static void judge(struct tui_lesson *tl)
{
	const struct lesson_beat *b = cur(tl);
	struct view_ctx *c = tl->ctx;
	const struct trace *trs[VIEW_MAX_PANELS];
	struct quiz_figures f;
	struct quiz_verdict v;
	int n = 0;

	if (!b->question || tl->phase != LP_PLAYING || !tl->started || !beat_trace(tl) ||
	    view_player_live(c->panels, c->npanels) ||
	    c->pl.cursor < view_player_end(c->panels, c->npanels))
		return;
	for (int i = 0; i < c->npanels; i++)
		if (c->panels[i].tr)
			trs[n++] = c->panels[i].tr;
	if (n == 0)
		return;
	if (b->kind == BEAT_SCENARIO && n == 1)
		quiz_measure(trs[0], tl->have_sc ? &tl->sc : NULL, &f);
	else
		quiz_measure_runs(trs, n, tl->have_sc ? &tl->sc : NULL, &f);
	quiz_judge(b, &f, &v);
	quiz_reveal(b, &v, tl->picked, tl->reveal, sizeof tl->reveal);
	snprintf(c->flash, sizeof c->flash, "%.*s", (int)sizeof c->flash - 1, tl->reveal);
	tl->phase = LP_REVEALED;
}

static void add_line(struct tui_lesson *tl, const char *s)
{
	if (tl->nlines < LESSON_LINES) {
		escape_text(tl->lines[tl->nlines], sizeof tl->lines[0], s, -1, 0);
		tl->narr[tl->nlines] = tl->lines[tl->nlines];
		tl->nlines++;
	}
}

void tui_lesson_update(struct tui_lesson *tl)
{
	const struct lesson_beat *b = cur(tl);
	struct view_ctx *c = tl->ctx;
	char t[128];

	if (tl->started) {
		fire_points(tl);
		judge(tl);
	}
	escape_text(t, sizeof t,
		    b->title[0]	  ? b->title
		    : tl->have_sc ? tl->sc.title
				  : "What each model costs here",
		    -1, 0);
	snprintf(tl->title, sizeof tl->title, "beat %d of %d: %.96s", tl->beat + 1, tl->l.nbeats,
		 t);
	snprintf(c->title, sizeof c->title, "%s", tl->title);
	snprintf(c->source, sizeof c->source, "n next beat, p previous");
	tl->nlines = 0;
	for (int k = 0; k < b->nnarration; k++)
		add_line(tl, b->narration[k]);
	for (int k = 0; k < b->nat; k++)
		if (tl->fired[k] && b->at[k].text)
			add_line(tl, b->at[k].text);
	if (tl->reveal[0])
		add_line(tl, tl->reveal);
	c->narration = tl->narr;
	c->nnarration = tl->nlines;
}

/* ---- the question box ------------------------------------------------------------ */

/* Rows the text needs at width W (wrapping below the grid draws nothing). */
static int rows_of(struct grid *g, int w, const char *s)
{
	struct grid probe = *g;

	return view_wrap(&probe, 0, g->h, w, 0, s, grid_plain);
}

void tui_lesson_compose(struct grid *g, const struct tui_lesson *tl)
{
	const struct lesson_beat *b = cur(tl);
	const struct view_ctx *c = tl->ctx;
	char text[LESSON_TEXT_MAX + 8], hint[96];

	if (g->w < VIEW_MIN_W || g->h < VIEW_MIN_H)
		return;
	if (c->help) {
		/* The help lists the table of keys; a lesson's own go on the last row. */
		grid_fill(g, 0, g->h - 1, g->w, 1, ' ', grid_plain);
		grid_text(
		    g, 1, g->h - 1, g->w - 2,
		    "lesson: n next beat \u00b7 p previous beat \u00b7 1-9 answer the question "
		    "\u00b7 Space pauses",
		    view_style(c, ROLE_KEY));
	}
	if (tl->phase != LP_QUESTION || c->help)
		return;
	int w = g->w - 8 < 76 ? g->w - 8 : 76, iw = w - 4;
	escape_text(text, sizeof text, b->question, -1, 0);
	int h = rows_of(g, iw, text) + 4;
	for (int k = 0; k < b->nnarration; k++)
		h += rows_of(g, iw, b->narration[k]);
	h += b->nnarration > 0;
	for (int k = 0; k < b->nchoice; k++)
		h += rows_of(g, iw - 3, b->choice[k]);
	if (h > g->h - 2)
		h = g->h - 2;
	int x = (g->w - w) / 2, y = (g->h - h) / 2, row = y + 1;
	struct grid_style frame = view_style(c, ROLE_FRAME), key = view_style(c, ROLE_KEY);
	grid_fill(g, x, y, w, h, ' ', grid_plain);
	grid_box(g, x, y, w, h, frame);
	grid_textf(g, x + 2, y, w - 4, frame, " %s ", tl->title);
	for (int k = 0; k < b->nnarration; k++)
		row += view_wrap(g, x + 2, row, iw, y + h - 1 - row, tl->lines[k],
				 view_style(c, ROLE_DIM));
	row += b->nnarration > 0;
	row += view_wrap(g, x + 2, row, iw, y + h - 1 - row, text, view_style(c, ROLE_TITLE));
	row++;
	for (int k = 0; k < b->nchoice && row < y + h - 2; k++) {
		grid_textf(g, x + 2, row, 3, key, "%d)", k + 1);
		escape_text(text, sizeof text, b->choice[k], -1, 0);
		row += view_wrap(g, x + 5, row, iw - 3, y + h - 2 - row, text, grid_plain);
	}
	snprintf(hint, sizeof hint, " 1-%d answer, then the run shows who was right ", b->nchoice);
	grid_text(g, x + 2, y + h - 1, w - 4, hint, frame);
}
