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

/* The first of the W column middles MIDS at or after T (W when none). */
static int mid_index(const uint64_t *mids, int w, uint64_t t)
{
	int lo = 0, hi = w;

	while (lo < hi) {
		int m = (lo + hi) / 2;
		if (mids[m] < t)
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

/*
 * Adds LANE's spans to DIFF: for each state a difference array over the
 * columns whose middle the span covers, so a lane costs the spans in the
 * window rather than a search per column (10,000 lanes at 60 frames).
 */
static void sweep_lane(const struct trace *tr, int lane, const struct view_axis *ax,
		       const uint64_t *mids, int w, uint64_t now, int *diff)
{
	int32_t k0 = view_span_at(tr, lane, ax->t0);
	uint32_t n = trace_count(tr, lane);
	struct span sp;

	for (uint32_t k = k0 < 0 ? 0 : (uint32_t)k0; k < n; k++) {
		trace_get(tr, lane, k, &sp);
		if (sp.t0 > mids[w - 1] || sp.t0 >= ax->cursor)
			break;
		uint64_t t1 = sp.t1 == TRACE_OPEN ? now : sp.t1;
		if (t1 > ax->cursor)
			t1 = ax->cursor;
		if (sp.state == STATE_DONE || t1 <= sp.t0)
			continue;
		int a = mid_index(mids, w, sp.t0), b = mid_index(mids, w, t1);
		if (b > a) {
			diff[sp.state * (w + 1) + a]++;
			diff[sp.state * (w + 1) + b]--;
		}
	}
}

int view_group_draw(struct grid *g, const struct view_ctx *c, const struct view_axis *ax,
		    const struct trace *tr, struct view_row row, uint64_t now, int y)
{
	int w = ax->w, mixed = 0;
	uint64_t *mids = malloc(sizeof *mids * (size_t)w);
	int *diff = calloc((size_t)STATE_COUNT * (size_t)(w + 1), sizeof *diff);
	int run[STATE_COUNT] = {0};

	if (!mids || !diff)
		goto out;
	for (int i = 0; i < w; i++) {
		uint64_t a = view_lanes_time(ax, i), b = view_lanes_time(ax, i + 1);
		mids[i] = a + (b - a) / 2;
	}
	for (int l = row.lane; l < row.lane + row.count; l++)
		sweep_lane(tr, l, ax, mids, w, now < ax->cursor ? now : ax->cursor, diff);
	for (int i = 0; i < w && view_lanes_time(ax, i) < ax->cursor; i++) {
		int best = -1, started = 0;
		for (int s = 0; s < STATE_COUNT; s++) {
			run[s] += diff[s * (w + 1) + i];
			started += run[s];
			if (run[s] > 0 && (best < 0 || run[s] > run[best]))
				best = s;
		}
		if (best < 0)
			continue;
		/* No state holds two thirds of the tasks under way: they are split. */
		if (run[best] * 3 < started * 2) {
			grid_put(g, ax->x + i, y, view_lanes_mixed_cp(c), grid_plain);
			mixed++;
		} else {
			grid_put(g, ax->x + i, y, view_state_cp(c, (enum state)best),
				 view_state_style(c, (enum state)best));
		}
	}
out:
	free(mids);
	free(diff);
	return mixed;
}
