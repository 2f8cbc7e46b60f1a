/*
 * reader.c -- reading JSON one value at a time, each error naming its place
 * ("rec.json: tasks[3].spans[7]: unknown state \"runing\"").
 */
#include "reader.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

#define READER_MAX_MS 1e12 /* about 31 years: beyond is nonsense */

int reader_fail(struct reader *rd, const char *at, const char *fmt, ...)
{
	char msg[256], safe[512], name[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* Values were escaped where they were put in; this holds for any that were not. */
	escape_text(safe, sizeof safe, msg, -1, 0);
	escape_text(name, sizeof name, rd->name, -1, 0);
	if (rd->errlen > 0)
		snprintf(rd->err, rd->errlen, "%s: %s%s%s", name, at, *at ? ": " : "", safe);
	return -1;
}

/*
 * Formats a path such as "compare[9].tasks[99999].spans[262143].reason".
 * Paths are short; a cut one ends in "..." and only costs a message's end.
 */
__attribute__((format(printf, 3, 4))) static void path_printf(char *buf, size_t cap,
							      const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= cap && cap > 4)
		memcpy(buf + cap - 4, "...", 4);
}

/* "tasks[3]" + "name" -> "tasks[3].name"; the top level has no prefix. */
const char *reader_member_path(char *buf, size_t cap, const char *at, const char *key)
{
	path_printf(buf, cap, "%s%s%s", at, *at ? "." : "", key);
	return buf;
}

/* "tasks[3]" + "spans" + 7 -> "tasks[3].spans[7]". */
void reader_element_path(char *buf, size_t cap, const char *at, const char *key, size_t i)
{
	path_printf(buf, cap, "%s%s%s[%zu]", at, *at ? "." : "", key, i);
}

const char *reader_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* The member KEY of OBJ, which must be there and be of type WANT. */
json_t *reader_member(struct reader *rd, json_t *obj, const char *at, const char *key,
		      json_type want, const char *what)
{
	json_t *v = json_object_get(obj, key);
	char where[160];
	bool ok;

	if (!v) {
		reader_fail(rd, at, "missing \"%s\"", key);
		return NULL;
	}
	ok = json_typeof(v) == want || (want == JSON_REAL && json_is_integer(v));
	if (!ok) {
		reader_fail(rd, reader_member_path(where, sizeof where, at, key),
			    "expected %s, not %s", what, reader_type_name(v));
		return NULL;
	}
	return v;
}

/* Copies valid UTF-8 into a fixed field, never cutting a character in two. */
void reader_copy_field(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		n = escape_utf8_cut(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int reader_string(struct reader *rd, json_t *obj, const char *at, const char *key, char *dst,
		  size_t cap)
{
	json_t *v = reader_member(rd, obj, at, key, JSON_STRING, "a string");

	if (!v)
		return -1;
	reader_copy_field(dst, cap, json_string_value(v));
	return 0;
}

int reader_int(struct reader *rd, json_t *obj, const char *at, const char *key, json_int_t lo,
	       json_int_t hi, json_int_t *out)
{
	json_t *v = reader_member(rd, obj, at, key, JSON_INTEGER, "an integer");
	char where[160];

	if (!v)
		return -1;
	*out = json_integer_value(v);
	if (*out < lo || *out > hi)
		return reader_fail(rd, reader_member_path(where, sizeof where, at, key),
				   "%" JSON_INTEGER_FORMAT " is out of range (%" JSON_INTEGER_FORMAT
				   " to %" JSON_INTEGER_FORMAT ")",
				   *out, lo, hi);
	return 0;
}

int reader_number(struct reader *rd, json_t *obj, const char *at, const char *key, double *out)
{
	json_t *v = reader_member(rd, obj, at, key, JSON_REAL, "a number");
	char where[160];

	if (!v)
		return -1;
	*out = json_number_value(v);
	if (*out < 0)
		return reader_fail(rd, reader_member_path(where, sizeof where, at, key),
				   "negative value %g", *out);
	if (!(*out <= READER_MAX_MS))
		return reader_fail(rd, reader_member_path(where, sizeof where, at, key),
				   "%g is out of range", *out);
	return 0;
}

/* A time in ms from the start of the run, as ns. */
int reader_time(struct reader *rd, json_t *obj, const char *at, const char *key, uint64_t *ns)
{
	double ms;

	if (reader_number(rd, obj, at, key, &ms))
		return -1;
	*ns = (uint64_t)llround(ms * 1e6);
	return 0;
}

int reader_name(struct reader *rd, json_t *obj, const char *at, const char *key,
		int (*lookup)(const char *), const char *what, int *out)
{
	json_t *v = reader_member(rd, obj, at, key, JSON_STRING, "a string");
	char where[160], q[ESCAPE_ECHO_SIZE];

	if (!v)
		return -1;
	*out = lookup(json_string_value(v));
	if (*out < 0)
		return reader_fail(rd, reader_member_path(where, sizeof where, at, key),
				   "unknown %s \"%s\"", what, escape_echo(q, json_string_value(v)));
	return 0;
}

/* The elements of an array member, each checked to be an object. */
json_t *reader_list(struct reader *rd, json_t *obj, const char *at, const char *key)
{
	json_t *list = reader_member(rd, obj, at, key, JSON_ARRAY, "an array");
	char where[160];
	size_t i;
	json_t *v;

	if (!list)
		return NULL;
	json_array_foreach(list, i, v)
	{
		if (!json_is_object(v)) {
			reader_element_path(where, sizeof where, at, key, i);
			reader_fail(rd, where, "expected an object, not %s", reader_type_name(v));
			return NULL;
		}
	}
	return list;
}
