/*
 * worker_cli.h -- conctui --worker --broker URL: a worker of the `workers`
 * executor on this machine, for runs started anywhere on that broker; and
 * the check that a --broker given on the command line answers.
 */
#ifndef CONCTUI_WORKER_CLI_H
#define CONCTUI_WORKER_CLI_H

#include "options.h"

/* Serves jobs until SIGINT or SIGTERM; returns the exit status. */
int worker_cli_main(const struct options *o);
/* 0 when O names no broker or it answers, else 2 with one line on stderr. */
int worker_cli_check_broker(const struct options *o);

#endif
