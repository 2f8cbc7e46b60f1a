/*
 * observe_priv.h -- the observer's state, shared by its modules:
 * observe.c (the program's life), observe_threads.c (its threads and the
 * sampled method), observe_perf.c (the exact method), observe_out.c (its
 * output).
 */
#ifndef CONCTUI_OBSERVE_PRIV_H
#define CONCTUI_OBSERVE_PRIV_H

#include <pthread.h>
#include <stdint.h>

#include "observe.h"
#include "observe_proc.h"

#define OBSERVE_PROCS 64		 /* processes one run follows */
#define OBSERVE_LINE 512		 /* bytes of one output line kept */
#define OBSERVE_TIDS (4 * OBSERVE_LANES) /* slots of the thread-id index (a power of two) */
#define OBSERVE_CPUS 1024		 /* cores whose one running thread is settled per sample */

/* One thread of the program, on one lane. */
struct obs_thread {
	struct proc_thread pt;	    /* its /proc files */
	int lane;		    /* its lane in the trace */
	bool alive;		    /* not yet seen gone */
	enum state state;	    /* the state of its open span */
	int cpu;		    /* the core of its open span, -1 when waiting */
	uint64_t run_ns;	    /* schedstat's CPU time at the last sample */
	uint64_t wait_ns;	    /* schedstat's run-queue time at the last sample */
	struct proc_wait last_wait; /* the last wait seen in a call (perf), .known false: none */
	/* Sampled and found runnable on a core this tick, until the claims are settled: */
	bool claim;	    /* it claims core claim_cpu */
	int claim_cpu;	    /* the core it was last on */
	uint64_t claim_run; /* ns it ran since the last sample */
	uint64_t claim_mid; /* absolute ns where its span would start */
	char comm[16];	    /* its latest name (observer's side) */
	/*
	 * A thread names itself after it is born (pthread_setname_np, exec):
	 * under names_lock the observer puts the lane's new name here and sets
	 * `renamed`; the thread that draws the trace renames the lane.
	 */
	char new_name[TRACE_NAME_MAX];
	bool renamed;
};

/* One process of the program. */
struct obs_proc {
	pid_t pid;     /* its id */
	char comm[16]; /* its name */
	bool alive;    /* not yet seen gone */
	int stat_fd;   /* /proc/PID/stat, read each tick for its thread count; -1 */
	int listed;    /* its thread count when its threads were last listed; -1: list again */
	int lanes;     /* its threads that have a lane and are alive */
};

/* A stream of the program's output being split into lines. */
struct obs_stream {
	int fd;			/* the read end of its pipe, -1 once closed */
	char buf[OBSERVE_LINE]; /* a line not yet ended */
	size_t len;		/* bytes in buf */
};

struct perf_state;

struct observer {
	struct observe_opts o;	    /* as given (argv borrowed) */
	struct trace *tr;	    /* where the threads go (the caller's) */
	pid_t pid;		    /* the program's first process */
	bool launched;		    /* we forked it (else attached) */
	int go_fd;		    /* written once to let the launched command run, or -1 */
	int report_fd;		    /* an exec failure's errno arrives here, or -1 */
	enum observe_method method; /* PERF or SAMPLED, once started */
	uint64_t period_ns;	    /* the sampled method's period */
	struct obs_thread th[OBSERVE_LANES]; /* by lane */
	_Atomic int nth;		     /* lanes born */
	int lane_of[OBSERVE_TIDS];	     /* thread id -> lane + 1 (0: none), open addressing */
	struct obs_proc procs[OBSERVE_PROCS];
	int nprocs;
	struct proc_seen seen;	    /* every pid of the machine at the last look for children */
	uint64_t last_ns;	    /* absolute time of the last sample */
	int exit_status;	    /* see observe_exit_status */
	bool exited;		    /* the first process has ended */
	struct obs_stream out[2];   /* stdout, stderr (fd -1 when not captured) */
	struct perf_state *perf;    /* the exact method's state, or NULL */
	pthread_mutex_t names_lock; /* guards every thread's new_name and renamed */
	uint64_t ticks;		    /* samples taken */
};

/* observe_threads.c */
/* Finds threads and processes not seen yet and gives each a lane. */
void obs_discover(struct observer *ob, uint64_t now, bool children);
/* Follows process PID (a child the kernel reported) from now on. */
void obs_add_process(struct observer *ob, pid_t pid);
/* One sample of every live thread at NOW (the sampled method). */
void obs_sample(struct observer *ob, uint64_t now);
/* Ends every lane still open at NOW (the program has ended). */
void obs_finish_all(struct observer *ob, uint64_t now);
/* Thread TH has gone at T: its lane ends. */
void obs_thread_gone(struct observer *ob, struct obs_thread *th, uint64_t t);
/* Closes what the threads and processes hold open. */
void obs_close_all(struct observer *ob);
/* The lane of thread TID, or -1. */
int obs_lane_of(const struct observer *ob, pid_t tid);
/* Thread TH is now called COMM: its lane takes the name (once). */
void obs_rename(struct observer *ob, struct obs_thread *th, const char *comm);
/* Opens a span in ST on thread TH's lane (nothing when nothing changes). */
void obs_enter(struct observer *ob, struct obs_thread *th, uint64_t t, enum state st, int cpu,
	       const char *reason);

/* observe_perf.c */
/* Opens context-switch events for OB's process on every core; 0, or -1 (errno). */
int perf_open(struct observer *ob);
/* Turns the records that arrived into spans. */
void perf_drain(struct observer *ob);
void perf_close(struct observer *ob);

/* observe_out.c */
/* Reads what the program wrote, waiting at most until DEADLINE (absolute ns). */
void obs_read_output(struct observer *ob, uint64_t deadline);

#endif
