/*
 * fuzz_util.h -- what every fuzz target asks of a message: it is one line
 * that no input can turn into terminal control.
 */
#ifndef CONCTUI_FUZZ_UTIL_H
#define CONCTUI_FUZZ_UTIL_H

#include <stdbool.h>

/* True when MSG holds a byte that would drive a terminal: C0 controls
 * (a newline included) or DEL. */
static inline bool fuzz_has_control(const char *msg)
{
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

#endif
