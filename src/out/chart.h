/*
 * chart.h -- the batch text chart: one row per task, one glyph per state
 * per column, a time axis in ms, the cores used, a legend and the figures.
 */
#ifndef CONCTUI_CHART_H
#define CONCTUI_CHART_H

#include <stdbool.h>
#include <stdio.h>

#include "trace.h"

struct chart_opts {
	int width;    /* total columns, 0 = 100 */
	bool ascii;   /* ASCII glyphs only */
	int max_rows; /* task rows shown before "... N more", 0 = 40 */
};

void chart_print(const struct trace *tr, const struct chart_opts *o, FILE *f);

#endif
