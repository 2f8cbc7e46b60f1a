/*
 * view_step.c -- what the arrows step over (every change, one task, one
 * run, one kind of hand-off), the status line's word for it, and the "why"
 * key that follows a change to its cause and back.
 */
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "view_ctx.h"
#include "view_pair.h"
#include "view_why.h"

void view_step_filter(const struct view_ctx *c, struct view_step_filter *f)
{
	const struct view_player *pl = &c->pl;

	f->mode = pl->step_mode;
	f->panel = pl->has_focus ? pl->focus.panel : 0;
	/* In the Compare view the run is the executor picked in its table (j/k). */
	if (view_table[view_current(c)] == &view_compare && c->compare && c->compare_sel >= 0 &&
	    c->compare_sel < c->compare->nrows)
		for (int i = 0; i < c->npanels; i++)
			if (c->panels[i].tr &&
			    c->panels[i].tr == c->compare->rows[c->compare_sel].tr)
				f->panel = i;
	/* The Compare view's pair: the changes of its two runs only. */
	int a, b;
	f->pair = view_pair_panels(c, &a, &b) ? 1 + b : 0;
	/* One run on screen: the selected task; several: the one under the cursor. */
	f->lane = f->panel == 0 && !c->overview && c->npanels == 1 ? c->sel
		  : pl->has_focus				   ? pl->focus.lane
								   : 0;
}

static void step(struct view_ctx *c, int dir)
{
	struct view_step_filter f;

	view_step_filter(c, &f);
	if (!view_player_step_over(&c->pl, c->panels, c->npanels, dir, &f)) {
		if (f.mode == STEP_ALL)
			snprintf(c->flash, sizeof c->flash, "no %s state change",
				 dir > 0 ? "later recorded" : "earlier");
		else
			snprintf(c->flash, sizeof c->flash,
				 "no %s one (stepping over %s: t changes it)",
				 dir > 0 ? "later" : "earlier", view_step_mode_name(f.mode));
		return;
	}
	if (c->pl.focus.panel == 0 && !c->overview)
		view_select(c, c->pl.focus.lane);
}

/* The next step mode; "one run" only when several runs are on screen. */
static void step_mode_cycle(struct view_ctx *c)
{
	enum view_step_mode m = c->pl.step_mode;

	do
		m = (enum view_step_mode)((m + 1) % STEP_MODE_COUNT);
	while (m == STEP_RUN && c->npanels < 2);
	c->pl.step_mode = m;
}

/* Jumps to the event that made the one under the cursor happen (y), or back (Y). */
static void why(struct view_ctx *c, bool back)
{
	struct view_event e, cause;

	if (back) {
		if (c->why_depth == 0) {
			snprintf(c->flash, sizeof c->flash,
				 "nothing to go back to (y follows a cause)");
			return;
		}
		view_player_jump(&c->pl, &c->why_stack[--c->why_depth]);
	} else {
		if (!view_event_current(&c->pl, c->panels, c->npanels, &e) ||
		    !view_why_cause(&c->panels[e.panel], &e, &cause)) {
			snprintf(c->flash, sizeof c->flash,
				 "no earlier cause recorded for this change");
			return;
		}
		if (c->why_depth == VIEW_WHY_DEPTH) {
			memmove(c->why_stack, c->why_stack + 1,
				(VIEW_WHY_DEPTH - 1) * sizeof c->why_stack[0]);
			c->why_depth--;
		}
		c->why_stack[c->why_depth++] = e;
		view_player_jump(&c->pl, &cause);
	}
	if (c->pl.focus.panel == 0 && !c->overview)
		view_select(c, c->pl.focus.lane);
}

/* "| steps: task B " on the status line while stepping follows something. */
void view_step_status(const struct view_ctx *c, char *buf, size_t len)
{
	struct view_step_filter f;

	buf[0] = '\0';
	if (c->pl.step_mode == STEP_ALL || len == 0)
		return;
	view_step_filter(c, &f);
	const struct trace *tr = f.panel < c->npanels ? c->panels[f.panel].tr : NULL;
	if (f.mode == STEP_TASK && tr && f.lane >= 0 && f.lane < tr->ntasks)
		snprintf(buf, len, "\u2502 steps: %.20s ", trace_name(tr, f.lane));
	else if (f.mode == STEP_RUN && f.panel < c->npanels)
		snprintf(buf, len, "\u2502 steps: %.20s ", c->panels[f.panel].title);
	else
		snprintf(buf, len, "\u2502 steps: %s ", view_step_mode_name(f.mode));
}

bool view_step_act(struct view_ctx *c, enum view_action a)
{
	switch (a) {
	case VA_NEXT:
		step(c, 1);
		return true;
	case VA_PREV:
		step(c, -1);
		return true;
	case VA_STEP_MODE:
		step_mode_cycle(c);
		return true;
	case VA_WHY:
		why(c, false);
		return true;
	case VA_WHY_BACK:
		why(c, true);
		return true;
	default:
		return false;
	}
}
