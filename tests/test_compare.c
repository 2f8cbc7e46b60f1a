/*
 * test_compare.c -- --compare: which executors apply, the verdict chosen
 * from measured numbers (on made-up traces, so every branch is reached),
 * and real comparisons: two CPU-bound tasks (processes beat sequential, the
 * GIL does not), seed-sleep (a row and a record for every executor), a bad
 * --json path (nothing runs) and SIGINT (exit 1, nothing written).
 *
 * Executors are being added one by one; assertions about one that is not
 * registered are skipped.  Timings are compared within one run only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "batch.h"
#include "clock.h"
#include "compare.h"
#include "compare_cli.h"
#include "compare_print.h"
#include "executor.h"
#include "options.h"
#include "scenario.h"
#include "timing_test_util.h"

#define MS 1000000ull

/* ---- which executors apply -------------------------------------------------- */

static void parse(const char *text, struct scenario *sc)
{
	char err[256];

	assert_int_equal(scenario_parse(text, "test.ini", sc, err, sizeof err), 0);
}

static void test_skip_rule(void **state)
{
	(void)state;
	/* Judged by what each executor is (its unit, how many at once), not its name. */
	const struct executor *threads = executor_find("threads");
	const struct executor *procs = executor_find("processes");
	const struct executor *aio = executor_find("asyncio");
	const struct executor *seq = executor_find("sequential");
	struct scenario many, few;
	char buf[128];

	parse("[scenario]\nname = many\n[task conn]\nsteps = io 1000\ncount = 10000\n", &many);
	parse("[scenario]\nname = few\n[task A]\nsteps = sleep 800\n[task B]\nsteps = sleep 900\n",
	      &few);
	assert_non_null(compare_skip_reason(threads, &many, buf, sizeof buf));
	assert_string_equal(buf, "skipped: 10000 tasks would need 10000 OS threads");
	assert_non_null(compare_skip_reason(procs, &many, buf, sizeof buf));
	assert_string_equal(buf, "skipped: 10000 tasks would need 10000 processes");
	/* 10,000 s one at a time: hours. */
	assert_non_null(compare_skip_reason(seq, &many, buf, sizeof buf));
	assert_non_null(strstr(buf, "would take"));
	assert_null(compare_skip_reason(aio, &many, buf, sizeof buf));
	assert_null(compare_skip_reason(threads, &few, buf, sizeof buf));
	assert_null(compare_skip_reason(seq, &few, buf, sizeof buf));
	scenario_free(&many);
	scenario_free(&few);
}

/* ---- the verdict, on made-up traces ----------------------------------------------- */

/* An N-task trace of BACKEND: each task spends RUN_MS running, WAIT_MS in io. */
static struct trace *fake_n(int n, const char *backend, enum model m, double wall_ms, double run_ms,
			    double wait_ms)
{
	struct trace *tr = trace_create(n, 0);

	snprintf(tr->meta.scenario, sizeof tr->meta.scenario, "fake");
	snprintf(tr->meta.backend, sizeof tr->meta.backend, "%s", backend);
	tr->meta.model = m;
	tr->meta.cores = 2;
	tr->meta.wall_ns = (uint64_t)(wall_ms * MS);
	for (int lane = 0; lane < n; lane++) {
		struct span run = {.t0 = 0, .t1 = (uint64_t)(run_ms * MS), .state = STATE_RUNNING};
		struct span io = {.t0 = run.t1,
				  .t1 = run.t1 + (uint64_t)(wait_ms * MS),
				  .cpu = -1,
				  .state = STATE_IO};
		assert_int_equal(trace_append(tr, lane, &run), 0);
		if (wait_ms > 0)
			assert_int_equal(trace_append(tr, lane, &io), 0);
		trace_set_outcome(tr, lane, OUTCOME_DONE);
	}
	return tr;
}

static struct trace *fake(const char *backend, enum model m, double wall_ms, double run_ms,
			  double wait_ms)
{
	return fake_n(2, backend, m, wall_ms, run_ms, wait_ms);
}

static void verdict_of(struct trace **trs, int n, char *buf, size_t len)
{
	struct compare_result res;

	compare_from_traces(trs, n, &res);
	compare_verdict(&res, buf, len, true);
	compare_free(&res);
}

static void test_verdict_cpu_bound(void **state)
{
	(void)state;
	struct trace *trs[] = {
	    fake("sequential", MODEL_SEQUENTIAL, 600, 300, 0),
	    fake("processes", MODEL_PARALLEL, 310, 300, 0),
	    fake("gil", MODEL_PSEUDO, 620, 300, 0),
	    fake("asyncio", MODEL_PSEUDO, 605, 300, 0),
	};
	struct trace *no_processes[] = {
	    fake("sequential", MODEL_SEQUENTIAL, 600, 300, 0),
	    fake("threads", MODEL_PARALLEL, 310, 300, 0),
	    fake("gil", MODEL_PSEUDO, 620, 300, 0),
	};
	char v[512];

	verdict_of(trs, 4, v, sizeof v);
	assert_non_null(strstr(v, "CPU-bound -> multiprocessing"));
	assert_non_null(
	    strstr(v, "(processes 1.9x faster than sequential; gil 1.0x, asyncio 1.0x)"));
	/* Without processes, C threads (no GIL) against the GIL tell the same story. */
	verdict_of(no_processes, 3, v, sizeof v);
	assert_non_null(strstr(v, "threads without a GIL used several cores (threads 1.9x"));
	assert_non_null(strstr(v, "they took turns (gil 1.0x)"));
}

static void test_verdict_io_bound(void **state)
{
	(void)state;
	struct trace *trs[] = {
	    fake("sequential", MODEL_SEQUENTIAL, 1700, 1, 850),
	    fake("threads", MODEL_PARALLEL, 900, 1, 850),
	    fake("asyncio", MODEL_PSEUDO, 905, 1, 850),
	    fake("pool", MODEL_PARALLEL, 1700, 1, 850),
	};
	char v[512];

	verdict_of(trs, 4, v, sizeof v);
	assert_non_null(strstr(v, "I/O-bound -> threads or asyncio"));
	assert_non_null(strstr(v, "pool only 1.0x"));
}

/* Asyncio at the least memory per task: the seed-002 verdict when tasks are many. */
static void test_verdict_many_connections(void **state)
{
	(void)state;
	struct trace *many[] = {
	    fake_n(200, "sequential", MODEL_SEQUENTIAL, 4000, 1, 20),
	    fake_n(200, "threads", MODEL_PARALLEL, 400, 1, 20),
	    fake_n(200, "asyncio", MODEL_PSEUDO, 400, 1, 20),
	};
	struct trace *few[] = {
	    fake("sequential", MODEL_SEQUENTIAL, 4000, 1, 2000),
	    fake("threads", MODEL_PARALLEL, 2000, 1, 2000),
	    fake("asyncio", MODEL_PSEUDO, 2000, 1, 2000),
	};
	char v[512];

	many[1]->meta.bytes_per_task = few[1]->meta.bytes_per_task = 16384;
	many[2]->meta.bytes_per_task = few[2]->meta.bytes_per_task = 2048;
	verdict_of(many, 3, v, sizeof v);
	assert_non_null(strstr(v, "I/O-bound, many connections -> asyncio"));
	assert_non_null(strstr(v, "2.0 KiB a task"));
	/* Two connections are not many: the memory is only a note. */
	verdict_of(few, 3, v, sizeof v);
	assert_non_null(strstr(v, "I/O-bound -> threads or asyncio"));
	assert_non_null(strstr(v, "least memory per task (2.0 KiB, threads 16.0 KiB)"));
}

/* Threads skipped for 10,000 connections, asyncio ran them on one thread. */
static void test_verdict_threads_skipped(void **state)
{
	(void)state;
	struct trace *trs[] = {fake_n(1000, "asyncio", MODEL_PSEUDO, 1000, 0, 1000)};
	struct compare_result res;
	char v[512];

	compare_from_traces(trs, 1, &res);
	/* As compare_run leaves a skipped row. */
	struct compare_row *t = &res.rows[res.nrows++];
	snprintf(t->name, sizeof t->name, "threads");
	t->ex = executor_find("threads");
	snprintf(t->skipped, sizeof t->skipped, "skipped: 1000 tasks would need 1000 OS threads");
	compare_verdict(&res, v, sizeof v, true);
	assert_non_null(strstr(v, "many connections -> asyncio: on one thread 1000 waits"));
	compare_free(&res);
}

/* Nothing the seeds describe: the fastest is named, with no claim. */
static void test_verdict_neutral(void **state)
{
	(void)state;
	struct trace *with_seq[] = {
	    fake("sequential", MODEL_SEQUENTIAL, 600, 300, 0),
	    fake("threads", MODEL_PARALLEL, 500, 300, 0),
	};
	struct trace *without[] = {fake("asyncio", MODEL_PSEUDO, 905, 1, 850)};
	struct trace *seq_first[] = {
	    fake("sequential", MODEL_SEQUENTIAL, 600, 300, 0),
	    fake("threads", MODEL_PARALLEL, 700, 300, 0),
	};
	char v[512];

	verdict_of(with_seq, 2, v, sizeof v);
	assert_non_null(strstr(v, "the fastest here was threads"));
	verdict_of(seq_first, 2, v, sizeof v);
	assert_non_null(strstr(v, "Nothing beat sequential"));
	verdict_of(without, 1, v, sizeof v);
	assert_non_null(strstr(v, "asyncio"));
	assert_non_null(strstr(v, "no speedup"));
}

/* ---- real comparisons --------------------------------------------------------- */

static void write_temp(char *path, size_t len, const char *text)
{
	snprintf(path, len, "/tmp/conctui-compare-XXXXXX.ini");
	int fd = mkstemps(path, 4);
	size_t n = strlen(text);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
}

/* The table, shown when a ratio did not hold, so that a failure explains itself. */
static void show(const struct compare_result *res)
{
	compare_print(res, stderr, false);
}

/* Two `cpu 300` tasks: processes use both cores, the GIL serialises. */
static bool cpu_ratios_hold(const struct compare_result *res)
{
	const struct compare_row *seq = compare_find(res, "sequential");
	const struct compare_row *p = compare_find(res, "processes"), *g = compare_find(res, "gil");
	char v[512];
	bool ok = true;

	if (p)
		ok = ok && p->st.wall_ms < 0.6 * seq->st.wall_ms &&
		     strstr(compare_verdict(res, v, sizeof v, false), "multiprocessing");
	if (g)
		ok = ok && g->st.wall_ms >= 0.95 * seq->st.wall_ms;
	if (!ok)
		show(res);
	return ok;
}

/* One compare of seed 001 on every executor, for timing_retry: outcomes asserted, ratios returned.
 */
static bool cpu_bound_once(void *arg)
{
	struct compare_result res;
	struct scenario sc;

	/* Loaded and freed per try: a skip leaves the test at once. */
	assert_int_equal(batch_load_scenario(arg, 1.0, &sc), 0);
	assert_int_equal(compare_run(&sc, &(struct run_opts){0}, &res, NULL), 0);
	scenario_free(&sc);
	for (int i = 0; i < executor_count(); i++) {
		const struct compare_row *row = compare_find(&res, executor_at(i)->name);
		assert_non_null(row);
		assert_non_null(row->tr);
		assert_int_equal(row->st.outcomes[OUTCOME_DONE], 2);
	}
	bool ok = cpu_ratios_hold(&res);
	compare_free(&res);
	return ok;
}
static void test_cpu_bound_run(void **state)
{
	(void)state;
	char path[64];

	write_temp(path, sizeof path,
		   "[scenario]\nname = two-cpu\ntitle = Two CPU-bound tasks\n"
		   "[task A]\nsteps = cpu 300\n[task B]\nsteps = cpu 300\n");
	/* The machine is shared: the ratios are judged on a quiet try, as timing_retry says. */
	timing_retry("compare two-cpu", TIMING_TRIES, cpu_bound_once, path);
	unlink(path);
}

/* Runs compare_cli_main on ARGV with stdout caught in OUT; returns its status. */
static int run_main(int argc, char **argv, char *out, size_t len)
{
	struct options o;
	char err[256];
	FILE *tmp = tmpfile();
	int saved = dup(1);

	assert_int_equal(options_parse(argc, argv, &o, err, sizeof err), 0);
	assert_non_null(tmp);
	fflush(stdout);
	dup2(fileno(tmp), 1);
	int rc = compare_cli_main(&o);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	out[fread(out, 1, len - 1, tmp)] = '\0';
	fclose(tmp);
	return rc;
}

static void check_records(const char *path)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	json_t *list = json_object_get(doc, "compare");

	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(doc, "conctui")), 1);
	assert_true(json_is_array(list));
	assert_int_equal(json_array_size(list), executor_count());
	for (int i = 0; i < executor_count(); i++) {
		json_t *rec = json_array_get(list, (size_t)i);
		assert_string_equal(json_string_value(json_object_get(rec, "backend")),
				    executor_at(i)->name);
		assert_string_equal(json_string_value(json_object_get(rec, "scenario")),
				    "seed-sleep");
	}
	json_decref(doc);
}

static void test_seed_sleep_rows_and_json(void **state)
{
	(void)state;
	char dir[] = "/tmp/conctui-compare-XXXXXX", path[64], out[16384], line[64];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/c.json", dir);
	char *argv[] = {"conctui", "--compare", "--json", path, "seed-sleep", NULL};
	assert_int_equal(run_main(5, argv, out, sizeof out), 0);
	for (int i = 0; i < executor_count(); i++) {
		snprintf(line, sizeof line, "\n%s ", executor_at(i)->name);
		if (!strstr(out, line))
			fprintf(stderr, "%s", out);
		assert_non_null(strstr(out, line));
	}
	check_records(path);
	/* The file shows as the same table again, without running anything. */
	char *replay[] = {"conctui", "--compare", "--replay", path, NULL};
	assert_int_equal(run_main(4, replay, out, sizeof out), 0);
	for (int i = 0; i < executor_count(); i++) {
		snprintf(line, sizeof line, "\n%s ", executor_at(i)->name);
		assert_non_null(strstr(out, line));
	}
	assert_non_null(strstr(out, "threads or asyncio"));
	unlink(path);
	rmdir(dir);
}

/* The --json file is opened first: a bad path fails before anything runs. */
static void test_bad_json_path(void **state)
{
	(void)state;
	char out[4096];
	char *argv[] = {"conctui",    "--compare", "--json", "/nonexistent-dir/c.json",
			"seed-sleep", NULL};

	assert_int_equal(run_main(5, argv, out, sizeof out), 2);
	/* Nothing ran: no executor's row, not even sequential's. */
	assert_null(strstr(out, "executor"));
	assert_null(strstr(out, "sequential"));
}

/* 1 when process PID catches signal SIG (/proc/PID/status, SigCgt), 0 if not yet, -1 if it ended.
 */
static int catches(pid_t pid, int sig)
{
	char path[64], line[256], state = '?';
	unsigned long long mask = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "State: %c", &state) != 1 &&
		    sscanf(line, "SigCgt: %llx", &mask) == 1)
			break;
	fclose(f);
	if (state == 'Z' || state == 'X')
		return -1;
	return (mask >> (sig - 1)) & 1;
}

/* Polls until PID has installed its handler for SIG (the run that handles it started) or ended. */
static void wait_catches(pid_t pid, int sig)
{
	while (catches(pid, sig) == 0)
		clock_sleep_until(clock_now_ns() + 2 * CLOCK_NS_PER_MS);
}

/* SIGINT during the first run: exit status 1 and no --json file left. */
static void test_sigint(void **state)
{
	(void)state;
	const char *bin = getenv("CONCTUI_BIN") ? getenv("CONCTUI_BIN") : "./conctui";
	char dir[] = "/tmp/conctui-compare-XXXXXX", path[64];
	int status;

	if (access(bin, X_OK) != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/c.json", dir);
	pid_t pid = fork();
	if (pid == 0) {
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execl(bin, bin, "--compare", "--json", path, "seed-sleep", (char *)NULL);
		_exit(127);
	}
	assert_true(pid > 0);
	/* Inside sequential's 1.7 s: once the run has taken SIGINT over. */
	wait_catches(pid, SIGINT);
	kill(pid, SIGINT);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_int_not_equal(access(path, F_OK), 0);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_skip_rule),
	    cmocka_unit_test(test_verdict_cpu_bound),
	    cmocka_unit_test(test_verdict_io_bound),
	    cmocka_unit_test(test_verdict_many_connections),
	    cmocka_unit_test(test_verdict_threads_skipped),
	    cmocka_unit_test(test_verdict_neutral),
	    cmocka_unit_test(test_cpu_bound_run),
	    cmocka_unit_test(test_seed_sleep_rows_and_json),
	    cmocka_unit_test(test_bad_json_path),
	    cmocka_unit_test(test_sigint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
