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
 * Built-ins are looked up in $CONCTUI_DATADIR/scenarios, then next to the
 * binary (assets/scenarios), then in the installed data directory.
 * Returns 0, or -1 with a message in ERR.
 */
int scenario_resolve(const char *name, char *out, size_t outlen, char *err, size_t errlen);
/* The directory of built-in scenarios found as above, or NULL. */
const char *scenario_dir(void);

#endif
