/*
 * costs_coro.c -- the coroutines --costs measures: asyncio's model in C.  A
 * coroutine is a small heap object holding its own state (what Python keeps
 * in a frame) and a resume function that runs it to its next await; a loop
 * resumes whatever is on its ready queue.  No stack of its own: that is why
 * one costs bytes where a thread costs kilobytes.
 */
#include "costs.h"

#include <malloc.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"

struct costs_coro {
	struct costs_coro *next;	     /* link in the ready queue */
	int (*resume)(struct costs_coro *c); /* runs to the next await; 1 at the end */
	int pc;				     /* where resume continues */
	long awaits;			     /* a local kept across awaits */
};

struct costs_loop {
	struct costs_coro *head, *tail; /* the ready queue */
};

static void costs_loop_push(struct costs_loop *l, struct costs_coro *c)
{
	c->next = NULL;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
}

/* The coroutine's body: `for (; awaits > 0; awaits--) await sleep(0);` */
__attribute__((noinline)) static int costs_coro_body(struct costs_coro *c)
{
	switch (c->pc) {
	case 0: /* the first resume starts the body */
		c->pc = 1;
		/* fall through */
	case 1:
		if (c->awaits-- > 0)
			return 0;
	}
	return 1;
}

static struct costs_coro *costs_coro_new(struct costs_loop *l, long awaits)
{
	struct costs_coro *c = malloc(sizeof *c);

	if (c) {
		*c = (struct costs_coro){.resume = costs_coro_body, .awaits = awaits};
		costs_loop_push(l, c);
	}
	return c;
}

/* Resumes coroutines until none is ready; returns how many resumes it made. */
static long costs_loop_run(struct costs_loop *l)
{
	struct costs_coro *c;
	long n = 0;

	while ((c = l->head)) {
		l->head = c->next;
		if (!l->head)
			l->tail = NULL;
		n++;
		if (c->resume(c))
			free(c);
		else
			costs_loop_push(l, c);
	}
	return n;
}

double costs_coro_start(int k)
{
	struct costs_loop l = {0};
	uint64_t t0 = clock_now_ns();

	for (int i = 0; i < k; i++) {
		if (!costs_coro_new(&l, 0))
			return -1;
		costs_loop_run(&l);
	}
	return (double)(clock_now_ns() - t0) / k;
}

double costs_coro_switch(int r)
{
	struct costs_loop l = {0};

	if (!costs_coro_new(&l, r) || !costs_coro_new(&l, r)) {
		costs_loop_run(&l);
		return -1;
	}
	uint64_t t0 = clock_now_ns();
	long resumes = costs_loop_run(&l);
	return (double)(clock_now_ns() - t0) / (double)resumes;
}

double costs_coro_memory(int n, int *alive)
{
	struct costs_loop l = {0};
	double before, after;
	int made = 0;

	malloc_trim(0); /* so that freed memory of an earlier round is not reused */
	before = meter_process_kib(getpid());
	while (made < n && costs_coro_new(&l, 1))
		made++;
	after = meter_process_kib(getpid());
	costs_loop_run(&l);
	*alive = made;
	return costs_growth(before, after);
}
