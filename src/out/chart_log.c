/*
 * chart_log.c -- the part of the batch chart below the figures: what the
 * tasks printed, in time order, with the task that printed each.  Text
 * from the run goes through chart_add, which escapes it.
 */
#include <stdlib.h>

#include "chart_priv.h"

/* Columns of a task name in these sections; longer names are cut. */
#define CHART_LOG_NAMEW 12

static void add_task(struct chart *ch, int lane)
{
	const char *name = lane >= 0 && lane < ch->tr->ntasks ? trace_name(ch->tr, lane) : "?";

	chart_add_name(ch, name, CHART_LOG_NAMEW);
}

void chart_output(struct chart *ch)
{
	struct trace_output *lines;
	uint32_t n = trace_output_count(ch->tr);

	if (n == 0 || !(lines = malloc(n * sizeof *lines)))
		return;
	n = trace_output_in_order(ch->tr, lines, n);
	chart_addf(ch, "Output (%u line%s, in the order printed):", n, n == 1 ? "" : "s");
	chart_emit(ch);
	for (uint32_t i = 0; i < n; i++) {
		chart_addf(ch, "%10.1f ms  ", (double)lines[i].t / 1e6);
		int col = ch->line.cols;
		add_task(ch, lines[i].task);
		chart_pad(ch, col + CHART_LOG_NAMEW + 1);
		chart_add(ch, lines[i].text);
		chart_emit(ch);
	}
	if (trace_output_dropped(ch->tr))
		chart_addf(ch, "(%llu more lines did not fit)",
			   (unsigned long long)trace_output_dropped(ch->tr));
	if (trace_output_dropped(ch->tr))
		chart_emit(ch);
	free(lines);
}
