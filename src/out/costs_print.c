/*
 * costs_print.c -- the --costs table: start, switch and memory per unit
 * with bars, what each figure means, and what it means for C10K.
 */
#include "costs_print.h"

#include <jansson.h>
#include <string.h>

/* ---- printing ------------------------------------------------------------------- */

enum { COSTS_COL_UNIT = 12, COSTS_COL_VALUE = 8, COSTS_COL_BAR = 18 };

/* A figure's text: n/a when it could not be measured. */
static void costs_value(char *buf, size_t len, double v)
{
	if (v < 0)
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, v < 1 ? "%.3f" : v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
}

/*
 * A bar of V out of MAX in eighths of a block, so that small costs still
 * show; padded to its column unless it is the LAST on the line.
 */
static void costs_bar(FILE *f, double v, double max, bool ascii, bool last)
{
	static const char *const eighths[8] = {"",	 "\u258f", "\u258e", "\u258d",
					       "\u258c", "\u258b", "\u258a", "\u2589"};
	int n = v > 0 && max > 0 ? (int)(v / max * COSTS_COL_BAR * 8 + 0.5) : 0, cols;

	if (v > 0 && n < 1)
		n = 1;
	for (cols = 0; cols < n / 8; cols++)
		fputs(ascii ? "#" : "\u2588", f);
	if (n % 8) {
		fputs(ascii ? (n < 8 ? "." : "") : eighths[n % 8], f);
		cols += !ascii || n < 8;
	}
	if (!last)
		fprintf(f, "%*s", COSTS_COL_BAR - cols, "");
}

static double costs_figure(const struct costs_figures *fig, int column)
{
	return column == 0 ? fig->start_us : column == 1 ? fig->switch_us : fig->kib;
}

static void costs_table(const struct costs_result *res, FILE *f, bool ascii)
{
	double max[3] = {0, 0, 0};
	char v[32];

	for (int u = 0; u < COSTS_UNIT_COUNT; u++)
		for (int c = 0; c < 3; c++)
			if (costs_figure(&res->unit[u], c) > max[c])
				max[c] = costs_figure(&res->unit[u], c);
	/* printf pads bytes, and the micro sign takes two. */
	int head = COSTS_COL_VALUE + COSTS_COL_BAR + 1 + !ascii;
	fprintf(f, "%-*s  %-*s  %-*s  %s\n", COSTS_COL_UNIT, "unit", head,
		ascii ? "start+join (us)" : "start+join (\u00b5s)", head,
		ascii ? "switch (us)" : "switch (\u00b5s)", "memory per unit (KiB)");
	for (int u = 0; u < COSTS_UNIT_COUNT; u++) {
		fprintf(f, "%-*s", COSTS_COL_UNIT, costs_unit_name((enum costs_unit)u));
		for (int c = 0; c < 3; c++) {
			costs_value(v, sizeof v, costs_figure(&res->unit[u], c));
			fprintf(f, "  %*s ", COSTS_COL_VALUE, v);
			costs_bar(f, costs_figure(&res->unit[u], c), max[c], ascii, c == 2);
		}
		fputc('\n', f);
	}
}

/* Seed 002's C10K in measured megabytes, and seed 004's overhead row. */
static void costs_meaning(const struct costs_result *res, FILE *f, bool ascii)
{
	const struct costs_figures *t = &res->unit[COSTS_THREAD], *p = &res->unit[COSTS_PROCESS];
	const struct costs_figures *c = &res->unit[COSTS_COROUTINE];

	fprintf(f, "\nFor 10,000 connections (seed 002's C10K), one unit each:\n ");
	for (int u = 0; u < COSTS_UNIT_COUNT; u++) {
		double mib = res->unit[u].kib * 10000 / 1024;
		if (mib >= 0)
			fprintf(f, "%s %.*f MiB as %s%s", u ? "," : "", mib < 10 ? 1 : 0, mib,
				costs_unit_name((enum costs_unit)u),
				u == COSTS_PROCESS ? "es" : "s");
	}
	fprintf(f, ".\n");
	if (t->start_us > 0 && p->start_us > 0 && c->start_us > 0)
		fprintf(f,
			"Seed 004 rates the overhead of threads medium, async low, multiprocessing "
			"high;\n here a process took %.0f%s as long to start as a thread, and a "
			"thread %.0f%s as long as a coroutine.\n",
			p->start_us / t->start_us, ascii ? "x" : "\u00d7",
			t->start_us / c->start_us, ascii ? "x" : "\u00d7");
}

void costs_print(const struct costs_result *res, FILE *f, bool ascii)
{
	fprintf(f, "What each unit of concurrency costs on this machine (median of %d rounds)\n\n",
		res->rounds);
	costs_table(res, f, ascii);
	fprintf(f, "\n");
	for (int u = 0; u < COSTS_UNIT_COUNT; u++)
		fprintf(f, "  %-13s %s; memory with %d at once\n",
			costs_unit_name((enum costs_unit)u), costs_unit_how((enum costs_unit)u),
			res->unit[u].alive);
	fprintf(f, "  switch: threads and processes ping-pong over a pipe pair on one core; a "
		   "coroutine awaits\n  through the loop; a green thread calls swapcontext.  "
		   "memory: anonymous PSS + page tables.\n");
	costs_meaning(res, f, ascii);
}

/* A figure, or null when it could not be measured. */
static json_t *costs_json_number(double v)
{
	return v < 0 ? json_null() : json_real(v);
}

int costs_print_json(const struct costs_result *res, FILE *f)
{
	json_t *root = json_object(), *units = json_array();
	int rc;

	json_object_set_new(root, "conctui", json_integer(1));
	json_object_set_new(root, "rounds", json_integer(res->rounds));
	for (int u = 0; u < COSTS_UNIT_COUNT; u++) {
		const struct costs_figures *fig = &res->unit[u];
		json_t *o = json_object();
		json_object_set_new(o, "unit", json_string(costs_unit_name((enum costs_unit)u)));
		json_object_set_new(o, "how", json_string(costs_unit_how((enum costs_unit)u)));
		json_object_set_new(o, "start_us", costs_json_number(fig->start_us));
		json_object_set_new(o, "switch_us", costs_json_number(fig->switch_us));
		json_object_set_new(o, "kib", costs_json_number(fig->kib));
		json_object_set_new(o, "alive", json_integer(fig->alive));
		json_array_append_new(units, o);
	}
	json_object_set_new(root, "costs", units);
	rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(root);
	if (rc == 0)
		rc = fputc('\n', f) == EOF ? -1 : 0;
	return rc;
}
