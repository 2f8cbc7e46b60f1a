/* costs_cli.h -- conctui --costs; returns the exit status. */
#ifndef CONCTUI_COSTS_CLI_H
#define CONCTUI_COSTS_CLI_H

#include "options.h"

int costs_cli_main(const struct options *o);

#endif
