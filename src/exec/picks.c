/*
 * picks.c -- a scheduling decision made from a list of names.
 */
#include "picks.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "escape.h"
#include "runner.h"

int picks_parse(struct picks *p, const struct scenario *sc, const char *list, char *err,
		size_t errlen)
{
	char q[ESCAPE_ECHO_SIZE];
	const char *s = list;

	memset(p, 0, sizeof *p);
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		int found = -1;

		for (int i = 0; i < sc->ntasks && found < 0; i++)
			if (strlen(sc->tasks[i].name) == len &&
			    memcmp(sc->tasks[i].name, s, len) == 0)
				found = i;
		if (found < 0) {
			snprintf(err, errlen, "--picks: no task named \"%s\" in %s",
				 escape_echon(q, s, len), sc->name);
			return -1;
		}
		if (p->nwant == PICKS_MAX) {
			snprintf(err, errlen, "--picks: too many picks (at most %d)", PICKS_MAX);
			return -1;
		}
		p->want[p->nwant++] = found;
		if (!comma)
			break;
		s = comma + 1;
	}
	return 0;
}

/* Says in the trace that pick number K (0-based) could not be followed. */
static void picks_note(struct picks *p, int k, int ran)
{
	struct trace_finding f = {.kind = FINDING_NOTE, .ntasks = 1};
	uint64_t now = clock_now_ns();

	f.t0 = f.t1 = now > p->tr->epoch_ns ? now - p->tr->epoch_ns : 0;
	f.tasks[0] = p->want[k];
	snprintf(f.text, sizeof f.text, "pick %d (%s) was not ready: the scheduler ran %s", k + 1,
		 trace_name(p->tr, p->want[k]), trace_name(p->tr, ran));
	trace_add_finding(p->tr, &f);
}

int picks_choose(struct picks *p, const int *ready, int n)
{
	int at = 0;

	/* No choice to make: a pick that names the one ready task is used up by it. */
	if (n == 1) {
		if (p->next < p->nwant && p->want[p->next] == ready[0]) {
			p->next++;
			if (p->tr->meta.npicks < TRACE_PICKS_MAX)
				p->tr->meta.picks[p->tr->meta.npicks++] = ready[0];
		}
		return 0;
	}
	if (p->nstopped > 0)
		return 0; /* stopped already: whatever runs meanwhile is not a choice */
	if (p->next >= p->nwant && p->stop) {
		/* The player's turn: remember who could run, and end the run here. */
		for (int i = 0; i < n && i < PICKS_MAX; i++)
			p->stopped[p->nstopped++] = ready[i];
		atomic_store(p->stop, RUNNER_INTERRUPTED);
		return 0;
	}
	if (p->next < p->nwant) {
		int k = p->next++;
		at = -1;
		for (int i = 0; i < n && at < 0; i++)
			if (ready[i] == p->want[k])
				at = i;
		if (at < 0) {
			at = 0;
			picks_note(p, k, ready[0]);
		}
	}
	if (p->tr->meta.npicks < TRACE_PICKS_MAX)
		p->tr->meta.picks[p->tr->meta.npicks++] = ready[at];
	p->decisions++;
	return at;
}
