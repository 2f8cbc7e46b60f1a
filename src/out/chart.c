/*
 * chart.c -- the batch text chart (--batch): a header, a time axis in ms,
 * one row per task with one glyph per column, a GIL row, a row per core
 * showing which task ran there, a legend and the figures.
 *
 * A column stands for an equal slice of the run and shows the state that
 * filled most of that slice; a slice before a task starts or after it ends
 * is blank.  Every line goes through one writer that stops at the width,
 * so no line is ever longer than asked for, whatever the names hold.
 */
#include "chart.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "chart_priv.h"
#include "escape.h"
#include "stats.h"

#define CHART_DEFAULT_WIDTH 100
#define CHART_DEFAULT_ROWS 40
#define CHART_MAX_NAME 16 /* columns a task name may take */
#define CHART_MAX_SUFFIX 24
#define CHART_MIN_TICK_GAP 8 /* columns between axis ticks, at least */

/* ---- the line writer ---------------------------------------------------- */

/*
 * Appends S until the line is full.  Text is rendered by escape.c, so a
 * control character or a bad byte from a file shows as its escape (\x1b),
 * whole or not at all.  A line holds at most four bytes per column used,
 * so a run of zero-width marks cannot overflow it either.
 */
void chart_add(struct chart *ch, const char *s)
{
	struct chart_line *l = &ch->line;
	size_t left = strlen(s);

	while (left > 0 && l->cols < ch->width) {
		char piece[ESCAPE_CHAR_MAX];
		size_t len;
		int cols;
		size_t used = escape_char(s, left, 0, piece, &len, &cols);

		if (l->cols + cols > ch->width || l->len + len > (size_t)(l->cols + cols) * 4)
			break;
		memcpy(l->buf + l->len, piece, len);
		l->len += len;
		l->cols += cols;
		s += used;
		left -= used;
	}
}

void chart_addf(struct chart *ch, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	chart_add(ch, buf);
}

/* Pads with spaces up to column COL. */
void chart_pad(struct chart *ch, int col)
{
	while (ch->line.cols < col && ch->line.cols < ch->width) {
		ch->line.buf[ch->line.len++] = ' ';
		ch->line.cols++;
	}
}

/* Writes the line without trailing blanks and starts a new one. */
void chart_emit(struct chart *ch)
{
	struct chart_line *l = &ch->line;

	while (l->len > 0 && l->buf[l->len - 1] == ' ')
		l->len--;
	fwrite(l->buf, 1, l->len, ch->f);
	fputc('\n', ch->f);
	l->len = 0;
	l->cols = 0;
}

/* Adds a name, cleaned of bytes that are not UTF-8, in at most COLS columns. */
void chart_add_name(struct chart *ch, const char *name, int cols)
{
	int limit = ch->line.cols + cols;
	int width = ch->width;

	ch->width = limit < width ? limit : width;
	chart_add(ch, name);
	ch->width = width;
}

int chart_text_cols(const char *s)
{
	return escape_cols(s, 0);
}

/* ---- columns and time --------------------------------------------------- */

/* The start of column C in ns. */
static double col_start(const struct chart *ch, int c)
{
	return (double)ch->span_ns * c / ch->barw;
}

static int col_of(const struct chart *ch, uint64_t t)
{
	int c = (int)((double)t * ch->barw / (double)ch->span_ns);

	return c < 0 ? 0 : c >= ch->barw ? ch->barw - 1 : c;
}

void chart_spread(const struct chart *ch, uint64_t t0, uint64_t t1,
		  void (*add)(void *ud, int col, double ns), void *ud)
{
	if (t1 <= t0)
		return;
	for (int c = col_of(ch, t0), last = col_of(ch, t1); c <= last; c++) {
		double a = fmax((double)t0, col_start(ch, c));
		double b = fmin((double)t1, c + 1 == ch->barw ? (double)t1 : col_start(ch, c + 1));
		if (b > a)
			add(ud, c, b - a);
	}
}

static uint64_t span_end(const struct span *sp)
{
	return sp->t1 == TRACE_OPEN ? sp->t0 : sp->t1;
}

/* ---- task rows ------------------------------------------------------------ */

struct state_acc {
	double (*ns)[STATE_COUNT]; /* per column */
	enum state st;
};

static void add_state(void *ud, int col, double ns)
{
	struct state_acc *a = ud;

	a->ns[col][a->st] += ns;
}

/* The glyph of state S in the chart's alphabet. */
static const char *glyph(const struct chart *ch, enum state s, char buf[2])
{
	if (!ch->ascii)
		return state_glyph(s);
	buf[0] = state_ascii(s);
	buf[1] = '\0';
	return buf;
}

static void task_cells(struct chart *ch, int lane)
{
	struct state_acc a = {ch->acc, STATE_RUNNING};
	uint32_t n = trace_count(ch->tr, lane);
	struct span sp;
	char buf[2];

	memset(ch->acc, 0, (size_t)ch->barw * sizeof *ch->acc);
	for (uint32_t i = 0; i < n; i++) {
		trace_get(ch->tr, lane, i, &sp);
		if ((unsigned)sp.state >= STATE_COUNT)
			continue;
		a.st = sp.state;
		chart_spread(ch, sp.t0, span_end(&sp), add_state, &a);
	}
	for (int c = 0; c < ch->barw; c++) {
		int best = -1;
		for (int s = 0; s < STATE_COUNT; s++)
			if (ch->acc[c][s] > 0 && (best < 0 || ch->acc[c][s] > ch->acc[c][best]))
				best = s;
		chart_add(ch, best < 0 ? " " : glyph(ch, (enum state)best, buf));
	}
}

static void task_row(struct chart *ch, int lane)
{
	char suffix[128];

	chart_add_name(ch, trace_name(ch->tr, lane), ch->namew);
	chart_pad(ch, ch->namew + 1);
	task_cells(ch, lane);
	chart_task_suffix(ch, lane, suffix, sizeof suffix);
	if (*suffix) {
		chart_pad(ch, ch->namew + 1 + ch->barw + 1);
		chart_add(ch, suffix);
	}
	chart_emit(ch);
}

/* ---- the header and the axis ------------------------------------------- */

static void header(struct chart *ch)
{
	const struct trace_meta *m = &ch->tr->meta;

	chart_add(ch, *m->scenario ? m->scenario : "a run");
	if (*m->title) {
		chart_add(ch, ch->ascii ? " - " : " \u2014 ");
		chart_add(ch, m->title);
	}
	chart_add(ch, "; ");
	if (*m->backend) {
		chart_add(ch, m->backend);
		chart_add(ch, " ");
	}
	chart_addf(ch, "(%s)", model_name(m->model));
	if (m->cores > 0)
		chart_addf(ch, "; %d core%s", m->cores, m->cores == 1 ? "" : "s");
	chart_emit(ch);
}

/* The tick step in ms: 1, 2 or 5 times a power of ten, ticks not too close. */
static double tick_step(const struct chart *ch, int *decimals)
{
	double total = (double)ch->span_ns / 1e6;

	for (int e = -3; e < 13; e++) {
		static const double mult[] = {1, 2, 5};
		for (int i = 0; i < 3; i++) {
			double step = mult[i] * pow(10, e);
			char label[32];
			*decimals = e < 0 ? -e : 0;
			int w = snprintf(label, sizeof label, "%.*f", *decimals, total);
			if (step / total * ch->barw >=
			    (w + 2 > CHART_MIN_TICK_GAP ? w + 2 : CHART_MIN_TICK_GAP))
				return step;
		}
	}
	return 0;
}

static void axis(struct chart *ch)
{
	int decimals = 0, left = ch->namew + 1;
	double total = (double)ch->span_ns / 1e6, step = tick_step(ch, &decimals);
	char label[32], *ticks = calloc((size_t)ch->barw, 1);

	if (!ticks)
		return;
	/* Labels at the ticks, each where it fits without touching the last. */
	chart_pad(ch, left);
	for (int k = 0; step > 0 && k * step <= total + step * 1e-9; k++) {
		int c = col_of(ch, (uint64_t)llround(k * step * 1e6));
		int w = snprintf(label, sizeof label, "%.*f", decimals, k * step);
		ticks[c] = 1;
		if (left + c >= ch->line.cols + (k ? 1 : 0) && c + w <= ch->barw) {
			chart_pad(ch, left + c);
			chart_add(ch, label);
		}
	}
	chart_pad(ch, left + ch->barw + 1);
	chart_addf(ch, "%.1f ms", total);
	chart_emit(ch);
	chart_pad(ch, left);
	for (int c = 0; c < ch->barw; c++) {
		if (ticks[c])
			chart_add(ch, ch->ascii ? "+" : "\u252c");
		else if (c == ch->barw - 1)
			chart_add(ch, ch->ascii ? "|" : "\u2524");
		else
			chart_add(ch, ch->ascii ? "-" : "\u2500");
	}
	chart_emit(ch);
	free(ticks);
}

/* ---- layout ------------------------------------------------------------- */

static void layout(struct chart *ch)
{
	char suffix[128];
	int namew = 3, sufw = 0;

	for (int lane = 0; lane < ch->rows; lane++) {
		int w = chart_text_cols(trace_name(ch->tr, lane));
		chart_task_suffix(ch, lane, suffix, sizeof suffix);
		namew = w > namew ? w : namew;
		sufw = chart_text_cols(suffix) > sufw ? chart_text_cols(suffix) : sufw;
	}
	namew = namew > CHART_MAX_NAME ? CHART_MAX_NAME : namew;
	/* The core rows are named "cpu 12". */
	if (ch->ncores > 0) {
		int w = snprintf(suffix, sizeof suffix, "cpu %d", ch->cores[ch->ncores - 1]);
		namew = w > namew ? w : namew;
	}
	/* The end of the axis is written after it: "901.2 ms". */
	int endw = snprintf(suffix, sizeof suffix, "%.1f ms", (double)ch->span_ns / 1e6);
	sufw = endw > sufw ? endw : sufw;
	sufw = sufw > CHART_MAX_SUFFIX ? CHART_MAX_SUFFIX : sufw;
	if (namew > ch->width / 4)
		namew = ch->width / 4 > 1 ? ch->width / 4 : 1;
	if (sufw > ch->width / 4)
		sufw = ch->width / 4;
	ch->namew = namew;
	ch->barw = ch->width - namew - 1 - (sufw ? sufw + 1 : 0);
	if (ch->barw < 1)
		ch->barw = 1;
}

/* ---- the whole chart ---------------------------------------------------- */

static int setup(struct chart *ch, const struct trace *tr, const struct chart_opts *o, FILE *f)
{
	memset(ch, 0, sizeof *ch);
	ch->tr = tr;
	ch->f = f;
	ch->width = o && o->width > 0 ? o->width : CHART_DEFAULT_WIDTH;
	ch->ascii = o && o->ascii;
	int max_rows = o && o->max_rows > 0 ? o->max_rows : CHART_DEFAULT_ROWS;
	ch->rows = tr->ntasks < max_rows ? tr->ntasks : max_rows;
	ch->span_ns = trace_extent(tr, 0);
	if (tr->meta.wall_ns > ch->span_ns)
		ch->span_ns = tr->meta.wall_ns;
	if (ch->span_ns == 0)
		ch->span_ns = 1000000; /* nothing happened: show one empty ms */
	chart_collect_cores(ch);
	chart_pick_symbols(ch);
	layout(ch);
	/* Four bytes per column is the most UTF-8 needs. */
	ch->line.buf = malloc((size_t)ch->width * 4 + 8);
	ch->acc = calloc((size_t)ch->barw, sizeof *ch->acc);
	return ch->line.buf && ch->acc ? 0 : -1;
}

void chart_print(const struct trace *tr, const struct chart_opts *o, FILE *f)
{
	struct chart ch;
	struct stats st;

	if (setup(&ch, tr, o, f) == 0) {
		stats_compute(tr, &st);
		header(&ch);
		axis(&ch);
		for (int lane = 0; lane < ch.rows; lane++)
			task_row(&ch, lane);
		if (tr->ntasks > ch.rows) {
			chart_addf(&ch, "%s %d more tasks", ch.ascii ? "..." : "\u2026",
				   tr->ntasks - ch.rows);
			chart_emit(&ch);
		}
		chart_gil_row(&ch);
		chart_cores(&ch);
		chart_legend(&ch);
		chart_figures(&ch, &st);
		chart_output(&ch);
	}
	free(ch.line.buf);
	free(ch.acc);
}
