/*
 * tui_costs.h -- the Costs view's measurement (costs_measure, a few
 * seconds) on a thread of its own, so that the screen keeps answering.
 *
 * The thread calls WAKE when it is done (tui.c's uv_async_send: the only
 * thing done from there); the UI thread then takes the figures.  A job can
 * be let go while it still measures (quitting): the thread then frees it.
 */
#ifndef CONCTUI_TUI_COSTS_H
#define CONCTUI_TUI_COSTS_H

#include <stdbool.h>

#include "costs.h"

struct tui_costs;

/* Starts measuring; NULL when no thread can be started. */
struct tui_costs *tui_costs_start(void (*wake)(void *), void *wake_ud);
/* Whether the figures are ready. */
bool tui_costs_done(const struct tui_costs *j);
/* The figures, once done. */
const struct costs_result *tui_costs_result(const struct tui_costs *j);
/* Frees a finished job; an unfinished one is left to its thread to free. */
void tui_costs_free(struct tui_costs *j);

#endif
