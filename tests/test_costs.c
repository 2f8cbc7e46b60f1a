/*
 * test_costs.c -- --costs: every model gets its three figures, and they
 * come out in the order the seeds state: a coroutine is cheaper than a
 * thread and a thread cheaper than a process, in memory and to start.
 * Only orders are asserted: sanitizers change the sizes, not the orders.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "costs.h"
#include "costs_print.h"

static struct costs_result measured;

/* One measurement (a few seconds) shared by the tests. */
static int measure_once(void **state)
{
	(void)state;
	return costs_measure(&measured) == 0 ? 0 : -1;
}

static void test_every_figure(void **state)
{
	(void)state;
	for (int u = 0; u < COSTS_UNIT_COUNT; u++) {
		const struct costs_figures *f = &measured.unit[u];
		print_message("%-13s start %.3f us, switch %.3f us, %.2f KiB (%d at once)\n",
			      costs_unit_name((enum costs_unit)u), f->start_us, f->switch_us,
			      f->kib, f->alive);
		assert_true(f->start_us > 0);
		assert_true(f->switch_us > 0);
		assert_true(f->kib >= 0); /* a coroutine's few bytes may hide under ASan */
		assert_true(f->alive > 0);
	}
}

/* Seed 002: async saves memory; seed 004: processes have the most overhead. */
static void test_orders(void **state)
{
	(void)state;
	const struct costs_figures *t = &measured.unit[COSTS_THREAD];
	const struct costs_figures *p = &measured.unit[COSTS_PROCESS];
	const struct costs_figures *c = &measured.unit[COSTS_COROUTINE];

	assert_true(c->kib < t->kib);
	assert_true(t->kib < p->kib);
	assert_true(c->start_us < t->start_us);
	assert_true(c->switch_us < t->switch_us);
}

/* Numbers among the space-separated words of the line starting at S. */
static int numbers_on_line(const char *s)
{
	char line[512], *save = NULL;
	int n = 0;

	snprintf(line, sizeof line, "%.*s", (int)strcspn(s, "\n"), s);
	for (char *w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		char *end;
		strtod(w, &end);
		n += end != w && *end == '\0';
	}
	return n;
}

/* The printed table: a row per unit with its three figures, no "n/a". */
static void test_table(void **state)
{
	(void)state;
	char *text = NULL, head[32];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	costs_print(&measured, f, false);
	fclose(f);
	assert_null(strstr(text, "n/a"));
	for (int u = 0; u < COSTS_UNIT_COUNT; u++) {
		snprintf(head, sizeof head, "\n%-12s", costs_unit_name((enum costs_unit)u));
		const char *row = strstr(text, head);
		assert_non_null(row);
		assert_int_equal(numbers_on_line(row + 1), 3);
	}
	assert_non_null(strstr(text, "10,000 connections"));
	free(text);
}

/* --costs --json: one object per unit with its figures; a missing one is null. */
static void test_json(void **state)
{
	(void)state;
	struct costs_result res = {.rounds = 3};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	for (int u = 0; u < COSTS_UNIT_COUNT; u++)
		res.unit[u] = (struct costs_figures){u + 1.5, u + 0.25, 10.0 * u, 100 + u};
	res.unit[COSTS_PROCESS].kib = -1;
	assert_int_equal(costs_print_json(&res, f), 0);
	fclose(f);
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root, "conctui")), 1);
	assert_int_equal(json_integer_value(json_object_get(root, "rounds")), 3);
	json_t *units = json_object_get(root, "costs");
	assert_int_equal(json_array_size(units), COSTS_UNIT_COUNT);
	for (int u = 0; u < COSTS_UNIT_COUNT; u++) {
		json_t *o = json_array_get(units, (size_t)u);
		assert_string_equal(json_string_value(json_object_get(o, "unit")),
				    costs_unit_name((enum costs_unit)u));
		assert_true(json_real_value(json_object_get(o, "start_us")) == u + 1.5);
		assert_true(json_real_value(json_object_get(o, "switch_us")) == u + 0.25);
		assert_int_equal(json_integer_value(json_object_get(o, "alive")), 100 + u);
	}
	assert_true(json_is_null(json_object_get(json_array_get(units, COSTS_PROCESS), "kib")));
	json_decref(root);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_figure),
	    cmocka_unit_test(test_orders),
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, measure_once, NULL);
}
