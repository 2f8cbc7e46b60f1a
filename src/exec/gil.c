/*
 * gil.c -- the interpreter lock, mirroring CPython's Python/ceval_gil.c
 * (3.2+, "new") and the pre-3.2 lock of Python/thread_pthread.h plus the
 * check-interval release in ceval.c ("old").
 *
 * Names follow ceval_gil.c: `locked`, `switch_number`, `last_holder`,
 * `drop_request`, the mutex/condition pair that guards `locked`, and the
 * switch mutex/condition pair of FORCE_SWITCHING.
 */
#include "gil.h"
#include "picks.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"

static const char *const gil_names[] = {
#define X(e, n, d) n,
    GIL_MODE_MAP(X)
#undef X
};

int gil_mode_from_name(const char *name)
{
	for (int i = 0; i < GIL_MODE_COUNT; i++)
		if (name && strcmp(name, gil_names[i]) == 0)
			return i;
	return -1;
}

const char *gil_mode_name(enum gil_mode m)
{
	return (unsigned)m < GIL_MODE_COUNT ? gil_names[m] : "?";
}

/* ---- set-up ------------------------------------------------------------- */

/* A condition timed on CLOCK_MONOTONIC, as ceval_gil.c's COND_INIT does. */
static int gil_cond_init(pthread_cond_t *c)
{
	pthread_condattr_t a;
	int rc = pthread_condattr_init(&a);

	if (rc != 0)
		return -rc;
	rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(c, &a);
	pthread_condattr_destroy(&a);
	return -rc;
}

int gil_init(struct gil *g, enum gil_mode mode, uint64_t interval_ns, struct trace *tr, int lane)
{
	int rc;

	memset(g, 0, sizeof *g);
	g->mode = mode;
	/* ceval_gil.c never waits less than 1 us: an interval of 0 would spin. */
	g->interval_ns = interval_ns < 1000 ? 1000 : interval_ns;
	g->tr = lane >= 0 ? tr : NULL;
	g->lane = lane;
	g->ticks = g->check_ticks = GIL_OLD_TICKS;
	atomic_init(&g->last_holder, -1);
	atomic_init(&g->holder, -1);
	atomic_init(&g->handed_by, -1);
	atomic_init(&g->drop_asker, -1);
	g->drop_asked_of = -1;
	atomic_init(&g->drop_request, 0);
	atomic_init(&g->drop_requests, 0);
	atomic_init(&g->switch_waits, 0);
	if ((rc = pthread_mutex_init(&g->m, NULL)) != 0)
		return -rc;
	if ((rc = pthread_mutex_init(&g->switch_m, NULL)) != 0)
		goto no_switch_m;
	if ((rc = -gil_cond_init(&g->cv)) != 0)
		goto no_cv;
	if ((rc = -gil_cond_init(&g->switch_cv)) != 0)
		goto no_switch_cv;
	return 0;
no_switch_cv:
	pthread_cond_destroy(&g->cv);
no_cv:
	pthread_mutex_destroy(&g->switch_m);
no_switch_m:
	pthread_mutex_destroy(&g->m);
	return -rc;
}

void gil_set_picks(struct gil *g, struct picks *picks, int ntasks)
{
	if (!picks || g->mode != GIL_NEW || ntasks > 64)
		return;
	g->picks = picks;
	g->wanting = ntasks == 64 ? ~0ull : (1ull << ntasks) - 1;
	g->turn = -1;
}

/*
 * Called with m held while the lock is free: may TASK take it now?  The
 * first thread to find it free asks the picks among all that want it.
 */
static bool gil_my_turn(struct gil *g, int task)
{
	if (!g->picks)
		return true;
	if (g->turn < 0) {
		int ready[64], n = 0;
		for (int i = 0; i < 64; i++)
			if (g->wanting & (1ull << i))
				ready[n++] = i;
		g->turn = n ? ready[picks_choose(g->picks, ready, n)] : task;
	}
	return g->turn == task;
}

/* Called with m held by the thread that takes the lock. */
static void gil_took_turn(struct gil *g, int task)
{
	if (!g->picks)
		return;
	g->wanting &= ~(1ull << task);
	g->turn = -1;
}

/* Wakes waiters after a release: with picks, every one, since one was chosen. */
static void gil_wake(struct gil *g)
{
	if (g->picks)
		pthread_cond_broadcast(&g->cv);
	else
		pthread_cond_signal(&g->cv);
}

void gil_set_cancel(struct gil *g, _Atomic int *cancel)
{
	g->cancel = cancel;
}

void gil_destroy(struct gil *g)
{
	pthread_cond_destroy(&g->switch_cv);
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->switch_m);
	pthread_mutex_destroy(&g->m);
}

/* ---- helpers ------------------------------------------------------------ */

static bool gil_cancelled(const struct gil *g)
{
	return g->cancel && atomic_load_explicit(g->cancel, memory_order_relaxed) != 0;
}

/* COND_TIMED_WAIT: waits at most one interval; true when it timed out. */
static bool gil_timed_wait(struct gil *g, pthread_cond_t *c, pthread_mutex_t *mu)
{
	struct timespec ts;
	uint64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = (uint64_t)ts.tv_nsec + g->interval_ns;
	ts.tv_sec += (time_t)(ns / 1000000000ull);
	ts.tv_nsec = (long)(ns % 1000000000ull);
	return pthread_cond_timedwait(c, mu, &ts) == ETIMEDOUT;
}

/*
 * Bookkeeping of a take, called with m held: `locked`, the holder and the
 * switch count (the span is gil_record_take's).  Returns the
 * thread the lock was handed over from (-1: none, or TASK itself) and puts
 * the time of the take in *AT.
 */
static int gil_mark_taken(struct gil *g, int task, uint64_t *at)
{
	int from = atomic_load_explicit(&g->last_holder, memory_order_relaxed);

	g->locked = 1;
	if (from != task) {
		atomic_store_explicit(&g->last_holder, task, memory_order_relaxed);
		g->switch_number++;
	} else {
		from = -1;
	}
	atomic_store_explicit(&g->holder, task, memory_order_relaxed);
	atomic_store_explicit(&g->handed_by, from, memory_order_relaxed);
	*at = clock_now_ns();
	return from;
}

/*
 * The hold's span in the lock lane, with the time of the take; called
 * with m still held (which keeps the lane single-writer) but after the
 * dropper waiting for the switch has been woken, so that recording does
 * not delay the hand-off.
 */
static void gil_record_take(struct gil *g, int task, int from, uint64_t at)
{
	char why[TRACE_REASON_MAX];

	if (!g->tr)
		return;
	snprintf(why, sizeof why, "held by %s", trace_name(g->tr, task));
	trace_enter(g->tr, g->lane, at, STATE_RUNNING, task, CAUSE_GIL_TAKE, from, why);
}

/*
 * The hand-off as an edge, written after m is let go (any thread may write
 * edges) with the time of the take.
 */
static void gil_note_handoff(struct gil *g, int from, int task, uint64_t at)
{
	if (g->tr && from >= 0)
		trace_edge(g->tr, from, task, at, EDGE_GIL);
}

/*
 * The request this take answered, as an edge from the waiter that asked to
 * the holder it asked, at the time it asked; written by the taker after m
 * is let go, so neither the asker's wait nor the holder's chunks pay for it.
 */
static void gil_note_ask(struct gil *g, int asker, int holder, uint64_t at)
{
	if (g->tr && asker >= 0 && holder >= 0 && asker != holder)
		trace_edge(g->tr, asker, holder, at, EDGE_GIL_ASK);
}

/* Ends the hold's span; called by the holder with m held, before unlocking. */
static void gil_mark_dropped(struct gil *g)
{
	g->locked = 0;
	atomic_store_explicit(&g->holder, -1, memory_order_relaxed);
	if (g->tr)
		trace_close(g->tr, g->lane, clock_now_ns());
}

/* ---- new: CPython 3.2+ -------------------------------------------------- */

/* take_gil() of ceval_gil.c. */
static int gil_take_new(struct gil *g, int task)
{
	uint64_t at, asked_at = 0;
	int from, asker = -1, asked_of = -1;

	pthread_mutex_lock(&g->m);
	if (g->picks)
		g->wanting |= 1ull << task;
	while (g->locked || !gil_my_turn(g, task)) {
		if (gil_cancelled(g)) {
			pthread_mutex_unlock(&g->m);
			return -ECANCELED;
		}
		uint64_t saved = g->switch_number;
		bool timed_out = gil_timed_wait(g, &g->cv, &g->m);
		/*
		 * A whole interval passed and nobody else got the lock either:
		 * ask the holder to let go (SET_GIL_DROP_REQUEST).  A wake-up
		 * by the signal of a release is not a timeout, so a thread
		 * that comes back from I/O to a free lock never asks.  The
		 * flag only changes under m, so the asker is known exactly.
		 */
		if (timed_out && g->locked && g->switch_number == saved &&
		    !atomic_load(&g->drop_request)) {
			g->drop_asked_at = clock_now_ns();
			g->drop_asked_of = atomic_load_explicit(&g->holder, memory_order_relaxed);
			atomic_store(&g->drop_asker, task);
			atomic_store(&g->drop_request, 1);
			atomic_fetch_add(&g->drop_requests, 1);
		}
	}
	gil_took_turn(g, task);
	/* switch_m is taken before last_holder changes (see gil_drop_new). */
	pthread_mutex_lock(&g->switch_m);
	from = gil_mark_taken(g, task, &at);
	pthread_cond_signal(&g->switch_cv);
	pthread_mutex_unlock(&g->switch_m);
	if (atomic_load(&g->drop_request)) {
		atomic_store(&g->drop_request, 0); /* RESET_GIL_DROP_REQUEST */
		asker = atomic_load_explicit(&g->drop_asker, memory_order_relaxed);
		asked_of = g->drop_asked_of, asked_at = g->drop_asked_at;
	}
	gil_record_take(g, task, from, at);
	pthread_mutex_unlock(&g->m);
	gil_note_ask(g, asker, asked_of, asked_at);
	gil_note_handoff(g, from, task, at);
	return 0;
}

/* drop_gil() of ceval_gil.c, with FORCE_SWITCHING. */
static int gil_drop_new(struct gil *g, int task)
{
	int waited = 0;

	atomic_store_explicit(&g->last_holder, task, memory_order_relaxed);
	pthread_mutex_lock(&g->m);
	gil_mark_dropped(g);
	gil_wake(g);
	pthread_mutex_unlock(&g->m);
	/*
	 * Only a requested drop waits: the dropper must not win the race for
	 * the lock it was asked to give up.  A voluntary release (I/O, sleep)
	 * with no request pending returns at once.
	 */
	if (!atomic_load(&g->drop_request))
		return 0;
	pthread_mutex_lock(&g->switch_m);
	if (atomic_load_explicit(&g->last_holder, memory_order_relaxed) == task) {
		waited = 1;
		atomic_fetch_add(&g->switch_waits, 1);
		/*
		 * CPython waits once; looping also covers spurious wake-ups,
		 * and the timeout lets a cancelled run end even when the
		 * thread that asked has given up waiting.
		 */
		while (atomic_load_explicit(&g->last_holder, memory_order_relaxed) == task &&
		       !gil_cancelled(g))
			gil_timed_wait(g, &g->switch_cv, &g->switch_m);
	}
	pthread_mutex_unlock(&g->switch_m);
	return waited;
}

/* ---- old: before 3.2 ---------------------------------------------------- */

/* PyThread_acquire_lock(lock, 1) of thread_pthread.h (mutex + condition). */
static int gil_take_old(struct gil *g, int task)
{
	uint64_t at;
	int from;

	pthread_mutex_lock(&g->m);
	while (g->locked) {
		if (gil_cancelled(g)) {
			pthread_mutex_unlock(&g->m);
			return -ECANCELED;
		}
		/* CPython waits untimed; the timeout only lets cancellation in. */
		gil_timed_wait(g, &g->cv, &g->m);
	}
	from = gil_mark_taken(g, task, &at);
	gil_record_take(g, task, from, at);
	pthread_mutex_unlock(&g->m);
	gil_note_handoff(g, from, task, at);
	return 0;
}

/*
 * PyThread_release_lock: clear `locked`, then signal one waiter.  Nothing
 * hands the lock over: the woken thread must still win the mutex, and a
 * releaser that re-takes at once usually gets there first.
 */
static int gil_drop_old(struct gil *g)
{
	pthread_mutex_lock(&g->m);
	gil_mark_dropped(g);
	pthread_mutex_unlock(&g->m);
	pthread_cond_signal(&g->cv);
	return 0;
}

/* ---- the interface ------------------------------------------------------ */

int gil_take(struct gil *g, int task)
{
	switch (g->mode) {
	case GIL_NEW:
		return gil_take_new(g, task);
	case GIL_OLD:
		return gil_take_old(g, task);
	default:
		return 0; /* free-threaded: nothing to take */
	}
}

int gil_drop(struct gil *g, int task)
{
	switch (g->mode) {
	case GIL_NEW:
		return gil_drop_new(g, task);
	case GIL_OLD:
		return gil_drop_old(g);
	default:
		return 0;
	}
}

bool gil_drop_requested(const struct gil *g)
{
	return g->mode == GIL_NEW &&
	       atomic_load_explicit(&g->drop_request, memory_order_relaxed) != 0;
}

int gil_holder(const struct gil *g)
{
	return atomic_load_explicit(&g->holder, memory_order_relaxed);
}

int gil_handed_by(const struct gil *g)
{
	return atomic_load_explicit(&g->handed_by, memory_order_relaxed);
}

int gil_drop_asker(const struct gil *g)
{
	return atomic_load_explicit(&g->drop_asker, memory_order_relaxed);
}

/* The old ceval loop's `--_Py_Ticker < 0` check; only the holder calls it. */
bool gil_tick(struct gil *g)
{
	if (g->mode != GIL_OLD || --g->ticks > 0)
		return false;
	g->ticks = g->check_ticks;
	return true;
}

void gil_set_check_ticks(struct gil *g, int ticks)
{
	g->ticks = g->check_ticks = ticks > 0 ? ticks : 1;
}

uint64_t gil_switches(struct gil *g)
{
	uint64_t n;

	pthread_mutex_lock(&g->m);
	n = g->switch_number;
	pthread_mutex_unlock(&g->m);
	return n;
}

uint64_t gil_drop_requests(const struct gil *g)
{
	return atomic_load(&g->drop_requests);
}

uint64_t gil_switch_waits(const struct gil *g)
{
	return atomic_load(&g->switch_waits);
}
