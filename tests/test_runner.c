/*
 * test_runner.c -- the runner and the run, through the sequential
 * executor: real sleeps, real requests, real computation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "clock.h"
#include "latency.h"
#include "run.h"
#include "runner.h"
#include "scenario.h"
#include "stats.h"
#include "timing_test_util.h"
#include "trace.h"

static struct trace *run_text(const char *text, const char *backend)
{
	struct scenario sc;
	struct run_opts ro = {.backend = backend};
	char err[256];

	if (scenario_parse(text, "test.ini", &sc, err, sizeof err) < 0)
		fail_msg("%s", err);
	struct run *r = run_start(&sc, &ro, NULL, NULL, err, sizeof err);
	if (!r)
		fail_msg("%s", err);
	assert_int_equal(run_wait(r), 0);
	assert_true(run_finished(r));
	struct trace *tr = run_take_trace(r);
	run_free(r);
	scenario_free(&sc);
	return tr;
}

static double wall_ms(const struct trace *tr)
{
	return clock_ns_to_ms(tr->meta.wall_ns);
}

/* The largest number of tasks in any state but ready/done at one instant. */
static int max_active(const struct trace *tr)
{
	int most = 0;

	for (int s = 0; s < STATE_COUNT; s++)
		if (s != STATE_READY && s != STATE_DONE && stats_max_overlap(tr, s) > most)
			most = stats_max_overlap(tr, s);
	return most;
}

/*
 * Steps of one kind are never merged: four io steps in a row are io spans
 * of steps 0, 1, 2 and 3 in that order -- one span each where nothing else
 * happens between them (the GIL executor shows two for each blocking call
 * of a request, the release and the call) -- and every span says why it
 * began.
 */
static void assert_steps_apart(const char *backend)
{
	struct trace *tr = run_text("[scenario]\nname = four-io\n"
				    "[task A]\nsteps = io 100, io 100, io 100, io 100\n",
				    backend);
	int last = -1, nio = 0;
	struct span sp;

	assert_int_equal(trace_outcome(tr, 0), OUTCOME_DONE);
	for (uint32_t i = 0; i < trace_count(tr, 0); i++) {
		trace_get(tr, 0, i, &sp);
		assert_int_not_equal(sp.cause, CAUSE_NONE);
		if (sp.state != STATE_IO)
			continue;
		nio++;
		/* The same step again, or the next one: never a step skipped or merged. */
		assert_true(sp.step == last || sp.step == last + 1);
		last = sp.step;
	}
	print_message("%s: %d io spans\n", backend, nio);
	assert_int_equal(last, 3);
	assert_int_equal(nio, strcmp(backend, "gil") == 0 ? 4 * 2 * LATENCY_CALL_COUNT : 4);
	trace_destroy(tr);
}

static void test_steps_never_merged(void **unused)
{
	(void)unused;
	static const char *const backends[] = {"sequential", "threads", "threads-1core",
					       "processes",  "pool",	"gil"};

	for (size_t i = 0; i < sizeof backends / sizeof *backends; i++)
		assert_steps_apart(backends[i]);
}

/* Seed 003: sync sleeps of 0.8 and 0.9 s take 1.70 s, one after the other. */
static void test_seed_sleep_sequential(void **unused)
{
	(void)unused;
	struct timing_watch w;
	timing_watch_start(&w);
	struct trace *tr = run_text("[scenario]\n[task A]\nsteps = sleep 800\n"
				    "[task B]\nsteps = sleep 900\n",
				    "sequential");
	struct span sp;

	assert_true(wall_ms(tr) / 1700.0 > 0.99);
	if (timing_judged(&w))
		assert_true(wall_ms(tr) / 1700.0 < 1.05);
	assert_int_equal(max_active(tr), 1);
	assert_int_equal(stats_max_overlap(tr, STATE_SLEEP), 1);
	/* B waits its turn while A sleeps, then sleeps itself. */
	trace_get(tr, 1, 0, &sp);
	assert_int_equal(sp.state, STATE_READY);
	assert_string_equal(sp.reason, "waiting its turn");
	trace_get(tr, 1, 1, &sp);
	assert_int_equal(sp.state, STATE_SLEEP);
	assert_string_equal(sp.reason, "sleep 900 ms");
	assert_true(clock_ns_to_ms(sp.t0) / 800.0 > 0.99);
	assert_int_equal(trace_outcome(tr, 0), OUTCOME_DONE);
	assert_int_equal(trace_outcome(tr, 1), OUTCOME_DONE);
	assert_string_equal(tr->meta.backend, "sequential");
	assert_int_equal(tr->meta.model, MODEL_SEQUENTIAL);
	trace_destroy(tr);
}

/* Ten requests of 200 ms one after another: about 2 s, each wait an io span. */
static void test_ten_requests_sequential(void **unused)
{
	(void)unused;
	struct timing_watch w;
	timing_watch_start(&w);
	struct trace *tr =
	    run_text("[scenario]\n[task get]\nsteps = io 200\ncount = 10\n", "sequential");
	struct stats st;

	assert_true(wall_ms(tr) / 2000.0 > 0.99);
	if (timing_judged(&w))
		assert_true(wall_ms(tr) / 2000.0 < 1.15);
	assert_int_equal(stats_max_overlap(tr, STATE_IO), 1);
	for (int i = 0; i < 10; i++) {
		int io = 0;
		for (uint32_t k = 0; k < trace_count(tr, i); k++) {
			struct span sp;
			trace_get(tr, i, k, &sp);
			if (sp.state == STATE_IO) {
				io++;
				assert_true(clock_ns_to_ms(sp.t1 - sp.t0) >= 199.0);
			}
		}
		assert_int_equal(io, 1);
		assert_int_equal(trace_outcome(tr, i), OUTCOME_DONE);
	}
	assert_string_equal(trace_name(tr, 9), "get10");
	stats_compute(tr, &st);
	assert_true(st.state_ms[STATE_IO] / 2000.0 > 0.99);
	trace_destroy(tr);
}

/* CPU steps are real work: a cpu 100 step runs for about 100 ms on a core. */
static void test_cpu_is_real_and_on_a_core(void **unused)
{
	(void)unused;
	struct timing_watch w;
	timing_watch_start(&w);
	struct trace *tr =
	    run_text("[scenario]\n[task A]\nsteps = cpu 100, sleep 20, cpu 100\n", "sequential");
	struct stats st;

	stats_compute(tr, &st);
	/*
	 * Running time never exceeds the work asked for, when other programs
	 * leave the core alone (a preemption shorter than the probe's interval
	 * is not seen, and counts as running); running plus the time the OS
	 * gave to others (ready) covers it, loaded machine or not.
	 */
	double run = st.state_ms[STATE_RUNNING];
	if (timing_judged(&w))
		assert_true(run / 200.0 < 1.25);
	assert_true((run + st.state_ms[STATE_READY]) / 200.0 > 0.95);
	assert_true(st.cpu_ms / 200.0 > 0.8);
	for (uint32_t k = 0; k < trace_count(tr, 0); k++) {
		struct span sp;
		trace_get(tr, 0, k, &sp);
		if (sp.state == STATE_RUNNING)
			assert_true(sp.cpu >= 0 && sp.cpu < tr->meta.cores);
		else
			assert_int_equal(sp.cpu, -1);
	}
	trace_destroy(tr);
}

/* wait = first: the first task to finish cancels the ones after it. */
static void test_first_completed(void **unused)
{
	(void)unused;
	struct trace *tr = run_text("[scenario]\nwait = first\n[task A]\nsteps = sleep 50\n"
				    "[task B]\nsteps = sleep 900\n",
				    "sequential");
	struct span sp;

	assert_int_equal(trace_outcome(tr, 0), OUTCOME_DONE);
	assert_int_equal(trace_outcome(tr, 1), OUTCOME_CANCELLED);
	trace_get(tr, 1, trace_count(tr, 1) - 1, &sp);
	assert_string_equal(sp.reason, "cancelled: another task finished first");
	assert_true(wall_ms(tr) < 0.5 * 900);
	trace_destroy(tr);
}

/* A spinner beside nothing draws one frame and stops: nothing runs beside it. */
static void test_spinner_alone_sequential(void **unused)
{
	(void)unused;
	struct trace *tr = run_text("[scenario]\n[task spinner]\nsteps = spin 100\n"
				    "[task slow]\nsteps = sleep 300\n",
				    "sequential");
	int frames = 0;

	for (uint32_t k = 0; k < trace_count(tr, 0); k++) {
		struct span sp;
		trace_get(tr, 0, k, &sp);
		frames += sp.state == STATE_RUNNING;
	}
	assert_int_equal(frames, 1);
	assert_int_equal(trace_outcome(tr, 0), OUTCOME_DONE);
	trace_destroy(tr);
}

/* A request with no server fails the task, not the run. */
static void test_io_without_server_fails_task(void **unused)
{
	(void)unused;
	struct scenario sc;
	char err[256];
	struct trace *tr = trace_create(1, 0);
	struct runner r;
	_Atomic int cancel = RUNNER_GO, live = 1;
	struct span sp;

	assert_int_equal(
	    scenario_parse("[scenario]\n[task A]\nsteps = io 10\n", "t.ini", &sc, err, sizeof err),
	    0);
	trace_start(tr, clock_now_ns());
	runner_init(&r, tr, &sc, 0);
	r.cancel = &cancel;
	r.live = &live;
	r.latency_port = 0;
	assert_int_equal(runner_run(&r), OUTCOME_FAILED);
	assert_int_equal(atomic_load(&live), 0);
	trace_get(tr, 0, trace_count(tr, 0) - 1, &sp);
	assert_int_equal(sp.state, STATE_DONE);
	assert_non_null(strstr(sp.reason, "failed"));
	trace_destroy(tr);
	scenario_free(&sc);
}

/* An interrupt stops a long run promptly. */
static void test_interrupt(void **unused)
{
	(void)unused;
	struct scenario sc;
	struct run_opts ro = {.backend = "sequential"};
	char err[256];

	assert_int_equal(scenario_parse("[scenario]\n[task A]\nsteps = sleep 10000\n"
					"[task B]\nsteps = cpu 10000\n",
					"t.ini", &sc, err, sizeof err),
			 0);
	uint64_t t0 = clock_now_ns();
	struct run *r = run_start(&sc, &ro, NULL, NULL, err, sizeof err);
	assert_non_null(r);
	/* Interrupt once A is inside its sleep: the trace says when. */
	while (trace_count(run_trace(r), 0) < 1 && !run_finished(r))
		clock_sleep_until(clock_now_ns() + 2 * CLOCK_NS_PER_MS);
	run_interrupt(r);
	assert_int_equal(run_wait(r), 0);
	double took = clock_ns_to_ms(clock_now_ns() - t0);
	assert_true(took < 0.1 * 20000);
	assert_int_equal(trace_outcome(run_trace(r), 0), OUTCOME_CANCELLED);
	assert_int_equal(trace_outcome(run_trace(r), 1), OUTCOME_CANCELLED);
	run_free(r);
	scenario_free(&sc);
}

static void test_unknown_executor(void **unused)
{
	(void)unused;
	struct scenario sc;
	struct run_opts ro = {.backend = "fibers"};
	char err[256];

	assert_int_equal(scenario_parse("[scenario]\n[task A]\nsteps = sleep 1\n", "t.ini", &sc,
					err, sizeof err),
			 0);
	assert_null(run_start(&sc, &ro, NULL, NULL, err, sizeof err));
	assert_string_equal(err, "unknown executor \"fibers\" (conctui --list shows them)");
	scenario_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seed_sleep_sequential),
	    cmocka_unit_test(test_ten_requests_sequential),
	    cmocka_unit_test(test_cpu_is_real_and_on_a_core),
	    cmocka_unit_test(test_first_completed),
	    cmocka_unit_test(test_steps_never_merged),
	    cmocka_unit_test(test_spinner_alone_sequential),
	    cmocka_unit_test(test_io_without_server_fails_task),
	    cmocka_unit_test(test_interrupt),
	    cmocka_unit_test(test_unknown_executor),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	latency_stop();
	return rc;
}
