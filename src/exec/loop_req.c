/*
 * loop_req.c -- requests to the latency server on a loop: plain
 * non-blocking sockets in one edge-triggered epoll set per loop, which a
 * single libuv poll handle watches.
 *
 * A request costs socket, connect, send, epoll_ctl, recv and close: no
 * handle, no write request and no reply buffer.  The request line is made
 * again from the wait when it is sent, and the reply is compared with the
 * one expected as it arrives, so only counts of bytes are kept.
 *
 * Events name a descriptor, not a request: a request cancelled while a
 * batch of events is being handled leaves its slot empty, and a later
 * request on the same descriptor takes an event meant for the old one as
 * a spurious wake-up (its send or recv says EAGAIN), never a dangling
 * pointer.
 */
#include "loop_req.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "latency.h"

#define REQ_BATCH 256 /* events taken from the epoll set per libuv wake-up */

struct loop_req {
	struct loop_reqs *pool; /* the loop's requests */
	loop_req_cb cb;		/* runs once, with the answer */
	void *ud;		/* the owner's, handed to cb */
	double ms;		/* the wait asked for: the line and the reply echo it */
	int fd;			/* the socket, open while in flight */
	uint8_t sent;		/* bytes of the request line written */
	uint8_t got;		/* bytes of the reply read, each as expected */
};

void loop_reqs_init(struct loop_reqs *p, uv_loop_t *loop)
{
	memset(p, 0, sizeof *p);
	p->loop = loop;
	p->efd = -1;
}

void loop_reqs_close(struct loop_reqs *p)
{
	if (p->efd >= 0) {
		if (!uv_is_closing((uv_handle_t *)&p->poll))
			uv_close((uv_handle_t *)&p->poll, NULL);
		close(p->efd);
		p->efd = -1;
	}
	free(p->byfd);
	p->byfd = NULL;
	p->nbyfd = 0;
}

/* Closes R's socket and frees it; the last one in flight stops the watch. */
static void req_free(struct loop_req *r)
{
	struct loop_reqs *p = r->pool;

	p->byfd[r->fd] = NULL;
	close(r->fd); /* which also takes it out of the epoll set */
	free(r);
	if (--p->inflight == 0)
		uv_poll_stop(&p->poll);
}

void loop_req_cancel(struct loop_req *r)
{
	req_free(r);
}

/* The request is over: tell the owner. */
static void req_finish(struct loop_req *r, int rc)
{
	loop_req_cb cb = r->cb;
	void *ud = r->ud;
	uv_loop_t *loop = r->pool->loop;

	req_free(r);
	cb(loop, ud, rc);
}

/* The request line for R into LINE; its length. */
static size_t req_line(const struct loop_req *r, char *line)
{
	return latency_format_request(line, LATENCY_LINE_MAX, r->ms);
}

/* Writes what is left of the line; 0 (done or not yet writable) or -errno. */
static int req_send(struct loop_req *r, const char *line, size_t n)
{
	while (r->sent < n) {
		ssize_t k = send(r->fd, line + r->sent, n - r->sent, MSG_NOSIGNAL);
		if (k < 0)
			return errno == EAGAIN ? 0 : errno == EINTR ? 0 : -errno;
		r->sent = (uint8_t)(r->sent + k);
	}
	return 0;
}

/*
 * Reads what has come of the reply "OK <ms>\n" (LINE's number, echoed).
 * Returns 1 when it is complete and right, 0 for more to come, or -errno:
 * a close before a word (-ECONNRESET, the server refusing), a wrong or
 * short reply (-EPROTO).
 */
static int req_recv(struct loop_req *r, const char *line, size_t n)
{
	char want[LATENCY_LINE_MAX], buf[LATENCY_LINE_MAX];
	size_t wlen = (size_t)snprintf(want, sizeof want, "OK %.*s", (int)(n - 5), line + 5);

	for (;;) {
		ssize_t k = recv(r->fd, buf, sizeof buf, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (k == 0)
			return r->got ? -EPROTO : -ECONNRESET;
		if (r->got + (size_t)k > wlen || memcmp(buf, want + r->got, (size_t)k) != 0)
			return -EPROTO;
		r->got = (uint8_t)(r->got + k);
		if (r->got == wlen)
			return 1;
	}
}

/* Whatever the socket of R is ready for, done; R may be gone after. */
static void req_event(struct loop_req *r, uint32_t events)
{
	char line[LATENCY_LINE_MAX];
	size_t n = req_line(r, line);
	int rc = 0;

	if (events & EPOLLERR) {
		int err = 0;
		socklen_t len = sizeof err;
		if (getsockopt(r->fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err) {
			req_finish(r, -err);
			return;
		}
	}
	if (r->sent < n)
		rc = req_send(r, line, n);
	if (rc == 0 && r->sent == n && (events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP | EPOLLERR)))
		rc = req_recv(r, line, n);
	if (rc != 0)
		req_finish(r, rc > 0 ? 0 : rc);
}

/* The epoll set has events: one batch of them; libuv calls again for more. */
static void reqs_ready(uv_poll_t *h, int status, int events)
{
	struct loop_reqs *p = h->data;
	struct epoll_event ev[REQ_BATCH];

	(void)status;
	(void)events;
	int n = epoll_wait(p->efd, ev, REQ_BATCH, 0);
	for (int i = 0; i < n; i++) {
		uint32_t fd = ev[i].data.u32;
		if (fd < p->nbyfd && p->byfd[fd])
			req_event(p->byfd[fd], ev[i].events);
	}
}

/* The epoll set and its watch, made on the first request. */
static int reqs_open(struct loop_reqs *p)
{
	if (p->efd >= 0)
		return 0;
	if ((p->efd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -errno;
	int rc = uv_poll_init(p->loop, &p->poll, p->efd);
	if (rc < 0) {
		close(p->efd);
		p->efd = -1;
		return rc;
	}
	p->poll.data = p;
	return 0;
}

/* Room in the table for descriptor FD. */
static int reqs_room(struct loop_reqs *p, int fd)
{
	if ((uint32_t)fd < p->nbyfd)
		return 0;
	uint32_t n = p->nbyfd ? p->nbyfd : 64;
	while (n <= (uint32_t)fd)
		n *= 2;
	struct loop_req **t = realloc(p->byfd, n * sizeof *t);
	if (!t)
		return -ENOMEM;
	memset(t + p->nbyfd, 0, (n - p->nbyfd) * sizeof *t);
	p->byfd = t;
	p->nbyfd = n;
	return 0;
}

/* A connected (or connecting) socket to 127.0.0.1:PORT in *FD; 0 or -errno. */
static int req_connect(int port, int *fd)
{
	struct sockaddr_in a = {
	    .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	*fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (*fd < 0)
		return -errno;
	if (connect(*fd, (const struct sockaddr *)&a, sizeof a) == 0 || errno == EINPROGRESS)
		return 0;
	int rc = -errno;
	close(*fd);
	return rc;
}

int loop_req_start(struct loop_reqs *p, int port, double ms, loop_req_cb cb, void *ud,
		   struct loop_req **out)
{
	char line[LATENCY_LINE_MAX];
	int fd, rc;

	if (port <= 0 || port > 65535)
		return -ENOTCONN;
	if (latency_format_request(line, sizeof line, ms) == 0)
		return -EINVAL;
	if ((rc = reqs_open(p)) < 0 || (rc = req_connect(port, &fd)) < 0)
		return rc;
	struct loop_req *r = malloc(sizeof *r);
	if (!r || reqs_room(p, fd) < 0) {
		free(r);
		close(fd);
		return -ENOMEM;
	}
	*r = (struct loop_req){.pool = p, .cb = cb, .ud = ud, .ms = ms, .fd = fd};
	/*
	 * On loopback the handshake is over by the time connect returns (it
	 * says EINPROGRESS all the same), so the line goes now and the
	 * server's wait starts at once; if not, "writable" sends it.
	 * Edge-triggered: each of those is reported once.
	 */
	size_t n = req_line(r, line);
	rc = req_send(r, line, n);
	struct epoll_event ev = {.events =
				     EPOLLIN | EPOLLRDHUP | EPOLLET | (r->sent < n ? EPOLLOUT : 0),
				 .data.u32 = (uint32_t)fd};
	if (rc < 0 || epoll_ctl(p->efd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		rc = rc < 0 ? rc : -errno;
		free(r);
		close(fd);
		return rc;
	}
	p->byfd[fd] = r;
	if (p->inflight++ == 0 && (rc = uv_poll_start(&p->poll, UV_READABLE, reqs_ready)) < 0) {
		req_free(r);
		return rc;
	}
	*out = r;
	return 0;
}
