/*
 * scenario_path.c -- finds scenario files: built-in scenarios by name, in
 * $CONCTUI_DATADIR/scenarios, then next to the binary, then in the installed
 * data directory; anything that looks like a path is taken as it is.
 *
 * Split from scenario.c, which parses the files found here; neither needs
 * the other's internals.
 */
#include "scenario_path.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CONCTUI_DATADIR
#define CONCTUI_DATADIR "/usr/local/share/conctui"
#endif

/* ---- finding built-in scenarios ---------------------------------------- */

/* Directory I of the built-in search path into OUT; false when it does not apply. */
static bool builtin_dir(int i, char *out, size_t outlen)
{
	const char *env = getenv("CONCTUI_DATADIR");
	char exe[PATH_MAX];
	ssize_t n;
	int w;

	if (i == 0) {
		if (!env || !*env)
			return false;
		w = snprintf(out, outlen, "%s/scenarios", env);
	} else if (i == 1) {
		/* Next to the binary, so ./conctui works from a fresh build tree. */
		n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (n <= 0)
			return false;
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		w = snprintf(out, outlen, "%s/assets/scenarios", exe);
	} else {
		w = snprintf(out, outlen, "%s/scenarios", CONCTUI_DATADIR);
	}
	return w > 0 && (size_t)w < outlen;
}

#define BUILTIN_DIRS 3

static bool is_kind(const char *path, mode_t kind)
{
	struct stat st;

	return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == kind;
}

const char *scenario_dir(void)
{
	static char dir[PATH_MAX];

	for (int i = 0; i < BUILTIN_DIRS; i++)
		if (builtin_dir(i, dir, sizeof dir) && is_kind(dir, S_IFDIR))
			return dir;
	return NULL;
}

int scenario_resolve(const char *name, char *out, size_t outlen, char *err, size_t errlen)
{
	bool path =
	    strchr(name, '/') || (strlen(name) >= 4 && strcmp(strchr(name, '\0') - 4, ".ini") == 0);
	char dir[PATH_MAX];

	/* A path is taken as it is: scenario_load says what is wrong with it, if anything. */
	if (path && strlen(name) < outlen) {
		memcpy(out, name, strlen(name) + 1);
		return 0;
	}
	for (int i = 0; !path && *name && i < BUILTIN_DIRS; i++) {
		if (!builtin_dir(i, dir, sizeof dir))
			continue;
		int w = snprintf(out, outlen, "%s/%s.ini", dir, name);

		if (w > 0 && (size_t)w < outlen && is_kind(out, S_IFREG))
			return 0;
	}
	if (outlen)
		out[0] = '\0';
	if (err && errlen && path)
		snprintf(err, errlen, "%s: path too long", name);
	else if (err && errlen)
		snprintf(err, errlen, "unknown scenario \"%s\" (conctui --list shows them)", name);
	return -1;
}
