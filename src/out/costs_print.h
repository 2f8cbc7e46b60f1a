/* costs_print.h -- prints the costs (run/costs.h) as seed 004's table. */
#ifndef CONCTUI_COSTS_PRINT_H
#define CONCTUI_COSTS_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "costs.h"

void costs_print(const struct costs_result *res, FILE *f, bool ascii);

#endif
