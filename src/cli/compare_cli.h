/* compare_cli.h -- conctui --compare; returns the exit status. */
#ifndef CONCTUI_COMPARE_CLI_H
#define CONCTUI_COMPARE_CLI_H

#include "options.h"

int compare_cli_main(const struct options *o);

#endif
