/*
 * fuzz_lesson.c -- libFuzzer target: any bytes given to the lesson parser
 * either parse or give one "file:line: message" line; never a crash, a leak
 * or a half-built lesson.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

#include "lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct lesson l;
	char err[512];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (lesson_parse(text, "fuzz.ini", &l, err, sizeof err) == 0) {
		if (l.nbeats < 1 || l.nbeats > LESSON_MAX_BEATS)
			abort();
		for (int i = 0; i < l.nbeats; i++) {
			const struct lesson_beat *b = &l.beats[i];
			double v[LESSON_FIG_COUNT] = {0};
			if (b->question && (b->nchoice < 2 || !b->has_answer))
				abort();
			if (b->has_answer && !b->answer.selector)
				(void)lesson_answer_eval(&b->answer, v, NULL, NULL);
		}
		lesson_free(&l);
	} else if (strncmp(err, "fuzz.ini", 8) != 0 || fuzz_has_control(err)) {
		abort(); /* every message names the file, on one line */
	}
	free(text);
	return 0;
}
