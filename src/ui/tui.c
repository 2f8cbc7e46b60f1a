/*
 * tui.c -- the interactive program: its loop, and what a key does.
 *
 * A libuv loop in the main thread: stdin readable (keys), a frame timer
 * that runs only while something moves, SIGWINCH/SIGINT/SIGTERM/SIGHUP as
 * uv_signal_t handles (no work in handlers), and an async handle that a
 * run's controller thread pokes when the run ends.  Each frame the views
 * compose a grid (pure code) and the terminal (tui_term.c, the only
 * module that calls curses) draws it.  What the command line asks for is
 * checked before the screen is taken (tui_check.c).
 */
#include "tui.h"

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "clock.h"
#include "escape.h"
#include "grid.h"
#include "tui_check.h"
#include "tui_lesson.h"
#include "tui_session.h"
#include "tui_term.h"
#include "view_ctx.h"
#include "view_find.h"

#define FRAME_MS 33 /* ~30 frames a second while something moves */

struct tui {
	uv_loop_t loop;
	uv_poll_t input;
	uv_timer_t frame;
	uv_async_t wake;
	uv_signal_t sig[4];
	bool timer_on;
	uint64_t last_frame_ns;
	int status;	 /* the exit status once quitting */
	int empty_reads; /* stdin readable but no key, in a row */
	struct grid *grid;
	struct view_ctx ctx;
	struct tui_session *session;
	struct tui_lesson *lesson; /* --lesson: the lesson being played, else NULL */
	bool colour;		   /* colours are in use (asked for and available) */
};

/* ------------------------------------------------------------------ */
/* Frames                                                              */
/* ------------------------------------------------------------------ */

static void on_frame(uv_timer_t *h);

static void draw(struct tui *t)
{
	int w, h;

	tui_term_size(&w, &h);
	tui_session_update(t->session);
	if ((t->grid->w != w || t->grid->h != h) && grid_resize(t->grid, w, h) < 0)
		return;
	if (t->lesson)
		tui_lesson_update(t->lesson);
	view_compose(t->grid, &t->ctx);
	if (t->lesson)
		tui_lesson_compose(t->grid, t->lesson);
	tui_term_blit(t->grid, t->colour);
}

/* Frames only while something moves: a live run, or playback. */
static void schedule(struct tui *t)
{
	bool moving = view_player_moving(&t->ctx.pl, t->ctx.panels, t->ctx.npanels);

	if (moving && !t->timer_on) {
		t->last_frame_ns = clock_now_ns();
		uv_timer_start(&t->frame, on_frame, FRAME_MS, FRAME_MS);
		t->timer_on = true;
	} else if (!moving && t->timer_on) {
		uv_timer_stop(&t->frame);
		t->timer_on = false;
	}
}

static void on_frame(uv_timer_t *h)
{
	struct tui *t = h->data;
	uint64_t now = clock_now_ns();

	tui_session_update(t->session);
	view_player_tick(&t->ctx.pl, t->ctx.panels, t->ctx.npanels, now - t->last_frame_ns);
	t->last_frame_ns = now;
	draw(t);
	schedule(t);
}

static void on_wake(uv_async_t *h)
{
	struct tui *t = h->data;

	tui_session_poll(t->session);
	draw(t);
	schedule(t);
}

/* Called on a run's controller thread: only the thread-safe send. */
static void wake(void *ud)
{
	struct tui *t = ud;

	uv_async_send(&t->wake);
}

static void quit(struct tui *t, int status)
{
	t->status = status;
	uv_stop(&t->loop);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

/* A click on screen row Y selects the task drawn there. */
static void click(struct tui *t, int y)
{
	int tag = grid_tag(t->grid, y);

	if (t->ctx.menu.kind != VIEW_MENU_NONE || t->ctx.help || tag <= 0)
		return;
	view_select(&t->ctx, tag - 1);
	t->ctx.view = 2; /* the Figures view: the task's spans and totals */
}

/* What key CODE does; CLICK_ROW: the screen row of a mouse event, -1 for a key. */
static void act(struct tui *t, int code, int click_row)
{
	struct view_ctx *c = &t->ctx;
	enum view_action a = view_keys_action(code);

	c->flash[0] = '\0';
	if (view_find_key(c, code))
		return; /* the find prompt takes every key while it is open */
	if (c->menu.kind != VIEW_MENU_NONE) {
		if (view_menu_act(&c->menu, a) == VIEW_MENU_CHOSEN)
			tui_session_choose(t->session);
		return;
	}
	if (c->help) {
		view_act(c, a); /* any key closes the help, q too: it quits from the screen */
		return;
	}
	if (t->lesson && tui_lesson_key(t->lesson, code, a))
		return;
	if (tui_session_manual_key(t->session, code))
		return;
	switch (a) {
	case VA_MANUAL:
		tui_session_manual_toggle(t->session);
		return;
	case VA_SLICE_DOWN:
	case VA_SLICE_UP:
		tui_session_slice(t->session, a == VA_SLICE_UP ? 2.0 : 0.5);
		return;
	case VA_QUIT:
		quit(t, 0);
		return;
	case VA_RERUN:
		tui_session_rerun(t->session);
		return;
	case VA_BACKEND:
		tui_session_menu_backends(t->session);
		return;
	case VA_SCENARIO:
		tui_session_menu_scenarios(t->session);
		return;
	case VA_OVERVIEW: {
		char err[256];
		if (tui_session_overview(t->session, err, sizeof err) < 0)
			snprintf(c->flash, sizeof c->flash, "%.150s", err);
		return;
	}
	case VA_COMPARE: {
		char err[256];
		if (tui_session_compare(t->session, err, sizeof err) < 0)
			snprintf(c->flash, sizeof c->flash, "%.150s", err);
		return;
	}
	case VA_COSTS:
		tui_session_costs(t->session);
		return;
	case VA_SAVE:
		tui_session_save_named(t->session, c->flash, sizeof c->flash);
		return;
	case VA_REDRAW:
		tui_term_redraw();
		return;
	case VA_CLICK:
		if (click_row >= 0)
			click(t, click_row);
		return;
	case VA_NONE:
		return;
	default:
		view_act(c, a);
		return;
	}
}

/*
 * SIGWINCH tells the terminal the new size (FROM_SIGNAL); curses then
 * queues a resize of its own, which only redraws.
 */
static void resize(struct tui *t, bool from_signal)
{
	if (from_signal)
		tui_term_resized();
	tui_term_redraw();
	draw(t);
}

static void on_input(uv_poll_t *h, int status, int events)
{
	struct tui *t = h->data;
	enum tui_term_input in;
	int code, click_row;

	(void)events;
	if (status < 0) {
		quit(t, 1);
		return;
	}
	/* Drain everything curses has: a paste or a key repeat is one frame. */
	int got = 0;
	while ((in = tui_term_read(&code, &click_row)) != TUI_TERM_EMPTY) {
		got++;
		if (in == TUI_TERM_RESIZE) {
			resize(t, false);
			continue;
		}
		act(t, code, click_row);
		if (t->status >= 0)
			return;
	}
	/*
	 * Readable with nothing to read, again and again: the terminal is gone
	 * (end of file, no SIGHUP).  Leave rather than spin.
	 */
	t->empty_reads = got ? 0 : t->empty_reads + 1;
	if (t->empty_reads > 50) {
		quit(t, 1);
		return;
	}
	draw(t);
	schedule(t);
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct tui *t = h->data;

	switch (signum) {
	case SIGWINCH:
		resize(t, true);
		break;
	case SIGINT:
		quit(t, 0);
		break; /* Ctrl-C: the user's way out */
	default:
		quit(t, 1);
		break; /* SIGTERM, SIGHUP: ended from outside */
	}
}

/* ------------------------------------------------------------------ */
/* Main                                                                */
/* ------------------------------------------------------------------ */

static int open_first(struct tui *t, const struct tui_opts *o)
{
	char err[512];
	int rc;

	if (o->observe)
		return 0; /* already under way (tui_main) */
	if (o->lesson) {
		t->lesson =
		    tui_lesson_new(o->lesson_name, t->session, &t->ctx, o->scale, err, sizeof err);
		rc = t->lesson ? 0 : -1;
		if (t->lesson)
			tui_lesson_enter(t->lesson, 0);
	} else if (o->replay)
		rc = tui_session_replay(t->session, o->replay, err, sizeof err);
	else if (o->scenario && strcmp(o->scenario, "overview") != 0)
		rc = tui_session_scenario(t->session, o->scenario, o->run.backend, err, sizeof err);
	else
		rc = tui_session_overview(t->session, err, sizeof err);
	if (rc < 0)
		fprintf(stderr, "conctui: %s\n", err);
	return rc;
}

static void close_handle(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

int tui_main(const struct tui_opts *o)
{
	static const int signums[4] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};
	struct tui *t = calloc(1, sizeof *t);
	int rc;

	setlocale(LC_ALL, "");
	if (!t)
		return 1;
	if ((rc = tui_check_input(o)) != 0) {
		free(t);
		return rc;
	}
	t->status = -1;
	t->ctx.ascii = o->ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
	t->grid = grid_new(80, 24, t->ctx.ascii);
	t->session = tui_session_new(&t->ctx, &o->run, o->scale, wake, t);
	if (!t->grid || !t->session || uv_loop_init(&t->loop) < 0) {
		fprintf(stderr, "conctui: out of memory\n");
		return 1;
	}
	tui_session_outputs(t->session, o->json, o->trace);
	/* Early: a run started before the screen (an observed program) may end and wake us. */
	uv_async_init(&t->loop, &t->wake, on_wake);
	t->wake.data = t;
	if (o->observe) {
		/* Before the screen is taken: a command that cannot run is one plain line. */
		char err[512];
		if (tui_session_observe(t->session, o->observe, err, sizeof err) < 0) {
			fprintf(stderr, "conctui: %s\n", err);
			tui_session_free(t->session);
			uv_walk(&t->loop, close_handle, NULL);
			uv_run(&t->loop, UV_RUN_DEFAULT);
			uv_loop_close(&t->loop);
			grid_free(t->grid);
			free(t);
			return 2;
		}
	}
	if (tui_term_start(o->colour, &t->colour) < 0) {
		char term[ESCAPE_ECHO_SIZE];

		fprintf(stderr, "conctui: cannot start the terminal (TERM=%s)\n",
			escape_echo(term, getenv("TERM")));
		return 1;
	}
	t->ctx.colour = t->colour;
	uv_poll_init(&t->loop, &t->input, STDIN_FILENO);
	uv_timer_init(&t->loop, &t->frame);
	t->input.data = t->frame.data = t;
	for (int i = 0; i < 4; i++) {
		uv_signal_init(&t->loop, &t->sig[i]);
		t->sig[i].data = t;
		uv_signal_start(&t->sig[i], on_signal, signums[i]);
	}
	if (open_first(t, o) < 0) {
		t->status = 1;
	} else {
		uv_poll_start(&t->input, UV_READABLE, on_input);
		draw(t);
		schedule(t);
		uv_run(&t->loop, UV_RUN_DEFAULT);
	}
	/* A --json or --trace that could not be written is a failure at run time. */
	if (t->status <= 0 && tui_session_write_failed(t->session))
		t->status = 1;
	if (t->status <= 0 && tui_session_program_failed(t->session))
		t->status = 1;
	/* Runs first (their threads may still wake us), then the handles. */
	tui_session_free(t->session);
	tui_lesson_free(t->lesson);
	uv_walk(&t->loop, close_handle, NULL);
	uv_run(&t->loop, UV_RUN_DEFAULT);
	uv_loop_close(&t->loop);
	tui_term_stop();
	grid_free(t->grid);
	rc = t->status < 0 ? 0 : t->status;
	free(t);
	return rc;
}
