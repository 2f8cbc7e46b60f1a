/*
 * child.h -- what every forked child of a run does first: drop the
 * parent's signal handlers and descriptors, and die with its parent.
 */
#ifndef CONCTUI_CHILD_H
#define CONCTUI_CHILD_H

#include <sys/types.h>

/*
 * Ties the calling child to PARENT (it is killed when the forking thread
 * ends), resets every signal to its default but SIGINT and SIGPIPE
 * (ignored: the parent turns Ctrl-C into a cooperative cancel), unblocks
 * all signals, and closes every descriptor above stdio but the NKEEP in
 * KEEP.  Returns 0, or -1 when the parent is already gone.
 */
int child_tie(pid_t parent, const int *keep, int nkeep);

/* What a failed fork() ran into, in words a user can act on ("" if none). */
const char *child_fork_hint(int err);

#endif
