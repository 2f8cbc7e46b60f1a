/*
 * observe.h -- observing a real program: launch a command (or attach to a
 * running process of the same user) and record its threads and processes
 * into a trace, as the kernel ran them.
 *
 * Two methods, and the trace says which (meta.observer):
 *   perf     perf_event_open context-switch records on every core, inherited
 *            by new threads and child processes: each switch exactly;
 *   sampled  /proc/PID/task/TID/{stat,schedstat,syscall,wchan} read at
 *            OBSERVE_HZ or faster, new threads and processes found as they
 *            appear; a switch is placed within one period.
 * CONCTUI_OBSERVE=perf|sampled forces one; otherwise perf where the kernel
 * allows it (perf_event_paranoid, capabilities), sampled elsewhere.
 *
 * A sleeping thread's wait is classified by what it waits in (futex: lock;
 * poll, epoll, select, recv or read on a socket: io; nanosleep: sleep;
 * wait4: blocked); the span's reason says what was seen.
 */
#ifndef CONCTUI_OBSERVE_H
#define CONCTUI_OBSERVE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "trace.h"

#define OBSERVE_LANES 512	 /* threads one observed run can show */
#define OBSERVE_LANES_LIKELY 128 /* each lane holds spans as if there were this many */
#define OBSERVE_HZ 1000		 /* sampling rate of the sampled method */
#define OBSERVE_EXIT_UNKNOWN TRACE_EXIT_UNKNOWN /* exit status of an attached process */
#define OBSERVE_TERM_AFTER_NS 1000000000ull	/* Ctrl-C: SIGINT, then SIGTERM after 1 s */
#define OBSERVE_KILL_AFTER_NS 2000000000ull	/* ... then SIGKILL after 2 s */

/*
 * The reason of a sampled running span that was not seen at a sample: the
 * thread ran that long between two samples (schedstat says how long, not
 * when), and is shown in the middle of the period, so it may overlap by
 * part of a period whatever ran on its core.
 */
#define OBSERVE_BURST "ran between two samples"

/*     ENUM     name        what */
#define OBSERVE_METHOD_MAP(X)                                                                      \
	X(AUTO, "auto", "perf events where allowed, else sampling")                                \
	X(PERF, "perf", "perf_event_open context-switch records (exact)")                          \
	X(SAMPLED, "sampled", "sampling /proc at 1 kHz")

/* clang-format off */
enum observe_method {
#define X(e, n, d) OBSERVE_##e,
	OBSERVE_METHOD_MAP(X)
#undef X
	OBSERVE_METHOD_COUNT
};
/* clang-format on */

const char *observe_method_name(enum observe_method m);
/* The method named NAME, or -1. */
int observe_method_parse(const char *name);

struct observe_opts {
	char *const *argv;	    /* the command (NULL-terminated), or NULL with attach */
	pid_t attach;		    /* a running process to observe, or 0 */
	bool passthrough;	    /* leave the program's stdout and stderr alone */
	enum observe_method method; /* AUTO: from CONCTUI_OBSERVE, else perf if allowed */
	double period_us;	    /* sampling period; 0: 1e6 / OBSERVE_HZ */
};

struct observer;

/*
 * Checks the target and starts it (a command is forked and executed in a
 * process group of its own; stdout and stderr are captured unless
 * passthrough).  Returns NULL with one line in ERR when the command cannot
 * run, or the process does not exist or is another user's: nothing is
 * left running then.  TR (from observe_trace_new) receives the threads.
 */
struct observer *observe_start(const struct observe_opts *o, struct trace *tr, char *err,
			       size_t errlen);
/* A trace sized for an observed run, with its metadata filled in. */
struct trace *observe_trace_new(const struct observe_opts *o);
/*
 * Observes until the program ends (a command: its first process exits;
 * any process it left is killed) or *CANCEL becomes non-zero: a command
 * then gets SIGINT, SIGTERM after OBSERVE_TERM_AFTER_NS, SIGKILL after
 * OBSERVE_KILL_AFTER_NS; an attached process is left alone.  Fills the
 * trace's wall time, exit status and method.  Returns 0.
 */
int observe_run(struct observer *ob, _Atomic int *cancel);
/* Lanes born so far (readable from any thread). */
int observe_lanes(const struct observer *ob);
/*
 * Shows the lanes born so far and the names threads gave themselves; only
 * the thread that reads the trace for a view calls it (trace_show_lanes).
 */
void observe_show(struct observer *ob);
/* The program's exit status: its code, -SIGNAL, or OBSERVE_EXIT_UNKNOWN. */
int observe_exit_status(const struct observer *ob);
/* Kills what is left (if anything) and frees OB; the trace is the caller's. */
void observe_free(struct observer *ob);

#endif
