/*
 * test_exec_pool.c -- seed 004's process pool: jobs wait in a queue (their
 * lanes show them queued), N workers take them, each ends by its poison
 * pill, results come back on a second queue.  A worker killed from outside
 * takes only its current job with it; an interrupt ends the pool at once;
 * no worker outlives the run.
 */
#include <inttypes.h>
#include <signal.h>

#include "exec_test_util.h"
#include "executor.h"
#include "work.h"

/* seed 004: 20 primality checks, each a little real computation. */
#define PRIMES "[scenario]\nname = primes-pool\n[task n]\nsteps = cpu 40\ncount = 20\n"

/* ---- runs ---- */

/* Parses TEXT and starts it on a pool of WORKERS. */
static struct run *start(const char *text, int workers, struct scenario *sc)
{
	struct run_opts o = {.backend = "pool", .workers = workers};

	return start_run(text, &o, sc);
}

/* Waits for R and returns its trace; REP gets the pool's report. */
static struct trace *finish(struct run *r, struct scenario *sc, struct exec_pool_report *rep)
{
	int rc;
	struct trace *tr = finish_run(r, sc, &rc, NULL, 0);

	assert_int_equal(rc, 0);
	exec_pool_last_report(rep);
	return tr;
}

static struct trace *run_pool(const char *text, int workers, struct exec_pool_report *rep)
{
	struct scenario sc;

	return finish(start(text, workers, &sc), &sc, rep);
}

static void span_at(const struct trace *tr, int lane, int i, struct span *sp)
{
	trace_get(tr, lane, i < 0 ? trace_count(tr, lane) + (uint32_t)i : (uint32_t)i, sp);
}

/* ---- the tests ---- */

static bool primes_pool_once(void *arg)
{
	(void)arg;
	struct exec_pool_report rep;
	struct trace *tr = run_pool(PRIMES, 2, &rep);
	struct span first, last;
	int primes = 0;

	/* Two workers: never more than two jobs at once. */
	assert_true(stats_max_overlap(tr, STATE_RUNNING) <= 2);

	print_message("pool: 20 jobs on 2 workers in %.1f ms, %d primes, workers waited %.1f ms\n",
		      wall_ms(tr), rep.primes, rep.waited_ms);
	assert_int_equal(count_outcomes(tr, OUTCOME_DONE), 20);
	assert_int_equal(rep.workers, 2);
	assert_int_equal(rep.pills, 2); /* every worker ended by its pill */
	assert_int_equal(rep.died, 0);
	assert_int_equal(rep.jobs, 20);
	assert_int_equal(rep.results, 20);
	for (int i = 0; i < 20; i++) {
		span_at(tr, i, 0, &first);
		span_at(tr, i, -1, &last);
		assert_int_equal(first.state, STATE_READY);
		assert_string_equal(first.reason, "queued for a worker");
		/* The answer is real: "worker W: is_prime(N) = True". */
		uint64_t n;
		int w;
		char verdict[8];
		assert_int_equal(
		    sscanf(last.reason, "worker %d: is_prime(%" SCNu64 ") = %7s", &w, &n, verdict),
		    3);
		assert_true(w == 1 || w == 2);
		assert_string_equal(verdict, work_is_prime(n) ? "True" : "False");
		primes += work_is_prime(n);
	}
	assert_int_equal(rep.primes, primes);
	assert_true(primes > 0 && primes < 20);
	/* The last job waited in the queue far longer than the first. */
	struct span q0, q19;
	span_at(tr, 0, 0, &q0);
	span_at(tr, 19, 0, &q19);
	assert_true(q19.t1 - q19.t0 > 5 * (q0.t1 - q0.t0));
	/* Two at once needs both cores: the machine may not give them. */
	bool both = stats_max_overlap(tr, STATE_RUNNING) == 2;
	trace_destroy(tr);
	return both;
}

static void test_primes_pool(void **state)
{
	(void)state;
	timing_retry("primes pool", TIMING_TRIES, primes_pool_once, NULL);
}

/* One worker: the jobs run one after another, as on a one-slot server. */
static void test_one_worker_runs_one_at_a_time(void **state)
{
	(void)state;
	struct exec_pool_report rep;
	struct trace *tr = run_pool("[scenario]\nname = one\n[task j]\nsteps = cpu 20, sleep 20\n"
				    "count = 4\n",
				    1, &rep);

	assert_int_equal(count_outcomes(tr, OUTCOME_DONE), 4);
	assert_int_equal(rep.pills, 1);
	assert_int_equal(stats_max_overlap(tr, STATE_RUNNING), 1);
	assert_int_equal(stats_max_overlap(tr, STATE_SLEEP), 1);
	trace_destroy(tr);
}

static void test_io_jobs_overlap(void **state)
{
	(void)state;
	struct exec_pool_report rep;
	struct timing_watch w;
	timing_watch_start(&w);
	struct trace *tr =
	    run_pool("[scenario]\nname = io\n[task d]\nsteps = io 200\ncount = 10\n", 10, &rep);

	print_message("pool: 10 x io 200 on 10 workers in %.1f ms\n", wall_ms(tr));
	assert_int_equal(count_outcomes(tr, OUTCOME_DONE), 10);
	assert_int_equal(rep.pills, 10);
	/* One after another they would take 10 x 200 ms. */
	assert_true(wall_ms(tr) < 0.5 * 10 * 200.0);
	if (timing_judged(&w))
		assert_true(wall_ms(tr) < 3 * 200.0);
	trace_destroy(tr);
}

static void test_wait_first_cancels_the_rest(void **state)
{
	(void)state;
	struct exec_pool_report rep;
	struct trace *tr = run_pool("[scenario]\nname = first\nwait = first\n"
				    "[task fast]\nsteps = sleep 100\n"
				    "[task slow]\nsteps = sleep 5000\n"
				    "[task busy]\nsteps = cpu 5000\n",
				    3, &rep);

	assert_int_equal(trace_outcome(tr, 0), OUTCOME_DONE);
	assert_int_equal(trace_outcome(tr, 1), OUTCOME_CANCELLED);
	assert_int_equal(trace_outcome(tr, 2), OUTCOME_CANCELLED);
	assert_int_equal(rep.pills, 3);
	/* Cancelled, not waited for: far from the losers' 5 s. */
	assert_true(wall_ms(tr) < 0.5 * 5000);
	trace_destroy(tr);
}

/* How many of TR's jobs a worker has taken: they left the queue. */
static int jobs_taken(const struct trace *tr)
{
	int n = 0;

	for (int i = 0; i < tr->ntasks; i++)
		n += trace_count(tr, i) >= 2;
	return n;
}

/* Waits for N workers and for each to take a job (R's trace shows it), kills one; returns its pid.
 */
static pid_t kill_a_worker(const struct run *r, const struct kid *before, int nbefore, int n)
{
	struct kid kids[MAX_KIDS];
	uint64_t give_up = clock_now_ns() + 30000 * CLOCK_NS_PER_MS;

	while (clock_now_ns() < give_up) {
		if (new_children(before, nbefore, kids, MAX_KIDS) == n &&
		    jobs_taken(run_trace(r)) >= n) {
			assert_int_equal(kill(kids[0].pid, SIGKILL), 0);
			return kids[0].pid;
		}
		clock_sleep_until(clock_now_ns() + 10 * CLOCK_NS_PER_MS);
	}
	fail_msg("the workers did not appear");
	return 0;
}

static void test_killed_worker_takes_only_its_job(void **state)
{
	(void)state;
	struct kid before[MAX_KIDS];
	int nbefore = list_children(before, MAX_KIDS), killed = -1;
	struct exec_pool_report rep;
	struct scenario sc;
	struct span sp;

	struct run *r =
	    start("[scenario]\nname = victim\n[task j]\nsteps = sleep 300\ncount = 8\n", 2, &sc);
	kill_a_worker(r, before, nbefore, 2);
	struct trace *tr = finish(r, &sc, &rep);
	for (int i = 0; i < tr->ntasks; i++)
		if (trace_outcome(tr, i) == OUTCOME_KILLED)
			killed = i;
	assert_int_equal(count_outcomes(tr, OUTCOME_KILLED), 1);
	/* The other worker drained the queue. */
	assert_int_equal(count_outcomes(tr, OUTCOME_DONE), 7);
	span_at(tr, killed, -1, &sp);
	assert_string_equal(sp.reason, "killed by SIGKILL");
	assert_int_equal(rep.died, 1);
	assert_int_equal(rep.pills, 1);
	assert_true(no_new_children(before, nbefore));
	trace_destroy(tr);
}

static void test_interrupt_ends_the_pool(void **state)
{
	(void)state;
	struct kid before[MAX_KIDS];
	int nbefore = list_children(before, MAX_KIDS);
	struct exec_pool_report rep;
	struct scenario sc;
	pthread_t t;

	struct run *r =
	    start("[scenario]\nname = long\n[task L]\nsteps = sleep 10000\ncount = 3\n", 2, &sc);
	struct interrupter in = {.run = r, .spans = 1};
	assert_int_equal(pthread_create(&t, NULL, interrupt_later, &in), 0);
	struct trace *tr = finish(r, &sc, &rep);
	pthread_join(t, NULL);
	print_message("pool: interrupted after %.1f ms\n", wall_ms(tr));
	assert_int_equal(count_outcomes(tr, OUTCOME_CANCELLED), 3);
	assert_true(wall_ms(tr) / 10000.0 < 0.5);
	/* The workers stopped politely: each still took its pill. */
	assert_int_equal(rep.pills, 2);
	assert_true(no_new_children(before, nbefore));
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_primes_pool),
	    cmocka_unit_test(test_one_worker_runs_one_at_a_time),
	    cmocka_unit_test(test_io_jobs_overlap),
	    cmocka_unit_test(test_wait_first_cancels_the_rest),
	    cmocka_unit_test(test_killed_worker_takes_only_its_job),
	    cmocka_unit_test(test_interrupt_ends_the_pool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
