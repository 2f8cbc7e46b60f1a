/*
 * options.h -- the command line (the contract in DESIGN.md), parsed with
 * getopt_long from one table that also writes --help.
 */
#ifndef CONCTUI_OPTIONS_H
#define CONCTUI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "run.h"

#define OPTIONS_MAX_SCALE 100.0

struct options {
	bool batch, compare, costs, list, help, version;
	bool lesson; /* --lesson: SCENARIO names the lesson (NULL: the built-in one) */
	bool worker; /* --worker: serve jobs from --broker */
	bool ascii;
	bool colour;	      /* false with --no-color or NO_COLOR */
	const char *json;     /* --json FILE or "-" */
	const char *trace;    /* --trace FILE */
	const char *replay;   /* --replay FILE */
	const char *scenario; /* the positional SCENARIO, or NULL */
	double scale;	      /* --scale, 1.0 */
	struct run_opts run;  /* --backend, --gil, --switch-interval, --workers */
	char **command;	      /* after "--": the command to observe (NULL-terminated), or NULL */
	bool dashdash;	      /* "--" was given */
	int attach;	      /* --attach PID, or 0 */
	bool passthrough;     /* --passthrough */
};

/* Parses ARGV into O; returns 0, or -1 with a one-line message in ERR. */
int options_parse(int argc, char **argv, struct options *o, char *err, size_t errlen);
/* Prints the usage text (every option, one line each). */
void options_usage(FILE *f);

#endif
