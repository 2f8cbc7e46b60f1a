/*
 * observe_proc.c -- reading /proc for one thread, and the one table that
 * says what a wait in each system call (or kernel function) is.
 */
#include "observe_proc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- the classification ------------------------------------------------- */

/*
 * A wait in a system call: X(number, state, words).  Reads and receives on
 * a socket are I/O; the same calls on a pipe or a terminal are another
 * kind of wait (`blocked`), decided in proc_classify.
 */
#define SYSCALL_READ_LIKE(X)                                                                       \
	X(SYS_read, STATE_IO, "read")                                                              \
	X(SYS_recvfrom, STATE_IO, "recv")                                                          \
	X(SYS_recvmsg, STATE_IO, "recvmsg")                                                        \
	X(SYS_accept4, STATE_IO, "accept")                                                         \
	X(SYS_connect, STATE_IO, "connect")

#define SYSCALL_WAITS(X)                                                                           \
	X(SYS_futex, STATE_LOCK, "futex wait")                                                     \
	X(SYS_nanosleep, STATE_SLEEP, "nanosleep")                                                 \
	X(SYS_clock_nanosleep, STATE_SLEEP, "clock_nanosleep")                                     \
	X(SYS_ppoll, STATE_IO, "ppoll")                                                            \
	X(SYS_pselect6, STATE_IO, "pselect6")                                                      \
	X(SYS_epoll_pwait, STATE_IO, "epoll_pwait")                                                \
	X(SYS_wait4, STATE_BLOCKED, "wait4")                                                       \
	X(SYS_waitid, STATE_BLOCKED, "waitid")

/* Calls that only some architectures have (x86-64 has them all). */
#define SYSCALL_WAITS_OLD(X)                                                                       \
	X(SYS_poll, STATE_IO, "poll")                                                              \
	X(SYS_select, STATE_IO, "select")                                                          \
	X(SYS_epoll_wait, STATE_IO, "epoll_wait")                                                  \
	X(SYS_accept, STATE_IO, "accept")

struct syscall_wait {
	long nr;
	enum state state;
	const char *words;
	bool read_like; /* I/O only on a socket */
};

static const struct syscall_wait syscall_waits[] = {
#define X(nr, st, w) {nr, st, w, true},
    SYSCALL_READ_LIKE(X)
#undef X
#define X(nr, st, w) {nr, st, w, false},
	SYSCALL_WAITS(X)
#undef X
#if defined(SYS_poll) && defined(SYS_select) && defined(SYS_epoll_wait) && defined(SYS_accept)
#define X(nr, st, w) {nr, st, w, false},
	    SYSCALL_WAITS_OLD(X)
#undef X
#endif
};

/* A wait in a kernel function, when the system call cannot be read: X(prefix, state, words). */
#define WCHAN_WAITS(X)                                                                             \
	X("futex", STATE_LOCK, "futex wait")                                                       \
	X("do_nanosleep", STATE_SLEEP, "nanosleep")                                                \
	X("hrtimer_nanosleep", STATE_SLEEP, "nanosleep")                                           \
	X("ep_poll", STATE_IO, "epoll_wait")                                                       \
	X("do_sys_poll", STATE_IO, "poll")                                                         \
	X("do_select", STATE_IO, "select")                                                         \
	X("core_sys_select", STATE_IO, "select")                                                   \
	X("sk_wait_data", STATE_IO, "recv on a socket")                                            \
	X("inet_csk_accept", STATE_IO, "accept")                                                   \
	X("unix_stream_read", STATE_IO, "recv on a socket")                                        \
	X("do_wait", STATE_BLOCKED, "wait4")                                                       \
	X("pipe_read", STATE_BLOCKED, "read on a pipe")

static const struct {
	const char *prefix;
	enum state state;
	const char *words;
} wchan_waits[] = {
#define X(p, st, w) {p, st, w},
    WCHAN_WAITS(X)
#undef X
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A futex wait that is not process-private is glibc's pthread_join (the
 * kernel wakes it when the thread ends); locks and conditions are private.
 */
#define FUTEX_PRIVATE 128
#define FUTEX_CMD_MASK 127
#define FUTEX_WAIT_CMD 0
#define FUTEX_WAIT_BITSET_CMD 9

void proc_classify(long nr, long arg1, char fd_kind, const char *wchan, struct proc_wait *w)
{
	long cmd = arg1 & FUTEX_CMD_MASK;

	w->known = true;
	if (nr == SYS_futex && (cmd == FUTEX_WAIT_CMD || cmd == FUTEX_WAIT_BITSET_CMD) &&
	    !(arg1 & FUTEX_PRIVATE)) {
		w->state = STATE_BLOCKED;
		snprintf(w->reason, sizeof w->reason, "futex wait (join)");
		return;
	}
	for (size_t i = 0; nr >= 0 && i < NELEM(syscall_waits); i++) {
		const struct syscall_wait *s = &syscall_waits[i];
		if (s->nr != nr)
			continue;
		if (s->read_like && fd_kind != 's') {
			w->state = STATE_BLOCKED;
			snprintf(w->reason, sizeof w->reason, "%s on a %s", s->words,
				 fd_kind == 'p' ? "pipe" : "file");
		} else {
			w->state = s->state;
			snprintf(w->reason, sizeof w->reason, "%s%s", s->words,
				 s->read_like ? " on a socket" : "");
		}
		return;
	}
	for (size_t i = 0; wchan && *wchan && i < NELEM(wchan_waits); i++)
		if (strncmp(wchan, wchan_waits[i].prefix, strlen(wchan_waits[i].prefix)) == 0) {
			w->state = wchan_waits[i].state;
			snprintf(w->reason, sizeof w->reason, "%s", wchan_waits[i].words);
			return;
		}
	w->state = STATE_BLOCKED;
	if (nr >= 0)
		snprintf(w->reason, sizeof w->reason, "system call %ld", nr);
	else if (wchan && *wchan && strcmp(wchan, "0") != 0)
		snprintf(w->reason, sizeof w->reason, "in %.30s", wchan);
	else
		snprintf(w->reason, sizeof w->reason, "waiting");
	w->known = nr >= 0 || (wchan && *wchan && strcmp(wchan, "0") != 0);
}

/* ---- reading ------------------------------------------------------------ */

static int open_at(pid_t pid, pid_t tid, const char *file)
{
	char path[96];

	snprintf(path, sizeof path, "/proc/%d/task/%d/%s", (int)pid, (int)tid, file);
	return open(path, O_RDONLY | O_CLOEXEC);
}

int proc_thread_open(struct proc_thread *t, pid_t pid, pid_t tid)
{
	t->pid = pid;
	t->tid = tid;
	t->stat_fd = open_at(pid, tid, "stat");
	t->sched_fd = open_at(pid, tid, "schedstat");
	t->syscall_fd = open_at(pid, tid, "syscall");
	t->wchan_fd = open_at(pid, tid, "wchan");
	if (t->stat_fd < 0) {
		proc_thread_close(t);
		return -1;
	}
	return 0;
}

void proc_thread_close(struct proc_thread *t)
{
	int *fds[] = {&t->stat_fd, &t->sched_fd, &t->syscall_fd, &t->wchan_fd};

	for (size_t i = 0; i < NELEM(fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

/* The whole file at FD into BUF (NUL-terminated); its length, or -1. */
static ssize_t reread(int fd, char *buf, size_t cap)
{
	ssize_t n = fd >= 0 ? pread(fd, buf, cap - 1, 0) : -1;

	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* Parses "tid (comm) S ppid ... processor ..." (proc(5)): comm may hold ')'. */
static int parse_stat(char *buf, struct proc_sample *s, pid_t *ppid)
{
	char *open = strchr(buf, '('), *close = strrchr(buf, ')');

	if (!open || !close || close < open || close[1] != ' ')
		return -1;
	size_t len = (size_t)(close - open - 1);
	if (len >= sizeof s->comm)
		len = sizeof s->comm - 1;
	memcpy(s->comm, open + 1, len);
	s->comm[len] = '\0';
	s->state = close[2];
	s->cpu = -1;
	s->threads = 0;
	char *p = close + 3;
	/* Field 4 is the parent, 20 the thread count, 39 the processor. */
	for (int field = 4; *p && field <= 39; field++) {
		long v = strtol(p, &p, 10);
		if (field == 4 && ppid)
			*ppid = (pid_t)v;
		if (field == 20)
			s->threads = (int)v;
		if (field == 39)
			s->cpu = (int)v;
		while (*p == ' ')
			p++;
	}
	return 0;
}

int proc_thread_read(struct proc_thread *t, struct proc_sample *s)
{
	char buf[1024];

	if (reread(t->stat_fd, buf, sizeof buf) <= 0 || parse_stat(buf, s, NULL) < 0)
		return -1;
	s->run_ns = s->wait_ns = 0;
	if (reread(t->sched_fd, buf, sizeof buf) > 0) {
		char *p = buf;
		s->run_ns = strtoull(p, &p, 10);
		s->wait_ns = strtoull(p, &p, 10);
	}
	return s->state == 'Z' || s->state == 'X' ? -1 : 0;
}

/* 's' when FD of the thread's process is a socket, 'p' a pipe, else '?'. */
static char fd_kind_of(pid_t pid, long fd)
{
	char path[64], link[64];

	snprintf(path, sizeof path, "/proc/%d/fd/%ld", (int)pid, fd);
	ssize_t n = readlink(path, link, sizeof link - 1);
	if (n <= 0)
		return '?';
	link[n] = '\0';
	return strncmp(link, "socket:", 7) == 0 ? 's' : strncmp(link, "pipe:", 5) == 0 ? 'p' : '?';
}

void proc_thread_wait(struct proc_thread *t, struct proc_wait *w)
{
	char buf[256], wchan[64] = "";
	long nr = -1, arg0 = -1, arg1 = -1;

	/* "NR ARG0 ..." while in a call; "running", or "-1 ..." outside one. */
	if (reread(t->syscall_fd, buf, sizeof buf) > 0 && isdigit((unsigned char)buf[0])) {
		char *end;
		nr = strtol(buf, &end, 10);
		arg0 = strtol(end, &end, 16);
		arg1 = strtol(end, NULL, 16);
	}
	if (nr < 0 && reread(t->wchan_fd, buf, sizeof buf) > 0)
		snprintf(wchan, sizeof wchan, "%s", buf);
	char kind = nr >= 0 && arg0 >= 0 && arg0 < (1L << 20) ? fd_kind_of(t->pid, arg0) : '?';
	proc_classify(nr, arg1, kind, wchan, w);
}

/* ---- processes ---------------------------------------------------------- */

int proc_process_open(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	return open(path, O_RDONLY | O_CLOEXEC);
}

int proc_process_threads(int fd)
{
	char buf[1024];
	struct proc_sample s;

	if (reread(fd, buf, sizeof buf) <= 0 || parse_stat(buf, &s, NULL) < 0 || s.state == 'X')
		return -1;
	/* A leader that left with pthread_exit is a zombie while its other threads run. */
	if (s.state == 'Z' && s.threads <= 1)
		return -1;
	return s.threads;
}

int proc_process_info(pid_t pid, pid_t *ppid, char *comm, size_t len)
{
	char path[64], buf[1024];
	struct proc_sample s;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	ssize_t n = reread(fd, buf, sizeof buf);
	close(fd);
	if (n <= 0 || parse_stat(buf, &s, ppid) < 0)
		return -1;
	if (comm)
		snprintf(comm, len, "%s", s.comm);
	return s.state == 'Z' || s.state == 'X' ? -1 : 0;
}

static pid_t pid_of_name(const char *name)
{
	char *end;
	long v = strtol(name, &end, 10);

	return *name && !*end && v > 0 ? (pid_t)v : 0;
}

int proc_list_threads(pid_t pid, pid_t *tids, int max)
{
	char path[64];
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max)
		if (pid_of_name(e->d_name))
			tids[n++] = pid_of_name(e->d_name);
	closedir(d);
	return n;
}

static bool seen_has(const struct proc_seen *s, pid_t pid)
{
	int lo = 0, hi = s->n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (s->pids[mid] == pid)
			return true;
		if (s->pids[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int by_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* Is PID's parent one of PARENTS, or of the FOUND children found before it? */
static bool child_of(pid_t pid, const pid_t *parents, int n, const pid_t *found, int nfound)
{
	pid_t ppid = 0;

	if (proc_process_info(pid, &ppid, NULL, 0) < 0)
		return false;
	for (int i = 0; i < n; i++)
		if (parents[i] == ppid)
			return true;
	for (int i = 0; i < nfound; i++)
		if (found[i] == ppid)
			return true;
	return false;
}

int proc_new_children(const pid_t *parents, int n, struct proc_seen *seen, pid_t *out, int max)
{
	DIR *d = opendir("/proc");
	struct proc_seen now = {0};
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		pid_t pid = pid_of_name(e->d_name);
		if (!pid)
			continue;
		if (now.n == now.cap) {
			int cap = now.cap ? 2 * now.cap : 512;
			pid_t *p = realloc(now.pids, (size_t)cap * sizeof *p);
			if (!p)
				break;
			now.pids = p;
			now.cap = cap;
		}
		now.pids[now.n++] = pid;
	}
	closedir(d);
	qsort(now.pids, (size_t)now.n, sizeof *now.pids, by_pid);
	/* Ascending, so that a grandchild follows the child that is its parent. */
	for (int i = 0; i < now.n && found < max; i++)
		if (!seen_has(seen, now.pids[i]) && child_of(now.pids[i], parents, n, out, found))
			out[found++] = now.pids[i];
	proc_seen_free(seen);
	*seen = now;
	return found;
}

void proc_seen_free(struct proc_seen *seen)
{
	free(seen->pids);
	memset(seen, 0, sizeof *seen);
}
