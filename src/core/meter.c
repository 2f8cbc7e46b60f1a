/*
 * meter.c -- memory per task, one definition (see meter.h).
 */
#include "meter.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The value of the "KEY: N kB" line of /proc/PID/FILE, in KiB; -1 if none. */
static double meter_proc_kib(pid_t pid, const char *file, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	double v = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			v = strtod(line + klen + 1, NULL);
			break;
		}
	fclose(f);
	return v;
}

double meter_process_kib(pid_t pid)
{
	double anon = meter_proc_kib(pid, "smaps_rollup", "Pss_Anon");
	double pte = meter_proc_kib(pid, "status", "VmPTE");

	if (anon < 0) /* before Linux 5.14: all of Pss, shared library pages too */
		anon = meter_proc_kib(pid, "smaps_rollup", "Pss");
	return anon < 0 || pte < 0 ? -1 : anon + pte;
}

int64_t meter_trace_bytes(const struct trace *tr)
{
	long page = sysconf(_SC_PAGESIZE);

	if (!tr || page <= 0 || (tr->flags & TRACE_SHARED))
		return 0;
	size_t n = (tr->map_size + (size_t)page - 1) / (size_t)page;
	unsigned char *vec = malloc(n);
	int64_t in = 0;

	if (!vec)
		return 0;
	if (mincore((void *)tr, tr->map_size, vec) == 0)
		for (size_t i = 0; i < n; i++)
			in += vec[i] & 1;
	free(vec);
	return in * page;
}

void meter_start(struct meter *m, const struct trace *tr)
{
#ifdef __GLIBC__
	/*
	 * Memory an earlier run freed is still resident in the allocator's
	 * arenas, and tasks reusing it would not count: hand it back first.
	 */
	malloc_trim(0);
#endif
	/* The trace first: its mincore() buffer is then in both readings. */
	m->tr = tr;
	m->trace0 = meter_trace_bytes(tr);
	m->kib0 = meter_process_kib(getpid());
}

double meter_per_task(const struct meter *m, int ntasks)
{
	double kib1 = meter_process_kib(getpid());

	if (m->kib0 < 0 || kib1 < 0 || ntasks <= 0)
		return 0;
	double grew = (kib1 - m->kib0) * 1024 - (double)(meter_trace_bytes(m->tr) - m->trace0);
	return grew > 0 ? grew / ntasks : 0;
}
