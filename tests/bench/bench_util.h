/*
 * bench_util.h -- how a bench prints a figure: `bench NAME VALUE UNIT`,
 * the line scripts read, then `bench-rounds NAME V1 V2 ...`, the rounds
 * behind it, so that a noisy machine shows as spread and not as a wrong
 * median.  Header-only, every function static inline.
 */
#ifndef CONCTUI_BENCH_UTIL_H
#define CONCTUI_BENCH_UTIL_H

#include <stdio.h>

#include "stats.h"

/* Prints the figure NAME (VALUE in UNIT, with PREC decimals) and its rounds. */
static inline void bench_print(const char *name, int prec, double value, const char *unit,
			       const double *rounds, int n)
{
	printf("bench %s %.*f %s\n", name, prec, value, unit);
	printf("bench-rounds %s", name);
	for (int i = 0; i < n; i++)
		printf(" %.*f", prec, rounds[i]);
	printf("\n");
	fflush(stdout);
}

/* The median of the N ROUNDS, printed as NAME with them. */
static inline void bench_median(const char *name, int prec, const char *unit, double *rounds, int n)
{
	double sorted[64];

	for (int i = 0; i < n && i < 64; i++)
		sorted[i] = rounds[i];
	bench_print(name, prec, stats_median(sorted, n < 64 ? n : 64), unit, rounds, n);
}

#endif
