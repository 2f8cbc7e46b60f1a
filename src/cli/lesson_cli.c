/*
 * lesson_cli.c -- conctui --batch --lesson: every beat of a lesson, one
 * after another, each headed "beat N of M: TITLE" with its narration, its
 * chart (or table), its time points, its question and the answer the run
 * gave, so that a teacher can check a lesson before class.  Also the
 * lessons' part of --list.
 */
#include "lesson_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "compare.h"
#include "compare_print.h"
#include "costs.h"
#include "costs_print.h"
#include "datadir.h"
#include "escape.h"
#include "quiz.h"
#include "run.h"

/* Escaped text of a lesson (it comes from a file). */
static const char *safe(char *buf, size_t len, const char *s)
{
	return escape_text(buf, len, s, -1, 0);
}

static void print_head(const struct lesson_beat *b, const struct scenario *sc, int i, int n)
{
	char t[512];
	const char *title = b->title[0]		    ? b->title
			    : b->kind == BEAT_COSTS ? "What each model costs here"
			    : sc		    ? sc->title
						    : b->id;

	printf("%sbeat %d of %d: %s\n", i ? "\n" : "", i + 1, n, safe(t, sizeof t, title));
	for (int k = 0; k < b->nnarration; k++)
		printf("  %s\n", safe(t, sizeof t, b->narration[k]));
	printf("\n");
}

/* The time points, at the times this run reached them. */
static void print_at(const struct lesson_beat *b, const struct trace *tr)
{
	char t[512], when[32];

	for (int k = 0; tr && k < b->nat; k++) {
		const struct lesson_at *a = &b->at[k];
		uint64_t ns = quiz_at_ns(a, tr);
		if (ns == UINT64_MAX)
			snprintf(when, sizeof when, "never");
		else
			compare_duration(when, sizeof when, (double)ns / 1e6);
		printf("  at %s%s%s%s: %s\n", when, a->event ? " (" : "",
		       lesson_event_name(a->event), a->event ? ")" : "",
		       a->pause ? "pause" : safe(t, sizeof t, a->text));
	}
}

static void print_question(const struct lesson_beat *b, const struct quiz_figures *f)
{
	char t[512], line[512];
	struct quiz_verdict v;

	if (!b->question)
		return;
	printf("\n  question: %s\n", safe(t, sizeof t, b->question));
	for (int k = 0; k < b->nchoice; k++)
		printf("    %d) %s\n", k + 1, safe(t, sizeof t, b->choice[k]));
	quiz_judge(b, f, &v);
	quiz_reveal(b, &v, -1, line, sizeof line);
	printf("  measured: %s\n", line);
}

/* One scenario on BACKEND ("" for its own): chart, figures; 0, 1 run failed, 2 interrupted. */
static int run_one(const struct options *o, const struct scenario *sc, const char *backend,
		   struct trace **out)
{
	struct run_opts ro = o->run;
	int interrupted = 0, failed = 0;
	struct chart_opts co = {.ascii = o->ascii};

	ro.backend = backend && *backend ? backend : NULL;
	*out = run_to_end(sc, &ro, &interrupted, &failed);
	if (interrupted || !*out)
		return 2;
	chart_print(*out, &co, stdout);
	return failed ? 1 : 0;
}

static int beat_overview(const struct options *o, const struct lesson_beat *b,
			 const struct scenario *sc)
{
	struct trace *trs[QUIZ_OVERVIEW_RUNS] = {NULL};
	struct quiz_figures f;
	int rc = 0;

	for (int i = 0; i < QUIZ_OVERVIEW_RUNS && rc < 2; i++) {
		const struct executor *ex = executor_match(&quiz_overview_wants[i]);
		printf("  %s (%s)\n", quiz_overview_titles[i], ex->name);
		int r = run_one(o, sc, ex->name, &trs[i]);
		rc = r > rc ? r : rc;
	}
	if (rc < 2) {
		print_at(b, trs[0]);
		quiz_measure_runs((const struct trace *const *)trs, QUIZ_OVERVIEW_RUNS, sc, &f);
		print_question(b, &f);
	}
	for (int i = 0; i < QUIZ_OVERVIEW_RUNS; i++)
		trace_destroy(trs[i]);
	return rc;
}

static int beat_compare(const struct options *o, const struct lesson_beat *b,
			const struct scenario *sc)
{
	struct compare_result res;
	const struct trace *trs[COMPARE_MAX_ROWS];
	struct quiz_figures f;
	int n = 0;

	if (compare_run(sc, &o->run, &res, NULL) < 0) {
		compare_free(&res);
		return 2;
	}
	compare_print(&res, stdout, o->ascii);
	for (int i = 0; i < res.nrows; i++)
		if (res.rows[i].tr)
			trs[n++] = res.rows[i].tr;
	quiz_measure_runs(trs, n, sc, &f);
	print_question(b, &f);
	int rc = res.failed ? 1 : 0;
	compare_free(&res);
	return rc;
}

static int beat_scenario(const struct options *o, const struct lesson_beat *b,
			 const struct scenario *sc)
{
	struct trace *tr = NULL;
	struct quiz_figures f;
	int rc = run_one(o, sc, b->backend, &tr);

	if (rc < 2) {
		print_at(b, tr);
		quiz_measure(tr, sc, &f);
		print_question(b, &f);
	}
	trace_destroy(tr);
	return rc;
}

static int beat_costs(const struct options *o, const struct lesson_beat *b)
{
	struct costs_result res;

	(void)b;
	int rc = costs_measure(&res) < 0 ? 1 : 0;
	costs_print(&res, stdout, o->ascii);
	return rc;
}

static int play_beat(const struct options *o, const struct lesson *l, int i)
{
	const struct lesson_beat *b = &l->beats[i];
	struct scenario sc;
	char err[512];
	int rc;

	if (b->kind == BEAT_COSTS) {
		print_head(b, NULL, i, l->nbeats);
		return beat_costs(o, b);
	}
	if (quiz_beat_scenario(b, o->scale, &sc, err, sizeof err) < 0) {
		fprintf(stderr, "conctui: %s\n", err);
		return 1;
	}
	print_head(b, &sc, i, l->nbeats);
	fflush(stdout);
	if (b->kind == BEAT_OVERVIEW)
		rc = beat_overview(o, b, &sc);
	else if (b->kind == BEAT_COMPARE)
		rc = beat_compare(o, b, &sc);
	else
		rc = beat_scenario(o, b, &sc);
	scenario_free(&sc);
	fflush(stdout);
	return rc;
}

int lesson_cli_main(const struct options *o)
{
	struct lesson l;
	char err[512], t[512];
	int rc = 0;

	if (quiz_load(o->scenario, &l, err, sizeof err) < 0) {
		fprintf(stderr, "conctui: %s\n", err);
		return 2;
	}
	printf("lesson %s: %s (%d beats)\n\n", safe(t, sizeof t, l.name),
	       safe(t + 256, sizeof t - 256, l.title), l.nbeats);
	for (int i = 0; i < l.nbeats && rc < 2; i++) {
		int r = play_beat(o, &l, i);
		rc = r > rc ? r : rc;
	}
	if (rc == 2)
		fprintf(stderr, "conctui: interrupted\n");
	lesson_free(&l);
	return rc ? 1 : 0;
}

/* ---- --list ------------------------------------------------------------------ */

void lesson_cli_list(void)
{
	const char *dir = lesson_dir();
	char *names[256];
	int n = datadir_list(dir, ".ini", names, 256);

	printf("\nLessons (name, beats, title)%s%s:\n", dir ? " in " : "", dir ? dir : "");
	if (n == 0)
		printf("  (none found)\n");
	for (int i = 0; i < n; i++) {
		char path[4096], err[512], name[256], title[512];
		struct lesson l;
		snprintf(path, sizeof path, "%s/%s.ini", dir, names[i]);
		safe(name, sizeof name, names[i]);
		if (lesson_load(path, &l, err, sizeof err) == 0) {
			printf("  %-16s %3d beats  %s\n", name, l.nbeats,
			       safe(title, sizeof title, l.title));
			lesson_free(&l);
		} else {
			printf("  %-16s (%s)\n", name, err);
		}
		free(names[i]);
	}
}
