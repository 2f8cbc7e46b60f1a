/*
 * test_executor.c -- the executor table: every executor of the design is
 * there once, with its model, and can be found by name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "executor.h"

static void test_design_executors(void **unused)
{
	(void)unused;
	/* DESIGN.md, "Executors and their model": a contract for --backend. */
	static const struct {
		const char *name;
		enum model model;
	} want[] = {
	    {"sequential", MODEL_SEQUENTIAL},
	    {"threads", MODEL_PARALLEL},
	    {"threads-1core", MODEL_PSEUDO},
	    {"processes", MODEL_PARALLEL},
	    {"pool", MODEL_PARALLEL},
	    {"asyncio", MODEL_PSEUDO},
	    {"green", MODEL_PSEUDO},
	    {"callbacks", MODEL_PSEUDO},
	    {"gil", MODEL_PSEUDO},
	    {"workers", MODEL_PARALLEL},
	};

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct executor *ex = executor_find(want[i].name);
		if (!ex)
			fail_msg("no executor \"%s\"", want[i].name);
		assert_string_equal(ex->name, want[i].name);
		assert_int_equal(ex->model, want[i].model);
	}
	assert_int_equal(executor_count(), (int)(sizeof want / sizeof want[0]));
}

static void test_table_is_well_formed(void **unused)
{
	(void)unused;
	for (int i = 0; i < executor_count(); i++) {
		const struct executor *ex = executor_at(i);
		assert_non_null(ex);
		assert_non_null(ex->run);
		assert_true(ex->summary && strlen(ex->summary) > 10);
		for (int j = i + 1; j < executor_count(); j++)
			assert_string_not_equal(ex->name, executor_at(j)->name);
	}
	assert_null(executor_at(-1));
	assert_null(executor_at(executor_count()));
	assert_null(executor_find("fibers"));
	assert_null(executor_find(""));
	/* Only the GIL executor draws a lock lane; only forking ones share memory. */
	assert_true(executor_find("gil")->flags & EXECUTOR_LOCK_LANE);
	assert_false(executor_find("threads")->flags & EXECUTOR_LOCK_LANE);
	assert_true(executor_find("processes")->flags & EXECUTOR_SHARED);
	assert_true(executor_find("pool")->flags & EXECUTOR_SHARED);
	assert_false(executor_find("sequential")->flags & EXECUTOR_SHARED);
}

/* The facts --compare judges by hang together, and each unit has its names. */
static void test_facts_are_consistent(void **unused)
{
	(void)unused;
	for (int i = 0; i < executor_count(); i++) {
		const struct executor *ex = executor_at(i);
		assert_true(ex->unit < EXEC_UNIT_COUNT && ex->at_once < EXEC_AT_ONCE_COUNT);
		assert_true(strlen(exec_unit_name(ex->unit)) > 0);
		assert_true(strlen(exec_at_once_name(ex->at_once)) > 0);
		if (ex->one_os_thread)
			assert_false(ex->multicore);
		if (ex->gil)
			assert_int_equal(ex->unit, EXEC_UNIT_THREAD);
		if (ex->model == MODEL_SEQUENTIAL)
			assert_int_equal(ex->at_once, EXEC_AT_ONCE_ONE);
		if (ex->at_once != EXEC_AT_ONCE_ALL)
			assert_false(ex->unit_per_task);
		if (ex->model == MODEL_PARALLEL)
			assert_true(ex->multicore);
	}
	assert_ptr_equal(executor_default(), executor_find("sequential"));
	assert_string_equal(exec_unit_plural(EXEC_UNIT_THREAD), "OS threads");
	assert_true(exec_unit_is_os(EXEC_UNIT_PROCESS));
	assert_false(exec_unit_is_os(EXEC_UNIT_COROUTINE));
	/* The ones seed 001's verdicts name. */
	assert_true(executor_find("gil")->gil);
	assert_true(executor_find("threads")->multicore);
	assert_false(executor_find("threads-1core")->multicore);
	assert_int_equal(executor_find("pool")->at_once, EXEC_AT_ONCE_WORKERS);
}

/* Facts pick what DESIGN.md names: the overview's three pictures and the spinner's four runs. */
static void test_match_by_facts(void **state)
{
	(void)state;
	struct executor_want seq = {MODEL_SEQUENTIAL, EXEC_UNIT_THREAD, -1, -1};
	struct executor_want one_core = {MODEL_PSEUDO, EXEC_UNIT_THREAD, 1, 0};
	struct executor_want parallel = {MODEL_PARALLEL, EXEC_UNIT_THREAD, 1, 0};
	struct executor_want process = {MODEL_PARALLEL, EXEC_UNIT_PROCESS, 1, 0};
	struct executor_want coroutine = {-1, EXEC_UNIT_COROUTINE, 1, 0};
	struct executor_want gil = {-1, EXEC_UNIT_THREAD, 1, 1};
	struct executor_want none = {MODEL_SEQUENTIAL, EXEC_UNIT_COROUTINE, -1, -1};

	assert_string_equal(executor_match(&seq)->name, "sequential");
	assert_string_equal(executor_match(&one_core)->name, "threads-1core");
	assert_string_equal(executor_match(&parallel)->name, "threads");
	assert_string_equal(executor_match(&process)->name, "processes");
	assert_string_equal(executor_match(&coroutine)->name, "asyncio");
	assert_string_equal(executor_match(&gil)->name, "gil");
	assert_null(executor_match(&none));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_design_executors),
	    cmocka_unit_test(test_table_is_well_formed),
	    cmocka_unit_test(test_facts_are_consistent),
	    cmocka_unit_test(test_match_by_facts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
