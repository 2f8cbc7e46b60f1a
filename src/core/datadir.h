/*
 * datadir.h -- where conctui's data files are: one search order for every
 * kind of data (scenarios today; lessons and programs share it), so that a
 * binary installed under any prefix, or staged with DESTDIR and moved, finds
 * the files installed beside it.
 *
 * The order, first match wins (a candidate counts only when it holds the
 * subdirectory asked for):
 *
 *   0. $CONCTUI_DATADIR, when set and not empty;
 *   1. <dir of the executable>/assets: a build tree, where ./conctui sits
 *      beside assets/;
 *   2. <dir of the executable>/../share/conctui: an installed tree, wherever
 *      PREFIX or DESTDIR put it (the executable's path is /proc/self/exe,
 *      with symbolic links resolved);
 *   3. the data directory compiled in from PREFIX at build time.
 */
#ifndef CONCTUI_DATADIR_H
#define CONCTUI_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

/* How many candidates datadir_candidate knows, numbered as above. */
#define DATADIR_CANDIDATES 4

/*
 * Candidate I's subdirectory SUB ("scenarios", "lessons", ...) as a path in
 * OUT, whether or not it exists; false when the candidate does not apply
 * (the variable is unset, the executable's path is unknown) or OUT is short.
 */
bool datadir_candidate(int i, const char *sub, char *out, size_t outlen);

/* The first candidate's SUB that is a directory, in OUT; 0, or -1 when none is. */
int datadir_find(const char *sub, char *out, size_t outlen);

/*
 * The first candidate's SUB/FILE that is a regular file, in OUT: a file
 * missing from $CONCTUI_DATADIR is still found where it is installed.
 * Returns 0, or -1 when none has it.
 */
int datadir_find_file(const char *sub, const char *file, char *out, size_t outlen);

/*
 * The names of DIR's files that end in EXT (".ini"), without it, sorted,
 * at most MAX of them into NAMES (each to free).  Returns how many; a
 * directory that cannot be read has none.
 */
int datadir_list(const char *dir, const char *ext, char **names, int max);

#endif
