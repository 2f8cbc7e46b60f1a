/*
 * workers_serve.c -- a worker of the `workers` executor, as RQ's is: pop a
 * job from the broker's list, run it, report, pop the next.
 *
 * The job runs with the runner (the same probes as every executor) writing
 * a private trace; the runner's hooks report every span it has closed to
 * the run's event stream as the job goes, so the run sees the job as it
 * happens, and pass the run's cancel on.
 */
#include "workers.h"

#include <hiredis.h>
#include <inttypes.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "broker.h"
#include "clock.h"
#include "latency.h"
#include "runner.h"

#define SERVE_REPORT_MS 10    /* how often a running job's new spans are sent */
#define SERVE_CANCEL_EVERY 10 /* reports between looks at the run's cancel key */
#define SERVE_POP_S 1	      /* a --worker looks at *stop this often */

/* Who this worker is, sent with every job it takes. */
struct me {
	char host[WORKERS_HOST_MAX];
	int64_t offset_ns; /* the broker's clock minus ours */
	uint64_t uncertainty_ns;
};

/* One job, parsed, as a one-task scenario. */
struct job {
	char run[64];
	int task, attempt, port;
	struct scenario sc;
	struct scenario_task spec;
	struct step steps[SCENARIO_MAX_STEPS];
	char texts[SCENARIO_MAX_STEPS][TRACE_TEXT_MAX]; /* the lines of its print steps */
};

/* A job being run, and what its reports need. */
struct running {
	struct runner r;
	struct trace *tr;
	_Atomic int cancel, winner, live;
	struct broker *b;
	const struct job *job;
	const char *events, *cancel_key;
	uint32_t sent;	  /* spans of the lane already reported */
	uint32_t printed; /* output lines already reported */
	uint64_t next_ns; /* when the next report is due */
	int reports;	  /* reports made, for the look at the cancel key */
	int crash;	  /* this job is the crash test's */
};

const char *workers_key(char *buf, const char *run, const char *what)
{
	snprintf(buf, WORKERS_KEY_MAX, "conctui:run:%s:%s", run, what);
	return buf;
}

/* ---- jobs ---------------------------------------------------------------- */

static int parse_steps(json_t *steps, struct job *j)
{
	size_t i;
	json_t *s;

	if (!json_is_array(steps) || json_array_size(steps) > SCENARIO_MAX_STEPS)
		return -1;
	json_array_foreach(steps, i, s)
	{
		const char *kind = json_string_value(json_array_get(s, 0));
		int k = kind ? step_from_name(kind) : -1;
		if (k < 0 || !json_is_number(json_array_get(s, 1)))
			return -1;
		j->steps[i].kind = (enum step_kind)k;
		j->steps[i].ms = json_number_value(json_array_get(s, 1));
		j->steps[i].lock = -1; /* named locks are not shared with remote workers */
		j->steps[i].text = NULL;
		if (k == STEP_PRINT) {
			const char *text = json_string_value(json_array_get(s, 2));
			snprintf(j->texts[i], sizeof j->texts[i], "%s", text ? text : "");
			j->steps[i].text = j->texts[i];
		}
	}
	j->spec.steps = j->steps;
	j->spec.nsteps = (int)json_array_size(steps);
	return 0;
}

static int parse_job(const char *text, struct job *j)
{
	json_t *o = json_loads(text, 0, NULL);
	const char *run = json_string_value(json_object_get(o, "run"));
	const char *name = json_string_value(json_object_get(o, "name"));
	int rc = -1;

	memset(j, 0, sizeof *j);
	if (run && name && strlen(run) < sizeof j->run &&
	    parse_steps(json_object_get(o, "steps"), j) == 0) {
		snprintf(j->run, sizeof j->run, "%s", run);
		snprintf(j->spec.name, sizeof j->spec.name, "%s", name);
		j->task = (int)json_integer_value(json_object_get(o, "task"));
		j->attempt = (int)json_integer_value(json_object_get(o, "attempt"));
		j->port = (int)json_integer_value(json_object_get(o, "port"));
		j->spec.repeat = (int)json_integer_value(json_object_get(o, "repeat"));
		if (j->spec.repeat < 1)
			j->spec.repeat = 1;
		j->sc.tasks = &j->spec;
		j->sc.ntasks = 1;
		j->sc.wait = WAIT_ALL;
		j->sc.main_task = -1; /* every task starts at once */
		rc = j->task >= 0 ? 0 : -1;
	}
	json_decref(o);
	return rc;
}

/* ---- reporting ------------------------------------------------------------ */

static int send_take(struct broker *b, const char *events, const struct job *j, const struct me *me)
{
	return broker_ok(b,
			 "XADD %s * type take task %d pid %d host %s t %" PRIu64 " off %" PRId64
			 " unc %" PRIu64 " attempt %d",
			 events, j->task, (int)getpid(), me->host, clock_now_ns(), me->offset_ns,
			 me->uncertainty_ns, j->attempt);
}

/* Sends the spans of the job's lane from *SENT on that have ended. */
static int send_spans(struct broker *b, const char *events, struct running *run, int task,
		      uint32_t *sent)
{
	uint32_t n = trace_count(run->tr, 0);
	struct span sp;

	for (; *sent < n; (*sent)++) {
		trace_get(run->tr, 0, *sent, &sp);
		if (sp.t1 == TRACE_OPEN)
			break;
		if (broker_ok(b,
			      "XADD %s * type span task %d state %s t0 %" PRIu64 " t1 %" PRIu64
			      " cpu %d step %d cause %s by %d reason %s",
			      events, task, state_name(sp.state), sp.t0, sp.t1, (int)sp.cpu,
			      (int)sp.step, cause_name(sp.cause), (int)sp.by, sp.reason) < 0)
			return -1;
	}
	return 0;
}

/* Sends the lines the job printed since the last report, and the spans. */
static int send_lines(struct broker *b, const char *events, struct running *run, int task)
{
	struct trace_output o;

	for (; run->printed < trace_output_count(run->tr); run->printed++)
		if (trace_get_output(run->tr, run->printed, &o) &&
		    broker_ok(b, "XADD %s * type print task %d t %" PRIu64 " text %s", events, task,
			      o.t, o.text) < 0)
			return -1;
	return send_spans(b, events, run, task, &run->sent);
}

static int send_end(struct broker *b, const char *events, struct running *run, int task)
{
	return broker_ok(b, "XADD %s * type end task %d outcome %s pid %d chunks %" PRIu64, events,
			 task, outcome_name(trace_outcome(run->tr, 0)), (int)getpid(),
			 trace_chunks(run->tr, 0));
}

/* Whether this worker is to die in the middle of this job (the crash test). */
static int crash_here(const struct job *j)
{
	const char *name = getenv(WORKERS_CRASH_ENV);

	return name && j->attempt == 1 && strcmp(name, j->spec.name) == 0;
}

/*
 * Reports what the job's lane has closed since the last report, at most
 * every SERVE_REPORT_MS unless FORCE, and now and then passes the run's
 * cancel on.  Called from the runner's hooks, on the job's own thread: a
 * worker needs no thread of its own (a thread started after a fork is
 * what some tools refuse), and the spans it reports are all closed.
 */
static void report(struct running *run, int force)
{
	uint64_t now = clock_now_ns();

	if (!force && now < run->next_ns)
		return;
	run->next_ns = now + SERVE_REPORT_MS * 1000000ull;
	if (send_lines(run->b, run->events, run, run->job->task) < 0)
		atomic_store(&run->cancel, RUNNER_INTERRUPTED);
	if (run->crash && run->sent > 0)
		raise(SIGKILL);
	if (++run->reports % SERVE_CANCEL_EVERY == 0 || force) {
		redisReply *r = broker_command(run->b, "EXISTS %s", run->cancel_key);
		if (!r || (r->type == REDIS_REPLY_INTEGER && r->integer > 0))
			atomic_store(&run->cancel, RUNNER_INTERRUPTED);
		broker_free(r);
	}
}

static void on_chunk(struct runner *r, uint64_t now_ns)
{
	(void)now_ns;
	report(r->ud, 0);
}

static void on_release(struct runner *r, enum step_kind why)
{
	(void)why;
	report(r->ud, 1);
}

static void on_acquire(struct runner *r)
{
	report(r->ud, 0);
}

static const struct runner_hooks report_hooks = {
    .chunk = on_chunk, .release = on_release, .acquire = on_acquire};

/* Runs J, reporting as it goes; 0, or -1 when the broker is lost. */
static int serve_job(struct broker *b, struct job *j, const struct me *me, int port, int prev)
{
	char events[WORKERS_KEY_MAX], cancel[WORKERS_KEY_MAX];
	struct running run = {.b = b, .job = j, .events = events, .cancel_key = cancel};
	int rc = 0;

	workers_key(events, j->run, "events");
	workers_key(cancel, j->run, "cancel");
	run.crash = crash_here(j);
	run.tr = trace_create(1, 0);
	if (!run.tr || send_take(b, events, j, me) < 0) {
		trace_destroy(run.tr);
		return -1;
	}
	trace_set_name(run.tr, 0, j->spec.name);
	trace_start(run.tr, 0); /* spans in this clock's own ns */
	atomic_init(&run.live, 1);
	atomic_init(&run.winner, -1);
	runner_init(&run.r, run.tr, &j->sc, 0);
	run.r.latency_port = port;
	run.r.cancel = &run.cancel;
	run.r.winner = &run.winner;
	run.r.live = &run.live;
	run.r.first_cause = CAUSE_JOB;
	run.r.first_by = prev;
	run.r.hooks = &report_hooks;
	run.r.ud = &run;
	snprintf(run.r.done_note, sizeof run.r.done_note, "worker pid %d on %.20s", (int)getpid(),
		 me->host);
	runner_run(&run.r);
	if (send_lines(b, events, &run, j->task) < 0 || send_end(b, events, &run, j->task) < 0)
		rc = -1;
	trace_destroy(run.tr);
	return rc;
}

/* ---- the loop -------------------------------------------------------------- */

/* Pops the next job's text into BUF; 1 a job, 0 nothing yet or stop, -1 lost. */
static int pop(struct broker *b, const struct workers_serve_opts *o, char *buf, size_t cap,
	       int *stop)
{
	char stopkey[WORKERS_KEY_MAX];
	redisReply *r;

	if (o->run)
		r = broker_command(b, "BLPOP %s %s 0", workers_key(stopkey, o->run, "stop"),
				   WORKERS_JOBS_KEY);
	else
		r = broker_command(b, "BLPOP %s %d", WORKERS_JOBS_KEY, SERVE_POP_S);
	if (!r)
		return -1;
	int got = r->type == REDIS_REPLY_ARRAY && r->elements == 2;
	if (got && o->run && strcmp(r->element[0]->str, stopkey) == 0) {
		*stop = 1;
		got = 0;
	} else if (got) {
		snprintf(buf, cap, "%s", r->element[1]->str);
	}
	broker_free(r);
	return got;
}

int workers_serve(const struct workers_serve_opts *o, char *err, size_t errlen)
{
	struct broker *b = broker_connect(o->url, 2000, err, errlen);
	struct me me = {0};
	char last_run[64] = "";
	int prev = -1, stop = 0, rc = 0;
	static char text[1 << 16];
	static struct job j;

	if (!b)
		return -1;
	/* The crash test's other case: a worker that dies before it takes any job. */
	if (o->run && getenv(WORKERS_CRASH_ENV) && strcmp(getenv(WORKERS_CRASH_ENV), "@start") == 0)
		raise(SIGKILL);
	gethostname(me.host, sizeof me.host - 1);
	if (broker_clock_offset(b, 5, &me.offset_ns, &me.uncertainty_ns) < 0) {
		snprintf(err, errlen, "the broker lost: %s", broker_error(b));
		broker_close(b);
		return -1;
	}
	while (!stop && !(o->stop && atomic_load(o->stop))) {
		int got = pop(b, o, text, sizeof text, &stop);
		if (got < 0) {
			snprintf(err, errlen, "the broker was lost: %s", broker_error(b));
			rc = -1;
			break;
		}
		if (!got || parse_job(text, &j) < 0)
			continue;
		int port = j.port;
		if (o->own_latency && scenario_task_has_step(&j.spec, STEP_IO)) {
			char why[256];
			port = latency_port()			     ? latency_port()
			       : latency_start(why, sizeof why) == 0 ? latency_port()
								     : 0;
		}
		/* A job edge joins this worker's jobs within one run. */
		if (strcmp(last_run, j.run) != 0)
			prev = -1;
		if (serve_job(b, &j, &me, port, prev) < 0) {
			snprintf(err, errlen, "the broker was lost: %s", broker_error(b));
			rc = -1;
			break;
		}
		snprintf(last_run, sizeof last_run, "%s", j.run);
		prev = j.task;
	}
	broker_close(b);
	if (o->own_latency)
		latency_stop();
	return rc;
}
