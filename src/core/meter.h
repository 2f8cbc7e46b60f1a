/*
 * meter.h -- the one memory meter: what a task costs in memory, measured
 * the same way for every executor and for --costs, so that two figures
 * that are compared were measured alike.
 *
 * The memory of a process is its anonymous proportional set size
 * (Pss_Anon in /proc/PID/smaps_rollup) plus its page tables (VmPTE): what
 * a unit really adds -- stacks it touched, heap, pages copied on write --
 * and not the library pages it shares, nor the pages of a child's parent.
 *
 * Memory per task is the growth of that figure between meter_start and
 * meter_per_task, minus the growth of the trace's own resident pages,
 * divided by the tasks: the recorder is not the thing measured, and each
 * of 10,000 lanes touches pages of its own.  A MAP_SHARED trace is shared
 * memory, which Pss_Anon never counts, so nothing is taken off for it.
 */
#ifndef CONCTUI_METER_H
#define CONCTUI_METER_H

#include <stdint.h>
#include <sys/types.h>

#include "trace.h"

/* A measurement in progress. */
struct meter {
	const struct trace *tr; /* the recorder, whose pages are left out; may be NULL */
	double kib0;		/* the process's memory at meter_start, KiB; -1 unknown */
	int64_t trace0;		/* the trace's resident bytes at meter_start */
};

/* Anonymous PSS plus page tables of process PID in KiB, -1 if unknown. */
double meter_process_kib(pid_t pid);
/* Bytes of TR's mapping that are resident and counted as the process's own. */
int64_t meter_trace_bytes(const struct trace *tr);
/* Takes the first reading of this process, before the tasks exist. */
void meter_start(struct meter *m, const struct trace *tr);
/*
 * Bytes per task that this process grew by since meter_start, the trace's
 * pages left out; 0 when unknown or nothing grew.
 */
double meter_per_task(const struct meter *m, int ntasks);

#endif
