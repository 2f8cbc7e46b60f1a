/*
 * latency.h -- the loopback latency server (the stand-in for the seeds'
 * remote web sites) and a blocking client for it.
 *
 * The server is a libuv loop in its own process, bound to 127.0.0.1 on an
 * ephemeral port.  Protocol, one request per connection:
 *     client: "WAIT <ms>\n"        (ms: a decimal number, 0 .. 600000)
 *     server: after <ms> ms, "OK <ms>\n", then closes.
 * Anything else, or a line longer than LATENCY_LINE_MAX, closes the
 * connection at once with no answer.
 */
#ifndef CONCTUI_LATENCY_H
#define CONCTUI_LATENCY_H

#include <stdatomic.h>
#include <stddef.h>

#define LATENCY_LINE_MAX 32

/*
 * Starts the server process unless it runs; returns its port, or -1 with ERR.
 * Main thread only: the server dies with the thread that forked it
 * (PR_SET_PDEATHSIG), so a worker thread ending would take it down.
 */
int latency_start(char *err, size_t errlen);
/* The running server's port, or 0. */
int latency_port(void);
/*
 * 1 when the server this process started has died since (a kill, a crash),
 * with a sentence saying how in BUF; it is then forgotten, so that the next
 * latency_start starts another.  0 while it lives or when none was started.
 */
int latency_died(char *buf, size_t len);
/* Ends and reaps the server (also registered with atexit). */
void latency_stop(void);

/* Writes the request line for MS into BUF; returns its length. */
size_t latency_format_request(char *buf, size_t len, double ms);
/* True when REPLY (NUL-terminated) is a complete, well-formed answer. */
int latency_reply_ok(const char *reply);

/*
 * One blocking request: connect, ask for MS, wait for the answer.  Polls
 * CANCEL (if not NULL) at least every 10 ms.  Returns 0, -ECANCELED, or a
 * negative errno.
 */
int latency_request(int port, double ms, _Atomic int *cancel);

#endif
