/*
 * tui_session.h -- what the interactive program has on screen and where it
 * came from: a live run of a scenario, the overview's three runs (one
 * after another), or a replayed record.  It fills the panels of a
 * view_ctx; it never calls curses, so it knows nothing of the terminal.
 *
 * Runs end on their controller threads; the session's WAKE callback (set
 * by tui.c to uv_async_send) is the only thing called from there, and
 * tui_session_poll() then does the work on the UI thread.
 */
#ifndef CONCTUI_TUI_SESSION_H
#define CONCTUI_TUI_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "run.h"
#include "view_ctx.h"

struct tui_session;

struct tui_session *tui_session_new(struct view_ctx *ctx, const struct run_opts *ro, double scale,
				    void (*wake)(void *), void *wake_ud);
void tui_session_free(struct tui_session *s);

/*
 * Loads scenario NAME (a built-in name or a path) and runs it on BACKEND
 * (NULL: the one picked with b, else the scenario's).  A scenario with a
 * spinner and no executor picked runs as seed 004 writes it: on threads,
 * processes, asyncio and the GIL, one after another, for the Spinner view.
 * Returns 0, or -1 with "file:line: message".
 */
int tui_session_scenario(struct tui_session *s, const char *name, const char *backend, char *err,
			 size_t errlen);
/* The overview: the `overview` scenario on three executors, one after another. */
int tui_session_overview(struct tui_session *s, char *err, size_t errlen);
/*
 * Observes a real program live (run_observe): -- COMMAND or --attach PID.
 * Returns 0, or -1 with one line in ERR (nothing left running).  r
 * observes it again.
 */
int tui_session_observe(struct tui_session *s, const struct observe_opts *o, char *err,
			size_t errlen);
/* True when an observed program ended with a failure this session (exit status 1). */
bool tui_session_program_failed(const struct tui_session *s);
/*
 * Key c: the scenario on screen on every executor that applies, one after
 * another, for the Compare view (compare.c's rows, skip rule and verdict).
 * Returns 0, or -1 with a message.
 */
int tui_session_compare(struct tui_session *s, char *err, size_t errlen);
/*
 * A lesson's beat: the runs from now on use durations times SCALE and
 * executor BACKEND ("" or NULL: the scenario's own), as if picked with b.
 */
void tui_session_set_run(struct tui_session *s, double scale, const char *backend);
/* Scenario NAME on every executor that applies (tui_session_compare for a named scenario). */
int tui_session_compare_scenario(struct tui_session *s, const char *name, char *err, size_t errlen);
/* Key C: the Costs view, measuring on a thread (again when it is on screen). */
void tui_session_costs(struct tui_session *s);
/*
 * Shows the record(s) in PATH; returns 0, or -1 with "file: message".  A
 * compare file (several records) opens on the Compare view.
 */
int tui_session_replay(struct tui_session *s, const char *path, char *err, size_t errlen);

/* r: the same again (a record: played again from the start). */
void tui_session_rerun(struct tui_session *s);
/* Fills the context's menu with the scenarios (s) or the executors (b). */
void tui_session_menu_scenarios(struct tui_session *s);
void tui_session_menu_backends(struct tui_session *s);
/* Acts on the menu's chosen item, then closes the menu. */
void tui_session_choose(struct tui_session *s);

/*
 * --json and --trace in the TUI: JSON and TRACE (either may be NULL) are
 * written each time the runs on screen have all ended (again after r), and
 * for a replayed record when it opens.  Several runs make a compare file;
 * the Chrome trace is the first run's.
 */
void tui_session_outputs(struct tui_session *s, const char *json, const char *trace);
/*
 * Writes what is on screen: the record (or a compare file) into JSON and
 * the first run as a Chrome trace into TRACE, either NULL.  Returns 0 with
 * "wrote FILE" in MSG, or -1 with why (nothing has ended yet, a bad path).
 */
int tui_session_save(struct tui_session *s, const char *json, const char *trace, char *msg,
		     size_t len);
/* Key w: tui_session_save into conctui-SCENARIO-YYYYmmdd-HHMMSS.json here. */
int tui_session_save_named(struct tui_session *s, char *msg, size_t len);
/* True when writing --json or --trace has failed this session (exit status 1). */
bool tui_session_write_failed(const struct tui_session *s);

/*
 * Manual play (m, --manual): each run stops at the first scheduling choice
 * its picks do not make, and lists the ready tasks.  A digit (or Enter for
 * the first) chooses: the run starts again with that pick added, replaying
 * the earlier ones exactly; u takes the last pick back.  Returns true when
 * the key CODE was one of these (a choice is waiting, or it was u).
 */
bool tui_session_manual_key(struct tui_session *s, int code);
/* m: manual play on or off for the scenario on screen (from its start). */
void tui_session_manual_toggle(struct tui_session *s);
/*
 * < and >: the time slice as a dial.  Multiplies the GIL's switch interval
 * by FACTOR (within 0.1 .. 1000 ms) and runs the runs on screen again, to
 * see the convoy grow and shrink.
 */
void tui_session_slice(struct tui_session *s, double factor);
/* On the UI thread after a wake: take in finished runs, start the next. */
void tui_session_poll(struct tui_session *s);
/* Before each frame: how far live runs have got. */
void tui_session_update(struct tui_session *s);
/* Stops every run now (quitting). */
void tui_session_stop(struct tui_session *s);

#endif
