/*
 * trace_priv.h -- what trace.c and trace_log.c share, and nobody else.
 */
#ifndef CONCTUI_TRACE_PRIV_H
#define CONCTUI_TRACE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/* Bytes the log takes in a trace's mapping (a multiple of 64). */
size_t trace_log_size(void);
/* Makes the zero-filled LOG ready to use, and empties it for reuse. */
void trace_log_init(struct trace_log *log);
void trace_log_reset(struct trace_log *log);

/* NOW_NS (an absolute clock reading) as ns since the run started. */
uint64_t trace_relative(const struct trace *tr, uint64_t now_ns);

#endif
