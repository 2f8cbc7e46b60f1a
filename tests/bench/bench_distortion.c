/*
 * bench_distortion.c -- does tracing change what it measures?
 *
 * trace_distortion_pct: the wall time of a CPU-bound run with every probe
 * (a clock read, a core read and a span check per 50 us chunk) against the
 * same binary built with the probes compiled out, in percent.  Both are
 * pinned to one calibration so that they do the same work.  A round is a
 * pair of runs, one of each binary back to back, their order swapped every
 * round so that a machine speeding up or slowing down favours neither; the
 * figure is the median of the rounds' differences, so a round that another
 * process disturbed moves it little.  On a shared two-core machine the
 * speed of a core drifts by several percent over seconds, and a run that
 * loses one 4 ms slice to another process is 8% off, while the probe costs
 * a few tenths of a percent: hence many short runs (50 ms), each pair
 * close in time.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "stats.h"
#include "work.h"

#define ROUNDS 61

/* Wall ms of one sequential run of SCENARIO with BIN, from its record. */
static double wall_of(const char *bin, const char *scenario)
{
	char cmd[8192];
	json_error_t jerr;

	snprintf(cmd, sizeof cmd, "'%s' --batch --json - -b sequential '%s'", bin, scenario);
	FILE *p = popen(cmd, "r");
	if (!p) {
		perror("popen");
		exit(1);
	}
	json_t *rec = json_loadf(p, 0, &jerr);
	if (pclose(p) != 0 || !rec) {
		fprintf(stderr, "bench_distortion: %s failed\n", cmd);
		exit(1);
	}
	double wall = json_real_value(json_object_get(rec, "wall_ms"));
	json_decref(rec);
	return wall;
}

int main(void)
{
	const char *traced = getenv("CONCTUI_BIN"), *plain = getenv("CONCTUI_NOPROBE_BIN");
	char path[] = "/tmp/conctui-distortion-XXXXXX";
	double pct[ROUNDS];

	if (!traced || !plain) {
		fprintf(stderr, "bench_distortion: set CONCTUI_BIN and CONCTUI_NOPROBE_BIN\n");
		return 1;
	}
	char speed[32];
	snprintf(speed, sizeof speed, "%llu", (unsigned long long)work_iters_per_ms());
	setenv("CONCTUI_CALIBRATION", speed, 1);
	int fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		return 1;
	}
	const char *text = "; CPU-bound work for the distortion bench\n"
			   "[scenario]\n[task A]\nsteps = cpu 25\n[task B]\nsteps = cpu 25\n";
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return 1;
	close(fd);
	for (int i = 0; i < ROUNDS; i++) {
		double a, b;
		if (i % 2 == 0) {
			a = wall_of(traced, path);
			b = wall_of(plain, path);
		} else {
			b = wall_of(plain, path);
			a = wall_of(traced, path);
		}
		pct[i] = (a - b) / b * 100.0;
	}
	unlink(path);
	bench_median("trace_distortion_pct", 2, "%", pct, ROUNDS);
	return 0;
}
