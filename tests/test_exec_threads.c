/*
 * test_exec_threads.c -- the thread executors, judged on their recorded
 * spans: two CPU-bound threads run at once on two cores; pinned to one
 * core they take turns (the OS preempts them, never two running) and take
 * as long as sequential; I/O overlaps; `wait = first` cancels the losers;
 * an interrupt ends a long run at once; ten thousand threads fit, and a
 * thread limit is reported, not crashed on.  Times are compared as ratios.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include "exec_test_util.h"

/* Tries at a timing figure: load from elsewhere only ever slows a run down. */
#define TRIES 5

/* Spans of state ST in LANE (-1: every task lane). */
static int count_spans(const struct trace *tr, int lane, enum state st)
{
	int n = 0;
	struct span sp;

	for (int l = 0; l < tr->ntasks; l++) {
		if (lane >= 0 && l != lane)
			continue;
		for (uint32_t i = 0; i < trace_count(tr, l); i++) {
			trace_get(tr, l, i, &sp);
			n += sp.state == st;
		}
	}
	return n;
}

static int first_running_cpu(const struct trace *tr)
{
	struct span sp;

	for (uint32_t i = 0; i < trace_count(tr, 0); i++) {
		trace_get(tr, 0, i, &sp);
		if (sp.state == STATE_RUNNING)
			return sp.cpu;
	}
	return -1;
}

/* Every running span of every task on core CPU. */
static int all_running_on(const struct trace *tr, int cpu)
{
	struct span sp;

	for (int l = 0; l < tr->ntasks; l++)
		for (uint32_t i = 0; i < trace_count(tr, l); i++) {
			trace_get(tr, l, i, &sp);
			if (sp.state == STATE_RUNNING && sp.cpu != cpu)
				return 0;
		}
	return 1;
}

/* Seed 001: two CPU-bound threads run at once on two cores, about twice as fast. */
static void test_two_cpu_tasks_run_in_parallel(void **state)
{
	(void)state;
	assert_two_cpu_speedup("threads", TRIES);
}

/* Pinned to one core: never two running, many preemptions, no speedup. */
static bool one_core_once(void *arg)
{
	(void)arg;
	{
		struct trace *seq = run_ok(TWO_CPU, "sequential");
		struct trace *one = run_ok(TWO_CPU, "threads-1core");
		int ready = count_spans(one, -1, STATE_READY);
		double ratio = wall_ms(one) / wall_ms(seq);
		print_message("threads-1core: %.1f ms, sequential %.1f ms, %d ready spans\n",
			      wall_ms(one), wall_ms(seq), ready);
		assert_all(one, OUTCOME_DONE);
		assert_int_equal(one->meta.model, MODEL_PSEUDO);
		assert_int_equal(stats_max_overlap(one, STATE_RUNNING), 1);
		/* Besides the start-up span, each lane lost the CPU several times. */
		assert_true(ready >= 10);
		assert_true(count_spans(one, 0, STATE_READY) >= 3);
		assert_true(count_spans(one, 1, STATE_READY) >= 3);
		assert_true(all_running_on(one, first_running_cpu(one)));
		trace_destroy(seq);
		trace_destroy(one);
		return ratio >= 0.9 && ratio <= 1.3;
	}
}

static void test_one_core_takes_turns(void **state)
{
	(void)state;
	timing_retry("threads-1core", TRIES, one_core_once, NULL);
}

static void test_io_overlaps(void **state)
{
	(void)state;
	struct timing_watch w;
	timing_watch_start(&w);
	struct trace *tr =
	    run_ok("[scenario]\nname = io\n[task D]\nsteps = io 200\ncount = 10\n", "threads");

	print_message("threads: 10 x io 200 in %.1f ms\n", wall_ms(tr));
	assert_all(tr, OUTCOME_DONE);
	assert_int_equal(stats_max_overlap(tr, STATE_IO), 10);
	/* Sequential would take 10 x 200 ms. */
	if (timing_judged(&w))
		assert_true(wall_ms(tr) < 3 * 200.0);
	trace_destroy(tr);
}

static void test_wait_first_cancels_the_rest(void **state)
{
	(void)state;
	struct trace *tr = run_ok("[scenario]\nname = first\nwait = first\n"
				  "[task fast]\nsteps = sleep 100\n"
				  "[task slow]\nsteps = sleep 5000\n"
				  "[task busy]\nsteps = cpu 5000\n",
				  "threads");

	assert_int_equal(trace_outcome(tr, 0), OUTCOME_DONE);
	assert_int_equal(trace_outcome(tr, 1), OUTCOME_CANCELLED);
	assert_int_equal(trace_outcome(tr, 2), OUTCOME_CANCELLED);
	/* Cancelled, not waited for: far from the losers' 5 s. */
	assert_true(wall_ms(tr) < 0.5 * 5000);
	trace_destroy(tr);
}

/* Starts TEXT on BACKEND and interrupts it once every task is in its steps; returns the trace. */
static struct trace *run_interrupted(const char *text, const char *backend)
{
	struct scenario sc;
	struct run_opts o = {.backend = backend};
	pthread_t t;
	int rc;

	struct run *r = start_run(text, &o, &sc);
	struct interrupter in = {.run = r, .spans = 1};
	assert_int_equal(pthread_create(&t, NULL, interrupt_later, &in), 0);
	struct trace *tr = finish_run(r, &sc, &rc, NULL, 0);
	pthread_join(t, NULL);
	assert_int_equal(rc, 0);
	return tr;
}

static void test_interrupt_ends_the_run(void **state)
{
	(void)state;
	struct trace *tr = run_interrupted(
	    "[scenario]\nname = long\n[task L]\nsteps = sleep 10000\ncount = 3\n", "threads");

	print_message("threads: interrupted after %.1f ms\n", wall_ms(tr));
	assert_all(tr, OUTCOME_CANCELLED);
	assert_true(wall_ms(tr) / 10000.0 < 0.5);
	trace_destroy(tr);
}

/* The c10k scenario's shape: many mostly idle threads. */
static void test_ten_thousand_threads(void **state)
{
	(void)state;
#if SANITIZED
	/* The sanitizers keep shadow state per thread and cap their number. */
	const char *text = "[scenario]\nname = many\n[task C]\nsteps = sleep 300\ncount = 1000\n";
	int n = 1000;
#else
	const char *text = "[scenario]\nname = many\n[task C]\nsteps = sleep 300\ncount = 10000\n";
	int n = 10000;
#endif
	struct trace *tr = run_ok(text, "threads");
	struct stats st;

	stats_compute(tr, &st);
	print_message("threads: %d threads in %.1f ms, %.1f KiB per thread\n", n, wall_ms(tr),
		      tr->meta.bytes_per_task / 1024);
	assert_int_equal(st.outcomes[OUTCOME_DONE], n);
	/* Some stack and bookkeeping is touched, far less than the stack reserved. */
	assert_true(tr->meta.bytes_per_task > 1024);
	assert_true(tr->meta.bytes_per_task < 256 * 1024 || SANITIZED);
	trace_destroy(tr);
}

/* In a child that may start few threads: the run fails with a clear message. */
static int thread_limit_child(void)
{
	struct rlimit lim = {.rlim_cur = 40, .rlim_max = 40};
	char msg[256];
	int rc;

	/* Root is exempt from RLIMIT_NPROC: become nobody first. */
	if (setrlimit(RLIMIT_NPROC, &lim) != 0 || (getuid() == 0 && setuid(65534) != 0))
		return 3;
	struct trace *tr = run_text("[scenario]\nname = lots\n[task C]\nsteps = sleep 60000\n"
				    "count = 200\n",
				    "threads", &rc, msg, sizeof msg);
	fprintf(stderr, "thread limit: %s\n", msg);
	if (rc >= 0 || !strstr(msg, "cannot start thread") || !strstr(msg, "of 200") ||
	    !strstr(msg, "thread limit"))
		return 1;
	for (int i = 0; i < tr->ntasks; i++)
		if (trace_outcome(tr, i) == OUTCOME_NONE || trace_outcome(tr, i) == OUTCOME_DONE)
			return 2;
	trace_destroy(tr);
	return 0;
}

static void test_thread_limit_is_reported(void **state)
{
	(void)state;
	int status;

	if (getuid() != 0)
		skip(); /* a user's own processes count against the limit too */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(thread_limit_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * Seed 004: with threads the spinner keeps turning while the slow call
 * runs, whether the call sleeps or computes; it stops soon after the call.
 */
static void test_spinner_keeps_turning(void **state)
{
	(void)state;
	static const char *const slow[] = {"sleep 800", "cpu 800"};

	for (int i = 0; i < 2; i++) {
		char text[256];
		snprintf(text, sizeof text,
			 "[scenario]\nname = spin\n[task spinner]\nsteps = spin 100\n"
			 "[task slow]\nsteps = %s\n",
			 slow[i]);
		struct timing_watch w;
		timing_watch_start(&w);
		struct trace *tr = run_ok(text, "threads");
		double gap = stats_max_gap_ms(tr, 0, STATE_RUNNING);

		assert_int_equal(trace_outcome(tr, 0), OUTCOME_DONE);
		assert_int_equal(trace_outcome(tr, 1), OUTCOME_DONE);
		/* Frames about 100 ms apart, never frozen for the call's length. */
		assert_true(gap > 0);
		assert_true(count_spans(tr, 0, STATE_RUNNING) >= 3);
		if (timing_judged(&w) &&
		    (gap > 0.4 * 800 ||
		     trace_lane_end(tr, 0, 0) >= trace_lane_end(tr, 1, 0) + 150 * CLOCK_NS_PER_MS))
			fail_msg("%s: largest gap between frames %.1f ms", slow[i], gap);
		trace_destroy(tr);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_two_cpu_tasks_run_in_parallel),
	    cmocka_unit_test(test_one_core_takes_turns),
	    cmocka_unit_test(test_io_overlaps),
	    cmocka_unit_test(test_spinner_keeps_turning),
	    cmocka_unit_test(test_wait_first_cancels_the_rest),
	    cmocka_unit_test(test_interrupt_ends_the_run),
	    cmocka_unit_test(test_ten_thousand_threads),
	    cmocka_unit_test(test_thread_limit_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
