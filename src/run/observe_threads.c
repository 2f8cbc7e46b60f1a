/*
 * observe_threads.c -- the observed program's threads: finding them as they
 * are born, giving each a lane, and the sampled method.
 *
 * Sampling places a switch half-way between the two samples that saw it,
 * so within half a period.  A thread that was waiting at both samples but
 * whose CPU time grew in between ran briefly: schedstat's running time is
 * exact at every switch, so a running span of that length is put in the
 * middle of the interval.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "observe_priv.h"

/* Thread ids are looked up for every perf record: an open-addressing index. */
static unsigned tid_slot(pid_t tid)
{
	return ((unsigned)tid * 2654435761u) & (OBSERVE_TIDS - 1);
}

int obs_lane_of(const struct observer *ob, pid_t tid)
{
	for (unsigned i = tid_slot(tid);; i = (i + 1) & (OBSERVE_TIDS - 1)) {
		int lane = ob->lane_of[i] - 1;
		if (lane < 0)
			return -1;
		if (ob->th[lane].pt.tid == tid)
			return lane;
	}
}

static void index_lane(struct observer *ob, pid_t tid, int lane)
{
	unsigned i = tid_slot(tid);

	while (ob->lane_of[i])
		i = (i + 1) & (OBSERVE_TIDS - 1);
	ob->lane_of[i] = lane + 1;
}

void obs_enter(struct observer *ob, struct obs_thread *th, uint64_t t, enum state st, int cpu,
	       const char *reason)
{
	bool first = trace_count(ob->tr, th->lane) == 0;

	th->state = st;
	th->cpu = cpu;
	trace_enter(ob->tr, th->lane, t, st, cpu, first ? CAUSE_START : CAUSE_OBSERVED, -1, reason);
}

void obs_rename(struct observer *ob, struct obs_thread *th, const char *comm)
{
	if (strcmp(th->comm, comm) == 0)
		return;
	snprintf(th->comm, sizeof th->comm, "%s", comm);
	pthread_mutex_lock(&ob->names_lock);
	snprintf(th->new_name, sizeof th->new_name, "%.15s %d", comm, (int)th->pt.tid);
	th->renamed = true;
	pthread_mutex_unlock(&ob->names_lock);
}

static struct obs_proc *proc_of(struct observer *ob, pid_t pid)
{
	for (int i = 0; i < ob->nprocs; i++)
		if (ob->procs[i].pid == pid)
			return &ob->procs[i];
	return NULL;
}

/* Gives thread TID of process P a lane; false when it is gone or no lane is left. */
static bool add_thread(struct observer *ob, struct obs_proc *p, pid_t tid, uint64_t now)
{
	int n = atomic_load_explicit(&ob->nth, memory_order_relaxed);
	struct obs_thread *th = &ob->th[n];
	struct proc_sample s;

	if (n >= OBSERVE_LANES || proc_thread_open(&th->pt, p->pid, tid) < 0)
		return false;
	if (proc_thread_read(&th->pt, &s) < 0) {
		proc_thread_close(&th->pt);
		return false;
	}
	char name[TRACE_NAME_MAX];
	struct trace_thread info = {
	    .pid = p->pid, .tid = tid, .sampled = ob->method == OBSERVE_SAMPLED};
	snprintf(info.process, sizeof info.process, "%s", p->comm);
	snprintf(name, sizeof name, "%.15s %d", s.comm, (int)tid);
	th->lane = n;
	th->alive = true;
	snprintf(th->comm, sizeof th->comm, "%s", s.comm);
	th->renamed = false;
	th->last_wait.known = false;
	th->run_ns = s.run_ns;
	th->wait_ns = s.wait_ns;
	th->state = STATE_DONE; /* no span yet */
	index_lane(ob, tid, n);
	p->lanes++;
	trace_set_name(ob->tr, n, name);
	trace_set_thread(ob->tr, n, &info);
	if (s.state == 'R') {
		/*
		 * Runnable: with perf events, the kernel has not yet switched it
		 * in; sampled, the next sample settles whether its core is free.
		 */
		obs_enter(ob, th, now, STATE_READY, -1, "born, waiting for a core");
	} else {
		struct proc_wait w;
		proc_thread_wait(&th->pt, &w);
		obs_enter(ob, th, now, w.state, -1, w.reason);
	}
	/* The lane is complete: readers may now see it. */
	atomic_store_explicit(&ob->nth, n + 1, memory_order_release);
	return true;
}

static struct obs_proc *add_proc(struct observer *ob, pid_t pid)
{
	struct obs_proc *p = proc_of(ob, pid);

	if (p)
		return p;
	if (ob->nprocs >= OBSERVE_PROCS)
		return NULL;
	p = &ob->procs[ob->nprocs];
	if (proc_process_info(pid, NULL, p->comm, sizeof p->comm) < 0)
		return NULL;
	p->pid = pid;
	p->alive = true;
	p->stat_fd = proc_process_open(pid);
	p->listed = -1;
	p->lanes = 0;
	ob->nprocs++;
	return p;
}

void obs_add_process(struct observer *ob, pid_t pid)
{
	add_proc(ob, pid);
}

/*
 * Lists P's threads when its thread count says something changed, and
 * gives the new ones lanes; returns the count, or -1 when P has ended.
 * Listing /proc/PID/task costs several times a read of stat, so the
 * count is read at each tick and the list only when the count moved since
 * the last listing or a thread ended since (one may have been born in the
 * same tick).
 */
static int refresh_process(struct observer *ob, struct obs_proc *p, uint64_t now)
{
	pid_t tids[OBSERVE_LANES];
	int count = p->stat_fd >= 0 ? proc_process_threads(p->stat_fd) : -2;

	if (count == -1 || (count >= 0 && count == p->listed))
		return count;
	int n = proc_list_threads(p->pid, tids, OBSERVE_LANES);
	if (n < 0)
		return -1;
	p->listed = count >= 0 ? count : -1;
	for (int k = 0; k < n; k++)
		if (obs_lane_of(ob, tids[k]) < 0)
			add_thread(ob, p, tids[k], now);
	return count >= 0 ? count : n;
}

void obs_discover(struct observer *ob, uint64_t now, bool children)
{
	int unshown = 0;

	if (ob->nprocs == 0)
		add_proc(ob, ob->pid);
	if (children) {
		pid_t parents[OBSERVE_PROCS], found[OBSERVE_PROCS];
		int n = 0;
		for (int i = 0; i < ob->nprocs; i++)
			parents[n++] = ob->procs[i].pid;
		int k = proc_new_children(parents, n, &ob->seen, found, OBSERVE_PROCS);
		for (int i = 0; i < k; i++)
			if (!proc_of(ob, found[i]))
				add_proc(ob, found[i]);
	}
	for (int i = 0; i < ob->nprocs; i++) {
		struct obs_proc *p = &ob->procs[i];
		int count = p->alive ? refresh_process(ob, p, now) : -1;
		if (count < 0)
			p->alive = false;
		else if (count > p->lanes)
			unshown += count - p->lanes;
	}
	/* Only a full set of lanes leaves threads out (else they are being added). */
	if (atomic_load_explicit(&ob->nth, memory_order_relaxed) >= OBSERVE_LANES &&
	    unshown > ob->tr->meta.observer_unshown)
		ob->tr->meta.observer_unshown = unshown;
}

void obs_thread_gone(struct observer *ob, struct obs_thread *th, uint64_t t)
{
	struct obs_proc *p = proc_of(ob, th->pt.pid);

	if (p) {
		p->listed = -1; /* another may have been born in its place */
		p->lanes--;
	}
	th->alive = false;
	proc_thread_close(&th->pt);
	trace_finish(ob->tr, th->lane, t, OUTCOME_DONE, -1, NULL);
}

/*
 * What a thread in state R is doing: R covers both on a core and queued
 * for one.  Queued for most of the interval and barely ran: it waits for a
 * core.  Otherwise it claims its core; the claims are settled once every
 * thread has been read (settle_claims).
 */
static void sample_runnable(struct observer *ob, struct obs_thread *th, const struct proc_sample *s,
			    uint64_t mid, uint64_t drun, uint64_t dwait)
{
	if (dwait > drun && dwait * 2 > ob->period_ns) {
		obs_enter(ob, th, mid, STATE_READY, -1, "runnable, waiting for a core");
		return;
	}
	th->claim = true;
	th->claim_cpu = s->cpu;
	th->claim_run = drun;
	th->claim_mid = mid;
}

/*
 * A core runs one thread at a time, but R does not say which of the
 * threads last seen on one core is on it now: the one that ran most since
 * the last sample is shown running there, the others waiting for it.
 */
static void settle_claims(struct observer *ob, int n)
{
	int best[OBSERVE_CPUS];

	for (int c = 0; c < OBSERVE_CPUS; c++)
		best[c] = -1;
	for (int i = 0; i < n; i++) {
		struct obs_thread *th = &ob->th[i];
		int c = th->claim_cpu;
		if (!th->claim || c < 0 || c >= OBSERVE_CPUS)
			continue;
		if (best[c] < 0 || th->claim_run > ob->th[best[c]].claim_run)
			best[c] = i;
	}
	for (int i = 0; i < n; i++) {
		struct obs_thread *th = &ob->th[i];
		int c = th->claim_cpu;
		if (!th->claim)
			continue;
		th->claim = false;
		if (c >= 0 && c < OBSERVE_CPUS && best[c] != i)
			obs_enter(ob, th, th->claim_mid, STATE_READY, -1,
				  "runnable, its core busy with another");
		else
			obs_enter(ob, th, th->claim_mid, STATE_RUNNING, c, "running");
	}
}

static void sample_thread(struct observer *ob, struct obs_thread *th, uint64_t now)
{
	struct proc_sample s;
	uint64_t dt = now - ob->last_ns, mid = ob->last_ns + dt / 2;

	if (proc_thread_read(&th->pt, &s) < 0) {
		obs_thread_gone(ob, th, mid);
		return;
	}
	uint64_t drun = s.run_ns - th->run_ns, dwait = s.wait_ns - th->wait_ns;
	obs_rename(ob, th, s.comm);
	th->run_ns = s.run_ns;
	th->wait_ns = s.wait_ns;
	if (s.state == 'R') {
		sample_runnable(ob, th, &s, mid, drun, dwait);
		return;
	}
	bool was_waiting = th->state != STATE_RUNNING && th->state != STATE_READY;
	if (was_waiting && drun == 0)
		return; /* still in the same wait: it has not run since */
	if (was_waiting && drun > 0) {
		/* It ran briefly between two samples: show the burst where it fits. */
		uint64_t len = drun < dt ? drun : dt;
		obs_enter(ob, th, mid - len / 2, STATE_RUNNING, s.cpu, OBSERVE_BURST);
		mid += len - len / 2;
	}
	struct proc_wait w;
	if (s.state == 'T' || s.state == 't') {
		w.state = STATE_BLOCKED;
		snprintf(w.reason, sizeof w.reason, "stopped");
	} else {
		proc_thread_wait(&th->pt, &w);
	}
	obs_enter(ob, th, mid, w.state, -1, w.reason);
}

void obs_sample(struct observer *ob, uint64_t now)
{
	int n = atomic_load_explicit(&ob->nth, memory_order_relaxed);

	if (ob->last_ns == 0)
		ob->last_ns = now;
	for (int i = 0; i < n; i++)
		if (ob->th[i].alive)
			sample_thread(ob, &ob->th[i], now);
	settle_claims(ob, n);
	ob->last_ns = now;
	ob->ticks++;
}

void obs_finish_all(struct observer *ob, uint64_t now)
{
	int n = atomic_load_explicit(&ob->nth, memory_order_relaxed);

	for (int i = 0; i < n; i++)
		if (ob->th[i].alive)
			obs_thread_gone(ob, &ob->th[i], now);
}

void obs_close_all(struct observer *ob)
{
	int n = atomic_load_explicit(&ob->nth, memory_order_relaxed);

	for (int i = 0; i < n; i++)
		if (ob->th[i].alive)
			proc_thread_close(&ob->th[i].pt);
	for (int i = 0; i < ob->nprocs; i++)
		if (ob->procs[i].stat_fd >= 0) {
			close(ob->procs[i].stat_fd);
			ob->procs[i].stat_fd = -1;
		}
}
