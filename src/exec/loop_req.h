/*
 * loop_req.h -- one non-blocking request to the loopback latency server on
 * a libuv loop: connect, send "WAIT <ms>\n", read "OK <ms>\n", close.
 *
 * A request owns its socket only while it is in flight, so C10k holds one
 * descriptor per waiting task and no more.  It is small on purpose: memory
 * per coroutine is one of the figures conctui reports.  The sockets are
 * not libuv handles (248 bytes each, and a few system calls more per
 * request) but sit in one epoll set of the loop's, which a single libuv
 * poll handle watches; a request is then its socket, its wait and where
 * its answer goes (tens of bytes).
 */
#ifndef CONCTUI_LOOP_REQ_H
#define CONCTUI_LOOP_REQ_H

#include <stdint.h>
#include <uv.h>

struct loop_req;

/* The requests of one loop; everything here runs on that loop's thread. */
struct loop_reqs {
	uv_loop_t *loop;	/* the loop the answers are delivered on */
	uv_poll_t poll;		/* watches efd while requests are in flight */
	int efd;		/* the epoll set of every socket in flight; -1: none yet */
	int inflight;		/* requests started, not yet answered or cancelled */
	uint32_t nbyfd;		/* slots in byfd */
	struct loop_req **byfd; /* the request on each socket, by descriptor */
};

/* Called once on the loop thread LOOP: 0, or a negative errno. */
typedef void (*loop_req_cb)(uv_loop_t *loop, void *ud, int rc);

/* Ready for requests on LOOP; nothing is allocated until the first one. */
void loop_reqs_init(struct loop_reqs *p, uv_loop_t *loop);
/* Lets go of the epoll set and the table (no request may be in flight). */
void loop_reqs_close(struct loop_reqs *p);

/*
 * Asks the server on 127.0.0.1:PORT to answer after MS ms.  Returns 0 and
 * the request in *OUT (CB will run), or a negative errno (CB will not).
 */
int loop_req_start(struct loop_reqs *p, int port, double ms, loop_req_cb cb, void *ud,
		   struct loop_req **out);
/* Tears R down (its socket closes); its callback never runs. */
void loop_req_cancel(struct loop_req *r);

#endif
