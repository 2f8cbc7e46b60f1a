/*
 * trace.h -- what happened: for each task an append-only list of spans.
 *
 * A trace has one lane per task (lanes 0 .. ntasks-1) and, when asked for,
 * one more lane for a lock (the GIL): its spans are the lock's holds, and a
 * hold's `cpu` field names the task that held it.
 *
 * Each lane has exactly one writer (the task's thread or process) and any
 * number of concurrent readers.  The writer fills a span, then publishes it
 * by storing the lane's count with release order; readers load the count
 * with acquire order and may then read every span below it.  Only `t1` of
 * the newest span changes after publication, and it is atomic.
 *
 * With TRACE_SHARED the whole trace lives in one MAP_SHARED mapping, so that
 * forked children write into the same spans the parent reads.  Memory is
 * reserved up front and touched only as spans are written.
 */
#ifndef CONCTUI_TRACE_H
#define CONCTUI_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

#define TRACE_REASON_MAX 44	     /* bytes of reason text kept, NUL included */
#define TRACE_NAME_MAX 32	     /* bytes of a task name, NUL included */
#define TRACE_OPEN UINT64_MAX	     /* t1 of a span that has not ended yet */
#define TRACE_MAX_TASKS 100000	     /* tasks in one trace */
#define TRACE_SPAN_BUDGET (1u << 21) /* spans shared out among the lanes */

enum trace_flags {
	TRACE_SHARED = 1 << 0,	  /* MAP_SHARED, for forked writers */
	TRACE_LOCK_LANE = 1 << 1, /* one extra lane for a lock's holds */
};

/* A span as readers see it: a copy, never a pointer into the trace. */
struct span {
	uint64_t t0; /* ns since the run started */
	uint64_t t1; /* ns since the run started; TRACE_OPEN while open */
	int32_t cpu; /* core it ran on, -1 if none; lock lane: holder task */
	enum state state;
	char reason[TRACE_REASON_MAX];
};

/* Facts about the run as a whole, written before it starts or after it ends. */
struct trace_meta {
	char scenario[64];
	char title[128];
	char backend[32];
	enum model model;
	int cores;	       /* online CPUs on the machine that ran it */
	uint64_t wall_ns;      /* start to end of the run */
	uint64_t cpu_ns;       /* CPU time the run consumed, all processes */
	double bytes_per_task; /* RSS growth / tasks, 0 when not measured */
	/* The lock lane, meaningful when the trace has one. */
	char gil_mode[8]; /* "new", "old" or "off" */
	double gil_interval_ms;
	uint64_t gil_switches;
	uint64_t gil_drop_requests;
};

struct trace_lane;

struct trace {
	/* read-only after trace_create */
	int ntasks;
	int nlanes; /* ntasks, plus one with TRACE_LOCK_LANE */
	unsigned flags;
	/* public: see struct trace_meta */
	struct trace_meta meta;
	/* private */
	uint64_t epoch_ns; /* clock_now_ns() when the run started */
	struct trace_lane *lanes;
	void *slots;
	size_t map_size;
};

/* Returns a new trace for NTASKS tasks, or NULL (errno set). */
struct trace *trace_create(int ntasks, unsigned flags);
void trace_destroy(struct trace *tr);

/* Empties every lane for reuse (no writer may be running). */
void trace_reset(struct trace *tr);

/* Marks t = 0 of the run as NOW_NS (an absolute clock_now_ns() reading). */
void trace_start(struct trace *tr, uint64_t now_ns);

/* The lane of the lock's holds, or -1 when the trace has none. */
int trace_lock_lane(const struct trace *tr);

void trace_set_name(struct trace *tr, int lane, const char *name);
const char *trace_name(const struct trace *tr, int lane);

/*
 * Writer side (one writer per lane).  NOW_NS is an absolute clock reading.
 * trace_enter closes the open span at NOW_NS and opens one in STATE; when
 * nothing changes (same state, core and reason) it does nothing.
 */
void trace_enter(struct trace *tr, int lane, uint64_t now_ns, enum state st, int cpu,
		 const char *reason);
/* Closes the open span at NOW_NS, opening none. */
void trace_close(struct trace *tr, int lane, uint64_t now_ns);
/*
 * Ends a task: closes its open span and records its outcome.  A REASON, if
 * given, is kept as a last zero-length `done` span ("killed by SIGKILL").
 */
void trace_finish(struct trace *tr, int lane, uint64_t now_ns, enum outcome o, const char *reason);
/* Appends a complete span with times relative to the run (for replay). */
int trace_append(struct trace *tr, int lane, const struct span *sp);
/* Sets an outcome without touching spans (for replay). */
void trace_set_outcome(struct trace *tr, int lane, enum outcome o);

/* Reader side: safe while writers run. */
uint32_t trace_count(const struct trace *tr, int lane);
void trace_get(const struct trace *tr, int lane, uint32_t i, struct span *out);
enum outcome trace_outcome(const struct trace *tr, int lane);
/* Spans that did not fit in LANE (or in every lane when LANE is -1). */
uint64_t trace_dropped(const struct trace *tr, int lane);
/* Start and end of a lane in ns since the run started (end: last t1). */
uint64_t trace_lane_start(const struct trace *tr, int lane);
uint64_t trace_lane_end(const struct trace *tr, int lane, uint64_t now_rel_ns);
/* The latest time any lane has reached, for views of a run in progress. */
uint64_t trace_extent(const struct trace *tr, uint64_t now_rel_ns);

#endif
