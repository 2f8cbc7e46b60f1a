/*
 * observe_cli.h -- observing a real program from the command line:
 * `-- COMMAND`, `--attach PID`, and the shipped Python programs
 * (assets/programs/NAME.py, run as `conctui NAME`).
 */
#ifndef CONCTUI_OBSERVE_CLI_H
#define CONCTUI_OBSERVE_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "observe.h"
#include "options.h"

/* The shipped program NAME's file in PATH; true when there is one. */
bool observe_cli_program(const char *name, char *path, size_t len);
/*
 * What O asks to observe, into OO (ARGV holds a program's command line);
 * 1 when it asks for an observed run, 0 when not, -1 after one line on
 * stderr (python3 missing: exit status 2).
 */
int observe_cli_opts(const struct options *o, struct observe_opts *oo, char **argv);
/* --batch of an observed program: the chart, its output, the record; exit status. */
int observe_cli_batch(const struct options *o, const struct observe_opts *oo);
/* --list's part: the shipped programs, under their own heading. */
void observe_cli_list(void);

#endif
