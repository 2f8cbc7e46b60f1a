/*
 * observe_cli.c -- observing a real program from the command line.
 */
#include "observe_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "chart.h"
#include "chrome_trace.h"
#include "datadir.h"
#include "escape.h"
#include "record.h"
#include "run.h"

#define PROGRAM_EXT ".py"

bool observe_cli_program(const char *name, char *path, size_t len)
{
	char file[256];

	if (!name || !*name || strchr(name, '/') || strlen(name) > 200)
		return false;
	snprintf(file, sizeof file, "%s%s", name, PROGRAM_EXT);
	return datadir_find_file("programs", file, path, len) == 0;
}

/* Is PYTHON (a name on $PATH, or a path) an executable file? */
static bool have_python(const char *python)
{
	const char *env = getenv("PATH");
	char dirs[4096], path[4352];

	if (strchr(python, '/'))
		return access(python, X_OK) == 0;
	snprintf(dirs, sizeof dirs, "%s", env && *env ? env : "/usr/bin:/bin");
	for (char *save, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof path, "%s/%s", *d ? d : ".", python);
		if (access(path, X_OK) == 0)
			return true;
	}
	return false;
}

int observe_cli_opts(const struct options *o, struct observe_opts *oo, char **argv)
{
	static char path[4096];

	memset(oo, 0, sizeof *oo);
	oo->passthrough = o->passthrough && o->batch;
	if (o->command || o->attach) {
		oo->argv = o->command;
		oo->attach = o->attach;
		return 1;
	}
	if (!o->scenario || o->replay)
		return 0;
	char ignored[4096], err[512];
	/* A scenario of that name comes first: programs never shadow one. */
	if (scenario_resolve(o->scenario, ignored, sizeof ignored, err, sizeof err) == 0 ||
	    !observe_cli_program(o->scenario, path, sizeof path))
		return 0;
	/* CONCTUI_PYTHON: another interpreter, or the real one behind a wrapper script. */
	const char *python = getenv("CONCTUI_PYTHON");
	if (!python || !*python)
		python = "python3";
	if (!have_python(python)) {
		char q[ESCAPE_ECHO_SIZE], p[ESCAPE_ECHO_SIZE];
		fprintf(stderr,
			"conctui: %s is a Python program: it needs %s, which is not on PATH\n",
			escape_echo(q, o->scenario), escape_echo(p, python));
		return -1;
	}
	argv[0] = (char *)python;
	argv[1] = path;
	argv[2] = NULL;
	oo->argv = argv;
	return 1;
}

static void print_output(const struct trace *tr, FILE *f)
{
	uint32_t n = trace_output_count(tr);
	struct trace_output line;
	char buf[4 * TRACE_TEXT_MAX];

	if (n == 0)
		return;
	fprintf(f, "\nOutput (%u line%s):\n", n, n == 1 ? "" : "s");
	for (uint32_t i = 0; i < n; i++)
		if (trace_get_output(tr, i, &line))
			fprintf(f, "  %9.1f ms  %s\n", (double)line.t / 1e6,
				escape_text(buf, sizeof buf, line.text, -1, 0));
}

static void print_method(const struct trace *tr, FILE *f)
{
	const struct trace_meta *m = &tr->meta;

	if (strcmp(m->observer, "perf") == 0)
		fprintf(f, "\nObserved with perf events: every context switch, exactly.\n");
	else
		fprintf(f,
			"\nObserved by sampling /proc every %.2f ms: switches are placed within "
			"half a period (spans marked sampled).\n",
			m->observer_period_us / 1000);
	if (m->observer_unshown > 0)
		fprintf(f,
			"Up to %d threads alive at once were not shown: every one of the %d lanes "
			"was taken.\n",
			m->observer_unshown, tr->ntasks);
	if (m->exit_status != OBSERVE_EXIT_UNKNOWN)
		fprintf(f, "The program %s %d.\n",
			m->exit_status >= 0 ? "exited with status" : "was killed by signal",
			m->exit_status >= 0 ? m->exit_status : -m->exit_status);
}

/* Writes the record and the Chrome trace asked for; 0 or -1. */
static int write_outputs(const struct options *o, const struct trace *tr, FILE *json, FILE *chrome)
{
	int rc = 0;

	if (json)
		rc |= record_write(tr, json) | batch_close_output(json, o->json);
	if (chrome)
		rc |= chrome_trace_write(tr, chrome) | batch_close_output(chrome, o->trace);
	return rc ? -1 : 0;
}

int observe_cli_batch(const struct options *o, const struct observe_opts *oo)
{
	FILE *json = NULL, *chrome = NULL;
	int interrupted = 0, failed = 0;
	bool cannot_start = false;

	if (o->json && !(json = batch_open_output(o->json)))
		return 2;
	if (o->trace && !(chrome = batch_open_output(o->trace))) {
		batch_discard_output(json, o->json);
		return 2;
	}
	struct trace *tr = run_observe_to_end(oo, &interrupted, &failed, &cannot_start);
	if (!tr) {
		batch_discard_output(json, o->json);
		batch_discard_output(chrome, o->trace);
		return cannot_start ? 2 : 1;
	}
	/* The record owns stdout when it is written there. */
	bool quiet =
	    (o->json && strcmp(o->json, "-") == 0) || (o->trace && strcmp(o->trace, "-") == 0);
	if (!quiet) {
		struct chart_opts co = {.ascii = o->ascii};
		chart_print(tr, &co, stdout);
		print_method(tr, stdout);
		print_output(tr, stdout);
	}
	int rc = failed || interrupted ? 1 : 0;
	if (interrupted)
		fprintf(stderr, "conctui: interrupted: the program was stopped\n");
	if (write_outputs(o, tr, json, chrome) < 0)
		rc = 1;
	trace_destroy(tr);
	return rc;
}

/* The program's title: its first line that is a `# ` comment after the #! line. */
static void program_title(const char *path, char *title, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[256];

	snprintf(title, len, "%s", "");
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "# ", 2) == 0) {
			line[strcspn(line, "\n")] = '\0';
			escape_text(title, len, line + 2, -1, 0);
			break;
		}
	if (f)
		fclose(f);
}

void observe_cli_list(void)
{
	char dir[4096];
	char *names[256];
	int n = 0;

	printf("\nPrograms (name, what; run under python3 and observed):\n");
	if (datadir_find("programs", dir, sizeof dir) < 0) {
		printf("  (no programs directory found; set CONCTUI_DATADIR)\n");
		return;
	}
	n = datadir_list(dir, PROGRAM_EXT, names, 256);
	for (int i = 0; i < n; i++) {
		char path[4400], title[512], name[256];
		snprintf(path, sizeof path, "%s/%s%s", dir, names[i], PROGRAM_EXT);
		program_title(path, title, sizeof title);
		printf("  %-24s %s\n", escape_text(name, sizeof name, names[i], -1, 0), title);
		free(names[i]);
	}
}
