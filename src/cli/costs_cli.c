/* costs_cli.c -- conctui --costs: measures, then prints the table. */
#include "costs_cli.h"

#include <stdio.h>

#include "costs.h"
#include "costs_print.h"

int costs_cli_main(const struct options *o)
{
	struct costs_result res;
	int rc;

	fprintf(stderr, "conctui: measuring threads, processes, coroutines and green threads...\n");
	rc = costs_measure(&res);
	costs_print(&res, stdout, o->ascii);
	return rc < 0 ? 1 : 0;
}
