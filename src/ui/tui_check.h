/*
 * tui_check.h -- the interactive program's command line, checked before
 * curses starts, so that what is wrong is one plain line on stderr.
 */
#ifndef CONCTUI_TUI_CHECK_H
#define CONCTUI_TUI_CHECK_H

#include "tui.h"

/*
 * Checks O's executor, outputs, scenario, record or lesson, and that there
 * is a terminal that can draw.  Returns 0, or the exit status (2) after
 * printing "conctui: message".
 */
int tui_check_input(const struct tui_opts *o);

#endif
