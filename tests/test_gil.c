/*
 * test_gil.c -- the interpreter lock alone, driven by raw pthreads:
 * mutual exclusion under contention, forced switches that always hand the
 * lock to another thread, voluntary releases that never wait for one, the
 * old lock's lack of drop requests, the free-threaded no-op, cancellation,
 * and the holds recorded in a trace's lock lane.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"
#include "gil.h"
#include "stats.h"
#include "timing_test_util.h"
#include "trace.h"
#include "proc_test_util.h"

#define MS 1000000ull

/* About US microseconds of real work, the stand-in for a chunk. */
static void busy_us(unsigned us)
{
	uint64_t end = clock_now_ns() + us * 1000ull;

	while (clock_now_ns() < end)
		;
}

/* This thread's kernel id, for reading its state in /proc. */
static pid_t thread_id(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* The kernel's state letter for thread TID of this process ('S': asleep in a wait). */
static char thread_state(pid_t tid)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
	return proc_stat_state(path);
}

/* Waits until thread TID is blocked in the kernel: in its wait, not on its way there. */
static void wait_blocked(pid_t tid)
{
	while (thread_state(tid) != 'S')
		sched_yield();
}

static void test_mode_names(void **state)
{
	(void)state;
	assert_int_equal(gil_mode_from_name("new"), GIL_NEW);
	assert_int_equal(gil_mode_from_name("old"), GIL_OLD);
	assert_int_equal(gil_mode_from_name("off"), GIL_OFF);
	assert_int_equal(gil_mode_from_name("fast"), -1);
	assert_string_equal(gil_mode_name(GIL_OLD), "old");
}

/* ---- mutual exclusion ---------------------------------------------------- */

#define EXCL_THREADS 4
#define EXCL_ITERS 3000

struct excl {
	struct gil g;
	int counter;	    /* plain int: only the lock orders the accesses */
	_Atomic int inside; /* holders right now: must never exceed 1 */
	_Atomic int worst;
};

struct excl_arg {
	struct excl *x;
	int task;
};

static void *excl_main(void *p)
{
	struct excl_arg *a = p;
	struct excl *x = a->x;

	for (int i = 0; i < EXCL_ITERS; i++) {
		if (gil_take(&x->g, a->task) != 0)
			return NULL; /* no cmocka asserts off the main thread */
		int in = atomic_fetch_add(&x->inside, 1) + 1;
		if (in > atomic_load(&x->worst))
			atomic_store(&x->worst, in);
		int v = x->counter; /* a read-modify-write with room for a race */
		if (i % 16 == 0)
			sched_yield();
		x->counter = v + 1;
		atomic_fetch_sub(&x->inside, 1);
		gil_drop(&x->g, a->task);
	}
	return NULL;
}

static void run_exclusion(enum gil_mode mode)
{
	static struct excl x;
	pthread_t t[EXCL_THREADS];
	struct excl_arg a[EXCL_THREADS];

	x.counter = 0;
	atomic_store(&x.inside, 0);
	atomic_store(&x.worst, 0);
	assert_int_equal(gil_init(&x.g, mode, 1 * MS, NULL, -1), 0);
	for (int i = 0; i < EXCL_THREADS; i++) {
		a[i] = (struct excl_arg){&x, i};
		assert_int_equal(pthread_create(&t[i], NULL, excl_main, &a[i]), 0);
	}
	for (int i = 0; i < EXCL_THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(x.counter, EXCL_THREADS * EXCL_ITERS);
	assert_int_equal(atomic_load(&x.worst), 1);
	gil_destroy(&x.g);
}

static void test_exclusion_new(void **state)
{
	(void)state;
	run_exclusion(GIL_NEW);
}

static void test_exclusion_old(void **state)
{
	(void)state;
	run_exclusion(GIL_OLD);
}

/* ---- forced switches ----------------------------------------------------- */

#define SPIN_ROUNDS 15
#define LOG_MAX (4 * SPIN_ROUNDS)

/* Two threads that compute until asked to let go, as CPU-bound Python does. */
struct spin {
	struct gil g;
	_Atomic int finished; /* threads done with their rounds */
	/* Written only by the holder: the lock itself orders these. */
	int holder[LOG_MAX]; /* who held the i-th hold */
	int forced[LOG_MAX]; /* the i-th hold ended on a drop request */
	int n;
};

struct spin_arg {
	struct spin *s;
	int task;
};

static void *spin_main(void *p)
{
	struct spin_arg *a = p;
	struct spin *s = a->s;

	for (int r = 0; r < SPIN_ROUNDS; r++) {
		if (gil_take(&s->g, a->task) != 0)
			break;
		/* Chunks of work with the eval loop's check between them. */
		while (!gil_drop_requested(&s->g) && atomic_load(&s->finished) == 0)
			busy_us(50);
		if (s->n < LOG_MAX) {
			s->holder[s->n] = a->task;
			s->forced[s->n++] = gil_drop_requested(&s->g);
		}
		gil_drop(&s->g, a->task);
	}
	atomic_fetch_add(&s->finished, 1);
	return NULL;
}

/* The lock lane: holds never overlap and name the holder in `cpu`. */
static void check_lane(const struct trace *tr, int lane)
{
	struct span prev, sp;
	uint32_t n = trace_count(tr, lane);

	assert_true(n >= 2);
	for (uint32_t i = 0; i < n; i++) {
		trace_get(tr, lane, i, &sp);
		assert_int_equal(sp.state, STATE_RUNNING);
		assert_true(sp.cpu == 0 || sp.cpu == 1);
		assert_true(sp.t1 != TRACE_OPEN && sp.t1 >= sp.t0);
		if (i > 0)
			assert_true(prev.t1 <= sp.t0);
		prev = sp;
	}
}

/*
 * The drop requests (edges gil_ask): each from the waiter to the holder,
 * inside one of the holder's holds, made about one interval after the
 * hold began (the waiter began waiting as the holder took it: the
 * dropper waits for the switch).  Returns how many there are.
 */
static int check_asks(const struct trace *tr, uint64_t interval, bool judged)
{
	int lane = trace_lock_lane(tr), asks = 0;
	struct trace_edge e;
	struct span sp;

	for (uint32_t i = 0; i < trace_edge_count(tr); i++) {
		if (!trace_get_edge(tr, i, &e) || e.kind != EDGE_GIL_ASK)
			continue;
		asks++;
		assert_true(e.from != e.to && e.from >= 0 && e.to >= 0 && e.from < 2 && e.to < 2);
		bool inside = false;
		for (uint32_t k = 0; k < trace_count(tr, lane) && !inside; k++) {
			trace_get(tr, lane, k, &sp);
			if (sp.cpu != e.to || e.t < sp.t0 || e.t > sp.t1)
				continue;
			inside = true;
			assert_true(e.t - sp.t0 >= interval * 9 / 10);
			if (judged)
				assert_true(e.t - sp.t0 <= interval * 5);
		}
		if (!inside)
			fail_msg("a drop request at %llu ns outside the holds of the task asked",
				 (unsigned long long)e.t);
	}
	return asks;
}

static void test_forced_switch(void **state)
{
	(void)state;
	static struct spin s;
	struct trace *tr = trace_create(2, TRACE_LOCK_LANE);
	pthread_t t[2];
	struct spin_arg a[2] = {{&s, 0}, {&s, 1}};
	const uint64_t interval = 2 * MS;
	struct stats st;

	trace_set_name(tr, 0, "A");
	trace_set_name(tr, 1, "B");
	struct timing_watch w;
	timing_watch_start(&w);
	trace_start(tr, clock_now_ns());
	assert_int_equal(gil_init(&s.g, GIL_NEW, interval, tr, trace_lock_lane(tr)), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, spin_main, &a[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);

	int forced = 0;
	for (int i = 0; i + 1 < s.n; i++)
		if (s.forced[i]) {
			forced++;
			assert_int_not_equal(s.holder[i + 1], s.holder[i]);
		}
	/* Every hold but the last few (after one thread finished) was forced. */
	assert_true(forced >= 2 * SPIN_ROUNDS - 3);
	assert_true(gil_drop_requests(&s.g) >= (uint64_t)forced);
	assert_true(gil_switches(&s.g) >= (uint64_t)forced);
	check_lane(tr, trace_lock_lane(tr));
	/* Every forced drop answered a request recorded with who asked and when. */
	assert_true(check_asks(tr, interval, timing_judged(&w)) >= forced);
	/*
	 * A hold cannot end before the waiter's timeout; it ends soon after
	 * (loosely bounded here: wake-ups are slow under TSan on a busy
	 * machine; test_exec_gil holds the executor to 10%).
	 */
	stats_compute(tr, &st);
	assert_true(st.median_hold_ms >= 0.9 * clock_ns_to_ms(interval));
	if (timing_judged(&w))
		assert_true(st.median_hold_ms <= 5.0 * clock_ns_to_ms(interval));
	gil_destroy(&s.g);
	trace_destroy(tr);
}

/* ---- voluntary releases --------------------------------------------------- */

struct taker {
	struct gil *g;
	int task;
	int rc;
	_Atomic pid_t tid;   /* the thread's kernel id, set with waiting */
	_Atomic int waiting; /* set just before the take starts */
	_Atomic int took;
};

static void *taker_main(void *p)
{
	struct taker *k = p;

	atomic_store(&k->tid, thread_id());
	atomic_store(&k->waiting, 1);
	k->rc = gil_take(k->g, k->task);
	atomic_store(&k->took, 1);
	if (k->rc == 0)
		gil_drop(k->g, k->task);
	return NULL;
}

/* Starts a thread that waits for G; returns once it is (about to be) waiting. */
static void start_taker(pthread_t *t, struct taker *k)
{
	assert_int_equal(pthread_create(t, NULL, taker_main, k), 0);
	while (!atomic_load(&k->waiting))
		sched_yield();
	wait_blocked(atomic_load(&k->tid)); /* in the condition wait */
}

/* Py_BEGIN_ALLOW_THREADS with no request pending: the drop never waits. */
static void test_voluntary_release(void **state)
{
	(void)state;
	struct gil g;
	pthread_t t;
	struct taker k = {.g = &g, .task = 1};

	/* Nobody else around: the drop returns at once. */
	assert_int_equal(gil_init(&g, GIL_NEW, 5 * MS, NULL, -1), 0);
	assert_int_equal(gil_take(&g, 0), 0);
	struct timing_watch w;
	timing_watch_start(&w);
	uint64_t t0 = clock_now_ns();
	assert_int_equal(gil_drop(&g, 0), 0);
	uint64_t took = clock_now_ns() - t0;
	assert_int_equal(gil_switch_waits(&g), 0);
	if (timing_judged(&w))
		assert_true(took < 1 * MS);

	/* A thread waits, but asked for nothing yet: still no switch wait. */
	gil_destroy(&g);
	assert_int_equal(gil_init(&g, GIL_NEW, 200 * MS, NULL, -1), 0);
	assert_int_equal(gil_take(&g, 0), 0);
	start_taker(&t, &k);
	assert_false(gil_drop_requested(&g));
	assert_int_equal(gil_drop(&g, 0), 0);
	pthread_join(t, NULL);
	assert_int_equal(k.rc, 0);
	assert_int_equal(gil_switch_waits(&g), 0);
	assert_int_equal(gil_drop_requests(&g), 0);
	assert_int_equal(gil_switches(&g), 2);
	gil_destroy(&g);
}

/*
 * The contrast: a requested drop returns only once the other thread has
 * taken the lock.  It usually waits on switch_cv to see that (returns 1);
 * if the taker was quicker and already cleared the request, the drop sees
 * no request and returns 0 -- either way the dropper cannot win the race.
 */
static void test_requested_drop_waits(void **state)
{
	(void)state;
	struct gil g;
	pthread_t t;
	struct taker k = {.g = &g, .task = 1};

	assert_int_equal(gil_init(&g, GIL_NEW, 1 * MS, NULL, -1), 0);
	assert_int_equal(gil_take(&g, 0), 0);
	start_taker(&t, &k);
	while (!gil_drop_requested(&g))
		busy_us(50);
	int waited = gil_drop(&g, 0);
	assert_int_equal(atomic_load(&g.last_holder), 1);
	pthread_join(t, NULL);
	assert_int_equal(gil_switch_waits(&g), (uint64_t)waited);
	assert_int_equal(gil_drop_requests(&g), 1);
	gil_destroy(&g);
}

struct dropper {
	struct gil *g;
	int rc;
	_Atomic pid_t tid; /* the thread's kernel id, 0 until it runs */
	_Atomic int returned;
};

static void *dropper_main(void *p)
{
	struct dropper *d = p;

	atomic_store(&d->tid, thread_id());
	d->rc = gil_drop(d->g, 0);
	atomic_store(&d->returned, 1);
	return NULL;
}

/*
 * FORCE_SWITCHING, step by step: with a request pending, the drop does not
 * return while nobody has taken the lock, and returns once someone has.
 */
static void test_forced_drop_blocks(void **state)
{
	(void)state;
	struct gil g;
	pthread_t t;
	struct dropper d = {.g = &g};

	assert_int_equal(gil_init(&g, GIL_NEW, 1 * MS, NULL, -1), 0);
	assert_int_equal(gil_take(&g, 0), 0);
	atomic_store(&g.drop_request, 1); /* as a waiter's timeout would */
	assert_int_equal(pthread_create(&t, NULL, dropper_main, &d), 0);
	while (!atomic_load(&d.tid))
		sched_yield();
	wait_blocked(atomic_load(&d.tid)); /* the drop waits for a taker */
	assert_false(atomic_load(&d.returned));
	assert_int_equal(gil_take(&g, 1), 0);
	pthread_join(t, NULL);
	assert_int_equal(d.rc, 1);
	assert_false(gil_drop_requested(&g)); /* the taker cleared it */
	assert_int_equal(gil_drop(&g, 1), 0);
	gil_destroy(&g);
}

/* ---- the old lock ---------------------------------------------------------- */

struct old_arg {
	struct gil *g;
	int task;
	int chunks;
	_Atomic int *inside;
	_Atomic int *worst;
	_Atomic int *requested; /* times a drop request was seen */
};

/* Python 2's eval loop: every 100 ticks, release and at once re-take. */
static void *old_main(void *p)
{
	struct old_arg *a = p;

	if (gil_take(a->g, a->task) != 0)
		return NULL;
	for (int i = 0; i < a->chunks; i++) {
		int in = atomic_fetch_add(a->inside, 1) + 1;
		if (in > atomic_load(a->worst))
			atomic_store(a->worst, in);
		busy_us(20);
		atomic_fetch_sub(a->inside, 1);
		if (gil_drop_requested(a->g))
			atomic_fetch_add(a->requested, 1);
		if (gil_tick(a->g)) {
			gil_drop(a->g, a->task);
			gil_take(a->g, a->task);
		}
	}
	gil_drop(a->g, a->task);
	return NULL;
}

static void test_old_no_requests(void **state)
{
	(void)state;
	struct gil g;
	pthread_t t[2];
	_Atomic int inside = 0, worst = 0, requested = 0;
	struct old_arg a[2];

	assert_int_equal(gil_init(&g, GIL_OLD, 1 * MS, NULL, -1), 0);
	for (int i = 0; i < 2; i++) {
		a[i] = (struct old_arg){&g, i, 2000, &inside, &worst, &requested};
		assert_int_equal(pthread_create(&t[i], NULL, old_main, &a[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&worst), 1);
	assert_int_equal(atomic_load(&requested), 0);
	assert_int_equal(gil_drop_requests(&g), 0);
	assert_int_equal(gil_switch_waits(&g), 0);
	assert_true(gil_switches(&g) >= 2);
	gil_destroy(&g);
}

/* ---- free-threaded --------------------------------------------------------- */

static void test_off_is_noop(void **state)
{
	(void)state;
	struct trace *tr = trace_create(2, TRACE_LOCK_LANE);
	struct gil g;
	pthread_t t;
	struct taker k = {.g = &g, .task = 1};

	trace_start(tr, clock_now_ns());
	assert_int_equal(gil_init(&g, GIL_OFF, 1 * MS, tr, trace_lock_lane(tr)), 0);
	assert_int_equal(gil_take(&g, 0), 0);
	/* Another thread "takes" it while task 0 holds it: nothing blocks. */
	assert_int_equal(pthread_create(&t, NULL, taker_main, &k), 0);
	pthread_join(t, NULL);
	assert_int_equal(k.rc, 0);
	assert_false(gil_drop_requested(&g));
	assert_false(gil_tick(&g));
	assert_int_equal(gil_drop(&g, 0), 0);
	assert_int_equal(trace_count(tr, trace_lock_lane(tr)), 0);
	assert_int_equal(gil_switches(&g), 0);
	assert_int_equal(gil_drop_requests(&g), 0);
	gil_destroy(&g);
	trace_destroy(tr);
}

/* ---- cancellation ----------------------------------------------------------- */

/* An interrupted run: a waiter gives up, and a requested drop still returns. */
static void test_cancel(void **state)
{
	(void)state;
	struct gil g;
	pthread_t t;
	struct taker k = {.g = &g, .task = 1};
	_Atomic int cancel = 0;

	assert_int_equal(gil_init(&g, GIL_NEW, 1 * MS, NULL, -1), 0);
	gil_set_cancel(&g, &cancel);
	assert_int_equal(gil_take(&g, 0), 0);
	start_taker(&t, &k);
	while (!gil_drop_requested(&g))
		busy_us(50);
	atomic_store(&cancel, 1);
	pthread_join(t, NULL);
	assert_int_equal(k.rc, -ECANCELED);
	/* The asker is gone: without the cancel check this would wait forever. */
	assert_int_equal(gil_drop(&g, 0), 1);
	gil_destroy(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mode_names),	       cmocka_unit_test(test_exclusion_new),
	    cmocka_unit_test(test_exclusion_old),      cmocka_unit_test(test_forced_switch),
	    cmocka_unit_test(test_voluntary_release),  cmocka_unit_test(test_requested_drop_waits),
	    cmocka_unit_test(test_forced_drop_blocks), cmocka_unit_test(test_old_no_requests),
	    cmocka_unit_test(test_off_is_noop),	       cmocka_unit_test(test_cancel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
