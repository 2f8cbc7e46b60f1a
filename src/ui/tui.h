/*
 * tui.h -- the interactive program (the terminal itself is tui_term.h).
 */
#ifndef CONCTUI_TUI_H
#define CONCTUI_TUI_H

#include <stdbool.h>

#include "run.h"

struct tui_opts {
	const char *scenario;	 /* built-in name or path; NULL: the overview */
	const char *replay;	 /* a --json record to show instead of running; or NULL */
	const char *json;	 /* --json FILE: each run written as it ends; or NULL */
	const char *trace;	 /* --trace FILE: the same as a Chrome trace; or NULL */
	struct run_opts run;	 /* backend, gil, switch interval, workers (run.h) */
	double scale;		 /* --scale, 1.0 default: multiply durations */
	bool ascii;		 /* --ascii: ASCII only */
	bool colour;		 /* false for --no-color or NO_COLOR */
	bool lesson;		 /* --lesson: play a lesson, beat by beat */
	const char *lesson_name; /* ... this one (a name or a path); NULL: the built-in one */
	const struct observe_opts *observe; /* a real program to observe live, or NULL */
};

/* Runs the interactive program until q; returns the exit status (0, 1 or 2). */
int tui_main(const struct tui_opts *o);

#endif
