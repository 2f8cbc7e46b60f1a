/*
 * sched_check.h -- what a finished run says about its critical regions
 * and its goal ("You are the scheduler" in DESIGN.md), as findings.
 */
#ifndef CONCTUI_SCHED_CHECK_H
#define CONCTUI_SCHED_CHECK_H

#include "scenario.h"
#include "trace.h"

/*
 * Adds to TR, a finished run of SC: a `critical-overlap` finding for the
 * first two tasks found inside a critical region at once, then, when SC
 * has a goal, `goal-met` or `goal-missed`.  Reads only spans, steps,
 * outcomes and findings.
 */
void sched_check(struct trace *tr, const struct scenario *sc);

/* True when TR holds a finding of kind K. */
bool sched_has_finding(const struct trace *tr, enum finding_kind k);

#endif
