/*
 * latency_priv.h -- what latency.c (the protocol and the client) and
 * latency_server.c (the server process) share: the bound on a wait and the
 * parser for the number both directions of the protocol carry.  Not for
 * other modules: they use latency.h.
 */
#ifndef CONCTUI_LATENCY_PRIV_H
#define CONCTUI_LATENCY_PRIV_H

#include <stddef.h>

#define LATENCY_MAX_MS 600000 /* the largest wait the protocol allows */

/*
 * Parses DIGITS[.DIGITS] in S[0..N) into MS (0 .. LATENCY_MAX_MS); 0 or -1.
 * S need not be NUL-terminated.  Locale-independent: see latency.c.
 */
int latency_parse_ms(const char *s, size_t n, double *ms);

#endif
