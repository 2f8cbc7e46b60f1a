/*
 * scenario_section.c -- the sections of a scenario file: [scenario], once,
 * and a [task NAME] per task template.  libinih does not say when a
 * section starts (nor about one that holds no keys), so the line reader
 * shows each line here first; a task's section is checked as it closes.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "scenario_priv.h"

static struct tmpl *push_tmpl(struct parse *p)
{
	if (p->ntmpls == p->cap_tmpls) {
		int cap = p->cap_tmpls ? 2 * p->cap_tmpls : 8;
		struct tmpl *t = realloc(p->tmpls, (size_t)cap * sizeof *t);

		if (!t) {
			scenario_fail(p, 0, "out of memory");
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
		return scenario_fail(p, p->line, "a task section needs a name: [task NAME]");
	if (len > NAME_MAX_LEN)
		return scenario_fail(p, p->line,
				     "task name \"%s\" is too long (at most %d characters)",
				     escape_echon(q, name, len), NAME_MAX_LEN);
	if (!scenario_valid_name(name, len))
		return scenario_fail(p, p->line,
				     "bad task name \"%s\" (use letters, digits, '-' and '_')",
				     escape_echon(q, name, len));
	for (int i = 0; i < p->ntmpls; i++)
		if (strlen(p->tmpls[i].name) == len && memcmp(p->tmpls[i].name, name, len) == 0)
			return scenario_fail(p, p->line, "duplicate task \"%s\" (first at line %d)",
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

	len = scenario_trim(&s, len);
	if (len == 8 && memcmp(s, "scenario", 8) == 0) {
		if (p->have_scenario)
			return scenario_fail(p, p->line, "a second [scenario] section");
		p->have_scenario = true;
		p->sec = SEC_SCENARIO;
		return true;
	}
	if (len >= 4 && memcmp(s, "task", 4) == 0 && (len == 4 || isspace((unsigned char)s[4]))) {
		const char *name = s + 4;

		return open_task(p, name, scenario_trim(&name, len - 4));
	}
	return scenario_fail(p, p->line,
			     "unknown section \"[%s]\" (expected [scenario] or [task NAME])",
			     escape_echon(q, s, len));
}

bool scenario_section_close(struct parse *p)
{
	struct tmpl *t;

	if (p->sec != SEC_TASK)
		return true;
	p->sec = SEC_NONE;
	t = &p->tmpls[p->ntmpls - 1];
	if (t->nsteps == 0)
		return scenario_fail(p, t->steps_line ? t->steps_line : t->line,
				     "task \"%s\" has no steps", t->name);
	for (int i = 0; i < p->sc->nlocks; i++)
		if (t->held & (1u << i))
			return scenario_fail(p, t->steps_line,
					     "task \"%s\" ends holding lock \"%s\"", t->name,
					     p->sc->locks[i]);
	if (p->total + t->count > SCENARIO_MAX_TASKS)
		return scenario_fail(p, t->count_line ? t->count_line : t->line,
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
bool scenario_section_see(struct parse *p, const char *line)
{
	const char *s = line, *close, *after;

	if (p->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3; /* libinih skips a UTF-8 byte order mark */
	p->indented = *s == ' ' || *s == '\t';
	s = scenario_skip_blanks(s);
	if (*s != '[' || (p->indented && p->prev_key))
		return true;
	if (!(close = strchr(s, ']')))
		return scenario_fail(p, p->line, "missing \"]\" in the section header");
	for (after = close + 1; isspace((unsigned char)*after); after++)
		;
	if (*after && *after != ';' && *after != '#')
		return scenario_fail(p, p->line, "unexpected text after \"]\"");
	p->prev_key = false;
	return scenario_section_close(p) && open_section(p, s + 1, (size_t)(close - s - 1));
}
