/*
 * probe.c -- one rule for preemption, one chunk clock, one core lookup.
 */
#include "probe.h"

#include <sched.h>

#include "clock.h"

void probe_init(struct probe *p)
{
	p->last_ns = 0;
	p->last_cpu_ns = 0;
	p->quick_ns = 0;
	p->cpu_known = 0;
	p->cpu = -1;
}

int probe_current_cpu(void)
{
	int c = sched_getcpu();

	return c < 0 ? 0 : c;
}

/* Shows the time since the last reading as `ready` if the thread spent it off the CPU. */
static int note_off_cpu(struct probe *p, struct trace *tr, int lane, uint64_t now)
{
	uint64_t wall = now - p->last_ns;
	int off = 0;

	if (p->quick_ns && wall <= p->quick_ns + PROBE_PREEMPT_NS) {
		/*
		 * No slower than the fastest chunk: it cannot hide a preemption,
		 * so spare the system call (it would cost ~0.6% of every chunk).
		 */
		p->last_cpu_ns += wall;
		if (wall < p->quick_ns)
			p->quick_ns = wall;
	} else {
		uint64_t cpu_ns = clock_thread_cpu_ns();
		/* The estimate above may run ahead of the kernel's count by noise. */
		uint64_t used = cpu_ns > p->last_cpu_ns ? cpu_ns - p->last_cpu_ns : 0;
		off = wall > used + PROBE_PREEMPT_NS;
		if (!off && (!p->quick_ns || wall < p->quick_ns))
			p->quick_ns = wall;
		p->last_cpu_ns = cpu_ns;
	}
	if (off)
		trace_enter(tr, lane, p->last_ns, STATE_READY, -1, CAUSE_PREEMPT, -1,
			    "preempted by the OS");
	p->last_ns = now;
	p->cpu_known = 1;
	return off;
}

void probe_enter(struct probe *p, struct trace *tr, int lane, enum state st, enum cause cause,
		 int by, const char *reason)
{
	uint64_t now = clock_now_ns();

	if (p->cpu >= 0) /* leaving a running span: was it cut short? */
		note_off_cpu(p, tr, lane, now);
	p->cpu = st == STATE_RUNNING ? probe_current_cpu() : -1;
	/*
	 * Only a running span is judged against CPU time: a wait spares the
	 * system call.  So does a span that starts right after the thread's
	 * last reading (an event loop resuming its next coroutine): too little
	 * time has passed to hide a preemption, so it counts as spent on the
	 * CPU, as a quick chunk does.  A wait leaves the last reading as it is.
	 */
	if (p->cpu >= 0) {
		if (p->cpu_known && now - p->last_ns <= PROBE_PREEMPT_NS)
			p->last_cpu_ns += now - p->last_ns;
		else
			p->last_cpu_ns = clock_thread_cpu_ns();
		p->cpu_known = 1;
		p->last_ns = now;
	}
	trace_enter(tr, lane, now, st, p->cpu, cause, by, reason);
}

void probe_stop(struct probe *p, struct trace *tr, int lane, uint64_t now_ns)
{
	if (p->cpu >= 0)
		note_off_cpu(p, tr, lane, now_ns);
	p->cpu = -1;
}

int probe_chunk(struct probe *p, struct trace *tr, int lane, uint64_t now_ns, const char *reason)
{
	int cpu = probe_current_cpu();
	int off = note_off_cpu(p, tr, lane, now_ns);

	trace_count_chunk(tr, lane);

	if (off || cpu != p->cpu) {
		trace_enter(tr, lane, now_ns, STATE_RUNNING, cpu, CAUSE_RESUME, -1, reason);
		p->cpu = cpu;
	}
	return off;
}
