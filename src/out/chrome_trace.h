/*
 * chrome_trace.h -- a trace as Chrome Trace Event JSON (--trace), for
 * Perfetto and chrome://tracing: one track per task, one duration event
 * per span, a track for the GIL holder when there is one.
 */
#ifndef CONCTUI_CHROME_TRACE_H
#define CONCTUI_CHROME_TRACE_H

#include <stdio.h>

#include "trace.h"

int chrome_trace_write(const struct trace *tr, FILE *f);

#endif
