/*
 * view_caption.c -- the caption: the state change under the cursor as
 * cause -> effect, naming both tasks and what passed between them ("A is
 * forced to drop the GIL after 5.1 ms (B waited 5.0 ms) -> B takes it, runs
 * on core 1").  Everything comes from the trace's data (view_why.h); the
 * span's reason is only quoted, as the task's own words, when the data
 * says no more (a step, or a record made before causes were kept).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "view_ctx.h"
#include "view_pair.h"
#include "view_why.h"

#define ARROW " \u2192 "

/* A caption being written: appends never overflow, and stay NUL-terminated. */
struct words {
	char *buf;
	size_t len; /* bytes in buf */
	size_t n;   /* bytes used */
};

__attribute__((format(printf, 2, 3))) static void say(struct words *w, const char *fmt, ...)
{
	va_list ap;

	if (w->n + 1 >= w->len)
		return;
	va_start(ap, fmt);
	int k = vsnprintf(w->buf + w->n, w->len - w->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		w->n += (size_t)k < w->len - w->n ? (size_t)k : w->len - w->n - 1;
}

/* What one caption is about: the trace, the lane, its span, and "now". */
struct about {
	const struct trace *tr;
	int lane;
	uint32_t idx;
	struct span sp;
	uint64_t now; /* ns: the end of what was recorded (closes open spans) */
};

static const char *name(const struct about *a, int lane)
{
	return trace_name(a->tr, lane);
}

static const char *dur(char *buf, size_t len, uint64_t ns)
{
	view_fmt_time(buf, len, ns);
	return buf;
}

/* The span before this one, if any. */
static bool prev_span(const struct about *a, int back, struct span *out)
{
	return a->idx >= (uint32_t)back &&
	       view_why_span(a->tr, a->lane, a->idx - (uint32_t)back, out);
}

/* " on core N" when the span ran somewhere. */
static void on_core(struct words *w, const struct span *sp)
{
	if (sp->state == STATE_RUNNING && sp->cpu >= 0)
		say(w, " on core %d", sp->cpu);
}

/* ------------------------------------------------------------------ */
/* The effect: what follows a task letting go                          */
/* ------------------------------------------------------------------ */

/* "B takes it, runs on core 1": TASK's first span after T, as a taker. */
static void taker(struct words *w, const struct about *a, int task, uint64_t t, const char *what)
{
	struct span sp = {.state = STATE_DONE, .cpu = -1};
	int32_t k = view_why_span_at(a->tr, task, t, &sp);

	/* The taking span begins just after the hand-off (or is the task's first). */
	if (k < 0 || sp.state != STATE_RUNNING)
		view_why_span(a->tr, task, (uint32_t)(k + 1), &sp);
	say(w, "%s takes %s", name(a, task), what);
	if (sp.state == STATE_RUNNING && sp.cpu >= 0)
		say(w, ", runs on core %d", sp.cpu);
}

/* After LANE let go at T: the hand-off edge from it, in words; false if none. */
static bool handoff_after(struct words *w, const struct about *a, uint64_t t0, uint64_t t1)
{
	struct trace_edge e;

	if (!view_why_edge(a->tr, a->lane, -1, t0, t1, &e) || e.to < 0 || e.to >= a->tr->ntasks ||
	    e.to == a->lane)
		return false;
	say(w, ARROW);
	switch (e.kind) {
	case EDGE_GIL:
		taker(w, a, e.to, e.t, "the GIL");
		break;
	case EDGE_LOCK:
		taker(w, a, e.to, e.t, "the lock");
		break;
	case EDGE_LOOP:
		say(w, "the loop resumes %s", name(a, e.to));
		break;
	case EDGE_JOB:
		say(w, "the worker takes %s as its next job", name(a, e.to));
		break;
	case EDGE_CANCEL:
		say(w, "%s is cancelled", name(a, e.to));
		break;
	case EDGE_JOIN:
		say(w, "%s stops waiting for it", name(a, e.to));
		break;
	default:
		say(w, "%s goes on", name(a, e.to));
		break;
	}
	return true;
}

/* What a task does when it lets go in STATE, as a verb: "B sleeps". */
static const char *waiting_verb(enum state st)
{
	switch (st) {
	case STATE_SLEEP:
		return "sleeps";
	case STATE_IO:
		return "waits on the network";
	case STATE_LOCK:
		return "waits for a lock";
	case STATE_BLOCKED:
		return "blocks (join, queue)";
	case STATE_READY:
		return "waits for a core";
	default:
		return "lets go";
	}
}

/* What TASK did at T that let go of something: "B sleeps". */
static void letting_go(struct words *w, const struct about *a, int task, uint64_t t)
{
	struct span sp;

	int32_t k = view_why_span_at(a->tr, task, t, &sp);

	if (k < 0 || sp.state == STATE_DONE || trace_lane_end(a->tr, task, a->now) <= t)
		say(w, "%s finishes", name(a, task));
	else if (sp.step < 0 && k > 0)
		say(w, "%s is through its work", name(a, task)); /* outside any step, after them */
	else
		say(w, "%s %s", name(a, task), waiting_verb(sp.state));
}

/* ------------------------------------------------------------------ */
/* The lock: forced drops, takes and waits                             */
/* ------------------------------------------------------------------ */

/*
 * "(B asked 60 us ago, after waiting 5.0 ms)": the drop request recorded
 * during the hold that ended at T (WAIT: the asker's wait, may be NULL);
 * false when the record has none (made before requests were recorded).
 */
static bool asked(struct words *w, const struct about *a, int dropper, int asker, uint64_t t,
		  uint64_t hold, const struct span *wait)
{
	char ago[32], wt[32];
	uint64_t at;

	if (hold == 0 || !view_why_ask(a->tr, asker, dropper, t > hold ? t - hold : 0, t, &at))
		return false;
	say(w, " (%s asked %s ago", name(a, asker), dur(ago, sizeof ago, t - at));
	if (wait && wait->state == STATE_LOCK && wait->t0 <= at)
		say(w, ", after waiting %s", dur(wt, sizeof wt, at - wait->t0));
	say(w, ")");
	return true;
}

/*
 * "A is forced to drop the GIL after 5.1 ms (B asked 60 us ago, after
 * waiting 5.0 ms)": WAIT is the asker's wait for the lock (NULL: not
 * known), the same span in both captions of a hand-off, so both say the
 * same figures.  A record without drop requests says how long B waited.
 */
static void forced_drop(struct words *w, const struct about *a, int dropper, int asker, uint64_t t,
			const struct span *wait)
{
	char h[32], wt[32];
	uint64_t hold = view_why_hold(a->tr, dropper, t, a->now);

	say(w, "%s is forced to drop the GIL", name(a, dropper));
	if (hold > 0)
		say(w, " after %s", dur(h, sizeof h, hold));
	if (asker < 0 || asked(w, a, dropper, asker, t, hold, wait))
		return;
	if (wait && wait->state == STATE_LOCK)
		say(w, " (%s waited %s)", name(a, asker),
		    dur(wt, sizeof wt, view_why_end(wait, a->now) - wait->t0));
	else
		say(w, " (%s asked)", name(a, asker));
}

static void gil_take(struct words *w, const struct about *a)
{
	int by = view_why_waker(a->tr, a->lane, &a->sp);
	struct span os;

	if (by < 0) {
		say(w, "the GIL is free" ARROW);
	} else if (view_why_span_at(a->tr, by, a->sp.t0, &os) >= 0 && os.cause == CAUSE_GIL_DROP) {
		struct span wait;
		bool have = prev_span(a, 1, &wait);
		forced_drop(w, a, by, a->lane, a->sp.t0, have ? &wait : NULL);
		say(w, ARROW);
	} else {
		letting_go(w, a, by, a->sp.t0);
		say(w, " and releases the GIL" ARROW);
	}
	say(w, "%s takes it", name(a, a->lane));
	if (a->sp.cpu >= 0)
		say(w, ", runs on core %d", a->sp.cpu);
}

static void gil_drop(struct words *w, const struct about *a)
{
	int asker = view_why_waker(a->tr, a->lane, &a->sp);
	struct span wait;
	bool have = asker >= 0 && view_why_span_at(a->tr, asker, a->sp.t0, &wait) >= 0;

	forced_drop(w, a, a->lane, asker, a->sp.t0, have ? &wait : NULL);
	if (!handoff_after(w, a, a->sp.t0, view_why_end(&a->sp, a->now)))
		say(w, ARROW "%s waits to take it back", name(a, a->lane));
}

static void lock_wait(struct words *w, const struct about *a, bool gil)
{
	int h = view_why_waker(a->tr, a->lane, &a->sp);

	if (h < 0 && gil)
		h = view_why_holder(a->tr, a->sp.t0);
	if (h >= 0 && h != a->lane)
		say(w, "%s holds the %s" ARROW, name(a, h), gil ? "GIL" : "lock");
	say(w, "%s must wait for it", name(a, a->lane));
}

static void lock_take(struct words *w, const struct about *a)
{
	int by = view_why_waker(a->tr, a->lane, &a->sp);

	if (by >= 0)
		say(w, "%s releases the lock" ARROW, name(a, by));
	say(w, "%s takes it", name(a, a->lane));
	on_core(w, &a->sp);
}

/* ------------------------------------------------------------------ */
/* The OS: preemption and cores given back                             */
/* ------------------------------------------------------------------ */

static void preempt(struct words *w, const struct about *a)
{
	struct span prev;
	int cpu = prev_span(a, 1, &prev) ? prev.cpu : -1;

	say(w, "%s is preempted by the OS", name(a, a->lane));
	if (cpu < 0)
		return;
	say(w, " on core %d", cpu);
	int other = view_why_next_runner(a->tr, cpu, a->sp.t0, a->lane);
	if (other >= 0)
		say(w, ARROW "%s runs", name(a, other));
	else if (view_why_holder(a->tr, a->sp.t0) == a->lane)
		say(w, ARROW "%s waits for a core, still holding the GIL", name(a, a->lane));
	else
		say(w, ARROW "the core goes to something outside this run");
}

static void resume(struct words *w, const struct about *a)
{
	struct span prev;
	bool preempted;
	char d[32];
	uint64_t ended;
	int other = view_why_prev_runner(a->tr, a->sp.cpu, a->sp.t0, a->lane, &preempted, &ended);
	bool waited = prev_span(a, 1, &prev) && prev.state == STATE_READY;

	/* The OS took the core from OTHER while this task waited for it: that made room. */
	if (other >= 0 && preempted && waited && ended >= prev.t0) {
		say(w, "%s is preempted by the OS on core %d" ARROW "%s runs", name(a, other),
		    a->sp.cpu, name(a, a->lane));
		return;
	}
	say(w, "the OS gives %s a core again", name(a, a->lane));
	if (waited)
		say(w, " after %s", dur(d, sizeof d, a->sp.t0 - prev.t0));
	say(w, ARROW "%s runs", name(a, a->lane));
	on_core(w, &a->sp);
}

/* ------------------------------------------------------------------ */
/* The loop: yields, timers, responses and resumes                     */
/* ------------------------------------------------------------------ */

/* Why a task that was ready became ready: "its sleep of 50 ms ended". */
static void why_ready(struct words *w, const struct about *a, const struct span *ready,
		      uint32_t ready_idx)
{
	struct span wait;
	char d[32];
	bool have = ready_idx > 0 && view_why_span(a->tr, a->lane, ready_idx - 1, &wait);
	uint64_t len = have ? ready->t0 - wait.t0 : 0;

	switch (ready->cause) {
	case CAUSE_TIMER:
		say(w, "its timer fired after %s", dur(d, sizeof d, len));
		break;
	case CAUSE_IO_DONE:
		say(w, "its response arrived after %s", dur(d, sizeof d, len));
		break;
	case CAUSE_START:
		say(w, "its first turn");
		break;
	default:
		say(w, "its turn came");
		break;
	}
}

static void loop_resume(struct words *w, const struct about *a)
{
	int by = view_why_waker(a->tr, a->lane, &a->sp);
	struct span ready;

	if (by >= 0) {
		letting_go(w, a, by, a->sp.t0);
		say(w, ARROW);
	}
	say(w, "the loop resumes %s", name(a, a->lane));
	on_core(w, &a->sp);
	if (prev_span(a, 1, &ready) && ready.state == STATE_READY) {
		say(w, ": ");
		why_ready(w, a, &ready, a->idx - 1);
	}
}

/* A wait that ended by itself (a timer, a response): now ready to run. */
static void woken(struct words *w, const struct about *a)
{
	struct span prev;
	char d[32];
	uint64_t len = prev_span(a, 1, &prev) ? a->sp.t0 - prev.t0 : 0;

	if (a->sp.cause == CAUSE_TIMER)
		say(w, "%s's timer fires after %s", name(a, a->lane), dur(d, sizeof d, len));
	else
		say(w, "%s's response arrives after %s", name(a, a->lane), dur(d, sizeof d, len));
	int other = view_why_runner_on(a->tr, -1, a->sp.t0, a->lane);
	if (other >= 0)
		say(w, ARROW "it waits its turn while %s runs", name(a, other));
	else
		say(w, ARROW "it is ready to run");
}

static void job(struct words *w, const struct about *a)
{
	int by = view_why_waker(a->tr, a->lane, &a->sp);

	if (by >= 0)
		say(w, "%s's job is done" ARROW "its worker takes %s", name(a, by),
		    name(a, a->lane));
	else
		say(w, "a worker takes %s", name(a, a->lane));
	if (a->sp.cpu >= 0)
		say(w, ", runs on core %d", a->sp.cpu);
}

static void cancel(struct words *w, const struct about *a)
{
	int by = view_why_waker(a->tr, a->lane, &a->sp);

	if (by >= 0)
		say(w, "%s finished first" ARROW "%s is cancelled", name(a, by), name(a, a->lane));
	else
		say(w, "%s is cancelled", name(a, a->lane));
}

/* ------------------------------------------------------------------ */
/* Anything else: the task's own step, in its own words                */
/* ------------------------------------------------------------------ */

static void own_step(struct words *w, const struct about *a)
{
	const struct span *sp = &a->sp;
	const char *what = sp->reason[0] ? sp->reason : state_label(sp->state);
	int h;

	say(w, "%s: %s", name(a, a->lane), what);
	switch (sp->state) {
	case STATE_RUNNING:
		on_core(w, sp);
		if (view_why_holder(a->tr, sp->t0) == a->lane)
			say(w, " \u2014 holds the GIL");
		return;
	case STATE_READY: {
		/* Who has the core: the one running where this task last ran or will run. */
		struct span near;
		int cpu = sp->cpu;
		if (cpu < 0 && prev_span(a, 1, &near))
			cpu = near.cpu;
		if (cpu < 0 && view_why_span(a->tr, a->lane, a->idx + 1, &near))
			cpu = near.state == STATE_RUNNING ? near.cpu : -1;
		int other = cpu >= 0 ? view_why_runner_on(a->tr, cpu, sp->t0, a->lane) : -1;
		if (other >= 0)
			say(w, " \u2014 %s runs on core %d", name(a, other), cpu);
		return;
	}
	case STATE_LOCK:
		h = view_why_holder(a->tr, sp->t0);
		if (h >= 0 && h != a->lane)
			say(w, " \u2014 %s holds it", name(a, h));
		return;
	default:
		/* A wait that lets go of the GIL or the loop: who takes over. */
		handoff_after(w, a, sp->t0, view_why_end(sp, a->now));
		return;
	}
}

static void explain_span(const struct trace *tr, int lane, uint32_t idx, uint64_t now,
			 struct words *w)
{
	struct about a = {tr, lane, idx, {0}, now};

	trace_get(tr, lane, idx, &a.sp);
	if (a.sp.state == STATE_DONE) {
		enum outcome o = trace_outcome(tr, lane);
		if (a.sp.cause == CAUSE_CANCEL)
			cancel(w, &a);
		else
			say(w, "%s: %s (%s)", name(&a, lane), outcome_name(o),
			    a.sp.reason[0] ? a.sp.reason : state_label(a.sp.state));
		handoff_after(w, &a, a.sp.t0, a.sp.t0 + 1000000);
		return;
	}
	switch (a.sp.cause) {
	case CAUSE_GIL_TAKE:
		gil_take(w, &a);
		break;
	case CAUSE_GIL_DROP:
		gil_drop(w, &a);
		break;
	case CAUSE_GIL_WAIT:
		lock_wait(w, &a, true);
		break;
	case CAUSE_LOCK_WAIT:
		lock_wait(w, &a, false);
		break;
	case CAUSE_LOCK_TAKE:
		lock_take(w, &a);
		break;
	case CAUSE_PREEMPT:
		preempt(w, &a);
		break;
	case CAUSE_RESUME:
		resume(w, &a);
		break;
	case CAUSE_LOOP_RESUME:
		loop_resume(w, &a);
		break;
	case CAUSE_TIMER:
	case CAUSE_IO_DONE:
		if (a.sp.state == STATE_READY) {
			woken(w, &a);
			break;
		}
		own_step(w, &a);
		break;
	case CAUSE_JOB:
		job(w, &a);
		break;
	case CAUSE_CANCEL:
		cancel(w, &a);
		break;
	default:
		own_step(w, &a);
		break;
	}
}

/* The end of a lane that finished: who takes over from it. */
static void explain_end(const struct trace *tr, int lane, uint64_t now, struct words *w)
{
	enum outcome o = trace_outcome(tr, lane);
	uint64_t end = trace_lane_end(tr, lane, now);
	struct about a = {tr, lane, trace_count(tr, lane), {0}, now};

	say(w, "%s: %s", trace_name(tr, lane), o == OUTCOME_DONE ? "finished" : outcome_name(o));
	handoff_after(w, &a, end > 1000000 ? end - 1000000 : 0, end + 1000000);
}

void view_caption_event(const struct view_ctx *c, const struct view_event *e, char *buf, size_t len)
{
	const struct view_panel *p = &c->panels[e->panel];
	const struct trace *tr = p->tr;
	struct words w = {buf, len, 0};
	char t[32];

	if (len == 0)
		return;
	buf[0] = '\0';
	if (!tr) {
		say(&w, "%s", p->note);
		return;
	}
	if (c->npanels > 1)
		say(&w, "%s \u2502 ", p->title);
	view_fmt_time(t, sizeof t, e->t);
	say(&w, "t=%s  ", t);
	uint64_t now = p->now_ns;
	if (e->idx >= trace_count(tr, e->lane))
		explain_end(tr, e->lane, now, &w);
	else
		explain_span(tr, e->lane, e->idx, now, &w);
}

void view_caption_text(const struct view_ctx *c, char *buf, size_t len)
{
	struct view_event e;
	char t[32];

	if (c->npanels == 0) {
		snprintf(buf, len, "nothing to show");
		return;
	}
	if (view_pair_event(c, &e) || view_event_current(&c->pl, c->panels, c->npanels, &e)) {
		view_caption_event(c, &e, buf, len);
		return;
	}
	view_fmt_time(t, sizeof t, c->pl.cursor);
	if (!c->panels[0].tr && c->panels[0].note[0])
		snprintf(buf, len, "%s", c->panels[0].note);
	else
		snprintf(buf, len, "t=%s  nothing has happened yet", t);
}
