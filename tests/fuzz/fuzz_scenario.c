/*
 * fuzz_scenario.c -- libFuzzer target: any bytes given to the scenario
 * parser either parse or give one "file:line: message" line; never a
 * crash, a leak or a half-built scenario.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct scenario sc;
	char err[512];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (scenario_parse(text, "fuzz.ini", &sc, err, sizeof err) == 0) {
		if (sc.ntasks < 1 || sc.ntasks > SCENARIO_MAX_TASKS)
			abort();
		scenario_free(&sc);
	} else if (strncmp(err, "fuzz.ini", 8) != 0 || fuzz_has_control(err)) {
		abort(); /* every message names the file, on one line */
	}
	free(text);
	return 0;
}
