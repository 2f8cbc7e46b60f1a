/*
 * lesson.c -- reads lesson files (INI, through libinih) into a struct
 * lesson.  Answers' expressions and the words a choice may start with are
 * lesson_expr.c's; whether a beat can run (its scenario, its executor,
 * whether its question can be answered from the run) is quiz.c's.
 *
 * As scenario.c does, we feed libinih through our own line reader, so that
 * every message names its line and a section without keys is still seen.
 */
#include "lesson.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"
#include "escape.h"
#include "lesson_priv.h"

#define LESSON_SUBDIR "lessons"
#define LESSON_MAX_BYTES (1 << 20) /* a lesson file larger than this is refused */

bool lesson_fail(struct lparse *p, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (p->failed)
		return false;
	p->failed = true;
	p->err_line = line;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	escape_error(p->err, p->errlen, p->file, line, msg);
	return false;
}

#define lfail lesson_fail

/* ---- names ---------------------------------------------------------------- */

static const char *const event_names[LESSON_EVENT_COUNT] = {
#define X(e, n) [LESSON_EVENT_##e] = n,
    LESSON_EVENT_MAP(X)
#undef X
};

const char *lesson_event_name(enum lesson_event e)
{
	return (unsigned)e < LESSON_EVENT_COUNT ? event_names[e] : "?";
}

/* ---- sections --------------------------------------------------------------- */

static size_t ltrim(const char **start, size_t len)
{
	const char *s = *start;

	while (len > 0 && isspace((unsigned char)*s))
		s++, len--;
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	*start = s;
	return len;
}

static bool open_beat(struct lparse *p, const char *name, size_t len)
{
	struct lesson *l = p->l;
	char q[ESCAPE_ECHO_SIZE];

	if (!p->have_lesson)
		return lfail(p, p->line, "a beat before the [lesson] section");
	if (len == 0 || len >= sizeof l->beats[0].id)
		return lfail(p, p->line, "a beat needs a name of 1 to %zu characters",
			     sizeof l->beats[0].id - 1);
	for (int i = 0; i < l->nbeats; i++)
		if (strlen(l->beats[i].id) == len && memcmp(l->beats[i].id, name, len) == 0)
			return lfail(p, p->line, "a second beat named \"%s\"",
				     escape_echon(q, name, len));
	if (l->nbeats == LESSON_MAX_BEATS)
		return lfail(p, p->line, "too many beats (at most %d)", LESSON_MAX_BEATS);
	if (l->nbeats == p->cap) {
		int cap = p->cap ? 2 * p->cap : 8;
		struct lesson_beat *b = realloc(l->beats, (size_t)cap * sizeof *b);
		if (!b)
			return lfail(p, 0, "out of memory");
		l->beats = b;
		p->cap = cap;
	}
	struct lesson_beat *b = &l->beats[l->nbeats++];
	memset(b, 0, sizeof *b);
	memcpy(b->id, name, len);
	b->line = p->line;
	p->sec = LSEC_BEAT;
	return true;
}

static bool open_section(struct lparse *p, const char *s, size_t len)
{
	char q[ESCAPE_ECHO_SIZE];

	len = ltrim(&s, len);
	p->keys = 0;
	if (len == 6 && memcmp(s, "lesson", 6) == 0) {
		if (p->have_lesson)
			return lfail(p, p->line, "a second [lesson] section");
		p->have_lesson = true;
		p->sec = LSEC_LESSON;
		return true;
	}
	if (len > 4 && memcmp(s, "beat", 4) == 0 && isspace((unsigned char)s[4])) {
		const char *name = s + 4;
		return open_beat(p, name, ltrim(&name, len - 4));
	}
	return lfail(p, p->line, "unknown section \"[%s]\" (expected [lesson] or [beat NAME])",
		     escape_echon(q, s, len));
}

/* A beat must show something. */
static bool close_section(struct lparse *p)
{
	if (p->sec != LSEC_BEAT)
		return true;
	p->sec = LSEC_NONE;
	return lesson_beat_close(p, &p->l->beats[p->l->nbeats - 1]);
}

/* As scenario_section.c: a line whose first non-blank is '[' starts a section. */
static bool see_line(struct lparse *p, const char *line)
{
	const char *s = line, *close, *after;

	if (p->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	p->indented = *s == ' ' || *s == '\t';
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '[' || (p->indented && p->prev_key))
		return true;
	if (!(close = strchr(s, ']')))
		return lfail(p, p->line, "missing \"]\" in the section header");
	for (after = close + 1; isspace((unsigned char)*after); after++)
		;
	if (*after && *after != ';' && *after != '#')
		return lfail(p, p->line, "unexpected text after \"]\"");
	p->prev_key = false;
	return close_section(p) && open_section(p, s + 1, (size_t)(close - s - 1));
}

/* ---- keys ------------------------------------------------------------------- */

enum { LK_NAME = 1, LK_TITLE = 2 };

static bool lesson_key(struct lparse *p, const char *key, const char *v)
{
	struct lesson *l = p->l;
	char q[ESCAPE_ECHO_SIZE];
	bool name = strcmp(key, "name") == 0;

	if (!name && strcmp(key, "title") != 0)
		return lfail(p, p->line, "unknown key \"%s\" in [lesson] (name, title)",
			     escape_echo(q, key));
	if (p->keys & (name ? LK_NAME : LK_TITLE))
		return lfail(p, p->line, "duplicate key \"%s\"", key);
	p->keys |= name ? LK_NAME : LK_TITLE;
	char *dst = name ? l->name : l->title;
	size_t size = name ? sizeof l->name : sizeof l->title;
	if (!*v || strlen(v) >= size)
		return lfail(p, p->line, "\"%s\" must have 1 to %zu characters", key, size - 1);
	memcpy(dst, v, strlen(v) + 1);
	return true;
}

static int on_key(void *user, const char *section, const char *key, const char *v)
{
	struct lparse *p = user;
	bool cont = p->indented && p->prev_key;
	char q[ESCAPE_ECHO_SIZE];

	(void)section;
	if (p->failed)
		return 0;
	p->prev_key = true;
	if (cont)
		lfail(p, p->line, "indented line: \"%s\" takes one line (use another \"%s =\")",
		      escape_echo(q, key), escape_echo(q, key));
	else if (!*key)
		lfail(p, p->line, "missing key before \"=\"");
	else if (p->sec == LSEC_LESSON)
		lesson_key(p, key, v);
	else if (p->sec == LSEC_BEAT)
		lesson_beat_key(p, &p->l->beats[p->l->nbeats - 1], key, v);
	else
		lfail(p, p->line, "\"%s\" is outside any section (start with [lesson])",
		      escape_echo(q, key));
	return !p->failed;
}

/* libinih's reader: one whole line at a time, counted. */
static char *read_line(char *buf, int size, void *stream)
{
	struct lparse *p = stream;
	int n = 0;
	bool too_long = false;

	if (p->failed || !*p->text)
		return NULL;
	while (*p->text && *p->text != '\n') {
		if (n < size - 2)
			buf[n++] = *p->text;
		else
			too_long = true;
		p->text++;
	}
	if (*p->text == '\n')
		p->text++;
	p->line++;
	if (too_long)
		lfail(p, p->line, "line too long (at most %d characters)", size - 2);
	buf[n++] = '\n';
	buf[n] = '\0';
	see_line(p, buf);
	return p->failed ? NULL : buf;
}

/* ---- the whole file ------------------------------------------------------- */

static void set_defaults(struct lparse *p)
{
	const char *base = strrchr(p->file, '/');
	size_t len;

	memset(p->l, 0, sizeof *p->l);
	base = base ? base + 1 : p->file;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".ini") == 0)
		len -= 4;
	if (len >= sizeof p->l->name)
		len = sizeof p->l->name - 1;
	memcpy(p->l->name, base, len);
	snprintf(p->l->file, sizeof p->l->file, "%s", p->file);
}

int lesson_parse(const char *text, const char *filename, struct lesson *l, char *err, size_t errlen)
{
	struct lparse p = {
	    .file = filename ? filename : "(string)",
	    .l = l,
	    .text = text ? text : "",
	    .err = err,
	    .errlen = errlen,
	};
	int rc;

	set_defaults(&p);
	if (strlen(p.text) != 0 && memchr(text, '\0', strlen(text)) != NULL)
		lfail(&p, 0, "not a text file");
	rc = ini_parse_stream(read_line, &p, on_key, &p);
	if (rc > 0 && (!p.failed || rc < p.err_line)) {
		p.failed = false;
		lfail(&p, rc, "expected \"[section]\" or \"key = value\"");
	} else if (rc < 0) {
		lfail(&p, 0, "out of memory");
	}
	if (!p.failed && close_section(&p) &&
	    (p.have_lesson || lfail(&p, 0, "no [lesson] section")))
		(void)(l->nbeats > 0 || lfail(&p, 0, "no beats (add a [beat NAME] section)"));
	if (p.failed) {
		lesson_free(l);
		return -1;
	}
	if (!l->title[0])
		memcpy(l->title, l->name, sizeof l->name);
	return 0;
}

int lesson_load(const char *path, struct lesson *l, char *err, size_t errlen)
{
	char file[512];
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	const char *why = NULL;
	char *text = NULL;

	memset(l, 0, sizeof *l);
	if (fd < 0)
		why = strerror(errno);
	else if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_size > LESSON_MAX_BYTES)
		why = "too large for a lesson";
	else if (!(text = calloc(1, (size_t)st.st_size + 1)))
		why = "out of memory";
	else if (read(fd, text, (size_t)st.st_size) != st.st_size)
		why = "cannot read it";
	if (fd >= 0)
		close(fd);
	if (why) {
		free(text);
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", escape_text(file, sizeof file, path, -1, 0),
				 why);
		return -1;
	}
	if (memchr(text, '\0', (size_t)st.st_size)) {
		free(text);
		snprintf(err, errlen, "%s: not a text file (NUL byte)",
			 escape_text(file, sizeof file, path, -1, 0));
		return -1;
	}
	int rc = lesson_parse(text, path, l, err, errlen);
	free(text);
	return rc;
}

void lesson_free(struct lesson *l)
{
	if (!l)
		return;
	for (int i = 0; i < l->nbeats; i++) {
		struct lesson_beat *b = &l->beats[i];
		for (int k = 0; k < b->nnarration; k++)
			free(b->narration[k]);
		for (int k = 0; k < b->nat; k++)
			free(b->at[k].text);
		for (int k = 0; k < b->nchoice; k++)
			free(b->choice[k]);
		free(b->question);
	}
	free(l->beats);
	memset(l, 0, sizeof *l);
}

/* ---- finding lessons ------------------------------------------------------- */

const char *lesson_dir(void)
{
	static char dir[PATH_MAX];

	return datadir_find(LESSON_SUBDIR, dir, sizeof dir) == 0 ? dir : NULL;
}

int lesson_resolve(const char *name, char *out, size_t outlen, char *err, size_t errlen)
{
	char file[NAME_MAX + 1], q[ESCAPE_ECHO_SIZE];
	size_t len;

	if (!name)
		name = LESSON_DEFAULT;
	len = strlen(name);
	if (strchr(name, '/') || (len >= 4 && strcmp(name + len - 4, ".ini") == 0)) {
		if (len >= outlen) {
			snprintf(err, errlen, "%s: path too long", escape_echo(q, name));
			return -1;
		}
		memcpy(out, name, len + 1);
		return 0;
	}
	int w = snprintf(file, sizeof file, "%s.ini", name);
	if (*name && w > 0 && (size_t)w < sizeof file &&
	    datadir_find_file(LESSON_SUBDIR, file, out, outlen) == 0)
		return 0;
	snprintf(err, errlen, "unknown lesson \"%s\" (conctui --list shows them)",
		 escape_echo(q, name));
	return -1;
}
