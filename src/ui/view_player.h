/*
 * view_player.h -- time control like a video player over recorded traces.
 *
 * The run keeps recording; the player is a cursor (a time) into what has
 * been recorded, with a speed, a zoom window on the time axis, and the
 * state change the caption explains.  Everything here is pure arithmetic
 * over traces, so stepping and zooming are unit-tested without a screen.
 *
 * A state change ("event") is the start of a span, or the end of a lane
 * that has finished.  Events are ordered by (time, panel, lane, index), so
 * that stepping visits changes that happen at the same instant one by one.
 */
#ifndef CONCTUI_VIEW_PLAYER_H
#define CONCTUI_VIEW_PLAYER_H

#include <stdbool.h>
#include <stdint.h>

#include "trace.h"

#define VIEW_MAX_PANELS 12 /* the most runs on screen: every executor, for the Compare view */

/* One trace on screen: the scenario screen has one, the overview three. */
struct view_panel {
	const struct trace *tr; /* NULL: nothing to show (see note) */
	char title[96];		/* "Sequential", a backend name... */
	char note[96];		/* why there is no trace: "executor not available" */
	uint64_t now_ns;	/* recorded up to here (ns since its start) */
	bool live;		/* still recording */
};

struct view_event {
	uint64_t t; /* ns since the run started */
	int panel;
	int lane;
	uint32_t idx; /* span index; the lane's span count for its end */
};

/* What -> and <- step over; the key t cycles through them. */
#define STEP_MODE_MAP(X)                                                                           \
	X(ALL, "every change")	     /* every event of every run */                                \
	X(TASK, "one task")	     /* the selected task's changes only */                        \
	X(RUN, "one run")	     /* the changes of the selected run (several on screen) */     \
	X(GIL, "GIL hand-offs")	     /* a task takes the GIL from another */                       \
	X(PREEMPT, "OS preemptions") /* the OS takes a core from a task */                         \
	X(LOOP, "loop switches")     /* the loop resumes a task */

/* clang-format off */
enum view_step_mode {
#define X(e, n) STEP_##e,
	STEP_MODE_MAP(X)
#undef X
	STEP_MODE_COUNT
};
/* clang-format on */

/* Which events a step may land on: the mode, and the run and task it follows. */
struct view_step_filter {
	enum view_step_mode mode;
	int panel; /* STEP_TASK, STEP_RUN: the run followed */
	int lane;  /* STEP_TASK: the task followed */
	int pair;  /* 1 + a second run kept with PANEL (the Compare view's pair); 0: none */
};

const char *view_step_mode_name(enum view_step_mode m);

struct view_player {
	uint64_t cursor; /* ns: the instant the screen shows */
	bool paused;
	bool follow;	 /* a live run: the cursor rides "now" */
	int speed;	 /* index into the speed table */
	int zoom;	 /* 0: the whole run fits; each step halves the window */
	uint64_t win_t0; /* left edge of the window when zoomed */
	bool scrolled;	 /* moved by hand: do not chase the cursor */
	bool has_focus;	 /* the caption explains `focus` */
	struct view_event focus;
	enum view_step_mode step_mode; /* what -> and <- step over */
};

/* A fresh player at t = 0: following now for a live run, else playing. */
void view_player_reset(struct view_player *pl, bool live);
double view_player_speed(const struct view_player *pl);
/* Changes the speed by DIR steps; returns the new speed. */
double view_player_change_speed(struct view_player *pl, int dir);

/* The end of what can be shown: the latest time over the panels. */
uint64_t view_player_end(const struct view_panel *p, int n);
/* True while any panel still records. */
bool view_player_live(const struct view_panel *p, int n);

/*
 * Moves the cursor on by DT_NS of wall time at the playing speed, or to
 * "now" when following.  Returns true when the screen changes.
 */
bool view_player_tick(struct view_player *pl, const struct view_panel *p, int n, uint64_t dt_ns);
/* True while the cursor moves by itself (frames are needed). */
bool view_player_moving(const struct view_player *pl, const struct view_panel *p, int n);

void view_player_toggle(struct view_player *pl, const struct view_panel *p, int n);
void view_player_home(struct view_player *pl);
void view_player_end_key(struct view_player *pl, const struct view_panel *p, int n);
/* Steps to the next (DIR > 0) or previous change and pauses; false if none. */
bool view_player_step(struct view_player *pl, const struct view_panel *p, int n, int dir);
/* The same over the events F keeps only (NULL: every one). */
bool view_player_step_over(struct view_player *pl, const struct view_panel *p, int n, int dir,
			   const struct view_step_filter *f);
/* Puts the cursor on event E, paused, the caption explaining it. */
void view_player_jump(struct view_player *pl, const struct view_event *e);

/* The first event after A (or the last before it); false if none. */
bool view_event_next(const struct view_panel *p, int n, const struct view_event *a,
		     struct view_event *out);
bool view_event_prev(const struct view_panel *p, int n, const struct view_event *a,
		     struct view_event *out);
/* The latest event at or before the cursor: what the caption explains. */
bool view_event_current(const struct view_player *pl, const struct view_panel *p, int n,
			struct view_event *out);

/*
 * The visible time window for EXTENT ns of run: the whole run unzoomed,
 * else a slice that keeps a playing cursor in view.
 */
void view_player_window(struct view_player *pl, uint64_t extent, uint64_t *t0, uint64_t *len);
void view_player_zoom(struct view_player *pl, int dir, uint64_t extent);
void view_player_scroll(struct view_player *pl, int dir, uint64_t extent);
/* The axis length that fits EXTENT: exact when finished, rounded up while live. */
uint64_t view_player_fit(uint64_t extent, bool live);

/* Index of the last span of LANE starting at or before T, or -1. */
int32_t view_span_at(const struct trace *tr, int lane, uint64_t t);

#endif
