/*
 * scenario_step.c -- the step language: the kinds of step (one X-macro
 * table, STEP_MAP in scenario.h) and the `steps = ...` lines of a task,
 * read into steps.  A task's steps are checked as they are read (a lock
 * taken twice, a duration out of range), so that every message names the
 * line the step is on.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "scenario_priv.h"

/* ---- step kinds -------------------------------------------------------- */

static const struct {
	const char *name;
	const char *summary;
} step_table[STEP_COUNT] = {
#define X(e, n, d) [STEP_##e] = {n, d},
    STEP_MAP(X)
#undef X
};

const char *step_name(enum step_kind k)
{
	return (unsigned)k < STEP_COUNT ? step_table[k].name : "?";
}

const char *step_summary(enum step_kind k)
{
	return (unsigned)k < STEP_COUNT ? step_table[k].summary : "?";
}

int step_takes_name(enum step_kind k)
{
	return k == STEP_LOCK || k == STEP_UNLOCK;
}

int step_from_name(const char *name)
{
	for (int k = 0; k < STEP_COUNT; k++)
		if (strcmp(step_table[k].name, name) == 0)
			return k;
	return -1;
}

static struct step *push_step(struct parse *p)
{
	if (p->nsteps == p->cap_steps) {
		int cap = p->cap_steps ? 2 * p->cap_steps : 64;
		struct step *s = realloc(p->steps, (size_t)cap * sizeof *s);

		if (!s) {
			scenario_fail(p, 0, "out of memory");
			return NULL;
		}
		p->steps = s;
		p->cap_steps = cap;
	}
	return &p->steps[p->nsteps++];
}

void scenario_step_free_texts(struct step *s, int n)
{
	for (int i = 0; i < n; i++)
		free((char *)s[i].text);
}

/*
 * The text of a print step: the rest of the item, or a quoted string
 * ("a, b"), which may hold commas.  Sets *OUT to a new string.
 */
static bool print_text(struct parse *p, const char *w, size_t n, char **out)
{
	char q[ESCAPE_ECHO_SIZE];

	if (n > 0 && w[0] == '"') {
		if (n < 2 || w[n - 1] != '"' || memchr(w + 1, '"', n - 2))
			return scenario_fail(p, p->line, "unbalanced quotes in print %s",
					     escape_echon(q, w, n));
		w++, n -= 2;
	}
	if (n == 0)
		return scenario_fail(p, p->line, "missing text after \"print\"");
	if (n >= TRACE_TEXT_MAX)
		return scenario_fail(p, p->line, "print text is too long (at most %d characters)",
				     TRACE_TEXT_MAX - 1);
	if (!(*out = strndup(w, n)))
		return scenario_fail(p, 0, "out of memory");
	return true;
}

/* Checks the duration word of a step; the step's kind is already known. */
static bool step_duration(struct parse *p, enum step_kind k, const char *w, size_t n, double *ms)
{
	char q[ESCAPE_ECHO_SIZE];

	if (n == 0)
		return scenario_fail(p, p->line, "missing duration after \"%s\"", step_name(k));
	if (!scenario_number(w, n, ms))
		return scenario_fail(p, p->line, "bad duration \"%s\": not a number of ms",
				     escape_echon(q, w, n));
	if (*ms < 0 || w[0] == '-')
		return scenario_fail(p, p->line, "negative duration \"%s\"", escape_echon(q, w, n));
	if (*ms > SCENARIO_MAX_MS)
		return scenario_fail(p, p->line, "duration %s is beyond the limit of %.0f ms",
				     escape_echon(q, w, n), SCENARIO_MAX_MS);
	if (k == STEP_SPIN && *ms <= 0)
		return scenario_fail(p, p->line, "spin needs a duration above 0 ms");
	return true;
}

/* The lock named by the LEN bytes at NAME: its index, added when new; -1 when full. */
static int lock_index(struct parse *p, const char *name, size_t len)
{
	struct scenario *sc = p->sc;

	for (int i = 0; i < sc->nlocks; i++)
		if (strlen(sc->locks[i]) == len && memcmp(sc->locks[i], name, len) == 0)
			return i;
	if (sc->nlocks == SCENARIO_MAX_LOCKS)
		return -1;
	memcpy(sc->locks[sc->nlocks], name, len);
	sc->locks[sc->nlocks][len] = '\0';
	return sc->nlocks++;
}

/*
 * `lock NAME` / `unlock NAME`: the name, and what the task holds after it.
 * A task's steps are checked as they are read, so that unlocking a lock it
 * does not hold, or taking one it holds, is reported at its own line.
 */
static bool lock_step(struct parse *p, struct tmpl *t, enum step_kind k, const char *w, size_t n,
		      int *lock)
{
	char q[ESCAPE_ECHO_SIZE];

	if (n == 0)
		return scenario_fail(p, p->line, "missing lock name after \"%s\"", step_name(k));
	if (n > NAME_MAX_LEN || !scenario_valid_name(w, n))
		return scenario_fail(p, p->line,
				     "bad lock name \"%s\" (use letters, digits, '-' and '_')",
				     escape_echon(q, w, n));
	if ((*lock = lock_index(p, w, n)) < 0)
		return scenario_fail(p, p->line, "too many locks (at most %d)", SCENARIO_MAX_LOCKS);
	unsigned bit = 1u << *lock;
	if (k == STEP_LOCK && (t->held & bit))
		return scenario_fail(p, p->line, "task \"%s\" takes lock \"%s\" while holding it",
				     t->name, p->sc->locks[*lock]);
	if (k == STEP_UNLOCK && !(t->held & bit))
		return scenario_fail(p, p->line,
				     "task \"%s\" unlocks \"%s\", which it does not hold", t->name,
				     p->sc->locks[*lock]);
	t->held ^= bit;
	return true;
}

/* The next blank-separated word of [*S, END): sets *S past it, returns its length. */
static size_t next_word(const char **s, const char *end, const char **word)
{
	const char *w = *s;

	while (w < end && isspace((unsigned char)*w))
		w++;
	*word = w;
	*s = w;
	while (*s < end && !isspace((unsigned char)**s))
		(*s)++;
	return (size_t)(*s - w);
}

/* A new step at the end of template T's list, or NULL. */
static struct step *add_step(struct parse *p, struct tmpl *t)
{
	struct step *st;

	if (t->nsteps == SCENARIO_MAX_STEPS) {
		scenario_fail(p, p->line, "too many steps in task \"%s\" (at most %d)", t->name,
			      SCENARIO_MAX_STEPS);
		return NULL;
	}
	if (!(st = push_step(p)))
		return NULL;
	t->nsteps++;
	return memset(st, 0, sizeof *st);
}

/* `print TEXT`: TEXT is the N bytes at W (blanks trimmed at the end already). */
static bool add_print(struct parse *p, struct tmpl *t, const char *w, size_t n)
{
	char *text;
	struct step *st;

	n = scenario_trim(&w, n);
	if (!print_text(p, w, n, &text))
		return false;
	if (!(st = add_step(p, t))) {
		free(text);
		return false;
	}
	st->kind = STEP_PRINT;
	st->lock = -1;
	st->text = text;
	return true;
}

/* One `KIND MS` item (already trimmed, LEN > 0) of a steps list. */
static bool parse_step(struct parse *p, struct tmpl *t, const char *s, size_t len)
{
	const char *end = s + len, *cur = s, *kw, *dw, *xw;
	size_t kn = next_word(&cur, end, &kw);
	size_t dn = next_word(&cur, end, &dw);
	size_t xn = next_word(&cur, end, &xw);
	char kind[16], q1[ESCAPE_ECHO_SIZE], q2[ESCAPE_ECHO_SIZE];
	struct step *st;
	double ms;
	int k = -1;

	if (kn < sizeof kind) {
		memcpy(kind, kw, kn);
		kind[kn] = '\0';
		k = step_from_name(kind);
	}
	if (k < 0)
		return scenario_fail(p, p->line, "unknown step \"%s\"", escape_echon(q1, kw, kn));
	if (k == STEP_PRINT)
		return add_print(p, t, dw, (size_t)(end - dw));
	int lock = -1;
	ms = 0;
	if (step_takes_name((enum step_kind)k) ? !lock_step(p, t, (enum step_kind)k, dw, dn, &lock)
					       : !step_duration(p, (enum step_kind)k, dw, dn, &ms))
		return false;
	if (xn > 0)
		return scenario_fail(
		    p, p->line, "unexpected \"%s\" after \"%s\" (separate steps with commas)",
		    escape_echon(q1, xw, xn), escape_echon(q2, kw, (size_t)(dw + dn - kw)));
	if (!(st = add_step(p, t)))
		return false;
	st->kind = (enum step_kind)k;
	st->ms = ms;
	st->lock = lock;
	return true;
}

/* The next comma of S outside double quotes (print "a, b"), or NULL. */
static const char *next_comma(const char *s)
{
	bool quoted = false;

	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (*s == ',' && !quoted)
			return s;
	}
	return NULL;
}

/* A trailing comma lets the list go on on the next, indented, line. */
bool scenario_step_list(struct parse *p, struct tmpl *t, const char *value)
{
	const char *s = value;
	char q[ESCAPE_ECHO_SIZE];

	for (;;) {
		const char *comma = next_comma(s);
		const char *item = s;
		size_t len = scenario_trim(&item, comma ? (size_t)(comma - s) : strlen(s));

		if (len == 0)
			return scenario_fail(p, p->line, "empty step between commas in \"%s\"",
					     escape_echo(q, value));
		if (!parse_step(p, t, item, len))
			return false;
		if (!comma || !*scenario_skip_blanks(comma + 1))
			return true;
		s = comma + 1;
	}
}
