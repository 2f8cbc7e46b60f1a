/*
 * test_meter.c -- the one memory meter: memory a task really adds is
 * counted, the recorder's own pages never are, whatever the span count;
 * and the thread and event-loop executors report by that same definition.
 * Properties of memory, never of time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec_test_util.h"
#include "meter.h"
#include "trace.h"

#define TASKS 64
#define KIB 1024.0
#define TASK_BYTES (64 * 1024) /* what each pretend task touches */

/* Writes SPANS spans on every lane of TR, alternating states so none merge. */
static void write_spans(struct trace *tr, int spans)
{
	uint64_t t = clock_now_ns();

	for (int l = 0; l < tr->ntasks; l++)
		for (int i = 0; i < spans; i++)
			trace_enter(tr, l, t + (uint64_t)i, i % 2 ? STATE_SLEEP : STATE_RUNNING, -1,
				    CAUSE_STEP, -1, i % 2 ? "sleeping" : "computing");
}

/*
 * Measures TASKS pretend tasks that each touch TASK_BYTES while SPANS
 * spans a lane are recorded; returns bytes per task, *TRACE_GREW the
 * growth of the trace's own resident bytes per task.
 */
static double measure(int spans, double *trace_grew)
{
	struct trace *tr = trace_create(TASKS, 0);
	char *mem[TASKS];
	struct meter m;

	assert_non_null(tr);
	trace_start(tr, clock_now_ns());
	meter_start(&m, tr);
	int64_t trace0 = meter_trace_bytes(tr);
	for (int i = 0; i < TASKS; i++) {
		mem[i] = malloc(TASK_BYTES);
		assert_non_null(mem[i]);
		memset(mem[i], i + 1, TASK_BYTES);
	}
	write_spans(tr, spans);
	double per = meter_per_task(&m, TASKS);
	*trace_grew = (double)(meter_trace_bytes(tr) - trace0) / TASKS;
	for (int i = 0; i < TASKS; i++)
		free(mem[i]);
	trace_destroy(tr);
	return per;
}

static void test_process_reading(void **unused)
{
	(void)unused;
	assert_true(meter_process_kib(getpid()) > 0);
}

/* A task's own memory is counted; the trace's pages are not, however many spans. */
static void test_trace_pages_left_out(void **unused)
{
	(void)unused;
	double few_trace, many_trace;

	if (SANITIZED) {
		/* A sanitizer's shadow memory and quarantine count as the process's own. */
		print_message("memory per task not judged in a sanitizer build\n");
		skip();
	}
	double few = measure(1, &few_trace);
	double many = measure(4000, &many_trace);

	print_message("few spans: %.1f KiB a task; many: %.1f KiB a task (trace grew %.1f KiB)\n",
		      few / KIB, many / KIB, many_trace / KIB);
	/* The many-span run made the recorder grow by more than a task's memory... */
	assert_true(many_trace > TASK_BYTES);
	/* ...and none of it shows up as the tasks' memory. */
	assert_true(few >= TASK_BYTES * 0.9 && few <= TASK_BYTES * 1.5);
	assert_true(many >= TASK_BYTES * 0.9 && many <= TASK_BYTES * 1.5);
	assert_true(many - few < TASK_BYTES * 0.25 && few - many < TASK_BYTES * 0.25);
}

/* A trace shared with forked writers is never in the anonymous figure. */
static void test_shared_trace_not_subtracted(void **unused)
{
	(void)unused;
	struct trace *tr = trace_create(4, TRACE_SHARED);

	assert_non_null(tr);
	write_spans(tr, 100);
	assert_int_equal(meter_trace_bytes(tr), 0);
	trace_destroy(tr);
}

static double bytes_per_task(const char *backend, const char *text)
{
	struct trace *tr = run_ok(text, backend);
	double b = tr->meta.bytes_per_task;

	print_message("%s: %.1f KiB a task\n", backend, b / KIB);
	trace_destroy(tr);
	return b;
}

/* Threads and asyncio, same scenario, same definition: both measured, both sane. */
static void test_threads_and_asyncio_alike(void **unused)
{
	(void)unused;
	const char *text = "[scenario]\nname = idle\n[task T]\nsteps = sleep 200\ncount = 200\n";
	double threads = bytes_per_task("threads", text);
	double asyncio = bytes_per_task("asyncio", text);

	assert_true(threads > 0 && threads < 1024 * KIB);
	assert_true(asyncio > 0 && asyncio < 1024 * KIB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_process_reading),
	    cmocka_unit_test(test_trace_pages_left_out),
	    cmocka_unit_test(test_shared_trace_not_subtracted),
	    cmocka_unit_test(test_threads_and_asyncio_alike),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
