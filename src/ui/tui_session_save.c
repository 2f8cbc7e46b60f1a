/*
 * tui_session_save.c -- what is on screen, written to files: --json and
 * --trace as runs end, and key w.  The writers are the same as --batch's
 * (record.c, chrome_trace.c), so a file saved here replays like any other.
 */
#include "tui_session.h"
#include "tui_session_priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "chrome_trace.h"
#include "escape.h"
#include "record.h"

void tui_session_outputs(struct tui_session *s, const char *json, const char *trace)
{
	s->json = json;
	s->trace = trace;
}

bool tui_session_write_failed(const struct tui_session *s)
{
	return s->write_failed;
}

/* The traces of the panels whose runs have ended, in panel order; how many. */
static int ended_traces(const struct tui_session *s, struct trace **trs)
{
	const struct view_ctx *c = s->ctx;
	int n = 0;

	for (int i = 0; i < c->npanels; i++)
		if (c->panels[i].tr && !c->panels[i].live)
			trs[n++] = (struct trace *)c->panels[i].tr;
	return n;
}

/* Writes one file with WRITE; 0, or -1 with why in MSG. */
static int write_file(const char *path, struct trace **trs, int n, bool chrome, char *msg,
		      size_t len)
{
	FILE *f = fopen(path, "w");
	char q[ESCAPE_ECHO_SIZE];
	int rc;

	if (!f) {
		snprintf(msg, len, "cannot write %s: %s", escape_echo(q, path), strerror(errno));
		return -1;
	}
	if (chrome)
		rc = chrome_trace_write(trs[0], f);
	else
		rc = n > 1 ? record_write_compare(trs, n, f) : record_write(trs[0], f);
	rc |= ferror(f);
	if (fclose(f) != 0 || rc) {
		snprintf(msg, len, "cannot write %s: %s", escape_echo(q, path),
			 strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

int tui_session_save(struct tui_session *s, const char *json, const char *trace, char *msg,
		     size_t len)
{
	struct trace *trs[VIEW_MAX_PANELS];
	int n = ended_traces(s, trs);

	if (n == 0) {
		snprintf(msg, len, "nothing to save yet: no run has ended");
		return -1;
	}
	if (json && write_file(json, trs, n, false, msg, len) < 0)
		return -1;
	if (trace && write_file(trace, trs, n, true, msg, len) < 0)
		return -1;
	char qj[ESCAPE_ECHO_SIZE], qt[ESCAPE_ECHO_SIZE];
	snprintf(msg, len, "wrote %s%s%s", json ? escape_echo(qj, json) : "",
		 json && trace ? " and " : "", trace ? escape_echo(qt, trace) : "");
	return 0;
}

int tui_session_save_named(struct tui_session *s, char *msg, size_t len)
{
	char name[sizeof s->ctx->scenario], path[160], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t k = 0;

	/* The scenario's name, kept to characters any file system takes. */
	for (const char *c = s->ctx->scenario; *c && k + 1 < sizeof name; c++)
		name[k++] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789._-",
				   *c)
				? *c
				: '_';
	name[k] = '\0';
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
	snprintf(path, sizeof path, "conctui-%.60s-%s.json", k ? name : "run", stamp);
	if (tui_session_save(s, path, NULL, msg, len) < 0)
		return -1;
	snprintf(msg, len, "saved to %s", path);
	return 0;
}

/* --json, --trace: written once every run on screen has ended. */
void tui_session_write_outputs(struct tui_session *s)
{
	struct view_ctx *c = s->ctx;
	char msg[256];

	if (!s->json && !s->trace)
		return;
	for (int i = 0; i < c->npanels; i++)
		if (c->panels[i].live || (i < s->nplan && i >= s->next))
			return;
	if (tui_session_save(s, s->json, s->trace, msg, sizeof msg) < 0) {
		s->write_failed = true;
		fprintf(stderr, "conctui: %s\n", msg);
	}
	/* A failure said first stays on the status line. */
	if (!c->flash[0] || s->write_failed)
		snprintf(c->flash, sizeof c->flash, "%.*s", (int)sizeof c->flash - 1, msg);
}
