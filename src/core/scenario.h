/*
 * scenario.h -- what to run: tasks, each a list of steps, read from an INI
 * file (the format is in man/conctui.1 and DESIGN.md, "Scenario files").
 */
#ifndef CONCTUI_SCENARIO_H
#define CONCTUI_SCENARIO_H

#include <stddef.h>

#include "scenario_path.h" /* scenario_resolve, scenario_dir: finding the files */
#include "trace.h"

/*    ENUM     name       what the step does */
#define STEP_MAP(X)                                                                                \
	X(CPU, "cpu", "real computation; holds the GIL, blocks an event loop")                     \
	X(NATIVE, "native", "computation that releases the GIL (NumPy-like)")                      \
	X(IO, "io", "a real TCP request to the loopback latency server")                           \
	X(SLEEP, "sleep", "a timer sleep")                                                         \
	X(BLOCK, "block", "a blocking call that does not cooperate")                               \
	X(OFFLOAD, "offload", "computation handed to an executor pool")                            \
	X(SPIN, "spin", "a spinner frame every MS ms until the others have ended")                 \
	X(LOCK, "lock", "take the named mutex NAME; waiting for it is the lock state")             \
	X(UNLOCK, "unlock", "release the named mutex NAME")                                        \
	X(CRITICAL, "critical", "computation inside a critical region (checked for overlap)")      \
	X(PRINT, "print", "write one line of output (a short running span)")

/* clang-format off */
enum step_kind {
#define X(e, n, d) STEP_##e,
	STEP_MAP(X)
#undef X
	STEP_COUNT
};
/* clang-format on */

/* Limits, checked while parsing so that nothing absurd ever starts. */
#define SCENARIO_MAX_MS 600000.0 /* one step: ten minutes */
#define SCENARIO_MAX_STEPS 1000	 /* steps in one task's list */
#define SCENARIO_MAX_REPEAT 10000
#define SCENARIO_MAX_COUNT 20000
#define SCENARIO_MAX_TASKS 20000 /* tasks after `count` copies */
#define SCENARIO_MAX_NARRATION 16
#define SCENARIO_MAX_WORKERS 64
#define SCENARIO_MAX_SWITCH_MS 1000.0
#define SCENARIO_MAX_LOCKS 16 /* named locks in one scenario */

/*    ENUM      how it is written       what wins it */
#define GOAL_MAP(X)                                                                                \
	X(NONE, "", "no goal")                                                                     \
	X(SPINNER_GAP, "spinner gap <=", "the spinner never waits longer than MS between frames")  \
	X(DONE_BY, "done by", "every task has ended done by MS")                                   \
	X(DEADLOCK, "deadlock", "the run deadlocks")                                               \
	X(CRITICAL_OVERLAP, "critical overlap", "two tasks are inside a critical region at once")

/* clang-format off */
enum goal_kind {
#define X(e, w, d) GOAL_##e,
	GOAL_MAP(X)
#undef X
	GOAL_COUNT
};
/* clang-format on */

/* A challenge's goal (`goal = ...` in [scenario]), checked against the run. */
struct scenario_goal {
	enum goal_kind kind;
	double ms; /* SPINNER_GAP, DONE_BY: the bound in ms (scaled with the scenario) */
};

struct step {
	enum step_kind kind;
	double ms;	  /* the step's duration; 0 for print */
	int lock;	  /* lock, unlock: index in scenario.locks; -1 otherwise */
	const char *text; /* print: the line, owned by the scenario; NULL otherwise */
};

struct scenario_task {
	char name[TRACE_NAME_MAX];
	const struct step *steps; /* owned by the scenario, shared by copies */
	int nsteps;
	int repeat; /* run the step list this many times */
};

enum wait_mode { WAIT_ALL, WAIT_FIRST };

struct scenario {
	char name[64];
	char title[128];
	char source[64];
	char backend[32]; /* the default executor */
	int backend_line; /* the line that set it, 0 when the file did not */
	char *narration[SCENARIO_MAX_NARRATION];
	/* Line i's executors ("gil,threads", from narration[gil,threads]); NULL: every one. */
	char *narration_for[SCENARIO_MAX_NARRATION];
	int nnarration;
	int workers; /* pool size; 0 = one per core */
	enum wait_mode wait;
	char gil[8];		   /* "new", "old", "off", or "" for the default */
	double switch_interval_ms; /* 0 = the default (5 ms) */
	double scale;		   /* what scenario_scale multiplied by (1 or 0: nothing) */
	/*
	 * `main = NAME`: the task asyncio.run starts, which creates the others
	 * as it begins (they first run when it first awaits); -1: every task
	 * is started at once.  Only the asyncio executor tells the difference.
	 */
	int main_task;
	struct scenario_task *tasks;
	int ntasks;
	struct step *steps; /* storage for every task's steps */
	int nsteps;
	char locks[SCENARIO_MAX_LOCKS][TRACE_NAME_MAX]; /* the named locks, in order of use */
	int nlocks;
	struct scenario_goal goal; /* GOAL_NONE: not a challenge */
};

const char *step_name(enum step_kind k);
const char *step_summary(enum step_kind k);
int step_from_name(const char *name);
/* True for steps whose word is a lock's name rather than a duration. */
int step_takes_name(enum step_kind k);

const char *goal_summary(enum goal_kind k);
/* Parses a goal's text ("done by 1200"); 0, or -1 when it is not one. */
int goal_parse(const char *text, struct scenario_goal *out);
/* Writes the goal as it would be written in a scenario ("done by 1200 ms"). */
void goal_format(const struct scenario_goal *g, char *buf, size_t len);

/*
 * Parses the scenario file PATH into SC.  Returns 0, or -1 with a one-line
 * message "file:line: message" in ERR (line 0 when no line applies); on
 * error SC holds nothing that needs freeing.
 */
int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen);
/* Parses scenario text; FILENAME is only used in messages. */
int scenario_parse(const char *text, const char *filename, struct scenario *sc, char *err,
		   size_t errlen);
void scenario_free(struct scenario *sc);

/*
 * The narration lines to show for a run on BACKEND: every untagged line, and
 * each tagged line whose executors include BACKEND (with BACKEND NULL, a
 * screen of several executors: every line).  Fills LINES (room for MAX)
 * in file order and returns how many.
 */
int scenario_narration_for(const struct scenario *sc, const char *backend, const char **lines,
			   int max);

/*
 * Multiplies every duration by X (slow motion), the switch interval too, so
 * that a slowed GIL battle is the same picture; a run multiplies the default
 * interval by sc->scale (an interval given on the command line is not).
 */
void scenario_scale(struct scenario *sc, double x);
/* True when any task has a step of kind K. */
int scenario_has_step(const struct scenario *sc, enum step_kind k);
/* True when task T has a step of kind K (a spinner: STEP_SPIN). */
int scenario_task_has_step(const struct scenario_task *t, enum step_kind k);

#endif
