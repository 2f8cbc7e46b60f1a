/*
 * view_lanes.c -- state bars, owner chips and the time axis.
 */
#include "view_lanes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_player.h"

#define NONE (-1) /* no state: before the lane starts, after the cursor */

/* ------------------------------------------------------------------ */
/* The axis                                                            */
/* ------------------------------------------------------------------ */

void view_lanes_axis(struct view_ctx *c, struct view_axis *ax, int x, int w)
{
	ax->x = x;
	ax->w = w > 1 ? w : 1;
	view_player_window(&c->pl, view_fit(c), &ax->t0, &ax->len);
	ax->cursor = c->pl.cursor;
}

uint64_t view_lanes_time(const struct view_axis *ax, int i)
{
	/* len * i fits in 64 bits: ten minutes in ns times a few hundred columns. */
	return ax->t0 + ax->len * (uint64_t)i / (uint64_t)ax->w;
}

static int column_of(const struct view_axis *ax, uint64_t t)
{
	if (t < ax->t0)
		return -1;
	return (int)((t - ax->t0) * (uint64_t)ax->w / ax->len);
}

void view_lanes_ticks(struct grid *g, const struct view_ctx *c, const struct view_axis *ax, int y)
{
	/* A tick every dozen columns or so, on a 1-2-5 step. */
	uint64_t want = ax->len * 12 / (uint64_t)ax->w, step = 1000;
	while (step < want) {
		if (step * 2 >= want) {
			step *= 2;
			break;
		}
		if (step * 5 >= want) {
			step *= 5;
			break;
		}
		step *= 10;
	}
	struct grid_style st = view_style(c, ROLE_AXIS);
	int free_from = ax->x;
	int cc = column_of(ax, ax->cursor);
	if (ax->cursor >= ax->t0 + ax->len)
		cc = ax->w; /* past the window: point at its edge */
	int cursor_x = ax->x + (cc < ax->w ? cc : ax->w - 1);
	for (uint64_t t = (ax->t0 + step - 1) / step * step; t < ax->t0 + ax->len; t += step) {
		char label[32];
		int col = ax->x + column_of(ax, t);
		int end;

		view_fmt_tick(label, sizeof label, t);
		end = col + (int)strlen(label);
		if (col < free_from || end > ax->x + ax->w)
			continue;
		if (cc >= 0 && cursor_x >= col && cursor_x <= end)
			continue;		 /* the cursor's mark would cut the label */
		grid_put(g, col, y, 0x2575, st); /* a tick: the label starts right of it */
		free_from = col + 1 + grid_text(g, col + 1, y, -1, label, st) + 1;
	}
	if (cc >= 0 && cc <= ax->w && ax->x + cc < g->w)
		grid_put(g, cursor_x, y, 0x25bc, view_style(c, ROLE_CURSOR));
}

int view_lanes_name_width(const struct trace *tr)
{
	int w = 4;

	for (int i = 0; tr && i < tr->ntasks && i < 1000; i++) {
		int n = grid_text_width(trace_name(tr, i));
		if (n > w)
			w = n;
	}
	return w > 14 ? 14 : w;
}

/* ------------------------------------------------------------------ */
/* A task's bar                                                        */
/* ------------------------------------------------------------------ */

/* What one column holds: up to three regions, time per state, and its changes. */
struct column {
	uint64_t cov[STATE_COUNT];
	int region[3];	/* state or NONE, left to right */
	uint64_t split; /* where the second region starts */
	int nregions;	/* 3 means "three or more" */
	int last;	/* the last state seen (NONE before the first) */
	int switches;	/* changes from one state to another inside the column */
};

static void add_region(struct column *col, int st, uint64_t from)
{
	if (st != NONE) {
		if (col->last != NONE && col->last != st)
			col->switches++;
		col->last = st;
	}
	if (col->nregions > 0 && col->region[col->nregions - 1] == st)
		return;
	if (col->nregions == 1)
		col->split = from;
	if (col->nregions < 3)
		col->region[col->nregions] = st;
	if (col->nregions < 3)
		col->nregions++;
}

/*
 * Fills COL with LANE's spans over [a, b).  *K is where to start looking:
 * the caller carries it from one column to the next (spans are sorted), so
 * a row costs the spans it shows rather than a search per column.
 */
static void scan_column(const struct trace *tr, int lane, uint32_t n, uint64_t now, uint64_t a,
			uint64_t b, uint32_t *k, struct column *col)
{
	uint64_t at = a;
	struct span sp;

	memset(col, 0, sizeof *col);
	col->last = NONE;
	for (uint32_t i = *k; i < n && at < b; i++) {
		trace_get(tr, lane, i, &sp);
		uint64_t t1 = sp.t1 == TRACE_OPEN ? (now > sp.t0 ? now : sp.t0) : sp.t1;
		uint64_t s0 = sp.t0 > a ? sp.t0 : a, s1 = t1 < b ? t1 : b;
		if (sp.t0 >= b)
			break;
		/* Spans that end before the next column need not be read again. */
		if (t1 <= b)
			*k = i + 1;
		if (s1 <= s0 || sp.state == STATE_DONE)
			continue;
		if (s0 > at)
			add_region(col, NONE, at);
		add_region(col, (int)sp.state, s0);
		col->cov[sp.state] += s1 - s0;
		at = s1;
	}
	if (at < b)
		add_region(col, NONE, at);
}

static const uint32_t left_blocks[9] = {' ',	0x258f, 0x258e, 0x258d, 0x258c,
					0x258b, 0x258a, 0x2589, 0x2588};

uint32_t view_lanes_mixed_cp(const struct view_ctx *c)
{
	const char *g = STATE_MIXED_GLYPH;

	return c->ascii ? (uint32_t)(unsigned char)STATE_MIXED_ASCII : grid_utf8_next(&g);
}

/* The two states that took most of COL, most first (NONE when absent). */
static void top_two(const struct column *col, int *first, int *second)
{
	uint64_t a = 0, b = 0;

	*first = *second = NONE;
	for (int s = 0; s < STATE_COUNT; s++) {
		if (col->cov[s] > a) {
			b = a, *second = *first;
			a = col->cov[s], *first = s;
		} else if (col->cov[s] > b) {
			b = col->cov[s], *second = s;
		}
	}
}

/*
 * Several changes in one cell: the mixed glyph, in colour the two states
 * that took most of it as its two halves, so a GIL battle zoomed out reads
 * as "running and waiting, too fast to draw" instead of one false block.
 */
static void draw_mixed(struct grid *g, const struct view_ctx *c, int x, int y,
		       const struct column *col)
{
	struct grid_style st = grid_plain;
	int first, second;

	top_two(col, &first, &second);
	if (c->colour && first != NONE) {
		st.fg = (uint8_t)state_colour((enum state)first);
		if (second != NONE)
			st.bg = (uint8_t)state_colour((enum state)second);
	}
	grid_put(g, x, y, view_lanes_mixed_cp(c), st);
}

/*
 * Whether one state held more than three quarters of the cell: then its
 * glyph is true of the cell (a thread the OS preempted twice for a
 * millisecond still ran), and only cells split more evenly -- where the
 * state that happens to win flips from cell to cell -- are mixed.
 */
static bool dominated(const struct column *col)
{
	uint64_t total = 0, most = 0;

	for (int s = 0; s < STATE_COUNT; s++) {
		total += col->cov[s];
		if (col->cov[s] > most)
			most = col->cov[s];
	}
	return most * 4 > total * 3;
}

/* Returns 1 when the cell was drawn as mixed. */
static int draw_cell(struct grid *g, const struct view_ctx *c, int x, int y,
		     const struct column *col, uint64_t a, uint64_t b)
{
	struct grid_style st;

	if (col->switches >= 2 && !dominated(col)) {
		draw_mixed(g, c, x, y, col);
		return 1;
	}
	if (col->nregions == 1) {
		if (col->region[0] != NONE)
			grid_put(g, x, y, view_state_cp(c, (enum state)col->region[0]),
				 view_state_style(c, (enum state)col->region[0]));
		return 0;
	}
	int l = col->region[0], r = col->region[1];
	int other = l == STATE_RUNNING ? r : l;
	/*
	 * One edge of a running span: a partial block moves it in eighths.
	 * The unlit part is the other state's colour, so without colour it
	 * may only stand for nothing (the lane's start or the cursor).
	 */
	if (!c->ascii && col->nregions == 2 && (l == STATE_RUNNING || r == STATE_RUNNING) &&
	    (c->colour || other == NONE)) {
		int k = (int)((col->split - a) * 8 * 2 / (b - a) + 1) / 2; /* rounded eighths */

		st = view_state_style(c, STATE_RUNNING);
		if (c->colour && other != NONE)
			st.bg = (uint8_t)state_colour((enum state)other);
		if (l == STATE_RUNNING && k > 0) {
			grid_put(g, x, y, left_blocks[k], st);
			return 0;
		}
		if (r == STATE_RUNNING && k < 8) {
			/* Reversed, the unlit left part is `other` and the rest runs. */
			st.attr |= GRID_REVERSE;
			grid_put(g, x, y, left_blocks[k], st);
			return 0;
		}
	}
	/* One change (or none) inside the cell: the state that took most of it. */
	int best, second;
	top_two(col, &best, &second);
	if (best != NONE)
		grid_put(g, x, y, view_state_cp(c, (enum state)best),
			 view_state_style(c, (enum state)best));
	return 0;
}

int view_lanes_task(struct grid *g, const struct view_ctx *c, const struct view_axis *ax,
		    const struct trace *tr, int lane, uint64_t now_ns, int y)
{
	int mixed = 0;

	uint32_t n = trace_count(tr, lane);
	int32_t first = view_span_at(tr, lane, ax->t0);
	uint32_t k = first < 0 ? 0 : (uint32_t)first;
	uint64_t now = now_ns < ax->cursor ? now_ns : ax->cursor;
	uint64_t b = view_lanes_time(ax, 0);

	for (int i = 0; i < ax->w; i++) {
		uint64_t a = b;
		struct column col;

		b = view_lanes_time(ax, i + 1);
		if (a >= ax->cursor)
			break;
		if (b <= a)
			continue;
		/*
		 * Cut at the cursor, keeping the column's width for the eighths.
		 * A span open at the cut is read again by the next column.
		 */
		uint32_t keep = k;
		scan_column(tr, lane, n, now, a, b < ax->cursor ? b : ax->cursor, &k, &col);
		if (b > ax->cursor) {
			add_region(&col, NONE, ax->cursor);
			k = keep;
		}
		mixed += draw_cell(g, c, ax->x + i, y, &col, a, b);
	}
	return mixed;
}

/* ------------------------------------------------------------------ */
/* Cores and the GIL: who owns each column                             */
/* ------------------------------------------------------------------ */

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int view_lanes_cores(const struct trace *tr, uint64_t upto, int *cpus, int max)
{
	unsigned char seen[4096];
	int n = 0;
	struct span sp;

	memset(seen, 0, sizeof seen);
	for (int l = 0; l < tr->ntasks; l++) {
		uint32_t cnt = trace_count(tr, l);
		for (uint32_t k = 0; k < cnt; k++) {
			trace_get(tr, l, k, &sp);
			if (sp.t0 > upto)
				break;
			if (sp.state == STATE_RUNNING && sp.cpu >= 0 && sp.cpu < 4096 &&
			    !seen[sp.cpu]) {
				seen[sp.cpu] = 1;
				if (n < max)
					cpus[n] = sp.cpu;
				n++;
			}
		}
	}
	qsort(cpus, (size_t)(n < max ? n : max), sizeof *cpus, cmp_int);
	return n;
}

int view_lanes_panel_cores(struct view_ctx *c, int p, const int **cpus)
{
	struct view_cores *vc = &c->cores[p];
	const struct trace *tr = c->panels[p].tr;
	uint64_t spans = 0;

	*cpus = vc->cpus;
	if (!tr)
		return 0;
	for (int l = 0; l < tr->ntasks; l++)
		spans += trace_count(tr, l);
	if (vc->tr != tr || vc->spans != spans) {
		vc->tr = tr;
		vc->spans = spans;
		vc->n = view_lanes_cores(tr, UINT64_MAX, vc->cpus, VIEW_MAX_CORES);
	}
	return vc->n;
}

/* A colour per task, so neighbouring chips differ (colour mode only). */
static const enum state_colour task_colours[] = {COLOUR_GREEN,	 COLOUR_CYAN, COLOUR_YELLOW,
						 COLOUR_MAGENTA, COLOUR_BLUE, COLOUR_RED};

/*
 * A cell that changed hands twice or more (A, B, A; or A, B, C): no one
 * name may stand for it.  One hand-off inside a cell is only an edge, and
 * the longer holder keeps it.
 */
#define MIXED_OWNER (-2)
#define SHARED 0x80 /* in a cell's pieces: a second task held it too */

/* One claim on the columns of a row: a span of TASK over [s0, s1). */
struct claim {
	uint64_t s0, s1; /* ns */
	int task;
	bool joined; /* it goes on from the lane's previous span (same task, no gap) */
};

/*
 * Spreads claim K over the columns of row OWNER.  EDGES holds the w + 1
 * column boundaries; *COL is where the lane's previous span started (spans
 * are sorted, so the search only moves on).  PIECES counts the holds that
 * touch each cell (up to 3), a span that goes on from the previous one
 * being the same hold.
 */
static void claim(const struct view_axis *ax, const uint64_t *edges, uint64_t end, struct claim k,
		  int *col, int *owner, uint64_t *best, uint8_t *pieces)
{
	if (k.s0 < ax->t0)
		k.s0 = ax->t0;
	if (k.s1 > end)
		k.s1 = end;
	if (k.s1 <= k.s0)
		return;
	while (*col < ax->w && edges[*col + 1] <= k.s0)
		(*col)++;
	for (int i = *col; i < ax->w && edges[i] < k.s1; i++) {
		uint64_t a = edges[i], b = edges[i + 1];
		uint64_t o = (k.s1 < b ? k.s1 : b) - (k.s0 > a ? k.s0 : a);
		if (owner[i] >= 0 && owner[i] != k.task)
			pieces[i] |= SHARED;
		if (!(k.joined && a < k.s0) && (pieces[i] & ~SHARED) < 3)
			pieces[i]++;
		if (o > best[i])
			best[i] = o, owner[i] = k.task;
	}
}

/*
 * Cells held by two tasks in three or more pieces become mixed, unless
 * one holder had more than three quarters of the cell (as a task's bar).
 */
static void mark_mixed(const struct view_axis *ax, const uint64_t *edges, int *owner,
		       const uint64_t *best, const uint8_t *pieces, int rows)
{
	for (int r = 0; r < rows; r++)
		for (int i = 0; i < ax->w; i++) {
			size_t k = (size_t)r * (size_t)ax->w + (size_t)i;
			if ((pieces[k] & SHARED) && (pieces[k] & ~SHARED) >= 3 &&
			    best[k] * 4 <= (edges[i + 1] - edges[i]) * 3)
				owner[k] = MIXED_OWNER;
		}
}

static void draw_chips(struct grid *g, const struct view_ctx *c, const struct view_axis *ax,
		       const struct trace *tr, const int *owner, int y)
{
	for (int i = 0; i < ax->w;) {
		int j = i;
		while (j < ax->w && owner[j] == owner[i])
			j++;
		if (owner[i] == MIXED_OWNER) {
			for (int k = i; k < j; k++)
				grid_put(g, ax->x + k, y, view_lanes_mixed_cp(c), grid_plain);
		} else if (owner[i] >= 0) {
			struct grid_style st = {COLOUR_DEFAULT, COLOUR_DEFAULT, GRID_REVERSE};
			if (c->colour)
				st.fg = (uint8_t)task_colours[owner[i] % 6];
			grid_fill(g, ax->x + i, y, j - i, 1, ' ', st);
			grid_text(g, ax->x + i, y, j - i, trace_name(tr, owner[i]), st);
		}
		i = j;
	}
}

/* The row of CPUS that shows core CPU, or -1. */
static int row_of(const int *cpus, int n, int cpu)
{
	for (int r = 0; r < n; r++)
		if (cpus[r] == cpu)
			return r;
	return -1;
}

void view_lanes_owners(struct grid *g, const struct view_ctx *c, const struct view_axis *ax,
		       const struct trace *tr, uint64_t now_ns, const int *cpus, int n, int y)
{
	size_t cells = (size_t)ax->w * (size_t)(n > 0 ? n : 1);
	int *owner = malloc(sizeof *owner * cells);
	uint64_t *best = calloc(cells, sizeof *best);
	uint8_t *pieces = calloc(cells, 1);
	uint64_t *edges = malloc(sizeof *edges * (size_t)(ax->w + 1));
	uint64_t lo = ax->t0, now = now_ns < ax->cursor ? now_ns : ax->cursor;
	uint64_t end = ax->t0 + ax->len < ax->cursor ? ax->t0 + ax->len : ax->cursor;
	int lock = trace_lock_lane(tr), lock_row = row_of(cpus, n, -1);
	struct span sp;

	if (!owner || !best || !pieces || !edges || n <= 0)
		goto out;
	for (size_t i = 0; i < cells; i++)
		owner[i] = -1;
	for (int i = 0; i <= ax->w; i++)
		edges[i] = view_lanes_time(ax, i);
	for (int l = 0; l < tr->nlanes; l++) {
		bool is_lock = l == lock;
		int32_t k0 = view_span_at(tr, l, lo);
		uint32_t cnt = trace_count(tr, l);
		int col = 0, prev_row = -1;
		struct claim prev = {0, 0, -1, false};

		if (is_lock && lock_row < 0)
			continue;
		for (uint32_t k = k0 < 0 ? 0 : (uint32_t)k0; k < cnt; k++) {
			trace_get(tr, l, k, &sp);
			if (sp.t0 >= end)
				break;
			/* A lock hold's cpu names its holder; a task's, the core it ran on. */
			int r = is_lock ? (sp.cpu >= 0 && sp.cpu < tr->ntasks ? lock_row : -1)
				: sp.state == STATE_RUNNING && sp.cpu >= 0 ? row_of(cpus, n, sp.cpu)
									   : -1;
			if (r < 0)
				continue;
			uint64_t t1 = sp.t1 == TRACE_OPEN ? (now > sp.t0 ? now : sp.t0) : sp.t1;
			struct claim cl = {sp.t0, t1, is_lock ? sp.cpu : l, false};
			cl.joined = r == prev_row && cl.task == prev.task && sp.t0 == prev.s1;
			claim(ax, edges, end, cl, &col, owner + r * ax->w, best + r * ax->w,
			      pieces + r * ax->w);
			prev = cl, prev_row = r;
		}
	}
	mark_mixed(ax, edges, owner, best, pieces, n);
	for (int r = 0; r < n; r++)
		draw_chips(g, c, ax, tr, owner + r * ax->w, y + r);
out:
	free(owner);
	free(best);
	free(pieces);
	free(edges);
}
