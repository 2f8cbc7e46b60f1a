/*
 * tui_term.c -- the terminal: the only module that calls curses.
 *
 * The terminal is given back on every way out: q, Ctrl-C, SIGTERM,
 * SIGHUP, an error, exit() (atexit), and a crash (a handler that restores
 * the tty with async-signal-safe calls only).  While curses owns the
 * screen, stderr goes to a temporary file, printed after exit (as htop).
 *
 * Colours are pairs made once at start; a frame is the views' grid drawn
 * cell by cell into curses' buffer and sent in one update.  Keys leave
 * here as view_keys codes, so that nothing above sees a curses type.
 */
#define NCURSES_WIDECHAR 1
#include "tui_term.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "state.h"
#include "view_keys.h"

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

void tui_term_stop(void)
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
/* Start, colours, blit                                               */
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

/*
 * A terminal that cannot address the cursor (TERM=dumb, an unknown TERM)
 * would get an empty screen: refuse it as if it were no terminal at all.
 */
bool tui_term_can_draw(void)
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

int tui_term_start(bool want_colour, bool *colour)
{
	redirect_stderr();
	tcgetattr(STDIN_FILENO, &saved_tty) == 0 ? (void)(have_tty = true) : (void)0;
	if (!newterm(NULL, stdout, stdin)) {
		restore_stderr();
		return -1;
	}
	curses_on = true;
	atexit(tui_term_stop);
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
	*colour = want_colour && start_colours();
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

void tui_term_size(int *w, int *h)
{
	*w = COLS;
	*h = LINES;
}

void tui_term_blit(const struct grid *g, bool colour)
{
	for (int y = 0; y < g->h; y++)
		for (int x = 0; x < g->w; x++) {
			const struct grid_cell *c = grid_at(g, x, y);
			wchar_t wc[2] = {(wchar_t)c->ch, 0};
			cchar_t cc;

			if (c->ch == GRID_WIDE_TAIL)
				continue;
			short pair = colour ? pair_of(c->st.fg, c->st.bg) : 0;
			setcchar(&cc, wc, attrs_of(&c->st), pair, NULL);
			/* The last cell may refuse to move the cursor on; it is drawn anyway. */
			mvwadd_wch(stdscr, y, x, &cc);
		}
	wnoutrefresh(stdscr);
	doupdate();
}

void tui_term_redraw(void)
{
	clearok(curscr, TRUE);
}

/*
 * SIGWINCH: curses learns the new size here; it then queues KEY_RESIZE,
 * which only redraws (resizing again there would queue another).
 */
void tui_term_resized(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
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

enum tui_term_input tui_term_read(int *code, int *click_row)
{
	MEVENT ev;
	bool mouse;
	wint_t wc;
	int kind = wget_wch(stdscr, &wc);

	if (kind == ERR)
		return TUI_TERM_EMPTY;
	if (kind == KEY_CODE_YES && wc == KEY_RESIZE)
		return TUI_TERM_RESIZE;
	*code = translate_key(kind, wc, &ev, &mouse);
	*click_row = mouse ? ev.y : -1;
	return TUI_TERM_KEY;
}
