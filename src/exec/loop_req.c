/*
 * loop_req.c -- a request to the latency server as a chain of libuv
 * callbacks: connected -> line written -> reply read -> closed.
 *
 * The request line is written with uv_try_write, which on a fresh loopback
 * socket always takes all ten-odd bytes; only if it did not is a write
 * request allocated.  That keeps the uv_write_t (192 bytes) out of every
 * waiting coroutine's memory.
 */
#include "loop_req.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latency.h"

struct loop_req {
	uv_tcp_t tcp; /* the socket: open while in flight */
	uv_connect_t connect;
	loop_req_cb cb; /* NULL once it has run or after a cancel */
	void *ud;
	double ms;		     /* the wait asked for: the reply echoes it */
	uint8_t len;		     /* bytes in line */
	char line[LATENCY_LINE_MAX]; /* the request line, then the reply */
};

/* The rare write that uv_try_write could not finish at once. */
struct req_write {
	uv_write_t w;
	char buf[LATENCY_LINE_MAX];
};

static void req_closed(uv_handle_t *h)
{
	free(h->data);
}

/* The request is over: close the socket and tell the owner. */
static void req_finish(struct loop_req *r, int rc)
{
	loop_req_cb cb = r->cb;

	r->cb = NULL;
	if (!uv_is_closing((uv_handle_t *)&r->tcp))
		uv_close((uv_handle_t *)&r->tcp, req_closed);
	if (cb)
		cb(r->tcp.loop, r->ud, rc);
}

void loop_req_cancel(struct loop_req *r)
{
	r->cb = NULL;
	if (!uv_is_closing((uv_handle_t *)&r->tcp))
		uv_close((uv_handle_t *)&r->tcp, req_closed);
}

/* A reply is right when it is "OK " followed by the number exactly as sent. */
static int req_check(const struct loop_req *r)
{
	char want[LATENCY_LINE_MAX];
	size_t n = latency_format_request(want, sizeof want, r->ms);

	if (n < 6 || !latency_reply_ok(r->line))
		return -EPROTO;
	return strcmp(r->line + 3, want + 5) == 0 ? 0 : -EPROTO;
}

static void req_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct loop_req *r = h->data;

	(void)suggested;
	/* A zero-length buffer makes libuv report UV_ENOBUFS: a line too long. */
	*buf = uv_buf_init(r->line + r->len, (unsigned)(sizeof r->line - 1 - r->len));
}

static void req_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct loop_req *r = s->data;

	(void)buf;
	if (nread == 0 || !r->cb)
		return;
	if (nread < 0) {
		/* The server closes without a word when it refuses a request. */
		req_finish(r, nread == UV_EOF	    ? (r->len ? -EPROTO : -ECONNRESET)
			      : nread == UV_ENOBUFS ? -EPROTO
						    : (int)nread);
		return;
	}
	r->len = (uint8_t)(r->len + nread);
	r->line[r->len] = '\0';
	if (memchr(r->line, '\n', r->len))
		req_finish(r, req_check(r));
}

static void req_written(uv_write_t *w, int status)
{
	struct loop_req *r = w->handle->data;

	free(w);
	if (status < 0 && status != UV_ECANCELED && r->cb)
		req_finish(r, status);
}

/* Sends the line in R: at once if the socket takes it, else by a write request. */
static int req_send(struct loop_req *r)
{
	uv_buf_t b = uv_buf_init(r->line, r->len);
	int n = uv_try_write((uv_stream_t *)&r->tcp, &b, 1);

	if (n == (int)r->len)
		return 0;
	if (n < 0 && n != UV_EAGAIN)
		return n;
	size_t done = n > 0 ? (size_t)n : 0;
	struct req_write *w = malloc(sizeof *w);

	if (!w)
		return -ENOMEM;
	memcpy(w->buf, r->line + done, r->len - done);
	b = uv_buf_init(w->buf, (unsigned)(r->len - done));
	n = uv_write(&w->w, (uv_stream_t *)&r->tcp, &b, 1, req_written);
	if (n < 0)
		free(w);
	return n;
}

static void req_connected(uv_connect_t *c, int status)
{
	struct loop_req *r = c->data;
	int rc = status;

	if (!r->cb)
		return; /* cancelled: the close is on its way */
	if (rc == 0)
		rc = req_send(r);
	r->len = 0; /* the line buffer now collects the reply */
	if (rc == 0)
		rc = uv_read_start((uv_stream_t *)&r->tcp, req_alloc, req_read);
	if (rc < 0)
		req_finish(r, rc);
}

int loop_req_start(uv_loop_t *loop, int port, double ms, loop_req_cb cb, void *ud,
		   struct loop_req **out)
{
	struct sockaddr_in a = {
	    .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	if (port <= 0 || port > 65535)
		return -ENOTCONN;
	struct loop_req *r = calloc(1, sizeof *r);
	if (!r)
		return -ENOMEM;
	r->len = (uint8_t)latency_format_request(r->line, sizeof r->line, ms);
	if (r->len == 0) {
		free(r);
		return -EINVAL;
	}
	int rc = uv_tcp_init(loop, &r->tcp);
	if (rc < 0) {
		free(r);
		return rc;
	}
	r->tcp.data = r->connect.data = r;
	r->cb = cb;
	r->ud = ud;
	r->ms = ms;
	rc = uv_tcp_connect(&r->connect, &r->tcp, (const struct sockaddr *)&a, req_connected);
	if (rc < 0) {
		r->cb = NULL;
		uv_close((uv_handle_t *)&r->tcp, req_closed);
		return rc;
	}
	*out = r;
	return 0;
}
