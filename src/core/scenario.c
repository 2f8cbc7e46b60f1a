/*
 * scenario.c -- reads scenario files (INI, through libinih) into a struct
 * scenario: the file, libinih's two callbacks, and the words (names,
 * numbers) that every part of the parser reads.  What sections, keys and
 * steps mean is in the other scenario_*.c files (scenario_priv.h lists
 * them); finding the files (built-in names, the data directories) is
 * scenario_path.c's job.
 *
 * libinih hands us each `key = value` pair, but the Debian build tells the
 * handler neither the line number (INI_HANDLER_LINENO is off) nor about
 * sections that hold no keys.  So we feed it through our own line reader:
 * the reader counts lines and notices section headers, and every message can
 * then name the line it is about.
 */
#include "scenario_priv.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"

/* ---- errors and words -------------------------------------------------- */

/* Records the first error only: later ones are usually its consequences. */
bool scenario_fail(struct parse *p, int line, const char *fmt, ...)
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

const char *scenario_skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Length of S[0..len) without blanks at either end; *START moves past leading ones. */
size_t scenario_trim(const char **start, size_t len)
{
	const char *s = *start;

	while (len > 0 && isspace((unsigned char)*s))
		s++, len--;
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	*start = s;
	return len;
}

/* ---- numbers ----------------------------------------------------------- */

/* A whole number in [MIN, MAX] made of digits only, or -1. */
long scenario_count(const char *s, long min, long max)
{
	long v = 0;

	if (!*s || strlen(s) > 9)
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v >= min && v <= max ? v : -1;
}

/* A finite decimal number filling all of S[0..len); false when it is not one. */
bool scenario_number(const char *s, size_t len, double *out)
{
	char buf[64], *end;

	/* strtod would also take "inf", "nan" and hex; a duration is plain decimal. */
	if (len == 0 || len >= sizeof buf || strspn(s, "0123456789.eE+-") < len)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	return end == buf + len && errno == 0 && isfinite(*out);
}

/* Task and lock names: letters, digits, '-' and '_'. */
bool scenario_valid_name(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

/* ---- libinih's callbacks ---------------------------------------------- */

/*
 * libinih's handler.  Its SECTION is ours too: scenario_section_see
 * followed the same lines.
 */
static int on_key(void *user, const char *section, const char *key, const char *v)
{
	struct parse *p = user;
	bool cont = p->indented && p->prev_key;
	char q[ESCAPE_ECHO_SIZE];

	(void)section;
	if (p->failed)
		return 0;
	p->prev_key = true;
	if (!*key)
		scenario_fail(p, p->line, "missing key before \"=\"");
	else if (p->sec == SEC_SCENARIO)
		scenario_key_scenario(p, key, v, cont);
	else if (p->sec == SEC_TASK)
		scenario_key_task(p, &p->tmpls[p->ntmpls - 1], key, v, cont);
	else
		scenario_fail(p, p->line, "\"%s\" is outside any section (start with [scenario])",
			      escape_echo(q, key));
	return !p->failed;
}

static int next_char(struct parse *p)
{
	if (p->fp)
		return getc(p->fp);
	return *p->text ? (unsigned char)*p->text++ : EOF;
}

/*
 * libinih's reader: hands it one whole line at a time and counts them, so
 * p->line is the line libinih is working on when it calls on_key.
 */
static char *read_line(char *buf, int size, void *stream)
{
	struct parse *p = stream;
	bool nul = false, too_long = false;
	int n = 0, c;

	if (p->failed)
		return NULL;
	while ((c = next_char(p)) != EOF && c != '\n') {
		if (c == '\0')
			nul = true;
		else if (n < size - 2)
			buf[n++] = (char)c;
		else
			too_long = true;
	}
	if (c == EOF && p->fp && ferror(p->fp)) {
		scenario_fail(p, 0, "%s", strerror(errno));
		return NULL;
	}
	if (c == EOF && n == 0 && !nul && !too_long)
		return NULL;
	p->line++;
	if (nul)
		scenario_fail(p, p->line, "not a text file (NUL byte)");
	else if (too_long)
		scenario_fail(p, p->line, "line too long (at most %d characters)", size - 2);
	buf[n++] = '\n';
	buf[n] = '\0';
	scenario_section_see(p, buf);
	return p->failed ? NULL : buf;
}

/* ---- the file --------------------------------------------------------- */

/* What a scenario is before its file says otherwise. */
static void set_defaults(struct parse *p)
{
	struct scenario *sc = p->sc;
	const char *base = strrchr(p->file, '/');
	size_t len;

	memset(sc, 0, sizeof *sc);
	base = base ? base + 1 : p->file;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".ini") == 0)
		len -= 4;
	if (len >= sizeof sc->name)
		len = sizeof sc->name - 1;
	memcpy(sc->name, base, len);
	strcpy(sc->backend, "sequential");
	sc->wait = WAIT_ALL;
	sc->main_task = -1;
}

/* Runs libinih over P's input and turns what it saw into P->sc. */
static int parse_input(struct parse *p)
{
	int rc;

	set_defaults(p);
	p->err_line = -1;
	rc = ini_parse_stream(read_line, p, on_key, p);
	if (rc > 0 && (!p->failed || rc < p->err_line)) {
		/* libinih found a line that is neither a section, a key nor a comment. */
		p->failed = false;
		scenario_fail(p, rc, "expected \"[section]\" or \"key = value\"");
	} else if (rc < 0) {
		scenario_fail(p, 0, "out of memory");
	}
	if (!p->failed && scenario_section_close(p) &&
	    (p->have_scenario || scenario_fail(p, 0, "no [scenario] section")) &&
	    (p->ntmpls > 0 || scenario_fail(p, 0, "no tasks (add a [task NAME] section)")))
		scenario_build(p);
	free(p->tmpls);
	if (p->steps)
		scenario_step_free_texts(p->steps, p->nsteps);
	free(p->steps);
	if (p->failed) {
		scenario_free(p->sc);
		return -1;
	}
	if (!p->sc->title[0])
		memcpy(p->sc->title, p->sc->name, sizeof p->sc->name);
	return 0;
}

int scenario_parse(const char *text, const char *filename, struct scenario *sc, char *err,
		   size_t errlen)
{
	struct parse p = {
	    .file = filename ? filename : "(string)",
	    .sc = sc,
	    .text = text ? text : "",
	    .err = err,
	    .errlen = errlen,
	};

	return parse_input(&p);
}

/* Reports a file-level problem as "file: message" and leaves SC empty. */
static int load_error(const char *path, struct scenario *sc, const char *msg, char *err,
		      size_t errlen)
{
	char file[512];

	memset(sc, 0, sizeof *sc);
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", escape_text(file, sizeof file, path, -1, 0), msg);
	return -1;
}

int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen)
{
	struct parse p = {.file = path, .sc = sc, .err = err, .errlen = errlen};
	struct stat st;
	int fd, rc;

	/* O_NONBLOCK: a FIFO must not hang us before fstat can refuse it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return load_error(path, sc, strerror(errno), err, errlen);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = errno;

		close(fd);
		return load_error(path, sc,
				  S_ISREG(st.st_mode) ? strerror(e) : "not a regular file", err,
				  errlen);
	}
	if (!(p.fp = fdopen(fd, "r"))) {
		close(fd);
		return load_error(path, sc, strerror(errno), err, errlen);
	}
	rc = parse_input(&p);
	fclose(p.fp);
	return rc;
}

void scenario_free(struct scenario *sc)
{
	if (!sc)
		return;
	for (int i = 0; i < sc->nnarration; i++) {
		free(sc->narration[i]);
		free(sc->narration_for[i]);
	}
	free(sc->tasks);
	if (sc->steps)
		scenario_step_free_texts(sc->steps, sc->nsteps);
	free(sc->steps);
	memset(sc, 0, sizeof *sc);
}
