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
	double wall_ms;		      /* meta.wall_ns, or the trace's extent */
	double cpu_ms;		      /* meta.cpu_ns */
	double state_ms[STATE_COUNT]; /* time in each state, summed over tasks */
	int tasks;
	int outcomes[OUTCOME_COUNT]; /* tasks by outcome */
	int max_running;	     /* most tasks `running` at one instant */
	uint64_t spans;		     /* spans in task lanes */
	uint64_t dropped;	     /* spans that did not fit */
	/* The lock lane, when there is one. */
	int holds;
	double median_hold_ms;
	double switches_per_s;
};

/*
 * Open spans (t1 == TRACE_OPEN) count as ending at their start, which is
 * right for a finished trace.  stats_compute_at lets a view of a run in
 * progress count them up to NOW_REL_NS (ns since the run started) instead.
 */
void stats_compute(const struct trace *tr, struct stats *st);
void stats_compute_at(const struct trace *tr, uint64_t now_rel_ns, struct stats *st);
/*
 * The most lanes among tasks that are in state ST at one instant.  A span
 * that ends at t and one that starts at t do not overlap.
 */
int stats_max_overlap(const struct trace *tr, enum state st);
int stats_max_overlap_at(const struct trace *tr, enum state st, uint64_t now_rel_ns);
/* Median of V (reorders V); 0 for N == 0. */
double stats_median(double *v, int n);

/* Total time TASK spent in `lock` (waiting for the GIL), in ms. */
double stats_lock_wait_ms(const struct trace *tr, int task);
/*
 * The GIL convoy: the median length (ms) of TASK's `lock` spans that come
 * straight after an `io` or `sleep` span -- how long a thread back from a
 * wait queues for the lock.  0 when there are none; stats_convoy_count
 * says how many there are.
 */
double stats_convoy_median_ms(const struct trace *tr, int task);
/*
 * A task queue's hand-off: the median time (ms) from the end of a worker's
 * job to its taking the next (each `job` edge from a task), 0 when none.
 */
double stats_job_handoff_ms(const struct trace *tr);
int stats_convoy_count(const struct trace *tr, int task);
/*
 * The largest gap (ms) between the starts of consecutive episodes of state
 * ST in TASK's lane: the spinner's longest frame gap.  Spans of ST that
 * directly continue one another (a move to another core) are one episode.
 * 0 with fewer than two episodes.
 */
double stats_max_gap_ms(const struct trace *tr, int task, enum state st);

/*
 * A gap between a spinner's frames longer than this many of its intervals
 * is a frozen spinner: the Spinner view and the lessons' questions judge
 * by this one rule.
 */
#define STATS_SPIN_FROZEN 3

#endif
