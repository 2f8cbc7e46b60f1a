/*
 * observe_helper.c -- a real program for the observer's tests: threads that
 * spin, sleep, wait on a lock, wait on a socket, and a forked child, so
 * that every classification can be tested without Python.
 *
 *   observe_helper all MS       one thread of each kind for MS ms, named
 *                               spin, sleep, holder, waiter, sock, forker;
 *                               the main thread then joins spin (100 ms)
 *   observe_helper busy N MS    N threads spinning for MS ms
 *   observe_helper turns N MS   two threads taking turns every MS ms, N
 *                               times; each prints "switch T_NS" where it
 *                               takes over (CLOCK_MONOTONIC)
 *   observe_helper many N MS    N threads that all exist at once for MS ms,
 *                               sleeping (more than an observer has lanes)
 *   observe_helper exit CODE    prints a line and exits with CODE
 *   observe_helper forever      sleeps until killed (ignoring SIGINT)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int ms_arg = 300;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int sock[2];
static uint64_t spin_until; /* set by the main thread: when spin may end */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void spin_for(int ms)
{
	volatile uint64_t x = 0;
	uint64_t end = now_ns() + (uint64_t)ms * 1000000u;

	while (now_ns() < end)
		x++;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static void *spinner(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "spin");
	spin_for(ms_arg);
	/* Then until 100 ms after the main thread is done waiting: it waits in join meanwhile. */
	while (!__atomic_load_n(&spin_until, __ATOMIC_ACQUIRE) ||
	       now_ns() < __atomic_load_n(&spin_until, __ATOMIC_ACQUIRE))
		;
	return NULL;
}

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "sleep");
	sleep_ms(ms_arg);
	return NULL;
}

static void *waiter(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "waiter");
	pthread_mutex_lock(&lock); /* the holder has it: a futex wait */
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void *receiver(void *arg)
{
	char c;

	(void)arg;
	pthread_setname_np(pthread_self(), "sock");
	(void)!recv(sock[0], &c, 1, 0);
	return NULL;
}

static void *forker(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "forker");
	pid_t pid = fork();
	if (pid == 0) {
		spin_for(ms_arg / 2);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	return NULL;
}

static int run_all(void)
{
	pthread_t t[5];
	void *(*fn[5])(void *) = {spinner, sleeper, waiter, receiver, forker};

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sock) < 0)
		return 1;
	pthread_setname_np(pthread_self(), "holder");
	pthread_mutex_lock(&lock);
	for (int i = 0; i < 5; i++)
		pthread_create(&t[i], NULL, fn[i], NULL);
	printf("started\n");
	fflush(stdout);
	sleep_ms(ms_arg);
	pthread_mutex_unlock(&lock);
	(void)!send(sock[1], "x", 1, 0);
	__atomic_store_n(&spin_until, now_ns() + 100000000u, __ATOMIC_RELEASE);
	for (int i = 0; i < 5; i++)
		pthread_join(t[i], NULL);
	printf("done\n");
	return 0;
}

static void *busy(void *arg)
{
	(void)arg;
	spin_for(ms_arg);
	return NULL;
}

static int run_busy(int n)
{
	pthread_t t[64];

	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, busy, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}

/* Turns: a baton passed between two threads; each computes MS ms while it holds it. */
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int holder, turns_left;

static void *taker(void *arg)
{
	int me = (int)(intptr_t)arg;

	pthread_mutex_lock(&lock);
	for (;;) {
		while (holder != me && turns_left > 0)
			pthread_cond_wait(&cv, &lock);
		if (turns_left <= 0)
			break;
		pthread_mutex_unlock(&lock);
		printf("switch %d %llu\n", me, (unsigned long long)now_ns());
		spin_for(ms_arg);
		pthread_mutex_lock(&lock);
		turns_left--;
		holder = 1 - me;
		pthread_cond_broadcast(&cv);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

static int run_turns(int n)
{
	pthread_t t[2];

	turns_left = n;
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, taker, (void *)(intptr_t)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}

/* Many: N threads wait until all are born, then sleep MS ms together. */
static pthread_barrier_t all_born;

static void *many_sleeper(void *arg)
{
	struct timespec ts = {ms_arg / 1000, (long)(ms_arg % 1000) * 1000000};

	(void)arg;
	pthread_barrier_wait(&all_born);
	nanosleep(&ts, NULL);
	return NULL;
}

static int run_many(int n)
{
	pthread_t *t = calloc((size_t)n, sizeof *t);
	pthread_attr_t a;
	int made = 0;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	pthread_barrier_init(&all_born, NULL, (unsigned)n);
	while (t && made < n && pthread_create(&t[made], &a, many_sleeper, NULL) == 0)
		made++;
	if (made < n) {
		fprintf(stderr, "observe_helper: made only %d threads\n", made);
		exit(1);
	}
	for (int i = 0; i < made; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&all_born);
	pthread_attr_destroy(&a);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "all";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(mode, "all") == 0) {
		ms_arg = argc > 2 ? atoi(argv[2]) : 300;
		return run_all();
	}
	if (strcmp(mode, "busy") == 0 && argc > 3) {
		ms_arg = atoi(argv[3]);
		return run_busy(atoi(argv[2]));
	}
	if (strcmp(mode, "turns") == 0 && argc > 3) {
		ms_arg = atoi(argv[3]);
		return run_turns(atoi(argv[2]));
	}
	if (strcmp(mode, "many") == 0 && argc > 3) {
		ms_arg = atoi(argv[3]);
		return run_many(atoi(argv[2]));
	}
	if (strcmp(mode, "exit") == 0 && argc > 2) {
		/* exit CODE [MS]: computes MS ms first, so that the observer sees it run. */
		if (argc > 3)
			spin_for(atoi(argv[3]));
		printf("exiting with %d\n", atoi(argv[2]));
		return atoi(argv[2]);
	}
	if (strcmp(mode, "forever") == 0) {
		signal(SIGINT, SIG_IGN);
		printf("waiting\n");
		for (;;)
			pause();
	}
	fprintf(stderr, "observe_helper: unknown mode %s\n", mode);
	return 2;
}
