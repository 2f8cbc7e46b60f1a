/*
 * scenario_priv.h -- what the parts of the scenario parser share: the
 * parser's state and the few words every part reads.  Nothing outside
 * src/core/scenario*.c includes this; other layers see scenario.h only.
 *
 *   scenario.c          the file: libinih's line reader and key handler,
 *                       load, parse, free, and the words below
 *   scenario_section.c  [scenario] and [task NAME]: opening and closing them
 *   scenario_key.c      what each key of a section means
 *   scenario_step.c     the step language: `steps = cpu 10, lock a, ...`
 *   scenario_build.c    after the whole file: tasks from their templates
 *   scenario_query.c    questions asked of a parsed scenario
 */
#ifndef CONCTUI_SCENARIO_PRIV_H
#define CONCTUI_SCENARIO_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scenario.h"

/* Task names leave room for the digits `count` appends to copies. */
#define NAME_MAX_LEN (TRACE_NAME_MAX - 8)

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

/* ---- scenario.c: errors and words ------------------------------------- */

/* Records the first error only, "file:line: message"; returns false. */
__attribute__((format(printf, 3, 4))) bool scenario_fail(struct parse *p, int line, const char *fmt,
							 ...);
const char *scenario_skip_blanks(const char *s);
/* Length of S[0..len) without blanks at either end; *START moves past leading ones. */
size_t scenario_trim(const char **start, size_t len);
/* A whole number in [MIN, MAX] made of digits only, or -1. */
long scenario_count(const char *s, long min, long max);
/* A finite decimal number filling all of S[0..len); false when it is not one. */
bool scenario_number(const char *s, size_t len, double *out);
/* Task and lock names: letters, digits, '-' and '_'. */
bool scenario_valid_name(const char *s, size_t len);

/* ---- scenario_section.c ------------------------------------------------ */

/* Sees each line before libinih does, and opens the sections it starts. */
bool scenario_section_see(struct parse *p, const char *line);
/* Ends the current section: a task must have steps, and the copies must fit. */
bool scenario_section_close(struct parse *p);

/* ---- scenario_key.c ---------------------------------------------------- */

/* A key of [scenario]; CONT: an indented line that continues the last key. */
bool scenario_key_scenario(struct parse *p, const char *key, const char *v, bool cont);
/* A key of [task NAME], the section of template T. */
bool scenario_key_task(struct parse *p, struct tmpl *t, const char *key, const char *v, bool cont);

/* ---- scenario_step.c --------------------------------------------------- */

/* A comma-separated steps list, added to template T's steps. */
bool scenario_step_list(struct parse *p, struct tmpl *t, const char *value);
/* Frees the lines of the print steps among the N at S. */
void scenario_step_free_texts(struct step *s, int n);

/* ---- scenario_build.c -------------------------------------------------- */

/* Makes P->sc's tasks from the templates and checks what needs them all. */
bool scenario_build(struct parse *p);

#endif
