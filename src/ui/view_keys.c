/*
 * view_keys.c -- the key table: which keys do what, in the order the help
 * lists them.
 */
#include "view_keys.h"

#include <stddef.h>

/*
 * Letters beside arrows keep the program usable over links that mangle
 * escape sequences (and match less/vi habits); shift-arrows are not sent by
 * every terminal, hence h and l.
 */
const struct view_key view_keys[] = {
    {VA_PAUSE, "Space", {' ', 'p'}, "pause / resume", "Space Pause"},
    {VA_NEXT, "\u2192 .", {VK_RIGHT, '.'}, "next state change", "\u2190\u2192 Step"},
    {VA_PREV, "\u2190 ,", {VK_LEFT, ','}, "previous state change", NULL},
    {VA_STEP_MODE, "t", {'t'}, "cycle the step mode", NULL},
    {VA_WHY, "y", {'y'}, "jump to the cause (why?)", "y Why"},
    {VA_WHY_BACK, "Y", {'Y'}, "back from the cause", NULL},
    {VA_START, "Home g", {VK_HOME, 'g'}, "go to the start, paused", NULL},
    {VA_END, "End G", {VK_END, 'G'}, "go to the end (live)", NULL},
    {VA_SLOWER, "[", {'['}, "slower (down to 0.1\u00d7)", NULL},
    {VA_FASTER, "]", {']'}, "faster (up to 10\u00d7)", "[] Speed"},
    {VA_ZOOM_IN, "+ =", {'+', '='}, "zoom in on the time", "+- Zoom"},
    {VA_ZOOM_OUT, "- _", {'-', '_'}, "zoom out", NULL},
    {VA_SCROLL_LEFT, "Shift-\u2190 h", {VK_SLEFT, 'h'}, "scroll time left", NULL},
    {VA_SCROLL_RIGHT, "Shift-\u2192 l", {VK_SRIGHT, 'l'}, "scroll time right", NULL},
    {VA_ROW_DOWN, "\u2193 j", {VK_DOWN, 'j', VK_WHEELDN}, "next task", NULL},
    {VA_ROW_UP, "\u2191 k", {VK_UP, 'k', VK_WHEELUP}, "previous task", NULL},
    {VA_PAGE_DOWN, "PgDn", {VK_PGDN}, "a page of tasks down", NULL},
    {VA_PAGE_UP, "PgUp", {VK_PGUP}, "a page of tasks up", NULL},
    {VA_DETAIL, "Enter d", {VK_ENTER, '\r', 'd'}, "detail / expand a group", NULL},
    {VA_FINDING, "f", {'f'}, "jump to the next finding", NULL},
    {VA_VIEW_NEXT, "Tab", {VK_TAB}, "next view", "Tab View"},
    {VA_VIEW_PREV, "Shift-Tab", {VK_BTAB}, "previous view", NULL},
    {VA_RERUN, "r", {'r'}, "run it again", "r Rerun"},
    {VA_BACKEND, "b", {'b'}, "pick an executor", "b Executor"},
    {VA_SCENARIO, "s", {'s'}, "pick a scenario", "s Scenario"},
    {VA_OVERVIEW, "o", {'o'}, "the overview", NULL},
    {VA_COMPARE, "c", {'c'}, "compare every executor", NULL},
    {VA_PAIR, "P", {'P'}, "two runs on one axis", NULL},
    {VA_COSTS, "C", {'C'}, "what each model costs", NULL},
    {VA_SAVE, "w", {'w'}, "save the run to a file", NULL},
    {VA_FIND, "/", {'/'}, "find a task by name", NULL},
    {VA_NARRATION, "N", {'N'}, "more of the narration", NULL},
    {VA_MANUAL, "m", {'m'}, "you are the scheduler", NULL},
    {VA_UNDO, "u", {'u'}, "undo a manual pick", NULL},
    {VA_SLICE_DOWN, "<", {'<'}, "GIL interval \u00f72, rerun", NULL},
    {VA_SLICE_UP, ">", {'>'}, "GIL interval \u00d72, rerun", NULL},
    {VA_HELP, "?", {'?'}, "this help", "? Help"},
    {VA_CLOSE, "Esc", {VK_ESC}, "close / back / fold", NULL},
    {VA_REDRAW, "Ctrl-L", {VK_CTRL_L}, "redraw the screen", NULL},
    {VA_CLICK, "mouse", {VK_CLICK}, "click a task: detail", NULL},
    {VA_QUIT, "q", {'q'}, "quit", "q Quit"},
};

const int view_nkeys = (int)(sizeof view_keys / sizeof view_keys[0]);

enum view_action view_keys_action(int code)
{
	if (code == VK_NONE)
		return VA_NONE;
	for (int i = 0; i < view_nkeys; i++)
		for (int j = 0; j < VIEW_KEY_CODES && view_keys[i].codes[j]; j++)
			if (view_keys[i].codes[j] == code)
				return view_keys[i].action;
	return VA_NONE;
}

const struct view_key *view_keys_find(enum view_action a)
{
	for (int i = 0; i < view_nkeys; i++)
		if (view_keys[i].action == a)
			return &view_keys[i];
	return NULL;
}
