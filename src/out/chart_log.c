/*
 * chart_log.c -- the parts of the batch chart below the figures: what the
 * tasks printed (in time order, with the task that printed each) and what
 * the run's analysis found (a line per finding, with its time range and
 * tasks).  Text from the run goes through chart_add, which escapes it.
 */
#include <stdlib.h>
#include <string.h>

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

/* Adds TEXT on lines indented by INDENT, broken between words to fit the width. */
static void add_wrapped(struct chart *ch, const char *text, int indent)
{
	char word[TRACE_TEXT_MAX];

	chart_pad(ch, indent);
	while (*text) {
		size_t n = strcspn(text, " ");
		memcpy(word, text, n);
		word[n] = '\0';
		if (ch->line.cols > indent &&
		    ch->line.cols + 1 + chart_text_cols(word) > ch->width) {
			chart_emit(ch);
			chart_pad(ch, indent);
		}
		if (ch->line.cols > indent)
			chart_add(ch, " ");
		chart_add(ch, word);
		text += n;
		text += strspn(text, " ");
	}
	chart_emit(ch);
}

static void finding_line(struct chart *ch, const struct trace_finding *f)
{
	chart_addf(ch, "  %s, %.1f-%.1f ms", finding_kind_name(f->kind), (double)f->t0 / 1e6,
		   (double)f->t1 / 1e6);
	for (int k = 0; k < f->ntasks && k < TRACE_FINDING_TASKS; k++) {
		chart_add(ch, k == 0 ? ", " : " ");
		add_task(ch, f->tasks[k]);
	}
	chart_add(ch, ":");
	chart_emit(ch);
	add_wrapped(ch, f->text, 4);
}

void chart_findings(struct chart *ch)
{
	uint32_t n = trace_finding_count(ch->tr);
	struct trace_finding f;

	if (n == 0)
		return;
	chart_add(ch, "Findings:");
	chart_emit(ch);
	for (uint32_t i = 0; i < n; i++)
		if (trace_get_finding(ch->tr, i, &f))
			finding_line(ch, &f);
}
