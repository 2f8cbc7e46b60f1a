/*
 * quiz.h -- a lesson's beats as runs: checking that every beat can run
 * (its scenario loads, its executor is built in, its question can be
 * answered from a run), measuring a run's figures from its trace, and
 * judging a question against what happened in this run -- never against a
 * stored key, so a noisy machine never marks a right answer wrong.
 *
 * Everything is read from trace data (spans' states, edges, causes, the
 * spinner's lane and interval in the meta), never from reason strings.
 */
#ifndef CONCTUI_QUIZ_H
#define CONCTUI_QUIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "executor.h"
#include "lesson.h"
#include "scenario.h"
#include "trace.h"

/* The overview's three pictures, as the TUI draws them: sequential, one core, every core. */
#define QUIZ_OVERVIEW_RUNS 3
extern const struct executor_want quiz_overview_wants[QUIZ_OVERVIEW_RUNS];
extern const char *const quiz_overview_titles[QUIZ_OVERVIEW_RUNS];

#define QUIZ_MAX_RUNS 32 /* runs of one beat that quiz_measure_runs keeps */

/* What a run measured, for the answers. */
struct quiz_figures {
	double v[LESSON_FIG_COUNT]; /* each figure's value (ms, counts, 0/1) */
	char backend[32];	    /* the executor of the run (the fastest one for several) */
	char first[TRACE_NAME_MAX]; /* the task that finished first; "" if none did */
	double first_ms;	    /* ... when */
	char fastest[32];	    /* several runs: the executor with the least wall time */
	double fastest_ms;	    /* ... its wall time */
	bool spinner;		    /* the run has a spinner (gap and frozen mean something) */
	int nruns;		    /* several runs: how many, for the choices' executors */
	char run_backend[QUIZ_MAX_RUNS][32]; /* ... each run's executor */
	double run_ms[QUIZ_MAX_RUNS];	     /* ... and its wall time */
};

/* The verdict on a question. */
struct quiz_verdict {
	int right;	    /* index of the choice the run makes right, -1: none fits */
	char measured[200]; /* what was measured, in words: "threads took 0.90 s" */
};

/*
 * Resolves NAME (NULL: the built-in lesson), loads it and checks every
 * beat: 0, or -1 with one line "file:line: message" in ERR and nothing in L.
 */
int quiz_load(const char *name, struct lesson *l, char *err, size_t errlen);
/* The checks of quiz_load on a parsed lesson. */
int quiz_check(const struct lesson *l, char *err, size_t errlen);

/*
 * Loads beat B's scenario (scaled by its scale times SCALE) into SC; 0, or
 * -1 with a message.  Costs beats have none.
 */
int quiz_beat_scenario(const struct lesson_beat *b, double scale, struct scenario *sc, char *err,
		       size_t errlen);

/* The figures of one finished run TR of scenario SC (SC may be NULL). */
void quiz_measure(const struct trace *tr, const struct scenario *sc, struct quiz_figures *f);
/* The figures of several finished runs of one scenario (overview, compare); NULL entries skipped.
 */
void quiz_measure_runs(const struct trace *const *trs, int n, const struct scenario *sc,
		       struct quiz_figures *f);

/*
 * Which of B's choices the run F makes right, and the measured figure in
 * words.  `fastest` when the fastest executor is not among the choices: the
 * fastest of those the choices name.
 */
void quiz_judge(const struct lesson_beat *b, const struct quiz_figures *f, struct quiz_verdict *v);
/*
 * The reveal line for PICKED (a choice index, -1: nobody answered):
 * "right: threads took 0.90 s" or "threads took 0.90 s: you said 1.7 s".
 */
void quiz_reveal(const struct lesson_beat *b, const struct quiz_verdict *v, int picked, char *buf,
		 size_t len);

/*
 * When time point A happens in TR, in ns since the run started; UINT64_MAX
 * when it has not happened (yet).
 */
uint64_t quiz_at_ns(const struct lesson_at *a, const struct trace *tr);

#endif
