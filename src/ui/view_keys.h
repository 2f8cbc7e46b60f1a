/*
 * view_keys.h -- every key of the interactive program, in one table.
 *
 * The help overlay lists this table, the key dispatcher reads it, and the
 * man page is kept in step with it (`conctui --keys` could print it), so a
 * key cannot exist without its help text.  Key codes are the program's own
 * (printable characters are themselves; VK_* for the rest), so that views
 * and tests never need curses.
 */
#ifndef CONCTUI_VIEW_KEYS_H
#define CONCTUI_VIEW_KEYS_H

/* Keys that are not printable characters; tui_term.c translates curses' codes. */
enum view_keycode {
	VK_NONE = 0,
	VK_TAB = '\t',
	VK_ENTER = '\n',
	VK_ESC = 27,
	VK_BASE = 0x110000, /* above every Unicode code point */
	VK_UP,
	VK_DOWN,
	VK_LEFT,
	VK_RIGHT,
	VK_SLEFT,  /* shift-left */
	VK_SRIGHT, /* shift-right */
	VK_HOME,
	VK_END,
	VK_PGUP,
	VK_PGDN,
	VK_BTAB,  /* shift-tab */
	VK_CLICK, /* mouse button 1 (tui.c records where) */
	VK_WHEELUP,
	VK_WHEELDN,
	VK_CTRL_L,
	VK_BACKSPACE,
};

/* What a key does; the table in view_keys.c says which keys and why. */
enum view_action {
	VA_NONE = 0,
	VA_PAUSE,
	VA_NEXT,
	VA_PREV,
	VA_STEP_MODE,
	VA_WHY,
	VA_WHY_BACK,
	VA_START,
	VA_END,
	VA_SLOWER,
	VA_FASTER,
	VA_ZOOM_IN,
	VA_ZOOM_OUT,
	VA_SCROLL_LEFT,
	VA_SCROLL_RIGHT,
	VA_ROW_DOWN,
	VA_ROW_UP,
	VA_PAGE_DOWN,
	VA_PAGE_UP,
	VA_DETAIL,
	VA_FINDING,
	VA_VIEW_NEXT,
	VA_VIEW_PREV,
	VA_RERUN,
	VA_BACKEND,
	VA_SCENARIO,
	VA_OVERVIEW,
	VA_COMPARE,
	VA_PAIR,
	VA_COSTS,
	VA_SAVE,
	VA_MANUAL,
	VA_UNDO,
	VA_SLICE_DOWN,
	VA_SLICE_UP,
	VA_HELP,
	VA_NARRATION,
	VA_FIND,
	VA_CLOSE,
	VA_REDRAW,
	VA_CLICK,
	VA_QUIT,
	VA_COUNT
};

#define VIEW_KEY_CODES 4

struct view_key {
	enum view_action action;
	const char *keys;	   /* how the help spells the keys: "Space", "→ l" */
	int codes[VIEW_KEY_CODES]; /* the key codes, 0-terminated when fewer */
	const char *help;	   /* what it does, one line */
	const char *hint;	   /* "KEY Label" for the bottom key bar, or NULL */
};

extern const struct view_key view_keys[];
extern const int view_nkeys;

/* The action bound to key code CODE, or VA_NONE. */
enum view_action view_keys_action(int code);
/* The table entry of ACTION, or NULL. */
const struct view_key *view_keys_find(enum view_action a);

#endif
