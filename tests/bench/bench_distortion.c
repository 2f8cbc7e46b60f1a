/*
 * bench_distortion.c -- does tracing change what it measures?
 *
 * trace_distortion_pct: the wall time of a CPU-bound run with every probe
 * (a clock read, a core read and a span check per 50 us chunk) against the
 * same binary built with the probes compiled out, in percent.  Runs
 * alternate between the two binaries so drifting load hits both alike,
 * and both are pinned to one calibration so that they do the same work;
 * the figure is the difference of the medians, and each pair's difference
 * is printed as a round.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "stats.h"
#include "work.h"

#define ROUNDS 9

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
	double a[ROUNDS], b[ROUNDS], pct[ROUNDS];

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
			   "[scenario]\n[task A]\nsteps = cpu 400\n[task B]\nsteps = cpu 400\n";
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return 1;
	close(fd);
	for (int i = 0; i < ROUNDS; i++) {
		a[i] = wall_of(traced, path);
		b[i] = wall_of(plain, path);
		pct[i] = (a[i] - b[i]) / b[i] * 100.0;
	}
	unlink(path);
	double ma = stats_median(a, ROUNDS), mb = stats_median(b, ROUNDS);
	bench_print("trace_distortion_pct", 2, (ma - mb) / mb * 100.0, "%", pct, ROUNDS);
	return 0;
}
