/*
 * view_group.c -- folding the copies of a task into one row.
 */
#include "view_group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_player.h"

/* ------------------------------------------------------------------ */
/* Which tasks are copies                                              */
/* ------------------------------------------------------------------ */

/*
 * NAME as its stem and number ("conn12" -> 4 and 12); -1 when it does not
 * end in digits.  `count` names its copies NAME1..NAMEN, so copies are
 * neighbours with one stem and numbers that follow on.
 */
static long name_number(const char *name, size_t *stem)
{
	size_t n = strlen(name), i = n;

	while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
		i--;
	if (i == n || n - i > 9 || i == 0)
		return -1;
	*stem = i;
	return strtol(name + i, NULL, 10);
}

/* Whether lane L + 1 is the copy after lane L (an observed thread's copies share its process). */
static bool follows(const struct trace *tr, int l)
{
	const char *a = trace_name(tr, l), *b = trace_name(tr, l + 1);
	size_t sa, sb;
	long na = name_number(a, &sa), nb = name_number(b, &sb);

	return na >= 0 && nb == na + 1 && sa == sb && strncmp(a, b, sa) == 0 &&
	       trace_thread(tr, l)->pid == trace_thread(tr, l + 1)->pid;
}

int view_group_of(const struct trace *tr, int lane, int *first)
{
	int a = lane, b = lane;

	*first = lane;
	if (!tr || lane < 0 || lane >= tr->ntasks)
		return 1;
	while (a > 0 && follows(tr, a - 1))
		a--;
	while (b + 1 < tr->ntasks && follows(tr, b))
		b++;
	*first = a;
	return b - a + 1;
}

void view_group_label(const struct trace *tr, struct view_row row, char *buf, size_t len)
{
	const char *name = trace_name(tr, row.lane);
	size_t stem;

	if (row.count <= 1 || name_number(name, &stem) < 0)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%.*s\u00d7%d", (int)stem, name, row.count);
}

bool view_group_expanded(const struct view_ctx *c, int first)
{
	for (int i = 0; i < VIEW_MAX_OPEN_GROUPS; i++)
		if (c->open_groups[i] == first + 1)
			return true;
	return false;
}

void view_group_set(struct view_ctx *c, int first, bool expanded)
{
	for (int i = 0; i < VIEW_MAX_OPEN_GROUPS; i++)
		if (c->open_groups[i] == first + 1)
			c->open_groups[i] = 0;
	for (int i = 0; expanded && i < VIEW_MAX_OPEN_GROUPS; i++)
		if (c->open_groups[i] == 0) {
			c->open_groups[i] = first + 1;
			return;
		}
}

/*
 * An observed program's threads have lanes in the order they were born,
 * its processes' threads interleaved: the rows put each process's threads
 * together, processes in the order they appeared, threads in birth order.
 */
static void by_process(const struct trace *tr, struct view_row *rows, int n)
{
	enum { KNOWN = 64 }; /* processes remembered; past that, earlier rows are looked at */
	pid_t known[KNOWN];
	int nknown = 0, done = 0;
	struct view_row *sorted;

	if (n < 2 || trace_thread(tr, 0)->tid == 0 ||
	    !(sorted = malloc((size_t)n * sizeof *sorted)))
		return;
	for (int r = 0; r < n; r++) {
		pid_t pid = trace_thread(tr, rows[r].lane)->pid;
		bool seen = false;
		for (int k = 0; k < nknown && !seen; k++)
			seen = known[k] == pid;
		for (int k = 0; nknown == KNOWN && k < r && !seen; k++)
			seen = trace_thread(tr, rows[k].lane)->pid == pid;
		if (seen)
			continue;
		if (nknown < KNOWN)
			known[nknown++] = pid;
		for (int k = r; k < n; k++)
			if (trace_thread(tr, rows[k].lane)->pid == pid)
				sorted[done++] = rows[k];
	}
	memcpy(rows, sorted, (size_t)n * sizeof *rows);
	free(sorted);
}

int view_group_rows(const struct view_ctx *c, const struct trace *tr, bool fold,
		    struct view_row *rows)
{
	int n = 0;

	for (int l = 0; l < tr->ntasks;) {
		int first, size = fold ? view_group_of(tr, l, &first) : 1;
		if (size > 1 && !view_group_expanded(c, l)) {
			rows[n++] = (struct view_row){l, size};
			l += size;
			continue;
		}
		/* Expanded (or not folding): each task its row. */
		for (int k = 0; k < size; k++)
			rows[n++] = (struct view_row){l + k, 1};
		l += size;
	}
	by_process(tr, rows, n);
	return n;
}

int view_group_row_of(const struct view_row *rows, int n, int lane)
{
	for (int r = 0; r < n; r++)
		if (lane >= rows[r].lane && lane < rows[r].lane + rows[r].count)
			return r;
	return -1;
}

/* ------------------------------------------------------------------ */
/* The density                                                         */
/* ------------------------------------------------------------------ */

/* LANE's state at T: -1 before it starts (or after the cursor's cut), DONE after. */
static int state_at(const struct trace *tr, int lane, uint64_t t)
{
	struct span sp;
	int32_t k = view_span_at(tr, lane, t);

	if (k < 0)
		return -1;
	trace_get(tr, lane, (uint32_t)k, &sp);
	if (sp.t1 != TRACE_OPEN && sp.t1 <= t)
		return STATE_DONE; /* past its last span, or in a gap */
	return (int)sp.state;
}

int view_group_count(const struct trace *tr, struct view_row row, uint64_t t,
		     int counts[STATE_COUNT])
{
	int started = 0;

	memset(counts, 0, sizeof counts[0] * STATE_COUNT);
	for (int l = row.lane; l < row.lane + row.count; l++) {
		int s = state_at(tr, l, t);
		if (s < 0)
			continue;
		counts[s]++;
		started++;
	}
	return started;
}

/*
 * A group's density: for each column and state, the task-nanoseconds its
 * tasks spent in that state inside the column (before the cursor).  One
 * sweep over each task's spans in the window builds it: a span adds its
 * overlap to the columns at its two ends, and one whole column to every
 * column between them through a difference array, so a task costs its
 * spans in the window, not its spans times the columns (10,000 tasks at
 * 60 frames a second).
 */
struct density {
	int w;		/* columns */
	uint64_t *edge; /* w + 1 column starts, ns, clipped to the cursor */
	int *full; /* STATE_COUNT x (w + 1): difference array of tasks covering whole columns */
	uint64_t *part; /* STATE_COUNT x w: task-ns of spans that begin or end inside a column */
};

/* The column holding T (edge[i] <= t < edge[i + 1]), from the axis' arithmetic, made exact. */
static int column_at(const struct density *d, const struct view_axis *ax, uint64_t t)
{
	int i = t <= ax->t0 ? 0 : (int)((t - ax->t0) * (uint64_t)ax->w / ax->len);

	if (i >= d->w)
		i = d->w - 1;
	while (i > 0 && d->edge[i] > t)
		i--;
	while (i + 1 < d->w && d->edge[i + 1] <= t)
		i++;
	return i;
}

/* Adds [T0, T1) in state S (inside the window, before the cursor) to D. */
static void density_add(struct density *d, const struct view_axis *ax, int s, uint64_t t0,
			uint64_t t1)
{
	int a = column_at(d, ax, t0), b = column_at(d, ax, t1 - 1);
	uint64_t *part = d->part + (size_t)s * (size_t)d->w;

	if (a == b) {
		part[a] += t1 - t0;
		return;
	}
	part[a] += d->edge[a + 1] - t0;
	part[b] += t1 - d->edge[b];
	if (b > a + 1) {
		d->full[s * (d->w + 1) + a + 1]++;
		d->full[s * (d->w + 1) + b]--;
	}
}

/* Adds LANE's spans in the window to D; NOW closes an open span. */
static void sweep_lane(struct density *d, const struct trace *tr, int lane,
		       const struct view_axis *ax, uint64_t now)
{
	int32_t k0 = view_span_at(tr, lane, ax->t0);
	uint32_t n = trace_count(tr, lane);
	uint64_t lo = d->edge[0], hi = d->edge[d->w];
	struct span sp;

	for (uint32_t k = k0 < 0 ? 0 : (uint32_t)k0; k < n; k++) {
		trace_get(tr, lane, k, &sp);
		if (sp.t0 >= hi)
			break;
		uint64_t t0 = sp.t0 > lo ? sp.t0 : lo;
		uint64_t t1 = sp.t1 == TRACE_OPEN ? now : sp.t1;
		if (t1 > hi)
			t1 = hi;
		if (sp.state != STATE_DONE && t1 > t0)
			density_add(d, ax, (int)sp.state, t0, t1);
	}
}

static void density_free(struct density *d)
{
	free(d->edge);
	free(d->full);
	free(d->part);
}

/* Sweeps ROW's tasks into D; returns -1 when out of memory. */
static int density_build(struct density *d, const struct view_axis *ax, const struct trace *tr,
			 struct view_row row, uint64_t now)
{
	int w = ax->w;

	d->w = w;
	d->edge = calloc((size_t)(w + 1), sizeof *d->edge);
	d->full = calloc((size_t)STATE_COUNT * (size_t)(w + 1), sizeof *d->full);
	d->part = calloc((size_t)STATE_COUNT * (size_t)w, sizeof *d->part);
	if (!d->edge || !d->full || !d->part)
		return -1;
	for (int i = 0; i <= w; i++) {
		uint64_t t = view_lanes_time(ax, i);
		d->edge[i] = t < ax->cursor ? t : ax->cursor;
	}
	if (d->edge[w] <= d->edge[0])
		return 0; /* the cursor is before the window: nothing to draw */
	if (now > ax->cursor)
		now = ax->cursor;
	for (int l = row.lane; l < row.lane + row.count; l++)
		sweep_lane(d, tr, l, ax, now);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The stacked bars                                                    */
/* ------------------------------------------------------------------ */

/*
 * Splits a column of H units among the states by their share OCC of CAP
 * (task-ns), into UNITS: every state that was there gets at least one unit,
 * however few of its tasks (two connections running among 10,000 waiting
 * still show), taken from the largest (H outnumbers the states).
 */
static void stack_units(const double *occ, double cap, int h, int *units)
{
	int sum = 0;

	for (int s = 0; s < STATE_COUNT; s++) {
		units[s] = occ[s] > 0 ? (int)(occ[s] / cap * h + 0.5) : 0;
		if (occ[s] > 0 && units[s] == 0)
			units[s] = 1;
		sum += units[s];
	}
	while (sum > h) {
		int big = -1;
		for (int s = 0; s < STATE_COUNT; s++)
			if (units[s] > 1 && (big < 0 || units[s] > units[big]))
				big = s;
		if (big < 0)
			break;
		units[big]--;
		sum--;
	}
}

/* The state that holds unit U of the stack UNITS (bottom 0), or -1 above it. */
static int state_of_unit(const int *units, int u)
{
	for (int s = 0; s < STATE_COUNT; s++) {
		if (u < units[s])
			return s;
		u -= units[s];
	}
	return -1;
}

/*
 * Colour in Unicode: the bar rises in eighths.  A cell holds the state at
 * its bottom in a lower block as tall as that state's share of the cell,
 * on the background of the state above it (the one with most of the rest).
 */
static void draw_fine(struct grid *g, const struct view_ctx *c, const int *units, int x, int y)
{
	for (int r = 0; r < VIEW_GROUP_BAR_ROWS; r++) {
		int lower = state_of_unit(units, r * 8), k = 0, most[STATE_COUNT] = {0}, upper = -1;
		if (lower < 0)
			return; /* above the stack: blank */
		for (int u = r * 8; u < r * 8 + 8; u++) {
			int s = state_of_unit(units, u);
			if (s == lower && k == u - r * 8)
				k++;
			else if (s >= 0 && ++most[s] > (upper < 0 ? 0 : most[upper]))
				upper = s;
		}
		struct grid_style st = view_state_style(c, (enum state)lower);
		if (upper >= 0)
			st.bg = (uint8_t)state_colour((enum state)upper);
		grid_put(g, x, y + VIEW_GROUP_BAR_ROWS - 1 - r,
			 k == 8 ? 0x2588 : 0x2580 + (uint32_t)k, st);
	}
}

/*
 * ASCII or without colour: a cell is one state's own glyph, so each of the
 * VIEW_GROUP_BAR_ROWS cells stands for its slice of the group (the bottom
 * one for the first half of the stack, in two rows).  A state that holds
 * three quarters of its slice draws it, as in a task's lane (empty when
 * those tasks had not started or were done); a slice split more evenly is
 * the mixed glyph.  Returns the mixed cells drawn.
 */
static int draw_cells(struct grid *g, const struct view_ctx *c, const double *occ, double cap,
		      int x, int y)
{
	int mixed = 0;

	for (int r = 0; r < VIEW_GROUP_BAR_ROWS; r++) {
		double a = cap * r / VIEW_GROUP_BAR_ROWS, b = cap * (r + 1) / VIEW_GROUP_BAR_ROWS;
		double acc = 0, most = 0, used = 0;
		int best = -1;
		for (int s = 0; s < STATE_COUNT; s++) {
			double lo = acc > a ? acc : a, hi = acc + occ[s] < b ? acc + occ[s] : b;
			acc += occ[s];
			if (hi <= lo)
				continue;
			used += hi - lo;
			if (hi - lo > most)
				most = hi - lo, best = s;
		}
		if (b - a - used > most)
			best = -1, most = b - a - used; /* mostly tasks not under way */
		int yy = y + VIEW_GROUP_BAR_ROWS - 1 - r;
		if (most * 4 <= (b - a) * 3) {
			grid_put(g, x, yy, view_lanes_mixed_cp(c), grid_plain);
			mixed++;
		} else if (best >= 0) {
			grid_put(g, x, yy, view_state_cp(c, (enum state)best),
				 view_state_style(c, (enum state)best));
		}
	}
	return mixed;
}

int view_group_draw(struct grid *g, const struct view_ctx *c, const struct view_axis *ax,
		    const struct trace *tr, struct view_row row, uint64_t now, int y)
{
	struct density d = {0};
	int run[STATE_COUNT] = {0}, mixed = 0;
	bool fine = c->colour && !c->ascii;

	if (row.count <= 0 || density_build(&d, ax, tr, row, now) < 0)
		goto out;
	for (int i = 0; i < d.w && d.edge[i] < d.edge[i + 1]; i++) {
		uint64_t colw = d.edge[i + 1] - d.edge[i];
		double occ[STATE_COUNT];
		int units[STATE_COUNT];
		for (int s = 0; s < STATE_COUNT; s++) {
			run[s] += d.full[s * (d.w + 1) + i];
			occ[s] = (double)run[s] * (double)colw +
				 (double)d.part[(size_t)s * (size_t)d.w + (size_t)i];
		}
		double cap = (double)row.count * (double)colw;
		if (fine) {
			stack_units(occ, cap, VIEW_GROUP_BAR_ROWS * 8, units);
			draw_fine(g, c, units, ax->x + i, y);
		} else {
			mixed += draw_cells(g, c, occ, cap, ax->x + i, y);
		}
	}
out:
	density_free(&d);
	return mixed;
}
