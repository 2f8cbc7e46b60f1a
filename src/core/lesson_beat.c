/*
 * lesson_beat.c -- the keys of a [beat NAME] section, and what a beat must
 * have once its section ends.  Checks that need the scenario or the
 * executors (task names, executor names) are quiz.c's.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "lesson_priv.h"

/* Keys that may be given once in a beat, as bits. */
enum {
	BK_SCENARIO = 1,
	BK_BACKEND = 2,
	BK_SCALE = 4,
	BK_QUESTION = 8,
	BK_ANSWER = 16,
	BK_TITLE = 32,
};

static char *dup_text(struct lparse *p, const char *key, const char *v)
{
	char *s;

	if (!*v) {
		lesson_fail(p, p->line, "missing value for \"%s\"", key);
		return NULL;
	}
	if (strlen(v) >= LESSON_TEXT_MAX) {
		lesson_fail(p, p->line, "\"%s\" is too long (at most %d characters)", key,
			    LESSON_TEXT_MAX - 1);
		return NULL;
	}
	if (!(s = strdup(v)))
		lesson_fail(p, 0, "out of memory");
	return s;
}

/* `scenario = NAME | overview | compare NAME | costs` */
static bool set_scenario(struct lparse *p, struct lesson_beat *b, const char *v)
{
	const char *name = v;

	b->scenario_line = p->line;
	if (strcmp(v, "overview") == 0) {
		b->kind = BEAT_OVERVIEW;
		name = "overview";
	} else if (strcmp(v, "costs") == 0) {
		b->kind = BEAT_COSTS;
		name = "";
	} else if (strncmp(v, "compare", 7) == 0 && isspace((unsigned char)v[7])) {
		b->kind = BEAT_COMPARE;
		for (name = v + 7; isspace((unsigned char)*name); name++)
			;
	} else {
		b->kind = BEAT_SCENARIO;
	}
	if (b->kind != BEAT_COSTS && !*name)
		return lesson_fail(p, p->line, "missing scenario name");
	if (strlen(name) >= sizeof b->scenario)
		return lesson_fail(p, p->line, "scenario name too long");
	memcpy(b->scenario, name, strlen(name) + 1);
	return true;
}

/* A time "1500", "1500 ms" or "1.5 s" in ms; false when it is none. */
static bool parse_time(const char *s, size_t len, double *ms)
{
	char buf[64], *end;

	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!isdigit((unsigned char)buf[0]))
		return false;
	*ms = strtod(buf, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (strcmp(end, "s") == 0)
		*ms *= 1000;
	else if (*end && strcmp(end, "ms") != 0)
		return false;
	return isfinite(*ms) && *ms >= 0 && *ms <= 3600e3;
}

/* `at = TIME_OR_EVENT: pause` or `at = TIME_OR_EVENT: a line of narration` */
static bool add_at(struct lparse *p, struct lesson_beat *b, const char *v)
{
	const char *colon = strchr(v, ':'), *what, *when = v;
	char q[ESCAPE_ECHO_SIZE];

	if (b->nat == LESSON_MAX_AT)
		return lesson_fail(p, p->line, "too many time points (at most %d)", LESSON_MAX_AT);
	if (!colon)
		return lesson_fail(p, p->line,
				   "at needs \"TIME_OR_EVENT: pause\" or \"TIME_OR_EVENT: text\"");
	struct lesson_at *a = &b->at[b->nat];
	size_t n = colon - when;
	while (n > 0 && isspace((unsigned char)when[n - 1]))
		n--;
	memset(a, 0, sizeof *a);
	a->line = p->line;
	if (!parse_time(when, n, &a->ms)) {
		int e;
		for (e = 1; e < LESSON_EVENT_COUNT; e++)
			if (strlen(lesson_event_name(e)) == n &&
			    strncasecmp(lesson_event_name(e), when, n) == 0)
				break;
		if (e == LESSON_EVENT_COUNT)
			return lesson_fail(p, p->line,
					   "unknown time point \"%s\" (a time in ms or s, or: "
					   "first gil hand-off, first preemption, first task "
					   "done, end)",
					   escape_echon(q, when, n));
		a->event = e;
	}
	for (what = colon + 1; isspace((unsigned char)*what); what++)
		;
	if (!*what)
		return lesson_fail(p, p->line, "at: say \"pause\" or a line after the \":\"");
	if (strcmp(what, "pause") == 0)
		a->pause = true;
	else if (!(a->text = dup_text(p, "at", what)))
		return false;
	b->nat++;
	return true;
}

static bool set_answer(struct lparse *p, struct lesson_beat *b, const char *v)
{
	char why[128], q[ESCAPE_ECHO_SIZE];

	b->answer_line = p->line;
	if (!lesson_answer_parse(v, &b->answer, why, sizeof why))
		return lesson_fail(p, p->line, "answer \"%s\" cannot be checked: %s",
				   escape_echo(q, v), why);
	b->has_answer = true;
	return true;
}

/* The keys given once: the bit, and a duplicate is an error. */
static bool once(struct lparse *p, const char *key, unsigned bit)
{
	if (p->keys & bit)
		return lesson_fail(p, p->line, "duplicate key \"%s\"", key);
	p->keys |= bit;
	return true;
}

static bool set_backend(struct lparse *p, struct lesson_beat *b, const char *v)
{
	if (!*v || strlen(v) >= sizeof b->backend)
		return lesson_fail(p, p->line, "backend must name an executor");
	memcpy(b->backend, v, strlen(v) + 1);
	b->backend_line = p->line;
	return true;
}

static bool set_scale(struct lparse *p, struct lesson_beat *b, const char *v)
{
	char *end, q[ESCAPE_ECHO_SIZE];
	double x = strtod(v, &end);

	if (end == v || *end || !isfinite(x) || !(x > 0) || x > 100)
		return lesson_fail(p, p->line, "scale must be > 0 and <= 100, not \"%s\"",
				   escape_echo(q, v));
	b->scale = x;
	return true;
}

bool lesson_beat_key(struct lparse *p, struct lesson_beat *b, const char *key, const char *v)
{
	char q[ESCAPE_ECHO_SIZE];

	if (strcmp(key, "scenario") == 0)
		return once(p, key, BK_SCENARIO) && set_scenario(p, b, v);
	if (strcmp(key, "backend") == 0)
		return once(p, key, BK_BACKEND) && set_backend(p, b, v);
	if (strcmp(key, "scale") == 0)
		return once(p, key, BK_SCALE) && set_scale(p, b, v);
	if (strcmp(key, "title") == 0) {
		if (!once(p, key, BK_TITLE))
			return false;
		if (!*v || strlen(v) >= sizeof b->title)
			return lesson_fail(p, p->line, "title must have 1 to %zu characters",
					   sizeof b->title - 1);
		memcpy(b->title, v, strlen(v) + 1);
		return true;
	}
	if (strcmp(key, "narration") == 0) {
		if (b->nnarration == LESSON_MAX_NARRATION)
			return lesson_fail(p, p->line, "too many narration lines (at most %d)",
					   LESSON_MAX_NARRATION);
		return (b->narration[b->nnarration] = dup_text(p, key, v)) && ++b->nnarration;
	}
	if (strcmp(key, "at") == 0)
		return add_at(p, b, v);
	if (strcmp(key, "question") == 0) {
		b->question_line = p->line;
		return once(p, key, BK_QUESTION) && (b->question = dup_text(p, key, v));
	}
	if (strcmp(key, "choice") == 0) {
		if (b->nchoice == LESSON_MAX_CHOICES)
			return lesson_fail(p, p->line, "too many choices (at most %d)",
					   LESSON_MAX_CHOICES);
		return (b->choice[b->nchoice] = dup_text(p, key, v)) && ++b->nchoice;
	}
	if (strcmp(key, "answer") == 0)
		return once(p, key, BK_ANSWER) && set_answer(p, b, v);
	return lesson_fail(
	    p, p->line,
	    "unknown key \"%s\" in a beat (title, scenario, backend, scale, narration, "
	    "at, question, choice, answer)",
	    escape_echo(q, key));
}

/* Which selectors each kind of beat can check. */
static bool selector_fits(const struct lesson_beat *b, enum lesson_figure f)
{
	if (f == LESSON_FIG_FASTEST)
		return b->kind == BEAT_COMPARE || b->kind == BEAT_OVERVIEW;
	return b->kind == BEAT_SCENARIO;
}

/* The choices the answer picks from must be of the kind it names. */
static bool check_choices(struct lparse *p, struct lesson_beat *b)
{
	const struct lesson_answer *a = &b->answer;
	bool yesno = !a->selector || a->sel == LESSON_FIG_OVERLAP || a->sel == LESSON_FIG_FROZEN;

	if (yesno && b->nchoice != 2)
		return lesson_fail(p, b->answer_line,
				   "a yes-or-no answer needs exactly 2 choices, not %d",
				   b->nchoice);
	if (yesno && a->selector &&
	    (lesson_choice_yes(b->choice[0]) < 0 || lesson_choice_yes(b->choice[1]) < 0))
		return lesson_fail(p, b->answer_line,
				   "answer \"%s\" cannot be checked: its choices must begin with "
				   "\"yes\" or \"no\"",
				   lesson_figure_name(a->sel));
	for (int i = 0; a->selector && a->sel == LESSON_FIG_WALL && i < b->nchoice; i++)
		if (lesson_choice_ms(b->choice[i]) < 0)
			return lesson_fail(p, b->answer_line,
					   "answer \"wall\" cannot be checked: choice %d names no "
					   "duration (\"0.9 s\", \"800 ms\")",
					   i + 1);
	return true;
}

bool lesson_beat_close(struct lparse *p, struct lesson_beat *b)
{
	if (!b->scenario_line)
		return lesson_fail(p, b->line, "beat \"%s\" has no scenario", b->id);
	if (b->kind == BEAT_COSTS && (b->backend_line || b->nat))
		return lesson_fail(p, b->backend_line ? b->backend_line : b->at[0].line,
				   "the costs table runs no scenario: no backend or time points");
	if (b->nchoice && !b->question)
		return lesson_fail(p, b->line, "beat \"%s\" has choices but no question", b->id);
	if (b->has_answer && !b->question)
		return lesson_fail(p, b->answer_line, "an answer without a question");
	if (!b->question)
		return true;
	if (b->nchoice < 2)
		return lesson_fail(p, b->question_line, "a question needs at least 2 choices");
	if (!b->has_answer)
		return lesson_fail(p, b->question_line,
				   "a question needs an answer the run can check");
	if (b->kind == BEAT_COSTS)
		return lesson_fail(p, b->answer_line,
				   "answer cannot be checked: the costs table is not a run");
	if (b->answer.selector ? !selector_fits(b, b->answer.sel) : b->kind != BEAT_SCENARIO)
		return lesson_fail(p, b->answer_line,
				   "answer cannot be checked on this beat (fastest needs overview "
				   "or compare; every other figure one scenario)");
	return check_choices(p, b);
}
