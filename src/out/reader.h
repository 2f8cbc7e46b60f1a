/*
 * reader.h -- reading JSON (jansson) one value at a time, each error naming
 * the file and the place: the record reader's tools, for every part of it.
 * Every function returns 0 (or the value) on success; on an error it writes
 * "file: place: message" into the reader's buffer and returns -1 (or NULL).
 */
#ifndef CONCTUI_READER_H
#define CONCTUI_READER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct reader {
	const char *name; /* the file, for messages */
	char *err;	  /* where the message goes */
	size_t errlen;	  /* bytes at err */
};

/* "an object", "an array", ... for messages. */
const char *reader_type_name(const json_t *v);
/* Writes "name: AT: message" and returns -1. */
__attribute__((format(printf, 3, 4))) int reader_fail(struct reader *rd, const char *at,
						      const char *fmt, ...);
/* "tasks[3]" + "name" -> "tasks[3].name"; the top level has no prefix. */
const char *reader_member_path(char *buf, size_t cap, const char *at, const char *key);
/* "tasks[3]" + "spans" + 7 -> "tasks[3].spans[7]". */
void reader_element_path(char *buf, size_t cap, const char *at, const char *key, size_t i);
/* The member KEY of OBJ, which must be there and be of type WANT (WHAT names it). */
json_t *reader_member(struct reader *rd, json_t *obj, const char *at, const char *key,
		      json_type want, const char *what);
/* Copies valid UTF-8 into a fixed field, never cutting a character in two. */
void reader_copy_field(char *dst, size_t cap, const char *src);
int reader_string(struct reader *rd, json_t *obj, const char *at, const char *key, char *dst,
		  size_t cap);
int reader_int(struct reader *rd, json_t *obj, const char *at, const char *key, json_int_t lo,
	       json_int_t hi, json_int_t *out);
/* A number from 0 to about 31 years in ms. */
int reader_number(struct reader *rd, json_t *obj, const char *at, const char *key, double *out);
/* A time in ms from the start of the run, as ns. */
int reader_time(struct reader *rd, json_t *obj, const char *at, const char *key, uint64_t *ns);
/* A name that LOOKUP turns into a value >= 0, else "unknown WHAT". */
int reader_name(struct reader *rd, json_t *obj, const char *at, const char *key,
		int (*lookup)(const char *), const char *what, int *out);
/* The elements of an array member, each checked to be an object. */
json_t *reader_list(struct reader *rd, json_t *obj, const char *at, const char *key);

#endif
