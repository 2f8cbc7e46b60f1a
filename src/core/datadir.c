/*
 * datadir.c -- finds conctui's data directories in the order datadir.h
 * states: the environment, the build tree beside the executable, the
 * installed tree relative to the executable, then the compiled-in path.
 *
 * Relative to the executable first and compiled-in last, so the prefix a
 * binary was built for matters only when it was copied away from its data.
 */
#include "datadir.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CONCTUI_DATADIR
#define CONCTUI_DATADIR "/usr/local/share/conctui"
#endif

/* ---- the candidates ---------------------------------------------------- */

/* The directory holding the running executable into OUT; false when unknown. */
static bool exe_dir(char *out, size_t outlen)
{
	ssize_t n = readlink("/proc/self/exe", out, outlen - 1);
	char *slash;

	if (n <= 0 || (size_t)n >= outlen - 1)
		return false;
	out[n] = '\0';
	slash = strrchr(out, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return true;
}

/* The root of candidate I (without the subdirectory) into OUT. */
static bool candidate_root(int i, char *out, size_t outlen)
{
	const char *env = getenv("CONCTUI_DATADIR");
	char bin[PATH_MAX], *slash;
	int w = -1;

	if (i == 0 && env && *env)
		w = snprintf(out, outlen, "%s", env);
	else if (i == 1 && exe_dir(bin, sizeof bin))
		w = snprintf(out, outlen, "%s/assets", bin);
	else if (i == 2 && exe_dir(bin, sizeof bin) && (slash = strrchr(bin, '/'))) {
		/* <bindir>/../share/conctui, written without "..": the path is resolved. */
		*slash = '\0';
		w = snprintf(out, outlen, "%s/share/conctui", bin);
	} else if (i == 3)
		w = snprintf(out, outlen, "%s", CONCTUI_DATADIR);
	return w > 0 && (size_t)w < outlen;
}

bool datadir_candidate(int i, const char *sub, char *out, size_t outlen)
{
	char root[PATH_MAX];
	int w;

	if (!outlen || !candidate_root(i, root, sizeof root))
		return false;
	w = snprintf(out, outlen, "%s/%s", root, sub);
	return w > 0 && (size_t)w < outlen;
}

/* ---- searching --------------------------------------------------------- */

static bool is_kind(const char *path, mode_t kind)
{
	struct stat st;

	return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == kind;
}

int datadir_find(const char *sub, char *out, size_t outlen)
{
	for (int i = 0; i < DATADIR_CANDIDATES; i++)
		if (datadir_candidate(i, sub, out, outlen) && is_kind(out, S_IFDIR))
			return 0;
	if (outlen)
		out[0] = '\0';
	return -1;
}

int datadir_find_file(const char *sub, const char *file, char *out, size_t outlen)
{
	char dir[PATH_MAX];

	for (int i = 0; i < DATADIR_CANDIDATES; i++) {
		if (!datadir_candidate(i, sub, dir, sizeof dir))
			continue;
		int w = snprintf(out, outlen, "%s/%s", dir, file);

		if (w > 0 && (size_t)w < outlen && is_kind(out, S_IFREG))
			return 0;
	}
	if (outlen)
		out[0] = '\0';
	return -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int datadir_list(const char *dir, const char *ext, char **names, int max)
{
	DIR *d = dir ? opendir(dir) : NULL;
	size_t elen = strlen(ext);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)) && n < max) {
		size_t len = strlen(e->d_name);
		if (len > elen && strcmp(e->d_name + len - elen, ext) == 0 &&
		    (names[n] = strndup(e->d_name, len - elen)))
			n++;
	}
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof names[0], by_name);
	return n;
}
