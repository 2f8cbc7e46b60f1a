/*
 * state.c -- names, labels, glyphs and colours of states, outcomes and
 * models, all generated from the tables in state.h.
 */
#include "state.h"

#include <string.h>

static const struct {
	const char *name;
	const char *label;
	const char *glyph;
	char ascii;
	enum state_colour colour;
} state_table[STATE_COUNT] = {
#define X(e, n, l, g, a, c) [STATE_##e] = {n, l, g, a, c},
    STATE_MAP(X)
#undef X
};

static const char *const outcome_names[OUTCOME_COUNT] = {
#define X(e, n) [OUTCOME_##e] = n,
    OUTCOME_MAP(X)
#undef X
};

static const struct {
	const char *name;
	const char *summary;
} model_table[MODEL_COUNT] = {
#define X(e, n, d) [MODEL_##e] = {n, d},
    MODEL_MAP(X)
#undef X
};

static int valid_state(enum state s)
{
	return (unsigned)s < STATE_COUNT;
}

const char *state_name(enum state s)
{
	return valid_state(s) ? state_table[s].name : "?";
}

const char *state_label(enum state s)
{
	return valid_state(s) ? state_table[s].label : "?";
}

const char *state_glyph(enum state s)
{
	return valid_state(s) ? state_table[s].glyph : "?";
}

char state_ascii(enum state s)
{
	return valid_state(s) ? state_table[s].ascii : '?';
}

enum state_colour state_colour(enum state s)
{
	return valid_state(s) ? state_table[s].colour : COLOUR_DEFAULT;
}

int state_from_name(const char *name)
{
	for (int s = 0; s < STATE_COUNT; s++)
		if (strcmp(state_table[s].name, name) == 0)
			return s;
	return -1;
}

const char *outcome_name(enum outcome o)
{
	return (unsigned)o < OUTCOME_COUNT ? outcome_names[o] : "?";
}

int outcome_from_name(const char *name)
{
	for (int o = 0; o < OUTCOME_COUNT; o++)
		if (strcmp(outcome_names[o], name) == 0)
			return o;
	return -1;
}

const char *model_name(enum model m)
{
	return (unsigned)m < MODEL_COUNT ? model_table[m].name : "?";
}

const char *model_summary(enum model m)
{
	return (unsigned)m < MODEL_COUNT ? model_table[m].summary : "?";
}

int model_from_name(const char *name)
{
	for (int m = 0; m < MODEL_COUNT; m++)
		if (strcmp(model_table[m].name, name) == 0)
			return m;
	return -1;
}
