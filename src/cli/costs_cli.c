/* costs_cli.c -- conctui --costs: measures, then prints the table. */
#include "costs_cli.h"

#include <stdio.h>

#include "batch.h"
#include "costs.h"
#include "costs_print.h"

int costs_cli_main(const struct options *o)
{
	struct costs_result res;
	FILE *json = NULL;
	int rc;

	/* Opened first: a bad path fails before seconds of measuring. */
	if (o->json && !(json = batch_open_output(o->json)))
		return 2;
	fprintf(stderr, "conctui: measuring threads, processes, coroutines and green threads...\n");
	rc = costs_measure(&res) < 0 ? 1 : 0;
	/* The JSON owns stdout when it is written there. */
	if (json != stdout)
		costs_print(&res, stdout, o->ascii);
	if (json && (costs_print_json(&res, json) < 0 || batch_close_output(json, o->json) < 0))
		rc = 1;
	return rc;
}
