/*
 * compare_print.h -- prints a comparison (run/compare.h) as seed 001's
 * table and its verdict.
 */
#ifndef CONCTUI_COMPARE_PRINT_H
#define CONCTUI_COMPARE_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "compare.h"

void compare_print(const struct compare_result *res, FILE *f, bool ascii);

#endif
