/*
 * tui.c -- the interactive program: the only module that calls curses.
 *
 * A libuv loop in the main thread: stdin readable (keys), a frame timer
 * that runs only while something moves, SIGWINCH/SIGINT/SIGTERM/SIGHUP as
 * uv_signal_t handles (no work in handlers), and an async handle that a
 * run's controller thread pokes when the run ends.  Each frame the views
 * compose a grid (pure code) and this file blits it.
 *
 * The terminal is given back on every way out: q, Ctrl-C, SIGTERM,
 * SIGHUP, an error, exit() (atexit), and a crash (a handler that restores
 * the tty with async-signal-safe calls only).  While curses owns the
 * screen, stderr goes to a temporary file, printed after exit (as htop).
 */
#define NCURSES_WIDECHAR 1
#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>
#include <uv.h>

#include "clock.h"
#include "escape.h"
#include "executor.h"
#include "grid.h"
#include "record.h"
#include "scenario.h"
#include "quiz.h"
#include "tui_lesson.h"
#include "tui_session.h"
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
/* Giving the terminal back, whatever happens                          */
/* ------------------------------------------------------------------ */

static bool curses_on;
static int saved_stderr = -1;
static FILE *stderr_log;
static struct termios saved_tty;
static bool have_tty;
static char crash_reset[128]; /* rmcup, cnorm, sgr0: written by the crash handler */
static size_t crash_reset_len;

/* Back to the real stderr, then replay what was written meanwhile. */
static void restore_stderr(void)
{
	char buf[4096];
	size_t n;

	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	if (stderr_log) {
		rewind(stderr_log);
		while ((n = fread(buf, 1, sizeof buf, stderr_log)) > 0)
			fwrite(buf, 1, n, stderr);
		fclose(stderr_log);
		stderr_log = NULL;
	}
}

static void restore_terminal(void)
{
	if (curses_on) {
		curses_on = false;
		endwin();
	}
	restore_stderr();
}

static void on_crash(int sig)
{
	/* Only async-signal-safe calls: the tty modes and a few bytes. */
	if (have_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	if (crash_reset_len && write(STDOUT_FILENO, crash_reset, crash_reset_len) < 0)
		crash_reset_len = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void remember_reset_sequences(void)
{
	static const char *const caps[] = {"rmcup", "cnorm", "sgr0"};

	crash_reset_len = 0;
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		const char *s = tigetstr((char *)caps[i]);
		size_t len = s && s != (char *)-1 ? strlen(s) : 0;
		if (crash_reset_len + len < sizeof crash_reset) {
			memcpy(crash_reset + crash_reset_len, s, len);
			crash_reset_len += len;
		}
	}
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		signal(fatal[i], on_crash);
}

static void redirect_stderr(void)
{
	stderr_log = tmpfile();
	if (!stderr_log)
		return;
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	if (saved_stderr < 0 || dup2(fileno(stderr_log), STDERR_FILENO) < 0) {
		fclose(stderr_log);
		stderr_log = NULL;
		saved_stderr = -1;
	}
}

/* ------------------------------------------------------------------ */
/* Curses: start, colours, blit                                        */
/* ------------------------------------------------------------------ */

static const short curses_colour[COLOUR_TASK_0] = {
    [COLOUR_DEFAULT] = -1,
    [COLOUR_GREEN] = COLOR_GREEN,
    [COLOUR_YELLOW] = COLOR_YELLOW,
    [COLOUR_CYAN] = COLOR_CYAN,
    [COLOUR_BLUE] = COLOR_BLUE,
    [COLOUR_RED] = COLOR_RED,
    [COLOUR_MAGENTA] = COLOR_MAGENTA,
    [COLOUR_WHITE] = COLOR_WHITE,
};

/* The task colours in the 256-colour palette: orange, pink, brown, lavender, olive, grey. */
static const short task_colour[COLOUR_TASKS] = {208, 211, 130, 141, 100, 246};
static bool have_task_colours; /* the terminal has 256 colours and the pairs for them */

/*
 * The state colours' pairs first (8 x 8, the default on the default being
 * pair 0, which needs no making), then one per task colour (on the
 * default): 64 pairs are enough for every state colour, as TERM=screen
 * (tmux's and screen's classic terminal) has.
 */
static short pair_of(int fg, int bg)
{
	if (fg >= COLOUR_TASK_0 || bg >= COLOUR_TASK_0) {
		if (have_task_colours && fg >= COLOUR_TASK_0)
			return (short)(COLOUR_TASK_0 * COLOUR_TASK_0 + fg - COLOUR_TASK_0);
		fg = fg >= COLOUR_TASK_0 ? COLOUR_DEFAULT : fg;
		bg = bg >= COLOUR_TASK_0 ? COLOUR_DEFAULT : bg;
	}
	return (short)(fg * COLOUR_TASK_0 + bg);
}

/* One pair per (fg, bg) of the state colours: 64, made once; task colours if there is room. */
static bool start_colours(void)
{
	int base = COLOUR_TASK_0 * COLOUR_TASK_0;

	_Static_assert(COLOUR_DEFAULT == 0, "pair 0 is the default on the default");
	if (!has_colors() || start_color() == ERR || COLOR_PAIRS < base)
		return false;
	use_default_colors();
	for (int f = 0; f < COLOUR_TASK_0; f++)
		for (int b = 0; b < COLOUR_TASK_0; b++)
			if (f != COLOUR_DEFAULT || b != COLOUR_DEFAULT)
				init_pair(pair_of(f, b), curses_colour[f], curses_colour[b]);
	have_task_colours = COLORS >= 256 && COLOR_PAIRS >= base + COLOUR_TASKS;
	for (int k = 0; have_task_colours && k < COLOUR_TASKS; k++)
		init_pair((short)(base + k), task_colour[k], -1);
	return true;
}

static int start_curses(struct tui *t, bool want_colour)
{
	tcgetattr(STDIN_FILENO, &saved_tty) == 0 ? (void)(have_tty = true) : (void)0;
	if (!newterm(NULL, stdout, stdin))
		return -1;
	curses_on = true;
	atexit(restore_terminal);
	remember_reset_sequences();
	cbreak(); /* Ctrl-C stays a signal: SIGINT on the loop */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	t->colour = want_colour && start_colours();
	return 0;
}

static attr_t attrs_of(const struct grid_style *st)
{
	attr_t a = A_NORMAL;

	if (st->attr & GRID_BOLD)
		a |= A_BOLD;
	if (st->attr & GRID_REVERSE)
		a |= A_REVERSE;
	if (st->attr & GRID_DIM)
		a |= A_DIM;
	if (st->attr & GRID_UNDERLINE)
		a |= A_UNDERLINE;
	return a;
}

static void blit(struct tui *t)
{
	const struct grid *g = t->grid;

	for (int y = 0; y < g->h; y++)
		for (int x = 0; x < g->w; x++) {
			const struct grid_cell *c = grid_at(g, x, y);
			wchar_t wc[2] = {(wchar_t)c->ch, 0};
			cchar_t cc;

			if (c->ch == GRID_WIDE_TAIL)
				continue;
			short pair = t->colour ? pair_of(c->st.fg, c->st.bg) : 0;
			setcchar(&cc, wc, attrs_of(&c->st), pair, NULL);
			/* The last cell may refuse to move the cursor on; it is drawn anyway. */
			mvwadd_wch(stdscr, y, x, &cc);
		}
	wnoutrefresh(stdscr);
	doupdate();
}

/* ------------------------------------------------------------------ */
/* Frames                                                              */
/* ------------------------------------------------------------------ */

static void on_frame(uv_timer_t *h);

static void draw(struct tui *t)
{
	int w = COLS, h = LINES;

	tui_session_update(t->session);
	if ((t->grid->w != w || t->grid->h != h) && grid_resize(t->grid, w, h) < 0)
		return;
	if (t->lesson)
		tui_lesson_update(t->lesson);
	view_compose(t->grid, &t->ctx);
	if (t->lesson)
		tui_lesson_compose(t->grid, t->lesson);
	blit(t);
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

static int translate_key(int kind, wint_t wc, MEVENT *ev, bool *have_mouse)
{
	*have_mouse = false;
	if (kind == OK) {
		switch (wc) {
		case '\r':
		case '\n':
			return VK_ENTER;
		case 12:
			return VK_CTRL_L;
		default:
			return (int)wc;
		}
	}
	switch (wc) {
	case KEY_UP:
		return VK_UP;
	case KEY_DOWN:
		return VK_DOWN;
	case KEY_LEFT:
		return VK_LEFT;
	case KEY_RIGHT:
		return VK_RIGHT;
	case KEY_SLEFT:
		return VK_SLEFT;
	case KEY_SRIGHT:
		return VK_SRIGHT;
	case KEY_HOME:
		return VK_HOME;
	case KEY_END:
		return VK_END;
	case KEY_PPAGE:
		return VK_PGUP;
	case KEY_NPAGE:
		return VK_PGDN;
	case KEY_BTAB:
		return VK_BTAB;
	case KEY_ENTER:
		return VK_ENTER;
	case KEY_BACKSPACE:
		return VK_BACKSPACE;
	case KEY_MOUSE:
		if (getmouse(ev) != OK)
			return VK_NONE;
		*have_mouse = true;
		if (ev->bstate & BUTTON4_PRESSED)
			return VK_WHEELUP;
		if (ev->bstate & BUTTON5_PRESSED)
			return VK_WHEELDN;
		return VK_CLICK;
	default:
		return VK_NONE;
	}
}

static void click(struct tui *t, const MEVENT *ev)
{
	int tag = grid_tag(t->grid, ev->y);

	if (t->ctx.menu.kind != VIEW_MENU_NONE || t->ctx.help || tag <= 0)
		return;
	view_select(&t->ctx, tag - 1);
	t->ctx.view = 2; /* the Figures view: the task's spans and totals */
}

static void act(struct tui *t, int code, const MEVENT *ev)
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
		clearok(curscr, TRUE);
		return;
	case VA_CLICK:
		if (ev)
			click(t, ev);
		return;
	case VA_NONE:
		return;
	default:
		view_act(c, a);
		return;
	}
}

/*
 * SIGWINCH tells curses the new size (FROM_SIGNAL); curses then queues
 * KEY_RESIZE, which only redraws: resizing again there would queue another.
 */
static void resize(struct tui *t, bool from_signal)
{
	struct winsize ws;

	if (from_signal && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	draw(t);
}

static void on_input(uv_poll_t *h, int status, int events)
{
	struct tui *t = h->data;
	wint_t wc;
	int kind;

	(void)events;
	if (status < 0) {
		quit(t, 1);
		return;
	}
	/* Drain everything curses has: a paste or a key repeat is one frame. */
	int got = 0;
	while ((kind = wget_wch(stdscr, &wc)) != ERR) {
		got++;
		MEVENT ev;
		bool mouse;

		if (kind == KEY_CODE_YES && wc == KEY_RESIZE) {
			resize(t, false);
			continue;
		}
		int code = translate_key(kind, wc, &ev, &mouse);
		act(t, code, mouse ? &ev : NULL);
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

/*
 * A terminal that cannot address the cursor (TERM=dumb, an unknown TERM)
 * would get an empty screen: refuse it as if it were no terminal at all.
 */
static bool terminal_can_draw(void)
{
	int errret = 0;
	bool ok;

	if (setupterm(NULL, STDOUT_FILENO, &errret) != OK)
		return false;
	const char *cup = tigetstr("cup");
	ok = cup && cup != (char *)-1;
	del_curterm(cur_term);
	return ok;
}

/*
 * --json and --trace are written when runs end, so their paths are checked
 * now, without creating anything: stdout is the screen, and a file must be
 * one that can be written in a directory that exists.
 */
static int check_outputs(const struct tui_opts *o)
{
	const char *paths[2] = {o->json, o->trace}, *names[2] = {"--json", "--trace"};

	for (int i = 0; i < 2; i++) {
		const char *p = paths[i];
		if (!p)
			continue;
		if (strcmp(p, "-") == 0) {
			fprintf(stderr,
				"conctui: %s -: the TUI draws on stdout (give a FILE, or use "
				"--batch)\n",
				names[i]);
			return -1;
		}
		char dir[4096];
		const char *slash = strrchr(p, '/');
		snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - p) + 1 : 1,
			 slash ? p : ".");
		if (access(p, F_OK) == 0 ? access(p, W_OK) != 0 : access(dir, W_OK) != 0) {
			char q[ESCAPE_ECHO_SIZE];
			fprintf(stderr, "conctui: cannot write %s: %s\n", escape_echo(q, p),
				strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Everything that can be wrong with the command line, said before curses starts. */
static int check_input(const struct tui_opts *o)
{
	char err[512], path[4096];
	struct scenario sc;
	struct trace **trs;

	if (o->run.backend && !executor_find(o->run.backend)) {
		char q[ESCAPE_ECHO_SIZE];

		fprintf(stderr, "conctui: unknown executor \"%s\" (conctui --list shows them)\n",
			escape_echo(q, o->run.backend));
		return 2;
	}
	if (check_outputs(o) < 0)
		return 2;
	if (o->lesson) {
		struct lesson l;
		if (quiz_load(o->lesson_name, &l, err, sizeof err) < 0) {
			fprintf(stderr, "conctui: %s\n", err);
			return 2;
		}
		lesson_free(&l);
	} else if (o->replay) {
		int n = record_read(o->replay, &trs, err, sizeof err);
		if (n < 0) {
			fprintf(stderr, "conctui: %s\n", err);
			return 2;
		}
		for (int i = 0; i < n; i++)
			trace_destroy(trs[i]);
		free(trs);
		return 0;
	} else {
		const char *name = o->scenario ? o->scenario : "overview";
		if (scenario_resolve(name, path, sizeof path, err, sizeof err) < 0 ||
		    run_load_scenario(path, &sc, err, sizeof err) < 0) {
			fprintf(stderr, "conctui: %s\n", err);
			return 2;
		}
		scenario_free(&sc);
	}
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		fprintf(stderr, "conctui: the interactive view needs a terminal (try --batch)\n");
		return 2;
	}
	if (!terminal_can_draw()) {
		const char *term = getenv("TERM");
		fprintf(stderr,
			"conctui: this terminal (TERM=%s) cannot move the cursor (try --batch)\n",
			term && *term ? term : "unset");
		return 2;
	}
	return 0;
}

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
	if ((rc = check_input(o)) != 0) {
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
	redirect_stderr();
	if (start_curses(t, o->colour) < 0) {
		char term[ESCAPE_ECHO_SIZE];

		restore_stderr();
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
	restore_terminal();
	grid_free(t->grid);
	rc = t->status < 0 ? 0 : t->status;
	free(t);
	return rc;
}
