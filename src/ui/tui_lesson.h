/*
 * tui_lesson.h -- a lesson played in the interactive program: which beat is
 * on screen, its question and the answer given, its time points, and the
 * reveal once the run has ended.  It drives the session (tui_session.h)
 * like the keys do and draws its own pieces into the grid; it never calls
 * curses.
 *
 * Keys it takes (everything else works as usual inside a beat): n and p
 * move between beats; while a question is up, a digit answers it, and only
 * then does the beat's run start.
 */
#ifndef CONCTUI_TUI_LESSON_H
#define CONCTUI_TUI_LESSON_H

#include <stdbool.h>
#include <stddef.h>

#include "grid.h"
#include "lesson.h"
#include "tui_session.h"
#include "view_ctx.h"

struct tui_lesson;

/*
 * Loads lesson NAME (NULL: the built-in one) for session S showing into
 * CTX, every duration times SCALE (--scale); NULL with "file:line: message"
 * in ERR.
 */
struct tui_lesson *tui_lesson_new(const char *name, struct tui_session *s, struct view_ctx *ctx,
				  double scale, char *err, size_t errlen);
void tui_lesson_free(struct tui_lesson *tl);

/* Shows beat I (its question first when it has one, else its run). */
void tui_lesson_enter(struct tui_lesson *tl, int i);

/*
 * Key CODE (whose usual action is A): true when the lesson took it (n, p,
 * a digit while a question is up).  r re-arms the beat's time points and
 * reveal and then runs as usual (false).
 */
bool tui_lesson_key(struct tui_lesson *tl, int code, enum view_action a);

/*
 * Before each frame: fires the time points the cursor has reached (a pause,
 * a line of narration), reveals the answer once the runs have ended, and
 * sets the title and narration the views show.
 */
void tui_lesson_update(struct tui_lesson *tl);

/* After the view: the question box while a question is up. */
void tui_lesson_compose(struct grid *g, const struct tui_lesson *tl);

/* Beat index on screen, and whether a question waits for its answer (for tests). */
int tui_lesson_beat(const struct tui_lesson *tl);

#endif
