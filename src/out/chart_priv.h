/*
 * chart_priv.h -- what chart.c (the axis and the task rows) and
 * chart_figures.c (the GIL and core rows, the legend and the figures)
 * share.  Not for other modules: they call chart_print.
 */
#ifndef CONCTUI_CHART_PRIV_H
#define CONCTUI_CHART_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "stats.h"
#include "trace.h"

#define CHART_MAX_CORES 1024 /* distinct core ids the chart keeps */
#define CHART_LETTERS 62     /* tasks with a letter of their own; the rest are '*' */

/* The line being built: it never holds more than the chart's width. */
struct chart_line {
	char *buf;  /* width * 4 bytes: UTF-8 needs at most 4 per column */
	size_t len; /* bytes */
	int cols;   /* columns used */
};

struct chart {
	const struct trace *tr;
	FILE *f;
	int width; /* no line is longer */
	bool ascii;
	int rows;		       /* task rows shown (max_rows at most) */
	int namew;		       /* columns of the name column */
	int barw;		       /* columns of the timeline */
	uint64_t span_ns;	       /* the time the timeline covers */
	bool name_symbols;	       /* tasks are drawn by their names' first letters */
	bool drawn[CHART_LETTERS + 1]; /* letters drawn so far ([CHART_LETTERS]: '*') */
	int cores[CHART_MAX_CORES];    /* core ids seen in running spans, sorted */
	int ncores;
	struct chart_line line;
	double (*acc)[STATE_COUNT]; /* per column: ns in each state */
};

/* The line writer (chart.c). */
void chart_add(struct chart *ch, const char *s);
void chart_addf(struct chart *ch, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void chart_pad(struct chart *ch, int col);
void chart_emit(struct chart *ch);
void chart_add_name(struct chart *ch, const char *name, int cols);
int chart_text_cols(const char *s);
/* Calls ADD for each column [T0, T1) overlaps, with the overlap in ns. */
void chart_spread(const struct chart *ch, uint64_t t0, uint64_t t1,
		  void (*add)(void *ud, int col, double ns), void *ud);

/* The rest (chart_figures.c). */
void chart_collect_cores(struct chart *ch);
void chart_pick_symbols(struct chart *ch);
void chart_task_suffix(const struct chart *ch, int lane, char *buf, size_t cap);
void chart_gil_row(struct chart *ch);
void chart_cores(struct chart *ch);
void chart_legend(struct chart *ch);
void chart_figures(struct chart *ch, const struct stats *st);
/* What the tasks printed (chart_log.c); the findings follow the chart (cli/batch.c). */
void chart_output(struct chart *ch);

#endif
