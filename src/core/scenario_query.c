/*
 * scenario_query.c -- questions asked of a parsed scenario, and the one
 * change made to it afterwards: which narration lines an executor shows,
 * whether a step kind is used, and slow motion (scenario_scale).
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "scenario.h"

/* True when the comma-separated LIST names BACKEND. */
static bool list_has(const char *list, const char *backend)
{
	size_t n = strlen(backend);

	for (const char *s = list; s; s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL)
		if (strncmp(s, backend, n) == 0 && (s[n] == ',' || s[n] == '\0'))
			return true;
	return false;
}

int scenario_narration_for(const struct scenario *sc, const char *backend, const char **lines,
			   int max)
{
	int n = 0;

	for (int i = 0; i < sc->nnarration && n < max; i++)
		if (!backend || !sc->narration_for[i] || list_has(sc->narration_for[i], backend))
			lines[n++] = sc->narration[i];
	return n;
}

void scenario_scale(struct scenario *sc, double x)
{
	if (!(x > 0) || !isfinite(x))
		return;
	for (int i = 0; i < sc->nsteps; i++)
		sc->steps[i].ms *= x;
	sc->switch_interval_ms *= x;
	sc->scale = (sc->scale > 0 ? sc->scale : 1) * x;
	sc->goal.ms *= x;
}

int scenario_has_step(const struct scenario *sc, enum step_kind k)
{
	for (int i = 0; i < sc->nsteps; i++)
		if (sc->steps[i].kind == k)
			return 1;
	return 0;
}

int scenario_task_has_step(const struct scenario_task *t, enum step_kind k)
{
	for (int i = 0; i < t->nsteps; i++)
		if (t->steps[i].kind == k)
			return 1;
	return 0;
}
