/*
 * exec_sequential.c -- one thread runs the tasks one after another, the
 * first of seed 000's pictures.  Tasks not yet started are `ready`: they
 * wait their turn, as the clients of a one-at-a-time server queue up.
 */
#include "executor.h"

#include "clock.h"
#include "runner.h"

static int sequential_run(struct exec_ctx *ctx)
{
	/* Nothing runs beside a task, so a spinner has no one to wait for. */
	_Atomic int live = 0;
	_Atomic int winner = -1; /* wait = first: the task that ended first */
	uint64_t now = clock_now_ns();

	for (int i = 0; i < ctx->sc->ntasks; i++)
		trace_enter(ctx->tr, i, now, STATE_READY, -1, CAUSE_START, -1, "waiting its turn");
	for (int i = 0; i < ctx->sc->ntasks; i++) {
		struct runner r;
		runner_init(&r, ctx->tr, ctx->sc, i);
		r.latency_port = ctx->latency_port;
		r.cancel = ctx->cancel;
		r.locks = ctx->locks;
		r.winner = &winner;
		r.live = &live;
		runner_run(&r);
	}
	return 0;
}

const struct executor exec_sequential = {
    .name = "sequential",
    .model = MODEL_SEQUENTIAL,
    .summary = "one thread runs the tasks one after another",
    .unit = EXEC_UNIT_THREAD,
    .at_once = EXEC_AT_ONCE_ONE,
    .one_os_thread = true,
    .run = sequential_run,
};
