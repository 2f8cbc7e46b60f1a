/*
 * compare_cli.c -- conctui --compare: loads the scenario, runs the
 * comparison, prints its table and writes its records (--json); or prints
 * the table of a compare file written earlier (--replay).
 */
#include "compare_cli.h"

#include <stdlib.h>

#include "batch.h"
#include "compare.h"
#include "compare_print.h"
#include "record.h"

/* ---- --compare ------------------------------------------------------------- */

/* Writes the ran rows' records into F and closes it; 0 or -1. */
static int compare_write_json(const struct compare_result *res, FILE *f, const char *path)
{
	struct trace *trs[COMPARE_MAX_ROWS];
	int n = 0, rc;

	for (int i = 0; i < res->nrows; i++)
		if (res->rows[i].tr)
			trs[n++] = res->rows[i].tr;
	rc = record_write_compare(trs, n, f);
	return batch_close_output(f, path) < 0 || rc ? -1 : 0;
}

/* What --compare does not combine with; prints why and returns 2, else 0. */
static int compare_check_usage(const struct options *o)
{
	const char *bad = o->run.backend ? "--backend (it runs every executor)"
			  : o->trace	 ? "--trace (write one run's trace with --batch)"
					 : NULL;

	if (!bad)
		return 0;
	fprintf(stderr, "conctui: --compare does not take %s\n", bad);
	return 2;
}

/* --compare --replay FILE: the table of a compare file written earlier. */
static int compare_replay(const struct options *o)
{
	struct trace **trs = NULL;
	struct compare_result res;
	char err[512];
	int n = record_read(o->replay, &trs, err, sizeof err);

	if (n < 0) {
		fprintf(stderr, "conctui: %s\n", err);
		return 2;
	}
	compare_from_traces(trs, n, &res);
	free(trs);
	compare_print(&res, stdout, o->ascii);
	compare_free(&res);
	return 0;
}

int compare_cli_main(const struct options *o)
{
	struct scenario sc;
	struct compare_result res;
	FILE *json;
	int rc = 0;

	if (compare_check_usage(o))
		return 2;
	if (o->replay)
		return compare_replay(o);
	if (batch_load_scenario(o->scenario, o->scale, &sc) < 0)
		return 2;
	/* --json is opened first: a bad path fails with nothing run. */
	json = o->json ? batch_open_output(o->json) : NULL;
	if (o->json && !json) {
		scenario_free(&sc);
		return 2;
	}
	if (compare_run(&sc, &o->run, &res, stderr) < 0) {
		fprintf(stderr, "conctui: interrupted\n");
		batch_discard_output(json, o->json);
		rc = 1;
	} else {
		if (json != stdout)
			compare_print(&res, stdout, o->ascii);
		if (json && compare_write_json(&res, json, o->json) < 0)
			rc = 1;
		if (res.failed)
			rc = 1;
	}
	compare_free(&res);
	scenario_free(&sc);
	return rc;
}
