/*
 * tui_session_manual.c -- manual play: the user is the scheduler.
 *
 * Each run is started with the picks made so far and stops at the first
 * choice they do not make (run_choice); the ready tasks become the prompt.
 * Choosing adds a pick and runs again from the start, so the run up to
 * there is replayed exactly and its timing is never spoiled by the time
 * the user took to think; undoing drops the last pick the same way.
 * The time slice is a dial here too: the GIL's switch interval, doubled or
 * halved, and the run repeated.
 */
#include <stdio.h>
#include <string.h>

#include "tui_session_priv.h"

/* Writes the prompt for the choice waiting (or clears it). */
static void manual_prompt(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;
	int n = 0, k = 1;

	c->prompt[0] = '\0';
	if (s->nchoice == 0)
		return;
	for (const char *p = s->picks; *p; p++)
		k += *p == ',';
	n = snprintf(c->prompt, sizeof c->prompt, "your pick #%d:", s->picks[0] ? k + 1 : 1);
	for (int i = 0; i < s->nchoice && n < (int)sizeof c->prompt; i++)
		n += snprintf(c->prompt + n, sizeof c->prompt - (size_t)n, "  %d %s", i + 1,
			      s->sc.tasks[s->choice[i]].name);
	if (n < (int)sizeof c->prompt)
		snprintf(c->prompt + n, sizeof c->prompt - (size_t)n,
			 "   (digit or Enter; u undo)");
}

void tui_session_manual_ended(struct tui_session *s)
{
	int ready[SESSION_CHOICES];

	s->nchoice = s->runs[0] ? run_choice(s->runs[0], ready, SESSION_CHOICES) : 0;
	memcpy(s->choice, ready, (size_t)s->nchoice * sizeof *ready);
	manual_prompt(s);
}

/* Adds task TASK's name to the picks and replays up to the next choice. */
static void manual_choose(struct tui_session *s, int task)
{
	size_t len = strlen(s->picks);
	const char *name = s->sc.tasks[task].name;

	if (len + strlen(name) + 2 >= sizeof s->picks)
		return;
	snprintf(s->picks + len, sizeof s->picks - len, "%s%s", len ? "," : "", name);
	s->nchoice = 0;
	manual_prompt(s);
	tui_session_restart(s);
}

/* Takes the last pick back and replays up to the choice it made. */
static void manual_undo(struct tui_session *s)
{
	char *comma = strrchr(s->picks, ',');

	if (!s->picks[0]) {
		snprintf(s->ctx->flash, sizeof s->ctx->flash, "nothing to undo");
		return;
	}
	if (comma)
		*comma = '\0';
	else
		s->picks[0] = '\0';
	s->nchoice = 0;
	manual_prompt(s);
	tui_session_restart(s);
}

bool tui_session_manual_key(struct tui_session *s, int code)
{
	if (s->kind != SESSION_SCENARIO || !s->ro.manual)
		return false;
	if (code == 'u') {
		manual_undo(s);
		return true;
	}
	if (s->nchoice == 0)
		return false;
	if (code == '\n' || code == '\r') {
		manual_choose(s, s->choice[0]);
		return true;
	}
	if (code >= '1' && code < '1' + s->nchoice) {
		manual_choose(s, s->choice[code - '1']);
		return true;
	}
	return false;
}

void tui_session_manual_toggle(struct tui_session *s)
{
	s->ro.manual = !s->ro.manual;
	s->picks[0] = '\0';
	s->nchoice = 0;
	manual_prompt(s);
	snprintf(s->ctx->flash, sizeof s->ctx->flash, "%s",
		 s->ro.manual ? "manual: you pick who runs at each choice"
			      : "manual off: the executor picks");
	tui_session_restart(s);
}

void tui_session_slice(struct tui_session *s, double factor)
{
	double ms = s->ro.switch_interval_ms > 0		 ? s->ro.switch_interval_ms
		    : s->have_sc && s->sc.switch_interval_ms > 0 ? s->sc.switch_interval_ms
								 : RUN_DEFAULT_SWITCH_MS;

	ms *= factor;
	if (ms < 0.1)
		ms = 0.1;
	if (ms > SCENARIO_MAX_SWITCH_MS)
		ms = SCENARIO_MAX_SWITCH_MS;
	s->ro.switch_interval_ms = ms;
	tui_session_rerun(s);
	snprintf(s->ctx->flash, sizeof s->ctx->flash, "GIL switch interval %g ms: running again",
		 ms);
}
