/*
 * lesson.h -- a lesson: a title and an ordered list of beats, each a run to
 * show (a scenario on an executor, the overview, a comparison or the costs
 * table) with narration, time points and an optional question.  Read from an
 * INI file (DESIGN.md "Lessons", man/conctui.1).
 *
 * This module knows the format only: whether a beat's scenario exists and
 * whether its executor is built in is checked by the run layer (quiz.h),
 * which knows both.
 */
#ifndef CONCTUI_LESSON_H
#define CONCTUI_LESSON_H

#include <stdbool.h>
#include <stddef.h>

#define LESSON_MAX_BEATS 64
#define LESSON_MAX_NARRATION 12
#define LESSON_MAX_AT 8
#define LESSON_MAX_CHOICES 9 /* a digit answers */
#define LESSON_TEXT_MAX 320  /* bytes of one narration line, question or choice */
#define LESSON_EXPR_MAX 16   /* nodes of one answer expression */

/* What a beat shows. */
enum beat_kind {
	BEAT_SCENARIO, /* one scenario on one executor */
	BEAT_OVERVIEW, /* the three pictures */
	BEAT_COMPARE,  /* one scenario on every executor that applies */
	BEAT_COSTS,    /* the table of what each model costs */
};

/*
 * Moments of a run a time point may name, found in the trace's data (edges,
 * causes, lane ends), never in its reasons.
 */
#define LESSON_EVENT_MAP(X)                                                                        \
	X(NONE, "")			     /* a time in ms instead */                            \
	X(GIL_HANDOFF, "first gil hand-off") /* the first GIL edge */                              \
	X(PREEMPT, "first preemption")	     /* the first span the OS caused */                    \
	X(FIRST_DONE, "first task done")     /* the earliest end of a task */                      \
	X(END, "end")			     /* the end of the run */

/* clang-format off */
enum lesson_event {
#define X(e, n) LESSON_EVENT_##e,
	LESSON_EVENT_MAP(X)
#undef X
	LESSON_EVENT_COUNT
};
/* clang-format on */

/* A time point: at a time or an event, pause or show a line. */
struct lesson_at {
	enum lesson_event event; /* LESSON_EVENT_NONE: at `ms` */
	double ms;		 /* ms since the run started */
	bool pause;		 /* pause playback there */
	char *text;		 /* a narration line shown from there on, or NULL */
	int line;		 /* in the lesson file */
};

/*
 * The figures an answer may use, each measured from this run's trace by
 * the run layer.  A "selector" names a choice by itself (which task, which
 * executor, which duration, yes or no); the numbers go into comparisons.
 */
#define LESSON_FIGURE_MAP(X)                                                                       \
	X(WALL, "wall", 0)	       /* ms: the run's wall time (selector: nearest choice) */    \
	X(CPU, "cpu", 0)	       /* ms of CPU time the run consumed */                       \
	X(SEQUENTIAL, "sequential", 0) /* ms: the steps' lengths added up */                       \
	X(CORES, "cores", 0)	       /* online CPUs */                                           \
	X(TASKS, "tasks", 0)	       /* tasks in the run */                                      \
	X(RUNNING, "running", 0)       /* most tasks running at one instant */                     \
	X(GAP, "gap", 0)	       /* ms: the spinner's longest wait between frames */         \
	X(SWITCHES, "switches", 0)     /* GIL hand-offs */                                         \
	X(FIRST, "first", 1)	       /* selector: the task that finished first */                \
	X(FASTEST, "fastest", 1)       /* selector: the executor with the least wall time */       \
	X(OVERLAP, "overlap", 1)       /* selector: yes when two tasks ever ran at once */         \
	X(FROZEN, "frozen", 1)	       /* selector: yes when the spinner stopped turning */

/* clang-format off */
enum lesson_figure {
#define X(e, n, sel) LESSON_FIG_##e,
	LESSON_FIGURE_MAP(X)
#undef X
	LESSON_FIG_COUNT
};
/* clang-format on */

/* A node of an answer expression, in postfix order. */
enum lesson_op { OP_NUM, OP_FIG, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_LT, OP_LE, OP_GT, OP_GE };

struct lesson_node {
	enum lesson_op op;
	double num;		/* OP_NUM: the number */
	enum lesson_figure fig; /* OP_FIG: the figure */
};

/*
 * An answer: a selector alone (`first`, `wall`, `fastest`, `overlap`,
 * `frozen`), or a comparison (`wall >= 0.95 * sequential`) whose truth
 * picks the choice that begins with "yes" or "no" (without those words,
 * the first choice when it holds, the second when not).
 */
struct lesson_answer {
	bool selector;				  /* a selector: `sel` picks the choice */
	enum lesson_figure sel;			  /* the selector */
	struct lesson_node expr[LESSON_EXPR_MAX]; /* the comparison, postfix */
	int nexpr;
	unsigned figs; /* bits (1 << figure) of the figures used */
};

struct lesson_beat {
	char id[64];	 /* the NAME of [beat NAME] */
	int line;	 /* of its header */
	char title[128]; /* its heading; "" for the scenario's title */
	enum beat_kind kind;
	char scenario[256]; /* the scenario's name or path; "" for overview, costs */
	int scenario_line;
	char backend[32]; /* "" for the scenario's own */
	int backend_line;
	double scale; /* multiply durations (0: as written) */
	char *narration[LESSON_MAX_NARRATION];
	int nnarration;
	struct lesson_at at[LESSON_MAX_AT];
	int nat;
	char *question; /* NULL: no question */
	int question_line;
	char *choice[LESSON_MAX_CHOICES];
	int nchoice;
	bool has_answer;
	struct lesson_answer answer;
	int answer_line;
};

struct lesson {
	char name[64];
	char title[128];
	char file[256]; /* the path it was read from, for messages */
	struct lesson_beat *beats;
	int nbeats;
};

const char *lesson_event_name(enum lesson_event e);
const char *lesson_figure_name(enum lesson_figure f);
bool lesson_figure_is_selector(enum lesson_figure f);

/*
 * Parses lesson text; FILENAME names it in messages.  Returns 0, or -1 with
 * one line "file:line: message" in ERR and nothing in L to free.
 */
int lesson_parse(const char *text, const char *filename, struct lesson *l, char *err,
		 size_t errlen);
/* Reads the lesson file PATH (lesson_parse on its text). */
int lesson_load(const char *path, struct lesson *l, char *err, size_t errlen);
void lesson_free(struct lesson *l);

/*
 * Resolves NAME (a built-in lesson name, NULL for the built-in lesson of
 * the seeds, or a path) to a file in OUT; 0, or -1 with a message in ERR.
 */
int lesson_resolve(const char *name, char *out, size_t outlen, char *err, size_t errlen);
/* The first directory of built-in lessons (datadir.h's order), or NULL. */
const char *lesson_dir(void);

/* The name of the built-in lesson that follows the seeds. */
#define LESSON_DEFAULT "seeds"

/*
 * Evaluates A's comparison with figure values V (indexed by enum
 * lesson_figure); the comparison's truth.  *LHS and *RHS, when not NULL,
 * get the two sides' values, for saying what was measured.
 */
bool lesson_answer_eval(const struct lesson_answer *a, const double *v, double *lhs, double *rhs);

/* The first number in a choice read as a duration in ms ("0.9 s", "about 800 ms"); -1 if none. */
double lesson_choice_ms(const char *choice);
/* +1 when CHOICE begins with "yes", 0 with "no", -1 otherwise (case-insensitive). */
int lesson_choice_yes(const char *choice);

#endif
