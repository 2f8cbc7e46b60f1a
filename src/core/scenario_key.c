/*
 * scenario_key.c -- what each key means: the settings of [scenario] (a
 * table of its keys), its narration lines, and the keys of a [task NAME].
 * A key given twice, a value out of range or a key in the wrong section is
 * reported at its line; the steps list itself is scenario_step.c's.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "scenario_priv.h"

/* Sets (or, on an indented continuation line, extends) a text field. */
static bool set_text(struct parse *p, const char *key, char *dst, size_t size, const char *v,
		     bool cont)
{
	size_t have = cont ? strlen(dst) : 0;

	if (have + (cont ? 1 : 0) + strlen(v) >= size)
		return scenario_fail(p, p->line, "\"%s\" is too long (at most %zu characters)", key,
				     size - 1);
	if (cont)
		dst[have++] = ' ';
	strcpy(dst + have, v);
	return true;
}

/*
 * The executors of a tagged narration key, "narration[gil,threads]": the
 * LEN bytes at S between the brackets.  Names are lower-case words; which
 * executors exist is the run layer's to check.
 */
static bool narration_tag(struct parse *p, const char *s, size_t len, char **out)
{
	char q[ESCAPE_ECHO_SIZE];
	bool empty = true;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == ',' && !empty) {
			empty = true;
			continue;
		}
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
			return scenario_fail(
			    p, p->line, "bad executor list \"%s\" (narration[NAME,NAME] = ...)",
			    escape_echon(q, s, len));
		empty = false;
	}
	if (len == 0)
		return scenario_fail(p, p->line, "empty executor list in narration[...]");
	if (empty)
		return scenario_fail(p, p->line,
				     "bad executor list \"%s\" (narration[NAME,NAME] = ...)",
				     escape_echon(q, s, len));
	if (!(*out = strndup(s, len)))
		return scenario_fail(p, 0, "out of memory");
	return true;
}

static bool add_narration(struct parse *p, const char *v, bool cont)
{
	struct scenario *sc = p->sc;
	char *s;

	if (cont) {
		char *last = sc->narration[sc->nnarration - 1];

		if (!(s = realloc(last, strlen(last) + strlen(v) + 2)))
			return scenario_fail(p, 0, "out of memory");
		strcat(strcat(s, " "), v);
		sc->narration[sc->nnarration - 1] = s;
		return true;
	}
	if (sc->nnarration == SCENARIO_MAX_NARRATION)
		return scenario_fail(p, p->line, "too many narration lines (at most %d)",
				     SCENARIO_MAX_NARRATION);
	if (!(s = strdup(v)))
		return scenario_fail(p, 0, "out of memory");
	sc->narration[sc->nnarration++] = s;
	return true;
}

/* The keys of [scenario] that take a plain value (not text or narration). */
static bool set_setting(struct parse *p, const char *key, const char *v)
{
	struct scenario *sc = p->sc;
	char q[ESCAPE_ECHO_SIZE];
	double ms;
	long n;

	if (strcmp(key, "workers") == 0) {
		if ((n = scenario_count(v, 1, SCENARIO_MAX_WORKERS)) < 0)
			return scenario_fail(p, p->line,
					     "workers must be an integer from 1 to %d, not \"%s\"",
					     SCENARIO_MAX_WORKERS, escape_echo(q, v));
		sc->workers = (int)n;
	} else if (strcmp(key, "wait") == 0) {
		if (strcmp(v, "all") != 0 && strcmp(v, "first") != 0)
			return scenario_fail(p, p->line,
					     "wait must be \"all\" or \"first\", not \"%s\"",
					     escape_echo(q, v));
		sc->wait = strcmp(v, "first") == 0 ? WAIT_FIRST : WAIT_ALL;
	} else if (strcmp(key, "main") == 0) {
		if (strlen(v) >= sizeof p->main_name)
			return scenario_fail(p, p->line, "main must name a task, not \"%s\"",
					     escape_echo(q, v));
		strcpy(p->main_name, v);
		p->main_line = p->line;
	} else if (strcmp(key, "gil") == 0) {
		if (strcmp(v, "new") != 0 && strcmp(v, "old") != 0 && strcmp(v, "off") != 0)
			return scenario_fail(p, p->line,
					     "gil must be \"new\", \"old\" or \"off\", not \"%s\"",
					     escape_echo(q, v));
		strcpy(sc->gil, v);
	} else if (strcmp(key, "goal") == 0) {
		if (goal_parse(v, &sc->goal) < 0)
			return scenario_fail(p, p->line,
					     "goal must be \"spinner gap <= MS\", \"done by MS\", "
					     "\"deadlock\" or \"critical overlap\", not \"%s\"",
					     escape_echo(q, v));
	} else {
		if (!scenario_number(v, strlen(v), &ms) || !(ms > 0) || ms > SCENARIO_MAX_SWITCH_MS)
			return scenario_fail(
			    p, p->line,
			    "switch_interval must be a number of ms above 0 and at most "
			    "%.0f, not \"%s\"",
			    SCENARIO_MAX_SWITCH_MS, escape_echo(q, v));
		sc->switch_interval_ms = ms;
	}
	return true;
}

#define TEXT_FIELD(f) offsetof(struct scenario, f), sizeof(((struct scenario *)0)->f)

static const struct scenario_key {
	const char *key;
	unsigned bit;	  /* 0: the key may be repeated */
	size_t off, size; /* a text field of struct scenario; size 0 when not text */
	bool continues;	  /* may go on over indented lines */
} scenario_keys[] = {
    {"name", KEY_NAME, TEXT_FIELD(name), false},
    {"title", KEY_TITLE, TEXT_FIELD(title), true},
    {"source", KEY_SOURCE, TEXT_FIELD(source), false},
    {"backend", KEY_BACKEND, TEXT_FIELD(backend), false},
    {"narration", 0, 0, 0, true},
    {"workers", KEY_WORKERS, 0, 0, false},
    {"wait", KEY_WAIT, 0, 0, false},
    {"gil", KEY_GIL, 0, 0, false},
    {"switch_interval", KEY_SWITCH, 0, 0, false},
    {"goal", KEY_GOAL, 0, 0, false},
    {"main", KEY_MAIN, 0, 0, false},
};

/* Checks shared by every key: continuation, empty value, duplicate. */
static bool key_ok(struct parse *p, const char *key, const char *v, bool cont, bool continues,
		   unsigned bit, unsigned *seen)
{
	if (cont && !continues)
		return scenario_fail(p, p->line, "indented line: \"%s\" takes one line", key);
	if (cont)
		return true;
	if (!*v)
		return scenario_fail(p, p->line, "missing value for \"%s\"", key);
	if (*seen & bit)
		return scenario_fail(p, p->line, "duplicate key \"%s\"", key);
	*seen |= bit;
	return true;
}

/* narration[gil,threads] = ...: a narration line for those executors only. */
static bool tagged_narration(struct parse *p, const char *key, const char *v, bool cont)
{
	size_t len = strlen(key);
	char *tag;

	if (key[len - 1] != ']')
		return scenario_fail(p, p->line, "missing \"]\" in \"narration[\"");
	if (cont)
		return add_narration(p, v, cont);
	if (!*v)
		return scenario_fail(p, p->line, "missing value for \"narration\"");
	if (!narration_tag(p, key + 10, len - 11, &tag))
		return false;
	if (!add_narration(p, v, false)) {
		free(tag);
		return false;
	}
	p->sc->narration_for[p->sc->nnarration - 1] = tag;
	return true;
}

bool scenario_key_scenario(struct parse *p, const char *key, const char *v, bool cont)
{
	const struct scenario_key *k = NULL;
	char q[ESCAPE_ECHO_SIZE];

	if (strncmp(key, "narration[", 10) == 0)
		return tagged_narration(p, key, v, cont);
	for (size_t i = 0; i < sizeof scenario_keys / sizeof *scenario_keys; i++)
		if (strcmp(scenario_keys[i].key, key) == 0)
			k = &scenario_keys[i];
	if (!k)
		return scenario_fail(p, p->line, "unknown key \"%s\" in [scenario]",
				     escape_echo(q, key));
	if (!key_ok(p, key, v, cont, k->continues, k->bit, &p->sc_keys))
		return false;
	if (k->size && !set_text(p, key, (char *)p->sc + k->off, k->size, v, cont))
		return false;
	if (k->bit == KEY_BACKEND)
		p->sc->backend_line =
		    p->line; /* checked against the executors by run_load_scenario */
	if (k->size)
		return true;
	if (k->bit == 0)
		return add_narration(p, v, cont);
	return set_setting(p, key, v);
}

bool scenario_key_task(struct parse *p, struct tmpl *t, const char *key, const char *v, bool cont)
{
	bool steps = strcmp(key, "steps") == 0, repeat = strcmp(key, "repeat") == 0;
	char q[ESCAPE_ECHO_SIZE];
	unsigned bit;
	long n;

	if (!steps && !repeat && strcmp(key, "count") != 0)
		return scenario_fail(p, p->line, "unknown key \"%s\" in [task %s]",
				     escape_echo(q, key), t->name);
	if (steps && !cont) {
		/* "steps =" may be followed by the list on indented lines. */
		if (t->keys & KEY_STEPS)
			return scenario_fail(p, p->line, "duplicate key \"steps\"");
		t->keys |= KEY_STEPS;
		t->steps_line = p->line;
		return !*v || scenario_step_list(p, t, v);
	}
	if (steps)
		return scenario_step_list(p, t, v);
	bit = repeat ? KEY_REPEAT : KEY_COUNT;
	if (!key_ok(p, key, v, cont, false, bit, &t->keys))
		return false;
	n = scenario_count(v, 1, repeat ? SCENARIO_MAX_REPEAT : SCENARIO_MAX_COUNT);
	if (n < 0)
		return scenario_fail(p, p->line, "%s must be an integer from 1 to %d, not \"%s\"",
				     key, repeat ? SCENARIO_MAX_REPEAT : SCENARIO_MAX_COUNT,
				     escape_echo(q, v));
	if (repeat) {
		t->repeat = (int)n;
	} else {
		t->count = (int)n;
		t->count_line = p->line;
	}
	return true;
}
