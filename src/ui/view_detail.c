/*
 * view_detail.c -- the Figures view: the run's figures and time per state,
 * the findings of the run (key f jumps to the next one), then the selected
 * task: its totals per state and its spans around the cursor, the current
 * one highlighted.  With several panels, a table that compares them instead.
 */
#include <stdio.h>
#include <string.h>

#include "view_ctx.h"
#include "view_layout.h"
#include "view_lanes.h"

/* Time LANE spent in each state up to the cursor, in ns. */
static void lane_totals(const struct trace *tr, int lane, uint64_t upto, uint64_t now,
			uint64_t *tot)
{
	uint32_t n = trace_count(tr, lane);
	struct span sp;

	memset(tot, 0, sizeof *tot * STATE_COUNT);
	for (uint32_t k = 0; k < n; k++) {
		trace_get(tr, lane, k, &sp);
		if (sp.t0 >= upto)
			break;
		uint64_t t1 = sp.t1 == TRACE_OPEN ? now : sp.t1;
		if (t1 > upto)
			t1 = upto;
		if (t1 > sp.t0)
			tot[sp.state] += t1 - sp.t0;
	}
}

/* A labelled horizontal bar: "running  ██████░░  1.2 s  45%". */
static void share_bar(struct grid *g, const struct view_ctx *c, int y, enum state s, double ms,
		      double total_ms)
{
	char t[32];
	int bw = g->w - 40 > 10 ? (g->w - 40 < 40 ? g->w - 40 : 40) : 10;
	double f = total_ms > 0 ? ms / total_ms : 0;
	int fill = (int)(f * bw + 0.5);

	grid_put(g, 1, y, view_state_cp(c, s), view_state_style(c, s));
	grid_text(g, 3, y, 9, state_name(s), grid_plain);
	for (int i = 0; i < bw; i++)
		grid_put(g, 12 + i, y, i < fill ? view_state_cp(c, s) : (c->ascii ? '.' : 0x00b7),
			 i < fill ? view_state_style(c, s) : view_style(c, ROLE_DIM));
	view_fmt_time(t, sizeof t, (uint64_t)(ms * 1e6));
	grid_textf(g, 13 + bw, y, -1, grid_plain, "%10s %4.0f%%", t, f * 100);
}

static int run_section(struct grid *g, struct view_ctx *c, int y)
{
	const struct stats *st = c->stats;

	grid_text(g, 1, y++, -1, "The run", view_style(c, ROLE_TITLE));
	view_figures(g, c, y++);
	const struct trace *tr = c->npanels > 0 ? c->panels[0].tr : NULL;
	if (tr && tr->meta.observer[0]) {
		/* An observed program: how exactly its switches are known. */
		if (strcmp(tr->meta.observer, "perf") == 0)
			grid_text(g, 1, y++, g->w - 2,
				  "observed with perf events: every context switch, exactly",
				  view_style(c, ROLE_DIM));
		else
			grid_textf(g, 1, y++, g->w - 2, view_style(c, ROLE_DIM),
				   "observed by sampling /proc every %.2f ms: switches within "
				   "half a period",
				   tr->meta.observer_period_us / 1000);
		if (tr->meta.observer_unshown > 0)
			grid_textf(g, 1, y++, g->w - 2, view_style(c, ROLE_BAD),
				   "up to %d threads alive at once not shown: all %d lanes taken",
				   tr->meta.observer_unshown, tr->ntasks);
	}
	if (!st) {
		grid_text(g, 1, y++, g->w - 2, "time per state: when the run has ended",
			  view_style(c, ROLE_DIM));
		return y;
	}
	double total = 0;
	for (int s = 0; s < STATE_COUNT; s++)
		if (s != STATE_DONE)
			total += st->state_ms[s];
	grid_text(g, 1, y++, g->w - 2,
		  "time per state, summed over the tasks:", view_style(c, ROLE_DIM));
	for (int s = 0; s < STATE_COUNT; s++)
		if (s != STATE_DONE && st->state_ms[s] > 0)
			share_bar(g, c, y++, (enum state)s, st->state_ms[s], total);
	return y;
}

/* Rows the findings list may take; more are reached with f. */
#define DETAIL_FINDING_ROWS 5

void view_detail_next_finding(struct view_ctx *c)
{
	const struct trace *tr = c->npanels == 1 ? c->panels[0].tr : NULL;
	uint32_t n = tr ? trace_finding_count(tr) : 0;
	struct trace_finding f;

	if (n == 0) {
		snprintf(c->flash, sizeof c->flash, "no findings%s",
			 c->panels[0].live ? " yet: they come when the run ends" : " in this run");
		return;
	}
	c->finding_sel = (int)((uint32_t)c->finding_sel % n) + 1;
	if (!trace_get_finding(tr, (uint32_t)c->finding_sel - 1, &f))
		return;
	c->pl.cursor = f.t0;
	c->pl.paused = true;
	c->pl.follow = false;
	c->pl.scrolled = false;
	c->pl.has_focus = false;
	if (f.ntasks > 0 && f.tasks[0] >= 0 && f.tasks[0] < tr->ntasks)
		view_select(c, f.tasks[0]);
}

/* One finding on row Y: kind, time range, tasks, then its sentence. */
static void finding_row(struct grid *g, struct view_ctx *c, int y, const struct trace *tr,
			const struct trace_finding *f, bool sel)
{
	struct grid_style st = sel ? view_style(c, ROLE_SELECTED) : grid_plain;
	char a[32], b[32];
	int x = 1;

	grid_fill(g, 1, y, g->w - 2, 1, ' ', st);
	view_fmt_time(a, sizeof a, f->t0);
	view_fmt_time(b, sizeof b, f->t1);
	x += grid_textf(g, x, y, g->w - 2, st, "%s %s %s\u2013%s ", sel ? "\u25b8" : " ",
			finding_kind_name(f->kind), a, b);
	for (int k = 0; k < f->ntasks && k < TRACE_FINDING_TASKS; k++)
		if (f->tasks[k] >= 0 && f->tasks[k] < tr->ntasks)
			x += grid_textf(g, x, y, g->w - 1 - x, st, "%s ",
					trace_name(tr, f->tasks[k]));
	if (x < g->w - 3)
		grid_text(g, x + 1, y, g->w - 2 - x, f->text, st);
}

/* The run's findings, the one f jumped to (and those around it) in view. */
static int findings_section(struct grid *g, struct view_ctx *c, int y, int ymax)
{
	const struct trace *tr = c->panels[0].tr;
	uint32_t n = trace_finding_count(tr);
	struct trace_finding f;

	if (y >= ymax)
		return y;
	if (n == 0) {
		grid_text(g, 1, y++, g->w - 2,
			  c->panels[0].live ? "Findings: when the run has ended"
					    : "Findings: none, nothing stood out in this run",
			  view_style(c, ROLE_DIM));
		return y;
	}
	grid_textf(g, 1, y++, g->w - 2, view_style(c, ROLE_TITLE),
		   "Findings (%u, f jumps to the next)", n);
	uint32_t rows = DETAIL_FINDING_ROWS,
		 sel = c->finding_sel > 0 ? (uint32_t)c->finding_sel - 1 : n;
	uint32_t first = sel < n && sel >= rows ? sel - rows + 1 : 0;
	for (uint32_t i = first; i < n && i < first + rows && y < ymax; i++)
		if (trace_get_finding(tr, i, &f))
			finding_row(g, c, y++, tr, &f, i == sel);
	return y;
}

static int task_section(struct grid *g, struct view_ctx *c, int y, int ymax)
{
	const struct view_panel *p = &c->panels[0];
	const struct trace *tr = p->tr;
	int lane = c->sel;
	uint64_t tot[STATE_COUNT], sum = 0;
	char a[32], b[32];
	struct span sp;

	lane_totals(tr, lane, c->pl.cursor, p->now_ns, tot);
	for (int s = 0; s < STATE_COUNT; s++)
		sum += tot[s];
	grid_textf(g, 1, y++, g->w - 2, view_style(c, ROLE_TITLE), "Task %s (%d of %d) \u00b7 %s",
		   trace_name(tr, lane), lane + 1, tr->ntasks,
		   trace_outcome(tr, lane) == OUTCOME_NONE ? "not finished"
							   : outcome_name(trace_outcome(tr, lane)));
	for (int s = 0; s < STATE_COUNT && y < ymax; s++)
		if (s != STATE_DONE && tot[s] > 0)
			share_bar(g, c, y++, (enum state)s, (double)tot[s] / 1e6,
				  (double)sum / 1e6);
	if (y >= ymax)
		return y;
	grid_textf(g, 1, y++, g->w - 2, view_style(c, ROLE_AXIS), "%10s %10s  %-9s %4s  %s", "from",
		   "to", "state", "core", "why");
	/* The spans around the cursor, the one it is in highlighted. */
	int32_t cur = view_span_at(tr, lane, c->pl.cursor);
	int32_t n = (int32_t)trace_count(tr, lane), rows = ymax - y;
	int32_t first = cur - rows / 2;
	if (first > n - rows)
		first = n - rows;
	if (first < 0)
		first = 0;
	for (int32_t k = first; k < n && y < ymax; k++, y++) {
		trace_get(tr, lane, (uint32_t)k, &sp);
		if (sp.t0 > c->pl.cursor)
			break; /* not happened yet at the cursor */
		view_fmt_time(a, sizeof a, sp.t0);
		if (sp.t1 == TRACE_OPEN || sp.t1 > c->pl.cursor)
			snprintf(b, sizeof b, "\u2026");
		else
			view_fmt_time(b, sizeof b, sp.t1);
		struct grid_style st = k == cur ? view_style(c, ROLE_SELECTED) : grid_plain;
		grid_fill(g, 1, y, g->w - 2, 1, ' ', st);
		grid_textf(g, 1, y, g->w - 2, st, "%10s %10s  ", a, b);
		grid_put(g, 24, y, view_state_cp(c, sp.state), view_state_style(c, sp.state));
		grid_textf(g, 26, y, g->w - 27, st, "%-7s %4s  %s", state_name(sp.state),
			   sp.cpu >= 0 ? "" : "-", sp.reason);
		if (sp.cpu >= 0)
			grid_textf(g, 34, y, 4, st, "%4d", sp.cpu);
	}
	return y;
}

static void compare_section(struct grid *g, struct view_ctx *c, int y, int ymax)
{
	char w[32];
	uint64_t base = view_player_end(&c->panels[0], 1);

	grid_text(g, 1, y++, -1, "The pictures compared", view_style(c, ROLE_TITLE));
	grid_textf(g, 1, y++, g->w - 2, view_style(c, ROLE_AXIS), "%-40s %10s %8s", "", "wall",
		   "vs first");
	for (int i = 0; i < c->npanels && y < ymax; i++, y++) {
		const struct view_panel *p = &c->panels[i];
		uint64_t end = view_player_end(p, 1);

		if (!p->tr) {
			grid_textf(g, 1, y, g->w - 2, grid_plain, "%-40.40s %s", p->title, p->note);
			continue;
		}
		view_fmt_time(w, sizeof w, end);
		grid_textf(g, 1, y, g->w - 2, grid_plain, "%-40.40s %10s %7.2f\u00d7%s", p->title,
			   w, end > 0 ? (double)base / (double)end : 0.0,
			   p->live ? "  (running)" : "");
	}
}

static void compose(struct grid *g, struct view_ctx *c)
{
	int y = 3, ymax = g->h - 1 - VIEW_CAPTION_ROWS;

	view_header(g, c, 0);
	view_tabs(g, c, 1);
	view_keybar(g, c, g->h - 1);
	view_caption(g, c, g->h - 1 - VIEW_CAPTION_ROWS);
	if (c->npanels > 1) {
		compare_section(g, c, y, ymax);
		return;
	}
	if (!c->panels[0].tr) {
		grid_text(g, 1, y, g->w - 2, c->panels[0].note, view_style(c, ROLE_DIM));
		return;
	}
	if (c->sel >= c->panels[0].tr->ntasks)
		c->sel = 0;
	y = run_section(g, c, y) + 1;
	y = findings_section(g, c, y, ymax) + 1;
	if (y < ymax)
		task_section(g, c, y, ymax);
}

const struct view view_detail = {
    .name = "Figures",
    .compose = compose,
};
