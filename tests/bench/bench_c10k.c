/*
 * bench_c10k.c -- seed 002's C10K on the asyncio executor: what a
 * coroutine costs, and whether 10,000 concurrent waits take the time of one.
 *
 * coroutine_bytes: resident memory per task while all 10,000 are in
 * flight (coroutine, timer slot and request; the trace's own pages are
 * left out), as the executor records it; the largest of the rounds.
 * Target: at most 256.
 * c10k_vs_one: wall time of 10,000 requests of 1000 ms at once over that of
 * a single one run just before it.  Target: at most 1.2.  Runs alternate so
 * that drifting load on a shared machine hits both alike; the figure is
 * the median of the rounds' ratios, and every round is printed.
 * c10k_floor_vs_one: the same 10,000 requests to the same server made by a
 * bare C loop (socket, connect, send and epoll_ctl for each, then the
 * answers as they come), over one request made so: what this machine's
 * kernel costs before conctui does anything, measured in the same rounds.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_util.h"
#include "clock.h"
#include "latency.h"
#include "run.h"
#include "scenario.h"
#include "stats.h"
#include "trace.h"

#define ROUNDS 7
#define MANY 10000

/* assets/scenarios/c10k.ini, and the same with one connection. */
static const char *const c10k_text = "[scenario]\nname = c10k\n"
				     "[task conn]\nsteps = io 1000\ncount = 10000\n";
static const char *const one_text = "[scenario]\nname = one\n"
				    "[task conn]\nsteps = io 1000\n";

/* Runs TEXT on asyncio: its wall ms, and its bytes per task in *BYTES. */
static double run_once(const char *text, double *bytes)
{
	struct scenario sc;
	struct run_opts o = {.backend = "asyncio"};
	char err[256];

	if (scenario_parse(text, "bench", &sc, err, sizeof err) != 0) {
		fprintf(stderr, "bench_c10k: %s\n", err);
		exit(1);
	}
	struct run *r = run_start(&sc, &o, NULL, NULL, err, sizeof err);
	if (!r || run_wait(r) != 0) {
		fprintf(stderr, "bench_c10k: %s\n", r ? run_error(r) : err);
		exit(1);
	}
	struct trace *tr = run_trace(r);
	for (int i = 0; i < tr->ntasks; i++)
		if (trace_outcome(tr, i) != OUTCOME_DONE) {
			fprintf(stderr, "bench_c10k: task %d did not finish\n", i);
			exit(1);
		}
	double wall = clock_ns_to_ms(tr->meta.wall_ns);
	*bytes = tr->meta.bytes_per_task;
	run_free(r);
	scenario_free(&sc);
	return wall;
}

static _Noreturn void floor_fail(const char *what)
{
	fprintf(stderr, "bench_c10k: bare client: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Reads FD's answer to its end; 1 when it is over (EOF), 0 for more to come. */
static int floor_read(int fd)
{
	char buf[64];

	for (;;) {
		ssize_t k = read(fd, buf, sizeof buf);
		if (k == 0)
			return 1;
		if (k < 0)
			return errno == EAGAIN ? 0 : (floor_fail("read"), 0);
	}
}

/* Wall ms of N requests of 1000 ms to PORT made by a bare loop, all at once. */
static double floor_once(int port, int n)
{
	static int fds[MANY];
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int ep = epoll_create1(EPOLL_CLOEXEC);
	uint64_t t0 = clock_now_ns();

	if (ep < 0)
		floor_fail("epoll_create1");
	for (int i = 0; i < n; i++) {
		struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET,
					 .data.u32 = (uint32_t)i};
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			floor_fail("socket");
		if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS)
			floor_fail("connect");
		if (send(fd, "WAIT 1000\n", 10, MSG_NOSIGNAL) != 10)
			floor_fail("send");
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
			floor_fail("epoll_ctl");
		fds[i] = fd;
	}
	for (int left = n; left > 0;) {
		struct epoll_event ev[256];
		int got = epoll_wait(ep, ev, 256, 10000);
		if (got <= 0)
			floor_fail("epoll_wait");
		for (int k = 0; k < got; k++) {
			int i = (int)ev[k].data.u32;
			if (fds[i] >= 0 && floor_read(fds[i])) {
				close(fds[i]);
				fds[i] = -1;
				left--;
			}
		}
	}
	close(ep);
	return clock_ns_to_ms(clock_now_ns() - t0);
}

int main(void)
{
	double many[ROUNDS], one[ROUNDS], bytes[ROUNDS], ratio[ROUNDS], unused;
	double bare[ROUNDS];
	struct rlimit rl;
	char err[256];
	int port = latency_start(err, sizeof err);

	if (port <= 0) {
		fprintf(stderr, "bench_c10k: %s\n", err);
		return 1;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (int i = 0; i < ROUNDS; i++) {
		one[i] = run_once(one_text, &unused);
		many[i] = run_once(c10k_text, &bytes[i]);
		ratio[i] = many[i] / one[i];
		double b1 = floor_once(port, 1), bn = floor_once(port, MANY);
		bare[i] = bn / b1;
		fprintf(stderr,
			"bench_c10k: round %d: one %.0f ms, 10k %.0f ms, %.0f bytes; "
			"bare one %.0f ms, 10k %.0f ms\n",
			i + 1, one[i], many[i], bytes[i], b1, bn);
	}
	/*
	 * The largest round: later rounds reuse memory malloc kept from the
	 * rounds before (the arena's top is never handed back), which the
	 * meter rightly does not see grow, so they read low.
	 */
	double most = 0;
	for (int i = 0; i < ROUNDS; i++)
		most = bytes[i] > most ? bytes[i] : most;
	bench_print("coroutine_bytes", 0, most, "bytes", bytes, ROUNDS);
	bench_median("c10k_vs_one", 3, "ratio", ratio, ROUNDS);
	bench_median("c10k_floor_vs_one", 3, "ratio", bare, ROUNDS);
	bench_median("c10k_ms", 0, "ms", many, ROUNDS);
	bench_median("c10k_one_ms", 0, "ms", one, ROUNDS);
	return 0;
}
