/*
 * view_spinner.h -- seed 004's "Concurrency Hello world" read from traces:
 * a spinner task draws a frame (a short `running` span) every so often
 * while a slow call runs.  The Spinner view turns each panel's spinner
 * lane into a real spinner: it advances one glyph per frame the trace
 * recorded before the playback cursor, says "thinking!" until the slow
 * call returns and "Answer: 42" after, and shows the largest gap between
 * frames -- in red, "frozen", when the spinner stopped turning.
 */
#ifndef CONCTUI_VIEW_SPINNER_H
#define CONCTUI_VIEW_SPINNER_H

#include <stdbool.h>
#include <stdint.h>

#include "stats.h"
#include "trace.h"

/* A spinner at one instant, from its trace alone. */
struct view_spin {
	int lane;	   /* the spinner task */
	int slow;	   /* the task it waits for, -1 if none */
	int frames;	   /* frames started at or before the instant */
	uint64_t last;	   /* ns: start of the latest of them */
	uint64_t max_gap;  /* ns: largest gap between two frame starts up to the instant */
	uint64_t interval; /* ns: the spinner's own wait between frames */
	bool ended;	   /* the spinner's lane has ended */
	bool answered;	   /* the slow call returned (its task is done) */
	bool gave_up;	   /* the slow task ended another way (cancelled, failed) */
};

/* The spinner's lane in TR, or -1: a task whose first spans are spinner frames. */
int view_spinner_lane(const struct trace *tr);

/*
 * Fills S for the instant T (ns since the run started); NOW closes open
 * spans (a live run).  Returns false when TR has no spinner.  Frames are
 * counted as stats_max_gap_ms counts them: `running` spans that continue
 * one another are one frame.
 */
bool view_spinner_at(const struct trace *tr, uint64_t t, uint64_t now, struct view_spin *s);

/* The gap the spinner is in at T (ns since its latest frame), 0 once it has ended. */
uint64_t view_spinner_gap_now(const struct view_spin *s, uint64_t t);
/* Whether a gap of GAP ns is a freeze for S (longer than STATS_SPIN_FROZEN intervals). */
bool view_spinner_frozen(const struct view_spin *s, uint64_t gap);

#endif
