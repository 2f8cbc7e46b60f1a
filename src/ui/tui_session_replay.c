/*
 * tui_session_replay.c -- a record read back (--replay, or a file opened
 * in the TUI): its traces become the panels, a compare file opens on the
 * Compare view, and the scenario it came from, when it is at hand, gives
 * the story.
 */
#include "tui_session.h"
#include "tui_session_priv.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "record.h"
#include "stats.h"
#include "view_spinner.h"

int tui_session_replay(struct tui_session *s, const char *path, char *err, size_t errlen)
{
	struct view_ctx *c = s->ctx;
	struct trace **trs;
	int n = record_read(path, &trs, err, errlen);

	if (n < 0)
		return -1;
	tui_session_clear(s);
	s->kind = SESSION_REPLAY;
	c->replay = true;
	c->npanels = n < VIEW_MAX_PANELS ? n : VIEW_MAX_PANELS;
	if (n > 1) {
		/* A compare file: its rows own the records, its view comes first. */
		compare_from_traces(trs, n, &s->cmp);
		free(trs);
		trs = NULL;
		s->have_cmp = true;
		c->compare = &s->cmp;
		c->compare_done = true;
		if (c->npanels > s->cmp.nrows)
			c->npanels = s->cmp.nrows;
		view_show(c, &view_compare);
	} else {
		s->replayed = trs;
		s->nreplayed = n;
	}
	for (int i = 0; i < c->npanels; i++) {
		struct view_panel *p = &c->panels[i];
		const struct trace *tri = trs ? trs[i] : s->cmp.rows[i].tr;
		p->tr = tri;
		p->now_ns = tri->meta.wall_ns;
		/* A comparison's panels carry the executor's name alone: its rows find them by it.
		 */
		if (n > 1)
			snprintf(p->title, sizeof p->title, "%s", tri->meta.backend);
		else
			snprintf(p->title, sizeof p->title, "%s (%s)", tri->meta.backend,
				 model_name(tri->meta.model));
	}
	const struct trace *first = c->panels[0].tr;
	c->overview = n > 1;
	snprintf(c->scenario, sizeof c->scenario, "%s", first->meta.scenario);
	snprintf(c->title, sizeof c->title, "%s", first->meta.title);
	const char *base = strrchr(path, '/');
	snprintf(c->source, sizeof c->source, "replay of %.40s", base ? base + 1 : path);
	c->narration = NULL;
	c->nnarration = 0;
	/* The story, when the scenario the record came from is at hand. */
	char file[PATH_MAX], ignored[256];
	if (s->have_sc)
		scenario_free(&s->sc);
	s->have_sc =
	    scenario_resolve(c->scenario, file, sizeof file, ignored, sizeof ignored) == 0 &&
	    run_load_scenario(file, &s->sc, ignored, sizeof ignored) == 0;
	if (s->have_sc)
		tui_session_set_narration(s, n == 1 ? trs[0]->meta.backend : NULL);
	if (n == 1) {
		stats_compute(trs[0], &s->stats);
		c->stats = &s->stats;
		if (view_spinner_lane(trs[0]) >= 0)
			view_show(c, &view_spinner);
	}
	tui_session_set_baseline(s);
	view_player_reset(&c->pl, false);
	tui_session_write_outputs(s);
	return 0;
}
