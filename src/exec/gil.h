/*
 * gil.h -- a simulated CPython interpreter lock, built the way CPython
 * builds it, so that threads contending for it behave as Python threads do.
 *
 * Three modes:
 *   new  CPython 3.2+ (Python/ceval_gil.c): a waiter that sees no switch
 *        within one interval sets `drop_request`; the holder, which checks
 *        the flag at every chunk boundary, drops the lock and waits until
 *        another thread has taken it (FORCE_SWITCHING).
 *   old  before 3.2: a plain lock (mutex + condition + `locked` flag,
 *        signalled on release, no handoff) that the holder releases and at
 *        once re-takes every GIL_OLD_TICKS chunks.  The releaser usually
 *        wins the race against the thread it woke: the convoy.
 *   off  free-threaded Python: taking and dropping do nothing.
 *
 * Recording: with a trace, every hold becomes one span in the trace's lock
 * lane (state `running`, cpu = the holder's task id).  Only the holder
 * writes that lane, and it does so with the lock's mutex held, so the lane
 * keeps its single writer however many threads contend.  Each hand-off
 * (a take by another thread than the last holder) is also an edge `gil`
 * from the dropper to the taker, written just after the take with its time.
 * The drop request a hand-off answers is an edge `gil_ask` from the waiter
 * that set it to the holder it asked, at the time it asked: the waiter
 * notes the time under the mutex it already holds, and the next taker
 * writes the edge after letting the mutex go (nothing is added to the
 * holder's check at each chunk).
 */
#ifndef CONCTUI_GIL_H
#define CONCTUI_GIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "trace.h"

/* The old GIL's check interval: sys.setcheckinterval(100). */
#define GIL_OLD_TICKS 100

/*    ENUM  name   what it is */
#define GIL_MODE_MAP(X)                                                                            \
	X(NEW, "new", "CPython 3.2+: forced switch after one interval")                            \
	X(OLD, "old", "before 3.2: release and re-take every 100 ticks")                           \
	X(OFF, "off", "free-threaded: no lock at all")

/* clang-format cannot indent an enum built by a macro. */
/* clang-format off */
enum gil_mode {
#define X(e, n, d) GIL_##e,
	GIL_MODE_MAP(X)
#undef X
	GIL_MODE_COUNT
};
/* clang-format on */

struct gil {
	/* read-only after gil_init */
	enum gil_mode mode;
	uint64_t interval_ns; /* the switch interval (sys.setswitchinterval) */
	struct trace *tr;     /* NULL: holds are not recorded */
	int lane;	      /* the trace's lock lane */
	_Atomic int *cancel;  /* non-zero: waiters give up (may be NULL) */
	/* private: the lock itself, as in ceval_gil.c */
	pthread_mutex_t m;	  /* guards locked, switch_number, ticks */
	pthread_cond_t cv;	  /* signalled when the lock is released */
	pthread_mutex_t switch_m; /* FORCE_SWITCHING: orders last_holder */
	pthread_cond_t switch_cv; /* signalled when a thread has taken it */
	int locked;
	uint64_t switch_number;	  /* times the holder changed */
	_Atomic int last_holder;  /* task id, -1 before the first take */
	_Atomic int drop_request; /* a waiter asks the holder to let go */
	/* private: who did what, for the record (causes and edges) */
	_Atomic int holder;	/* task holding it now, -1 while free */
	_Atomic int handed_by;	/* the holder before the current one; -1: none or itself */
	_Atomic int drop_asker; /* the waiter that set drop_request last */
	int drop_asked_of;	/* the holder it asked, guarded by m */
	uint64_t drop_asked_at; /* clock_now_ns when it asked, guarded by m */
	int ticks;		/* old mode: chunks left until the release */
	int check_ticks;	/* old mode: chunks between releases (GIL_OLD_TICKS at --scale 1) */
	/* private: counters, read with the accessors */
	_Atomic uint64_t drop_requests; /* times drop_request went from 0 to 1 */
	_Atomic uint64_t switch_waits;	/* drops that waited for another taker */
	/* private: --picks (new mode), guarded by m */
	struct picks *picks; /* who takes the lock when several want it; NULL: the race */
	uint64_t wanting;    /* bit per task (< 64) that waits in take or is yet to start */
	int turn;	     /* the task the picks chose to take it next, -1: not chosen */
};

/* Returns the mode called NAME ("new", "old", "off"), or -1. */
int gil_mode_from_name(const char *name);
const char *gil_mode_name(enum gil_mode m);

/*
 * Sets G up.  With TR, holds are recorded in LANE of TR.  Returns 0, or a
 * negative errno when the mutexes or conditions cannot be made.
 */
int gil_init(struct gil *g, enum gil_mode mode, uint64_t interval_ns, struct trace *tr, int lane);
/*
 * --picks: whenever the lock is free and more than one thread wants it,
 * PICKS chooses the taker (new mode, at most 64 tasks; else ignored).
 * All NTASKS threads count as wanting it from the start, so the first
 * choice is made among every task, whichever thread arrives first.
 */
struct picks;
void gil_set_picks(struct gil *g, struct picks *picks, int ntasks);
/* Waiters poll *CANCEL once per interval and give up when it is non-zero. */
void gil_set_cancel(struct gil *g, _Atomic int *cancel);
void gil_destroy(struct gil *g);

/*
 * take_gil: blocks until TASK holds the lock.  Returns 0, or -ECANCELED
 * (the lock not taken) when *cancel became non-zero meanwhile.
 */
int gil_take(struct gil *g, int task);
/*
 * drop_gil: TASK, the holder, lets go.  With a drop request pending (new
 * mode) it then waits until another thread has taken the lock, and
 * returns 1; otherwise it returns 0 at once.
 */
int gil_drop(struct gil *g, int task);
/* The holder's cheap check, made at every chunk boundary. */
bool gil_drop_requested(const struct gil *g);
/*
 * Who caused what, for a span's `by`: the task holding the lock now (-1
 * while free); for the holder, the thread it took the lock from (-1 after
 * a first take or a re-take); the waiter whose timeout set the latest drop
 * request (-1 before any).
 */
int gil_holder(const struct gil *g);
int gil_handed_by(const struct gil *g);
int gil_drop_asker(const struct gil *g);
/*
 * Old mode: the holder releases every TICKS chunks (sys.setcheckinterval).
 * A chunk is a fixed amount of real work, so --scale X makes it X times
 * GIL_OLD_TICKS, as it makes the new GIL's interval X times 5 ms: the same
 * picture, slower.  Call before the threads start.
 */
void gil_set_check_ticks(struct gil *g, int ticks);
/* Old mode, called by the holder once per chunk: true every check_ticks chunks. */
bool gil_tick(struct gil *g);

/* Figures for the record. */
uint64_t gil_switches(struct gil *g);
uint64_t gil_drop_requests(const struct gil *g);
uint64_t gil_switch_waits(const struct gil *g);

#endif
