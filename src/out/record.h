/*
 * record.h -- the record format (--json, --replay): one run as JSON, read
 * and written with jansson.  The format is a contract (DESIGN.md).
 */
#ifndef CONCTUI_RECORD_H
#define CONCTUI_RECORD_H

#include <stddef.h>
#include <stdio.h>

#include "trace.h"

/* The value of "conctui" in the records this program writes and reads. */
#define RECORD_VERSION 1

/* Writes TR as one record; 0 or -1 (errno). */
int record_write(const struct trace *tr, FILE *f);
/* Writes { "conctui": 1, "compare": [record, ...] }. */
int record_write_compare(struct trace *const *trs, int n, FILE *f);
/*
 * Reads a record, or every record of a compare file, from PATH ("-" is
 * stdin).  Returns the number of traces (>= 1) stored in *OUT (free each
 * with trace_destroy and the array with free), or -1 with "file: message"
 * in ERR.  Any shape other than the format is an error, never a crash.
 */
int record_read(const char *path, struct trace ***out, char *err, size_t errlen);
/* The same from a buffer (for tests and fuzzing); NAME is used in messages. */
int record_read_buffer(const char *buf, size_t len, const char *name, struct trace ***out,
		       char *err, size_t errlen);

/*
 * Copies S into BUF (CAP bytes) as valid UTF-8, which is all JSON may hold:
 * a character cut off at the end is dropped, any other bad byte becomes
 * '?', and the copy stops before a character that does not fit.
 */
const char *record_clean_text(const char *s, char *buf, size_t cap);

#endif
