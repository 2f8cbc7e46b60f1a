/*
 * test_loop_req.c -- requests to the latency server on a libuv loop: the
 * answer, and each way a request goes wrong (nobody listening, a server
 * that closes without a word, a wrong or over-long reply), cancellation,
 * and many requests in flight on one loop.  A stand-in server on a thread
 * gives the wrong answers on purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "latency.h"
#include "loop_req.h"

/* What one request ended with. */
struct outcome {
	int done; /* callbacks run */
	int rc;	  /* the last one's result */
};

static void on_answer(uv_loop_t *loop, void *ud, int rc)
{
	struct outcome *o = ud;

	(void)loop;
	o->done++;
	o->rc = rc;
}

/* A stand-in server: answers one connection with REPLY (NULL: closes at once). */
struct fake {
	int lfd;	   /* listening socket */
	int port;	   /* its port */
	const char *reply; /* what it says after reading the request line */
	pthread_t th;
};

static void *fake_serve(void *arg)
{
	struct fake *f = arg;
	char buf[64];
	int c = accept(f->lfd, NULL, NULL);

	if (c < 0)
		return NULL;
	ssize_t n = read(c, buf, sizeof buf); /* the request line, in one piece on loopback */
	if (n > 0 && f->reply)
		for (const char *p = f->reply; *p; p++) /* byte by byte: the client reassembles */
			if (send(c, p, 1, MSG_NOSIGNAL) != 1) /* the client may have left */
				break;
	close(c);
	return NULL;
}

static void fake_start(struct fake *f, const char *reply)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;

	f->reply = reply;
	f->lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(f->lfd >= 0);
	assert_int_equal(bind(f->lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(f->lfd, 4), 0);
	assert_int_equal(getsockname(f->lfd, (struct sockaddr *)&a, &len), 0);
	f->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&f->th, NULL, fake_serve, f), 0);
}

static void fake_stop(struct fake *f)
{
	shutdown(f->lfd, SHUT_RDWR); /* wakes an accept that never got a client */
	pthread_join(f->th, NULL);
	close(f->lfd);
}

/*
 * Runs one request for MS ms to PORT on a fresh loop; its outcome.  A
 * failure known at once (a refused connect on loopback) comes from
 * loop_req_start instead of the callback: the same outcome.
 */
static struct outcome run_one(int port, double ms)
{
	uv_loop_t loop;
	struct loop_reqs reqs;
	struct loop_req *r;
	struct outcome o = {0, 0};

	assert_int_equal(uv_loop_init(&loop), 0);
	loop_reqs_init(&reqs, &loop);
	int rc = loop_req_start(&reqs, port, ms, on_answer, &o, &r);
	if (rc < 0)
		o = (struct outcome){1, rc};
	uv_run(&loop, UV_RUN_DEFAULT);
	loop_reqs_close(&reqs);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	assert_int_equal(o.done, 1);
	return o;
}

/* Against a fake server saying REPLY: what the request ends with. */
static int with_fake(const char *reply)
{
	struct fake f;

	fake_start(&f, reply);
	struct outcome o = run_one(f.port, 12.5);
	fake_stop(&f);
	return o.rc;
}

static void test_right_answer(void **unused)
{
	(void)unused;
	assert_int_equal(with_fake("OK 12.5\n"), 0);
}

static void test_wrong_answers(void **unused)
{
	(void)unused;
	assert_int_equal(with_fake(NULL), -ECONNRESET);	 /* refused without a word */
	assert_int_equal(with_fake("OK 12\n"), -EPROTO); /* another number */
	assert_int_equal(with_fake("OK 12.5"), -EPROTO); /* cut short */
	assert_int_equal(with_fake("no\n"), -EPROTO);
}

/* A port nobody listens on: the connect's refusal is the answer. */
static void test_nobody_listening(void **unused)
{
	(void)unused;
	struct fake f;

	fake_start(&f, NULL);
	int port = f.port;
	fake_stop(&f); /* the port is free again */
	assert_int_equal(run_one(port, 1).rc, -ECONNREFUSED);
}

static void test_bad_arguments(void **unused)
{
	(void)unused;
	uv_loop_t loop;
	struct loop_reqs reqs;
	struct loop_req *r;
	struct outcome o = {0, 0};

	assert_int_equal(uv_loop_init(&loop), 0);
	loop_reqs_init(&reqs, &loop);
	assert_int_equal(loop_req_start(&reqs, 0, 1, on_answer, &o, &r), -ENOTCONN);
	assert_int_equal(loop_req_start(&reqs, 1234, -1, on_answer, &o, &r), -EINVAL);
	loop_reqs_close(&reqs);
	assert_int_equal(uv_loop_close(&loop), 0);
	assert_int_equal(o.done, 0);
}

#define MANY 200

/*
 * MANY requests on one loop to the real server, half of them cancelled
 * before the loop runs: the rest are answered, the cancelled never are.
 */
static void test_many_and_cancelled(void **unused)
{
	(void)unused;
	char err[256] = "";
	int port = latency_start(err, sizeof err);
	uv_loop_t loop;
	struct loop_reqs reqs;
	struct loop_req *r[MANY];
	static struct outcome o[MANY];

	assert_true(port > 0);
	assert_int_equal(uv_loop_init(&loop), 0);
	loop_reqs_init(&reqs, &loop);
	for (int i = 0; i < MANY; i++) {
		o[i] = (struct outcome){0, 0};
		assert_int_equal(loop_req_start(&reqs, port, 20, on_answer, &o[i], &r[i]), 0);
	}
	for (int i = 0; i < MANY; i += 2)
		loop_req_cancel(r[i]);
	uv_run(&loop, UV_RUN_DEFAULT);
	for (int i = 0; i < MANY; i++) {
		assert_int_equal(o[i].done, i % 2);
		assert_int_equal(o[i].rc, 0);
	}
	loop_reqs_close(&reqs);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_right_answer),       cmocka_unit_test(test_wrong_answers),
	    cmocka_unit_test(test_nobody_listening),   cmocka_unit_test(test_bad_arguments),
	    cmocka_unit_test(test_many_and_cancelled),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	latency_stop();
	return rc;
}
