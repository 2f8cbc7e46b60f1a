/*
 * batch.h -- the non-interactive modes: --batch, --replay with --batch,
 * --list; runs wait on a libuv loop that turns SIGINT/SIGTERM into a
 * prompt, clean stop of the run.
 */
#ifndef CONCTUI_BATCH_H
#define CONCTUI_BATCH_H

#include <stdio.h>

#include "options.h"
#include "scenario.h"

/* Each returns the process exit status (0, 1 or 2). */
int batch_main(const struct options *o);
int batch_list(void);

/*
 * Loads the scenario NAME scaled by SCALE into SC; on error prints the
 * message to stderr and returns -1 (the caller exits with status 2).
 */
int batch_load_scenario(const char *name, double scale, struct scenario *sc);

/*
 * Runs SC to its end while SIGINT/SIGTERM interrupt it.  Returns the trace
 * (the caller destroys it), or NULL after printing why; *INTERRUPTED is set
 * when a signal stopped it, *FAILED (after one line on stderr saying what
 * happened) when a task ended `failed`.
 */
struct trace *batch_run(const struct scenario *sc, const struct run_opts *ro, int *interrupted,
			int *failed);

/*
 * Output files are opened before a run, so that a bad path fails at once
 * with nothing run.  batch_open_output: PATH for writing ("-" is stdout),
 * or NULL after printing why.  batch_close_output: flushes and closes,
 * 0 or -1 after printing why.  batch_discard_output: closes and removes a
 * file whose run did not happen, so that nothing is left.
 */
FILE *batch_open_output(const char *path);
int batch_close_output(FILE *f, const char *path);
void batch_discard_output(FILE *f, const char *path);

#endif
