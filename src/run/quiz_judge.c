/*
 * quiz_judge.c -- a question judged against the figures of this run, the
 * reveal said with the measured figure, and when a beat's time points
 * happen in a trace.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "quiz.h"

/* "0.90 s", "812 ms" -> seconds from a tenth of a second up, as a class reads them. */
static void fmt_ms(char *buf, size_t len, double ms)
{
	if (ms >= 100)
		snprintf(buf, len, "%.2f s", ms / 1000);
	else
		snprintf(buf, len, "%.1f ms", ms);
}

/* Is the figure a duration in ms? */
static bool is_ms(enum lesson_figure f)
{
	return f == LESSON_FIG_WALL || f == LESSON_FIG_CPU || f == LESSON_FIG_SEQUENTIAL ||
	       f == LESSON_FIG_GAP;
}

/* The choice whose first word is WORD, or -1. */
static int choice_named(const struct lesson_beat *b, const char *word)
{
	size_t n = strlen(word);

	for (int i = 0; *word && i < b->nchoice; i++) {
		const char *c = b->choice[i];
		while (isspace((unsigned char)*c))
			c++;
		if (strncmp(c, word, n) == 0 &&
		    (!c[n] || isspace((unsigned char)c[n]) || strchr(",;:()", c[n])))
			return i;
	}
	return -1;
}

/* The choice that says TRUTH: "yes"/"no" first, else the first for true. */
static int choice_truth(const struct lesson_beat *b, bool truth)
{
	for (int i = 0; i < b->nchoice; i++)
		if (lesson_choice_yes(b->choice[i]) == (truth ? 1 : 0))
			return i;
	return truth ? 0 : 1;
}

/* The choice whose duration is nearest to MS, by ratio. */
static int choice_nearest(const struct lesson_beat *b, double ms)
{
	int best = -1;
	double bestd = INFINITY;

	for (int i = 0; i < b->nchoice; i++) {
		double c = lesson_choice_ms(b->choice[i]);
		double d = c > 0 && ms > 0 ? fabs(log(c / ms)) : INFINITY;
		if (d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

/* "wall 1.02 s, sequential 1.00 s": every figure the comparison used. */
static void describe_figures(const struct lesson_answer *a, const struct quiz_figures *f, char *buf,
			     size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int k = 0; k < LESSON_FIG_COUNT && used < len; k++) {
		char val[32];
		if (!(a->figs & (1u << k)))
			continue;
		if (is_ms(k))
			fmt_ms(val, sizeof val, f->v[k]);
		else
			snprintf(val, sizeof val, "%g", f->v[k]);
		int w = snprintf(buf + used, len - used, "%s%s %s", used ? ", " : "",
				 lesson_figure_name(k), val);
		used += w > 0 ? (size_t)w : 0;
	}
}

/* The fastest run among those whose executor a choice names: its index, or -1. */
static int fastest_named(const struct lesson_beat *b, const struct quiz_figures *f)
{
	int best = -1;

	for (int i = 0; i < f->nruns; i++)
		if (choice_named(b, f->run_backend[i]) >= 0 &&
		    (best < 0 || f->run_ms[i] < f->run_ms[best]))
			best = i;
	return best;
}

static void judge_selector(const struct lesson_beat *b, const struct quiz_figures *f,
			   struct quiz_verdict *v)
{
	char d[32];
	const double *x = f->v;

	switch (b->answer.sel) {
	case LESSON_FIG_FIRST:
		v->right = choice_named(b, f->first);
		fmt_ms(d, sizeof d, f->first_ms);
		snprintf(v->measured, sizeof v->measured, "%s finished first, at %s", f->first, d);
		break;
	case LESSON_FIG_FASTEST: {
		int i = -1;
		char d2[32];
		v->right = choice_named(b, f->fastest);
		fmt_ms(d, sizeof d, f->fastest_ms);
		snprintf(v->measured, sizeof v->measured, "%s was fastest: %s", f->fastest, d);
		/* Not among the choices: the fastest of those they name. */
		if (v->right < 0 && (i = fastest_named(b, f)) >= 0) {
			v->right = choice_named(b, f->run_backend[i]);
			fmt_ms(d2, sizeof d2, f->run_ms[i]);
			snprintf(v->measured, sizeof v->measured,
				 "%s was fastest: %s; of the choices, %s: %s", f->fastest, d,
				 f->run_backend[i], d2);
		}
		break;
	}
	case LESSON_FIG_OVERLAP:
		v->right = choice_truth(b, x[LESSON_FIG_OVERLAP] > 0);
		snprintf(v->measured, sizeof v->measured,
			 "on %s at most %.0f task%s ran at the same instant", f->backend,
			 x[LESSON_FIG_RUNNING], x[LESSON_FIG_RUNNING] == 1 ? "" : "s");
		break;
	case LESSON_FIG_FROZEN:
		v->right = choice_truth(b, x[LESSON_FIG_FROZEN] > 0);
		fmt_ms(d, sizeof d, x[LESSON_FIG_GAP]);
		snprintf(v->measured, sizeof v->measured,
			 "on %s the spinner's longest gap was %s: it %s", f->backend, d,
			 x[LESSON_FIG_FROZEN] > 0 ? "froze" : "kept turning");
		break;
	default: /* wall */
		v->right = choice_nearest(b, x[LESSON_FIG_WALL]);
		fmt_ms(d, sizeof d, x[LESSON_FIG_WALL]);
		snprintf(v->measured, sizeof v->measured, "%s took %s", f->backend, d);
		break;
	}
}

void quiz_judge(const struct lesson_beat *b, const struct quiz_figures *f, struct quiz_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->right = -1;
	if (!b->has_answer)
		return;
	if (b->answer.selector) {
		judge_selector(b, f, v);
		return;
	}
	char figs[160];
	bool truth = lesson_answer_eval(&b->answer, f->v, NULL, NULL);
	v->right = choice_truth(b, truth);
	describe_figures(&b->answer, f, figs, sizeof figs);
	snprintf(v->measured, sizeof v->measured, "on %s: %s", f->backend, figs);
}

void quiz_reveal(const struct lesson_beat *b, const struct quiz_verdict *v, int picked, char *buf,
		 size_t len)
{
	char said[96], right[96];
	bool ok = picked >= 0 && picked == v->right;

	if (v->right < 0) {
		snprintf(buf, len, "%s: no choice fits what happened", v->measured);
		return;
	}
	escape_text(right, sizeof right, b->choice[v->right], -1, 0);
	if (picked < 0 || picked >= b->nchoice)
		snprintf(buf, len, "%s: the answer is %d) %s", v->measured, v->right + 1, right);
	else if (ok)
		snprintf(buf, len, "right! %s: %d) %s", v->measured, v->right + 1, right);
	else
		snprintf(buf, len, "%s: you said %s; the run says %d) %s", v->measured,
			 escape_text(said, sizeof said, b->choice[picked], -1, 0), v->right + 1,
			 right);
}

/* ---- time points ---------------------------------------------------------- */

static uint64_t first_gil_edge(const struct trace *tr)
{
	uint64_t best = UINT64_MAX;
	struct trace_edge e;

	for (uint32_t i = 0; i < trace_edge_count(tr); i++)
		if (trace_get_edge(tr, i, &e) && e.kind == EDGE_GIL && e.from != e.to && e.t < best)
			best = e.t;
	return best;
}

static uint64_t first_preempt(const struct trace *tr)
{
	uint64_t best = UINT64_MAX;
	struct span sp;

	for (int l = 0; l < tr->ntasks; l++)
		for (uint32_t i = 0; i < trace_count(tr, l); i++) {
			trace_get(tr, l, i, &sp);
			if (sp.cause == CAUSE_PREEMPT && sp.t0 < best) {
				best = sp.t0;
				break;
			}
		}
	return best;
}

static uint64_t first_done(const struct trace *tr)
{
	uint64_t best = UINT64_MAX;

	for (int l = 0; l < tr->ntasks; l++)
		if (trace_outcome(tr, l) != OUTCOME_NONE) {
			uint64_t end = trace_lane_end(tr, l, 0);
			best = end < best ? end : best;
		}
	return best;
}

uint64_t quiz_at_ns(const struct lesson_at *a, const struct trace *tr)
{
	switch (a->event) {
	case LESSON_EVENT_GIL_HANDOFF:
		return first_gil_edge(tr);
	case LESSON_EVENT_PREEMPT:
		return first_preempt(tr);
	case LESSON_EVENT_FIRST_DONE:
		return first_done(tr);
	case LESSON_EVENT_END:
		return tr->meta.wall_ns > 0 ? tr->meta.wall_ns : UINT64_MAX;
	default:
		return (uint64_t)(a->ms * 1e6);
	}
}
