/*
 * lesson_cli.h -- conctui --batch --lesson, and the lessons in --list.
 */
#ifndef CONCTUI_LESSON_CLI_H
#define CONCTUI_LESSON_CLI_H

#include "options.h"

/* Plays every beat of the lesson O->scenario names (NULL: the built-in one); the exit status. */
int lesson_cli_main(const struct options *o);
/* The lessons under their own heading (--list: after the scenarios, before the executors). */
void lesson_cli_list(void);

#endif
