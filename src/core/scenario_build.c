/*
 * scenario_build.c -- after the whole file is read: the tasks made from the
 * templates (`count` copies share their template's steps), and the checks
 * that only all the tasks together allow: copies' names that collide, a
 * `main` that names no task.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "scenario_priv.h"

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
		return scenario_fail(p, 0, "out of memory");
	for (int i = 0; i < sc->ntasks; i++)
		v[i] = (struct named){sc->tasks[i].name, lines[i]};
	qsort(v, (size_t)sc->ntasks, sizeof *v, cmp_named);
	for (int i = 1; i < sc->ntasks && !p->failed; i++)
		if (strcmp(v[i - 1].name, v[i].name) == 0)
			scenario_fail(
			    p, v[i].line > v[i - 1].line ? v[i].line : v[i - 1].line,
			    "two tasks are named \"%s\" (count names copies NAME1..NAMEN)",
			    v[i].name);
	free(v);
	return !p->failed;
}

/* Makes the tasks: `count` copies of each template, sharing its steps. */
static bool build_tasks(struct parse *p)
{
	struct scenario *sc = p->sc;
	int *lines = malloc((size_t)p->total * sizeof *lines);
	bool copies = false, ok;

	sc->tasks = calloc((size_t)p->total, sizeof *sc->tasks);
	if (!sc->tasks || !lines) {
		free(lines);
		return scenario_fail(p, 0, "out of memory");
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
	return scenario_fail(p, p->main_line, "main names no task: \"%s\"",
			     escape_echo(q, p->main_name));
}

bool scenario_build(struct parse *p)
{
	return build_tasks(p) && resolve_main(p);
}
