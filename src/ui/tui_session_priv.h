/*
 * tui_session_priv.h -- what the tui_session*.c files share: the session
 * itself, and the steps of its life that more than one of them takes.
 * Nothing else includes this.
 */
#ifndef CONCTUI_TUI_SESSION_PRIV_H
#define CONCTUI_TUI_SESSION_PRIV_H

#include <limits.h>

#include "compare.h"
#include "costs.h"
#include "scenario.h"
#include "stats.h"
#include "tui_session.h"

enum session_kind {
	SESSION_NONE,
	SESSION_SCENARIO,
	SESSION_SEQUENCE,
	SESSION_REPLAY,
	SESSION_OBSERVED, /* a real program (tui_session_observe.c) */
};

/*
 * Several runs of one scenario, one after another so that they do not
 * steal each other's cores, then played back together from t = 0.
 */
enum sequence_kind {
	SEQ_OVERVIEW, /* seed 000's three pictures */
	SEQ_SPINNER,  /* a spinner scenario on threads, processes, asyncio and the GIL */
	SEQ_COMPARE,  /* every executor that applies (key c): seed 001's table */
};

/* Sequential wall times measured in this session, for "speedup vs sequential". */
struct baseline {
	char scenario[64];
	double wall_ms;
};
#define NBASELINES 32
#define SESSION_CHOICES 9 /* ready tasks a digit can choose */

struct tui_session {
	struct view_ctx *ctx;
	enum session_kind kind;
	struct run_opts ro; /* from the command line */
	double scale;
	char backend[32]; /* the executor picked with b, "" for the default */
	struct scenario sc;
	bool have_sc;
	const char *narr[SCENARIO_MAX_NARRATION]; /* sc's lines for what is on screen */
	char sc_name[PATH_MAX];			  /* what was asked for: a name or a path */
	struct run *runs[VIEW_MAX_PANELS];
	bool seen[VIEW_MAX_PANELS]; /* its end has been taken in */
	struct trace **replayed;    /* from record_read */
	int nreplayed;
	enum sequence_kind seq;		/* SESSION_SEQUENCE: which one */
	char plan[VIEW_MAX_PANELS][32]; /* ... panel i runs on executor plan[i] */
	int nplan;
	int next;		   /* ... the next panel to run */
	struct compare_result cmp; /* the Compare view's rows; owns the traces that ran */
	bool have_cmp;
	struct tui_costs *costs_job; /* a measurement under way (key C) */
	struct costs_result costs;   /* the last one's figures */
	struct stats stats;
	struct baseline base[NBASELINES];
	void (*wake)(void *);
	void *wake_ud;
	const char *json, *trace;    /* --json, --trace: written as runs end, or NULL */
	bool write_failed;	     /* one of them could not be written */
	struct observe_opts observe; /* SESSION_OBSERVED: what r observes again */
	bool program_failed;	     /* an observed program exited non-zero (exit status 1) */
	/* Manual play (tui_session_manual.c): the picks so far, and the choice waiting. */
	char picks[1024];	     /* "A,B,...": replayed up to the next choice */
	int choice[SESSION_CHOICES]; /* the tasks ready at it */
	int nchoice;		     /* entries used in choice; 0: no choice waiting */
};

/* tui_session.c, for tui_session_observe.c: empties the screen; a run's end wakes the UI. */
void tui_session_clear(struct tui_session *s);
void tui_session_run_ended(void *session);
/*
 * tui_session.c, for the sequences and the replay: loads scenario NAME (a
 * name or a path) in place of the one on screen, which it clears; returns
 * 0, or -1 with a message in ERR and the screen as it was.
 */
int tui_session_load(struct tui_session *s, const char *name, char *err, size_t errlen);
/* Starts panel I on BACKEND ("" or NULL: the scenario's); a failure becomes its note. */
void tui_session_start_panel(struct tui_session *s, int i, const char *backend);
/* The narration for a run on BACKEND (NULL: several executors on screen). */
void tui_session_set_narration(struct tui_session *s, const char *backend);
/* The sequential wall time the figures compare with: measured, else estimated. */
void tui_session_set_baseline(struct tui_session *s);

/* tui_session_sequence.c: runs the loaded scenario as sequence K. */
void tui_session_sequence_start(struct tui_session *s, enum sequence_kind k);
/* Starts the next run of the sequence that can run; false when none is left. */
bool tui_session_sequence_next(struct tui_session *s);
/* Panel I's run has ended: its row of the comparison takes its trace and figures. */
void tui_session_sequence_take(struct tui_session *s, int i);

/*
 * After runs end (and when a record opens): writes --json and --trace once
 * every run on screen has ended; says so on the status line (tui_session_save.c).
 */
void tui_session_write_outputs(struct tui_session *s);
/* Runs the scenario on screen again from its start (manual play's replays). */
void tui_session_restart(struct tui_session *s);
/* Manual play: panel 0's run has ended; a choice it stopped at becomes the prompt. */
void tui_session_manual_ended(struct tui_session *s);

#endif
