/*
 * observe_perf.c -- the exact method: perf_event_open context-switch
 * records for the program's threads on every core, inherited by the
 * threads and processes it creates.  A switch out marked as a preemption
 * is `ready`; any other switch out is a wait, classified from /proc when
 * the record is read (by then a short wait may be over: the thread's last
 * known wait is kept then).
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "observe_priv.h"

#define PERF_PAGES 64	  /* data pages per core's ring (a power of two) */
#define PERF_BATCH 65536  /* records sorted at once */
#define PERF_MAX_FDS 1024 /* events: cores x threads present at the start */

/* A record, reduced to what the spans need. */
struct perf_rec {
	uint64_t t;   /* CLOCK_MONOTONIC ns */
	int32_t tid;  /* the thread */
	int32_t pid;  /* its process */
	int16_t cpu;  /* where it happened */
	uint8_t kind; /* 0 switch in, 1 preempted, 2 switched out to wait, 3 new, 4 exit, 5 named */
	char comm[16]; /* kind 5: the thread's new name */
};

struct perf_state {
	int fds[PERF_MAX_FDS];	   /* events with a ring */
	void *rings[PERF_MAX_FDS]; /* their mappings */
	int n;			   /* how many */
	size_t page;		   /* the page size */
	struct perf_rec *batch;	   /* PERF_BATCH records being sorted */
	uint64_t lost;		   /* records the kernel lost */
};

static int open_event(pid_t tid, int cpu)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof a);
	a.size = sizeof a;
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_DUMMY;
	a.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU;
	a.sample_id_all = 1;
	a.context_switch = 1;
	a.task = 1;
	a.comm = 1;
	a.inherit = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	a.use_clockid = 1;
	a.clockid = CLOCK_MONOTONIC;
	a.watermark = 1;
	a.wakeup_watermark = 1u << 30; /* we read on our own clock, no wake-ups */
	return (int)syscall(SYS_perf_event_open, &a, tid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

int perf_open(struct observer *ob)
{
	struct perf_state *ps = calloc(1, sizeof *ps);
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	pid_t tids[OBSERVE_LANES];
	int nt = proc_list_threads(ob->pid, tids, OBSERVE_LANES);

	if (!ps || nt <= 0 || ncpu < 1) {
		free(ps);
		errno = ESRCH;
		return -1;
	}
	ps->page = (size_t)sysconf(_SC_PAGESIZE);
	ps->batch = malloc(PERF_BATCH * sizeof *ps->batch);
	ob->perf = ps;
	for (int t = 0; t < nt; t++)
		for (int c = 0; c < ncpu; c++) {
			int fd = open_event(tids[t], c);
			if (fd < 0 && errno == ENODEV)
				continue; /* an offline core */
			void *ring = fd < 0 || ps->n >= PERF_MAX_FDS || !ps->batch
					 ? MAP_FAILED
					 : mmap(NULL, (PERF_PAGES + 1) * ps->page,
						PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (ring == MAP_FAILED) {
				if (fd >= 0)
					close(fd);
				perf_close(ob);
				return -1;
			}
			ps->fds[ps->n] = fd;
			ps->rings[ps->n++] = ring;
		}
	return 0;
}

void perf_close(struct observer *ob)
{
	struct perf_state *ps = ob->perf;

	if (!ps)
		return;
	for (int i = 0; i < ps->n; i++) {
		munmap(ps->rings[i], (PERF_PAGES + 1) * ps->page);
		close(ps->fds[i]);
	}
	free(ps->batch);
	free(ps);
	ob->perf = NULL;
}

/* The sample_id trailer (sample_id_all): pid, tid, time, cpu, at the record's end. */
static void trailer(const unsigned char *end, struct perf_rec *r)
{
	uint32_t pt[2], cpu[2];
	uint64_t t;

	memcpy(pt, end - 24, 8);
	memcpy(&t, end - 16, 8);
	memcpy(cpu, end - 8, 8);
	r->pid = (int32_t)pt[0];
	r->tid = (int32_t)pt[1];
	r->t = t;
	r->cpu = (int16_t)cpu[0];
}

/* Turns one raw record into REC; false for a record that draws nothing. */
static bool decode(struct perf_state *ps, const unsigned char *p, struct perf_rec *rec)
{
	struct perf_event_header h;

	memcpy(&h, p, sizeof h);
	if (h.type == PERF_RECORD_SWITCH && h.size >= sizeof h + 24) {
		trailer(p + h.size, rec);
		rec->kind = !(h.misc & PERF_RECORD_MISC_SWITCH_OUT)	     ? 0
			    : (h.misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT) ? 1
									     : 2;
		return true;
	}
	if ((h.type == PERF_RECORD_FORK || h.type == PERF_RECORD_EXIT) && h.size >= sizeof h + 24) {
		uint32_t ids[4]; /* pid, ppid, tid, ptid */
		memcpy(ids, p + sizeof h, sizeof ids);
		memcpy(&rec->t, p + sizeof h + sizeof ids, 8);
		rec->pid = (int32_t)ids[0];
		rec->tid = (int32_t)ids[2];
		rec->cpu = -1;
		rec->kind = h.type == PERF_RECORD_FORK ? 3 : 4;
		return true;
	}
	if (h.type == PERF_RECORD_COMM && h.size >= sizeof h + 8 + 8 + 24) {
		uint32_t ids[2];			 /* pid, tid */
		size_t len = h.size - sizeof h - 8 - 24; /* the name, padded to 8 bytes */
		memcpy(ids, p + sizeof h, sizeof ids);
		memset(rec->comm, 0, sizeof rec->comm);
		memcpy(rec->comm, p + sizeof h + 8,
		       len < sizeof rec->comm ? len : sizeof rec->comm);
		rec->comm[sizeof rec->comm - 1] = '\0';
		trailer(p + h.size, rec);
		rec->pid = (int32_t)ids[0];
		rec->tid = (int32_t)ids[1];
		rec->kind = 5;
		return true;
	}
	if (h.type == PERF_RECORD_LOST && h.size >= sizeof h + 16) {
		uint64_t lost;
		memcpy(&lost, p + sizeof h + 8, 8);
		ps->lost += lost;
	}
	return false;
}

/* Copies ring I's new records into the batch; returns the new batch size. */
static int read_ring(struct perf_state *ps, int i, int n)
{
	struct perf_event_mmap_page *meta = ps->rings[i];
	const unsigned char *data = (const unsigned char *)ps->rings[i] + ps->page;
	size_t size = PERF_PAGES * ps->page;
	uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = meta->data_tail;
	unsigned char rec[1024];

	while (tail < head && n < PERF_BATCH) {
		struct perf_event_header h;
		for (size_t k = 0; k < sizeof h; k++)
			((unsigned char *)&h)[k] = data[(tail + k) % size];
		if (h.size < sizeof h || h.size > sizeof rec)
			break;
		for (size_t k = 0; k < h.size; k++)
			rec[k] = data[(tail + k) % size];
		if (decode(ps, rec, &ps->batch[n]))
			n++;
		tail += h.size;
	}
	__atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
	return n;
}

static int by_time(const void *a, const void *b)
{
	const struct perf_rec *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

/* Applies one record to its thread's lane. */
static void apply(struct observer *ob, const struct perf_rec *r)
{
	int lane = obs_lane_of(ob, r->tid);

	if (lane < 0 && r->kind == 3)
		obs_add_process(ob, r->pid);
	/* Born: its lane starts when the kernel said so (with every lane taken, the tick counts
	 * it). */
	if (lane < 0 && r->kind != 4 &&
	    atomic_load_explicit(&ob->nth, memory_order_relaxed) < OBSERVE_LANES) {
		obs_discover(ob, r->t, false);
		lane = obs_lane_of(ob, r->tid);
	}
	if (lane < 0)
		return;
	struct obs_thread *th = &ob->th[lane];
	if (!th->alive)
		return;
	if (r->kind == 0) {
		obs_enter(ob, th, r->t, STATE_RUNNING, r->cpu, "running");
	} else if (r->kind == 1) {
		obs_enter(ob, th, r->t, STATE_READY, -1, "preempted by the OS");
	} else if (r->kind == 2) {
		struct proc_wait w;
		proc_thread_wait(&th->pt, &w);
		if (w.known) {
			th->last_wait = w;
		} else if (th->last_wait.known) {
			/* Over before its record was read: say so, and what it waited in last. */
			w.state = th->last_wait.state;
			snprintf(w.reason, sizeof w.reason, "over when read; last %s",
				 th->last_wait.reason);
		}
		obs_enter(ob, th, r->t, w.state, -1, w.reason);
	} else if (r->kind == 5) {
		obs_rename(ob, th, r->comm);
	} else if (r->kind == 4) {
		obs_thread_gone(ob, th, r->t);
	}
}

void perf_drain(struct observer *ob)
{
	struct perf_state *ps = ob->perf;
	int n = 0;

	for (int i = 0; ps && i < ps->n; i++)
		n = read_ring(ps, i, n);
	qsort(ps->batch, (size_t)n, sizeof *ps->batch, by_time);
	for (int i = 0; i < n; i++)
		apply(ob, &ps->batch[i]);
}
