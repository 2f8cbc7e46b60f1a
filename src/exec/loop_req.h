/*
 * loop_req.h -- one non-blocking request to the loopback latency server on
 * a libuv loop: connect, send "WAIT <ms>\n", read "OK <ms>\n", close.
 *
 * A request owns its socket only while it is in flight, so C10k holds one
 * descriptor per waiting task and no more.  It is small on purpose (the
 * handle, the connect request and a line buffer): memory per coroutine is
 * one of the figures conctui reports.
 */
#ifndef CONCTUI_LOOP_REQ_H
#define CONCTUI_LOOP_REQ_H

#include <uv.h>

struct loop_req;

/* Called once on the loop thread LOOP: 0, or a negative errno. */
typedef void (*loop_req_cb)(uv_loop_t *loop, void *ud, int rc);

/*
 * Asks the server on 127.0.0.1:PORT to answer after MS ms.  Returns 0 and
 * the request in *OUT (CB will run), or a negative errno (CB will not).
 */
int loop_req_start(uv_loop_t *loop, int port, double ms, loop_req_cb cb, void *ud,
		   struct loop_req **out);
/* Tears R down (its socket closes); its callback never runs. */
void loop_req_cancel(struct loop_req *r);

#endif
