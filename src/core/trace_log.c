/*
 * trace_log.c -- the run's output lines and findings, beside its spans.
 *
 * Both live in the trace's mapping, so a forked task prints into the same
 * slots the parent reads.  A writer claims a slot with a fetch-add, fills
 * it and publishes it by setting `ready` with release order; a reader that
 * sees `ready` with acquire order may read the whole slot.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "escape.h"
#include "trace_priv.h"

struct output_slot {
	struct trace_output line;
	_Atomic uint8_t ready; /* 1 once `line` is written */
};

struct finding_slot {
	struct trace_finding finding;
	_Atomic uint8_t ready; /* 1 once `finding` is written */
};

struct trace_log {
	_Atomic uint32_t output_next;	 /* output slots handed out */
	_Atomic uint32_t output_dropped; /* lines that did not fit */
	_Atomic uint32_t finding_next;	 /* finding slots handed out */
	struct output_slot output[TRACE_OUTPUT_CAP];
	struct finding_slot findings[TRACE_FINDING_CAP];
};

static const char *const finding_kind_names[] = {
#define X(e, n) n,
    FINDING_KIND_MAP(X)
#undef X
};

const char *finding_kind_name(enum finding_kind k)
{
	return (unsigned)k < FINDING_KIND_COUNT ? finding_kind_names[k] : "note";
}

enum finding_kind finding_kind_parse(const char *name)
{
	for (int i = 0; i < FINDING_KIND_COUNT; i++)
		if (strcmp(name, finding_kind_names[i]) == 0)
			return (enum finding_kind)i;
	return FINDING_NOTE;
}

size_t trace_log_size(void)
{
	return (sizeof(struct trace_log) + 63) & ~(size_t)63;
}

void trace_log_init(struct trace_log *log)
{
	atomic_init(&log->output_next, 0);
	atomic_init(&log->output_dropped, 0);
	atomic_init(&log->finding_next, 0);
}

void trace_log_reset(struct trace_log *log)
{
	/* Every slot below the counts was published, so none is being written. */
	uint32_t n = atomic_load(&log->output_next);
	for (uint32_t i = 0; i < n && i < TRACE_OUTPUT_CAP; i++)
		atomic_store(&log->output[i].ready, 0);
	n = atomic_load(&log->finding_next);
	for (uint32_t i = 0; i < n && i < TRACE_FINDING_CAP; i++)
		atomic_store(&log->findings[i].ready, 0);
	atomic_store(&log->output_next, 0);
	atomic_store(&log->output_dropped, 0);
	atomic_store(&log->finding_next, 0);
}

/* Copies at most CAP - 1 bytes of SRC, never ending inside a UTF-8 character. */
static void copy_text(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strnlen(src, cap - 1) : 0;

	if (n == cap - 1 && src[n])
		n = escape_utf8_cut(src, n);
	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

/* ---- output ------------------------------------------------------------- */

static int output_put(struct trace *tr, uint64_t t, int lane, const char *text)
{
	struct trace_log *log = tr->log;
	uint32_t i = atomic_fetch_add_explicit(&log->output_next, 1, memory_order_relaxed);

	if (i >= TRACE_OUTPUT_CAP) {
		atomic_fetch_add_explicit(&log->output_dropped, 1, memory_order_relaxed);
		return -ENOSPC;
	}
	struct output_slot *s = &log->output[i];
	s->line.t = t;
	s->line.task = lane;
	copy_text(s->line.text, sizeof s->line.text, text);
	atomic_store_explicit(&s->ready, 1, memory_order_release);
	return 0;
}

int trace_print(struct trace *tr, int lane, uint64_t now_ns, const char *text)
{
	return output_put(tr, trace_relative(tr, now_ns), lane, text);
}

int trace_append_output(struct trace *tr, const struct trace_output *o)
{
	return output_put(tr, o->t, o->task, o->text);
}

uint32_t trace_output_count(const struct trace *tr)
{
	uint32_t n = atomic_load_explicit(&tr->log->output_next, memory_order_acquire);

	return n < TRACE_OUTPUT_CAP ? n : TRACE_OUTPUT_CAP;
}

bool trace_get_output(const struct trace *tr, uint32_t i, struct trace_output *out)
{
	const struct output_slot *s = &tr->log->output[i];

	if (!atomic_load_explicit(&s->ready, memory_order_acquire))
		return false;
	*out = s->line;
	return true;
}

uint64_t trace_output_dropped(const struct trace *tr)
{
	return atomic_load_explicit(&tr->log->output_dropped, memory_order_relaxed);
}

/* ---- findings ----------------------------------------------------------- */

int trace_add_finding(struct trace *tr, const struct trace_finding *f)
{
	struct trace_log *log = tr->log;
	uint32_t i = atomic_fetch_add_explicit(&log->finding_next, 1, memory_order_relaxed);

	if (i >= TRACE_FINDING_CAP)
		return -ENOSPC;
	struct finding_slot *s = &log->findings[i];
	s->finding = *f;
	if (s->finding.ntasks < 0)
		s->finding.ntasks = 0;
	if (s->finding.ntasks > TRACE_FINDING_TASKS)
		s->finding.ntasks = TRACE_FINDING_TASKS;
	copy_text(s->finding.text, sizeof s->finding.text, f->text);
	atomic_store_explicit(&s->ready, 1, memory_order_release);
	return 0;
}

uint32_t trace_finding_count(const struct trace *tr)
{
	uint32_t n = atomic_load_explicit(&tr->log->finding_next, memory_order_acquire);

	return n < TRACE_FINDING_CAP ? n : TRACE_FINDING_CAP;
}

bool trace_get_finding(const struct trace *tr, uint32_t i, struct trace_finding *out)
{
	const struct finding_slot *s = &tr->log->findings[i];

	if (!atomic_load_explicit(&s->ready, memory_order_acquire))
		return false;
	*out = s->finding;
	return true;
}
