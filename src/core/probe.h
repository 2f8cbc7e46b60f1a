/*
 * probe.h -- the one probe every executor uses to record a task's state
 * changes, and the one rule for "the OS took the CPU away".
 *
 * CPU work is done in chunks of WORK_CHUNK_US.  At every chunk boundary the
 * probe reads the clock and the core; a chunk whose wall time exceeds the
 * thread's CPU time by more than PROBE_PREEMPT_NS lost the CPU: the OS ran
 * something else meanwhile.  That difference is exactly the time off the
 * CPU, so short slices count too (a task that resumes only to finish);
 * interrupts cost microseconds.  Just when within the chunk the thread was
 * off is not known, so the whole chunk is shown `ready` (cause `preempt`):
 * running is only claimed at instants the task itself saw the clock, and two
 * tasks on one core never show as running at once.
 *
 * A probe belongs to one thread: the threads, processes, pool and GIL
 * executors have one per task; an event loop has one for its thread, which
 * every coroutine, green thread or callback it runs shares.
 */
#ifndef CONCTUI_PROBE_H
#define CONCTUI_PROBE_H

#include <stdint.h>

#include "trace.h"

#define PROBE_PREEMPT_NS 20000ull /* off-CPU time that counts as preemption */

struct probe {
	uint64_t last_ns;     /* previous reading while running, absolute ns */
	uint64_t last_cpu_ns; /* the thread's CPU clock at last_ns */
	uint64_t quick_ns;    /* fastest chunk seen, wall ns; 0: none yet */
	int cpu_known;	      /* 1 once there is a reading */
	int cpu;	      /* core of the open running span, -1 when not running */
};

void probe_init(struct probe *p);

/* The core the calling thread runs on (0 when the kernel will not say). */
int probe_current_cpu(void);

/*
 * LANE of TR enters STATE now, on the current core when running, because of
 * CAUSE (BY: the task that caused it, or -1).  Leaving a running span, time
 * the thread spent off its CPU since the last reading is recorded first.
 */
void probe_enter(struct probe *p, struct trace *tr, int lane, enum state st, enum cause cause,
		 int by, const char *reason);

/* The work stops at NOW_NS (the task ends): time off the CPU since the last reading is recorded. */
void probe_stop(struct probe *p, struct trace *tr, int lane, uint64_t now_ns);

/*
 * A chunk boundary of running work at NOW_NS: time off the CPU becomes a
 * `ready` span (preempt) and the work goes on in a new running span
 * (resume); a move to another core starts a new running span.  Returns 1
 * when the chunk was preempted.
 */
int probe_chunk(struct probe *p, struct trace *tr, int lane, uint64_t now_ns, const char *reason);

#endif
