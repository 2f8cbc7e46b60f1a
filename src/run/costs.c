/*
 * costs.c -- --costs: start, switch and memory of the four kinds of unit a
 * concurrent program is made of, measured here with the real mechanisms:
 * pthreads, fork, a coroutine loop, ucontext green threads.
 *
 * Memory is measured the same way for every model, by the one meter that
 * the executors use too (core/meter.h): the growth of the anonymous memory
 * (proportional set size, Pss_Anon in smaps_rollup) plus the page tables
 * (VmPTE) of every process involved, while N units exist at once, divided
 * by N.  For processes this counts only what each child
 * really adds -- the pages copied on write and its page tables -- and not
 * the pages it shares with its parent, which summing RSS would count 200
 * times; shared library pages (Pss_File) are left out, since a child does
 * not load them again.  Pages a unit never touches (most of a thread's
 * 8 MiB stack) cost nothing and are not counted, as in Python.
 */
#include "costs.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "meter.h"
#include "stats.h"

/*
 * Under a sanitizer every thread and fork costs many times more, and
 * ThreadSanitizer allows only 8128 threads in a process's life: measure a
 * tenth as many units, in half the rounds.  The orders stay the same.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define COSTS_SHRINK 10
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define COSTS_SHRINK 10
#endif
#endif
#ifndef COSTS_SHRINK
#define COSTS_SHRINK 1
#endif

static const struct {
	const char *name, *how;
	int alive;
} costs_units[] = {
#define X(e, n, how, alive) {n, how, alive},
    COSTS_UNIT_MAP(X)
#undef X
};

const char *costs_unit_name(enum costs_unit u)
{
	return u < COSTS_UNIT_COUNT ? costs_units[u].name : "?";
}

const char *costs_unit_how(enum costs_unit u)
{
	return u < COSTS_UNIT_COUNT ? costs_units[u].how : "?";
}

/* ---- memory: by the one meter (core/meter.h) ----------------------------- */

/*
 * What was added between two readings; -1 when either failed.  Never less
 * than nothing: memory freed elsewhere meanwhile is noise, not a saving.
 */
double costs_growth(double before, double after)
{
	if (before < 0 || after < 0)
		return -1;
	return after > before ? after - before : 0;
}

/* ---- switches between two OS units: a ping-pong over a pair of pipes ------ */

/* Both ends on one core, so that what is timed is the switch itself. */
static int costs_pin(cpu_set_t *saved)
{
	cpu_set_t one;
	int cpu = sched_getcpu();

	if (cpu < 0 || sched_getaffinity(0, sizeof *saved, saved) < 0)
		return -1;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof one, &one);
}

struct costs_pipes {
	int to[2];   /* to the echoing peer */
	int from[2]; /* back from it */
};

static int costs_pipes_open(struct costs_pipes *p)
{
	if (pipe(p->to) < 0)
		return -1;
	if (pipe(p->from) == 0)
		return 0;
	close(p->to[0]);
	close(p->to[1]);
	return -1;
}

static void costs_pipes_close(struct costs_pipes *p)
{
	for (int i = 0; i < 2; i++) {
		if (p->to[i] >= 0)
			close(p->to[i]);
		if (p->from[i] >= 0)
			close(p->from[i]);
	}
}

/* The peer: sends each byte back until the other side closes. */
static void costs_echo(const struct costs_pipes *p)
{
	char c;

	while (read(p->to[0], &c, 1) == 1)
		if (write(p->from[1], &c, 1) != 1)
			break;
}

/* R round trips, each two switches; returns ns per switch, -1 on error. */
static double costs_pingpong(const struct costs_pipes *p, int r)
{
	uint64_t t0 = clock_now_ns();
	char c = 'x';

	for (int i = 0; i < r; i++)
		if (write(p->to[1], &c, 1) != 1 || read(p->from[0], &c, 1) != 1)
			return -1;
	return (double)(clock_now_ns() - t0) / (2.0 * r);
}

/* ---- OS threads --------------------------------------------------------------- */

static void *costs_thread_nothing(void *arg)
{
	return arg;
}

static double costs_thread_start(int k)
{
	uint64_t t0 = clock_now_ns();
	pthread_t t;

	for (int i = 0; i < k; i++) {
		if (pthread_create(&t, NULL, costs_thread_nothing, NULL) != 0)
			return -1;
		pthread_join(t, NULL);
	}
	return (double)(clock_now_ns() - t0) / k;
}

static void *costs_thread_echo(void *arg)
{
	costs_echo(arg);
	return NULL;
}

static double costs_thread_switch(int r)
{
	struct costs_pipes p;
	cpu_set_t saved;
	pthread_t t;
	double ns = -1;

	if (costs_pipes_open(&p) < 0)
		return -1;
	bool pinned = costs_pin(&saved) == 0; /* the new thread inherits the core */
	if (pthread_create(&t, NULL, costs_thread_echo, &p) == 0) {
		ns = costs_pingpong(&p, r);
		close(p.to[1]);
		p.to[1] = -1;
		pthread_join(t, NULL);
	}
	if (pinned)
		sched_setaffinity(0, sizeof saved, &saved);
	costs_pipes_close(&p);
	return ns;
}

/* Where N threads wait until they all exist and have been measured. */
struct costs_gate {
	pthread_mutex_t m;
	pthread_cond_t arrived, open;
	int n;
	bool opened;
};

static void *costs_thread_wait(void *arg)
{
	struct costs_gate *g = arg;

	pthread_mutex_lock(&g->m);
	g->n++;
	pthread_cond_signal(&g->arrived);
	while (!g->opened)
		pthread_cond_wait(&g->open, &g->m);
	pthread_mutex_unlock(&g->m);
	return NULL;
}

static double costs_thread_memory(int n, int *alive)
{
	struct costs_gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
			       PTHREAD_COND_INITIALIZER, 0, false};
	pthread_t *t = calloc((size_t)n, sizeof *t);
	double before = meter_process_kib(getpid()), after;
	int made = 0;

	while (t && made < n && pthread_create(&t[made], NULL, costs_thread_wait, &g) == 0)
		made++;
	pthread_mutex_lock(&g.m);
	while (g.n < made)
		pthread_cond_wait(&g.arrived, &g.m);
	after = meter_process_kib(getpid());
	g.opened = true;
	pthread_cond_broadcast(&g.open);
	pthread_mutex_unlock(&g.m);
	for (int i = 0; i < made; i++)
		pthread_join(t[i], NULL);
	free(t);
	*alive = made;
	return costs_growth(before, after);
}

/* ---- processes ------------------------------------------------------------------ */

static double costs_process_start(int k)
{
	uint64_t t0 = clock_now_ns();

	for (int i = 0; i < k; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	return (double)(clock_now_ns() - t0) / k;
}

static double costs_process_switch(int r)
{
	struct costs_pipes p;
	cpu_set_t saved;
	double ns = -1;

	if (costs_pipes_open(&p) < 0)
		return -1;
	bool pinned = costs_pin(&saved) == 0; /* the child inherits the core */
	pid_t pid = fork();
	if (pid == 0) {
		close(p.to[1]);
		costs_echo(&p);
		_exit(0);
	}
	if (pid > 0) {
		ns = costs_pingpong(&p, r);
		close(p.to[1]);
		p.to[1] = -1;
		waitpid(pid, NULL, 0);
	}
	if (pinned)
		sched_setaffinity(0, sizeof saved, &saved);
	costs_pipes_close(&p);
	return ns;
}

/* Each child says it is ready, then waits for the gate pipe to close. */
static pid_t costs_process_waiter(int gate[2], int ready[2])
{
	pid_t pid = fork();
	char c = 'r';

	if (pid == 0) {
		close(gate[1]);
		close(ready[0]);
		if (write(ready[1], &c, 1) == 1)
			while (read(gate[0], &c, 1) > 0)
				;
		_exit(0);
	}
	return pid;
}

static double costs_process_memory(int n, int *alive)
{
	pid_t *pids = calloc((size_t)n, sizeof *pids);
	int gate[2], ready[2], made = 0;
	double before = meter_process_kib(getpid()), after = 0;
	char c;

	if (!pids || pipe(gate) < 0) {
		free(pids);
		return -1;
	}
	if (pipe(ready) < 0) {
		close(gate[0]);
		close(gate[1]);
		free(pids);
		return -1;
	}
	while (made < n && (pids[made] = costs_process_waiter(gate, ready)) > 0)
		made++;
	close(ready[1]);
	for (int i = 0; i < made && read(ready[0], &c, 1) == 1; i++)
		;
	after = meter_process_kib(getpid());
	for (int i = 0; i < made && after >= 0; i++) {
		double kib = meter_process_kib(pids[i]);
		after = kib < 0 ? -1 : after + kib;
	}
	close(gate[1]);
	for (int i = 0; i < made; i++)
		waitpid(pids[i], NULL, 0);
	close(gate[0]);
	close(ready[0]);
	free(pids);
	*alive = made;
	return costs_growth(before, after);
}

/* ---- measuring --------------------------------------------------------------- */

/* One model: how many units each measurement uses, and the measurements. */
struct costs_model {
	int starts;			     /* units started per round */
	int round_trips;		     /* ping-pongs per round */
	double (*start)(int k);		     /* ns per unit */
	double (*swtch)(int r);		     /* ns per switch */
	double (*memory)(int n, int *alive); /* KiB for *alive units */
};

static const struct costs_model costs_models[COSTS_UNIT_COUNT] = {
    [COSTS_THREAD] = {100, 2000, costs_thread_start, costs_thread_switch, costs_thread_memory},
    [COSTS_PROCESS] = {20, 2000, costs_process_start, costs_process_switch, costs_process_memory},
    [COSTS_COROUTINE] = {10000, 100000, costs_coro_start, costs_coro_switch, costs_coro_memory},
    [COSTS_GREEN] = {1000, 100000, costs_green_start, costs_green_switch, costs_green_memory},
};

/* The median of the rounds that worked; -1 if none did. */
static double costs_median(double *v, int n)
{
	int ok = 0;

	for (int i = 0; i < n; i++)
		if (v[i] >= 0)
			v[ok++] = v[i];
	return ok ? stats_median(v, ok) : -1;
}

static void costs_measure_unit(enum costs_unit u, int rounds, struct costs_figures *fig)
{
	const struct costs_model *m = &costs_models[u];
	double start[COSTS_ROUNDS], sw[COSTS_ROUNDS], mem[COSTS_ROUNDS];
	int want = costs_units[u].alive / COSTS_SHRINK;

	fig->alive = want;
	for (int i = 0; i < rounds; i++) {
		int alive = 0;
		start[i] = m->start(m->starts / COSTS_SHRINK);
		sw[i] = m->swtch(m->round_trips / COSTS_SHRINK);
		mem[i] = m->memory(want, &alive);
		/* A round that could not make enough units says little. */
		if (alive < want / 2 || mem[i] < 0)
			mem[i] = -1;
		else
			mem[i] /= alive;
		if (alive < fig->alive)
			fig->alive = alive;
	}
	fig->start_us = costs_median(start, rounds);
	fig->switch_us = costs_median(sw, rounds);
	fig->kib = costs_median(mem, rounds);
	fig->start_us = fig->start_us < 0 ? -1 : fig->start_us / 1000;
	fig->switch_us = fig->switch_us < 0 ? -1 : fig->switch_us / 1000;
}

int costs_measure(struct costs_result *res)
{
	int rc = 0;

	memset(res, 0, sizeof *res);
	res->rounds = COSTS_SHRINK > 1 ? COSTS_ROUNDS / 2 : COSTS_ROUNDS;
	for (int u = 0; u < COSTS_UNIT_COUNT; u++) {
		struct costs_figures *fig = &res->unit[u];
		costs_measure_unit((enum costs_unit)u, res->rounds, fig);
		if (fig->start_us < 0 || fig->switch_us < 0 || fig->kib < 0)
			rc = -1;
	}
	return rc;
}
