/*
 * test_probe.c -- the one rule for "the OS took the CPU away", on chunks
 * whose time off the CPU is known by construction: a busy chunk spends
 * its wall time on the CPU, a chunk that sleeps inside spends most of it
 * off.  The thread is pinned to one core, so no chunk moves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sched.h>

#include "clock.h"
#include "probe.h"
#include "trace.h"
#include "work.h"

#include "exec_test_util.h"

#define BUSY_NS 50000ull	     /* a chunk of real work */
#define NAP_NS (2 * CLOCK_NS_PER_MS) /* a chunk's time off the CPU: 100 thresholds */
#define PLAIN_TRIES 50		     /* plain chunks; the OS may cut one short */

/* Burns BUSY_NS of this thread's CPU time. */
static void busy(void)
{
	uint64_t end = clock_thread_cpu_ns() + BUSY_NS;

	while (clock_thread_cpu_ns() < end)
		;
}

/* A busy chunk that sleeps NAP_NS in the middle: off the CPU for that long. */
static void busy_with_nap(void)
{
	busy();
	clock_sleep_until(clock_now_ns() + NAP_NS);
	busy();
}

static struct trace *new_trace(void)
{
	struct trace *tr = trace_create(2, 0);

	assert_non_null(tr);
	trace_start(tr, clock_now_ns());
	return tr;
}

static struct span span_at(const struct trace *tr, uint32_t i)
{
	struct span sp;

	trace_get(tr, 0, i, &sp);
	return sp;
}

/* How many of LANE's spans are the probe's preemptions. */
static int preemptions(const struct trace *tr, int lane)
{
	int n = 0;

	for (uint32_t i = 0; i < trace_count(tr, lane); i++) {
		struct span sp;
		trace_get(tr, lane, i, &sp);
		n += sp.cause == CAUSE_PREEMPT;
	}
	return n;
}

/* Spans I and I+1 are the probe's preempted chunk: ready (preempt), then running (resume). */
static void assert_preempted(const struct trace *tr, uint32_t i, const char *reason)
{
	struct span before = span_at(tr, i - 1), off = span_at(tr, i), back = span_at(tr, i + 1);

	assert_int_equal(off.state, STATE_READY);
	assert_int_equal(off.cause, CAUSE_PREEMPT);
	assert_int_equal(off.by, -1);
	assert_string_equal(off.reason, "preempted by the OS");
	assert_int_equal(off.t0, before.t1);
	assert_int_equal(back.state, STATE_RUNNING);
	assert_int_equal(back.cause, CAUSE_RESUME);
	assert_string_equal(back.reason, reason);
	assert_int_equal(back.t0, off.t1);
	assert_true(back.cpu >= 0);
}

/*
 * Plain chunks add nothing; the rare one the OS did cut short (this
 * machine is shared) must look exactly like a preemption.  If the OS cut
 * every one, the machine gave the test no chance: a skip, not a pass.
 */
static void test_plain_chunk_records_nothing(void **state)
{
	(void)state;
	struct probe p;
	struct trace *tr = new_trace();
	int plain = 0;

	probe_init(&p);
	probe_enter(&p, tr, 0, STATE_RUNNING, CAUSE_STEP, -1, "computing");
	for (int i = 0; i < PLAIN_TRIES; i++) {
		uint32_t n = trace_count(tr, 0);
		busy();
		if (probe_chunk(&p, tr, 0, clock_now_ns(), "computing") == 0) {
			assert_int_equal(trace_count(tr, 0), n);
			plain++;
		} else {
			assert_int_equal(trace_count(tr, 0), n + 2);
			assert_preempted(tr, n, "computing");
		}
	}
	print_message("%d of %d plain chunks ran uninterrupted\n", plain, PLAIN_TRIES);
	trace_destroy(tr);
	if (plain == 0)
		skip();
}

/* A chunk with a sleep inside: ready (preempt) for the whole chunk, then running (resume). */
static void test_chunk_off_the_cpu_is_preempted(void **state)
{
	(void)state;
	struct probe p;
	struct trace *tr = new_trace();

	probe_init(&p);
	probe_enter(&p, tr, 0, STATE_RUNNING, CAUSE_STEP, -1, "computing");
	busy();
	probe_chunk(&p, tr, 0, clock_now_ns(), "computing");
	uint32_t n = trace_count(tr, 0);
	uint64_t before = clock_now_ns() - tr->epoch_ns;
	busy_with_nap();
	uint64_t now = clock_now_ns();

	assert_int_equal(probe_chunk(&p, tr, 0, now, "computing"), 1);
	assert_int_equal(trace_count(tr, 0), n + 2);
	assert_preempted(tr, n, "computing");
	/* The whole chunk is shown off the CPU: when within it is not known. */
	assert_true(span_at(tr, n).t0 <= before);
	assert_int_equal(span_at(tr, n).t1, now - tr->epoch_ns);
	trace_destroy(tr);
}

/* Leaving running (a wait, or the end) after time off the CPU shows that time first. */
static void test_leaving_after_time_off_the_cpu(void **state)
{
	(void)state;
	struct probe p;
	struct trace *tr = new_trace();

	probe_init(&p);
	probe_enter(&p, tr, 0, STATE_RUNNING, CAUSE_STEP, -1, "computing");
	busy_with_nap();
	probe_enter(&p, tr, 0, STATE_SLEEP, CAUSE_YIELD, -1, "sleep 1 ms");
	assert_int_equal(trace_count(tr, 0), 3);
	assert_int_equal(span_at(tr, 1).cause, CAUSE_PREEMPT);
	assert_int_equal(span_at(tr, 2).state, STATE_SLEEP);
	assert_int_equal(span_at(tr, 2).cause, CAUSE_YIELD);

	/* A wait is not running: sleeping in it is not preemption. */
	clock_sleep_until(clock_now_ns() + NAP_NS);
	probe_enter(&p, tr, 0, STATE_RUNNING, CAUSE_LOOP_RESUME, 0, "resumed");
	assert_int_equal(trace_count(tr, 0), 4);
	busy_with_nap();
	probe_stop(&p, tr, 0, clock_now_ns());
	assert_int_equal(trace_count(tr, 0), 5);
	assert_int_equal(span_at(tr, 4).cause, CAUSE_PREEMPT);
	trace_destroy(tr);
}

/*
 * An event loop's probe: one coroutine awaits and the next resumes at
 * once, so the next running span starts from the reading just taken
 * rather than from a fresh one.  Time off the CPU inside it is still seen.
 */
static void test_loop_resume_right_after_a_wait(void **state)
{
	(void)state;
	struct probe p;
	struct trace *tr = new_trace();

	probe_init(&p);
	probe_enter(&p, tr, 0, STATE_RUNNING, CAUSE_LOOP_RESUME, -1, "resumed");
	busy();
	probe_enter(&p, tr, 0, STATE_IO, CAUSE_YIELD, -1, "await");
	probe_enter(&p, tr, 1, STATE_RUNNING, CAUSE_LOOP_RESUME, -1, "resumed");
	busy_with_nap();
	probe_enter(&p, tr, 1, STATE_IO, CAUSE_YIELD, -1, "await");
	assert_int_equal(preemptions(tr, 1), 1);
	trace_destroy(tr);
}

/*
 * After a long wait the CPU clock is read again: the wait's time is not
 * taken for time on the CPU, which would make the busy span after it look
 * cut short.  The spans are twice as long as the fastest one the probe has
 * seen, so that they are judged by the clock, not waved through as quick.
 * The OS may cut one short now and then (a shared machine); most must
 * come out plain.
 */
static void test_busy_after_a_long_wait_is_not_preempted(void **state)
{
	(void)state;
	struct probe p;
	struct trace *tr = new_trace();

	probe_init(&p);
	probe_enter(&p, tr, 0, STATE_RUNNING, CAUSE_STEP, -1, "computing");
	for (int i = 0; i < 3; i++) {
		busy();
		probe_chunk(&p, tr, 0, clock_now_ns(), "computing");
	}
	for (int i = 0; i < PLAIN_TRIES; i++) {
		probe_enter(&p, tr, 0, STATE_SLEEP, CAUSE_YIELD, -1, "sleep");
		clock_sleep_until(clock_now_ns() + NAP_NS);
		probe_enter(&p, tr, 0, STATE_RUNNING, CAUSE_LOOP_RESUME, -1, "resumed");
		busy();
		busy();
	}
	probe_stop(&p, tr, 0, clock_now_ns());
	int cut = preemptions(tr, 0);
	print_message("%d of %d busy spans after a wait were cut short\n", cut, PLAIN_TRIES);
	assert_true(cut <= PLAIN_TRIES / 2);
	trace_destroy(tr);
}

/*
 * Every executor's CPU work passes through the one probe, once for every
 * chunk: the same scenario on threads-1core, asyncio and the rest counts
 * exactly the chunks its cpu steps are made of, lane by lane, so every
 * picture is measured by the same rule for preemption.
 */
static void test_every_executor_uses_the_probe(void **state)
{
	(void)state;
	const char *text = "[scenario]\nname = p\n[task A]\nsteps = cpu 20, sleep 1, cpu 10\n"
			   "[task B]\nsteps = cpu 15\n";
	uint64_t want[2] = {work_chunks_for(20) + work_chunks_for(10), work_chunks_for(15)};

	for (int i = 0; i < executor_count(); i++) {
		const struct executor *ex = executor_at(i);
		struct trace *tr = run_ok(text, ex->name);
		for (int lane = 0; lane < 2; lane++) {
			if (trace_chunks(tr, lane) != want[lane])
				fail_msg("%s, task %d: %llu chunks probed, %llu made", ex->name,
					 lane, (unsigned long long)trace_chunks(tr, lane),
					 (unsigned long long)want[lane]);
		}
		trace_destroy(tr);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_chunk_records_nothing),
	    cmocka_unit_test(test_chunk_off_the_cpu_is_preempted),
	    cmocka_unit_test(test_leaving_after_time_off_the_cpu),
	    cmocka_unit_test(test_loop_resume_right_after_a_wait),
	    cmocka_unit_test(test_busy_after_a_long_wait_is_not_preempted),
	    cmocka_unit_test(test_every_executor_uses_the_probe),
	};
	cpu_set_t one;

	/* One core: a chunk that moves starts a new running span, which is not under test. */
	CPU_ZERO(&one);
	CPU_SET(probe_current_cpu(), &one);
	sched_setaffinity(0, sizeof one, &one);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
