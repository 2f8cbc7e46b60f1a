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
#define TRACE_EXIT_UNKNOWN -1000     /* an observed program's exit status, not known */
#define TRACE_OPEN UINT64_MAX	     /* t1 of a span that has not ended yet */
#define TRACE_MAX_TASKS 100000	     /* tasks in one trace */
#define TRACE_SPAN_BUDGET (1u << 21) /* spans shared out among the lanes */
#define TRACE_EDGE_CAP (1u << 17)    /* edges one trace holds */
#define TRACE_TEXT_MAX 160	     /* bytes of an output line or a finding, NUL included */
#define TRACE_OUTPUT_CAP 8192	     /* output lines one trace holds */
#define TRACE_FINDING_CAP 64	     /* findings one trace holds */
#define TRACE_FINDING_TASKS 8	     /* tasks one finding names */
#define TRACE_PICKS_MAX 256	     /* scheduling choices one trace keeps */

/*
 * Why a span began (the record's "cause"), written by the executor at the
 * moment it knows, never inferred afterwards.  New words may be added at
 * the end; readers of a record keep a word they do not know as CAUSE_NONE.
 */
#define CAUSE_MAP(X)                                                                               \
	X(NONE, "none")		      /* not known (a record without causes) */                    \
	X(START, "start")	      /* the task began */                                         \
	X(STEP, "step")		      /* the task moved on to its next step */                     \
	X(PREEMPT, "preempt")	      /* the OS took the core away */                              \
	X(RESUME, "resume")	      /* the OS gave a core back */                                \
	X(GIL_DROP, "gil_drop")	      /* forced to drop the GIL; by: who asked */                  \
	X(GIL_TAKE, "gil_take")	      /* took the GIL; by: who dropped it */                       \
	X(GIL_WAIT, "gil_wait")	      /* must wait for the GIL; by: its holder */                  \
	X(TIMER, "timer")	      /* a timer fired */                                          \
	X(IO_DONE, "io_done")	      /* a response arrived */                                     \
	X(YIELD, "yield")	      /* it awaited or yielded to the loop */                      \
	X(LOOP_RESUME, "loop_resume") /* the loop resumed it; by: who yielded */                   \
	X(JOB, "job")		      /* a worker took it as a job */                              \
	X(LOCK_WAIT, "lock_wait")     /* waits for a lock; by: its holder */                       \
	X(LOCK_TAKE, "lock_take")     /* took a lock; by: who released it */                       \
	X(CANCEL, "cancel")	      /* cancelled; by: the canceller */                           \
	X(KILL, "kill")		      /* killed by a signal */                                     \
	X(FINISH, "finish")	      /* it ended */                                               \
	X(OBSERVED, "observed")	      /* an observed program: the kernel said so */

/* clang-format off */
enum cause {
#define X(e, n) CAUSE_##e,
	CAUSE_MAP(X)
#undef X
	CAUSE_COUNT
};
/* clang-format on */

/* Hand-offs between tasks (the record's edges), written when they happen. */
#define EDGE_KIND_MAP(X)                                                                           \
	X(GIL, "gil")	      /* the GIL: the dropper to the taker */                              \
	X(LOOP, "loop")	      /* the loop: the task that yielded to the one it resumed */          \
	X(JOB, "job")	      /* a pool worker: its previous job to its next */                    \
	X(LOCK, "lock")	      /* a lock: the releaser to the next holder */                        \
	X(CANCEL, "cancel")   /* the winner of wait = first to a task it cancelled */              \
	X(JOIN, "join")	      /* a task that ended to the one that waited for it */                \
	X(GIL_ASK, "gil_ask") /* a GIL waiter to the holder it asked to drop it, when it asked */

/* clang-format off */
enum edge_kind {
#define X(e, n) EDGE_##e,
	EDGE_KIND_MAP(X)
#undef X
	EDGE_KIND_COUNT
};
/* clang-format on */

/*
 * What a finding is (the record's findings[].kind): a pattern found in a run
 * that a teacher would point at.  New words may be added at the end; a
 * record's word this build does not know is read as FINDING_NOTE.
 */
#define FINDING_KIND_MAP(X)                                                                        \
	X(NOTE, "note")				/* anything else worth saying */                   \
	X(BLOCKING_CALL, "blocking-call")	/* one task held the event loop too long */        \
	X(GIL_CONVOY, "gil-convoy")		/* back from I/O, a task waits ~ an interval */    \
	X(GIL_THRASH, "gil-thrash")		/* the GIL changes hands more than work is done */ \
	X(OVERSUBSCRIBED, "oversubscribed")	/* more runnable tasks than cores */               \
	X(STARVED, "starved")			/* a task was ready for long and never ran */      \
	X(NO_SECOND_CORE, "no-second-core")	/* a parallel run never ran two tasks at once */   \
	X(DEADLOCK, "deadlock")			/* tasks wait for each other's locks */            \
	X(CRITICAL_OVERLAP, "critical-overlap") /* two tasks inside a critical region at once */   \
	X(GOAL_MET, "goal-met")			/* the scenario's goal was reached */              \
	X(GOAL_MISSED, "goal-missed")		/* the scenario's goal was not reached */

/* clang-format off */
enum finding_kind {
#define X(e, n) FINDING_##e,
	FINDING_KIND_MAP(X)
#undef X
	FINDING_KIND_COUNT
};
/* clang-format on */

const char *cause_name(enum cause c);
/* The cause named NAME, or CAUSE_NONE for a word this build does not know. */
enum cause cause_parse(const char *name);
const char *edge_kind_name(enum edge_kind k);
/* The kind named NAME, or -1. */
int edge_kind_parse(const char *name);
const char *finding_kind_name(enum finding_kind k);
/* The kind named NAME, or FINDING_NOTE for a word this build does not know. */
enum finding_kind finding_kind_parse(const char *name);

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
	int32_t step;	  /* index in the task's expanded steps; -1 outside any step */
	enum cause cause; /* why the span began */
	int32_t by;	  /* the task that caused it, -1: the OS, a timer, the network */
};

/* A hand-off from one task to another. */
struct trace_edge {
	uint64_t t; /* ns since the run started */
	int32_t from, to;
	enum edge_kind kind;
};

/* A line of output: printed by a task's `print` step, or by an observed program. */
struct trace_output {
	uint64_t t;		   /* ns since the run started */
	int32_t task;		   /* the lane that printed it */
	char text[TRACE_TEXT_MAX]; /* raw bytes (escape before showing), NUL-terminated */
};

/* A pattern found in the run, with the time range and the tasks it is about. */
struct trace_finding {
	enum finding_kind kind;
	uint64_t t0, t1;		    /* ns since the run started */
	int32_t ntasks;			    /* entries used in tasks */
	int32_t tasks[TRACE_FINDING_TASKS]; /* lanes involved, most important first */
	char text[TRACE_TEXT_MAX];	    /* one sentence for people */
};

/* A worker of the `workers` executor, as the run saw it. */
struct trace_worker {
	char host[48];		 /* its host name */
	int32_t pid;		 /* its process on that host */
	int32_t jobs;		 /* jobs it took in this run */
	int32_t remote;		 /* 1: joined with --worker; its times were corrected */
	int64_t offset_ns;	 /* added to its clock to put it on the run's */
	uint64_t uncertainty_ns; /* of that offset (half the best round trip, both ends) */
};
#define TRACE_WORKERS_MAX 32 /* workers one trace names */

/* Facts about the run as a whole, written before it starts or after it ends. */
struct trace_meta {
	char scenario[64];
	char title[128];
	char backend[32];
	enum model model;
	int cores;	       /* online CPUs on the machine that ran it */
	uint64_t wall_ns;      /* start to end of the run */
	uint64_t cpu_ns;       /* CPU time the run consumed, all processes */
	double bytes_per_task; /* memory per task (core/meter.h), 0 when not measured */
	uint64_t dropped;      /* spans a replayed record had lost when it was made */
	/* The spinner (the task with a `spin` step), for the views: never read from reasons. */
	int spinner;	   /* its lane, meaningful when spinner_ms > 0 */
	double spinner_ms; /* the wait between its frames; 0: the run has no spinner */
	/*
	 * What --scale multiplied the run's durations by (0 or 1: as written);
	 * the findings' time thresholds are multiplied by it too.
	 */
	double scale;
	/* The lock lane, meaningful when the trace has one. */
	char gil_mode[8]; /* "new", "old" or "off" */
	double gil_interval_ms;
	uint64_t gil_switches;
	uint64_t gil_drop_requests;
	/* --picks: the task chosen at each scheduling decision, in order (the record's picks). */
	int32_t picks[TRACE_PICKS_MAX];
	int npicks; /* entries used in picks */
	/* The broker of the `workers` executor: "" when the run had none. */
	char broker[96]; /* "embedded" or the URL given */
	int nworkers;	 /* entries of workers used */
	struct trace_worker workers[TRACE_WORKERS_MAX];
	int requeued; /* jobs put back after their worker died */
	/* An observed program (-- COMMAND, --attach); observer[0] == 0 for a scenario. */
	char observer[8];	   /* how: "perf" or "sampled" */
	double observer_period_us; /* sampling period; 0 for perf (exact) */
	int observer_unshown; /* most of its threads alive at once without a lane (all taken) */
	char command[256];    /* its argv, each argument NUL-terminated */
	int command_argc;     /* arguments in command */
	int exit_status;      /* exit code, -SIGNAL, or TRACE_EXIT_UNKNOWN */
};

struct trace_lane;
struct trace_log;

struct trace {
	/* read-only after trace_create */
	int ntasks;
	int nlanes; /* ntasks, plus one with TRACE_LOCK_LANE */
	unsigned flags;
	/* public: see struct trace_meta */
	struct trace_meta meta;
	/* private */
	int capacity;	   /* task lanes allocated (trace_show_lanes may reveal them) */
	uint64_t epoch_ns; /* clock_now_ns() when the run started */
	struct trace_lane *lanes;
	void *slots;
	void *edges;			/* TRACE_EDGE_CAP slots */
	_Atomic uint32_t edge_next;	/* edge slots handed out */
	_Atomic uint32_t edges_dropped; /* edges that did not fit */
	struct trace_log *log;		/* output lines and findings (trace_log.c) */
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
 * An observed program's thread on LANE: its process id, thread id and the
 * name of its process.  SAMPLED: its spans were found by sampling.  Set by
 * the lane's writer before the lane is shown.
 */
struct trace_thread {
	int32_t pid, tid; /* 0 for a task of a scenario */
	char process[16]; /* the process's name (comm) */
	bool sampled;	  /* every span of the lane was found by sampling */
};
void trace_set_thread(struct trace *tr, int lane, const struct trace_thread *th);
const struct trace_thread *trace_thread(const struct trace *tr, int lane);
/*
 * A trace with room for CAPACITY tasks of which only the first is shown
 * yet; each lane holds as many spans as a trace of LIKELY tasks would.
 */
struct trace *trace_create_growing(int capacity, int likely);
/*
 * Makes lanes 0 .. N-1 visible (an observed run grows as threads are born).
 * Only the thread that reads the trace for a view may call it; N only grows.
 */
void trace_show_lanes(struct trace *tr, int n);

/*
 * Writer side (one writer per lane).  NOW_NS is an absolute clock reading.
 * trace_set_step: the spans LANE opens from now on belong to step STEP of
 * its task (-1: outside any step; the initial value).
 * trace_enter closes the open span at NOW_NS and opens one in STATE, which
 * began because of CAUSE (BY: the task that caused it, or -1); when nothing
 * changes (same state, core, reason and step) it does nothing, so spans of
 * one state that belong to different steps are never merged.
 */
void trace_set_step(struct trace *tr, int lane, int step);
void trace_enter(struct trace *tr, int lane, uint64_t now_ns, enum state st, int cpu,
		 enum cause cause, int by, const char *reason);
/* Closes the open span at NOW_NS, opening none. */
void trace_close(struct trace *tr, int lane, uint64_t now_ns);
/*
 * Ends a task: closes its open span and records its outcome.  A REASON, if
 * given, is kept as a last zero-length `done` span ("killed by SIGKILL"),
 * whose cause follows from the outcome (cancel, kill, finish); BY is the
 * task that cancelled it, or -1.
 */
void trace_finish(struct trace *tr, int lane, uint64_t now_ns, enum outcome o, int by,
		  const char *reason);
/*
 * Records a hand-off from task FROM to task TO at NOW_NS (absolute).  Any
 * thread or forked process may call it at any time; an edge that does not
 * fit is counted in trace_edges_dropped().
 */
void trace_edge(struct trace *tr, int from, int to, uint64_t now_ns, enum edge_kind kind);
/* Appends an edge with a time relative to the run (for replay); 0 or -ENOSPC. */
int trace_append_edge(struct trace *tr, const struct trace_edge *e);
/* Appends a complete span with times relative to the run (for replay). */
int trace_append(struct trace *tr, int lane, const struct span *sp);
/* Sets an outcome without touching spans (for replay). */
void trace_set_outcome(struct trace *tr, int lane, enum outcome o);

/* Reader side: safe while writers run. */
uint32_t trace_count(const struct trace *tr, int lane);
void trace_get(const struct trace *tr, int lane, uint32_t i, struct span *out);
enum outcome trace_outcome(const struct trace *tr, int lane);
/*
 * Chunk boundaries the probe has seen on LANE: probe_chunk counts each, so
 * a test can tell that an executor's CPU work went through the one probe.
 * trace_count_chunk is the lane writer's (a plain store, no lock).
 */
void trace_count_chunk(struct trace *tr, int lane);
/* The worker (an index in meta.workers) that ran LANE's task, -1: none known. */
void trace_set_worker(struct trace *tr, int lane, int worker);
int trace_worker(const struct trace *tr, int lane);
uint64_t trace_chunks(const struct trace *tr, int lane);
/* Adds N chunks that were probed elsewhere (a worker of another process). */
void trace_add_chunks(struct trace *tr, int lane, uint64_t n);

/*
 * Edges: trace_edge_count() slots have been handed out; trace_get_edge()
 * copies slot I and returns false while its writer has not finished it.
 * Edges are in the order their writers claimed slots, near time order.
 */
uint32_t trace_edge_count(const struct trace *tr);
bool trace_get_edge(const struct trace *tr, uint32_t i, struct trace_edge *out);
uint64_t trace_edges_dropped(const struct trace *tr);

/*
 * Output lines (trace_log.c).  Any thread or forked process may print at any
 * time; TEXT is kept raw up to TRACE_TEXT_MAX - 1 bytes (cut after a whole
 * character), a line that does not fit is counted in
 * trace_output_dropped().  Lines are in the order their writers claimed
 * slots, near time order; trace_get_output() returns false for a slot whose
 * writer has not finished it.
 */
int trace_print(struct trace *tr, int lane, uint64_t now_ns, const char *text);
/* Appends a line with a time relative to the run (for replay); 0 or -ENOSPC. */
int trace_append_output(struct trace *tr, const struct trace_output *o);
uint32_t trace_output_count(const struct trace *tr);
bool trace_get_output(const struct trace *tr, uint32_t i, struct trace_output *out);
uint64_t trace_output_dropped(const struct trace *tr);
/*
 * Copies the finished lines into OUT (room for MAX) in time order, lines of
 * equal time in the order they were printed; returns how many.
 */
uint32_t trace_output_in_order(const struct trace *tr, struct trace_output *out, uint32_t max);

/*
 * Findings (trace_log.c): added by the run's analysis after it ends, or by a
 * watcher while it runs (times relative to the run); 0 or -ENOSPC.  Any
 * thread may add; readers see a finding once it is complete.
 */
int trace_add_finding(struct trace *tr, const struct trace_finding *f);
uint32_t trace_finding_count(const struct trace *tr);
bool trace_get_finding(const struct trace *tr, uint32_t i, struct trace_finding *out);
/* Spans that did not fit in LANE (or in every lane when LANE is -1). */
uint64_t trace_dropped(const struct trace *tr, int lane);
/* Start and end of a lane in ns since the run started (end: last t1). */
uint64_t trace_lane_start(const struct trace *tr, int lane);
uint64_t trace_lane_end(const struct trace *tr, int lane, uint64_t now_rel_ns);
/* The latest time any lane has reached, for views of a run in progress. */
uint64_t trace_extent(const struct trace *tr, uint64_t now_rel_ns);

#endif
