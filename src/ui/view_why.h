/*
 * view_why.h -- what made a state change happen, read from the trace's
 * data: each span's cause and waker (`by`) and the hand-off edges.  Reasons
 * are never parsed.  Pure functions over a trace, so they are tested
 * without a screen.
 */
#ifndef CONCTUI_VIEW_WHY_H
#define CONCTUI_VIEW_WHY_H

#include <stdbool.h>
#include <stdint.h>

#include "trace.h"
#include "view_player.h"

/* Copies span IDX of LANE into SP; false when there is no such span. */
bool view_why_span(const struct trace *tr, int lane, uint32_t idx, struct span *sp);
/* The span of task LANE under way at T into SP; its index, or -1. */
int32_t view_why_span_at(const struct trace *tr, int lane, uint64_t t, struct span *sp);
/* The end of SP, NOW for an open span. */
uint64_t view_why_end(const struct span *sp, uint64_t now);

/* The task other than LANE running on core CPU (any core: -1) at T, or -1. */
int view_why_runner_on(const struct trace *tr, int cpu, uint64_t t, int lane);
/* ... or else the first one to start running on CPU after T. */
int view_why_next_runner(const struct trace *tr, int cpu, uint64_t t, int lane);
/*
 * The task other than LANE that last ran on CPU up to T, or -1;
 * *PREEMPTED: the OS took the core from it (its next span's cause);
 * *ENDED: when it stopped running there.
 */
int view_why_prev_runner(const struct trace *tr, int cpu, uint64_t t, int lane, bool *preempted,
			 uint64_t *ended);

/* The task holding the lock (the GIL) at T, or -1. */
int view_why_holder(const struct trace *tr, uint64_t t);
/* How long TASK's latest hold of the lock begun by T lasted (ns), 0 if none. */
uint64_t view_why_hold(const struct trace *tr, int task, uint64_t t, uint64_t now);

/*
 * The time in *AT of the latest drop request (edge gil_ask) in [T0, T1]
 * from ASKER to HOLDER; false when the trace has none (a record made
 * before they were recorded, or a drop nobody asked for).
 */
bool view_why_ask(const struct trace *tr, int asker, int holder, uint64_t t0, uint64_t t1,
		  uint64_t *at);

/*
 * The earliest hand-off edge in [T0, T1] from FROM to TO (either may be
 * -1: any; drop requests are not hand-offs); false when there is none.
 */
bool view_why_edge(const struct trace *tr, int from, int to, uint64_t t0, uint64_t t1,
		   struct trace_edge *out);
/* The task that caused SP of LANE (its `by`, or an edge into it), or -1. */
int view_why_waker(const struct trace *tr, int lane, const struct span *sp);
/*
 * The event that made E happen: the waker's span under way at that
 * instant, or else the lane's own previous span.  False when there is none.
 */
bool view_why_cause(const struct view_panel *p, const struct view_event *e, struct view_event *out);

#endif
