/*
 * child.c -- the first things a forked child of a run does.
 *
 * A child starts with the parent's signal handlers (libuv's writes to the
 * UI's loop) and descriptors (the terminal, pipes whose end of file others
 * wait for).  It needs none of them, and must not outlive the run.
 */
#include "child.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "runner.h"

static int kept(int fd, const int *keep, int nkeep)
{
	for (int i = 0; i < nkeep; i++)
		if (keep[i] == fd)
			return 1;
	return 0;
}

/* Closes every descriptor from 3 up but those in KEEP. */
static void close_all_but(const int *keep, int nkeep)
{
	unsigned from = 3;

	for (;;) {
		int next = -1; /* the lowest kept descriptor at or above FROM */
		for (int i = 0; i < nkeep; i++)
			if (keep[i] >= (int)from && (next < 0 || keep[i] < next))
				next = keep[i];
		if (next < 0)
			break;
		if ((unsigned)next > from)
			close_range(from, (unsigned)next - 1, 0);
		from = (unsigned)next + 1;
		while (kept((int)from, keep, nkeep))
			from++;
	}
	close_range(from, ~0u, 0);
}

int child_tie(pid_t parent, const int *keep, int nkeep)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL}, ign = {.sa_handler = SIG_IGN};
	sigset_t none;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		return -1;
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigaction(SIGINT, &ign, NULL);
	sigaction(SIGPIPE, &ign, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	close_all_but(keep, nkeep);
	return 0;
}

int child_pass_cancel(_Atomic int *from, _Atomic int *to, struct child_stop *st, uint64_t now)
{
	int why = atomic_load(from), go = RUNNER_GO;

	if (why == RUNNER_GO)
		return 0;
	atomic_compare_exchange_strong(to, &go, why);
	if (why != RUNNER_INTERRUPTED)
		return 0;
	if (!st->since)
		st->since = now;
	if (st->signalled == 0 && now - st->since >= CHILD_GRACE_NS)
		return st->signalled = SIGTERM;
	if (st->signalled == SIGTERM && now - st->since >= CHILD_GRACE_NS + CHILD_TERM_NS)
		return st->signalled = SIGKILL;
	return 0;
}

const char *child_fork_hint(int err)
{
	return err == EAGAIN ? " (the process limit, ulimit -u / kernel.pid_max)" : "";
}
