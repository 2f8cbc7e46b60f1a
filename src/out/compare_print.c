/*
 * compare_print.c -- the --compare table: one row per executor with its
 * wall time, CPU time, speedup and a bar, then the verdict, wrapped.
 */
#include "compare_print.h"

#include <string.h>

#include "escape.h"

#define COMPARE_WIDTH 100 /* columns of the table */

/* ---- the table ------------------------------------------------------------- */

/* Writes S in a cell of WIDTH columns, right-aligned when RIGHT. */
static void compare_cell(FILE *f, const char *s, int width, bool right)
{
	int pad = width - escape_cols(s, 0);

	if (right)
		fprintf(f, "%*s%s", pad > 0 ? pad : 0, "", s);
	else
		fprintf(f, "%s%*s", s, pad > 0 ? pad : 0, "");
}

/* The name, model, wall, CPU and speedup cells; the bar takes the rest. */
enum {
	COMPARE_COL_NAME = 14,
	COMPARE_COL_MODEL = 16,
	COMPARE_COL_TIME = 9,
	COMPARE_COL_SPEEDUP = 8,
	COMPARE_COL_BAR = COMPARE_WIDTH - 14 - 16 - 9 - 9 - 8 - 6
};

static void compare_row_print(const struct compare_result *res, const struct compare_row *row,
			      double max_wall, FILE *f, bool ascii)
{
	char wall[32], cpu[32], speed[32];
	double s = compare_speedup(res, row);

	compare_cell(f, row->name, COMPARE_COL_NAME, false);
	fputc(' ', f);
	compare_cell(f, model_name(row->model), COMPARE_COL_MODEL, false);
	if (!row->tr) {
		fprintf(f, " %s\n", row->skipped);
		return;
	}
	compare_duration(wall, sizeof wall, row->st.wall_ms);
	compare_duration(cpu, sizeof cpu, row->st.cpu_ms);
	if (s > 0)
		snprintf(speed, sizeof speed, "%.1f%s", s, ascii ? "x" : "\u00d7");
	else
		snprintf(speed, sizeof speed, "%s", ascii ? "-" : "\u2014");
	fputc(' ', f);
	compare_cell(f, wall, COMPARE_COL_TIME, true);
	fputc(' ', f);
	compare_cell(f, cpu, COMPARE_COL_TIME, true);
	fputc(' ', f);
	compare_cell(f, speed, COMPARE_COL_SPEEDUP, true);
	fputs("  ", f);
	int n = max_wall > 0 ? (int)(row->st.wall_ms / max_wall * COMPARE_COL_BAR + 0.5) : 0;
	if (n < 1 && row->st.wall_ms > 0)
		n = 1;
	for (int i = 0; i < n; i++)
		fputs(ascii ? "#" : "\u2588", f);
	fputc('\n', f);
}

/* Prints TEXT in lines of at most COMPARE_WIDTH columns, broken between words. */
static void compare_wrap(FILE *f, const char *text)
{
	int col = 0;

	while (*text) {
		size_t n = strcspn(text, " ");
		char word[256];
		escape_textn(word, sizeof word, text, n, -1, 0);
		int w = escape_cols(word, 0);
		if (col > 0 && col + 1 + w > COMPARE_WIDTH) {
			fputc('\n', f);
			col = 0;
		} else if (col > 0) {
			fputc(' ', f);
			col++;
		}
		fputs(word, f);
		col += w;
		text += n + strspn(text + n, " ");
	}
	fputc('\n', f);
}

void compare_print(const struct compare_result *res, FILE *f, bool ascii)
{
	double max_wall = 0;
	char verdict[512], name[1024], title[1024];

	for (int i = 0; i < res->nrows; i++)
		if (res->rows[i].tr && res->rows[i].st.wall_ms > max_wall)
			max_wall = res->rows[i].st.wall_ms;
	/* The scenario's name and title are text from its file. */
	fprintf(f, "%s %s %s (%d task%s, %d core%s)\n\n",
		escape_text(name, sizeof name, res->scenario, -1, 0), ascii ? "-" : "\u2014",
		escape_text(title, sizeof title, res->title, -1, 0), res->ntasks,
		res->ntasks == 1 ? "" : "s", res->cores, res->cores == 1 ? "" : "s");
	fprintf(f, "%-*s %-*s %*s %*s %*s  %s\n", COMPARE_COL_NAME, "executor", COMPARE_COL_MODEL,
		"model", COMPARE_COL_TIME, "wall", COMPARE_COL_TIME, "CPU", COMPARE_COL_SPEEDUP,
		"speedup", "wall time");
	for (int i = 0; i < res->nrows; i++)
		compare_row_print(res, &res->rows[i], max_wall, f, ascii);
	fputc('\n', f);
	compare_wrap(f, compare_verdict(res, verdict, sizeof verdict, ascii));
}
