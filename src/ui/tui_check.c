/*
 * tui_check.c -- everything that can be wrong with the command line of the
 * interactive program, said in one plain line before the screen is taken:
 * an unknown executor, an output that cannot be written, a scenario, a
 * record or a lesson that does not read, no terminal or one that cannot
 * draw.
 */
#include "tui_check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "executor.h"
#include "quiz.h"
#include "record.h"
#include "scenario.h"
#include "tui_term.h"

/*
 * --json and --trace are written when runs end, so their paths are checked
 * now, without creating anything: stdout is the screen, and a file must be
 * one that can be written in a directory that exists.
 */
static int check_outputs(const struct tui_opts *o)
{
	const char *paths[2] = {o->json, o->trace}, *names[2] = {"--json", "--trace"};

	for (int i = 0; i < 2; i++) {
		const char *p = paths[i];
		if (!p)
			continue;
		if (strcmp(p, "-") == 0) {
			fprintf(stderr,
				"conctui: %s -: the TUI draws on stdout (give a FILE, or use "
				"--batch)\n",
				names[i]);
			return -1;
		}
		char dir[4096];
		const char *slash = strrchr(p, '/');
		snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - p) + 1 : 1,
			 slash ? p : ".");
		if (access(p, F_OK) == 0 ? access(p, W_OK) != 0 : access(dir, W_OK) != 0) {
			char q[ESCAPE_ECHO_SIZE];
			fprintf(stderr, "conctui: cannot write %s: %s\n", escape_echo(q, p),
				strerror(errno));
			return -1;
		}
	}
	return 0;
}

int tui_check_input(const struct tui_opts *o)
{
	char err[512], path[4096];
	struct scenario sc;
	struct trace **trs;

	if (o->run.backend && !executor_find(o->run.backend)) {
		char q[ESCAPE_ECHO_SIZE];

		fprintf(stderr, "conctui: unknown executor \"%s\" (conctui --list shows them)\n",
			escape_echo(q, o->run.backend));
		return 2;
	}
	if (check_outputs(o) < 0)
		return 2;
	if (o->lesson) {
		struct lesson l;
		if (quiz_load(o->lesson_name, &l, err, sizeof err) < 0) {
			fprintf(stderr, "conctui: %s\n", err);
			return 2;
		}
		lesson_free(&l);
	} else if (o->replay) {
		int n = record_read(o->replay, &trs, err, sizeof err);
		if (n < 0) {
			fprintf(stderr, "conctui: %s\n", err);
			return 2;
		}
		for (int i = 0; i < n; i++)
			trace_destroy(trs[i]);
		free(trs);
		return 0;
	} else {
		const char *name = o->scenario ? o->scenario : "overview";
		if (scenario_resolve(name, path, sizeof path, err, sizeof err) < 0 ||
		    run_load_scenario(path, &sc, err, sizeof err) < 0) {
			fprintf(stderr, "conctui: %s\n", err);
			return 2;
		}
		scenario_free(&sc);
	}
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		fprintf(stderr, "conctui: the interactive view needs a terminal (try --batch)\n");
		return 2;
	}
	if (!tui_term_can_draw()) {
		const char *term = getenv("TERM");
		fprintf(stderr,
			"conctui: this terminal (TERM=%s) cannot move the cursor (try --batch)\n",
			term && *term ? term : "unset");
		return 2;
	}
	return 0;
}
