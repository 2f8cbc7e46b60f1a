/*
 * test_view_caption.c -- captions as cause -> effect, built from the
 * trace's causes, wakers and edges: a recorded gil-battle stepped from
 * t = 0 (every GIL hand-off names both tasks), OS preemption on one core,
 * the loop resuming a task whose response arrived, the caption's rows, and
 * following a cause and back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "record.h"
#include "view_ctx.h"
#include "view_fixture.h"
#include "view_why.h"

/* A span with its cause and waker, as an executor writes it. */
static void cx_span(struct trace *tr, int lane, enum state st, double t0, double t1, int cpu,
		    enum cause cause, int by, const char *reason)
{
	struct span sp = {(uint64_t)(t0 * 1e6), (uint64_t)(t1 * 1e6), cpu, st, "", 0, cause, by};

	snprintf(sp.reason, sizeof sp.reason, "%s", reason);
	trace_append(tr, lane, &sp);
}

static void cx_edge(struct trace *tr, int from, int to, double t, enum edge_kind k)
{
	struct trace_edge e = {(uint64_t)(t * 1e6), from, to, k};
	trace_append_edge(tr, &e);
}

/* The recorded gil-battle (a real run at --scale 0.1, with causes and edges). */
static struct trace *read_gil_battle(struct trace ***all)
{
	const char *dir = getenv("CONCTUI_DATADIR");
	char path[1024], err[256];
	int n;

	snprintf(path, sizeof path, "%s/../tests/e2e/fixtures/gil-battle.json", dir ? dir : ".");
	n = record_read(path, all, err, sizeof err);
	if (n < 1)
		n = record_read("tests/e2e/fixtures/gil-battle.json", all, err, sizeof err);
	if (n < 1)
		fail_msg("%s", err);
	return (*all)[0];
}

/* Whether NAME appears in S as a word of its own (task names are letters). */
static bool names(const char *s, const char *name)
{
	size_t k = strlen(name);

	for (const char *p = strstr(s, name); p; p = strstr(p + 1, name)) {
		bool left = p == s || p[-1] == ' ' || p[-1] == '(';
		char r = p[k];
		if (left && (r == ' ' || r == '\'' || r == ',' || r == ':' || r == ')' || !r))
			return true;
	}
	return false;
}

static void test_gil_battle_handoffs_name_both(void **state)
{
	(void)state;
	struct trace **all;
	struct trace *tr = read_gil_battle(&all);
	struct view_ctx c;
	char buf[512];
	int handoffs = 0, steps = 0;

	fx_ctx(&c, tr);
	assert_true(view_act(&c, VA_START));
	assert_true(c.pl.paused);
	while (view_player_step(&c.pl, c.panels, c.npanels, 1) && steps++ < 100000) {
		struct span sp;
		const struct view_event *e = &c.pl.focus;
		if (!view_why_span(tr, e->lane, e->idx, &sp))
			continue;
		bool handoff =
		    (sp.cause == CAUSE_GIL_TAKE || sp.cause == CAUSE_GIL_DROP) && sp.by >= 0;
		if (!handoff)
			continue;
		handoffs++;
		view_caption_text(&c, buf, sizeof buf);
		if (getenv("CONCTUI_TEST_VERBOSE"))
			print_message("%s\n", buf);
		if (!names(buf, "A") || !names(buf, "B") || !strstr(buf, "GIL") ||
		    !strstr(buf, "\u2192"))
			fail_msg("hand-off caption lacks a side: %s", buf);
	}
	assert_true(handoffs >= 10);
	free(all);
	trace_destroy(tr);
}

static void test_gil_forced_drop_both_sides(void **state)
{
	(void)state;
	struct trace *tr = trace_create(2, TRACE_LOCK_LANE);
	struct view_ctx c;
	char buf[512];

	trace_set_name(tr, 0, "A");
	trace_set_name(tr, 1, "B");
	cx_span(tr, 0, STATE_RUNNING, 0, 5.1, 0, CAUSE_GIL_TAKE, -1, "computing");
	cx_span(tr, 0, STATE_LOCK, 5.1, 9, -1, CAUSE_GIL_DROP, 1, "drop request");
	cx_span(tr, 1, STATE_LOCK, 0.1, 5.2, -1, CAUSE_GIL_WAIT, 0, "waiting for the GIL");
	cx_span(tr, 1, STATE_RUNNING, 5.2, 9, 1, CAUSE_GIL_TAKE, 0, "computing");
	cx_span(tr, 2, STATE_RUNNING, 0, 5.1, 0, CAUSE_NONE, -1, "");
	cx_span(tr, 2, STATE_RUNNING, 5.15, 9, 1, CAUSE_NONE, -1, "");
	cx_edge(tr, 0, 1, 5.15, EDGE_GIL);
	trace_set_outcome(tr, 0, OUTCOME_DONE);
	trace_set_outcome(tr, 1, OUTCOME_DONE);
	tr->meta.wall_ns = 9 * MS;
	fx_ctx(&c, tr);
	c.pl.focus = (struct view_event){(uint64_t)(5.1 * 1e6), 0, 0, 1};
	c.pl.has_focus = true;
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=5.1 ms  A is forced to drop the GIL after 5.1 ms (B waited 5.1 "
				 "ms) \u2192 B takes the GIL, runs on core 1");
	c.pl.focus = (struct view_event){(uint64_t)(5.2 * 1e6), 0, 1, 1};
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=5.2 ms  A is forced to drop the GIL after 5.1 ms (B waited 5.1 "
				 "ms) \u2192 B takes it, runs on core 1");
	c.pl.focus = (struct view_event){(uint64_t)(0.1 * 1e6), 0, 1, 0};
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=100 us  A holds the GIL \u2192 B must wait for it");
	trace_destroy(tr);
}

static void test_preempt_and_loop(void **state)
{
	(void)state;
	struct trace *tr = trace_create(3, 0);
	struct view_ctx c;
	char buf[512];

	trace_set_name(tr, 0, "A");
	trace_set_name(tr, 1, "B");
	trace_set_name(tr, 2, "C");
	/* A and B on one core: B is preempted at 10 and A runs. */
	cx_span(tr, 0, STATE_RUNNING, 0, 4, 0, CAUSE_STEP, -1, "computing");
	cx_span(tr, 0, STATE_READY, 4, 10, -1, CAUSE_PREEMPT, -1, "preempted by the OS");
	cx_span(tr, 0, STATE_RUNNING, 10, 20, 0, CAUSE_RESUME, -1, "computing");
	cx_span(tr, 1, STATE_READY, 0, 4, -1, CAUSE_START, -1, "thread starting");
	cx_span(tr, 1, STATE_RUNNING, 4, 10, 0, CAUSE_STEP, -1, "computing");
	cx_span(tr, 1, STATE_READY, 10, 20, -1, CAUSE_PREEMPT, -1, "preempted by the OS");
	/* C on a loop: its response arrives at 100, B yields, the loop resumes C. */
	cx_span(tr, 2, STATE_IO, 0, 100, -1, CAUSE_YIELD, -1, "awaiting response");
	cx_span(tr, 2, STATE_READY, 100, 101, -1, CAUSE_IO_DONE, -1, "queued");
	cx_span(tr, 2, STATE_RUNNING, 101, 102, 1, CAUSE_LOOP_RESUME, -1, "resumed");
	for (int l = 0; l < 3; l++)
		trace_set_outcome(tr, l, OUTCOME_DONE);
	tr->meta.wall_ns = 102 * MS;
	fx_ctx(&c, tr);
	c.pl.has_focus = true;
	c.pl.focus = (struct view_event){10 * MS, 0, 1, 2};
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=10.0 ms  B is preempted by the OS on core 0 \u2192 A runs");
	c.pl.focus = (struct view_event){10 * MS, 0, 0, 2};
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(buf, "t=10.0 ms  B is preempted by the OS on core 0 \u2192 A runs");
	c.pl.focus = (struct view_event){101 * MS, 0, 2, 2};
	view_caption_text(&c, buf, sizeof buf);
	assert_string_equal(
	    buf, "t=101.0 ms  the loop resumes C: its response arrived after 100.0 ms on core 1");
	trace_destroy(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gil_battle_handoffs_name_both),
	    cmocka_unit_test(test_gil_forced_drop_both_sides),
	    cmocka_unit_test(test_preempt_and_loop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
