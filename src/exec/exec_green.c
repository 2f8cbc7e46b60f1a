/*
 * exec_green.c -- stackful green threads on a libuv hub, as gevent runs
 * them: each task is plain blocking code on a small stack of its own, and
 * the waiting calls are "patched" ones that switch to the hub implicitly.
 *
 * The task code below reads like runner.c's step loop: sleep, request,
 * compute.  Nothing in it says "await"; green_sleep and green_io park the
 * green thread (swapcontext to the hub) after arranging for the hub to
 * wake it: a uv_timer, a request's callback, a pool job.  The hub is the
 * controller thread's own stack running the loop; it resumes the runnable
 * green threads in order.  Unpatched work (cpu, native, block) runs on the
 * green thread's stack without switching, and so stalls the hub.
 *
 * Sanitizers must be told about stack switches or they report nonsense:
 * AddressSanitizer through __sanitizer_{start,finish}_switch_fiber,
 * ThreadSanitizer through its fiber API.
 */
#include "executor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "clock.h"
#include "loop.h"
#include "loop_lock.h"
#include "loop_req.h"

#if defined(__SANITIZE_ADDRESS__)
#define GREEN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GREEN_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define GREEN_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GREEN_TSAN 1
#endif
#endif

#ifdef GREEN_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef GREEN_TSAN
#include <sanitizer/tsan_interface.h>
#endif
/* valgrind must be told about stacks it did not see allocated as stacks. */
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define VALGRIND_STACK_REGISTER(lo, hi) 0u
#define VALGRIND_STACK_DEREGISTER(id) ((void)(id))
#endif

/* Usable stack per green thread; sanitizers make frames several times larger. */
#if defined(GREEN_ASAN) || defined(GREEN_TSAN)
#define GREEN_STACK (256 * 1024)
#else
#define GREEN_STACK (64 * 1024)
#endif

#define GREEN_QUEUED "runnable, waiting for the hub"

/* What a parked green thread waits for: what a cancel must tear down. */
enum green_wait { GREEN_NONE, GREEN_TIMER, GREEN_IO, GREEN_POOL, GREEN_LOCK };

struct hub;

struct green {
	struct loop_node node; /* first: the hub's run queue link */
	ucontext_t uc;	       /* its registers while the hub runs */
	char *stack;	       /* the mapping: a guard page, then the stack */
	struct hub *hub;
	uv_timer_t timer;     /* its patched sleeps */
	struct loop_req *req; /* its patched socket's request in flight */
	uint64_t deadline;    /* clock_now_ns() time its sleep ends */
	int task;	      /* its lane */
	int rc;		      /* what its wait returned: it resumes with this */
	enum green_wait wait;
	bool queued;	 /* in the run queue */
	bool spinning;	 /* parked between two spinner frames */
	bool ended;	 /* its code has returned; the stack can go */
	void *asan_fake; /* ASan's fake stack while switched out */
	void *tsan_fiber;
	unsigned vg_stack; /* valgrind's id for the stack; 0 outside valgrind */
};

struct hub {
	struct loop loop;      /* first: the loop's ud is this */
	struct loop_runq runq; /* green threads ready to resume, FIFO */
	ucontext_t uc;	       /* the hub's registers while a green thread runs */
	struct green *greens;  /* one per task */
	size_t page;	       /* bytes in a page: the guard below each stack */
	const void *stack_lo;  /* the hub's stack, for ASan */
	size_t stack_size;
	void *tsan_fiber;
};

/* ---------------------------------------------------------------------------
 * Switching stacks
 * ------------------------------------------------------------------------ */

/* The hub hands the thread to G until G parks or ends. */
static void hub_switch_to(struct hub *h, struct green *g)
{
#ifdef GREEN_ASAN
	void *fake = NULL;
	__sanitizer_start_switch_fiber(&fake, g->stack + h->page, GREEN_STACK);
#endif
#ifdef GREEN_TSAN
	__tsan_switch_to_fiber(g->tsan_fiber, 0);
#endif
	swapcontext(&h->uc, &g->uc);
#ifdef GREEN_ASAN
	__sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
}

/* G gives the thread back to the hub; with ENDING it never comes back. */
static void green_switch_to_hub(struct green *g, bool ending)
{
	struct hub *h = g->hub;

#ifdef GREEN_ASAN
	__sanitizer_start_switch_fiber(ending ? NULL : &g->asan_fake, h->stack_lo, h->stack_size);
#endif
#ifdef GREEN_TSAN
	__tsan_switch_to_fiber(h->tsan_fiber, 0);
#endif
	swapcontext(&g->uc, &h->uc);
#ifdef GREEN_ASAN
	__sanitizer_finish_switch_fiber(g->asan_fake, &h->stack_lo, &h->stack_size);
#endif
	(void)ending;
}

/* The implicit switch: park until the hub resumes G; what the wait returned. */
static int green_park(struct green *g)
{
	green_switch_to_hub(g, false);
	return g->rc;
}

/* ---------------------------------------------------------------------------
 * The patched calls: they look blocking, and switch to the hub
 * ------------------------------------------------------------------------ */

/* G's wait is over at WHEN because of CAUSE (BY: who caused it): it queues, resuming with RC. */
static void green_wake(struct green *g, int rc, uint64_t when, enum cause cause, int by)
{
	g->wait = GREEN_NONE;
	g->rc = rc;
	g->queued = true;
	trace_enter(g->hub->loop.ctx->tr, g->task, when, STATE_READY, -1, cause, by, GREEN_QUEUED);
	loop_runq_push(&g->hub->runq, &g->node);
}

static void green_timer_fired(uv_timer_t *t)
{
	struct green *g = t->data;

	if (!loop_timer_early(t, green_timer_fired, g->deadline))
		green_wake(g, 0, g->deadline, CAUSE_TIMER, -1);
}

/* time.sleep, patched: a libev/libuv timer, then a switch to the hub. */
static int green_sleep(struct green *g, double ms, const char *why)
{
	uint64_t now = clock_now_ns();

	g->deadline = now + clock_ms_to_ns(ms);
	loop_wait(&g->hub->loop, g->task, STATE_SLEEP, CAUSE_YIELD, why);
	g->wait = GREEN_TIMER;
	loop_timer_arm(&g->timer, green_timer_fired, g->deadline);
	return green_park(g);
}

static void green_io_done(uv_loop_t *loop, void *ud, int rc)
{
	struct green *g = ud;

	(void)loop;
	g->req = NULL;
	green_wake(g, rc, clock_now_ns(), CAUSE_IO_DONE, -1);
}

/* A socket request, patched: the hub watches the socket meanwhile. */
static int green_io(struct green *g, double ms)
{
	struct loop *l = &g->hub->loop;
	int rc;

	/* It runs while it connects and sends; it waits for the response. */
	rc = loop_req_start(&l->reqs, l->ctx->latency_port, ms, green_io_done, g, &g->req);
	if (rc < 0)
		return rc;
	loop_wait(l, g->task, STATE_IO, CAUSE_YIELD, "awaiting response (implicit switch)");
	g->wait = GREEN_IO;
	return green_park(g);
}

static void green_pool_done(struct loop *l, void *ud, int rc)
{
	(void)l;
	green_wake(ud, rc, clock_now_ns(), CAUSE_IO_DONE, -1);
}

/* gevent's threadpool: the work runs on a pool thread, this one parks. */
static int green_offload(struct green *g, double ms)
{
	struct loop *l = &g->hub->loop;
	int rc;

	loop_wait(l, g->task, STATE_BLOCKED, CAUSE_YIELD, "thread pool job (implicit switch)");
	rc = loop_offload(l, g->task, ms, GREEN_QUEUED, green_pool_done, g);
	if (rc < 0)
		return rc;
	g->wait = GREEN_POOL;
	return green_park(g);
}

/* A lock, patched like gevent's: a busy one parks the green thread until handed over. */
static int green_lock(struct green *g, int lock)
{
	int rc = loop_lock_take(&g->hub->loop, g->task, lock);

	if (rc != 1)
		return rc;
	g->wait = GREEN_LOCK;
	return green_park(g);
}

static void hub_lock_wake(struct loop *l, int task, int by)
{
	struct hub *h = l->ud;

	green_wake(&h->greens[task], 0, clock_now_ns(), CAUSE_LOCK_TAKE, by);
}

/* ---------------------------------------------------------------------------
 * The task's code: plain blocking steps, like runner.c's
 * ------------------------------------------------------------------------ */

/* A frame, a patched sleep, a frame... until no other task is live. */
static int green_spin(struct green *g, double ms)
{
	struct loop *l = &g->hub->loop;
	char why[64];

	snprintf(why, sizeof why, "spinner sleeps %g ms (implicit switch)", ms);
	for (;;) {
		int rc = loop_frame(l, g->task);
		if (rc < 0 || l->live == 0)
			return rc;
		g->spinning = true;
		rc = green_sleep(g, ms, why);
		g->spinning = false;
		if (rc < 0)
			return rc;
	}
}

static int green_step(struct green *g, const struct step *s)
{
	struct loop *l = &g->hub->loop;
	char why[64];

	switch (s->kind) {
	case STEP_CPU:
		return loop_compute(l, g->task, s->ms, "computing (blocks the hub)");
	case STEP_NATIVE:
		return loop_compute(l, g->task, s->ms, "native code (blocks the hub)");
	case STEP_BLOCK:
		snprintf(why, sizeof why, "unpatched time.sleep %g ms (hub blocked)", s->ms);
		return loop_block(l, g->task, s->ms, why);
	case STEP_IO:
		return green_io(g, s->ms);
	case STEP_SLEEP:
		snprintf(why, sizeof why, "sleep %g ms (implicit switch to the hub)", s->ms);
		return green_sleep(g, s->ms, why);
	case STEP_OFFLOAD:
		return green_offload(g, s->ms);
	case STEP_SPIN:
		return green_spin(g, s->ms);
	case STEP_PRINT:
		return loop_print(l, g->task, s->text);
	case STEP_CRITICAL:
		return loop_compute(l, g->task, s->ms, "critical region");
	case STEP_LOCK:
		return green_lock(g, s->lock);
	case STEP_UNLOCK:
		loop_lock_give(l, g->task, s->lock);
		return 0;
	default:
		return -EINVAL;
	}
}

static int green_body(struct green *g)
{
	struct loop *l = &g->hub->loop;
	const struct scenario_task *t = &l->ctx->sc->tasks[g->task];

	if (g->rc < 0)
		return g->rc; /* killed before it first ran */
	for (int rep = 0; rep < t->repeat; rep++)
		for (int i = 0; i < t->nsteps; i++) {
			if (loop_cancelled(l))
				return -ECANCELED;
			loop_set_step(l, g->task, rep, i);
			int rc = green_step(g, &t->steps[i]);
			if (rc < 0)
				return rc;
		}
	return 0;
}

/* A green thread's first frame: makecontext passes its pointer in two halves. */
static void green_main(unsigned hi, unsigned lo)
{
	struct green *g = (struct green *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
	struct hub *h = g->hub;

#ifdef GREEN_ASAN
	__sanitizer_finish_switch_fiber(NULL, &h->stack_lo, &h->stack_size);
#endif
	int rc = green_body(g);

	uv_close((uv_handle_t *)&g->timer, NULL);
	g->ended = true;
	loop_task_end(&h->loop, g->task, rc);
	green_switch_to_hub(g, true);
	abort(); /* an ended green thread is never resumed */
}

/* ---------------------------------------------------------------------------
 * The hub
 * ------------------------------------------------------------------------ */

/* A stack with a guard page below it, mapped when the green thread first runs. */
static int green_start(struct hub *h, struct green *g)
{
	uintptr_t p = (uintptr_t)g;

	g->stack = mmap(NULL, GREEN_STACK + h->page, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (g->stack == MAP_FAILED) {
		g->stack = NULL;
		return -errno;
	}
	mprotect(g->stack, h->page, PROT_NONE);
	g->vg_stack = VALGRIND_STACK_REGISTER(g->stack + h->page, g->stack + h->page + GREEN_STACK);
	getcontext(&g->uc);
	g->uc.uc_stack.ss_sp = g->stack + h->page;
	g->uc.uc_stack.ss_size = GREEN_STACK;
	g->uc.uc_link = NULL;
	makecontext(&g->uc, (void (*)(void))green_main, 2, (unsigned)(p >> 32),
		    (unsigned)(p & 0xffffffffu));
#ifdef GREEN_TSAN
	g->tsan_fiber = __tsan_create_fiber(0);
#endif
	return 0;
}

static void green_free(struct hub *h, struct green *g)
{
#ifdef GREEN_TSAN
	__tsan_destroy_fiber(g->tsan_fiber);
#endif
#ifdef GREEN_ASAN
	/* Its last frames never returned: their redzones must not outlive it. */
	__asan_unpoison_memory_region(g->stack + h->page, GREEN_STACK);
#endif
	VALGRIND_STACK_DEREGISTER(g->vg_stack);
	munmap(g->stack, GREEN_STACK + h->page);
	g->stack = NULL;
}

/* The run queue's callback: switch into G until its next patched call. */
static void hub_resume(struct loop *l, struct loop_node *n)
{
	struct hub *h = l->ud;
	struct green *g = (struct green *)n;
	int rc;

	g->queued = false;
	if (!g->stack) {
		if ((rc = green_start(h, g)) < 0) {
			uv_close((uv_handle_t *)&g->timer, NULL);
			g->ended = true;
			loop_task_end(l, g->task, rc);
			return;
		}
		/* Its first run is its first step's. */
		if (l->ctx->sc->tasks[g->task].nsteps > 0)
			loop_set_step(l, g->task, 0, 0);
	}
	if (g->rc == 0)
		loop_resume(l, g->task, "resumed by the hub");
	hub_switch_to(h, g);
	if (g->ended)
		green_free(h, g);
	/* Work stopped by an interrupt: stop the others now, not at the watch. */
	loop_check_cancel(l);
}

/* gevent's kill(): the parked call returns as if GreenletExit were raised. */
static void hub_cancel_all(struct loop *l)
{
	struct hub *h = l->ud;
	uint64_t now = clock_now_ns();

	for (int i = 0; i < l->ctx->sc->ntasks; i++) {
		struct green *g = &h->greens[i];
		if (g->ended)
			continue;
		if (g->wait == GREEN_TIMER) {
			/* Past its deadline, it was ready and waiting for a busy hub. */
			uv_timer_stop(&g->timer);
			if (g->deadline < now)
				green_wake(g, -ECANCELED, g->deadline, CAUSE_TIMER, -1);
			else
				green_wake(g, -ECANCELED, now, CAUSE_CANCEL, l->winner);
		} else if (g->wait == GREEN_IO) {
			loop_req_cancel(g->req);
			g->req = NULL;
			green_wake(g, -ECANCELED, now, CAUSE_CANCEL, l->winner);
		} else if (g->wait == GREEN_LOCK) {
			green_wake(g, loop_lock_cancel(l, g->task), now, CAUSE_CANCEL, -1);
		} else if (g->queued) {
			g->rc = -ECANCELED;
		}
		/* Else it runs now (it looks at the flag) or waits on the pool (which does). */
	}
}

/* The last live task has ended: wake the spinners for their last frame. */
static void hub_quiet(struct loop *l)
{
	struct hub *h = l->ud;
	uint64_t now = clock_now_ns();

	for (int i = 0; i < l->ctx->sc->ntasks; i++) {
		struct green *g = &h->greens[i];
		if (!g->ended && g->spinning && g->wait == GREEN_TIMER) {
			/* A deadline already past: the hub was too busy to notice. */
			uv_timer_stop(&g->timer);
			if (g->deadline < now)
				green_wake(g, 0, g->deadline, CAUSE_TIMER, -1);
			else
				green_wake(g, 0, now, CAUSE_STEP, l->quiet_by);
		}
	}
}

static void hub_shut(struct loop *l)
{
	loop_runq_close(&((struct hub *)l->ud)->runq);
}

static const struct loop_ops hub_ops = {
    .cancel_all = hub_cancel_all,
    .quiet = hub_quiet,
    .shut = hub_shut,
    .lock_wake = hub_lock_wake,
};

static int green_run(struct exec_ctx *ctx)
{
	int n = ctx->sc->ntasks, rc;
	struct hub *h = calloc(1, sizeof *h);

	if (h)
		h->greens = calloc((size_t)n, sizeof *h->greens);
	if (!h || !h->greens) {
		snprintf(ctx->err, sizeof ctx->err, "out of memory for %d green threads", n);
		rc = -1;
	} else if ((rc = loop_init(&h->loop, ctx, &hub_ops, h)) == 0) {
		h->page = (size_t)sysconf(_SC_PAGESIZE);
#ifdef GREEN_TSAN
		h->tsan_fiber = __tsan_get_current_fiber();
#endif
		loop_runq_init(&h->loop, &h->runq, hub_resume);
		uint64_t now = clock_now_ns();
		for (int i = 0; i < n; i++) {
			struct green *g = &h->greens[i];
			g->hub = h;
			g->task = i;
			g->node.task = i;
			uv_timer_init(&h->loop.uv, &g->timer);
			g->timer.data = g;
			g->queued = true;
			trace_enter(ctx->tr, i, now, STATE_READY, -1, CAUSE_START, -1,
				    GREEN_QUEUED);
			loop_runq_push(&h->runq, &g->node);
		}
		rc = loop_run(&h->loop);
		/* Only a loop that ran out of work leaves green threads parked. */
		for (int i = 0; i < n; i++)
			if (h->greens[i].stack)
				green_free(h, &h->greens[i]);
	}
	if (h)
		free(h->greens);
	free(h);
	return rc;
}

const struct executor exec_green = {
    .name = "green",
    .model = MODEL_PSEUDO,
    .summary = "ucontext green threads on a libuv hub; io and sleep switch implicitly (gevent)",
    .flags = 0,
    .unit = EXEC_UNIT_GREEN,
    .at_once = EXEC_AT_ONCE_ALL,
    .unit_per_task = true,
    .one_os_thread = true,
    .python = "gevent",
    .run = green_run,
};
