/*
 * bench_idle.c -- what the TUI costs while nothing moves.
 *
 * idle_cpu_pct: ./conctui --replay of a small record in a private tmux
 * server, left on its finished screen; its user + system CPU time over
 * three seconds, as a percent of one core (each second is a round; a
 * clock tick is 1 % of a second, so the total is the figure).  Frames are drawn only while
 * something moves, so this should be about zero: a program that polls or
 * redraws on a timer shows up here.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

#define MEASURE_S 3

static char sock[64];

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/*
 * Runs tmux ARGS on the private server; into OUT its first output line, or
 * the line that says DONE when there is one.
 */
static int tmux(char *out, size_t len, const char *args)
{
	char cmd[8192], line[4096];
	FILE *p;

	snprintf(cmd, sizeof cmd, "tmux -L %s %s", sock, args);
	if (!(p = popen(cmd, "r")))
		return -1;
	if (out)
		out[0] = '\0';
	while (fgets(line, sizeof line, p))
		if (out && strstr(line, "DONE"))
			snprintf(out, len, "%s", line);
		else if (out && !out[0])
			snprintf(out, len, "%s", line);
	return pclose(p) == 0 ? 0 : -1;
}

/* utime + stime of PID in clock ticks, or -1. */
static long cpu_ticks(long pid)
{
	char path[64], buf[2048];
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields after the command name, which may hold spaces: from the last ')'. */
	char *p = strrchr(buf, ')');
	unsigned long ut, st;
	if (!p ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (long)(ut + st);
}

static void stop(void)
{
	tmux(NULL, 0, "kill-server 2>/dev/null");
}

int main(void)
{
	const char *bin = getenv("CONCTUI_BIN"), *data = getenv("CONCTUI_DATADIR");
	char fixture[4096], cmd[8192], out[4096];
	long pid;

	if (!bin || !data) {
		fprintf(stderr,
			"bench_idle: CONCTUI_BIN and CONCTUI_DATADIR must be set (make bench)\n");
		return 1;
	}
	snprintf(sock, sizeof sock, "conctui-bench-%ld", (long)getpid());
	snprintf(fixture, sizeof fixture, "%s/../tests/e2e/fixtures/gil.json", data);
	/* exec: the pane's process is the program itself. */
	snprintf(cmd, sizeof cmd,
		 "-f /dev/null new-session -d -P -F '#{pane_pid}' -x 100 -y 30 "
		 "\"exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen CONCTUI_DATADIR='%s' '%s' "
		 "--replay '%s'\"",
		 data, bin, fixture);
	if (tmux(out, sizeof out, cmd) < 0 || (pid = strtol(out, NULL, 10)) <= 0) {
		fprintf(stderr, "bench_idle: cannot start %s in tmux\n", bin);
		stop();
		return 1;
	}
	atexit(stop);
	/* Drawn and finished: the badge says DONE; then let the last frame go by. */
	for (int i = 0; i < 100; i++) {
		if (tmux(out, sizeof out, "capture-pane -p 2>/dev/null") == 0 &&
		    strstr(out, "DONE"))
			break;
		sleep_ms(100);
	}
	if (!strstr(out, "DONE")) {
		fprintf(stderr, "bench_idle: the replay never showed DONE\n");
		return 1;
	}
	sleep_ms(500);
	long t[MEASURE_S + 1];
	double each[MEASURE_S], hz = (double)sysconf(_SC_CLK_TCK);
	t[0] = cpu_ticks(pid);
	for (int s = 1; s <= MEASURE_S; s++) {
		sleep_ms(1000);
		t[s] = cpu_ticks(pid);
		if (t[s - 1] < 0 || t[s] < 0) {
			fprintf(stderr, "bench_idle: cannot read /proc/%ld/stat\n", pid);
			return 1;
		}
		each[s - 1] = (double)(t[s] - t[s - 1]) / hz * 100.0;
	}
	double pct = (double)(t[MEASURE_S] - t[0]) / hz / MEASURE_S * 100.0;
	bench_print("idle_cpu_pct", 2, pct, "%", each, MEASURE_S);
	return 0;
}
