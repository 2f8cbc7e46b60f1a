/*
 * scenario_path.c -- finds scenario files: a built-in name is looked up in
 * the "scenarios" subdirectory of each data directory, in the order
 * datadir.h states; anything that looks like a path is taken as it is.
 *
 * Split from scenario.c, which parses the files found here; neither needs
 * the other's internals.
 */
#include "scenario_path.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "datadir.h"
#include "escape.h"

/* The subdirectory of a data directory that holds the built-in scenarios. */
#define SCENARIO_SUBDIR "scenarios"

const char *scenario_dir(void)
{
	static char dir[PATH_MAX];

	return datadir_find(SCENARIO_SUBDIR, dir, sizeof dir) == 0 ? dir : NULL;
}

int scenario_resolve(const char *name, char *out, size_t outlen, char *err, size_t errlen)
{
	bool path =
	    strchr(name, '/') || (strlen(name) >= 4 && strcmp(strchr(name, '\0') - 4, ".ini") == 0);
	char file[NAME_MAX + 1], q[ESCAPE_ECHO_SIZE];
	int w;

	/* A path is taken as it is: scenario_load says what is wrong with it, if anything. */
	if (path && strlen(name) < outlen) {
		memcpy(out, name, strlen(name) + 1);
		return 0;
	}
	w = snprintf(file, sizeof file, "%s.ini", name);
	if (!path && *name && w > 0 && (size_t)w < sizeof file &&
	    datadir_find_file(SCENARIO_SUBDIR, file, out, outlen) == 0)
		return 0;
	if (outlen)
		out[0] = '\0';
	if (err && errlen && path)
		snprintf(err, errlen, "%s: path too long", escape_echo(q, name));
	else if (err && errlen)
		snprintf(err, errlen, "unknown scenario \"%s\" (conctui --list shows them)",
			 escape_echo(q, name));
	return -1;
}
