/*
 * executor.c -- the table of executors.  Adding one is one file and one
 * line here (and its extern in executor.h).
 */
#include "executor.h"

#include <string.h>

static const struct executor *const executors[] = {
    &exec_sequential, &exec_threads, &exec_threads_1core, &exec_processes, &exec_pool,
    &exec_gil,	      &exec_asyncio, &exec_green,	  &exec_callbacks, &exec_workers,
};

#define NEXECUTORS ((int)(sizeof executors / sizeof executors[0]))

const struct executor *executor_find(const char *name)
{
	for (int i = 0; i < NEXECUTORS; i++)
		if (strcmp(executors[i]->name, name) == 0)
			return executors[i];
	return NULL;
}

/* Does FACT match WANT (-1: anything does)? */
static bool fact_is(int want, int fact)
{
	return want < 0 || want == fact;
}

const struct executor *executor_match(const struct executor_want *w)
{
	for (int i = 0; i < NEXECUTORS; i++) {
		const struct executor *ex = executors[i];
		if (fact_is(w->model, (int)ex->model) && fact_is(w->unit, (int)ex->unit) &&
		    fact_is(w->per_task, ex->unit_per_task) && fact_is(w->gil, ex->gil))
			return ex;
	}
	return NULL;
}

const struct executor *executor_default(void)
{
	return &exec_sequential;
}

int executor_count(void)
{
	return NEXECUTORS;
}

const struct executor *executor_at(int i)
{
	return i >= 0 && i < NEXECUTORS ? executors[i] : NULL;
}

static const struct {
	const char *one, *many;
	bool os;
} units[] = {
#define X(e, one, many, os) {one, many, os},
    EXEC_UNITS(X)
#undef X
};

static const char *const at_once_names[] = {
#define X(e, name) name,
    EXEC_AT_ONCE(X)
#undef X
};

const char *exec_unit_name(enum exec_unit u)
{
	return u < EXEC_UNIT_COUNT ? units[u].one : "?";
}

const char *exec_unit_plural(enum exec_unit u)
{
	return u < EXEC_UNIT_COUNT ? units[u].many : "?";
}

bool exec_unit_is_os(enum exec_unit u)
{
	return u < EXEC_UNIT_COUNT && units[u].os;
}

const char *exec_at_once_name(enum exec_at_once a)
{
	return a < EXEC_AT_ONCE_COUNT ? at_once_names[a] : "?";
}
