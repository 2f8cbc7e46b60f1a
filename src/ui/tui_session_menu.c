/*
 * tui_session_menu.c -- the pick lists of the session: scenarios (s) and
 * executors (b), and what choosing one starts.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executor.h"
#include "tui_session_priv.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void tui_session_menu_scenarios(struct tui_session *s)
{
	struct view_menu *m = &s->ctx->menu;
	const char *dir = scenario_dir();
	char *names[VIEW_MENU_MAX];
	int n = 0;
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;

	view_menu_open(m, VIEW_MENU_SCENARIO, "Scenarios");
	while (d && (e = readdir(d)) && n < VIEW_MENU_MAX) {
		size_t len = strlen(e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".ini") == 0)
			names[n++] = strndup(e->d_name, len - 4);
	}
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof names[0], cmp_str);
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX], err[256], label[160];
		struct scenario sc;

		snprintf(path, sizeof path, "%s/%s.ini", dir, names[i]);
		if (run_load_scenario(path, &sc, err, sizeof err) == 0) {
			snprintf(label, sizeof label, "%-16s %s", names[i], sc.title);
			scenario_free(&sc);
			view_menu_add(m, names[i], label, false);
		} else {
			snprintf(label, sizeof label, "%-16s (does not load)", names[i]);
			view_menu_add(m, names[i], label, true);
		}
		free(names[i]);
	}
	view_menu_select(m, s->ctx->scenario);
}

void tui_session_menu_backends(struct tui_session *s)
{
	struct view_menu *m = &s->ctx->menu;
	const struct trace *tr = s->ctx->npanels == 1 ? s->ctx->panels[0].tr : NULL;

	view_menu_open(m, VIEW_MENU_BACKEND, "Run this scenario on");
	for (int i = 0; i < executor_count(); i++) {
		const struct executor *ex = executor_at(i);
		char label[160];

		snprintf(label, sizeof label, "%-14s %-16s %.60s", ex->name, model_name(ex->model),
			 ex->summary);
		view_menu_add(m, ex->name, label, false);
	}
	if (tr)
		view_menu_select(m, tr->meta.backend);
}

void tui_session_choose(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;
	struct view_menu *m = &c->menu;
	char key[64], err[256];
	enum view_menu_kind kind = m->kind;

	if (m->n == 0)
		return;
	snprintf(key, sizeof key, "%s", m->key[m->sel]);
	view_menu_close(m);
	if (kind == VIEW_MENU_SCENARIO) {
		int rc;
		s->backend[0] = '\0'; /* a new scenario starts on its own executor */
		if (strcmp(key, "overview") == 0)
			rc = tui_session_overview(s, err, sizeof err);
		else
			rc = tui_session_scenario(s, key, NULL, err, sizeof err);
		if (rc < 0)
			snprintf(c->flash, sizeof c->flash, "%.150s", err);
		return;
	}
	/* An executor: the same scenario again (a record's, if it can be found). */
	bool ran = s->kind == SESSION_SCENARIO || s->kind == SESSION_SEQUENCE;
	const char *name = ran ? s->sc_name : c->scenario;
	char again[PATH_MAX];
	snprintf(again, sizeof again, "%s", name);
	if (tui_session_scenario(s, again, key, err, sizeof err) < 0)
		snprintf(c->flash, sizeof c->flash, "%.150s", err);
}
