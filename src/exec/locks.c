/*
 * locks.c -- named locks for tasks that block for real, and the deadlock
 * watch: each waiter, whenever it starts or goes on waiting, follows the
 * wait-for graph from itself under the one mutex that guards it.
 */
#include "locks.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "clock.h"
#include "runner.h"

struct locks {
	pthread_mutex_t m; /* guards everything below; process-shared when shared */
	pthread_cond_t cv; /* broadcast when a lock is let go or a deadlock found */
	struct trace *tr;  /* where the deadlock finding goes */
	const struct scenario *sc;
	int ntasks;
	size_t size;			     /* bytes of the mapping (shared) or 0 (malloc) */
	int holder[SCENARIO_MAX_LOCKS];	     /* task holding each lock, -1: free */
	int released_by[SCENARIO_MAX_LOCKS]; /* the task that let it go last, -1: none */
	int *waits;			     /* per task: the lock it waits for, -1 */
	int *dead;			     /* per task: 1 once found in a deadlock */
	int data[];			     /* storage for waits and dead */
};

static int locks_sync_init(struct locks *lk, bool shared)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	int rc;

	pthread_mutexattr_init(&ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (shared) {
		pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
		pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	}
	rc = pthread_mutex_init(&lk->m, &ma);
	if (rc == 0 && (rc = pthread_cond_init(&lk->cv, &ca)) != 0)
		pthread_mutex_destroy(&lk->m);
	pthread_mutexattr_destroy(&ma);
	pthread_condattr_destroy(&ca);
	return rc;
}

struct locks *locks_create(const struct scenario *sc, struct trace *tr, bool shared)
{
	size_t size = sizeof(struct locks) + 2 * (size_t)sc->ntasks * sizeof(int);
	struct locks *lk;

	errno = 0;
	if (sc->nlocks == 0)
		return NULL;
	if (shared) {
		lk = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (lk == MAP_FAILED)
			return NULL;
	} else if (!(lk = malloc(size))) {
		return NULL;
	}
	memset(lk, 0, size);
	lk->tr = tr;
	lk->sc = sc;
	lk->ntasks = sc->ntasks;
	lk->size = shared ? size : 0;
	lk->waits = lk->data;
	lk->dead = lk->data + sc->ntasks;
	for (int i = 0; i < SCENARIO_MAX_LOCKS; i++)
		lk->holder[i] = lk->released_by[i] = -1;
	for (int i = 0; i < sc->ntasks; i++)
		lk->waits[i] = -1;
	int rc = locks_sync_init(lk, shared);
	if (rc != 0) {
		if (shared)
			munmap(lk, size);
		else
			free(lk);
		errno = rc;
		return NULL;
	}
	return lk;
}

void locks_destroy(struct locks *lk)
{
	if (!lk)
		return;
	pthread_cond_destroy(&lk->cv);
	pthread_mutex_destroy(&lk->m);
	if (lk->size)
		munmap(lk, lk->size);
	else
		free(lk);
}

bool locks_deadlocked(const struct locks *lk, int task)
{
	return lk && __atomic_load_n(&lk->dead[task], __ATOMIC_RELAXED);
}

int locks_find_cycle(const int *waits, const int *holder, int ntasks, int task, int *cycle)
{
	int n = 0, t = task;

	/* Each task waits for at most one lock: the graph is a chain from TASK. */
	while (n < ntasks) {
		cycle[n++] = t;
		int l = waits[t];
		if (l < 0 || holder[l] < 0)
			return 0;
		t = holder[l];
		if (t == task)
			break;
		for (int i = 1; i < n; i++)
			if (cycle[i] == t)
				return 0; /* a cycle that TASK only leads into */
	}
	if (n == ntasks && t != task)
		return 0;
	/* Rotate so the lowest id comes first: the same cycle always reads the same. */
	int lo = 0;
	for (int i = 1; i < n; i++)
		if (cycle[i] < cycle[lo])
			lo = i;
	int tmp[TRACE_FINDING_TASKS];
	int keep = n < TRACE_FINDING_TASKS ? n : TRACE_FINDING_TASKS;
	for (int i = 0; i < keep; i++)
		tmp[i] = cycle[(lo + i) % n];
	for (int i = 0; i < keep; i++)
		cycle[i] = tmp[i];
	return keep;
}

void locks_report_cycle(struct trace *tr, const struct scenario *sc, const int *waits,
			const int *cycle, int n, uint64_t now_ns)
{
	struct trace_finding f = {.kind = FINDING_DEADLOCK};
	size_t len = 0;

	f.t0 = f.t1 = now_ns > tr->epoch_ns ? now_ns - tr->epoch_ns : 0;
	for (int i = 0; i < n && i < TRACE_FINDING_TASKS; i++) {
		/* Each holds what the one before it in the cycle waits for. */
		int prev = cycle[(i + n - 1) % n];
		int held = waits[prev], wanted = waits[cycle[i]];
		f.tasks[f.ntasks++] = cycle[i];
		if (len < sizeof f.text)
			len += (size_t)snprintf(f.text + len, sizeof f.text - len,
						"%s%s holds %s, waits for %s", i ? "; " : "",
						sc->tasks[cycle[i]].name, sc->locks[held],
						sc->locks[wanted]);
	}
	trace_add_finding(tr, &f);
}

/* Called with m held: TASK waits; a cycle through it ends the run. */
static bool locks_check(struct locks *lk, int task, _Atomic int *cancel)
{
	int cycle[TRACE_FINDING_TASKS * 4];
	int *buf = lk->ntasks <= (int)(sizeof cycle / sizeof *cycle)
		       ? cycle
		       : malloc((size_t)lk->ntasks * sizeof(int));
	int n = buf ? locks_find_cycle(lk->waits, lk->holder, lk->ntasks, task, buf) : 0;

	if (n > 0) {
		locks_report_cycle(lk->tr, lk->sc, lk->waits, buf, n, clock_now_ns());
		for (int i = 0; i < n; i++)
			__atomic_store_n(&lk->dead[buf[i]], 1, __ATOMIC_RELAXED);
		if (cancel)
			atomic_store(cancel, RUNNER_DEADLOCK);
		pthread_cond_broadcast(&lk->cv);
	}
	if (buf != cycle)
		free(buf);
	return n > 0;
}

static void locks_timed_wait(struct locks *lk)
{
	struct timespec ts;
	uint64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = (uint64_t)ts.tv_nsec + LOCKS_SLICE_MS * CLOCK_NS_PER_MS;
	ts.tv_sec += (time_t)(ns / 1000000000ull);
	ts.tv_nsec = (long)(ns % 1000000000ull);
	pthread_cond_timedwait(&lk->cv, &lk->m, &ts);
}

int locks_take(struct locks *lk, int task, int lock, _Atomic int *cancel,
	       void (*wait)(void *ud, int holder, const char *reason), void *ud, int *releaser)
{
	int rc = 0;
	bool waited = false;

	*releaser = -1;
	pthread_mutex_lock(&lk->m);
	while (lk->holder[lock] >= 0) {
		if (!waited) {
			char why[2 * TRACE_NAME_MAX + 32];
			int h = lk->holder[lock];
			snprintf(why, sizeof why, "waiting for %s (held by %s)",
				 lk->sc->locks[lock], lk->sc->tasks[h].name);
			/* The callback may block on the GIL: never hold m across it. */
			pthread_mutex_unlock(&lk->m);
			wait(ud, h, why);
			pthread_mutex_lock(&lk->m);
			waited = true;
			continue;
		}
		lk->waits[task] = lock;
		if (lk->dead[task] || locks_check(lk, task, cancel)) {
			rc = -EDEADLK;
			break;
		}
		if (cancel && atomic_load(cancel) != RUNNER_GO) {
			rc = -ECANCELED;
			break;
		}
		locks_timed_wait(lk);
	}
	lk->waits[task] = -1;
	if (rc == 0) {
		lk->holder[lock] = task;
		if (waited)
			*releaser = lk->released_by[lock];
	}
	pthread_mutex_unlock(&lk->m);
	return rc;
}

void locks_give(struct locks *lk, int task, int lock)
{
	pthread_mutex_lock(&lk->m);
	if (lk->holder[lock] == task) {
		lk->holder[lock] = -1;
		lk->released_by[lock] = task;
	}
	pthread_cond_broadcast(&lk->cv);
	pthread_mutex_unlock(&lk->m);
}
