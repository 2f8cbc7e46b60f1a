/*
 * view_ctx.h -- what the views compose from, the table of views, and the
 * pieces of screen they share (header, key bar, legend, caption...).
 *
 * tui.c owns one struct view_ctx: it sets the panels (the traces on
 * screen) and the facts about the run, feeds it actions, and asks
 * view_compose() for a grid to blit.  Views never call curses, never start
 * runs and never block: they read traces and write cells.
 */
#ifndef CONCTUI_VIEW_CTX_H
#define CONCTUI_VIEW_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grid.h"
#include "stats.h"
#include "view_keys.h"
#include "view_menu.h"
#include "view_player.h"

/* Below this size the screen only asks to be enlarged (the man page says so). */
#define VIEW_MIN_W 60
#define VIEW_MIN_H 16

#define VIEW_MAX_CORES 256     /* core lanes a view can list */
#define VIEW_MAX_OPEN_GROUPS 8 /* groups of copies expanded at once */
#define VIEW_WHY_DEPTH 32      /* causes followed that the back key can undo */

struct compare_result;
struct costs_result;

/* The cores a panel's trace used; recounted when its span count changes. */
struct view_cores {
	const struct trace *tr;
	uint64_t spans; /* total spans when counted */
	int n;		/* cores in all (cpus holds up to VIEW_MAX_CORES) */
	int cpus[VIEW_MAX_CORES];
};

/* What the header's badge says about the cursor. */
enum view_badge { VIEW_LIVE, VIEW_PAUSED, VIEW_REPLAY, VIEW_DONE };

/* Semantic styles; view_style() gives each one in colour or monochrome. */
enum view_role {
	ROLE_PLAIN,
	ROLE_HEADER,
	ROLE_HEADER_BOLD,
	ROLE_BADGE_LIVE,
	ROLE_BADGE_PAUSED,
	ROLE_BADGE_REPLAY,
	ROLE_BADGE_DONE,
	ROLE_TITLE,
	ROLE_DIM,
	ROLE_SELECTED,
	ROLE_AXIS,
	ROLE_CURSOR,
	ROLE_KEY,
	ROLE_KEYLABEL,
	ROLE_CAPTION,
	ROLE_FLASH,
	ROLE_FRAME,
	ROLE_TAB,
	ROLE_TAB_ON,
	ROLE_GOOD, /* a spinner that turns, a speedup */
	ROLE_BAD,  /* a frozen spinner */
	ROLE_BAR,  /* the bars of the Compare and Costs tables */
	ROLE_COUNT
};

struct view_ctx {
	/* What is shown; set by tui.c. */
	struct view_panel panels[VIEW_MAX_PANELS];
	int npanels;
	bool overview;		   /* panels are pictures to compare, stacked */
	bool replay;		   /* a record, not a run of ours */
	const struct stats *stats; /* figures of panel 0 once finished, else NULL */
	char scenario[64];
	char title[128];
	char source[64];
	const char *const *narration; /* the scenario's lines (owned by tui.c) */
	int nnarration;
	double seq_wall_ms; /* the sequential wall time, 0 when unknown */
	bool seq_estimated; /* ... from the scenario's step lengths */
	bool spinner;	    /* the scenario has a spinner task (seed 004) */

	/*
	 * The comparison (key c, or a replayed compare file): a row per
	 * executor, owned by tui_session; each row that ran is also a panel,
	 * titled with the executor's name.  NULL when there is none.
	 */
	const struct compare_result *compare;
	bool compare_done; /* every run of it has ended: the verdict can be said */
	int compare_sel;   /* the row selected in the Compare view */
	bool compare_pair; /* key P: the selected run and another one, on one axis */
	int compare_other; /* the pair's second run: a row of the table */
	/* What each model costs (key C), once measured; NULL before. */
	const struct costs_result *costs;
	bool costs_measuring; /* a measurement is under way */

	/* The cursor and the rows. */
	struct view_player pl;
	int sel;	 /* the selected task (of panel 0) */
	int top;	 /* the first task row shown */
	int page;	 /* task rows that fit (written by compose) */
	int detail_top;	 /* first span row in the detail view */
	int finding_sel; /* 1 + the finding key f last jumped to (Figures view); 0: none */
	/* Groups of copies expanded (Enter): first lane + 1 each, 0 = free slot. */
	int open_groups[VIEW_MAX_OPEN_GROUPS];
	bool folded;   /* the last frame folded groups of copies (they did not all fit) */
	bool finding;  /* the find prompt (/) is open */
	char find[64]; /* what it holds, UTF-8 */
	int view;      /* index into view_table */

	/* Display. */
	bool ascii;
	bool colour;
	bool help;     /* the help overlay is up */
	bool lesson;   /* a lesson is being played: the help names its keys too */
	int narr_page; /* the narration's page when it does not fit (key N) */
	int mixed;     /* cells drawn as mixed this frame (written by compose) */
	struct view_menu menu;
	char flash[160];  /* a one-off message, cleared by the next key */
	char prompt[160]; /* manual play: the choice waiting for a key, "" for none */

	/* The "why" key's trail: the events it jumped from, newest last. */
	struct view_event why_stack[VIEW_WHY_DEPTH];
	int why_depth; /* entries used */

	/* Caches for composing. */
	struct view_cores cores[VIEW_MAX_PANELS];
};

struct view {
	const char *name; /* its tab in the title row */
	void (*compose)(struct grid *g, struct view_ctx *c);
	/* Whether it has something to show; NULL: always.  Tabs list only these. */
	bool (*applies)(const struct view_ctx *c);
	/* An action it gives its own meaning (its rows); NULL or false: the usual one. */
	bool (*act)(struct view_ctx *c, enum view_action a);
};

extern const struct view view_timeline;
extern const struct view view_cores;
extern const struct view view_detail;
extern const struct view view_spinner;
extern const struct view view_compare;
extern const struct view view_costs;
extern const struct view view_output;
extern const struct view *const view_table[];
extern const int view_count;

/* Whether view I of view_table applies to C. */
bool view_applies(const struct view_ctx *c, int i);
/* Makes V the chosen view (shown as soon as it applies). */
void view_show(struct view_ctx *c, const struct view *v);
/* The view on screen: the chosen one, or the timeline while it does not apply. */
int view_current(const struct view_ctx *c);

/* The whole screen: the chosen view, then a menu or the help on top. */
void view_compose(struct grid *g, struct view_ctx *c);

/*
 * Applies an action that only concerns the screen (playing, stepping,
 * zooming, rows, views, help).  Returns false for the ones tui.c must do
 * (runs, menus' choices, quitting).
 */
bool view_act(struct view_ctx *c, enum view_action a);
/* What -> and <- step over now: the mode, and the run and task it follows (view_step.c). */
void view_step_filter(const struct view_ctx *c, struct view_step_filter *f);
/* "| steps: task B " for the status line, or "" while every change is stepped over. */
void view_step_status(const struct view_ctx *c, char *buf, size_t len);
/* Stepping, the step mode and the why key; false for any other action. */
bool view_step_act(struct view_ctx *c, enum view_action a);
/* Key f: the cursor goes to the next finding of panel 0, paused (view_detail.c). */
void view_detail_next_finding(struct view_ctx *c);
/* Selects task TASK of panel 0 and scrolls it into view. */
void view_select(struct view_ctx *c, int task);

/* ---- shared pieces ---- */

/* What the badge says, and the axis length for the panels (view_ctx.c). */
enum view_badge view_badge(const struct view_ctx *c);
/* The axis length for the panels: the whole run, or rounded up while live. */
uint64_t view_fit(const struct view_ctx *c);

/* How one value looks (view_style.c). */
struct grid_style view_style(const struct view_ctx *c, enum view_role r);
struct grid_style view_state_style(const struct view_ctx *c, enum state s);
/* The state's glyph as a code point: Unicode, or its ASCII letter. */
uint32_t view_state_cp(const struct view_ctx *c, enum state s);
/* "812.4 ms", "12.35 s", "45 us" */
void view_fmt_time(char *buf, size_t len, uint64_t ns);
/* Compact axis labels: "0", "200ms", "1.5s". */
void view_fmt_tick(char *buf, size_t len, uint64_t ns);
/* A bar of V out of MAX over W cells from X, Y, in eighths of a cell. */
void view_bar(struct grid *g, int x, int y, int w, double v, double max, struct grid_style st);

/* The rows that frame every view (view_header.c). */
void view_header(struct grid *g, const struct view_ctx *c, int y);
void view_tabs(struct grid *g, const struct view_ctx *c, int y);
void view_keybar(struct grid *g, const struct view_ctx *c, int y);
void view_legend(struct grid *g, const struct view_ctx *c, int x, int y);
void view_figures(struct grid *g, const struct view_ctx *c, int y);
/*
 * Wrapped text (view_wrap.c): writes the caption (or the flash message) on
 * rows Y .. Y + VIEW_CAPTION_ROWS - 1.
 */
void view_caption(struct grid *g, const struct view_ctx *c, int y);
/*
 * What a run found about its locks and its goal (deadlock, overlap, goal met
 * or missed), wrapped from row Y into at most MAX rows; returns the rows it needs.
 */
int view_findings(struct grid *g, const struct view_ctx *c, int y, int max);
/* Narration wrapped to the width; returns the lines it needs (draws at most MAX). */
int view_narration(struct grid *g, const struct view_ctx *c, int y, int max);
/* Words of S wrapped at W columns into at most MAX rows from X, Y; returns rows. */
int view_wrap(struct grid *g, int x, int y, int w, int max, const char *s, struct grid_style st);
/* The same from wrapped row SKIP on: rows [SKIP, SKIP + MAX) at Y; returns all rows. */
int view_wrap_rows(struct grid *g, int x, int y, int w, int skip, int max, const char *s,
		   struct grid_style st);

/* The caption's text: the state change under the cursor, in words. */
void view_caption_text(const struct view_ctx *c, char *buf, size_t len);
/* The caption's text for one event. */
void view_caption_event(const struct view_ctx *c, const struct view_event *e, char *buf,
			size_t len);

#endif
