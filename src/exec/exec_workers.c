/*
 * exec_workers.c -- seed 003's fifth model: a task queue (Celery, RQ) on a
 * real broker.  Each task is a job on a Redis list; worker processes pop
 * jobs, run them, and report every span through the broker; this side
 * builds the trace from those reports.
 *
 * The broker is the one given with --broker, or a private redis-server
 * started for the run and stopped at its end.  The run starts `workers`
 * (-w, default one per core) local workers; workers started elsewhere with
 * `conctui --worker --broker URL` take jobs from the same list.  A job's lane
 * is `blocked` ("queued, 3 ahead") until a worker reports taking it -- a
 * `job` edge from the worker's previous job in the run (-1: the queue) --
 * then holds the spans the worker reported, on this run's clock.
 *
 * Faults, as a task queue handles them: a local worker that dies in the
 * middle of a job is seen (waitpid), its job is put back at the head of the
 * queue once and a new worker started (at least once, like RQ's failed-job
 * handling); a job whose second worker dies too is `killed`.  A broker lost
 * mid-run ends the run: the jobs not done are `failed`, and the run fails.
 */
#include "executor.h"

#include <errno.h>
#include <hiredis.h>
#include <inttypes.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "broker.h"
#include "child.h"
#include "clock.h"
#include "runner.h"
#include "workers.h"

#define WK_READ_MS 20 /* the longest the run waits on the stream before looking around */
#define WK_READ_COUNT 512
/* Local workers that may die before taking any job before the run gives up on them. */
#define WK_MAX_EARLY_DEATHS 8

/* A local worker process. */
struct local {
	pid_t pid; /* 0 once reaped */
};

/* What the run knows of each job. */
struct job_state {
	uint64_t floor; /* ns: no reported span of it starts before this */
	int taken_by;	/* index in meta.workers of its worker now, -1 */
	int attempt;	/* 1, then 2 after a requeue */
	int ended;	/* its `end` arrived, or the run ended it */
};

struct wk {
	struct exec_ctx *ctx;
	struct broker_server server;
	struct broker *b;
	char url[BROKER_URL_MAX]; /* the broker's, given or embedded */
	char run[64];
	char events[WORKERS_KEY_MAX];
	char last_id[64]; /* the stream entry read last */
	char host[WORKERS_HOST_MAX];
	int64_t offset_ns; /* the broker's clock minus ours */
	uint64_t uncertainty_ns;
	struct local *local;
	int nlocal;
	struct job_state *jobs;
	int left;			  /* jobs not ended */
	int lost;			  /* the broker was lost */
	int early_deaths;		  /* local workers that died holding no job */
	int broken;			  /* they keep dying: the run fails */
	int last_task[TRACE_WORKERS_MAX]; /* per worker: its previous job, -1 */
};

/* ---- jobs ---------------------------------------------------------------- */

static char *job_text(struct wk *w, int task, int attempt)
{
	const struct scenario_task *t = &w->ctx->sc->tasks[task];
	json_t *steps = json_array();
	char *text;

	for (int i = 0; steps && i < t->nsteps; i++)
		json_array_append_new(
		    steps,
		    t->steps[i].kind == STEP_PRINT
			? json_pack("[s, f, s]", step_name(STEP_PRINT), 0.0, t->steps[i].text)
			: json_pack("[s, f]", step_name(t->steps[i].kind), t->steps[i].ms));
	json_t *o = json_pack("{s:s, s:i, s:s, s:i, s:o, s:i, s:i}", "run", w->run, "task", task,
			      "name", t->name, "repeat", t->repeat, "steps", steps, "attempt",
			      attempt, "port", w->ctx->latency_port);
	text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return text;
}

/* Puts every job on the list, in order, each lane `blocked` until taken. */
static int enqueue(struct wk *w)
{
	int n = w->ctx->sc->ntasks;
	uint64_t now = clock_now_ns();
	char why[TRACE_REASON_MAX];

	for (int i = 0; i < n; i++) {
		char *text = job_text(w, i, 1);
		if (!text || broker_append(w->b, "RPUSH %s %s", WORKERS_JOBS_KEY, text) < 0) {
			free(text);
			return -1;
		}
		free(text);
		snprintf(why, sizeof why, "queued, %d ahead", i);
		trace_enter(w->ctx->tr, i, now, STATE_BLOCKED, -1, CAUSE_START, -1, why);
	}
	return broker_pipeline_end(w->b, n);
}

/* ---- local workers ------------------------------------------------------- */

static _Noreturn void local_main(struct wk *w, int index)
{
	struct workers_serve_opts o = {.url = w->url, .run = w->run, .index = index};
	char err[256];

	if (child_tie(getppid(), NULL, 0) < 0)
		_exit(1);
	_exit(workers_serve(&o, err, sizeof err) < 0 ? 3 : 0);
}

static int start_local(struct wk *w, int i)
{
	pid_t pid = fork();

	if (pid == 0)
		local_main(w, i);
	if (pid < 0) {
		snprintf(w->ctx->err, sizeof w->ctx->err, "cannot start worker %d: %s%s", i + 1,
			 strerror(errno), child_fork_hint(errno));
		return -1;
	}
	w->local[i].pid = pid;
	return 0;
}

/* ---- reports ------------------------------------------------------------- */

/* The value of FIELD in a stream entry's field list, or "". */
static const char *field(const redisReply *f, const char *name)
{
	for (size_t i = 0; i + 1 < f->elements; i += 2)
		if (f->element[i]->type == REDIS_REPLY_STRING &&
		    strcmp(f->element[i]->str, name) == 0)
			return f->element[i + 1]->str ? f->element[i + 1]->str : "";
	return "";
}

static long long num(const redisReply *f, const char *name)
{
	return strtoll(field(f, name), NULL, 10);
}

/* The worker of a `take`, added to the trace's list when new. */
static int worker_of(struct wk *w, const redisReply *f)
{
	struct trace_meta *m = &w->ctx->tr->meta;
	const char *host = field(f, "host");
	int pid = (int)num(f, "pid");

	for (int i = 0; i < m->nworkers; i++)
		if (m->workers[i].pid == pid && strcmp(m->workers[i].host, host) == 0)
			return i;
	if (m->nworkers == TRACE_WORKERS_MAX)
		return TRACE_WORKERS_MAX - 1; /* more than the record names: share the last */
	struct trace_worker *tw = &m->workers[m->nworkers];
	snprintf(tw->host, sizeof tw->host, "%s", host);
	tw->pid = pid;
	/* Joined with --worker; another machine's clock goes through the broker's to ours. */
	tw->remote = 1;
	for (int i = 0; i < w->nlocal; i++)
		tw->remote &= w->local[i].pid != pid;
	tw->remote |= strcmp(host, w->host) != 0;
	if (strcmp(host, w->host) != 0) {
		tw->offset_ns = num(f, "off") - w->offset_ns;
		tw->uncertainty_ns = (uint64_t)num(f, "unc") + w->uncertainty_ns;
	}
	w->last_task[m->nworkers] = -1;
	return m->nworkers++;
}

/* A reported time (the worker's clock) as ns since the run started. */
static uint64_t run_time(struct wk *w, int worker, long long t)
{
	int64_t abs = (int64_t)t + w->ctx->tr->meta.workers[worker].offset_ns;
	int64_t rel = abs - (int64_t)w->ctx->tr->epoch_ns;

	return rel > 0 ? (uint64_t)rel : 0;
}

static void on_take(struct wk *w, const redisReply *f, int task)
{
	struct trace *tr = w->ctx->tr;
	int wi = worker_of(w, f);
	uint64_t t = run_time(w, wi, num(f, "t"));

	/* A corrected remote clock may put the take a little before the enqueue. */
	if (t < trace_lane_start(tr, task))
		t = trace_lane_start(tr, task);
	w->jobs[task].taken_by = wi;
	w->jobs[task].floor = t;
	tr->meta.workers[wi].jobs++;
	trace_close(tr, task, tr->epoch_ns + t);
	trace_set_worker(tr, task, wi);
	trace_edge(tr, w->last_task[wi], task, tr->epoch_ns + t, EDGE_JOB);
	w->last_task[wi] = task;
}

static void on_span(struct wk *w, const redisReply *f, int task)
{
	int wi = w->jobs[task].taken_by, st = state_from_name(field(f, "state"));
	struct span sp = {0};

	if (wi < 0 || st < 0)
		return;
	sp.t0 = run_time(w, wi, num(f, "t0"));
	sp.t1 = run_time(w, wi, num(f, "t1"));
	if (sp.t0 < w->jobs[task].floor)
		sp.t0 = w->jobs[task].floor;
	if (sp.t1 < sp.t0)
		sp.t1 = sp.t0;
	w->jobs[task].floor = sp.t1;
	sp.state = (enum state)st;
	sp.cpu = (int32_t)num(f, "cpu");
	sp.step = (int32_t)num(f, "step");
	sp.cause = cause_parse(field(f, "cause"));
	sp.by = (int32_t)num(f, "by");
	snprintf(sp.reason, sizeof sp.reason, "%s", field(f, "reason"));
	trace_append(w->ctx->tr, task, &sp);
}

/* A line the job printed: into the run's output, at the worker's time. */
static void on_print(struct wk *w, const redisReply *f, int task)
{
	int wi = w->jobs[task].taken_by;
	struct trace_output o = {.task = task};

	if (wi < 0)
		return;
	o.t = run_time(w, wi, num(f, "t"));
	snprintf(o.text, sizeof o.text, "%s", field(f, "text"));
	trace_append_output(w->ctx->tr, &o);
}

static void on_end(struct wk *w, const redisReply *f, int task)
{
	int o = outcome_from_name(field(f, "outcome"));

	if (w->jobs[task].ended)
		return;
	trace_set_outcome(w->ctx->tr, task, o >= 0 ? (enum outcome)o : OUTCOME_FAILED);
	trace_add_chunks(w->ctx->tr, task, (uint64_t)num(f, "chunks"));
	w->jobs[task].ended = 1;
	w->jobs[task].taken_by = -1;
	w->left--;
}

static void on_event(struct wk *w, const redisReply *f)
{
	const char *type = field(f, "type");
	long long task = num(f, "task");

	if (task < 0 || task >= w->ctx->sc->ntasks || w->jobs[task].ended)
		return;
	if (strcmp(type, "take") == 0 && num(f, "attempt") == w->jobs[task].attempt)
		on_take(w, f, (int)task);
	else if (strcmp(type, "span") == 0)
		on_span(w, f, (int)task);
	else if (strcmp(type, "print") == 0)
		on_print(w, f, (int)task);
	else if (strcmp(type, "end") == 0)
		on_end(w, f, (int)task);
}

/*
 * Reads what the workers reported, at most WK_READ_COUNT entries, waiting
 * up to MS; how many were read, or -1 (the broker is lost).
 */
static int read_events(struct wk *w, int ms)
{
	/* BLOCK 0 would wait for ever: a look without waiting leaves BLOCK out. */
	redisReply *r = ms > 0 ? broker_command(w->b, "XREAD COUNT %d BLOCK %d STREAMS %s %s",
						WK_READ_COUNT, ms, w->events, w->last_id)
			       : broker_command(w->b, "XREAD COUNT %d STREAMS %s %s", WK_READ_COUNT,
						w->events, w->last_id);

	if (!r || r->type == REDIS_REPLY_ERROR) {
		broker_free(r);
		w->lost = 1;
		return -1;
	}
	int n = 0;
	if (r->type == REDIS_REPLY_ARRAY && r->elements == 1) {
		redisReply *entries = r->element[0]->element[1];
		for (size_t i = 0; i < entries->elements; i++, n++) {
			redisReply *e = entries->element[i];
			snprintf(w->last_id, sizeof w->last_id, "%s", e->element[0]->str);
			on_event(w, e->element[1]);
		}
	}
	broker_free(r);
	return n;
}

/* Reads everything reported so far, without waiting; 0 or -1 (the broker is lost). */
static int read_all_events(struct wk *w)
{
	int n;

	while ((n = read_events(w, 0)) == WK_READ_COUNT)
		;
	return n < 0 ? -1 : 0;
}

/* ---- faults ---------------------------------------------------------------- */

/* The job local worker PID was running when it died; -1 if none. */
static int job_of_pid(struct wk *w, pid_t pid)
{
	const struct trace_meta *m = &w->ctx->tr->meta;

	for (int i = 0; i < w->ctx->sc->ntasks; i++) {
		int wi = w->jobs[i].taken_by;
		if (!w->jobs[i].ended && wi >= 0 && !m->workers[wi].remote &&
		    m->workers[wi].pid == pid)
			return i;
	}
	return -1;
}

/* Worker SLOT (PID) died; reap has read everything it reported. */
static void worker_died(struct wk *w, int slot, pid_t pid)
{
	struct trace *tr = w->ctx->tr;
	char why[TRACE_REASON_MAX];
	int job;

	job = job_of_pid(w, pid);
	if (job >= 0 && w->jobs[job].attempt == 1) {
		char *text = job_text(w, job, 2);
		snprintf(why, sizeof why, "worker %d died; job requeued", slot + 1);
		trace_enter(tr, job, clock_now_ns(), STATE_BLOCKED, -1, CAUSE_JOB, -1, why);
		w->jobs[job].attempt = 2;
		w->jobs[job].taken_by = -1;
		tr->meta.requeued++;
		if (!text || broker_ok(w->b, "LPUSH %s %s", WORKERS_JOBS_KEY, text) < 0)
			w->lost = 1;
		free(text);
	} else if (job < 0 && ++w->early_deaths > WK_MAX_EARLY_DEATHS) {
		/* Restarting a worker that cannot start would never end. */
		w->broken = 1;
		return;
	} else if (job >= 0) {
		snprintf(why, sizeof why, "killed: its 2nd worker (%d) died", slot + 1);
		trace_finish(tr, job, clock_now_ns(), OUTCOME_KILLED, -1, why);
		w->jobs[job].ended = 1;
		w->left--;
	}
	if (w->left > 0 && !atomic_load(w->ctx->cancel))
		start_local(w, slot);
}

static void reap(struct wk *w)
{
	for (int i = 0; i < w->nlocal; i++) {
		int status;
		pid_t pid = w->local[i].pid;
		if (pid <= 0 || waitpid(pid, &status, WNOHANG) != pid)
			continue;
		/*
		 * What it reported is read while its pid is still that of a local
		 * worker: a worker first heard of after its slot is cleared would be
		 * taken for a remote one, and the job it died in would not be found
		 * and requeued (the run would wait for it for ever).
		 */
		if (read_all_events(w) < 0)
			return;
		w->local[i].pid = 0;
		if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
			worker_died(w, i, pid);
	}
}

/* ---- the run --------------------------------------------------------------- */

static int setup(struct wk *w, struct exec_ctx *ctx)
{
	static _Atomic unsigned serial;
	const char *url = ctx->broker;

	w->ctx = ctx;
	gethostname(w->host, sizeof w->host - 1);
	snprintf(w->run, sizeof w->run, "%s-%d-%u", w->host, (int)getpid(),
		 atomic_fetch_add(&serial, 1));
	workers_key(w->events, w->run, "events");
	snprintf(w->last_id, sizeof w->last_id, "0-0");
	if (!*url) {
		if (broker_server_start(&w->server, ctx->err, sizeof ctx->err) < 0)
			return -1;
		url = w->server.url;
	}
	snprintf(w->url, sizeof w->url, "%s", url);
	/* A URL longer than the record keeps is cut after a whole character. */
	size_t n = strlen(*ctx->broker ? ctx->broker : "embedded");
	if (n >= sizeof ctx->tr->meta.broker)
		n = sizeof ctx->tr->meta.broker - 1;
	memcpy(ctx->tr->meta.broker, *ctx->broker ? ctx->broker : "embedded", n);
	ctx->tr->meta.broker[n] = '\0';
	w->b = broker_connect(url, 2000, ctx->err, sizeof ctx->err);
	if (!w->b || broker_clock_offset(w->b, 5, &w->offset_ns, &w->uncertainty_ns) < 0)
		return -1;
	w->nlocal = ctx->workers;
	w->local = calloc((size_t)w->nlocal, sizeof *w->local);
	w->jobs = calloc((size_t)ctx->sc->ntasks, sizeof *w->jobs);
	if (!w->local || !w->jobs) {
		snprintf(ctx->err, sizeof ctx->err, "out of memory");
		return -1;
	}
	for (int i = 0; i < ctx->sc->ntasks; i++)
		w->jobs[i] = (struct job_state){.taken_by = -1, .attempt = 1};
	w->left = ctx->sc->ntasks;
	return 0;
}

/* Until every job ended, the run was interrupted, or the broker was lost. */
static void wait_jobs(struct wk *w)
{
	char key[WORKERS_KEY_MAX];
	int cancelled = 0;

	while (w->left > 0 && !w->lost && !w->broken) {
		if (!cancelled && atomic_load(w->ctx->cancel)) {
			cancelled = 1;
			broker_ok(w->b, "SET %s 1", workers_key(key, w->run, "cancel"));
			broker_ok(w->b, "DEL %s", WORKERS_JOBS_KEY); /* nobody takes the rest */
		}
		if (read_events(w, WK_READ_MS) < 0)
			break;
		reap(w);
		if (cancelled && w->left > 0) {
			int busy = 0;
			for (int i = 0; i < w->ctx->sc->ntasks; i++)
				busy += !w->jobs[i].ended && w->jobs[i].taken_by >= 0;
			if (!busy)
				break;
		}
	}
}

/* Jobs that never ended: failed with the broker, else cancelled. */
static void finish_leftovers(struct wk *w)
{
	const char *why = w->lost     ? "failed: the broker was lost"
			  : w->broken ? "failed: no worker could run it"
				      : "cancelled: run interrupted";

	for (int i = 0; i < w->ctx->sc->ntasks; i++)
		if (!w->jobs[i].ended && trace_outcome(w->ctx->tr, i) == OUTCOME_NONE)
			trace_finish(w->ctx->tr, i, clock_now_ns(),
				     w->lost || w->broken ? OUTCOME_FAILED : OUTCOME_CANCELLED, -1,
				     why);
}

/* Ends the local workers: their stop list, then signals; nothing is left. */
static void stop_locals(struct wk *w)
{
	char key[WORKERS_KEY_MAX];
	uint64_t until = clock_now_ns() + 1000 * 1000000ull;

	if (w->b && !w->lost)
		for (int i = 0; i < w->nlocal; i++)
			broker_ok(w->b, "RPUSH %s stop", workers_key(key, w->run, "stop"));
	for (int i = 0; i < w->nlocal; i++) {
		if (w->local[i].pid <= 0)
			continue;
		while (waitpid(w->local[i].pid, NULL, WNOHANG) == 0) {
			if (clock_now_ns() > until || w->lost) {
				kill(w->local[i].pid, SIGKILL);
				waitpid(w->local[i].pid, NULL, 0);
				break;
			}
			nanosleep(&(struct timespec){0, 2 * 1000000L}, NULL);
		}
		w->local[i].pid = 0;
	}
}

static void teardown(struct wk *w)
{
	char stop[WORKERS_KEY_MAX], cancel[WORKERS_KEY_MAX];

	if (w->local)
		stop_locals(w);
	if (w->b && !w->lost)
		broker_ok(w->b, "DEL %s %s %s", w->events, workers_key(stop, w->run, "stop"),
			  workers_key(cancel, w->run, "cancel"));
	broker_close(w->b);
	broker_server_stop(&w->server);
	free(w->local);
	free(w->jobs);
}

static int workers_run(struct exec_ctx *ctx)
{
	struct wk w = {0};
	int rc = setup(&w, ctx);

	if (rc == 0 && enqueue(&w) < 0) {
		snprintf(ctx->err, sizeof ctx->err, "the broker refused the jobs: %s",
			 broker_error(w.b));
		rc = -1;
	}
	for (int i = 0; rc == 0 && i < w.nlocal; i++)
		rc = start_local(&w, i);
	if (rc == 0) {
		wait_jobs(&w);
		if (w.lost) {
			snprintf(ctx->err, sizeof ctx->err, "the broker was lost mid-run: %s",
				 broker_error(w.b));
			rc = -1;
		} else if (w.broken) {
			snprintf(ctx->err, sizeof ctx->err,
				 "the workers died %d times before taking a job", w.early_deaths);
			rc = -1;
		}
	}
	if (w.jobs)
		finish_leftovers(&w);
	else
		for (int i = 0; i < ctx->sc->ntasks; i++)
			trace_finish(ctx->tr, i, clock_now_ns(), OUTCOME_FAILED, -1,
				     "not started: no broker");
	teardown(&w);
	return rc;
}

const struct executor exec_workers = {
    .name = "workers",
    .model = MODEL_PARALLEL,
    .summary = "a task queue on a real Redis broker: worker processes pop jobs and report spans",
    .flags = 0,
    .unit = EXEC_UNIT_PROCESS,
    .at_once = EXEC_AT_ONCE_WORKERS,
    .unit_per_task = false,
    .multicore = true,
    .python = "rq.Queue.enqueue / celery's task.delay",
    .run = workers_run,
};
