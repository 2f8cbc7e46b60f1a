/*
 * tui_session_observe.c -- a real program on screen, live: its threads
 * appear as lanes when they are born; r observes it again.
 */
#include <stdio.h>
#include <string.h>

#include "tui_session_priv.h"
#include "view_player.h"

int tui_session_observe(struct tui_session *s, const struct observe_opts *o, char *err,
			size_t errlen)
{
	struct view_ctx *c = s->ctx;
	struct observe_opts again = *o; /* O may be s->observe itself */

	tui_session_clear(s);
	struct run *r = run_observe(&again, tui_session_run_ended, s, err, errlen);
	if (!r)
		return -1;
	s->observe = again;
	s->kind = SESSION_OBSERVED;
	s->runs[0] = r;
	c->npanels = 1;
	struct view_panel *p = &c->panels[0];
	const struct trace_meta *m = &run_trace(r)->meta;
	p->tr = run_trace(r);
	p->live = true;
	p->now_ns = 0;
	p->note[0] = '\0';
	/* The header says how the program is watched, and how exactly. */
	if (strcmp(m->observer, "perf") == 0)
		snprintf(p->title, sizeof p->title, "observed: perf events");
	else
		snprintf(p->title, sizeof p->title, "observed: sampled every %.1f ms",
			 m->observer_period_us / 1000);
	snprintf(c->source, sizeof c->source, "a real program, %s", p->title + 10);
	snprintf(c->scenario, sizeof c->scenario, "%s", m->scenario);
	snprintf(c->title, sizeof c->title, "%s", m->title);
	c->narration = NULL;
	c->nnarration = 0;
	view_player_reset(&c->pl, true);
	return 0;
}

bool tui_session_program_failed(const struct tui_session *s)
{
	return s->program_failed;
}
