/*
 * compare.h -- --compare: one scenario on every executor that applies, one
 * after another, then seed 001's table (wall time, CPU time, speedup over
 * sequential, a bar) and a verdict in the seed's words chosen from the
 * numbers measured in that run.
 *
 * Measuring (compare_run) is separate from printing (compare_print,
 * compare_verdict), so that the TUI can show the same comparison.
 */
#ifndef CONCTUI_COMPARE_H
#define CONCTUI_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "executor.h"
#include "run.h"
#include "scenario.h"
#include "stats.h"
#include "trace.h"

#define COMPARE_MAX_ROWS 32
/* More tasks than this would need as many OS threads or processes. */
#define COMPARE_MAX_OS_UNITS 512
/* A run that would take longer than this one task at a time is skipped. */
#define COMPARE_MAX_SERIAL_S 120.0

/* One executor's line of the table. */
struct compare_row {
	char name[32];		   /* the executor */
	const struct executor *ex; /* its facts; NULL for a recorded backend not built in */
	enum model model;
	char skipped[128]; /* why it was not run; "" when it ran */
	struct trace *tr;  /* the run's trace (owned), NULL when skipped */
	struct stats st;   /* figures of tr */
};

struct compare_result {
	char scenario[64];
	char title[128];
	int ntasks;
	int cores;
	int nrows;
	struct compare_row rows[COMPARE_MAX_ROWS];
	bool interrupted; /* SIGINT/SIGTERM stopped the comparison */
	int failed;	  /* runs that ended with an error */
};

/*
 * Why EX should not run SC ("10000 tasks would need 10000 OS threads"),
 * written into BUF; NULL when it applies.
 */
const char *compare_skip_reason(const struct executor *ex, const struct scenario *sc, char *buf,
				size_t len);

/*
 * Runs SC (already scaled) on every registered executor in turn, with RO's
 * GIL, switch interval and workers (RO's backend is ignored), and fills RES.
 * PROGRESS, if not NULL, gets one line per executor as it goes.  Returns 0;
 * -1 when a signal stopped it (RES->interrupted; the rows run so far stay).
 * Free RES with compare_free either way.
 */
int compare_run(const struct scenario *sc, const struct run_opts *ro, struct compare_result *res,
		FILE *progress);

/* Builds RES from recorded traces (a compare file); takes ownership of them. */
void compare_from_traces(struct trace **trs, int n, struct compare_result *res);

void compare_free(struct compare_result *res);

/* The row of executor NAME (a name read from data), or NULL; skipped rows are returned too. */
const struct compare_row *compare_find(const struct compare_result *res, const char *name);
/* Sequential's wall time / ROW's, or 0 when either did not run. */
double compare_speedup(const struct compare_result *res, const struct compare_row *row);

/*
 * Writes the verdict (one sentence in seed 001's words, chosen from the measured
 * speedups and state totals) into BUF; returns BUF.  ASCII: "->" and "x".
 */
const char *compare_verdict(const struct compare_result *res, char *buf, size_t len, bool ascii);

/* A wall or CPU time as the table prints it: "8.4 ms", "812 ms", "2.31 s". */
void compare_duration(char *buf, size_t len, double ms);

#endif
