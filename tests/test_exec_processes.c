/*
 * test_exec_processes.c -- one forked process per task, judged on the spans
 * the children wrote into the shared trace: two CPU-bound children run at
 * once on two cores; I/O overlaps; `wait = first` and the spinner work
 * across processes; a child killed from outside is reported `killed` and
 * the rest finish; an interrupt ends a long run at once; a process limit
 * is reported.  No child ever outlives its run.
 */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "exec_test_util.h"

/* Tries at a timing figure: load from elsewhere only ever slows a run down. */
#define TRIES 5

/* ---- runs ---- */

/* Parses TEXT and starts it on the processes backend. */
static struct run *start(const char *text, struct scenario *sc)
{
	struct run_opts o = {.backend = "processes"};

	return start_run(text, &o, sc);
}

/* ---- the tests ---- */

/* Two CPU-bound children run at once on two cores, about twice as fast. */
static void test_two_cpu_tasks_run_in_parallel(void **state)
{
	(void)state;
	assert_two_cpu_speedup("processes", TRIES);
}

static void test_io_overlaps(void **state)
{
	(void)state;
	struct timing_watch w;
	timing_watch_start(&w);
	struct trace *tr =
	    run_ok("[scenario]\nname = io\n[task D]\nsteps = io 200\ncount = 10\n", "processes");

	print_message("processes: 10 x io 200 in %.1f ms\n", wall_ms(tr));
	assert_all(tr, OUTCOME_DONE);
	assert_int_equal(stats_max_overlap(tr, STATE_IO), 10);
	/* Sequential would take 10 x 200 ms. */
	if (timing_judged(&w))
		assert_true(wall_ms(tr) < 3 * 200.0);
	trace_destroy(tr);
}

/* Every kind of step runs in a child. */
static void test_every_step_kind(void **state)
{
	(void)state;
	struct trace *tr = run_ok("[scenario]\nname = kinds\n[task K]\nsteps = cpu 5, native 5, "
				  "io 20, sleep 20, block 20, offload 5\ncount = 2\n",
				  "processes");
	struct stats st;

	stats_compute(tr, &st);
	assert_all(tr, OUTCOME_DONE);
	assert_true(st.state_ms[STATE_IO] > 0);
	assert_true(st.state_ms[STATE_SLEEP] > 0);
	assert_true(st.state_ms[STATE_RUNNING] > 0);
	trace_destroy(tr);
}

static void test_wait_first_cancels_the_rest(void **state)
{
	(void)state;
	struct trace *tr = run_ok("[scenario]\nname = first\nwait = first\n"
				  "[task fast]\nsteps = sleep 100\n"
				  "[task slow]\nsteps = sleep 5000\n"
				  "[task busy]\nsteps = cpu 5000\n",
				  "processes");
	char why[TRACE_REASON_MAX];

	assert_int_equal(trace_outcome(tr, 0), OUTCOME_DONE);
	assert_int_equal(trace_outcome(tr, 1), OUTCOME_CANCELLED);
	assert_int_equal(trace_outcome(tr, 2), OUTCOME_CANCELLED);
	last_reason(tr, 1, why, sizeof why);
	assert_string_equal(why, "cancelled: another task finished first");
	/* Cancelled, not waited for: far from the losers' 5 s. */
	assert_true(wall_ms(tr) < 0.5 * 5000);
	trace_destroy(tr);
}

/* The spinner counts the other tasks out through shared memory. */
static void test_spinner_stops_when_the_others_end(void **state)
{
	(void)state;
	struct timing_watch w;
	timing_watch_start(&w);
	struct trace *tr = run_ok("[scenario]\nname = spin\n[task spinner]\nsteps = spin 50\n"
				  "[task slow]\nsteps = sleep 500\n",
				  "processes");

	assert_all(tr, OUTCOME_DONE);
	/* It turned while the other slept (seed 004: frames every 50 ms, no freeze). */
	assert_true(stats_max_gap_ms(tr, 0, STATE_RUNNING) > 0);
	if (timing_judged(&w)) {
		assert_true(stats_max_gap_ms(tr, 0, STATE_RUNNING) < 3 * 50);
		assert_true(trace_lane_end(tr, 0, 0) <
			    trace_lane_end(tr, 1, 0) + 200 * CLOCK_NS_PER_MS);
	}
	trace_destroy(tr);
}

/* Seed 004's follow-up: a CPU-bound slow call in its own process freezes nothing. */
static void test_spinner_turns_beside_cpu_work(void **state)
{
	(void)state;
	struct timing_watch w;
	timing_watch_start(&w);
	struct trace *tr = run_ok("[scenario]\nname = spin\n[task spinner]\nsteps = spin 100\n"
				  "[task slow]\nsteps = cpu 800\n",
				  "processes");

	assert_all(tr, OUTCOME_DONE);
	/* Gaps of about one interval: never frozen for the length of the call. */
	assert_true(stats_max_gap_ms(tr, 0, STATE_RUNNING) > 0);
	if (timing_judged(&w))
		assert_true(stats_max_gap_ms(tr, 0, STATE_RUNNING) < 0.4 * 800);
	trace_destroy(tr);
}

/* Kills one task's process (not the group's anchor) once the children run. */
static pid_t kill_one_child(const struct kid *before, int nbefore)
{
	struct kid kids[MAX_KIDS];
	uint64_t give_up = clock_now_ns() + 30000 * CLOCK_NS_PER_MS;

	while (clock_now_ns() < give_up) {
		int n = new_children(before, nbefore, kids, MAX_KIDS), tasks = 0;
		pid_t victim = 0;
		for (int i = 0; i < n; i++)
			if (kids[i].pid != kids[i].pgrp) {
				tasks++;
				victim = kids[i].pid;
			}
		if (tasks == 4) {
			assert_int_equal(kill(victim, SIGKILL), 0);
			return victim;
		}
		clock_sleep_until(clock_now_ns() + 10 * CLOCK_NS_PER_MS);
	}
	fail_msg("the task processes did not appear");
	return 0;
}

static void test_killed_child_is_reported(void **state)
{
	(void)state;
	struct kid before[MAX_KIDS];
	int nbefore = list_children(before, MAX_KIDS), rc, killed = -1;
	struct scenario sc;
	char why[TRACE_REASON_MAX];

	struct run *r = start("[scenario]\nname = victim\n[task V]\nsteps = cpu 20, sleep 1000\n"
			      "count = 4\n",
			      &sc);
	kill_one_child(before, nbefore);
	struct trace *tr = finish_run(r, &sc, &rc, NULL, 0);
	assert_int_equal(rc, 0);
	for (int i = 0; i < tr->ntasks; i++) {
		if (trace_outcome(tr, i) == OUTCOME_KILLED) {
			assert_int_equal(killed, -1);
			killed = i;
		} else {
			assert_int_equal(trace_outcome(tr, i), OUTCOME_DONE);
		}
	}
	assert_true(killed >= 0);
	last_reason(tr, killed, why, sizeof why);
	assert_string_equal(why, "killed by SIGKILL");
	assert_true(no_new_children(before, nbefore));
	trace_destroy(tr);
}

static void test_interrupt_ends_the_run(void **state)
{
	(void)state;
	struct kid before[MAX_KIDS];
	int nbefore = list_children(before, MAX_KIDS), rc;
	struct scenario sc;
	pthread_t t;

	struct run *r =
	    start("[scenario]\nname = long\n[task L]\nsteps = sleep 10000\ncount = 3\n", &sc);
	struct interrupter in = {.run = r, .spans = 1};
	assert_int_equal(pthread_create(&t, NULL, interrupt_later, &in), 0);
	struct trace *tr = finish_run(r, &sc, &rc, NULL, 0);
	pthread_join(t, NULL);
	print_message("processes: interrupted after %.1f ms\n", wall_ms(tr));
	assert_int_equal(rc, 0);
	assert_all(tr, OUTCOME_CANCELLED);
	assert_true(wall_ms(tr) / 10000.0 < 0.5);
	assert_true(no_new_children(before, nbefore));
	trace_destroy(tr);
}

/* In a child allowed few processes: the run fails with a clear message. */
static int process_limit_child(void)
{
	struct rlimit lim = {.rlim_cur = 40, .rlim_max = 40};
	struct kid kids[MAX_KIDS];
	struct scenario sc;
	char msg[256];
	int rc;

	/* Root is exempt from RLIMIT_NPROC: become nobody first. */
	if (setrlimit(RLIMIT_NPROC, &lim) != 0 || (getuid() == 0 && setuid(65534) != 0))
		return 3;
	struct run *r = start("[scenario]\nname = lots\n[task C]\nsteps = sleep 60000\n"
			      "count = 200\n",
			      &sc);
	struct trace *tr = finish_run(r, &sc, &rc, msg, sizeof msg);
	fprintf(stderr, "process limit: %s\n", msg);
	if (rc >= 0 || !strstr(msg, "cannot start process") || !strstr(msg, "of 200") ||
	    !strstr(msg, "process limit"))
		return 1;
	for (int i = 0; i < tr->ntasks; i++)
		if (trace_outcome(tr, i) == OUTCOME_NONE || trace_outcome(tr, i) == OUTCOME_DONE)
			return 2;
	trace_destroy(tr);
	return list_children(kids, MAX_KIDS) == 0 ? 0 : 4;
}

static void test_process_limit_is_reported(void **state)
{
	(void)state;
	int status;

	if (getuid() != 0)
		skip(); /* a user's own processes count against the limit too */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(process_limit_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_two_cpu_tasks_run_in_parallel),
	    cmocka_unit_test(test_io_overlaps),
	    cmocka_unit_test(test_every_step_kind),
	    cmocka_unit_test(test_wait_first_cancels_the_rest),
	    cmocka_unit_test(test_spinner_stops_when_the_others_end),
	    cmocka_unit_test(test_spinner_turns_beside_cpu_work),
	    cmocka_unit_test(test_killed_child_is_reported),
	    cmocka_unit_test(test_interrupt_ends_the_run),
	    cmocka_unit_test(test_process_limit_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
