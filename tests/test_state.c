/*
 * test_state.c -- the state, outcome and model tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "state.h"

static void test_names_round_trip(void **unused)
{
	(void)unused;
	for (int s = 0; s < STATE_COUNT; s++)
		assert_int_equal(state_from_name(state_name(s)), s);
	for (int o = 0; o < OUTCOME_COUNT; o++)
		assert_int_equal(outcome_from_name(outcome_name(o)), o);
	for (int m = 0; m < MODEL_COUNT; m++)
		assert_int_equal(model_from_name(model_name(m)), m);
	assert_int_equal(state_from_name("runing"), -1);
	assert_int_equal(outcome_from_name(""), -1);
}

static void test_contract_names(void **unused)
{
	(void)unused;
	/* The record format's names are a contract (DESIGN.md). */
	const char *want[] = {"running", "ready", "io", "sleep", "lock", "blocked", "done"};
	assert_int_equal(STATE_COUNT, 7);
	for (int s = 0; s < STATE_COUNT; s++)
		assert_string_equal(state_name(s), want[s]);
	assert_string_equal(model_name(MODEL_PSEUDO), "pseudo-parallel");
	assert_string_equal(outcome_name(OUTCOME_KILLED), "killed");
}

static void test_glyphs_distinct(void **unused)
{
	(void)unused;
	/* In monochrome, states are told apart by glyph alone. */
	for (int a = 0; a < STATE_COUNT; a++)
		for (int b = a + 1; b < STATE_COUNT; b++) {
			assert_int_not_equal(state_ascii(a), state_ascii(b));
			assert_string_not_equal(state_glyph(a), state_glyph(b));
		}
	for (int s = 0; s < STATE_COUNT; s++) {
		assert_true(state_ascii(s) >= ' ' && state_ascii(s) < 127);
		assert_true(strlen(state_label(s)) > 0);
		assert_true(state_colour(s) < COLOUR_COUNT);
	}
}

static void test_out_of_range(void **unused)
{
	(void)unused;
	assert_string_equal(state_name(STATE_COUNT), "?");
	assert_string_equal(state_name((enum state) - 1), "?");
	assert_int_equal(state_ascii(STATE_COUNT), '?');
	assert_string_equal(model_name(MODEL_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_round_trip),
	    cmocka_unit_test(test_contract_names),
	    cmocka_unit_test(test_glyphs_distinct),
	    cmocka_unit_test(test_out_of_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
