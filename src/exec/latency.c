/*
 * latency.c -- the latency protocol and the blocking client.
 *
 * The seeds download web pages; here an `io MS` step asks a server on
 * 127.0.0.1 to answer after MS ms.  This file holds the two lines of the
 * protocol (writing a request, checking a reply, reading a number) and the
 * client the thread and process executors block in.  The server itself, a
 * forked child running its own libuv loop, is in latency_server.c.
 *
 * The client polls its cancel flag every LATENCY_SLICE_MS while it connects,
 * sends and waits, so a cancelled task gives up its connection at once
 * rather than when the server answers.
 */
#include "latency.h"

#include "clock.h"
#include "latency_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define LATENCY_SLICE_MS 10    /* the client looks at its cancel flag this often */
#define LATENCY_GRACE_MS 60000 /* beyond the wait, how long a client waits for a reply */

/* ---------------------------------------------------------------------------
 * The protocol: "WAIT <ms>\n" and "OK <ms>\n"
 *
 * Numbers are written and read by hand rather than with printf("%f") and
 * strtod, because both follow LC_NUMERIC and the UI sets a locale for wide
 * characters: in de_DE "800,5" would reach the server.
 * ------------------------------------------------------------------------ */

/* Shared through latency_priv.h: the server reads requests with it. */
int latency_parse_ms(const char *s, size_t n, double *ms)
{
	double v = 0, scale = 1;
	size_t i = 0;

	if (n == 0 || s[0] < '0' || s[0] > '9')
		return -1;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > LATENCY_MAX_MS)
			return -1;
	}
	if (i < n && s[i] == '.') {
		if (++i == n)
			return -1;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			v += (s[i] - '0') * (scale /= 10);
	}
	if (i != n || v > LATENCY_MAX_MS)
		return -1;
	*ms = v;
	return 0;
}

/*
 * The number is sent to the microsecond ("%.3f") with trailing zeros
 * trimmed, so 800 travels as "800" and 0.25 as "0.25".  Returns 0 (and
 * sends nothing) for a wait the server would refuse: negative, NaN, or
 * beyond ten minutes.
 */
size_t latency_format_request(char *buf, size_t len, double ms)
{
	if (!(ms >= 0 && ms <= LATENCY_MAX_MS))
		return 0;
	unsigned long long us = (unsigned long long)llround(ms * 1000);
	unsigned frac = (unsigned)(us % 1000);
	int n;

	if (frac == 0)
		n = snprintf(buf, len, "WAIT %llu\n", us / 1000);
	else if (frac % 100 == 0)
		n = snprintf(buf, len, "WAIT %llu.%u\n", us / 1000, frac / 100);
	else if (frac % 10 == 0)
		n = snprintf(buf, len, "WAIT %llu.%02u\n", us / 1000, frac / 10);
	else
		n = snprintf(buf, len, "WAIT %llu.%03u\n", us / 1000, frac);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

int latency_reply_ok(const char *reply)
{
	double ms;
	size_t n = strlen(reply);

	return n > 4 && n <= LATENCY_LINE_MAX && memcmp(reply, "OK ", 3) == 0 &&
	       reply[n - 1] == '\n' && latency_parse_ms(reply + 3, n - 4, &ms) == 0;
}

/* ---------------------------------------------------------------------------
 * The blocking client, for thread and process executors
 * ------------------------------------------------------------------------ */

/* Waits until FD has EVENTS, watching CANCEL every slice; 0 or -errno. */
static int client_wait(int fd, short events, uint64_t deadline, _Atomic int *cancel)
{
	struct pollfd p = {.fd = fd, .events = events};

	for (;;) {
		if (cancel != NULL && atomic_load(cancel) != 0)
			return -ECANCELED;
		uint64_t now = clock_now_ns();

		if (now >= deadline)
			return -ETIMEDOUT;
		uint64_t left = (deadline - now + CLOCK_NS_PER_MS - 1) / CLOCK_NS_PER_MS;
		int slice = left > INT_MAX ? INT_MAX : (int)left;

		if (cancel != NULL && slice > LATENCY_SLICE_MS)
			slice = LATENCY_SLICE_MS;
		int n = poll(&p, 1, slice);

		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

/* A connect that goes on by polling once its slice is up (see client_socket). */
static int client_connect(int fd, int port, uint64_t deadline, _Atomic int *cancel)
{
	struct sockaddr_in a = {
	    .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int soerr = 0;
	socklen_t len = sizeof soerr;

	if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
		return 0;
	if (errno != EINPROGRESS && errno != EINTR && errno != EAGAIN)
		return -errno;
	int rc = client_wait(fd, POLLOUT, deadline, cancel);

	if (rc != 0)
		return rc;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
		return -errno;
	return -soerr;
}

static int client_send(int fd, const char *buf, size_t len, uint64_t deadline, _Atomic int *cancel)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL); /* no SIGPIPE if it left */

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		int rc = client_wait(fd, POLLOUT, deadline, cancel);

		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Reads one line into BUF (NUL-terminated); 0, -EPROTO, or -errno. */
static int client_recv_line(int fd, char *buf, size_t size, uint64_t deadline, _Atomic int *cancel)
{
	size_t len = 0;

	for (;;) {
		int rc = client_wait(fd, POLLIN, deadline, cancel);

		if (rc != 0)
			return rc;
		ssize_t n = recv(fd, buf + len, size - 1 - len, 0);

		if (n == 0) /* closed without an answer: refused, or a partial line */
			return len == 0 ? -ECONNRESET : -EPROTO;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				continue;
			return -errno;
		}
		len += (size_t)n;
		buf[len] = '\0';
		if (memchr(buf, '\n', len) != NULL)
			return 0;
		if (len == size - 1)
			return -EPROTO;
	}
}

/* The calls in the order a client makes them, and their names. */
static const char *const latency_call_names[] = {
#define X(e, n) n,
    LATENCY_CALL_MAP(X)
#undef X
};

const char *latency_call_name(enum latency_call k)
{
	return (unsigned)k < LATENCY_CALL_COUNT ? latency_call_names[k] : "?";
}

int latency_client_open(struct latency_client *c, int port, double ms, _Atomic int *cancel)
{
	memset(c, 0, sizeof *c);
	c->fd = -1;
	c->n = latency_format_request(c->req, sizeof c->req, ms);
	if (c->n == 0 || port <= 0 || port > 65535)
		return -EINVAL;
	c->port = port;
	c->cancel = cancel;
	/* The server echoes the number exactly as sent. */
	snprintf(c->want, sizeof c->want, "OK %.*s", (int)(c->n - 5), c->req + 5);
	/* A bound on the wait, so a wedged server cannot hang a task forever. */
	c->deadline = clock_now_ns() + clock_ms_to_ns(ms + LATENCY_GRACE_MS);
	return 0;
}

/*
 * A blocking socket, as Python's (timeout None), so that connect() and
 * sendall() block in the kernel as a Python client's do; the send timeout
 * bounds each blocking connect or send to a slice (they then fail with
 * EINPROGRESS or EAGAIN and go on by polling), so a full backlog still
 * cannot outlast a cancel.
 */
static int client_socket(struct latency_client *c)
{
	struct timeval slice = {.tv_usec = LATENCY_SLICE_MS * 1000};

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	if (setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &slice, sizeof slice) != 0)
		return -errno;
	return 0;
}

/* The call K itself; the connection is left for latency_client_call to close. */
static int client_do(struct latency_client *c, enum latency_call k)
{
	char got[LATENCY_LINE_MAX + 1];
	int rc;

	switch (k) {
	case LATENCY_SOCKET:
		return client_socket(c);
	case LATENCY_CONNECT:
		return client_connect(c->fd, c->port, c->deadline, c->cancel);
	case LATENCY_SEND:
		return client_send(c->fd, c->req, c->n, c->deadline, c->cancel);
	case LATENCY_RECV:
		rc = client_recv_line(c->fd, got, sizeof got, c->deadline, c->cancel);
		return rc == 0 && strcmp(got, c->want) != 0 ? -EPROTO : rc;
	default:
		return 0; /* close: done by the caller */
	}
}

int latency_client_call(struct latency_client *c, enum latency_call k)
{
	int rc = 0;

	if (k != LATENCY_SOCKET && c->fd < 0)
		return -EBADF;
	if (k != LATENCY_CLOSE)
		rc = client_do(c, k);
	/* close(), or a failed call: the connection is over either way. */
	if ((k == LATENCY_CLOSE || rc != 0) && c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	return rc;
}

int latency_request(int port, double ms, _Atomic int *cancel)
{
	struct latency_client c;
	int rc = latency_client_open(&c, port, ms, cancel);

	for (int k = 0; rc == 0 && k < LATENCY_CALL_COUNT; k++)
		rc = latency_client_call(&c, (enum latency_call)k);
	return rc;
}
