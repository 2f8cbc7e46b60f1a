/*
 * fuzz_record.c -- libFuzzer target: any bytes given to the record reader
 * (--replay) either read as traces or give one message naming the file;
 * never a crash or a leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

#include "record.h"
#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace **trs = NULL;
	char err[512];
	int n = record_read_buffer((const char *)data, size, "fuzz.json", &trs, err, sizeof err);

	if (n < 0) {
		if (strncmp(err, "fuzz.json", 9) != 0 || fuzz_has_control(err))
			abort();
		return 0;
	}
	for (int i = 0; i < n; i++)
		trace_destroy(trs[i]);
	free(trs);
	return 0;
}
