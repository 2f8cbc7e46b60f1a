/*
 * scenario.c -- reads scenario files (INI, through libinih) into a struct
 * scenario.  Finding the files (built-in names, the data directories) is
 * scenario_path.c's job.
 *
 * libinih hands us each `key = value` pair, but the Debian build tells the
 * handler neither the line number (INI_HANDLER_LINENO is off) nor about
 * sections that hold no keys.  So we feed it through our own line reader:
 * the reader counts lines and notices section headers, and every message can
 * then name the line it is about.
 */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"

/* Task names leave room for the digits `count` appends to copies. */
#define NAME_MAX_LEN (TRACE_NAME_MAX - 8)

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

/* ---- parser state ------------------------------------------------------ */

/* A [task NAME] section as written, before `count` makes copies of it. */
struct tmpl {
	char name[TRACE_NAME_MAX];
	int line;	/* of its [task NAME] header */
	int count_line; /* of its `count` key, 0 when absent */
	int steps_line; /* of its `steps` key, 0 when absent */
	int first;	/* index of its first step in parse.steps */
	int nsteps;
	int repeat;
	int count;
	unsigned keys; /* bits of the keys already given (KEY_*) */
	unsigned held; /* bits of the locks its steps hold so far (scenario.locks) */
};

enum section_kind { SEC_NONE, SEC_SCENARIO, SEC_TASK };

/* Keys that may be given once, as bits for duplicate detection. */
enum {
	KEY_NAME = 1 << 0,
	KEY_TITLE = 1 << 1,
	KEY_SOURCE = 1 << 2,
	KEY_BACKEND = 1 << 3,
	KEY_WORKERS = 1 << 4,
	KEY_WAIT = 1 << 5,
	KEY_GIL = 1 << 6,
	KEY_SWITCH = 1 << 7,
	KEY_STEPS = 1 << 8,
	KEY_REPEAT = 1 << 9,
	KEY_COUNT = 1 << 10,
	KEY_GOAL = 1 << 11,
	KEY_MAIN = 1 << 12,
};

struct parse {
	const char *file;    /* the name used in messages */
	struct scenario *sc; /* filled in as keys arrive */
	const char *text;    /* the input: a string ... */
	FILE *fp;	     /* ... or a file */
	int line;	     /* lines handed to libinih so far */
	bool indented;	     /* the current line starts with a blank */
	bool prev_key;	     /* a key was seen in this section (libinih's prev_name) */
	enum section_kind sec;
	bool have_scenario;
	unsigned sc_keys;		/* KEY_* bits given in [scenario] */
	char main_name[TRACE_NAME_MAX]; /* `main`: the task asyncio.run starts ("": none) */
	int main_line;			/* the line of `main`, 0 when absent */
	struct tmpl *tmpls;		/* one per [task NAME] section */
	int ntmpls, cap_tmpls;
	struct step *steps; /* every template's steps, section after section */
	int nsteps, cap_steps;
	int total; /* tasks once copies are made */
	bool failed;
	int err_line;
	char *err;
	size_t errlen;
};

/* Records the first error only: later ones are usually its consequences. */
__attribute__((format(printf, 3, 4))) static bool fail(struct parse *p, int line, const char *fmt,
						       ...)
{
	char msg[256];
	va_list ap;

	if (p->failed)
		return false;
	p->failed = true;
	p->err_line = line;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	escape_error(p->err, p->errlen, p->file, line, msg);
	return false;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Length of S[0..len) without blanks at either end; *START moves past leading ones. */
static size_t trim(const char **start, size_t len)
{
	const char *s = *start;

	while (len > 0 && isspace((unsigned char)*s))
		s++, len--;
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	*start = s;
	return len;
}

/* ---- numbers ----------------------------------------------------------- */

/* A whole number in [MIN, MAX] made of digits only, or -1. */
static long parse_count(const char *s, long min, long max)
{
	long v = 0;

	if (!*s || strlen(s) > 9)
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v >= min && v <= max ? v : -1;
}

/* A finite decimal number filling all of S[0..len); false when it is not one. */
static bool parse_number(const char *s, size_t len, double *out)
{
	char buf[64], *end;

	/* strtod would also take "inf", "nan" and hex; a duration is plain decimal. */
	if (len == 0 || len >= sizeof buf || strspn(s, "0123456789.eE+-") < len)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	return end == buf + len && errno == 0 && isfinite(*out);
}

/* ---- steps ------------------------------------------------------------- */

/* Task and lock names: letters, digits, '-' and '_'. */
static bool valid_name(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

static struct step *push_step(struct parse *p)
{
	if (p->nsteps == p->cap_steps) {
		int cap = p->cap_steps ? 2 * p->cap_steps : 64;
		struct step *s = realloc(p->steps, (size_t)cap * sizeof *s);

		if (!s) {
			fail(p, 0, "out of memory");
			return NULL;
		}
		p->steps = s;
		p->cap_steps = cap;
	}
	return &p->steps[p->nsteps++];
}

/* Frees the lines of the print steps among the N at S. */
static void free_step_texts(struct step *s, int n)
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
			return fail(p, p->line, "unbalanced quotes in print %s",
				    escape_echon(q, w, n));
		w++, n -= 2;
	}
	if (n == 0)
		return fail(p, p->line, "missing text after \"print\"");
	if (n >= TRACE_TEXT_MAX)
		return fail(p, p->line, "print text is too long (at most %d characters)",
			    TRACE_TEXT_MAX - 1);
	if (!(*out = strndup(w, n)))
		return fail(p, 0, "out of memory");
	return true;
}

/* Checks the duration word of a step; the step's kind is already known. */
static bool step_duration(struct parse *p, enum step_kind k, const char *w, size_t n, double *ms)
{
	char q[ESCAPE_ECHO_SIZE];

	if (n == 0)
		return fail(p, p->line, "missing duration after \"%s\"", step_name(k));
	if (!parse_number(w, n, ms))
		return fail(p, p->line, "bad duration \"%s\": not a number of ms",
			    escape_echon(q, w, n));
	if (*ms < 0 || w[0] == '-')
		return fail(p, p->line, "negative duration \"%s\"", escape_echon(q, w, n));
	if (*ms > SCENARIO_MAX_MS)
		return fail(p, p->line, "duration %s is beyond the limit of %.0f ms",
			    escape_echon(q, w, n), SCENARIO_MAX_MS);
	if (k == STEP_SPIN && *ms <= 0)
		return fail(p, p->line, "spin needs a duration above 0 ms");
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
		return fail(p, p->line, "missing lock name after \"%s\"", step_name(k));
	if (n > NAME_MAX_LEN || !valid_name(w, n))
		return fail(p, p->line, "bad lock name \"%s\" (use letters, digits, '-' and '_')",
			    escape_echon(q, w, n));
	if ((*lock = lock_index(p, w, n)) < 0)
		return fail(p, p->line, "too many locks (at most %d)", SCENARIO_MAX_LOCKS);
	unsigned bit = 1u << *lock;
	if (k == STEP_LOCK && (t->held & bit))
		return fail(p, p->line, "task \"%s\" takes lock \"%s\" while holding it", t->name,
			    p->sc->locks[*lock]);
	if (k == STEP_UNLOCK && !(t->held & bit))
		return fail(p, p->line, "task \"%s\" unlocks \"%s\", which it does not hold",
			    t->name, p->sc->locks[*lock]);
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
		fail(p, p->line, "too many steps in task \"%s\" (at most %d)", t->name,
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

	n = trim(&w, n);
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
		return fail(p, p->line, "unknown step \"%s\"", escape_echon(q1, kw, kn));
	if (k == STEP_PRINT)
		return add_print(p, t, dw, (size_t)(end - dw));
	int lock = -1;
	ms = 0;
	if (step_takes_name((enum step_kind)k) ? !lock_step(p, t, (enum step_kind)k, dw, dn, &lock)
					       : !step_duration(p, (enum step_kind)k, dw, dn, &ms))
		return false;
	if (xn > 0)
		return fail(p, p->line,
			    "unexpected \"%s\" after \"%s\" (separate steps with commas)",
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

/* A comma-separated steps list; a trailing comma lets the list go on indented. */
static bool parse_steps(struct parse *p, struct tmpl *t, const char *value)
{
	const char *s = value;
	char q[ESCAPE_ECHO_SIZE];

	for (;;) {
		const char *comma = next_comma(s);
		const char *item = s;
		size_t len = trim(&item, comma ? (size_t)(comma - s) : strlen(s));

		if (len == 0)
			return fail(p, p->line, "empty step between commas in \"%s\"",
				    escape_echo(q, value));
		if (!parse_step(p, t, item, len))
			return false;
		if (!comma || !*skip_blanks(comma + 1))
			return true;
		s = comma + 1;
	}
}

/* ---- sections ---------------------------------------------------------- */

static struct tmpl *push_tmpl(struct parse *p)
{
	if (p->ntmpls == p->cap_tmpls) {
		int cap = p->cap_tmpls ? 2 * p->cap_tmpls : 8;
		struct tmpl *t = realloc(p->tmpls, (size_t)cap * sizeof *t);

		if (!t) {
			fail(p, 0, "out of memory");
			return NULL;
		}
		p->tmpls = t;
		p->cap_tmpls = cap;
	}
	return memset(&p->tmpls[p->ntmpls++], 0, sizeof *p->tmpls);
}

/* Opens [task NAME]; NAME (LEN bytes, trimmed) is checked here, at its line. */
static bool open_task(struct parse *p, const char *name, size_t len)
{
	char q[ESCAPE_ECHO_SIZE];
	struct tmpl *t;

	if (len == 0)
		return fail(p, p->line, "a task section needs a name: [task NAME]");
	if (len > NAME_MAX_LEN)
		return fail(p, p->line, "task name \"%s\" is too long (at most %d characters)",
			    escape_echon(q, name, len), NAME_MAX_LEN);
	if (!valid_name(name, len))
		return fail(p, p->line, "bad task name \"%s\" (use letters, digits, '-' and '_')",
			    escape_echon(q, name, len));
	for (int i = 0; i < p->ntmpls; i++)
		if (strlen(p->tmpls[i].name) == len && memcmp(p->tmpls[i].name, name, len) == 0)
			return fail(p, p->line, "duplicate task \"%s\" (first at line %d)",
				    escape_echon(q, name, len), p->tmpls[i].line);
	if (!(t = push_tmpl(p)))
		return false;
	memcpy(t->name, name, len);
	t->line = p->line;
	t->first = p->nsteps;
	t->repeat = 1;
	t->count = 1;
	p->sec = SEC_TASK;
	return true;
}

/* Opens the section named by the LEN bytes at S (the text between the brackets). */
static bool open_section(struct parse *p, const char *s, size_t len)
{
	char q[ESCAPE_ECHO_SIZE];

	len = trim(&s, len);
	if (len == 8 && memcmp(s, "scenario", 8) == 0) {
		if (p->have_scenario)
			return fail(p, p->line, "a second [scenario] section");
		p->have_scenario = true;
		p->sec = SEC_SCENARIO;
		return true;
	}
	if (len >= 4 && memcmp(s, "task", 4) == 0 && (len == 4 || isspace((unsigned char)s[4]))) {
		const char *name = s + 4;

		return open_task(p, name, trim(&name, len - 4));
	}
	return fail(p, p->line, "unknown section \"[%s]\" (expected [scenario] or [task NAME])",
		    escape_echon(q, s, len));
}

/* Ends the current section: a task must have steps, and the copies must fit. */
static bool close_section(struct parse *p)
{
	struct tmpl *t;

	if (p->sec != SEC_TASK)
		return true;
	p->sec = SEC_NONE;
	t = &p->tmpls[p->ntmpls - 1];
	if (t->nsteps == 0)
		return fail(p, t->steps_line ? t->steps_line : t->line, "task \"%s\" has no steps",
			    t->name);
	for (int i = 0; i < p->sc->nlocks; i++)
		if (t->held & (1u << i))
			return fail(p, t->steps_line, "task \"%s\" ends holding lock \"%s\"",
				    t->name, p->sc->locks[i]);
	if (p->total + t->count > SCENARIO_MAX_TASKS)
		return fail(p, t->count_line ? t->count_line : t->line,
			    "too many tasks: %d in all (at most %d)", p->total + t->count,
			    SCENARIO_MAX_TASKS);
	p->total += t->count;
	return true;
}

/*
 * Sees each line before libinih does, to follow sections the way libinih
 * does: a line whose first non-blank is '[' starts one, unless it is
 * indented after a key (libinih then reads it as that key continuing).
 */
static bool see_line(struct parse *p, const char *line)
{
	const char *s = line, *close, *after;

	if (p->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3; /* libinih skips a UTF-8 byte order mark */
	p->indented = *s == ' ' || *s == '\t';
	s = skip_blanks(s);
	if (*s != '[' || (p->indented && p->prev_key))
		return true;
	if (!(close = strchr(s, ']')))
		return fail(p, p->line, "missing \"]\" in the section header");
	for (after = close + 1; isspace((unsigned char)*after); after++)
		;
	if (*after && *after != ';' && *after != '#')
		return fail(p, p->line, "unexpected text after \"]\"");
	p->prev_key = false;
	return close_section(p) && open_section(p, s + 1, (size_t)(close - s - 1));
}

/* ---- keys -------------------------------------------------------------- */

/* Sets (or, on an indented continuation line, extends) a text field. */
static bool set_text(struct parse *p, const char *key, char *dst, size_t size, const char *v,
		     bool cont)
{
	size_t have = cont ? strlen(dst) : 0;

	if (have + (cont ? 1 : 0) + strlen(v) >= size)
		return fail(p, p->line, "\"%s\" is too long (at most %zu characters)", key,
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
			return fail(p, p->line,
				    "bad executor list \"%s\" (narration[NAME,NAME] = ...)",
				    escape_echon(q, s, len));
		empty = false;
	}
	if (len == 0)
		return fail(p, p->line, "empty executor list in narration[...]");
	if (empty)
		return fail(p, p->line, "bad executor list \"%s\" (narration[NAME,NAME] = ...)",
			    escape_echon(q, s, len));
	if (!(*out = strndup(s, len)))
		return fail(p, 0, "out of memory");
	return true;
}

static bool add_narration(struct parse *p, const char *v, bool cont)
{
	struct scenario *sc = p->sc;
	char *s;

	if (cont) {
		char *last = sc->narration[sc->nnarration - 1];

		if (!(s = realloc(last, strlen(last) + strlen(v) + 2)))
			return fail(p, 0, "out of memory");
		strcat(strcat(s, " "), v);
		sc->narration[sc->nnarration - 1] = s;
		return true;
	}
	if (sc->nnarration == SCENARIO_MAX_NARRATION)
		return fail(p, p->line, "too many narration lines (at most %d)",
			    SCENARIO_MAX_NARRATION);
	if (!(s = strdup(v)))
		return fail(p, 0, "out of memory");
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
		if ((n = parse_count(v, 1, SCENARIO_MAX_WORKERS)) < 0)
			return fail(p, p->line,
				    "workers must be an integer from 1 to %d, not \"%s\"",
				    SCENARIO_MAX_WORKERS, escape_echo(q, v));
		sc->workers = (int)n;
	} else if (strcmp(key, "wait") == 0) {
		if (strcmp(v, "all") != 0 && strcmp(v, "first") != 0)
			return fail(p, p->line, "wait must be \"all\" or \"first\", not \"%s\"",
				    escape_echo(q, v));
		sc->wait = strcmp(v, "first") == 0 ? WAIT_FIRST : WAIT_ALL;
	} else if (strcmp(key, "main") == 0) {
		if (strlen(v) >= sizeof p->main_name)
			return fail(p, p->line, "main must name a task, not \"%s\"",
				    escape_echo(q, v));
		strcpy(p->main_name, v);
		p->main_line = p->line;
	} else if (strcmp(key, "gil") == 0) {
		if (strcmp(v, "new") != 0 && strcmp(v, "old") != 0 && strcmp(v, "off") != 0)
			return fail(p, p->line,
				    "gil must be \"new\", \"old\" or \"off\", not \"%s\"",
				    escape_echo(q, v));
		strcpy(sc->gil, v);
	} else if (strcmp(key, "goal") == 0) {
		if (goal_parse(v, &sc->goal) < 0)
			return fail(p, p->line,
				    "goal must be \"spinner gap <= MS\", \"done by MS\", "
				    "\"deadlock\" or \"critical overlap\", not \"%s\"",
				    escape_echo(q, v));
	} else {
		if (!parse_number(v, strlen(v), &ms) || !(ms > 0) || ms > SCENARIO_MAX_SWITCH_MS)
			return fail(p, p->line,
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
		return fail(p, p->line, "indented line: \"%s\" takes one line", key);
	if (cont)
		return true;
	if (!*v)
		return fail(p, p->line, "missing value for \"%s\"", key);
	if (*seen & bit)
		return fail(p, p->line, "duplicate key \"%s\"", key);
	*seen |= bit;
	return true;
}

/* narration[gil,threads] = ...: a narration line for those executors only. */
static bool tagged_narration(struct parse *p, const char *key, const char *v, bool cont)
{
	size_t len = strlen(key);
	char *tag;

	if (key[len - 1] != ']')
		return fail(p, p->line, "missing \"]\" in \"narration[\"");
	if (cont)
		return add_narration(p, v, cont);
	if (!*v)
		return fail(p, p->line, "missing value for \"narration\"");
	if (!narration_tag(p, key + 10, len - 11, &tag))
		return false;
	if (!add_narration(p, v, false)) {
		free(tag);
		return false;
	}
	p->sc->narration_for[p->sc->nnarration - 1] = tag;
	return true;
}

static bool scenario_key(struct parse *p, const char *key, const char *v, bool cont)
{
	const struct scenario_key *k = NULL;
	char q[ESCAPE_ECHO_SIZE];

	if (strncmp(key, "narration[", 10) == 0)
		return tagged_narration(p, key, v, cont);
	for (size_t i = 0; i < sizeof scenario_keys / sizeof *scenario_keys; i++)
		if (strcmp(scenario_keys[i].key, key) == 0)
			k = &scenario_keys[i];
	if (!k)
		return fail(p, p->line, "unknown key \"%s\" in [scenario]", escape_echo(q, key));
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

static bool task_key(struct parse *p, struct tmpl *t, const char *key, const char *v, bool cont)
{
	bool steps = strcmp(key, "steps") == 0, repeat = strcmp(key, "repeat") == 0;
	char q[ESCAPE_ECHO_SIZE];
	unsigned bit;
	long n;

	if (!steps && !repeat && strcmp(key, "count") != 0)
		return fail(p, p->line, "unknown key \"%s\" in [task %s]", escape_echo(q, key),
			    t->name);
	if (steps && !cont) {
		/* "steps =" may be followed by the list on indented lines. */
		if (t->keys & KEY_STEPS)
			return fail(p, p->line, "duplicate key \"steps\"");
		t->keys |= KEY_STEPS;
		t->steps_line = p->line;
		return !*v || parse_steps(p, t, v);
	}
	if (steps)
		return parse_steps(p, t, v);
	bit = repeat ? KEY_REPEAT : KEY_COUNT;
	if (!key_ok(p, key, v, cont, false, bit, &t->keys))
		return false;
	n = parse_count(v, 1, repeat ? SCENARIO_MAX_REPEAT : SCENARIO_MAX_COUNT);
	if (n < 0)
		return fail(p, p->line, "%s must be an integer from 1 to %d, not \"%s\"", key,
			    repeat ? SCENARIO_MAX_REPEAT : SCENARIO_MAX_COUNT, escape_echo(q, v));
	if (repeat) {
		t->repeat = (int)n;
	} else {
		t->count = (int)n;
		t->count_line = p->line;
	}
	return true;
}

/* libinih's handler.  Its SECTION is ours too: see_line followed the same lines. */
static int on_key(void *user, const char *section, const char *key, const char *v)
{
	struct parse *p = user;
	bool cont = p->indented && p->prev_key;
	char q[ESCAPE_ECHO_SIZE];

	(void)section;
	if (p->failed)
		return 0;
	p->prev_key = true;
	if (!*key)
		fail(p, p->line, "missing key before \"=\"");
	else if (p->sec == SEC_SCENARIO)
		scenario_key(p, key, v, cont);
	else if (p->sec == SEC_TASK)
		task_key(p, &p->tmpls[p->ntmpls - 1], key, v, cont);
	else
		fail(p, p->line, "\"%s\" is outside any section (start with [scenario])",
		     escape_echo(q, key));
	return !p->failed;
}

/* ---- reading ----------------------------------------------------------- */

static int next_char(struct parse *p)
{
	if (p->fp)
		return getc(p->fp);
	return *p->text ? (unsigned char)*p->text++ : EOF;
}

/*
 * libinih's reader: hands it one whole line at a time and counts them, so
 * p->line is the line libinih is working on when it calls on_key.
 */
static char *read_line(char *buf, int size, void *stream)
{
	struct parse *p = stream;
	bool nul = false, too_long = false;
	int n = 0, c;

	if (p->failed)
		return NULL;
	while ((c = next_char(p)) != EOF && c != '\n') {
		if (c == '\0')
			nul = true;
		else if (n < size - 2)
			buf[n++] = (char)c;
		else
			too_long = true;
	}
	if (c == EOF && p->fp && ferror(p->fp)) {
		fail(p, 0, "%s", strerror(errno));
		return NULL;
	}
	if (c == EOF && n == 0 && !nul && !too_long)
		return NULL;
	p->line++;
	if (nul)
		fail(p, p->line, "not a text file (NUL byte)");
	else if (too_long)
		fail(p, p->line, "line too long (at most %d characters)", size - 2);
	buf[n++] = '\n';
	buf[n] = '\0';
	see_line(p, buf);
	return p->failed ? NULL : buf;
}

/* ---- building the scenario --------------------------------------------- */

struct named {
	const char *name;
	int line; /* of the template it was made from */
};

static int cmp_named(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

/* Copies like B1, B2 may collide with another task's name; headers checked the rest. */
static bool check_copy_names(struct parse *p, const int *lines)
{
	struct scenario *sc = p->sc;
	struct named *v = malloc((size_t)sc->ntasks * sizeof *v);

	if (!v)
		return fail(p, 0, "out of memory");
	for (int i = 0; i < sc->ntasks; i++)
		v[i] = (struct named){sc->tasks[i].name, lines[i]};
	qsort(v, (size_t)sc->ntasks, sizeof *v, cmp_named);
	for (int i = 1; i < sc->ntasks && !p->failed; i++)
		if (strcmp(v[i - 1].name, v[i].name) == 0)
			fail(p, v[i].line > v[i - 1].line ? v[i].line : v[i - 1].line,
			     "two tasks are named \"%s\" (count names copies NAME1..NAMEN)",
			     v[i].name);
	free(v);
	return !p->failed;
}

/* Makes the tasks: `count` copies of each template, sharing its steps. */
static bool build(struct parse *p)
{
	struct scenario *sc = p->sc;
	int *lines = malloc((size_t)p->total * sizeof *lines);
	bool copies = false, ok;

	sc->tasks = calloc((size_t)p->total, sizeof *sc->tasks);
	if (!sc->tasks || !lines) {
		free(lines);
		return fail(p, 0, "out of memory");
	}
	sc->steps = p->steps;
	sc->nsteps = p->nsteps;
	p->steps = NULL;
	for (int i = 0; i < p->ntmpls; i++) {
		const struct tmpl *t = &p->tmpls[i];

		for (int c = 1; c <= t->count; c++) {
			struct scenario_task *task = &sc->tasks[sc->ntasks];

			/* Fits: names have at most NAME_MAX_LEN bytes, counts 5 digits. */
			if (t->count > 1)
				snprintf(task->name, sizeof task->name, "%.*s%d", NAME_MAX_LEN,
					 t->name, c % 100000);
			else
				memcpy(task->name, t->name, sizeof task->name);
			task->steps = sc->steps + t->first;
			task->nsteps = t->nsteps;
			task->repeat = t->repeat;
			lines[sc->ntasks++] = t->line;
		}
		copies |= t->count > 1;
	}
	ok = !copies || check_copy_names(p, lines);
	free(lines);
	return ok;
}

/*
 * `main = NAME`: the one task (not a template with copies) that
 * asyncio.run starts; the others are created by it.
 */
static bool resolve_main(struct parse *p)
{
	char q[ESCAPE_ECHO_SIZE];

	if (!p->main_line)
		return true;
	for (int i = 0; i < p->sc->ntasks; i++)
		if (strcmp(p->sc->tasks[i].name, p->main_name) == 0) {
			p->sc->main_task = i;
			return true;
		}
	return fail(p, p->main_line, "main names no task: \"%s\"", escape_echo(q, p->main_name));
}

/* What a scenario is before its file says otherwise. */
static void set_defaults(struct parse *p)
{
	struct scenario *sc = p->sc;
	const char *base = strrchr(p->file, '/');
	size_t len;

	memset(sc, 0, sizeof *sc);
	base = base ? base + 1 : p->file;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".ini") == 0)
		len -= 4;
	if (len >= sizeof sc->name)
		len = sizeof sc->name - 1;
	memcpy(sc->name, base, len);
	strcpy(sc->backend, "sequential");
	sc->wait = WAIT_ALL;
	sc->main_task = -1;
}

/* Runs libinih over P's input and turns what it saw into P->sc. */
static int parse_input(struct parse *p)
{
	int rc;

	set_defaults(p);
	p->err_line = -1;
	rc = ini_parse_stream(read_line, p, on_key, p);
	if (rc > 0 && (!p->failed || rc < p->err_line)) {
		/* libinih found a line that is neither a section, a key nor a comment. */
		p->failed = false;
		fail(p, rc, "expected \"[section]\" or \"key = value\"");
	} else if (rc < 0) {
		fail(p, 0, "out of memory");
	}
	if (!p->failed && close_section(p) &&
	    (p->have_scenario || fail(p, 0, "no [scenario] section")) &&
	    (p->ntmpls > 0 || fail(p, 0, "no tasks (add a [task NAME] section)")) && build(p))
		resolve_main(p);
	free(p->tmpls);
	if (p->steps)
		free_step_texts(p->steps, p->nsteps);
	free(p->steps);
	if (p->failed) {
		scenario_free(p->sc);
		return -1;
	}
	if (!p->sc->title[0])
		memcpy(p->sc->title, p->sc->name, sizeof p->sc->name);
	return 0;
}

int scenario_parse(const char *text, const char *filename, struct scenario *sc, char *err,
		   size_t errlen)
{
	struct parse p = {
	    .file = filename ? filename : "(string)",
	    .sc = sc,
	    .text = text ? text : "",
	    .err = err,
	    .errlen = errlen,
	};

	return parse_input(&p);
}

/* Reports a file-level problem as "file: message" and leaves SC empty. */
static int load_error(const char *path, struct scenario *sc, const char *msg, char *err,
		      size_t errlen)
{
	char file[512];

	memset(sc, 0, sizeof *sc);
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", escape_text(file, sizeof file, path, -1, 0), msg);
	return -1;
}

int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen)
{
	struct parse p = {.file = path, .sc = sc, .err = err, .errlen = errlen};
	struct stat st;
	int fd, rc;

	/* O_NONBLOCK: a FIFO must not hang us before fstat can refuse it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return load_error(path, sc, strerror(errno), err, errlen);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = errno;

		close(fd);
		return load_error(path, sc,
				  S_ISREG(st.st_mode) ? strerror(e) : "not a regular file", err,
				  errlen);
	}
	if (!(p.fp = fdopen(fd, "r"))) {
		close(fd);
		return load_error(path, sc, strerror(errno), err, errlen);
	}
	rc = parse_input(&p);
	fclose(p.fp);
	return rc;
}

void scenario_free(struct scenario *sc)
{
	if (!sc)
		return;
	for (int i = 0; i < sc->nnarration; i++) {
		free(sc->narration[i]);
		free(sc->narration_for[i]);
	}
	free(sc->tasks);
	if (sc->steps)
		free_step_texts(sc->steps, sc->nsteps);
	free(sc->steps);
	memset(sc, 0, sizeof *sc);
}

/* ---- queries ----------------------------------------------------------- */

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
