/*
 * executor.c -- the table of executors.  Adding one is one file and one
 * line here (and its extern in executor.h).
 */
#include "executor.h"

#include <string.h>

static const struct executor *const executors[] = {
    &exec_sequential, &exec_threads, &exec_threads_1core, &exec_processes, &exec_pool,
    &exec_gil,	      &exec_asyncio, &exec_green,	  &exec_callbacks,
};

#define NEXECUTORS ((int)(sizeof executors / sizeof executors[0]))

const struct executor *executor_find(const char *name)
{
	for (int i = 0; i < NEXECUTORS; i++)
		if (strcmp(executors[i]->name, name) == 0)
			return executors[i];
	return NULL;
}

int executor_count(void)
{
	return NEXECUTORS;
}

const struct executor *executor_at(int i)
{
	return i >= 0 && i < NEXECUTORS ? executors[i] : NULL;
}
