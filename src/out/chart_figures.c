/*
 * chart_figures.c -- the parts of the batch chart below the task rows: the
 * GIL row (who held the lock), one row per core (which task ran there), the
 * legend and the figures.
 *
 * The GIL and core rows draw a task as one character: its name's first
 * letter when those are all different, else a letter per task with a key.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "chart_priv.h"
#include "escape.h"

static const char task_letters[CHART_LETTERS + 1] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

static uint64_t span_end(const struct span *sp)
{
	return sp->t1 == TRACE_OPEN ? sp->t0 : sp->t1;
}

static bool is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* ---- symbols and suffixes ------------------------------------------------- */

void chart_pick_symbols(struct chart *ch)
{
	bool seen[128] = {false};

	ch->name_symbols = ch->tr->ntasks <= CHART_LETTERS;
	for (int lane = 0; lane < ch->tr->ntasks && ch->name_symbols; lane++) {
		unsigned char c = (unsigned char)trace_name(ch->tr, lane)[0];
		if (!is_alnum(c) || seen[c])
			ch->name_symbols = false;
		else
			seen[c] = true;
	}
}

static char symbol(const struct chart *ch, int task)
{
	if (task < 0 || task >= ch->tr->ntasks)
		return '?';
	if (ch->name_symbols)
		return trace_name(ch->tr, task)[0];
	return task < CHART_LETTERS ? task_letters[task] : '*';
}

/* Inserts CORE into the sorted set CORES of *N (at most CAP). */
static void add_core(int *cores, int *n, int cap, int core)
{
	int i = 0;

	while (i < *n && cores[i] < core)
		i++;
	if ((i < *n && cores[i] == core) || *n >= cap)
		return;
	memmove(cores + i + 1, cores + i, (size_t)(*n - i) * sizeof *cores);
	cores[i] = core;
	(*n)++;
}

/* The cores LANE ran on, sorted; returns how many (at most CAP). */
static int lane_cores(const struct trace *tr, int lane, int *cores, int cap)
{
	uint32_t cnt = trace_count(tr, lane);
	struct span sp;
	int n = 0;

	for (uint32_t i = 0; i < cnt; i++) {
		trace_get(tr, lane, i, &sp);
		if (sp.state == STATE_RUNNING && sp.cpu >= 0 && span_end(&sp) > sp.t0)
			add_core(cores, &n, cap, sp.cpu);
	}
	return n;
}

void chart_collect_cores(struct chart *ch)
{
	int some[CHART_MAX_CORES];

	ch->ncores = 0;
	for (int lane = 0; lane < ch->tr->ntasks; lane++) {
		int n = lane_cores(ch->tr, lane, some, CHART_MAX_CORES);
		for (int i = 0; i < n; i++)
			add_core(ch->cores, &ch->ncores, CHART_MAX_CORES, some[i]);
	}
}

/* Appends to BUF as snprintf would, never past its end. */
__attribute__((format(printf, 4, 5))) static void appendf(char *buf, size_t cap, size_t *len,
							  const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len + 1 >= cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < cap ? *len + (size_t)n : cap - 1;
}

/* "cpu 0-3,6", then the outcome when the task did not simply finish. */
void chart_task_suffix(const struct chart *ch, int lane, char *buf, size_t cap)
{
	int cores[64], n = lane_cores(ch->tr, lane, cores, 64);
	enum outcome o = trace_outcome(ch->tr, lane);
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		int j = i;
		while (j + 1 < n && cores[j + 1] == cores[j] + 1)
			j++;
		appendf(buf, cap, &len, "%s%d", i ? "," : "cpu ", cores[i]);
		if (j > i + 1)
			appendf(buf, cap, &len, "-%d", cores[j]);
		else if (j == i + 1)
			appendf(buf, cap, &len, ",%d", cores[j]);
		i = j;
	}
	if (o != OUTCOME_DONE)
		appendf(buf, cap, &len, "%s%s", len ? " " : "", outcome_name(o));
}

/* ---- rows of owners: the GIL's holder, each core's task ------------------ */

/* A stretch of time a task owned something (the lock, a core). */
struct piece {
	int row; /* which core (its index in ch->cores); 0 for the GIL */
	int task;
	uint64_t t0, t1;
};

static int cmp_piece(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->task != y->task)
		return x->task < y->task ? -1 : 1;
	return (x->t0 > y->t0) - (x->t0 < y->t0);
}

/* Per column, the task that owned it longest; pieces come task by task. */
struct owners {
	int *best, *cur;
	double *best_ns, *cur_ns;
	int task;
};

static void add_owner(void *ud, int col, double ns)
{
	struct owners *o = ud;

	if (o->cur[col] != o->task) {
		o->cur[col] = o->task;
		o->cur_ns[col] = 0;
	}
	o->cur_ns[col] += ns;
	if (o->cur_ns[col] > o->best_ns[col]) {
		o->best[col] = o->task;
		o->best_ns[col] = o->cur_ns[col];
	}
}

/* Draws one row NAME from its pieces P[0..N), sorted by task. */
static void owner_row(struct chart *ch, const char *name, const struct piece *p, size_t n)
{
	int w = ch->barw;
	int *ints = malloc((size_t)w * 2 * sizeof *ints);
	double *ns = calloc((size_t)w * 2, sizeof *ns);
	struct owners o = {ints, ints ? ints + w : NULL, ns, ns ? ns + w : NULL, -1};

	if (ints && ns) {
		for (int c = 0; c < 2 * w; c++)
			ints[c] = -1;
		for (size_t i = 0; i < n; i++) {
			o.task = p[i].task;
			chart_spread(ch, p[i].t0, p[i].t1, add_owner, &o);
		}
		chart_add(ch, name);
		chart_pad(ch, ch->namew + 1);
		for (int c = 0; c < w; c++) {
			int t = o.best[c];
			chart_addf(ch, "%c", t < 0 ? ' ' : symbol(ch, t));
			if (t >= 0)
				ch->drawn[t < CHART_LETTERS ? t : CHART_LETTERS] = true;
		}
		chart_emit(ch);
	}
	free(ints);
	free(ns);
}

void chart_gil_row(struct chart *ch)
{
	int lane = trace_lock_lane(ch->tr);
	struct span sp;

	if (lane < 0)
		return;
	uint32_t n = trace_count(ch->tr, lane);
	struct piece *p = malloc((n ? n : 1) * sizeof *p);
	if (!p)
		return;
	for (uint32_t i = 0; i < n; i++) {
		trace_get(ch->tr, lane, i, &sp);
		p[i] = (struct piece){0, sp.cpu, sp.t0, span_end(&sp)};
	}
	qsort(p, n, sizeof *p, cmp_piece);
	owner_row(ch, "GIL", p, n);
	free(p);
}

static int core_index(const struct chart *ch, int core)
{
	for (int i = 0; i < ch->ncores; i++)
		if (ch->cores[i] == core)
			return i;
	return -1;
}

/* Every running span with a core, grouped by core, then task. */
static struct piece *core_pieces(const struct chart *ch, size_t *np)
{
	size_t n = 0, cap = 256;
	struct piece *p = malloc(cap * sizeof *p), *bigger;
	struct span sp;

	for (int lane = 0; p && lane < ch->tr->ntasks; lane++) {
		uint32_t cnt = trace_count(ch->tr, lane);
		for (uint32_t i = 0; p && i < cnt; i++) {
			trace_get(ch->tr, lane, i, &sp);
			int row = sp.state == STATE_RUNNING ? core_index(ch, sp.cpu) : -1;
			if (row < 0 || span_end(&sp) <= sp.t0)
				continue;
			if (n == cap) {
				bigger = realloc(p, 2 * cap * sizeof *p);
				if (!bigger)
					free(p);
				p = bigger;
				cap *= 2;
			}
			if (p)
				p[n++] = (struct piece){row, lane, sp.t0, span_end(&sp)};
		}
	}
	if (p)
		qsort(p, n, sizeof *p, cmp_piece);
	*np = n;
	return p;
}

void chart_cores(struct chart *ch)
{
	size_t n, i = 0;
	struct piece *p;
	char name[16];
	int shown = ch->ncores < ch->rows ? ch->ncores : ch->rows;

	if (ch->ncores == 0 || !(p = core_pieces(ch, &n)))
		return;
	chart_add(ch, "cores (the task running on each):");
	chart_emit(ch);
	for (int row = 0; row < shown; row++) {
		size_t first = i;
		while (i < n && p[i].row == row)
			i++;
		snprintf(name, sizeof name, "cpu %d", ch->cores[row]);
		owner_row(ch, name, p + first, i - first);
	}
	if (ch->ncores > shown) {
		chart_addf(ch, "%s %d more cores", ch->ascii ? "..." : "\u2026",
			   ch->ncores - shown);
		chart_emit(ch);
	}
	free(p);
}

/* ---- the legend and the figures ------------------------------------------ */

/* A list of items after a head, wrapped at the width. */
struct items {
	int indent;	 /* of continuation lines */
	int count;	 /* items on the current line */
	const char *sep; /* between items on one line */
};

static void items_begin(struct chart *ch, struct items *it, const char *head, const char *sep)
{
	int w = chart_text_cols(head) + 1;

	it->indent = w < ch->width / 3 ? w : 2;
	it->count = 0;
	it->sep = sep;
	chart_add(ch, head);
}

__attribute__((format(printf, 3, 4))) static void item(struct chart *ch, struct items *it,
						       const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	int sepw = it->count ? chart_text_cols(it->sep) : 1;
	/* Wrap when the item does not fit, unless the line is empty anyway. */
	if (ch->line.cols > it->indent && ch->line.cols + sepw + chart_text_cols(buf) > ch->width) {
		chart_emit(ch);
		chart_pad(ch, it->indent);
	} else {
		chart_add(ch, it->count ? it->sep : " ");
	}
	chart_add(ch, buf);
	it->count++;
}

static void items_end(struct chart *ch)
{
	chart_emit(ch);
}

/* The key to the letters drawn in the GIL and core rows, unless names. */
static void key(struct chart *ch)
{
	int n = ch->tr->ntasks < CHART_LETTERS ? ch->tr->ntasks : CHART_LETTERS;
	struct items it;

	if (ch->name_symbols)
		return;
	items_begin(ch, &it, "key:", "  ");
	for (int task = 0; task < n; task++)
		if (ch->drawn[task])
			item(ch, &it, "%c %s", symbol(ch, task), trace_name(ch->tr, task));
	if (ch->drawn[CHART_LETTERS])
		item(ch, &it, "* another task");
	if (it.count)
		items_end(ch);
	else
		ch->line.len = ch->line.cols = 0; /* nothing was drawn: no key */
}

void chart_legend(struct chart *ch)
{
	struct items it;
	char ascii[2] = "";

	key(ch);
	items_begin(ch, &it, "legend:", "   ");
	for (int s = 0; s < STATE_COUNT; s++) {
		const char *g = state_glyph((enum state)s);
		if (ch->ascii) {
			ascii[0] = state_ascii((enum state)s);
			g = ascii;
		}
		if (strcmp(g, " ") != 0)
			item(ch, &it, "%s %s", g, state_label((enum state)s));
	}
	items_end(ch);
}

/* V ms with as many decimals as its size deserves. */
static const char *fmt_ms(char *buf, size_t cap, double v)
{
	snprintf(buf, cap, "%.*f ms", v < 1 ? 3 : v < 10 ? 2 : 1, v);
	return buf;
}

static void fmt_bytes(char *buf, size_t cap, double b)
{
	if (b >= 1024 * 1024)
		snprintf(buf, cap, "%.1f MiB", b / (1024 * 1024));
	else if (b >= 1024)
		snprintf(buf, cap, "%.1f KiB", b / 1024);
	else
		snprintf(buf, cap, "%.0f B", b);
}

static void run_figures(struct chart *ch, const struct stats *st)
{
	char a[32], b[32];
	struct items it;

	items_begin(ch, &it, "wall", ", ");
	chart_addf(ch, " %s", fmt_ms(a, sizeof a, st->wall_ms));
	it.count = 1;
	item(ch, &it, "cpu %s", fmt_ms(b, sizeof b, st->cpu_ms));
	if (st->max_running > 0)
		item(ch, &it, "at most %d task%s running at once", st->max_running,
		     st->max_running == 1 ? "" : "s");
	else
		item(ch, &it, "no task ran on a CPU"); /* only waits: never "at most 0" */
	items_end(ch);
	items_begin(ch, &it, "time in states:", ", ");
	for (int s = 0; s < STATE_COUNT; s++)
		if (st->state_ms[s] > 0)
			item(ch, &it, "%s %s", state_name((enum state)s),
			     fmt_ms(a, sizeof a, st->state_ms[s]));
	items_end(ch);
	items_begin(ch, &it, st->tasks == 1 ? "1 task:" : "tasks:", ", ");
	for (int o = 0; o < OUTCOME_COUNT; o++)
		if (st->outcomes[o])
			item(ch, &it, "%d %s", st->outcomes[o], outcome_name((enum outcome)o));
	items_end(ch);
	if (st->dropped) {
		chart_addf(ch, "%llu spans dropped (the trace was full)",
			   (unsigned long long)st->dropped);
		chart_emit(ch);
	}
	if (ch->tr->meta.bytes_per_task > 0) {
		fmt_bytes(a, sizeof a, ch->tr->meta.bytes_per_task);
		chart_addf(ch, "memory per task: %s", a);
		chart_emit(ch);
	}
}

static void gil_figures(struct chart *ch, const struct stats *st)
{
	const struct trace_meta *m = &ch->tr->meta;
	char head[64], a[32];
	struct items it;

	snprintf(head, sizeof head, "GIL (%s, switch interval %g ms):", m->gil_mode,
		 m->gil_interval_ms);
	items_begin(ch, &it, head, ", ");
	item(ch, &it, "%d hold%s", st->holds, st->holds == 1 ? "" : "s");
	item(ch, &it, "median hold %s", fmt_ms(a, sizeof a, st->median_hold_ms));
	item(ch, &it, "%.1f switches/s", st->switches_per_s);
	item(ch, &it, "%llu drop requests", (unsigned long long)m->gil_drop_requests);
	items_end(ch);
	items_begin(ch, &it, "lock wait:", ", ");
	for (int task = 0; task < ch->rows; task++) {
		double w = stats_lock_wait_ms(ch->tr, task);
		if (w > 0)
			item(ch, &it, "%s %s", trace_name(ch->tr, task), fmt_ms(a, sizeof a, w));
	}
	if (!it.count)
		item(ch, &it, "none");
	items_end(ch);
	items_begin(ch, &it, "convoy (GIL wait after I/O, median):", ", ");
	for (int task = 0; task < ch->rows; task++) {
		int n = stats_convoy_count(ch->tr, task);
		if (n > 0)
			item(ch, &it, "%s %s (%d)", trace_name(ch->tr, task),
			     fmt_ms(a, sizeof a, stats_convoy_median_ms(ch->tr, task)), n);
	}
	if (!it.count)
		item(ch, &it, "none");
	items_end(ch);
}

/* The task queue's broker, its workers and what a job's hand-off cost. */
static void broker_figures(struct chart *ch)
{
	const struct trace_meta *m = &ch->tr->meta;
	char head[160], a[32], host[64];
	struct items it;

	snprintf(head, sizeof head, "broker (%s):", escape_text(a, sizeof a, m->broker, 24, 0));
	items_begin(ch, &it, head, ", ");
	item(ch, &it, "%d worker%s", m->nworkers, m->nworkers == 1 ? "" : "s");
	for (int i = 0; i < m->nworkers; i++)
		item(ch, &it, "%s pid %d %d job%s%s",
		     escape_text(host, sizeof host, m->workers[i].host, 20, 0), m->workers[i].pid,
		     m->workers[i].jobs, m->workers[i].jobs == 1 ? "" : "s",
		     m->workers[i].remote ? " (joined)" : "");
	double handoff = stats_job_handoff_ms(ch->tr);
	if (handoff > 0) /* no worker ran two jobs: no hand-off to show */
		item(ch, &it, "median hand-off %s", fmt_ms(a, sizeof a, handoff));
	if (m->requeued)
		item(ch, &it, "%d job%s requeued", m->requeued, m->requeued == 1 ? "" : "s");
	items_end(ch);
}

void chart_figures(struct chart *ch, const struct stats *st)
{
	run_figures(ch, st);
	if (trace_lock_lane(ch->tr) >= 0)
		gil_figures(ch, st);
	if (ch->tr->meta.broker[0])
		broker_figures(ch);
}
