/*
 * test_findings.c -- the run's analysis: each kind of finding fires on a
 * hand-built trace that shows its pattern and stays quiet on one that
 * nearly does; real runs of the plain scenarios (hello, seed-sleep) find
 * nothing, and hello prints in seed 000's orders.
 */
#include "exec_test_util.h"

#include "findings.h"

#define MS CLOCK_NS_PER_MS

/* Appends a span of LANE: STATE from A to B ms, begun because of CAUSE by BY, on core CPU. */
static void put(struct trace *tr, int lane, enum state st, double a, double b, enum cause cause,
		int by, int cpu)
{
	struct span sp = {.t0 = (uint64_t)(a * MS),
			  .t1 = (uint64_t)(b * MS),
			  .cpu = cpu,
			  .state = st,
			  .step = 0,
			  .cause = cause,
			  .by = by};

	assert_int_equal(trace_append(tr, lane, &sp), 0);
}

static struct trace *make(int ntasks, unsigned flags, double wall_ms)
{
	struct trace *tr = trace_create(ntasks, flags);
	char name[8];

	assert_non_null(tr);
	for (int i = 0; i < ntasks; i++) {
		snprintf(name, sizeof name, "%c", 'A' + i);
		trace_set_name(tr, i, name);
	}
	tr->meta.cores = 2;
	tr->meta.wall_ns = (uint64_t)(wall_ms * MS);
	return tr;
}

/* The first finding of KIND in TR, copied to OUT; false if there is none. */
static bool find(const struct trace *tr, enum finding_kind kind, struct trace_finding *out)
{
	for (uint32_t i = 0; i < trace_finding_count(tr); i++)
		if (trace_get_finding(tr, i, out) && out->kind == kind)
			return true;
	return false;
}

static void assert_none(const struct trace *tr)
{
	struct trace_finding f;

	if (trace_finding_count(tr) > 0 && trace_get_finding(tr, 0, &f))
		fail_msg("unexpected finding %s: %s", finding_kind_name(f.kind), f.text);
}

/* ---- blocking-call ---------------------------------------------------------- */

/* spinner-cpu on an event loop: slow computes 3 s while the spinner's timer waits. */
static struct trace *loop_blocked(enum cause slow_wait)
{
	struct trace *tr = make(2, 0, 3001);

	trace_set_name(tr, 1, "slow");
	put(tr, 0, STATE_RUNNING, 0, 0.1, CAUSE_START, -1, 0);
	put(tr, 0, STATE_SLEEP, 0.1, 100, CAUSE_YIELD, -1, -1);
	put(tr, 0, STATE_READY, 100, 3000.1, CAUSE_TIMER, -1, -1);
	put(tr, 0, STATE_RUNNING, 3000.1, 3000.2, CAUSE_LOOP_RESUME, 1, 0);
	put(tr, 1, STATE_RUNNING, 0.1, 1000.1, CAUSE_LOOP_RESUME, 0, 0);
	/* A blocking call (begun holding the loop) or an awaited sleep (it yields). */
	put(tr, 1, STATE_SLEEP, 1000.1, 3000.1, slow_wait, -1, -1);
	return tr;
}

static void test_blocking_call(void **state)
{
	struct trace_finding f;
	(void)state;

	struct trace *tr = loop_blocked(CAUSE_STEP);
	findings_analyse(tr, &exec_asyncio);
	assert_true(find(tr, FINDING_BLOCKING_CALL, &f));
	assert_string_equal(f.text, "slow() blocked the event loop for 3.0 s: nothing else ran");
	assert_int_equal(f.ntasks, 1);
	assert_int_equal(f.tasks[0], 1);
	assert_true(f.t0 == (uint64_t)(0.1 * MS) && f.t1 == (uint64_t)(3000.1 * MS));
	trace_destroy(tr);

	/* Awaiting lets the loop go: only the first second held it. */
	tr = loop_blocked(CAUSE_YIELD);
	findings_analyse(tr, &exec_asyncio);
	assert_true(find(tr, FINDING_BLOCKING_CALL, &f));
	assert_string_equal(f.text, "slow() blocked the event loop for 1.0 s: nothing else ran");
	trace_destroy(tr);

	/* The spinner's long wait for the loop is the blocking call's doing: not starvation too. */
	tr = loop_blocked(CAUSE_STEP);
	findings_analyse(tr, &exec_asyncio);
	assert_false(find(tr, FINDING_STARVED, &f));
	trace_destroy(tr);

	/* Threads do not share a loop: the same trace there is no blocking call. */
	tr = loop_blocked(CAUSE_STEP);
	findings_analyse(tr, &exec_threads);
	assert_false(find(tr, FINDING_BLOCKING_CALL, &f));
	trace_destroy(tr);
}

/*
 * The time thresholds follow the run's --scale (in its metadata): a second
 * holding the loop is a blocking call at --scale 5 (500 ms) but not at
 * --scale 20, where asyncio's 100 ms budget is 2 s; 900 ms ready is
 * starvation at 1 but not at 2 (1 s).
 */
static void test_thresholds_follow_scale(void **state)
{
	struct trace_finding f;
	(void)state;

	struct trace *tr = loop_blocked(CAUSE_YIELD);
	tr->meta.scale = 5;
	findings_analyse(tr, &exec_asyncio);
	assert_true(find(tr, FINDING_BLOCKING_CALL, &f));
	trace_destroy(tr);
	tr = loop_blocked(CAUSE_YIELD);
	tr->meta.scale = 20;
	findings_analyse(tr, &exec_asyncio);
	assert_false(find(tr, FINDING_BLOCKING_CALL, &f));
	trace_destroy(tr);

	for (int x = 1; x <= 2; x++) {
		tr = make(2, 0, 1000);
		tr->meta.scale = x;
		put(tr, 0, STATE_RUNNING, 0, 1000, CAUSE_START, -1, 0);
		put(tr, 1, STATE_READY, 0, 900, CAUSE_PREEMPT, -1, -1);
		put(tr, 1, STATE_RUNNING, 900, 1000, CAUSE_RESUME, -1, 0);
		findings_analyse(tr, &exec_threads);
		assert_int_equal(find(tr, FINDING_STARVED, &f), x == 1);
		trace_destroy(tr);
	}
}

/* "kind:task,task;..." for TR's findings, in order. */
static void kinds_of(const struct trace *tr, char *buf, size_t len)
{
	struct trace_finding f;

	buf[0] = '\0';
	for (uint32_t i = 0; i < trace_finding_count(tr); i++) {
		if (!trace_get_finding(tr, i, &f))
			continue;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s:", finding_kind_name(f.kind));
		for (int k = 0; k < f.ntasks; k++)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%d", k ? "," : "",
				 f.tasks[k]);
		snprintf(buf + strlen(buf), len - strlen(buf), ";");
	}
}

/*
 * time.sleep(1) in a coroutine: the same findings in slow motion (--scale 3)
 * and in fast motion (0.05, where the sleep lasts 50 ms: under asyncio's
 * 100 ms at --scale 1, over its 5 ms at the run's pace).
 */
static void test_blocking_sleep_at_any_scale(void **state)
{
	char at1[256], at[256];
	(void)state;

	struct trace *tr = run_builtin("blocking-sleep", NULL);
	kinds_of(tr, at1, sizeof at1);
	assert_string_equal(at1, "blocking-call:1;");
	assert_true(tr->meta.scale == 1);
	trace_destroy(tr);
	static const double scales[] = {3, 0.05};
	for (int i = 0; i < 2; i++) {
		tr = run_builtin_scaled("blocking-sleep", NULL, scales[i]);
		assert_true(tr->meta.scale == scales[i]);
		kinds_of(tr, at, sizeof at);
		assert_string_equal(at, at1);
		trace_destroy(tr);
	}
}

/* run_in_executor: the work runs on the pool's thread, beside the loop. */
static void test_offload_is_no_blocking_call(void **state)
{
	struct trace_finding f;
	(void)state;

	struct trace *tr = make(2, 0, 1001);
	put(tr, 0, STATE_SLEEP, 0, 1000, CAUSE_YIELD, -1, -1);
	put(tr, 1, STATE_BLOCKED, 0, 0.1, CAUSE_YIELD, -1, -1);
	put(tr, 1, STATE_RUNNING, 0.1, 500, CAUSE_JOB, -1, 1);
	put(tr, 1, STATE_READY, 500, 510, CAUSE_PREEMPT, -1, -1);
	put(tr, 1, STATE_RUNNING, 510, 1000, CAUSE_RESUME, -1, 1);
	findings_analyse(tr, &exec_asyncio);
	assert_false(find(tr, FINDING_BLOCKING_CALL, &f));
	trace_destroy(tr);
}

/* ---- the GIL ------------------------------------------------------------------ */

/* gil-convoy: B is back from I/O every 10 ms and waits WAIT ms for A to drop the GIL. */
static struct trace *convoy(double wait)
{
	struct trace *tr = make(2, TRACE_LOCK_LANE, 200);
	int lock = trace_lock_lane(tr);
	double t = 0;

	tr->meta.gil_interval_ms = 5;
	put(tr, 0, STATE_RUNNING, 0, 200, CAUSE_START, -1, 0);
	for (int i = 0; i < 10; i++, t += 2 + wait + 0.2) {
		put(tr, 1, STATE_IO, t, t + 2, CAUSE_STEP, -1, -1);
		put(tr, 1, STATE_LOCK, t + 2, t + 2 + wait, CAUSE_GIL_WAIT, 0, -1);
		put(tr, 1, STATE_RUNNING, t + 2 + wait, t + 2.2 + wait, CAUSE_GIL_TAKE, 0, 1);
		put(tr, lock, STATE_RUNNING, t, t + 2 + wait, CAUSE_GIL_TAKE, 1, 0);
		put(tr, lock, STATE_RUNNING, t + 2 + wait, t + 2.2 + wait, CAUSE_GIL_TAKE, 0, 1);
	}
	return tr;
}

static void test_gil_convoy(void **state)
{
	struct trace_finding f;
	(void)state;

	struct trace *tr = convoy(5);
	findings_analyse(tr, &exec_gil);
	assert_true(find(tr, FINDING_GIL_CONVOY, &f));
	assert_int_equal(f.ntasks, 2);
	assert_int_equal(f.tasks[0], 1);
	assert_int_equal(f.tasks[1], 0);
	assert_non_null(strstr(f.text, "B waits 5.0 ms for the GIL"));
	assert_false(find(tr, FINDING_GIL_THRASH, &f));
	trace_destroy(tr);

	/* Taken at once: no convoy. */
	tr = convoy(0.1);
	findings_analyse(tr, &exec_gil);
	assert_false(find(tr, FINDING_GIL_CONVOY, &f));
	trace_destroy(tr);
}

/* Two threads hand the GIL over every HOLD ms, each waiting WAIT ms for it. */
static struct trace *handoffs(double hold, double wait)
{
	struct trace *tr = make(2, TRACE_LOCK_LANE, 100);
	int lock = trace_lock_lane(tr);

	tr->meta.gil_interval_ms = 5;
	for (int i = 0; i < 40; i++) {
		double t = i * (hold + wait);
		put(tr, lock, STATE_RUNNING, t, t + hold, CAUSE_GIL_TAKE, (i + 1) % 2, i % 2);
		put(tr, i % 2, STATE_RUNNING, t, t + hold, CAUSE_GIL_TAKE, (i + 1) % 2, 0);
		put(tr, i % 2, STATE_LOCK, t + hold, t + hold + wait, CAUSE_GIL_WAIT, -1, -1);
	}
	return tr;
}

static void test_gil_thrash(void **state)
{
	struct trace_finding f;
	(void)state;

	struct trace *tr = handoffs(0.2, 1.0);
	findings_analyse(tr, &exec_gil);
	assert_true(find(tr, FINDING_GIL_THRASH, &f));
	assert_int_equal(f.ntasks, 2);
	assert_non_null(strstr(f.text, "changed hands 39 times"));
	trace_destroy(tr);

	/* Holds of a whole interval: the GIL works as meant (gil-battle). */
	tr = handoffs(5, 5);
	findings_analyse(tr, &exec_gil);
	assert_false(find(tr, FINDING_GIL_THRASH, &f));
	trace_destroy(tr);
}

/* ---- cores ----------------------------------------------------------------------- */

/* N tasks compute for 1 s on 2 cores: two run at a time, the others wait their turn. */
static struct trace *crowd(int n, bool together)
{
	struct trace *tr = make(n, 0, 1000);

	for (int i = 0; i < n; i++)
		for (int k = 0; k < 100; k++) {
			/* Slices of 10 ms: a task runs in the slices its turn comes round. */
			bool runs =
			    together ? (k + i) % (n > 2 ? n / 2 : 1) == 0 : (k + i) % 2 == 0;
			put(tr, i, runs ? STATE_RUNNING : STATE_READY, k * 10, k * 10 + 10,
			    runs ? CAUSE_RESUME : CAUSE_PREEMPT, -1, runs ? i % 2 : -1);
		}
	return tr;
}

static void test_oversubscribed(void **state)
{
	struct trace_finding f;
	(void)state;

	struct trace *tr = crowd(4, true);
	findings_analyse(tr, &exec_threads);
	assert_true(find(tr, FINDING_OVERSUBSCRIBED, &f));
	assert_int_equal(f.ntasks, 4);
	assert_non_null(strstr(f.text, "up to 4 tasks wanted a core at once, 2 cores"));
	assert_false(find(tr, FINDING_NO_SECOND_CORE, &f));
	trace_destroy(tr);

	/* Two tasks on two cores fit. */
	tr = crowd(2, true);
	findings_analyse(tr, &exec_threads);
	assert_none(tr);
	trace_destroy(tr);
}

static void test_no_second_core(void **state)
{
	struct trace_finding f;
	(void)state;

	/* Two tasks take turns on threads, which could have run them together. */
	struct trace *tr = crowd(2, false);
	findings_analyse(tr, &exec_threads);
	assert_true(find(tr, FINDING_NO_SECOND_CORE, &f));
	assert_int_equal(f.ntasks, 2);
	assert_non_null(strstr(f.text, "it is not what OS threads do"));
	trace_destroy(tr);

	/* Taking turns for a moment (threads starting on a busy machine) is no lesson. */
	tr = make(2, 0, 1000);
	put(tr, 0, STATE_RUNNING, 0, 60, CAUSE_START, -1, 0);
	put(tr, 1, STATE_READY, 0, 60, CAUSE_START, -1, -1);
	put(tr, 1, STATE_RUNNING, 60, 62, CAUSE_RESUME, -1, 0);
	put(tr, 1, STATE_SLEEP, 62, 1000, CAUSE_STEP, -1, -1);
	findings_analyse(tr, &exec_threads);
	assert_none(tr);
	trace_destroy(tr);

	/* On one core by design, taking turns is the lesson, not the machine. */
	tr = crowd(2, false);
	findings_analyse(tr, &exec_threads_1core);
	assert_false(find(tr, FINDING_NO_SECOND_CORE, &f));
	trace_destroy(tr);
}

/* ---- starved ------------------------------------------------------------------------ */

static void test_starved(void **state)
{
	struct trace_finding f;
	(void)state;

	struct trace *tr = make(2, 0, 1000);
	put(tr, 0, STATE_RUNNING, 0, 1000, CAUSE_START, -1, 0);
	put(tr, 1, STATE_READY, 0, 300, CAUSE_PREEMPT, -1, -1);
	put(tr, 1, STATE_READY, 300, 900, CAUSE_PREEMPT, -1, -1);
	put(tr, 1, STATE_RUNNING, 900, 1000, CAUSE_RESUME, -1, 0);
	findings_analyse(tr, &exec_threads);
	assert_true(find(tr, FINDING_STARVED, &f));
	assert_int_equal(f.tasks[0], 1);
	assert_true(f.t0 == 0 && f.t1 == 900 * MS);
	assert_string_equal(f.text,
			    "B was ready to run for 900 ms at a stretch but did not get a core");
	trace_destroy(tr);

	/* A pool's queue keeps jobs waiting by design. */
	tr = make(2, 0, 1000);
	put(tr, 1, STATE_READY, 0, 900, CAUSE_START, -1, -1);
	findings_analyse(tr, &exec_pool);
	assert_none(tr);
	trace_destroy(tr);
}

/* ---- real runs of the plain scenarios --------------------------------------------------- */

/* The lines TR's tasks printed, in time order, joined with ", ". */
static void output_of(const struct trace *tr, char *buf, size_t len)
{
	struct trace_output lines[16];
	uint32_t n = trace_output_in_order(tr, lines, 16);

	buf[0] = '\0';
	for (uint32_t i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "",
			 lines[i].text);
}

static void test_hello_threads(void **state)
{
	struct run_opts o = {.backend = "threads"};
	char out[256];
	(void)state;

	struct trace *tr = run_builtin("hello", &o);
	output_of(tr, out, sizeof out);
	assert_string_equal(out, "hello alice, hello bob, bob done!, alice done!");
	assert_none(tr);
	trace_destroy(tr);
}

static void test_hello_sequential(void **state)
{
	struct run_opts o = {.backend = "sequential"};
	char out[256];
	(void)state;

	struct trace *tr = run_builtin("hello", &o);
	output_of(tr, out, sizeof out);
	assert_string_equal(out, "hello alice, alice done!, hello bob, bob done!");
	assert_none(tr);
	trace_destroy(tr);
}

static void test_seed_sleep_quiet(void **state)
{
	struct run_opts o = {.backend = "asyncio"};
	(void)state;

	struct trace *tr = run_builtin("seed-sleep", NULL);
	assert_none(tr);
	trace_destroy(tr);
	tr = run_builtin("seed-sleep", &o);
	assert_none(tr);
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_blocking_call),
	    cmocka_unit_test(test_offload_is_no_blocking_call),
	    cmocka_unit_test(test_thresholds_follow_scale),
	    cmocka_unit_test(test_blocking_sleep_at_any_scale),
	    cmocka_unit_test(test_gil_convoy),
	    cmocka_unit_test(test_gil_thrash),
	    cmocka_unit_test(test_oversubscribed),
	    cmocka_unit_test(test_no_second_core),
	    cmocka_unit_test(test_starved),
	    cmocka_unit_test(test_hello_threads),
	    cmocka_unit_test(test_hello_sequential),
	    cmocka_unit_test(test_seed_sleep_quiet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
