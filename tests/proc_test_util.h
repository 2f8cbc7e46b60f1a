/*
 * proc_test_util.h -- what the kernel says of a thread or process, for tests
 * that wait for an event (asleep in a wait, dead and not yet reaped) instead
 * of sleeping for a time.
 */
#ifndef CONCTUI_PROC_TEST_UTIL_H
#define CONCTUI_PROC_TEST_UTIL_H

#include <stdio.h>
#include <string.h>

/*
 * The state letter in the stat file PATH ("/proc/PID/stat" or
 * "/proc/self/task/TID/stat"): 'S' asleep in a wait, 'Z' dead and not yet
 * reaped; '?' when the file is gone.
 */
static inline char proc_stat_state(const char *path)
{
	char buf[512], st = '?';
	FILE *f = fopen(path, "r");

	if (!f)
		return '?';
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *close = strrchr(buf, ')'); /* the name may hold spaces */
	if (close)
		sscanf(close + 1, " %c", &st);
	return st;
}

#endif
