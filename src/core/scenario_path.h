/*
 * scenario_path.h -- finding scenario files: a name given on the command
 * line or in the menu becomes the path that scenario_load reads.
 *
 * These two functions were part of scenario.c and keep their scenario_
 * names, which many callers use; scenario.h includes this header so that
 * those callers need not change.
 */
#ifndef CONCTUI_SCENARIO_PATH_H
#define CONCTUI_SCENARIO_PATH_H

#include <stddef.h>

/*
 * Resolves NAME (a built-in scenario name or a path) to a file path in OUT.
 * Built-ins are NAME.ini in the "scenarios" subdirectory of the data
 * directories, searched in the order datadir.h states ($CONCTUI_DATADIR, the
 * build tree's assets/, <bindir>/../share/conctui, the compiled-in path).
 * Returns 0, or -1 with a message in ERR.
 */
int scenario_resolve(const char *name, char *out, size_t outlen, char *err, size_t errlen);
/* The first directory of built-in scenarios in that order, or NULL. */
const char *scenario_dir(void);

#endif
