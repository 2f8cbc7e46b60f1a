/*
 * batch.c -- run a scenario without the TUI and print what happened.
 */
#include "batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "chart.h"
#include "chrome_trace.h"
#include "compare.h"
#include "compare_print.h"
#include "datadir.h"
#include "escape.h"
#include "executor.h"
#include "lesson_cli.h"
#include "observe_cli.h"
#include "picks.h"
#include "record.h"
#include "run.h"
#include "trace.h"

/* ---- loading ------------------------------------------------------------ */

int batch_load_scenario(const char *name, double scale, struct scenario *sc)
{
	char path[4096], err[512];

	if (scenario_resolve(name, path, sizeof path, err, sizeof err) < 0 ||
	    run_load_scenario(path, sc, err, sizeof err) < 0) {
		fprintf(stderr, "conctui: %s\n", err);
		return -1;
	}
	if (scale != 1.0)
		scenario_scale(sc, scale);
	return 0;
}

/* ---- outputs -------------------------------------------------------------- */

FILE *batch_open_output(const char *path)
{
	FILE *f;

	if (strcmp(path, "-") == 0)
		return stdout;
	f = fopen(path, "w");
	if (!f) {
		char file[512];

		fprintf(stderr, "conctui: cannot write %s: %s\n",
			escape_text(file, sizeof file, path, -1, 0), strerror(errno));
	}
	return f;
}

int batch_close_output(FILE *f, const char *path)
{
	int bad = ferror(f);

	if (f == stdout)
		return fflush(f) == 0 && !bad ? 0 : -1;
	if (fclose(f) != 0 || bad) {
		char file[512];

		fprintf(stderr, "conctui: cannot write %s\n",
			escape_text(file, sizeof file, path, -1, 0));
		return -1;
	}
	return 0;
}

void batch_discard_output(FILE *f, const char *path)
{
	if (f && f != stdout) {
		fclose(f);
		unlink(path);
	}
}

struct outputs {
	FILE *json, *chrome;
};

static int outputs_open(const struct options *o, struct outputs *out)
{
	memset(out, 0, sizeof *out);
	if (o->json && !(out->json = batch_open_output(o->json)))
		return -1;
	if (o->trace && !(out->chrome = batch_open_output(o->trace))) {
		batch_discard_output(out->json, o->json);
		return -1;
	}
	return 0;
}

/* Abandons the outputs of a run that did not happen: nothing is left. */
static void outputs_discard(const struct options *o, struct outputs *out)
{
	batch_discard_output(out->json, o->json);
	batch_discard_output(out->chrome, o->trace);
}

/* Writes TRS[0..N): one record, or a compare file when N > 1. */
static int outputs_write(const struct options *o, struct outputs *out, struct trace *const *trs,
			 int n)
{
	const struct trace *tr = trs[0];
	int rc = 0;

	if (out->json) {
		rc |= n > 1 ? record_write_compare(trs, n, out->json) : record_write(tr, out->json);
		rc |= batch_close_output(out->json, o->json);
	}
	if (out->chrome) {
		rc |= chrome_trace_write(tr, out->chrome);
		rc |= batch_close_output(out->chrome, o->trace);
	}
	return rc ? -1 : 0;
}

/* "kind: sentence (t0-t1 ms; tasks)": a finding on one line, its text escaped. */
static void print_finding(const struct trace *tr, const struct trace_finding *fd, FILE *f)
{
	char safe[4 * TRACE_TEXT_MAX];

	fprintf(f, "%s: %s (%.1f-%.1f ms", finding_kind_name(fd->kind),
		escape_text(safe, sizeof safe, fd->text, -1, 0), (double)fd->t0 / 1e6,
		(double)fd->t1 / 1e6);
	for (int k = 0; k < fd->ntasks && k < TRACE_FINDING_TASKS; k++)
		if (fd->tasks[k] >= 0 && fd->tasks[k] < tr->ntasks)
			fprintf(
			    f, "%s%s", k ? " " : "; ",
			    escape_text(safe, sizeof safe, trace_name(tr, fd->tasks[k]), -1, 0));
	fprintf(f, ")\n");
}

/* The scheduling choices made (--picks) and what the run found, one line each. */
static void print_sched(const struct trace *tr, FILE *f)
{
	uint32_t n = trace_finding_count(tr);
	char safe[4 * TRACE_TEXT_MAX];
	struct trace_finding fd;

	if (tr->meta.npicks > 0) {
		fprintf(f, "picks:");
		for (int i = 0; i < tr->meta.npicks; i++)
			fprintf(f, "%s%s", i ? "," : " ",
				escape_text(safe, sizeof safe, trace_name(tr, tr->meta.picks[i]),
					    -1, 0));
		fprintf(f, "\n");
	}
	if (n > 0)
		fprintf(f, "Findings:\n");
	for (uint32_t i = 0; i < n; i++)
		if (trace_get_finding(tr, i, &fd))
			print_finding(tr, &fd, f);
}

static void print_chart(const struct options *o, const struct trace *tr)
{
	struct chart_opts co = {.ascii = o->ascii};
	/* The record owns stdout when it is written there. */
	FILE *f = o->json && strcmp(o->json, "-") == 0 ? NULL : stdout;

	if (o->trace && strcmp(o->trace, "-") == 0)
		f = NULL;
	if (f) {
		chart_print(tr, &co, f);
		print_sched(tr, f);
	}
}

/* ---- the modes ------------------------------------------------------------- */

static int batch_replay(const struct options *o)
{
	struct trace **trs = NULL;
	struct outputs out;
	char err[512];
	int n = record_read(o->replay, &trs, err, sizeof err);

	if (n < 0) {
		fprintf(stderr, "conctui: %s\n", err);
		return 2;
	}
	int rc = outputs_open(o, &out) < 0 ? 2 : 0;
	if (rc == 0 && n == 1)
		print_chart(o, trs[0]);
	if (rc == 0 && outputs_write(o, &out, trs, n) < 0)
		rc = 1;
	if (rc == 0 && n > 1) {
		/* A compare file: the table and the verdict, as --compare printed them. */
		struct compare_result res;
		compare_from_traces(trs, n, &res);
		if (!(o->json && strcmp(o->json, "-") == 0))
			compare_print(&res, stdout, o->ascii);
		compare_free(&res);
	} else {
		for (int i = 0; i < n; i++)
			trace_destroy(trs[i]);
	}
	free(trs);
	return rc;
}

int batch_main(const struct options *o)
{
	struct scenario sc;
	struct outputs out;
	int interrupted = 0;

	if (o->replay)
		return batch_replay(o);
	if (batch_load_scenario(o->scenario, o->scale, &sc) < 0)
		return 2;
	if (!run_pick_executor(&sc, &o->run)) {
		char q[ESCAPE_ECHO_SIZE];

		fprintf(stderr, "conctui: unknown executor \"%s\" (conctui --list shows them)\n",
			escape_echo(q, o->run.backend ? o->run.backend : sc.backend));
		scenario_free(&sc);
		return 2;
	}
	if (o->run.picks) {
		struct picks pk;
		char err[256];
		if (picks_parse(&pk, &sc, o->run.picks, err, sizeof err) < 0) {
			fprintf(stderr, "conctui: %s\n", err);
			scenario_free(&sc);
			return 2;
		}
	}
	if (outputs_open(o, &out) < 0) {
		scenario_free(&sc);
		return 2;
	}
	int failed = 0;
	struct trace *tr = run_to_end(&sc, &o->run, &interrupted, &failed);
	/* A task that failed fails the run; its chart and record still show how. */
	int rc = failed ? 1 : 0;
	if (!tr || interrupted) {
		if (interrupted)
			fprintf(stderr, "conctui: interrupted\n");
		outputs_discard(o, &out);
		rc = 1;
	} else {
		print_chart(o, tr);
		if (outputs_write(o, &out, &tr, 1) < 0)
			rc = 1;
	}
	trace_destroy(tr);
	scenario_free(&sc);
	return rc;
}

/* ---- --list ---------------------------------------------------------------- */

/*
 * The scenario files of DIR, by name: those with a goal (CHALLENGES) or
 * the others, one line each.
 */
static void list_scenarios(const char *dir, bool challenges)
{
	char *names[256];
	int n = datadir_list(dir, ".ini", names, 256);

	for (int i = 0; i < n; i++) {
		char path[4096], err[512];
		struct scenario sc;
		snprintf(path, sizeof path, "%s/%s.ini", dir, names[i]);
		char name[256], backend[256], title[1024], goal[64];
		escape_text(name, sizeof name, names[i], -1, 0);
		if (run_load_scenario(path, &sc, err, sizeof err) == 0) {
			goal_format(&sc.goal, goal, sizeof goal);
			if ((sc.goal.kind != GOAL_NONE) == challenges)
				printf(challenges ? "  %-16s %-14s %s (goal: %s)\n"
						  : "  %-16s %-14s %s\n",
				       name,
				       escape_text(backend, sizeof backend, sc.backend, -1, 0),
				       escape_text(title, sizeof title, sc.title, -1, 0), goal);
			scenario_free(&sc);
		} else if (!challenges) {
			printf("  %-16s (%s)\n", name, err);
		}
		free(names[i]);
	}
}

int batch_list(void)
{
	const char *dir = scenario_dir();

	printf("Scenarios (name, default executor, title)%s%s:\n", dir ? " in " : "",
	       dir ? dir : "");
	if (dir)
		list_scenarios(dir, false);
	else
		printf("  (no scenario directory found; set CONCTUI_DATADIR)\n");
	if (dir) {
		printf("\nChallenges (name, executor, title, goal; play them with --picks):\n");
		list_scenarios(dir, true);
	}
	observe_cli_list();
	/* Executors stay last: scripts read them to the end of the list. */
	lesson_cli_list();
	printf("\nExecutors (name, model, how):\n");
	for (int i = 0; i < executor_count(); i++) {
		const struct executor *ex = executor_at(i);
		printf("  %-14s %-16s %s\n", ex->name, model_name(ex->model), ex->summary);
	}
	return 0;
}
