/*
 * child.h -- what every forked child of a run does first: drop the
 * parent's signal handlers and descriptors, and die with its parent.
 */
#ifndef CONCTUI_CHILD_H
#define CONCTUI_CHILD_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Ties the calling child to PARENT (it is killed when the forking thread
 * ends), resets every signal to its default but SIGINT and SIGPIPE
 * (ignored: the parent turns Ctrl-C into a cooperative cancel), unblocks
 * all signals, and closes every descriptor above stdio but the NKEEP in
 * KEEP.  Returns 0, or -1 when the parent is already gone.
 */
int child_tie(pid_t parent, const int *keep, int nkeep);

/* After an interrupt: time for children to stop on their own, then after SIGTERM. */
#define CHILD_GRACE_NS (200 * 1000000ull)
#define CHILD_TERM_NS (300 * 1000000ull)

/* How far the parent has gone in stopping its children. */
struct child_stop {
	uint64_t since; /* clock_now_ns() when the interrupt was seen, 0 before */
	int signalled;	/* 0, SIGTERM or SIGKILL: the last one sent */
};

/*
 * Passes the run's cancel flag (enum runner_cancel) from FROM to the
 * children's shared TO.  After an interrupt it escalates: returns SIGTERM
 * once CHILD_GRACE_NS have passed, SIGKILL CHILD_TERM_NS later, else 0;
 * the caller sends what it returns.
 */
int child_pass_cancel(_Atomic int *from, _Atomic int *to, struct child_stop *st, uint64_t now);

/* What a failed fork() ran into, in words a user can act on ("" if none). */
const char *child_fork_hint(int err);

#endif
