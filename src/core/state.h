/*
 * state.h -- the task states, their outcomes and the executors' models.
 *
 * Each enumeration that has a name, a label, a glyph or a colour is one
 * X-macro table here, so the enum, the JSON names, the legend and the
 * colours cannot drift apart.  Every output (chart, record, Chrome trace,
 * TUI) spells states only through these functions.
 */
#ifndef CONCTUI_STATE_H
#define CONCTUI_STATE_H

/* The colours a state can be drawn in; tui_term.c maps them to curses pairs. */
enum state_colour {
	COLOUR_DEFAULT,
	COLOUR_GREEN,
	COLOUR_YELLOW,
	COLOUR_CYAN,
	COLOUR_BLUE,
	COLOUR_RED,
	COLOUR_MAGENTA,
	COLOUR_WHITE,
	/*
	 * Task colours for the cores and GIL strips: hues no state uses, so a
	 * task's chip never reads as a state.  A terminal without 256 colours
	 * shows them without colour (the letters and the key still tell).
	 */
	COLOUR_TASK_0,
	COLOUR_TASK_1,
	COLOUR_TASK_2,
	COLOUR_TASK_3,
	COLOUR_TASK_4,
	COLOUR_TASK_5,
	COLOUR_COUNT
};
#define COLOUR_TASKS (COLOUR_COUNT - COLOUR_TASK_0) /* task colours, used in turn */

/*    ENUM     json name  legend label              glyph    ascii colour */
#define STATE_MAP(X)                                                                               \
	X(RUNNING, "running", "running on a CPU", "\u2588", '#', COLOUR_GREEN)                     \
	X(READY, "ready", "ready, not running", "\u2592", '-', COLOUR_YELLOW)                      \
	X(IO, "io", "waiting on network I/O", "\u2593", '~', COLOUR_CYAN)                          \
	X(SLEEP, "sleep", "sleeping on a timer", "\u2591", '.', COLOUR_BLUE)                       \
	X(LOCK, "lock", "waiting for a lock (GIL)", "\u2573", 'x', COLOUR_RED)                     \
	X(BLOCKED, "blocked", "blocked (join, queue)", "\u2500", '_', COLOUR_MAGENTA)              \
	X(DONE, "done", "finished", " ", ' ', COLOUR_DEFAULT)

/*
 * A cell of a picture that holds two or more state changes, none of its
 * states holding three quarters of it: no single state may stand for it (that would alias: 5 ms
 * holds drawn as 80 ms blocks), so it gets its own glyph, listed in every legend.
 */
#define STATE_MIXED_GLYPH "\u259a"
#define STATE_MIXED_ASCII '*'

/* clang-format off */
enum state {
#define X(e, n, l, g, a, c) STATE_##e,
	STATE_MAP(X)
#undef X
	STATE_COUNT
};
/* clang-format on */

/*     ENUM       json name     */
#define OUTCOME_MAP(X)                                                                             \
	X(NONE, "running")                                                                         \
	X(DONE, "done")                                                                            \
	X(CANCELLED, "cancelled")                                                                  \
	X(FAILED, "failed")                                                                        \
	X(KILLED, "killed")                                                                        \
	X(DEADLOCKED, "deadlocked")

/* clang-format off */
enum outcome {
#define X(e, n) OUTCOME_##e,
	OUTCOME_MAP(X)
#undef X
	OUTCOME_COUNT
};
/* clang-format on */

/*     ENUM             name               what it means */
#define MODEL_MAP(X)                                                                               \
	X(SEQUENTIAL, "sequential", "one task at a time, each to its end")                         \
	X(PSEUDO, "pseudo-parallel", "one core, tasks interleaved in small pieces")                \
	X(PARALLEL, "parallel", "several cores, tasks truly at the same time")                     \
	X(OBSERVED, "observed", "a real program's threads, as the kernel ran them")

/* clang-format off */
enum model {
#define X(e, n, d) MODEL_##e,
	MODEL_MAP(X)
#undef X
	MODEL_COUNT
};
/* clang-format on */

const char *state_name(enum state s);
const char *state_label(enum state s);
const char *state_glyph(enum state s);
char state_ascii(enum state s);
enum state_colour state_colour(enum state s);
/* Returns the state whose JSON name is NAME, or -1. */
int state_from_name(const char *name);

const char *outcome_name(enum outcome o);
int outcome_from_name(const char *name);

const char *model_name(enum model m);
const char *model_summary(enum model m);
int model_from_name(const char *name);

#endif
