/*
 * picks.h -- "you are the scheduler": a list of task names (--picks) that
 * decides, at each point where a scheduler chooses among several ready
 * tasks, which one runs.  The cooperative executors ask it when their run
 * queue holds more than one task, the GIL when it is free and more than
 * one thread wants it.  When the list runs out the executor's own policy
 * (FIFO) decides; a pick that names a task that is not ready is skipped,
 * and a `note` finding says so.  Every choice made goes in the trace's
 * meta.picks, so the run can be replayed with the same list.
 */
#ifndef CONCTUI_PICKS_H
#define CONCTUI_PICKS_H

#include <stdatomic.h>
#include <stddef.h>

#include "scenario.h"
#include "trace.h"

#define PICKS_MAX 256 /* names one list holds */

struct picks {
	struct trace *tr;    /* where the choices are recorded */
	int want[PICKS_MAX]; /* the tasks asked for, in order */
	int nwant;	     /* entries used in want */
	int next;	     /* the next entry of want to use */
	int decisions;	     /* choices made so far */
	/* Manual play: the run stops at the first choice the list does not make. */
	_Atomic int *stop;	/* raised to RUNNER_INTERRUPTED there; NULL: FIFO goes on */
	int stopped[PICKS_MAX]; /* the tasks that were ready at that choice */
	int nstopped;		/* entries used in stopped; 0: the run did not stop */
};

/*
 * Reads LIST ("C,B,A") against SC's task names into P.  0, or -1 with
 * "--picks: ..." in ERR (an unknown name, an empty entry, too many).
 */
int picks_parse(struct picks *p, const struct scenario *sc, const char *list, char *err,
		size_t errlen);

/*
 * A decision among READY (N task ids, in the executor's own order): the
 * index in READY of the task that runs.  With N = 1 there is no choice,
 * but a next pick naming that task is used up, so a list can simply name
 * the order tasks run in.  Called by one thread at a time.
 */
int picks_choose(struct picks *p, const int *ready, int n);

#endif
