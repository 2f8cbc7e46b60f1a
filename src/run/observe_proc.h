/*
 * observe_proc.h -- what /proc says about one thread of an observed
 * program, and what a sleeping thread waits in.
 *
 * Used by both observation methods: the sampled one reads stat and
 * schedstat at each tick; the perf one asks only what a thread that
 * switched out voluntarily waits in.
 */
#ifndef CONCTUI_OBSERVE_PROC_H
#define CONCTUI_OBSERVE_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "state.h"

/* One thread's /proc files, kept open so that each tick is a pread. */
struct proc_thread {
	int stat_fd;	/* /proc/PID/task/TID/stat, or -1 */
	int sched_fd;	/* /proc/PID/task/TID/schedstat, or -1 */
	int syscall_fd; /* /proc/PID/task/TID/syscall, or -1 when refused */
	int wchan_fd;	/* /proc/PID/task/TID/wchan, or -1 */
	pid_t pid, tid; /* its process and itself */
};

/* One reading of a thread. */
struct proc_sample {
	char state;	  /* stat's state letter: R, S, D, T, Z, X ... */
	int cpu;	  /* the core it last ran on */
	uint64_t run_ns;  /* schedstat: time on a CPU, in all */
	uint64_t wait_ns; /* schedstat: time runnable, waiting for a CPU, in all */
	int threads;	  /* stat: threads in its process */
	char comm[16];	  /* its name */
};

/* What a wait is: the state to show and the words of the reason. */
struct proc_wait {
	enum state state; /* lock, io, sleep or blocked */
	char reason[44];  /* "futex wait", "epoll_wait", ... */
	bool known;	  /* false: no call or kernel function was seen (it had run again) */
};

/* Opens TID's files; 0, or -1 when the thread is gone. */
int proc_thread_open(struct proc_thread *t, pid_t pid, pid_t tid);
void proc_thread_close(struct proc_thread *t);
/* Reads stat and schedstat; 0, or -1 when the thread has gone. */
int proc_thread_read(struct proc_thread *t, struct proc_sample *s);
/* What the (sleeping) thread waits in, from its syscall, else its wchan. */
void proc_thread_wait(struct proc_thread *t, struct proc_wait *w);

/*
 * The classification itself (pure, for tests): a thread blocked in system
 * call NR (-1: unknown) with ARG1 its second argument (a futex's operation),
 * whose first argument is a descriptor of kind FD_KIND ('s' socket, 'p' pipe, '?' other or none);
 * WCHAN the kernel function it sleeps in ("" unknown).
 */
void proc_classify(long nr, long arg1, char fd_kind, const char *wchan, struct proc_wait *w);

/* Opens /proc/PID/stat, for proc_process_threads; a descriptor, or -1. */
int proc_process_open(pid_t pid);
/* How many threads the process whose stat is open at FD has; -1 when it has ended. */
int proc_process_threads(int fd);
/* A process's name and parent from /proc/PID/stat; 0, or -1 when gone. */
int proc_process_info(pid_t pid, pid_t *ppid, char *comm, size_t len);
/* Every thread id of PID, into TIDS (at most MAX); how many, or -1 when gone. */
int proc_list_threads(pid_t pid, pid_t *tids, int max);
/* The pids of the machine at one look, sorted (pids wrap: new ones may be low). */
struct proc_seen {
	pid_t *pids; /* sorted */
	int n, cap;  /* used, allocated */
};
/*
 * The processes not in SEEN whose parent is one of PARENTS[0..N): into OUT
 * (at most MAX), returns how many; SEEN becomes this look's pids.
 */
int proc_new_children(const pid_t *parents, int n, struct proc_seen *seen, pid_t *out, int max);
void proc_seen_free(struct proc_seen *seen);

#endif
