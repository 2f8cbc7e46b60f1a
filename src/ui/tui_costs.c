/*
 * tui_costs.c -- costs_measure on a thread, handed over through one atomic
 * word: RUNNING until the thread has the figures, then DONE; or LET_GO
 * when the session has gone, in which case the thread frees the job.
 */
#include "tui_costs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

enum { JOB_RUNNING, JOB_DONE, JOB_LET_GO };

struct tui_costs {
	pthread_t thread;
	_Atomic int state;
	struct costs_result res; /* written by the thread before DONE */
	void (*wake)(void *);
	void *wake_ud;
};

static void *measure(void *arg)
{
	struct tui_costs *j = arg;

	costs_measure(&j->res);
	/* Whoever changes the state second frees the job (see tui_costs_free). */
	if (atomic_exchange(&j->state, JOB_DONE) == JOB_LET_GO)
		free(j);
	else
		j->wake(j->wake_ud);
	return NULL;
}

struct tui_costs *tui_costs_start(void (*wake)(void *), void *wake_ud)
{
	struct tui_costs *j = calloc(1, sizeof *j);

	if (!j)
		return NULL;
	atomic_init(&j->state, JOB_RUNNING);
	j->wake = wake;
	j->wake_ud = wake_ud;
	if (pthread_create(&j->thread, NULL, measure, j) != 0) {
		free(j);
		return NULL;
	}
	return j;
}

bool tui_costs_done(const struct tui_costs *j)
{
	return atomic_load((_Atomic int *)&j->state) == JOB_DONE;
}

const struct costs_result *tui_costs_result(const struct tui_costs *j)
{
	return &j->res;
}

void tui_costs_free(struct tui_costs *j)
{
	pthread_t thread;

	if (!j)
		return;
	thread = j->thread; /* after the exchange J may be the thread's to free */
	if (atomic_exchange(&j->state, JOB_LET_GO) == JOB_DONE) {
		/* Done: the thread is at most returning from wake. */
		pthread_join(thread, NULL);
		free(j);
		return;
	}
	/* Still measuring: it frees the job when it ends; nobody joins it. */
	pthread_detach(thread);
}
