/*
 * worker_cli.c -- conctui --worker: a worker process for the `workers`
 * executor.  It takes jobs of any run on the broker, between jobs looks
 * whether it was asked to stop, and runs io steps against a latency server
 * of its own (the run's is on another machine's loopback).
 */
#include "worker_cli.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "broker.h"
#include "escape.h"
#include "workers.h"

static _Atomic int stop_asked;

/* Only sets a flag: the worker looks at it between jobs, within a second. */
static void on_stop(int sig)
{
	(void)sig;
	atomic_store(&stop_asked, 1);
}

int worker_cli_check_broker(const struct options *o)
{
	char err[256], q[ESCAPE_ECHO_SIZE], why[512];

	if (!o->run.broker || o->replay)
		return 0;
	struct broker *b = broker_connect(o->run.broker, 2000, err, sizeof err);
	if (b) {
		broker_close(b);
		return 0;
	}
	fprintf(stderr, "conctui: --broker %s: %s\n", escape_echo(q, o->run.broker),
		escape_text(why, sizeof why, err, -1, 0));
	return 2;
}

int worker_cli_main(const struct options *o)
{
	struct sigaction sa = {.sa_handler = on_stop, .sa_flags = SA_RESTART};
	struct workers_serve_opts so = {
	    .url = o->run.broker, .run = NULL, .index = -1, .stop = &stop_asked, .own_latency = 1};
	char err[256], host[WORKERS_HOST_MAX] = "", safe[512];

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	gethostname(host, sizeof host - 1);
	fprintf(stderr, "conctui: worker pid %d on %s: taking jobs from %s (Ctrl-C ends)\n",
		(int)getpid(), escape_text(safe, sizeof safe, host, -1, 0), o->run.broker);
	if (workers_serve(&so, err, sizeof err) < 0) {
		fprintf(stderr, "conctui: %s\n", escape_text(safe, sizeof safe, err, -1, 0));
		return 1;
	}
	return 0;
}
