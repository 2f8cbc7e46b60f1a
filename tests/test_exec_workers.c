/*
 * test_exec_workers.c -- the task queue on a real Redis broker: jobs wait
 * `blocked` until a worker reports taking one (a `job` edge), every span
 * and every printed line comes back through the broker, a worker killed
 * mid-job has its job put back once, a worker started with `conctui
 * --worker` joins the run, a lost broker fails the run, and no redis-server
 * or worker outlives any run; the directory of a private server whose owner
 * was killed is removed by the next one, and nothing else is.
 * Skipped, saying so, where redis-server is not installed.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "broker.h"
#include "exec_test_util.h"
#include "executor.h"
#include "stats.h"
#include "workers.h"

#define JOBS                                                                                       \
	"[scenario]\nname = q\n[task J]\nsteps = cpu 5, print \"J, done\", sleep 30\ncount = 4\n"
#define SLOW "[scenario]\nname = q\n[task J]\nsteps = sleep 400\ncount = 4\n"

static int have_redis(void)
{
	if (system("command -v redis-server >/dev/null 2>&1") == 0)
		return 1;
	print_message("redis-server is not installed (make deps installs it): skipped\n");
	return 0;
}

static int count_kind_from(const struct trace *tr, enum edge_kind kind, int from)
{
	struct trace_edge e;
	int n = 0;

	for (uint32_t i = 0; i < trace_edge_count(tr); i++)
		n += trace_get_edge(tr, i, &e) && e.kind == kind && e.from == from;
	return n;
}

static void test_jobs_through_the_broker(void **state)
{
	(void)state;
	struct kid before[MAX_KIDS];
	int nbefore = list_children(before, MAX_KIDS);

	if (!have_redis())
		skip();
	struct run_opts o = {.backend = "workers", .workers = 2};
	struct trace *tr = run_ok_opts(JOBS, &o);

	assert_all(tr, OUTCOME_DONE);
	assert_string_equal(tr->meta.broker, "embedded");
	assert_true(tr->meta.nworkers >= 1 && tr->meta.nworkers <= 2);
	for (int i = 0; i < tr->meta.nworkers; i++) {
		assert_true(tr->meta.workers[i].pid > 0);
		assert_false(tr->meta.workers[i].remote);
	}
	/* Each worker's first job comes from the queue; the rest from its previous job. */
	assert_int_equal(count_kind_from(tr, EDGE_JOB, -1), tr->meta.nworkers);
	assert_int_equal(count_edges(tr, EDGE_JOB), 4);
	/* A worker's next job starts after its previous one ended: the hand-off is > 0. */
	assert_true(stats_job_handoff_ms(tr) > 0);
	/* What each job printed came back through the broker, once, on its lane. */
	struct trace_output lines[8];
	unsigned seen = 0;
	assert_int_equal(trace_output_in_order(tr, lines, 8), 4);
	for (int i = 0; i < 4; i++) {
		assert_string_equal(lines[i].text, "J, done");
		assert_in_range(lines[i].task, 0, 3);
		seen |= 1u << lines[i].task;
	}
	assert_int_equal(seen, 0xf);
	for (int lane = 0; lane < 4; lane++) {
		struct span first, sleep;
		assert_true(trace_worker(tr, lane) >= 0);
		trace_get(tr, lane, 0, &first);
		assert_int_equal(first.state, STATE_BLOCKED); /* queued */
		assert_true(trace_count(tr, lane) >= 3);
		/* The sleep the worker ran is on the lane, as long as it was. */
		int found = 0;
		for (uint32_t i = 1; i < trace_count(tr, lane); i++) {
			trace_get(tr, lane, i, &sleep);
			if (sleep.state == STATE_SLEEP && sleep.t1 - sleep.t0 >= 29000000ull)
				found = 1;
		}
		assert_true(found);
	}
	trace_destroy(tr);
	assert_true(no_new_children(before, nbefore));
}

static void test_killed_worker_requeues_once(void **state)
{
	(void)state;
	struct run_opts o = {.backend = "workers", .workers = 2};

	if (!have_redis())
		skip();
	setenv(WORKERS_CRASH_ENV, "J2", 1);
	struct trace *tr = run_ok_opts(JOBS, &o);
	unsetenv(WORKERS_CRASH_ENV);

	/* J2's first worker died mid-job; the job ran again, to its end. */
	assert_int_equal(tr->meta.requeued, 1);
	assert_all(tr, OUTCOME_DONE);
	assert_true(has_reason(tr, 1, "died; job requeued"));
	trace_destroy(tr);
}

/* Workers that die before they take a job are not restarted for ever: the run fails. */
static void test_workers_that_cannot_start(void **state)
{
	(void)state;
	struct run_opts o = {.backend = "workers", .workers = 2};
	struct kid before[MAX_KIDS];
	int nbefore = list_children(before, MAX_KIDS), rc;
	struct scenario sc;
	char err[256];

	if (!have_redis())
		skip();
	setenv(WORKERS_CRASH_ENV, "@start", 1);
	struct trace *tr = finish_run(start_run(JOBS, &o, &sc), &sc, &rc, err, sizeof err);
	unsetenv(WORKERS_CRASH_ENV);

	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "times before taking a job"));
	assert_int_equal(count_outcomes(tr, OUTCOME_FAILED), 4);
	trace_destroy(tr);
	assert_true(no_new_children(before, nbefore));
}

/* Starts `conctui --worker --broker URL` and waits until it is blocked on the job list. */
static pid_t start_remote(const char *url, struct broker *b)
{
	const char *bin = getenv("CONCTUI_BIN") ? getenv("CONCTUI_BIN") : "./conctui";
	pid_t pid = fork();

	if (pid == 0) {
		freopen("/dev/null", "w", stderr);
		execl(bin, bin, "--worker", "--broker", url, (char *)NULL);
		_exit(127);
	}
	assert_true(pid > 0);
	for (;;) {
		int blocked = broker_info(b, "clients", "blocked_clients") >= 1;
		if (blocked)
			return pid;
		assert_int_equal(waitpid(pid, NULL, WNOHANG), 0); /* still alive */
		nanosleep(&(struct timespec){0, 2000000}, NULL);
	}
}

static void test_worker_joins_from_elsewhere(void **state)
{
	(void)state;
	struct broker_server srv;
	char err[256];
	int status;

	if (!have_redis() ||
	    access(getenv("CONCTUI_BIN") ? getenv("CONCTUI_BIN") : "./conctui", X_OK) != 0)
		skip();
	assert_int_equal(broker_server_start(&srv, err, sizeof err), 0);
	struct broker *b = broker_connect(srv.url, 1000, err, sizeof err);
	assert_non_null(b);
	pid_t remote = start_remote(srv.url, b);
	struct run_opts o = {.backend = "workers", .workers = 1, .broker = srv.url};
	struct trace *tr = run_ok_opts(SLOW, &o);

	assert_all(tr, OUTCOME_DONE);
	int joined = -1;
	for (int i = 0; i < tr->meta.nworkers; i++)
		if (tr->meta.workers[i].pid == remote)
			joined = i;
	/* It was blocked on the list first, so it took the first job. */
	assert_true(joined >= 0);
	assert_true(tr->meta.workers[joined].remote);
	assert_true(tr->meta.workers[joined].jobs >= 1);
	assert_string_equal(tr->meta.broker, srv.url);
	kill(remote, SIGTERM);
	assert_int_equal(waitpid(remote, &status, 0), remote);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	trace_destroy(tr);
	broker_close(b);
	broker_server_stop(&srv);
}

struct killer {
	const struct trace *tr; /* read before the run is waited for */
	struct broker_server *srv;
};

/* Stops the broker once every job has been taken by a worker. */
static void *kill_broker(void *arg)
{
	struct killer *k = arg;
	const struct trace *tr = k->tr;

	for (int taken = 0; !taken;) {
		taken = 1;
		for (int i = 0; i < tr->ntasks; i++)
			taken &= trace_worker(tr, i) >= 0 || trace_outcome(tr, i) != OUTCOME_NONE;
		if (!taken)
			nanosleep(&(struct timespec){0, 2000000}, NULL);
	}
	kill(k->srv->pid, SIGKILL);
	return NULL;
}

static void test_lost_broker_fails_the_run(void **state)
{
	(void)state;
	struct broker_server srv;
	struct scenario sc;
	char err[256];
	pthread_t th;
	int rc;

	if (!have_redis())
		skip();
	assert_int_equal(broker_server_start(&srv, err, sizeof err), 0);
	struct run_opts o = {.backend = "workers", .workers = 4, .broker = srv.url};
	struct run *r = start_run(SLOW, &o, &sc);
	struct killer k = {run_trace(r), &srv};
	pthread_create(&th, NULL, kill_broker, &k);
	struct trace *tr = finish_run(r, &sc, &rc, err, sizeof err);
	pthread_join(th, NULL);

	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "broker was lost"));
	assert_true(count_outcomes(tr, OUTCOME_FAILED) >= 1);
	assert_int_equal(count_outcomes(tr, OUTCOME_NONE), 0);
	trace_destroy(tr);
	broker_server_stop(&srv);
}

static void test_unreachable_broker(void **state)
{
	(void)state;
	char err[256];
	int rc;
	struct scenario sc;
	struct run_opts o = {.backend = "workers", .workers = 1, .broker = "redis://127.0.0.1:1"};
	struct trace *tr = finish_run(start_run(JOBS, &o, &sc), &sc, &rc, err, sizeof err);

	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "cannot reach the broker"));
	assert_int_equal(count_outcomes(tr, OUTCOME_FAILED), 4);
	trace_destroy(tr);
	assert_null(broker_connect("http://x", 100, err, sizeof err));
	assert_non_null(strstr(err, "not a broker URL"));
	assert_null(broker_connect("redis://host:99999", 100, err, sizeof err));
	assert_non_null(strstr(err, "port"));
}

/* A pid that no process has: a child's, once it has been reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

/* PATH made as a private server leaves it when it is killed. */
static void server_dir(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_int_equal(mkdir(path, 0700), 0);
	/* A socket that was bound and is no longer served. */
	assert_true(snprintf(a.sun_path, sizeof a.sun_path, "%s/redis.sock", path) <
		    (int)sizeof a.sun_path);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	close(fd);
}

static bool exists(const char *parent, const char *name)
{
	char path[160];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", parent, name);
	return lstat(path, &st) == 0;
}

static void test_stale_directories_removed(void **state)
{
	(void)state;
	char parent[] = "/tmp/conctui-t-XXXXXX", stale[64], live[64], kept[64], link[64];
	char path[160], err[256], *old = getenv("TMPDIR");
	struct broker_server srv;

	if (!have_redis())
		skip();
	pid_t dead = dead_pid();
	assert_non_null(mkdtemp(parent));
	snprintf(stale, sizeof stale, "conctui-broker-%d-aB3dE9", (int)dead);
	snprintf(live, sizeof live, "conctui-broker-%d-Live01", (int)getpid());
	snprintf(kept, sizeof kept, "conctui-broker-%d-Kept01", (int)dead);
	snprintf(link, sizeof link, "conctui-broker-%d-Link01", (int)dead);
	const char *made[] = {stale, live, kept, "target"};
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", parent, made[i]);
		server_dir(path);
	}
	/* A dead owner's directory holding something a server does not leave. */
	snprintf(path, sizeof path, "%s/%s/notes", parent, kept);
	fclose(fopen(path, "w"));
	/* A link named like a dead owner's directory is not followed. */
	snprintf(path, sizeof path, "%s/%s", parent, link);
	assert_int_equal(symlink("target", path), 0);

	old = old ? strdup(old) : NULL;
	setenv("TMPDIR", parent, 1);
	assert_int_equal(broker_server_start(&srv, err, sizeof err), 0);
	assert_non_null(strstr(srv.dir, parent));
	broker_server_stop(&srv);
	old ? setenv("TMPDIR", old, 1) : unsetenv("TMPDIR");
	free(old);

	assert_false(exists(parent, stale));
	assert_true(exists(parent, live));
	assert_true(exists(parent, kept));
	assert_true(exists(parent, link));
	assert_true(exists(parent, "target/redis.sock"));
	snprintf(path, sizeof path, "rm -rf '%s'", parent);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_jobs_through_the_broker),
	    cmocka_unit_test(test_killed_worker_requeues_once),
	    cmocka_unit_test(test_workers_that_cannot_start),
	    cmocka_unit_test(test_worker_joins_from_elsewhere),
	    cmocka_unit_test(test_lost_broker_fails_the_run),
	    cmocka_unit_test(test_unreachable_broker),
	    cmocka_unit_test(test_stale_directories_removed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
