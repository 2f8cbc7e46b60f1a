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
#include <stdint.h>

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
 * The blocking calls a Python client makes for one request, in order
 * (socket.socket(), connect(), sendall(), recv(), close()); CPython
 * releases the GIL around each of them.
 *    ENUM     name
 */
#define LATENCY_CALL_MAP(X)                                                                        \
	X(SOCKET, "socket()")                                                                      \
	X(CONNECT, "connect()")                                                                    \
	X(SEND, "sendall()")                                                                       \
	X(RECV, "recv()")                                                                          \
	X(CLOSE, "close()")

/* clang-format off */
enum latency_call {
#define X(e, n) LATENCY_##e,
	LATENCY_CALL_MAP(X)
#undef X
	LATENCY_CALL_COUNT
};
/* clang-format on */

/* One request made call by call, for a caller that does something between calls. */
struct latency_client {
	int fd;			     /* the connection; -1 before socket() and after close() */
	int port;		     /* the server's TCP port */
	char req[LATENCY_LINE_MAX];  /* the request line */
	size_t n;		     /* its length in bytes */
	char want[LATENCY_LINE_MAX]; /* the answer expected, without its newline */
	uint64_t deadline;	     /* CLOCK_MONOTONIC ns: give up after this */
	_Atomic int *cancel;	     /* non-zero: give up (may be NULL) */
};

const char *latency_call_name(enum latency_call k);
/* Prepares C for a request of MS ms to PORT (no system call); 0 or -EINVAL. */
int latency_client_open(struct latency_client *c, int port, double ms, _Atomic int *cancel);
/*
 * Makes call K of the request.  Returns 0, -ECANCELED or a negative errno;
 * after a failure, and after close(), the connection is closed, so a
 * caller that stops early only has to call LATENCY_CLOSE if it stops after
 * a success.
 */
int latency_client_call(struct latency_client *c, enum latency_call k);

/*
 * One blocking request: connect, ask for MS, wait for the answer.  Polls
 * CANCEL (if not NULL) at least every 10 ms.  Returns 0, -ECANCELED, or a
 * negative errno.
 */
int latency_request(int port, double ms, _Atomic int *cancel);

#endif
