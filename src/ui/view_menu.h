/*
 * view_menu.h -- a small pick list drawn over the screen: the scenarios
 * (s) and the executors (b).  tui.c fills it; Enter hands back the key of
 * the chosen item.
 */
#ifndef CONCTUI_VIEW_MENU_H
#define CONCTUI_VIEW_MENU_H

#include <stdbool.h>

#include "grid.h"
#include "view_keys.h"

#define VIEW_MENU_MAX 64

enum view_menu_kind { VIEW_MENU_NONE, VIEW_MENU_SCENARIO, VIEW_MENU_BACKEND };

struct view_menu {
	enum view_menu_kind kind; /* NONE: closed */
	char title[64];
	int n;				/* items */
	int sel;			/* the highlighted item */
	char key[VIEW_MENU_MAX][64];	/* what choosing an item means: a name */
	char label[VIEW_MENU_MAX][128]; /* what the list shows */
	bool off[VIEW_MENU_MAX];	/* shown dimmed; cannot be chosen */
};

void view_menu_open(struct view_menu *m, enum view_menu_kind kind, const char *title);
/* Adds an item; returns its index, or -1 when the menu is full. */
int view_menu_add(struct view_menu *m, const char *key, const char *label, bool off);
void view_menu_close(struct view_menu *m);
/* Moves the highlight to the item whose key is KEY (when there is one). */
void view_menu_select(struct view_menu *m, const char *key);

enum view_menu_result { VIEW_MENU_KEPT, VIEW_MENU_CHOSEN, VIEW_MENU_CLOSED };
/* Handles an action while the menu is open. */
enum view_menu_result view_menu_act(struct view_menu *m, enum view_action a);

struct view_ctx;
void view_menu_compose(struct grid *g, const struct view_ctx *c);

#endif
