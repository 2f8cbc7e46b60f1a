/* costs_print.h -- prints the costs (run/costs.h) as seed 004's table. */
#ifndef CONCTUI_COSTS_PRINT_H
#define CONCTUI_COSTS_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "costs.h"

void costs_print(const struct costs_result *res, FILE *f, bool ascii);

/*
 * --costs --json: { "conctui": 1, "rounds": N, "costs": [ { "unit": "thread",
 * "how": "...", "start_us": 12.3, "switch_us": 4.5, "kib": 67.8, "alive": 1000 },
 * ... ] }, one object per unit in COSTS_UNIT_MAP's order; a figure that could
 * not be measured is null.  Returns 0 or -1.
 */
int costs_print_json(const struct costs_result *res, FILE *f);

#endif
