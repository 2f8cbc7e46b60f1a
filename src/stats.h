/*
 * stats.h -- figures and properties computed from a trace alone, so that a
 * replayed record and a live run give the same numbers.
 */
#ifndef CONCTUI_STATS_H
#define CONCTUI_STATS_H

#include <stdint.h>

#include "state.h"
#include "trace.h"

struct stats {
	double wall_ms;                 /* meta.wall_ns, or the trace's extent */
	double cpu_ms;                  /* meta.cpu_ns */
	double state_ms[STATE_COUNT];   /* time in each state, summed over tasks */
	int tasks;
	int outcomes[OUTCOME_COUNT];    /* tasks by outcome */
	int max_running;                /* most tasks `running` at one instant */
	uint64_t spans;                 /* spans in task lanes */
	uint64_t dropped;               /* spans that did not fit */
	/* The lock lane, when there is one. */
	int holds;
	double median_hold_ms;
	double switches_per_s;
};

void stats_compute(const struct trace *tr, struct stats *st);
/* The most lanes among tasks that are in state ST at one instant. */
int stats_max_overlap(const struct trace *tr, enum state st);
/* Median of V (reorders V); 0 for N == 0. */
double stats_median(double *v, int n);

#endif
