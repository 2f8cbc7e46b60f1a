/*
 * test_latency.c -- the loopback latency server: protocol, timing,
 * concurrency, malformed requests, cancellation, and its life cycle.
 *
 * Timings are asserted as ratios of the requested wait, with generous upper
 * bounds so that a loaded machine or a sanitizer build still passes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "latency.h"
#include "timing_test_util.h"
#include "proc_test_util.h"

/* ---------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

static double now_ms(void)
{
	return clock_ns_to_ms(clock_now_ns());
}

/* The server's port, starting it if a test before stopped it. */
static int port_or_start(void)
{
	char err[256] = "";
	int port = latency_start(err, sizeof err);

	if (port <= 0)
		fail_msg("latency_start: %s", err);
	return port;
}

/* A blocking socket connected to the server. */
static int connect_to(int port)
{
	struct sockaddr_in a = {
	    .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	return fd;
}

/* Reads until EOF or TIMEOUT_MS; the byte count, or -1 on timeout/error. */
static ssize_t read_to_eof(int fd, char *buf, size_t size, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	size_t len = 0;

	for (;;) {
		if (poll(&p, 1, timeout_ms) <= 0)
			return -1;
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0)
			return -1;
		if (n == 0) {
			buf[len] = '\0';
			return (ssize_t)len;
		}
		len += (size_t)n;
		if (len == size - 1)
			return (ssize_t)len;
	}
}

/* C10k-style tests need more descriptors than the usual soft limit. */
static int raise_fd_limit(void **state)
{
	struct rlimit rl;

	(void)state;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	port_or_start();
	return 0;
}

static int stop_server(void **state)
{
	(void)state;
	latency_stop();
	return 0;
}

/* ---------------------------------------------------------------------------
 * The protocol lines
 * ------------------------------------------------------------------------ */

static void expect_request(double ms, const char *want)
{
	char buf[LATENCY_LINE_MAX];
	size_t n = latency_format_request(buf, sizeof buf, ms);

	assert_int_equal(n, strlen(want));
	assert_string_equal(buf, want);
}

static void test_format_request(void **state)
{
	char buf[LATENCY_LINE_MAX];

	(void)state;
	expect_request(800, "WAIT 800\n");
	expect_request(0, "WAIT 0\n");
	expect_request(0.5, "WAIT 0.5\n");
	expect_request(1.25, "WAIT 1.25\n");
	expect_request(2.125, "WAIT 2.125\n");
	expect_request(600000, "WAIT 600000\n");
	/* Below a microsecond is rounded: the wire carries %.3f. */
	expect_request(3.0001, "WAIT 3\n");
	assert_int_equal(latency_format_request(buf, sizeof buf, -1), 0);
	assert_int_equal(latency_format_request(buf, sizeof buf, 600001), 0);
	assert_int_equal(latency_format_request(buf, sizeof buf, NAN), 0);
	assert_int_equal(latency_format_request(buf, 6, 800), 0);
}

static void test_reply_ok(void **state)
{
	(void)state;
	assert_true(latency_reply_ok("OK 800\n"));
	assert_true(latency_reply_ok("OK 0\n"));
	assert_true(latency_reply_ok("OK 0.25\n"));
	assert_false(latency_reply_ok("OK 800"));
	assert_false(latency_reply_ok("OK \n"));
	assert_false(latency_reply_ok("OK -1\n"));
	assert_false(latency_reply_ok("OK 8x\n"));
	assert_false(latency_reply_ok("OK 1.\n"));
	assert_false(latency_reply_ok("OK .5\n"));
	assert_false(latency_reply_ok("OK 600001\n"));
	assert_false(latency_reply_ok("KO 800\n"));
	assert_false(latency_reply_ok("OK 800\n\n"));
	assert_false(latency_reply_ok(""));
}

/* ---------------------------------------------------------------------------
 * Timing
 * ------------------------------------------------------------------------ */

static void test_round_trip(void **state)
{
	static const double waits[] = {20, 100, 300};
	int port = port_or_start();

	(void)state;
	for (size_t i = 0; i < sizeof waits / sizeof waits[0]; i++) {
		struct timing_watch w;
		timing_watch_start(&w);
		double t0 = now_ms();

		assert_int_equal(latency_request(port, waits[i], NULL), 0);
		double elapsed = now_ms() - t0;

		assert_true(elapsed >= 0.95 * waits[i]);
		if (timing_judged(&w))
			assert_true(elapsed < 3 * waits[i] + 50);
	}
}

/*
 * The reply and the server's close come in one segment: the first time
 * the socket is readable, the peer's FIN is already there.  (Sent apart,
 * the client was woken twice a request, and in C10K's answers the server
 * fell tens of ms behind its deadlines.)
 */
static void test_reply_carries_the_close(void **state)
{
	int port = port_or_start();

	(void)state;
	for (int i = 0; i < 20; i++) {
		int fd = connect_to(port);
		struct pollfd p = {.fd = fd, .events = POLLIN | POLLRDHUP};
		char buf[64];

		assert_int_equal(send(fd, "WAIT 1\n", 7, MSG_NOSIGNAL), 7);
		assert_int_equal(poll(&p, 1, 5000), 1);
		assert_true(p.revents & POLLIN);
		if (!(p.revents & POLLRDHUP))
			fail_msg("request %d: the reply came without the close", i);
		assert_int_equal(read_to_eof(fd, buf, sizeof buf, 1000), 5);
		assert_string_equal(buf, "OK 1\n");
		close(fd);
	}
}

/* What an `io` step costs beyond its wait; printed for the record. */
static void test_overhead(void **state)
{
	int port = port_or_start();
	int n = 200;
	double t0 = now_ms();

	(void)state;
	for (int i = 0; i < n; i++)
		assert_int_equal(latency_request(port, 0, NULL), 0);
	double zero = (now_ms() - t0) / n;

	t0 = now_ms();
	for (int i = 0; i < 10; i++)
		assert_int_equal(latency_request(port, 10, NULL), 0);
	double ten = (now_ms() - t0) / 10;

	print_message("latency: round trip of WAIT 0 %.3f ms, of WAIT 10 %.3f ms\n", zero, ten);
	assert_true(ten >= 10);
	assert_true(zero < ten);
}

struct req_arg {
	int port;
	double ms;
	int rc;
};

static void *request_thread(void *p)
{
	struct req_arg *a = p;

	a->rc = latency_request(a->port, a->ms, NULL);
	return NULL;
}

/* 50 threads of 200 ms each: concurrent, so far less than 50 x 200 ms. */
static void test_concurrent_threads(void **state)
{
	enum { N = 50 };
	struct req_arg args[N];
	pthread_t th[N];
	int port = port_or_start();
	struct timing_watch w;
	timing_watch_start(&w);
	double t0 = now_ms();

	(void)state;
	for (int i = 0; i < N; i++) {
		args[i] = (struct req_arg){.port = port, .ms = 200, .rc = 1};
		assert_int_equal(pthread_create(&th[i], NULL, request_thread, &args[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(args[i].rc, 0);
	}
	double elapsed = now_ms() - t0;

	assert_true(elapsed >= 0.95 * 200);
	/* One after another they would take 50 x 200 ms. */
	assert_true(elapsed < 0.5 * N * 200);
	if (timing_judged(&w))
		assert_true(elapsed < 5 * 200);
}

/* ---------------------------------------------------------------------------
 * Malformed requests: closed at once, nothing answered
 * ------------------------------------------------------------------------ */

static void expect_closed_silently(int port, const char *req, size_t len, int half_close)
{
	char buf[64];
	int fd = connect_to(port);
	double t0 = now_ms();

	assert_int_equal(send(fd, req, len, MSG_NOSIGNAL), (ssize_t)len);
	if (half_close)
		shutdown(fd, SHUT_WR);
	/* read returns 0: a clean close, no bytes; and long before any wait. */
	assert_int_equal(read_to_eof(fd, buf, sizeof buf, 2000), 0);
	assert_true(now_ms() - t0 < 1000);
	close(fd);
}

static void test_malformed(void **state)
{
	static const char *bad[] = {
	    "HELLO\n",
	    "WAIT -1\n",
	    "WAIT abc\n",
	    "WAIT \n",
	    "WAIT 5 \n",
	    "WAIT 1.\n",
	    "WAIT 0x10\n",
	    "WAIT 600001\n",
	    "wait 5\n",
	    "WAIT 5\r\n",
	    "WAIT 5000\nWAIT 5000\n",			  /* bytes after the line */
	    "WAIT 00000000000000000000000000000000005\n", /* longer than a line */
	    "WAITWAITWAITWAITWAITWAITWAITWAITWAITWAIT",	  /* no newline, too long */
	};
	int port = port_or_start();

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_closed_silently(port, bad[i], strlen(bad[i]), 0);
	/* EOF before the newline. */
	expect_closed_silently(port, "WAIT 5", 6, 1);
	expect_closed_silently(port, "", 0, 1);
}

/* The request may arrive in pieces. */
static void test_split_request(void **state)
{
	char buf[64];
	int port = port_or_start();
	int fd = connect_to(port);

	(void)state;
	assert_int_equal(send(fd, "WA", 2, MSG_NOSIGNAL), 2);
	usleep(20000);
	assert_int_equal(send(fd, "IT 1", 4, MSG_NOSIGNAL), 4);
	usleep(20000);
	assert_int_equal(send(fd, "5.5\n", 4, MSG_NOSIGNAL), 4);
	assert_int_equal(read_to_eof(fd, buf, sizeof buf, 5000), 8);
	assert_string_equal(buf, "OK 15.5\n");
	close(fd);
}

/* ---------------------------------------------------------------------------
 * Cancellation
 * ------------------------------------------------------------------------ */

struct canceller {
	_Atomic int *flag;
	int after_ms;
};

static void *cancel_later(void *p)
{
	struct canceller *c = p;

	usleep((useconds_t)c->after_ms * 1000);
	atomic_store(c->flag, 2);
	return NULL;
}

static void test_cancel(void **state)
{
	_Atomic int flag = 0;
	struct canceller c = {.flag = &flag, .after_ms = 50};
	pthread_t th;
	int port = port_or_start();
	double t0 = now_ms();

	(void)state;
	assert_int_equal(pthread_create(&th, NULL, cancel_later, &c), 0);
	assert_int_equal(latency_request(port, 5000, &flag), -ECANCELED);
	double elapsed = now_ms() - t0;

	pthread_join(th, NULL);
	assert_true(elapsed >= 0.95 * 50);
	assert_true(elapsed < 1000);
	/* Already cancelled: nothing is even sent. */
	assert_int_equal(latency_request(port, 10, &flag), -ECANCELED);
	/* A flag that stays 0 does not get in the way. */
	atomic_store(&flag, 0);
	assert_int_equal(latency_request(port, 10, &flag), 0);
}

static void test_bad_arguments(void **state)
{
	int port = port_or_start();

	(void)state;
	assert_int_equal(latency_request(port, -1, NULL), -EINVAL);
	assert_int_equal(latency_request(port, 600001, NULL), -EINVAL);
	assert_int_equal(latency_request(0, 10, NULL), -EINVAL);
	assert_int_equal(latency_request(70000, 10, NULL), -EINVAL);
}

/* ---------------------------------------------------------------------------
 * Many connections at once
 * ------------------------------------------------------------------------ */

enum { MANY = 1000 };

/* One non-blocking client: connecting, then sent, then answered. */
struct client {
	int fd;
	int sent;
	size_t len;
	char buf[16];
};

static void many_open(struct client *c, struct pollfd *p, int port)
{
	struct sockaddr_in a = {
	    .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(c->fd >= 0);
	int rc = connect(c->fd, (struct sockaddr *)&a, sizeof a);

	assert_true(rc == 0 || errno == EINPROGRESS);
	*p = (struct pollfd){.fd = c->fd, .events = POLLOUT};
}

/* Advances one client on its poll result; 1 once it has its answer. */
static int many_step(struct client *c, struct pollfd *p)
{
	if (!c->sent) {
		assert_int_equal(send(c->fd, "WAIT 300\n", 9, MSG_NOSIGNAL), 9);
		c->sent = 1;
		p->events = POLLIN;
		return 0;
	}
	ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);

	assert_true(n > 0);
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	if (strchr(c->buf, '\n') == NULL)
		return 0;
	assert_string_equal(c->buf, "OK 300\n");
	close(c->fd);
	p->fd = -1; /* poll ignores it from now on */
	return 1;
}

/* The server's pid, from the kernel's list of this thread's children; 0 if none. */
static pid_t server_pid_from_proc(void)
{
	char path[64];
	int pid = 0;

	snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid;
}

/*
 * The server polls without sleeping during a burst of connections: once
 * the burst is over it must go back to sleep.  Polled for up to 2 s.
 */
static void assert_server_sleeps_again(void)
{
	char path[64];
	pid_t pid = server_pid_from_proc();

	assert_true(pid > 0);
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 2000; i++) {
		if (proc_stat_state(path) == 'S')
			return;
		usleep(1000);
	}
	fail_msg("the latency server still runs 2 s after its burst ended");
}

static void test_thousand_connections(void **state)
{
	static struct client cl[MANY];
	static struct pollfd pf[MANY];
	int port = port_or_start();
	int answered = 0;
	double t0 = now_ms();

	(void)state;
	memset(cl, 0, sizeof cl);
	for (int i = 0; i < MANY; i++)
		many_open(&cl[i], &pf[i], port);
	while (answered < MANY) {
		int n = poll(pf, MANY, 10000);

		assert_true(n > 0 || (n < 0 && errno == EINTR));
		for (int i = 0; i < MANY && n > 0; i++) {
			if (pf[i].fd < 0 || pf[i].revents == 0)
				continue;
			assert_false(pf[i].revents & (POLLERR | POLLNVAL));
			answered += many_step(&cl[i], &pf[i]);
		}
	}
	double elapsed = now_ms() - t0;

	print_message("latency: %d concurrent WAIT 300 answered in %.1f ms\n", MANY, elapsed);
	assert_true(elapsed >= 0.95 * 300);
	if (!SANITIZED)
		assert_true(elapsed < 10 * 300);
	assert_server_sleeps_again();
}

/* ---------------------------------------------------------------------------
 * Life cycle: start, stop, restart, and dying with the parent
 * ------------------------------------------------------------------------ */

static void test_start_twice(void **state)
{
	int a = port_or_start();
	int b = port_or_start();

	(void)state;
	assert_int_equal(a, b);
	assert_int_equal(latency_port(), a);
}

static void assert_no_child_left(void)
{
	pid_t r = waitpid(-1, NULL, WNOHANG);

	assert_true(r == 0 || (r < 0 && errno == ECHILD));
}

static void test_stop_and_restart(void **state)
{
	int old = port_or_start();

	(void)state;
	latency_stop();
	assert_int_equal(latency_port(), 0);
	int rc = latency_request(old, 10, NULL);

	assert_true(rc < 0);
	assert_int_equal(rc, -ECONNREFUSED);
	assert_no_child_left();
	latency_stop(); /* stopping twice is harmless */

	int port = port_or_start();

	assert_true(port > 0);
	assert_int_equal(latency_port(), port);
	assert_int_equal(latency_request(port, 10, NULL), 0);
}

/*
 * The server must not hold the parent's descriptors: a pipe whose write end
 * it kept open would never reach EOF.  The pipe is not CLOEXEC on purpose.
 */
static void test_drops_inherited_fds(void **state)
{
	struct pollfd p;
	char c;
	int pipefd[2];

	(void)state;
	latency_stop();
	assert_int_equal(pipe(pipefd), 0);
	port_or_start();
	close(pipefd[1]);
	p = (struct pollfd){.fd = pipefd[0], .events = POLLIN};
	assert_int_equal(poll(&p, 1, 1000), 1);
	assert_int_equal(read(pipefd[0], &c, 1), 0);
	close(pipefd[0]);
}

/* A server that died behind our back is noticed and replaced. */
static void test_restart_after_crash(void **state)
{
	int old = port_or_start();
	pid_t pid = server_pid_from_proc();

	(void)state;
	if (pid <= 0)
		skip(); /* kernel without /proc/PID/task/TID/children */
	assert_int_equal(kill(pid, SIGKILL), 0);
	/*
	 * Its listening socket closes when it has died.  A zombie leader is not
	 * enough: under a sanitizer the runtime's own thread may still hold the
	 * descriptors, and the server cannot be reaped until it has gone too.
	 * So wait until it can be reaped (without reaping it: that is for the
	 * library to notice).
	 */
	for (;;) {
		siginfo_t si;
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT | WNOHANG) != 0 ||
		    si.si_pid == pid)
			break;
		usleep(1000);
	}
	assert_int_equal(latency_request(old, 0, NULL), -ECONNREFUSED);
	int port = port_or_start();

	assert_true(port > 0);
	assert_int_equal(latency_request(port, 10, NULL), 0);
	assert_no_child_left();
}

/* Reaps any child within TIMEOUT_MS; its pid (status in *ST), or -1. */
static pid_t reap_within(int *st, int timeout_ms)
{
	double t0 = now_ms();

	while (now_ms() - t0 < timeout_ms) {
		pid_t r = waitpid(-1, st, WNOHANG);

		if (r > 0)
			return r;
		usleep(5000);
	}
	return -1;
}

/*
 * A helper process starts its own server and dies without stopping it (as a
 * crash would): PR_SET_PDEATHSIG must take the server down with it, cleanly.
 * This process becomes a subreaper so that the orphaned server is reparented
 * here and its exit status can be read.
 */
static void test_dies_with_parent(void **state)
{
	int pipefd[2], port = 0, st = 0;

	(void)state;
	latency_stop();
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	assert_int_equal(pipe(pipefd), 0);
	pid_t helper = fork();

	assert_true(helper >= 0);
	if (helper == 0) {
		char err[256];
		int p = latency_start(err, sizeof err);

		if (write(pipefd[1], &p, sizeof p) != sizeof p)
			_exit(2);
		_exit(p > 0 ? 0 : 1); /* no atexit: the server is left running */
	}
	close(pipefd[1]);
	assert_int_equal(read(pipefd[0], &port, sizeof port), sizeof port);
	close(pipefd[0]);
	assert_true(port > 0);
	assert_int_equal(waitpid(helper, &st, 0), helper);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* The server got SIGTERM from the kernel and left through its own exit. */
	pid_t server = reap_within(&st, 3000);

	prctl(PR_SET_CHILD_SUBREAPER, 0);
	assert_true(server > 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(latency_request(port, 0, NULL), -ECONNREFUSED);
	assert_no_child_left();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format_request),
	    cmocka_unit_test(test_reply_ok),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_overhead),
	    cmocka_unit_test(test_concurrent_threads),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_reply_carries_the_close),
	    cmocka_unit_test(test_split_request),
	    cmocka_unit_test(test_cancel),
	    cmocka_unit_test(test_bad_arguments),
	    cmocka_unit_test(test_thousand_connections),
	    cmocka_unit_test(test_start_twice),
	    cmocka_unit_test(test_stop_and_restart),
	    cmocka_unit_test(test_drops_inherited_fds),
	    cmocka_unit_test(test_restart_after_crash),
	    cmocka_unit_test(test_dies_with_parent),
	};

	return cmocka_run_group_tests(tests, raise_fd_limit, stop_server);
}
