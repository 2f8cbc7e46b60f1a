/*
 * main.c -- conctui: makes concurrency visible.
 *
 * Parses the command line and hands over to one of the modes: the TUI
 * (the default), --batch, --compare, --costs, --list or --worker.
 */
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "compare_cli.h"
#include "costs_cli.h"
#include "lesson_cli.h"
#include "observe_cli.h"
#include "options.h"
#include "tui.h"
#include "worker_cli.h"

int main(int argc, char **argv)
{
	struct options o;
	char err[512];

	if (options_parse(argc, argv, &o, err, sizeof err) < 0) {
		fprintf(stderr, "conctui: %s\ntry 'conctui --help'\n", err);
		return 2;
	}
	if (o.help) {
		options_usage(stdout);
		return 0;
	}
	if (o.version) {
		printf("conctui %s\n", CONCTUI_VERSION);
		return 0;
	}
	if (o.list)
		return batch_list();
	if (worker_cli_check_broker(&o))
		return 2;
	if (o.worker)
		return worker_cli_main(&o);
	struct observe_opts oo;
	char *program[3];
	int observed = observe_cli_opts(&o, &oo, program);
	if (observed < 0)
		return 2;
	if (observed && o.batch)
		return observe_cli_batch(&o, &oo);
	if (o.compare)
		return compare_cli_main(&o);
	if (o.costs)
		return costs_cli_main(&o);
	if (o.batch && o.lesson)
		return lesson_cli_main(&o);
	if (o.batch)
		return batch_main(&o);
	struct tui_opts t = {
	    .scenario = o.lesson ? NULL : o.scenario,
	    .lesson = o.lesson,
	    .lesson_name = o.lesson ? o.scenario : NULL,
	    .replay = o.replay,
	    .json = o.json,
	    .trace = o.trace,
	    .run = o.run,
	    .scale = o.scale,
	    .ascii = o.ascii,
	    .colour = o.colour,
	    .observe = observed ? &oo : NULL,
	};
	return tui_main(&t);
}
