/*
 * broker.c -- the Redis broker: connections by URL (hiredis), a private
 * redis-server for runs that name none, and the broker's clock.
 *
 * A private server lives in a directory named for the process that owns
 * it (conctui-broker-PID-XXXXXX).  The server dies with its owner, but a
 * killed owner cannot remove the directory: the next private server
 * removes those whose owner is gone.
 */
#include "broker.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hiredis.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "clock.h"

/* How long a private redis-server may take to answer, and to stop. */
#define BROKER_START_MS 5000
#define BROKER_STOP_MS 2000
#define BROKER_POLL_MS 5
/* A private server's directory: PREFIX, its owner's pid, '-', mkdtemp's six characters. */
#define BROKER_DIR_PREFIX "conctui-broker-"

struct broker {
	redisContext *c;
};

/* ---- connections -------------------------------------------------------- */

static redisContext *open_url(const char *url, int timeout_ms, char *err, size_t errlen)
{
	struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
	char host[BROKER_URL_MAX];
	long port = 6379;

	if (strncmp(url, "unix://", 7) == 0 && url[7] == '/')
		return redisConnectUnixWithTimeout(url + 7, tv);
	if (strncmp(url, "redis://", 8) != 0 || !url[8]) {
		snprintf(err, errlen, "not a broker URL (redis://HOST:PORT or unix:///PATH)");
		return NULL;
	}
	snprintf(host, sizeof host, "%s", url + 8);
	char *slash = strchr(host, '/'), *colon = strrchr(host, ':');
	if (slash)
		*slash = '\0';
	if (colon && colon > host) {
		char *end;
		errno = 0;
		port = strtol(colon + 1, &end, 10);
		if (errno || *end || end == colon + 1 || port < 1 || port > 65535) {
			snprintf(err, errlen, "not a port number in the broker URL");
			return NULL;
		}
		*colon = '\0';
	}
	if (!host[0]) {
		snprintf(err, errlen, "no host in the broker URL");
		return NULL;
	}
	return redisConnectWithTimeout(host, (int)port, tv);
}

struct broker *broker_connect(const char *url, int timeout_ms, char *err, size_t errlen)
{
	struct broker *b = calloc(1, sizeof *b);
	redisReply *pong;

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	err[0] = '\0';
	b->c = open_url(url, timeout_ms, err, errlen);
	if (!b->c || b->c->err) {
		if (!err[0])
			snprintf(err, errlen, "cannot reach the broker: %s",
				 b->c ? b->c->errstr : "out of memory");
		broker_close(b);
		return NULL;
	}
	/* Commands wait as long as they need; only the first answer is timed. */
	pong = redisCommand(b->c, "PING");
	if (!pong || pong->type == REDIS_REPLY_ERROR) {
		snprintf(err, errlen, "the broker does not answer: %s",
			 pong ? pong->str : b->c->errstr);
		freeReplyObject(pong);
		broker_close(b);
		return NULL;
	}
	freeReplyObject(pong);
	redisSetTimeout(b->c, (struct timeval){0, 0});
	return b;
}

void broker_close(struct broker *b)
{
	if (!b)
		return;
	if (b->c)
		redisFree(b->c);
	free(b);
}

int broker_lost(const struct broker *b)
{
	return b->c->err != 0;
}

const char *broker_error(const struct broker *b)
{
	return b->c->err ? b->c->errstr : "";
}

void *broker_command(struct broker *b, const char *fmt, ...)
{
	va_list ap;
	void *reply;

	if (b->c->err)
		return NULL;
	va_start(ap, fmt);
	reply = redisvCommand(b->c, fmt, ap);
	va_end(ap);
	return reply;
}

void broker_free(void *reply)
{
	if (reply)
		freeReplyObject(reply);
}

int broker_append(struct broker *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = redisvAppendCommand(b->c, fmt, ap);
	va_end(ap);
	return rc == REDIS_OK ? 0 : -1;
}

int broker_pipeline_end(struct broker *b, int n)
{
	int rc = 0;

	for (int i = 0; i < n; i++) {
		void *reply = NULL;
		if (redisGetReply(b->c, &reply) != REDIS_OK)
			return -1;
		if (((redisReply *)reply)->type == REDIS_REPLY_ERROR)
			rc = -1;
		freeReplyObject(reply);
	}
	return rc;
}

int broker_ok(struct broker *b, const char *fmt, ...)
{
	va_list ap;
	redisReply *r;
	int rc;

	if (b->c->err)
		return -1;
	va_start(ap, fmt);
	r = redisvCommand(b->c, fmt, ap);
	va_end(ap);
	rc = r && r->type != REDIS_REPLY_ERROR ? 0 : -1;
	broker_free(r);
	return rc;
}

long long broker_info(struct broker *b, const char *section, const char *name)
{
	redisReply *r = broker_command(b, "INFO %s", section);
	long long v = -1;
	size_t n = strlen(name);

	for (const char *p = r && r->type == REDIS_REPLY_STRING ? r->str : NULL; p && *p;) {
		if (strncmp(p, name, n) == 0 && p[n] == ':') {
			v = strtoll(p + n + 1, NULL, 10);
			break;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	broker_free(r);
	return v;
}

/* ---- the broker's clock ------------------------------------------------- */

/* TIME's answer (seconds, microseconds) in ns; 0 when it is not one. */
static uint64_t time_reply_ns(const redisReply *r)
{
	if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
	    r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_STRING)
		return 0;
	return strtoull(r->element[0]->str, NULL, 10) * 1000000000ull +
	       strtoull(r->element[1]->str, NULL, 10) * 1000ull;
}

int broker_clock_offset(struct broker *b, int rounds, int64_t *offset_ns, uint64_t *uncertainty_ns)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < rounds; i++) {
		uint64_t t0 = clock_now_ns();
		redisReply *r = broker_command(b, "TIME");
		uint64_t t1 = clock_now_ns(), at = time_reply_ns(r);
		broker_free(r);
		if (!at)
			return -1;
		/* The broker read its clock somewhere in the round trip: the middle, +- half. */
		if (t1 - t0 < best) {
			best = t1 - t0;
			*offset_ns = (int64_t)(at - (t0 + best / 2));
			*uncertainty_ns = best / 2 + 500; /* TIME itself is in us */
		}
	}
	return best == UINT64_MAX ? -1 : 0;
}

/* ---- directories left by killed owners --------------------------------- */

/* The owner's pid in the name of a private server's directory, or 0 when NAME is not one. */
static pid_t dir_owner(const char *name)
{
	const char *s = name + strlen(BROKER_DIR_PREFIX), *digits = s;
	long long pid = 0;

	if (strncmp(name, BROKER_DIR_PREFIX, strlen(BROKER_DIR_PREFIX)) != 0)
		return 0;
	for (; isdigit((unsigned char)*s) && s - digits < 10; s++)
		pid = pid * 10 + (*s - '0');
	if (s == digits || *s != '-' || strlen(s + 1) != 6 || pid <= 0 || pid > INT32_MAX)
		return 0;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s))
			return 0;
	return (pid_t)pid;
}

/*
 * Whether a server still answers on the socket in PARENT/NAME: an owner in
 * another pid namespace (a container sharing /tmp) looks gone from here.
 */
static bool socket_answers(const char *parent, const char *name)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd, n = snprintf(a.sun_path, sizeof a.sun_path, "%s/%s/redis.sock", parent, name);
	bool answers;

	if (n < 0 || (size_t)n >= sizeof a.sun_path)
		return true; /* cannot ask: keep it */
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return true;
	answers = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	close(fd);
	return answers;
}

/*
 * Removes PARENT/NAME (PARENT open as DIRFD) when it is a real directory of
 * this user whose server is gone: only the files a server leaves are
 * unlinked, so a directory holding anything else stays.  Nothing is
 * followed: the directory is opened with O_NOFOLLOW and checked by its fd.
 */
static void remove_stale(int dirfd, const char *parent, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
	    !socket_answers(parent, name)) {
		unlinkat(fd, "redis.sock", 0);
		unlinkat(fd, "dump.rdb", 0);
		unlinkat(dirfd, name, AT_REMOVEDIR);
	}
	close(fd);
}

/*
 * The directories in PARENT of private servers whose owner is gone (it was
 * killed, or crashed): kill(pid, 0) says ESRCH.  A pid taken again by
 * another process keeps its directory until that one ends too.
 */
static void sweep_stale(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		pid_t pid = dir_owner(e->d_name);

		if (pid > 0 && pid != getpid() && kill(pid, 0) < 0 && errno == ESRCH)
			remove_stale(dirfd(d), parent, e->d_name);
	}
	closedir(d);
}

/* ---- a private redis-server ---------------------------------------------- */

static _Noreturn void exec_server(const struct broker_server *s, const char *sock)
{
	int null;

	if (child_tie(getppid(), NULL, 0) < 0 || (null = open("/dev/null", O_RDWR)) < 0)
		_exit(126);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	close(null);
	/* Ctrl-C goes to the foreground group; the server's end is the run's to decide. */
	execlp("redis-server", "redis-server", "--port", "0", "--unixsocket", sock,
	       "--unixsocketperm", "700", "--save", "", "--appendonly", "no", "--dir", s->dir,
	       "--daemonize", "no", "--protected-mode", "no", (char *)NULL);
	_exit(errno == ENOENT ? 127 : 126);
}

/* Waits for the server to answer, or to die; 0 or -1 with a message. */
static int await_server(struct broker_server *s, char *err, size_t errlen)
{
	uint64_t until = clock_now_ns() + BROKER_START_MS * 1000000ull;
	char why[256];

	while (clock_now_ns() < until) {
		int status;
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			snprintf(err, errlen, "%s",
				 WIFEXITED(status) && WEXITSTATUS(status) == 127
				     ? "redis-server is not installed (make deps installs it)"
				     : "redis-server stopped as it started");
			return -1;
		}
		struct broker *b = broker_connect(s->url, 100, why, sizeof why);
		if (b) {
			broker_close(b);
			return 0;
		}
		nanosleep(&(struct timespec){0, BROKER_POLL_MS * 1000000L}, NULL);
	}
	snprintf(err, errlen, "redis-server did not answer within %d s", BROKER_START_MS / 1000);
	return -1;
}

int broker_server_start(struct broker_server *s, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	const char *parent = tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp";
	char sock[sizeof s->dir + 16];

	memset(s, 0, sizeof *s);
	sweep_stale(parent);
	snprintf(s->dir, sizeof s->dir, "%s/" BROKER_DIR_PREFIX "%d-XXXXXX", parent, (int)getpid());
	if (!mkdtemp(s->dir)) {
		snprintf(err, errlen, "cannot make a directory for redis-server: %s",
			 strerror(errno));
		s->dir[0] = '\0';
		return -1;
	}
	snprintf(sock, sizeof sock, "%s/redis.sock", s->dir);
	snprintf(s->url, sizeof s->url, "unix://%s", sock);
	s->pid = fork();
	if (s->pid == 0)
		exec_server(s, sock);
	if (s->pid < 0) {
		snprintf(err, errlen, "cannot start redis-server: %s%s", strerror(errno),
			 child_fork_hint(errno));
		s->pid = 0;
		broker_server_stop(s);
		return -1;
	}
	if (await_server(s, err, errlen) < 0) {
		broker_server_stop(s);
		return -1;
	}
	return 0;
}

/* Waits up to MS for the server to end; whether it did. */
static int reaped(pid_t pid, int ms)
{
	uint64_t until = clock_now_ns() + (uint64_t)ms * 1000000ull;

	do {
		pid_t r = waitpid(pid, NULL, WNOHANG);
		if (r == pid || (r < 0 && errno == ECHILD))
			return 1;
		nanosleep(&(struct timespec){0, BROKER_POLL_MS * 1000000L}, NULL);
	} while (clock_now_ns() < until);
	return 0;
}

void broker_server_stop(struct broker_server *s)
{
	char path[sizeof s->dir + 16];

	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		if (!reaped(s->pid, BROKER_STOP_MS)) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
		}
		s->pid = 0;
	}
	if (s->dir[0]) {
		/* No persistence: the socket is all it leaves, unless it crashed. */
		snprintf(path, sizeof path, "%s/redis.sock", s->dir);
		unlink(path);
		snprintf(path, sizeof path, "%s/dump.rdb", s->dir);
		unlink(path);
		rmdir(s->dir);
		s->dir[0] = '\0';
	}
}
