/*
 * sched_check.c -- critical regions and goals, judged from the trace.
 */
#include "sched_check.h"

#include <stdio.h>

#include "clock.h"

/* A task's time inside one critical step: from its first span to its last. */
struct region {
	int task;
	uint64_t t0, t1; /* ns since the run started */
};

static enum step_kind kind_at(const struct scenario *sc, int task, int step)
{
	const struct scenario_task *t = &sc->tasks[task];

	return step >= 0 && t->nsteps > 0 ? t->steps[step % t->nsteps].kind : STEP_COUNT;
}

/* The first critical region of TASK that begins at or after span *I; false when none. */
static bool next_region(const struct trace *tr, const struct scenario *sc, int task, uint32_t *i,
			struct region *out)
{
	uint32_t n = trace_count(tr, task);
	struct span sp;

	for (; *i < n; (*i)++) {
		trace_get(tr, task, *i, &sp);
		if (kind_at(sc, task, sp.step) != STEP_CRITICAL)
			continue;
		int step = sp.step;
		*out = (struct region){task, sp.t0, sp.t1};
		for ((*i)++; *i < n; (*i)++) {
			trace_get(tr, task, *i, &sp);
			if (sp.step != step)
				break;
			out->t1 = sp.t1;
		}
		return true;
	}
	return false;
}

/* Finds two tasks' regions that overlap; true with the pair in A and B. */
static bool find_overlap(const struct trace *tr, const struct scenario *sc, struct region *a,
			 struct region *b)
{
	for (int x = 0; x < tr->ntasks; x++)
		for (uint32_t i = 0; next_region(tr, sc, x, &i, a);)
			for (int y = x + 1; y < tr->ntasks; y++)
				for (uint32_t k = 0; next_region(tr, sc, y, &k, b);)
					if (a->t0 < b->t1 && b->t0 < a->t1)
						return true;
	return false;
}

static void check_critical(struct trace *tr, const struct scenario *sc)
{
	struct trace_finding f = {.kind = FINDING_CRITICAL_OVERLAP, .ntasks = 2};
	struct region a, b;

	if (!scenario_has_step(sc, STEP_CRITICAL) || sc->ntasks > 1000 ||
	    !find_overlap(tr, sc, &a, &b))
		return;
	f.tasks[0] = a.task;
	f.tasks[1] = b.task;
	f.t0 = a.t0 > b.t0 ? a.t0 : b.t0;
	f.t1 = a.t1 < b.t1 ? a.t1 : b.t1;
	snprintf(f.text, sizeof f.text,
		 "%s and %s were inside a critical region at once, from %.1f to %.1f ms",
		 sc->tasks[a.task].name, sc->tasks[b.task].name, clock_ns_to_ms(f.t0),
		 clock_ns_to_ms(f.t1));
	trace_add_finding(tr, &f);
}

bool sched_has_finding(const struct trace *tr, enum finding_kind k)
{
	struct trace_finding f;

	for (uint32_t i = 0; i < trace_finding_count(tr); i++)
		if (trace_get_finding(tr, i, &f) && f.kind == k)
			return true;
	return false;
}

/* The spinner's longest wait between two frames, in ms; -1 without a spinner. */
static double spinner_gap_ms(const struct trace *tr, const struct scenario *sc)
{
	int lane = tr->meta.spinner;
	uint64_t gap = 0, last_end;
	struct span sp;

	if (!(tr->meta.spinner_ms > 0))
		return -1;
	/* A spinner that cannot draw its first frame is frozen from its start. */
	last_end = trace_lane_start(tr, lane);
	for (uint32_t i = 0; i < trace_count(tr, lane); i++) {
		trace_get(tr, lane, i, &sp);
		if (sp.state != STATE_RUNNING || kind_at(sc, lane, sp.step) != STEP_SPIN)
			continue;
		if (sp.t0 > last_end && sp.t0 - last_end > gap)
			gap = sp.t0 - last_end;
		last_end = sp.t1 == TRACE_OPEN ? sp.t0 : sp.t1;
	}
	return clock_ns_to_ms(gap);
}

/* Whether the goal was met, with one sentence saying why in TEXT. */
static bool judge_goal(const struct trace *tr, const struct scenario *sc, char *text, size_t len)
{
	const struct scenario_goal *g = &sc->goal;
	double last = 0, gap;
	bool all_done = true;

	switch (g->kind) {
	case GOAL_SPINNER_GAP:
		gap = spinner_gap_ms(tr, sc);
		snprintf(text, len, "the spinner's longest wait was %.0f ms (goal: at most %g ms)",
			 gap, g->ms);
		return gap >= 0 && gap <= g->ms;
	case GOAL_DONE_BY:
		for (int i = 0; i < tr->ntasks; i++) {
			double end = clock_ns_to_ms(trace_lane_end(tr, i, 0));
			all_done &= trace_outcome(tr, i) == OUTCOME_DONE;
			last = end > last ? end : last;
		}
		snprintf(text, len, "%s by %.0f ms (goal: every task done by %g ms)",
			 all_done ? "every task was done" : "not every task was done", last, g->ms);
		return all_done && last <= g->ms;
	case GOAL_DEADLOCK:
		snprintf(text, len, "goal: a deadlock");
		return sched_has_finding(tr, FINDING_DEADLOCK);
	case GOAL_CRITICAL_OVERLAP:
		snprintf(text, len, "goal: two tasks inside a critical region at once");
		return sched_has_finding(tr, FINDING_CRITICAL_OVERLAP);
	default:
		return false;
	}
}

void sched_check(struct trace *tr, const struct scenario *sc)
{
	struct trace_finding f = {0};
	char why[TRACE_TEXT_MAX - 16];

	check_critical(tr, sc);
	if (sc->goal.kind == GOAL_NONE)
		return;
	bool met = judge_goal(tr, sc, why, sizeof why);
	f.kind = met ? FINDING_GOAL_MET : FINDING_GOAL_MISSED;
	f.t1 = trace_extent(tr, 0);
	snprintf(f.text, sizeof f.text, "%s: %s", met ? "goal met" : "goal missed", why);
	trace_add_finding(tr, &f);
}
