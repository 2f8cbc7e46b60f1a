/*
 * latency_server.c -- the loopback latency server: the forked child running
 * its libuv loop, and latency_start, latency_port and latency_stop, which
 * start, find and end it from the parent.
 *
 * The server is a forked child running its own libuv loop, so its timers
 * keep ticking whatever the executors in the parent do to their threads,
 * cores and locks, and it dies with the parent (PR_SET_PDEATHSIG) so a
 * crash never leaves it behind.
 *
 * The server never answers early: it notes the arrival time on the precise
 * monotonic clock and re-arms its (millisecond, possibly coarse) libuv timer
 * until that deadline has truly passed.  A client measuring from before its
 * connect therefore always sees at least the time it asked for.  The client
 * and the protocol's helpers are in latency.c.
 */
#include "latency.h"

#include "clock.h"
#include "latency_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#define LATENCY_BACKLOG 16384	/* C10k connects all at once; the kernel caps it */
#define LATENCY_READY_MS 10000	/* how long start-up may take (sanitizers are slow) */
#define LATENCY_STOP_MS 1000	/* how long SIGTERM gets before SIGKILL */
#define BURST_GAP_NS 200000ull	/* connections closer than this make a burst */
#define BURST_SPIN_NS 500000ull /* polling goes on this long after a burst's last one */

/* ---------------------------------------------------------------------------
 * The server: one libuv loop in the child process
 * ------------------------------------------------------------------------ */

/* One client connection; freed when both of its handles have closed. */
struct conn {
	uv_tcp_t tcp;		      /* the accepted socket */
	uv_timer_t timer;	      /* fires when the wait is over */
	uv_write_t write;	      /* the one reply */
	uint64_t deadline;	      /* uv_hrtime() ns when the answer is due */
	size_t len;		      /* bytes of the request line so far */
	int open_handles;	      /* handles not yet closed */
	int waiting;		      /* a well-formed request was received */
	char line[LATENCY_LINE_MAX];  /* the request line */
	char reply[LATENCY_LINE_MAX]; /* "OK <ms as sent>\n" */
	size_t reply_len;
};

/* The child's whole state: it serves one listener until SIGTERM. */
static struct {
	uv_loop_t loop; /* a fresh loop, never the parent's */
	uv_tcp_t listener;
	uv_async_t stop;      /* poked by the SIGTERM handler */
	uint64_t last_accept; /* uv_hrtime() of the latest connection */
	uint64_t spin_until;  /* poll without sleeping until then (a burst) */
} server;

/*
 * Every read lands in this one buffer and is copied out before the next
 * read: the loop is single-threaded.  It is large so that a long, bad line
 * is read completely before the connection is closed; unread bytes would
 * turn the close into a reset.
 */
static char read_buf[65536];

static void conn_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (--c->open_handles == 0)
		free(c);
}

static void conn_close(struct conn *c)
{
	if (!uv_is_closing((uv_handle_t *)&c->tcp))
		uv_close((uv_handle_t *)&c->tcp, conn_closed);
	if (!uv_is_closing((uv_handle_t *)&c->timer))
		uv_close((uv_handle_t *)&c->timer, conn_closed);
}

static void conn_written(uv_write_t *req, int status)
{
	(void)status;
	conn_close(req->data);
}

/*
 * Arms the timer for the deadline.  libuv counts whole ms on a clock that
 * may lag the precise one by a tick, and fires once its own clock has
 * reached the timer's due ms: counted from that clock, the timer can never
 * fire before the deadline, and does not have to be armed a second time.
 */
static void conn_arm(struct conn *c, uv_timer_cb cb)
{
	uv_update_time(&server.loop);
	uint64_t base = uv_now(&server.loop) * 1000000ull;
	uint64_t left = c->deadline > base ? c->deadline - base : 0;

	uv_timer_start(&c->timer, cb, (left + 999999) / 1000000, 0);
}

static void conn_timer(uv_timer_t *t)
{
	struct conn *c = t->data;
	uv_os_fd_t fd;
	ssize_t sent = -1;

	/* libuv's clock may lag the precise one by a tick: never answer early. */
	if (uv_hrtime() < c->deadline) {
		conn_arm(c, conn_timer);
		return;
	}
	/*
	 * The reply is held back (MSG_MORE) and the close right after puts the
	 * FIN on its segment: one packet, one wake-up of the client, instead
	 * of two.  The send buffer of a connection that sent one line is
	 * empty, so the write goes whole; if it ever does not, an ordinary
	 * write sends the rest.
	 */
	if (uv_fileno((uv_handle_t *)&c->tcp, &fd) == 0)
		sent = send(fd, c->reply, c->reply_len, MSG_MORE | MSG_NOSIGNAL);
	if (sent == (ssize_t)c->reply_len) {
		conn_close(c);
		return;
	}
	size_t done = sent > 0 ? (size_t)sent : 0;
	uv_buf_t buf = uv_buf_init(c->reply + done, (unsigned)(c->reply_len - done));

	c->write.data = c;
	if (uv_write(&c->write, (uv_stream_t *)&c->tcp, &buf, 1, conn_written) != 0)
		conn_close(c);
}

/* A complete line has arrived: start the wait, or close if it is bad. */
static void conn_request(struct conn *c)
{
	const char *num = c->line + 5;
	size_t numlen = c->len > 6 ? c->len - 6 : 0; /* between "WAIT " and "\n" */
	double ms;

	if (c->len < 7 || memcmp(c->line, "WAIT ", 5) != 0 ||
	    latency_parse_ms(num, numlen, &ms) != 0) {
		conn_close(c);
		return;
	}
	c->reply_len = (size_t)snprintf(c->reply, sizeof c->reply, "OK %.*s\n", (int)numlen, num);
	c->deadline = uv_hrtime() + (uint64_t)ceil(ms * 1e6);
	c->waiting = 1;
	conn_arm(c, conn_timer);
}

/*
 * Bytes after the request line, or the client hanging up during the wait,
 * end the connection: one request per connection, and a client that gave up
 * (a cancelled task) should not cost a timer until its deadline.
 */
static void conn_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	struct conn *c = stream->data;

	if (nread == 0)
		return;
	if (nread < 0 || c->waiting) {
		conn_close(c);
		return;
	}
	const char *nl = memchr(buf->base, '\n', (size_t)nread);
	size_t take = nl ? (size_t)(nl - buf->base) + 1 : (size_t)nread;

	if (take != (size_t)nread || c->len + take > LATENCY_LINE_MAX) {
		conn_close(c);
		return;
	}
	memcpy(c->line + c->len, buf->base, take);
	c->len += take;
	if (nl)
		conn_request(c);
	else if (c->len == LATENCY_LINE_MAX)
		conn_close(c);
}

static void conn_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)h;
	(void)suggested;
	*buf = uv_buf_init(read_buf, sizeof read_buf);
}

/*
 * A connection coming right after another is part of a burst (C10K's ramp):
 * the loop then polls without sleeping for a while, see server_loop.
 */
static void server_note_accept(void)
{
	uint64_t now = uv_hrtime();

	if (now - server.last_accept < BURST_GAP_NS)
		server.spin_until = now + BURST_SPIN_NS;
	server.last_accept = now;
}

static void server_accept(uv_stream_t *listener, int status)
{
	if (status < 0)
		return;
	server_note_accept();
	struct conn *c = calloc(1, sizeof *c);

	if (c == NULL) {
		/* Not accepting would stall the listener; there is no way on. */
		fputs("conctui: latency server: out of memory\n", stderr);
		_exit(1);
	}
	uv_tcp_init(&server.loop, &c->tcp);
	uv_timer_init(&server.loop, &c->timer);
	c->tcp.data = c->timer.data = c;
	c->open_handles = 2;
	if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0 ||
	    uv_read_start((uv_stream_t *)&c->tcp, conn_alloc, conn_read) != 0)
		conn_close(c);
}

/* Connections carry their struct in data; the listener and stop do not. */
static void server_close_handle(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (uv_is_closing(h))
		return;
	if (h->data != NULL)
		conn_close(h->data);
	else
		uv_close(h, NULL);
}

/*
 * SIGTERM arrived: close everything, so uv_run returns and the loop closes.
 * A second SIGTERM during the teardown just ends the process: the handler
 * must not poke an async handle that is being closed.
 */
static void server_stop(uv_async_t *a)
{
	signal(SIGTERM, SIG_DFL);
	uv_walk(a->loop, server_close_handle, NULL);
}

static void server_sigterm(int sig)
{
	(void)sig;
	uv_async_send(&server.stop); /* async-signal-safe, by libuv's contract */
}

/* Tells the parent how start-up went: "+" for ready, else the message. */
static void server_report(int fd, const char *msg)
{
	const char *what = msg ? msg : "+";
	ssize_t n;

	do
		n = write(fd, what, strlen(what));
	while (n < 0 && errno == EINTR);
	close(fd);
}

/* The fresh loop, the inherited listener on it, and the stop handle. */
static int server_init(int lfd)
{
	uv_stream_t *ls = (uv_stream_t *)&server.listener;
	int rc;

	if ((rc = uv_loop_init(&server.loop)) != 0 ||
	    (rc = uv_tcp_init(&server.loop, &server.listener)) != 0 ||
	    (rc = uv_tcp_open(&server.listener, lfd)) != 0 ||
	    (rc = uv_listen(ls, LATENCY_BACKLOG, server_accept)) != 0)
		return rc;
	return uv_async_init(&server.loop, &server.stop, server_stop);
}

/*
 * Runs the loop until server_stop has closed everything.  During a burst
 * of connections it polls without sleeping.  A server asleep is woken by
 * every connect, and the client pays for that wake-up (an interrupt to
 * the other core, or the scheduler moving the server onto the client's
 * core): on a virtual machine it made C10K's connects a quarter slower.
 * A burst's spin ends BURST_SPIN_NS after its last connection; requests
 * one at a time never spin.
 */
static void server_loop(void)
{
	for (;;) {
		int busy = uv_hrtime() < server.spin_until;
		if (uv_run(&server.loop, busy ? UV_RUN_NOWAIT : UV_RUN_ONCE) == 0)
			return;
	}
}

/* Serves LFD until SIGTERM; start-up failures are reported on READY_FD. */
static int server_run(int lfd, int ready_fd)
{
	char msg[160];
	int rc = server_init(lfd);

	if (rc != 0) {
		snprintf(msg, sizeof msg, "latency server: %s", uv_strerror(rc));
		server_report(ready_fd, msg);
		return 1;
	}
	/* Only now is there a loop for the handler to wake. */
	struct sigaction sa = {.sa_handler = server_sigterm};

	sigfillset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	server_report(ready_fd, NULL);
	server_loop(); /* returns once server_stop closed all */
	return uv_loop_close(&server.loop) == 0 ? 0 : 1;
}

/*
 * Whatever the parent had installed (libuv's handlers write to the parent's
 * loop) is gone.  Two exceptions: SIGPIPE is ignored, because writing a
 * reply to a client that already left must not kill the server; SIGINT is
 * ignored, because Ctrl-C reaches the whole foreground process group and the
 * server's lifetime belongs to the parent (SIGTERM, or the parent's death).
 */
static void server_reset_signals(void)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL}, ign = {.sa_handler = SIG_IGN};
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL); /* EINVAL for libc's own: fine */
	sigaction(SIGPIPE, &ign, NULL);
	sigaction(SIGINT, &ign, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void close_span(int first, int last)
{
	if (first > last)
		return;
	if (close_range((unsigned)first, (unsigned)last, 0) == 0)
		return;
	/* Kernels before 5.9 lack close_range: close one by one. */
	long max = sysconf(_SC_OPEN_MAX);

	for (long fd = first; fd <= last && fd < max; fd++)
		close((int)fd);
}

/*
 * The child inherits every descriptor of the parent: the terminal, the UI's
 * epoll and signal pipes, other servers' sockets, executors' pipes.  Holding
 * them would keep those alive (a pipe never reaching EOF), so all go but
 * stderr and the two kept ones; stdin and stdout become /dev/null so that no
 * new socket takes their numbers.  A and B are above 2.
 */
static void server_close_fds(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;
	int null_fd;

	close_span(3, lo - 1);
	close_span(lo + 1, hi - 1);
	close_span(hi + 1, INT_MAX);
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd >= 0) {
		dup2(null_fd, 0);
		dup2(null_fd, 1);
		if (null_fd > 2)
			close(null_fd);
	}
}

/* Moves FD above the standard streams (it may be 0 or 1 if those were shut). */
static int fd_above_stdio(int fd)
{
	return fd > 2 ? fd : fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

/* The forked child: never returns. */
static _Noreturn void server_child(int lfd, int ready_fd, pid_t parent)
{
	struct rlimit rl;

	/* Die with the parent: if it is already gone, getppid() has changed. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
		_exit(1);
	server_reset_signals();
	lfd = fd_above_stdio(lfd);
	ready_fd = fd_above_stdio(ready_fd);
	server_close_fds(lfd, ready_fd);
	/* C10k holds 10,000 connections: take all the descriptors allowed. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* _exit, not exit: the parent's atexit handlers and stdio are not ours. */
	_exit(server_run(lfd, ready_fd));
}

/* ---------------------------------------------------------------------------
 * The parent: start, watch, stop
 * ------------------------------------------------------------------------ */

static pthread_mutex_t server_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t server_pid;	   /* the server process, 0 when none */
static _Atomic pid_t server_owner; /* the process that forked it; only it stops it */
static _Atomic int server_port;	   /* read by executors on any thread */
static int server_atexit;	   /* latency_stop is registered */

/* A listening socket on 127.0.0.1, ephemeral port; the fd, or -1 with ERR. */
static int listen_loopback(int *port, char *err, size_t errlen)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	const char *what = "socket";

	if (fd < 0)
		goto fail;
	what = "bind 127.0.0.1";
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
		goto fail;
	what = "listen";
	if (listen(fd, LATENCY_BACKLOG) != 0)
		goto fail;
	what = "getsockname";
	if (getsockname(fd, (struct sockaddr *)&a, &alen) != 0)
		goto fail;
	*port = ntohs(a.sin_port);
	return fd;
fail:
	snprintf(err, errlen, "latency server: %s: %s", what, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Waits for the child's start-up report; 0, or -1 with ERR. */
static int server_wait_ready(int fd, char *err, size_t errlen)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char msg[160];
	uint64_t deadline = clock_now_ns() + LATENCY_READY_MS * CLOCK_NS_PER_MS;
	ssize_t n = -1;

	while (clock_now_ns() < deadline) {
		int left = (int)((deadline - clock_now_ns()) / CLOCK_NS_PER_MS) + 1;

		if (poll(&p, 1, left) > 0) {
			do
				n = read(fd, msg, sizeof msg - 1);
			while (n < 0 && errno == EINTR);
			break;
		}
	}
	if (n > 0 && msg[0] == '+')
		return 0;
	if (n > 0)
		snprintf(err, errlen, "%.*s", (int)n, msg);
	else if (n == 0)
		snprintf(err, errlen, "latency server: exited during start-up");
	else
		snprintf(err, errlen, "latency server: not ready after %d ms", LATENCY_READY_MS);
	return -1;
}

/* Reaps PID, giving it LATENCY_STOP_MS to leave after SIGTERM. */
static void server_reap(pid_t pid)
{
	uint64_t deadline = clock_now_ns() + LATENCY_STOP_MS * CLOCK_NS_PER_MS;
	struct timespec tick = {.tv_nsec = 500000};
	pid_t r;

	kill(pid, SIGTERM);
	while (clock_now_ns() < deadline) {
		r = waitpid(pid, NULL, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return; /* reaped, or not ours to reap (ECHILD) */
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	do
		r = waitpid(pid, NULL, 0);
	while (r < 0 && errno == EINTR);
}

/* Forks the server; its port, or -1 with ERR.  Called with server_lock. */
static int server_spawn(char *err, size_t errlen)
{
	int port, ready[2];
	int lfd = listen_loopback(&port, err, errlen);
	pid_t parent = getpid(), pid;

	if (lfd < 0)
		return -1;
	if (pipe2(ready, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "latency server: pipe: %s", strerror(errno));
		close(lfd);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		server_child(lfd, ready[1], parent);
	}
	int fork_errno = errno;

	/* The child owns the listener now: if it dies, connecting must fail. */
	close(lfd);
	close(ready[1]);
	if (pid < 0) {
		snprintf(err, errlen, "latency server: fork: %s", strerror(fork_errno));
		close(ready[0]);
		return -1;
	}
	int rc = server_wait_ready(ready[0], err, errlen);

	close(ready[0]);
	if (rc != 0) {
		server_reap(pid);
		return -1;
	}
	server_pid = pid;
	server_owner = parent;
	atomic_store(&server_port, port);
	return port;
}

/* True while the server process lives; forgets it once it has died. */
static int server_alive(void)
{
	if (server_pid <= 0)
		return 0;
	pid_t r = waitpid(server_pid, NULL, WNOHANG);

	if (r == 0 || (r < 0 && errno == EINTR))
		return 1;
	server_pid = 0;
	atomic_store(&server_port, 0);
	return 0;
}

/*
 * True when nothing listens on the server's port any more.  A killed
 * server closes its sockets before it can be reaped, so a client may see
 * the reset first: a refused connect then says the exit is under way.
 */
static int server_gone(int port)
{
	struct sockaddr_in a = {
	    .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int refused;

	if (fd < 0)
		return 0;
	refused = connect(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno == ECONNREFUSED;
	close(fd);
	return refused;
}

int latency_died(char *buf, size_t len)
{
	int status = 0, died = 0;
	pid_t r;

	if (getpid() != atomic_load(&server_owner))
		return 0;
	pthread_mutex_lock(&server_lock);
	r = server_pid > 0 ? waitpid(server_pid, &status, WNOHANG) : -1;
	if (r == 0 && server_gone(atomic_load(&server_port)))
		do /* it is exiting: its status comes at once */
			r = waitpid(server_pid, &status, 0);
		while (r < 0 && errno == EINTR);
	if (server_pid > 0 && r == server_pid) {
		if (WIFSIGNALED(status))
			snprintf(buf, len,
				 "the latency server (pid %d) was killed by signal %d (%s)",
				 (int)server_pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
		else
			snprintf(buf, len, "the latency server (pid %d) exited with status %d",
				 (int)server_pid, WEXITSTATUS(status));
		/* Forgotten: the next run that does I/O starts another. */
		server_pid = 0;
		atomic_store(&server_port, 0);
		died = 1;
	}
	pthread_mutex_unlock(&server_lock);
	return died;
}

/*
 * Call from the main thread: PR_SET_PDEATHSIG fires when the *thread* that
 * forked the server exits, not the process, so forking from a worker thread
 * would kill the server when that worker ends.
 */
int latency_start(char *err, size_t errlen)
{
	int port;

	pthread_mutex_lock(&server_lock);
	if (server_pid > 0 && getpid() != server_owner) {
		/* A forked child (an executor's process) shares its parent's server. */
		port = atomic_load(&server_port);
	} else if (server_alive()) {
		port = atomic_load(&server_port);
	} else {
		port = server_spawn(err, errlen);
		if (port > 0 && !server_atexit)
			server_atexit = atexit(latency_stop) == 0;
	}
	pthread_mutex_unlock(&server_lock);
	return port;
}

int latency_port(void)
{
	return atomic_load(&server_port);
}

/* Only the process that started the server stops it: children that call
 * exit() run the inherited atexit handler too. */
void latency_stop(void)
{
	/* Checked before locking: a child forked while the lock was held would hang. */
	if (getpid() != atomic_load(&server_owner))
		return;
	pthread_mutex_lock(&server_lock);
	if (server_pid > 0) {
		server_reap(server_pid);
		server_pid = 0;
		atomic_store(&server_port, 0);
	}
	pthread_mutex_unlock(&server_lock);
}
