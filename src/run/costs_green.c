/*
 * costs_green.c -- the green threads --costs measures: ucontext contexts on
 * small mmap'd stacks, switched by hand as greenlets are, with the
 * sanitizers told about every switch of stack.
 */
#include "costs.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "clock.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define __SANITIZE_ADDRESS__ 1
#endif
#if __has_feature(thread_sanitizer)
#define __SANITIZE_THREAD__ 1
#endif
#endif
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef __SANITIZE_THREAD__
#include <sanitizer/tsan_interface.h>
#endif

#define COSTS_GREEN_STACK (64 * 1024) /* usable stack of a green thread */

struct costs_green {
	ucontext_t uc;
	void *stack;   /* the lowest address of its stack */
	size_t size;   /* bytes of stack */
	void *tsan;    /* ThreadSanitizer's fiber, when built with it */
	long switches; /* times it switches back before it ends */
	bool done;
};

/* The thread's own context, and the green thread being started. */
static struct costs_green costs_green_main;
static struct costs_green *costs_green_starting;

/*
 * swapcontext, told to the sanitizers: they must know which stack is in
 * use.  An ENDING green thread is never resumed, so AddressSanitizer may
 * drop what it kept for it.
 */
static void costs_green_swap(struct costs_green *from, struct costs_green *to, bool ending)
{
#ifdef __SANITIZE_ADDRESS__
	void *fake = NULL;
	__sanitizer_start_switch_fiber(ending ? NULL : &fake, to->stack, to->size);
#else
	(void)ending;
#endif
#ifdef __SANITIZE_THREAD__
	__tsan_switch_to_fiber(to->tsan, 0);
#endif
	swapcontext(&from->uc, &to->uc);
#ifdef __SANITIZE_ADDRESS__
	bool in_green = from != &costs_green_main; /* then main's stack is the old one */
	__sanitizer_finish_switch_fiber(fake,
					in_green ? (const void **)&costs_green_main.stack : NULL,
					in_green ? &costs_green_main.size : NULL);
#endif
}

static void costs_green_body(void)
{
	struct costs_green *g = costs_green_starting;
	volatile char frame[256]; /* a small frame, touched as a function would */

#ifdef __SANITIZE_ADDRESS__
	__sanitizer_finish_switch_fiber(NULL, (const void **)&costs_green_main.stack,
					&costs_green_main.size);
#endif
	frame[0] = 1;
	for (; g->switches > 0; g->switches--)
		costs_green_swap(g, &costs_green_main, false);
	g->done = frame[0] == 1; /* the frame survived every switch */
	costs_green_swap(g, &costs_green_main, true);
}

/*
 * Gives G a fresh stack and a context that starts in costs_green_body; 0 or
 * -1.  On its own, so that getcontext's "returns twice" touches no caller.
 */
__attribute__((noinline)) static int costs_green_init(struct costs_green *g, size_t page)
{
	char *map = mmap(NULL, COSTS_GREEN_STACK + page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	if (map == MAP_FAILED)
		return -1;
	if (getcontext(&g->uc) < 0) {
		munmap(map, COSTS_GREEN_STACK + page);
		return -1;
	}
	mprotect(map, page, PROT_NONE); /* a guard page below the stack */
	g->stack = map + page;
	g->size = COSTS_GREEN_STACK;
	g->uc.uc_stack = (stack_t){.ss_sp = g->stack, .ss_size = g->size};
	g->uc.uc_link = NULL; /* the body never returns: it switches away for good */
	makecontext(&g->uc, costs_green_body, 0);
	return 0;
}

/* Makes a green thread and runs it to its first switch (or its end). */
static struct costs_green *costs_green_new(long switches)
{
	struct costs_green *g = calloc(1, sizeof *g);

	if (!g || costs_green_init(g, (size_t)sysconf(_SC_PAGESIZE)) < 0) {
		free(g);
		return NULL;
	}
	g->switches = switches;
#ifdef __SANITIZE_THREAD__
	costs_green_main.tsan = __tsan_get_current_fiber();
	g->tsan = __tsan_create_fiber(0);
#endif
	costs_green_starting = g;
	costs_green_swap(&costs_green_main, g, false);
	return g;
}

static void costs_green_free(struct costs_green *g)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	while (!g->done)
		costs_green_swap(&costs_green_main, g, false);
#ifdef __SANITIZE_THREAD__
	__tsan_destroy_fiber(g->tsan);
#endif
	munmap((char *)g->stack - page, g->size + page);
	free(g);
}

double costs_green_start(int k)
{
	uint64_t t0 = clock_now_ns();

	for (int i = 0; i < k; i++) {
		struct costs_green *g = costs_green_new(0);
		if (!g)
			return -1;
		costs_green_free(g);
	}
	return (double)(clock_now_ns() - t0) / k;
}

double costs_green_switch(int r)
{
	struct costs_green *g = costs_green_new(r);

	if (!g)
		return -1;
	uint64_t t0 = clock_now_ns();
	while (!g->done)
		costs_green_swap(&costs_green_main, g, false);
	double ns = (double)(clock_now_ns() - t0) / (2.0 * r);
	costs_green_free(g);
	return ns;
}

double costs_green_memory(int n, int *alive)
{
	struct costs_green **gs = calloc((size_t)n, sizeof *gs);
	double before, after;
	int made = 0;

	if (!gs)
		return -1;
	malloc_trim(0);
	before = meter_process_kib(getpid());
	while (made < n && (gs[made] = costs_green_new(1)))
		made++;
	after = meter_process_kib(getpid());
	for (int i = 0; i < made; i++)
		costs_green_free(gs[i]);
	free(gs);
	*alive = made;
	return costs_growth(before, after);
}
