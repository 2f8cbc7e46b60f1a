/*
 * findings.h -- after a run ends, look for the patterns a teacher points
 * at (a blocking call on the event loop, a GIL convoy, more runnable tasks
 * than cores, ...) and add each to the trace as a finding, with its time
 * range, the tasks involved and a sentence.
 *
 * Only trace data is read -- states, causes, `by`, edges, the metadata --
 * never the reasons, so a finding means the same on every executor.
 */
#ifndef CONCTUI_FINDINGS_H
#define CONCTUI_FINDINGS_H

#include "executor.h"
#include "trace.h"

/* Findings of one kind a run gets at most: the rest say the same thing again. */
#define FINDINGS_PER_KIND 4

/*
 * Analyses TR, a finished run of executor EX, and adds what it finds with
 * trace_add_finding.  Returns how many findings it added.
 */
int findings_analyse(struct trace *tr, const struct executor *ex);

#endif
