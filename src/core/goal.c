/*
 * goal.c -- a challenge's goal (`goal = ...` in a scenario): its words, how
 * it is read and how it is written back.  Checking it against a run is the
 * run layer's (run/sched_check.c), because only a finished trace can say.
 */
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static const struct {
	const char *words;
	const char *summary;
} goal_table[GOAL_COUNT] = {
#define X(e, w, d) [GOAL_##e] = {w, d},
    GOAL_MAP(X)
#undef X
};

const char *goal_summary(enum goal_kind k)
{
	return (unsigned)k < GOAL_COUNT ? goal_table[k].summary : "?";
}

/* Goals with a bound take a number of ms after their words ("ms" optional). */
static bool goal_has_bound(enum goal_kind k)
{
	return k == GOAL_SPINNER_GAP || k == GOAL_DONE_BY;
}

/* Compares TEXT with WORDS, any run of blanks matching one blank; returns the rest or NULL. */
static const char *match_words(const char *text, const char *words)
{
	while (*words) {
		if (*words == ' ') {
			if (!isspace((unsigned char)*text) && !(words[1] == '<'))
				return NULL;
			while (isspace((unsigned char)*text))
				text++;
			words++;
			continue;
		}
		if (tolower((unsigned char)*text) != *words)
			return NULL;
		text++;
		words++;
	}
	return text;
}

static int parse_bound(const char *s, double *ms)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	*ms = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (strncmp(end, "ms", 2) == 0)
		end += 2;
	while (isspace((unsigned char)*end))
		end++;
	return *end || !isfinite(*ms) || *ms > SCENARIO_MAX_MS ? -1 : 0;
}

int goal_parse(const char *text, struct scenario_goal *out)
{
	while (isspace((unsigned char)*text))
		text++;
	for (int k = 1; k < GOAL_COUNT; k++) {
		const char *rest = match_words(text, goal_table[k].words);

		if (!rest)
			continue;
		out->kind = (enum goal_kind)k;
		out->ms = 0;
		if (goal_has_bound(out->kind))
			return parse_bound(rest, &out->ms);
		while (isspace((unsigned char)*rest))
			rest++;
		return *rest ? -1 : 0;
	}
	return -1;
}

void goal_format(const struct scenario_goal *g, char *buf, size_t len)
{
	if ((unsigned)g->kind >= GOAL_COUNT || g->kind == GOAL_NONE)
		snprintf(buf, len, "none");
	else if (goal_has_bound(g->kind))
		snprintf(buf, len, "%s %g ms", goal_table[g->kind].words, g->ms);
	else
		snprintf(buf, len, "%s", goal_table[g->kind].words);
}
