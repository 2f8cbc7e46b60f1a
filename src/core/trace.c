/*
 * trace.c -- per-lane append-only span lists, in private or shared memory.
 */
#include "trace.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "escape.h"
#include "trace_priv.h"

/* A span as stored: only t1 changes after publication, so only t1 is atomic. */
struct trace_slot {
	uint64_t t0;
	_Atomic uint64_t t1;
	int32_t cpu;
	int32_t step;
	int32_t by;
	uint8_t state;
	uint8_t cause;
	char reason[TRACE_REASON_MAX + 2];
};

/* An edge as stored: claimed by a fetch-add, published by `ready`. */
struct trace_edge_slot {
	uint64_t t;
	int32_t from, to;
	uint8_t kind;
	_Atomic uint8_t ready; /* 1 once every other field is written */
};

static const char *const cause_names[] = {
#define X(e, n) n,
    CAUSE_MAP(X)
#undef X
};

static const char *const edge_kind_names[] = {
#define X(e, n) n,
    EDGE_KIND_MAP(X)
#undef X
};

const char *cause_name(enum cause c)
{
	return (unsigned)c < CAUSE_COUNT ? cause_names[c] : "none";
}

enum cause cause_parse(const char *name)
{
	for (int i = 0; i < CAUSE_COUNT; i++)
		if (strcmp(name, cause_names[i]) == 0)
			return (enum cause)i;
	return CAUSE_NONE;
}

const char *edge_kind_name(enum edge_kind k)
{
	return (unsigned)k < EDGE_KIND_COUNT ? edge_kind_names[k] : "?";
}

int edge_kind_parse(const char *name)
{
	for (int i = 0; i < EDGE_KIND_COUNT; i++)
		if (strcmp(name, edge_kind_names[i]) == 0)
			return i;
	return -1;
}

struct trace_lane {
	char name[TRACE_NAME_MAX];
	uint32_t head;		    /* index of the lane's first slot, among the heads */
	uint32_t first;		    /* index of its slot TRACE_HEAD_SPANS, in its own run */
	uint32_t cap;		    /* slots the lane may use */
	_Atomic uint32_t count;	    /* published spans */
	_Atomic uint32_t dropped;   /* spans that did not fit */
	_Atomic int outcome;	    /* enum outcome */
	int32_t step;		    /* the writer's current step, for spans it opens */
	_Atomic uint64_t chunks;    /* chunk boundaries the probe saw (one writer) */
	_Atomic int32_t worker;	    /* index in meta.workers of who ran it, -1 */
	struct trace_thread thread; /* an observed program's thread, or zeros */
};

/*
 * A lane's first spans lie with every other lane's first spans, lane
 * after lane; the rest in the lane's own run of slots.  Ten thousand
 * coroutines, each a handful of spans, then write to a few megabytes in
 * the order they run, not to ten thousand pages ten thousand TLB entries
 * apart.
 */
#define TRACE_HEAD_SPANS 8

static uint32_t lane_capacity(int ntasks)
{
	uint32_t cap = ntasks > 0 ? TRACE_SPAN_BUDGET / (uint32_t)ntasks : 64;

	if (cap < 64)
		cap = 64;
	if (cap > (1u << 18))
		cap = 1u << 18;
	return cap;
}

/* A trace of NTASKS lanes of CAP spans each. */
static struct trace *create(int ntasks, uint32_t cap, unsigned flags)
{
	if (ntasks < 1 || ntasks > TRACE_MAX_TASKS) {
		errno = EINVAL;
		return NULL;
	}
	int nlanes = ntasks + ((flags & TRACE_LOCK_LANE) ? 1 : 0);
	uint32_t lock_cap = cap < (1u << 17) ? 1u << 17 : cap;
	size_t nslots = (size_t)cap * (size_t)ntasks + (nlanes > ntasks ? lock_cap : 0);
	size_t nheads = (size_t)nlanes * TRACE_HEAD_SPANS; /* and counted in nslots */
	size_t head = (sizeof(struct trace) + 63) & ~(size_t)63;
	size_t lanes = ((size_t)nlanes * sizeof(struct trace_lane) + 63) & ~(size_t)63;
	size_t spans = (nslots * sizeof(struct trace_slot) + 63) & ~(size_t)63;
	size_t edges = (TRACE_EDGE_CAP * sizeof(struct trace_edge_slot) + 63) & ~(size_t)63;
	size_t size = head + lanes + spans + edges + trace_log_size();
	int share = (flags & TRACE_SHARED) ? MAP_SHARED : MAP_PRIVATE;
	void *map =
	    mmap(NULL, size, PROT_READ | PROT_WRITE, share | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (map == MAP_FAILED)
		return NULL;
	struct trace *tr = map;
	tr->ntasks = ntasks;
	tr->nlanes = nlanes;
	tr->capacity = ntasks;
	tr->flags = flags;
	tr->map_size = size;
	tr->meta.model = MODEL_SEQUENTIAL;
	tr->lanes = (struct trace_lane *)((char *)map + head);
	tr->slots = (char *)map + head + lanes;
	tr->edges = (char *)map + head + lanes + spans;
	atomic_init(&tr->edge_next, 0);
	atomic_init(&tr->edges_dropped, 0);
	tr->log = (struct trace_log *)((char *)map + head + lanes + spans + edges);
	trace_log_init(tr->log);
	for (int i = 0; i < nlanes; i++) {
		struct trace_lane *ln = &tr->lanes[i];
		ln->head = (uint32_t)i * TRACE_HEAD_SPANS;
		ln->first = (uint32_t)(nheads + (size_t)i * (cap - TRACE_HEAD_SPANS));
		ln->cap = i < ntasks ? cap : lock_cap;
		atomic_init(&ln->count, 0);
		atomic_init(&ln->dropped, 0);
		atomic_init(&ln->outcome, OUTCOME_NONE);
		ln->step = -1;
		atomic_init(&ln->chunks, 0);
		atomic_init(&ln->worker, -1);
	}
	/*
	 * The lanes' first spans: fault their pages in now, before the run's
	 * clock starts, rather than as 10,000 tasks first record (~15 us a
	 * fault under a hypervisor, in the middle of C10k's connects).
	 */
	size_t heads = nheads * sizeof(struct trace_slot);
	for (size_t b = 0; b < heads; b += 4096)
		((volatile char *)tr->slots)[b] = 0;
	((volatile char *)tr->slots)[heads - 1] = 0;
	return tr;
}

struct trace *trace_create(int ntasks, unsigned flags)
{
	return create(ntasks, lane_capacity(ntasks), flags);
}

void trace_destroy(struct trace *tr)
{
	if (tr)
		munmap(tr, tr->map_size);
}

void trace_reset(struct trace *tr)
{
	for (int i = 0; i < tr->nlanes; i++) {
		atomic_store(&tr->lanes[i].count, 0);
		atomic_store(&tr->lanes[i].dropped, 0);
		atomic_store(&tr->lanes[i].outcome, OUTCOME_NONE);
		tr->lanes[i].step = -1;
		atomic_store(&tr->lanes[i].chunks, 0);
		atomic_store(&tr->lanes[i].worker, -1);
	}
	/* Every slot below edge_next was published, so none is being written. */
	uint32_t n = atomic_load(&tr->edge_next);
	struct trace_edge_slot *e = tr->edges;
	for (uint32_t i = 0; i < n && i < TRACE_EDGE_CAP; i++)
		atomic_store(&e[i].ready, 0);
	atomic_store(&tr->edge_next, 0);
	atomic_store(&tr->edges_dropped, 0);
	trace_log_reset(tr->log);
}

void trace_start(struct trace *tr, uint64_t now_ns)
{
	tr->epoch_ns = now_ns;
}

int trace_lock_lane(const struct trace *tr)
{
	return tr->nlanes > tr->ntasks ? tr->ntasks : -1;
}

void trace_set_name(struct trace *tr, int lane, const char *name)
{
	struct trace_lane *ln = &tr->lanes[lane];

	strncpy(ln->name, name, sizeof ln->name - 1);
	ln->name[sizeof ln->name - 1] = '\0';
}

const char *trace_name(const struct trace *tr, int lane)
{
	return tr->lanes[lane].name;
}

void trace_set_thread(struct trace *tr, int lane, const struct trace_thread *th)
{
	tr->lanes[lane].thread = *th;
}

const struct trace_thread *trace_thread(const struct trace *tr, int lane)
{
	return &tr->lanes[lane].thread;
}

struct trace *trace_create_growing(int capacity, int likely)
{
	/* Memory is reserved, not used: the lanes that stay empty cost nothing. */
	struct trace *tr =
	    create(capacity, lane_capacity(likely < capacity ? likely : capacity), 0);

	if (tr)
		tr->ntasks = tr->nlanes = 1;
	return tr;
}

void trace_show_lanes(struct trace *tr, int n)
{
	/* Lanes past the tasks hold a lock lane, which an observed run never has. */
	if (n > tr->ntasks && tr->nlanes == tr->ntasks && n <= tr->capacity) {
		tr->ntasks = n;
		tr->nlanes = n;
	}
}

static struct trace_slot *slot_at(const struct trace *tr, const struct trace_lane *ln, uint32_t i)
{
	if (i < TRACE_HEAD_SPANS)
		return (struct trace_slot *)tr->slots + ln->head + i;
	return (struct trace_slot *)tr->slots + ln->first + (i - TRACE_HEAD_SPANS);
}

uint64_t trace_relative(const struct trace *tr, uint64_t now_ns)
{
	return now_ns > tr->epoch_ns ? now_ns - tr->epoch_ns : 0;
}

static void copy_reason(char *dst, const char *reason)
{
	size_t n = reason ? strnlen(reason, TRACE_REASON_MAX - 1) : 0;

	/* A cut inside a UTF-8 sequence drops the whole character ("—"). */
	if (n == TRACE_REASON_MAX - 1 && reason[n])
		n = escape_utf8_cut(reason, n);

	memcpy(dst, reason ? reason : "", n);
	dst[n] = '\0';
}

/* What a new span is, apart from its times; the reason is not copied twice. */
struct trace_what {
	enum state state;
	int cpu;
	int step;
	enum cause cause;
	int by;
	const char *reason;
};

/* Fills slot N of LANE and publishes it; the caller checked the capacity. */
static void publish_at(struct trace *tr, struct trace_lane *ln, uint32_t n, uint64_t t0,
		       uint64_t t1, const struct trace_what *what)
{
	struct trace_slot *s = slot_at(tr, ln, n);

	s->t0 = t0;
	atomic_store_explicit(&s->t1, t1, memory_order_relaxed);
	s->cpu = what->cpu;
	s->step = what->step;
	s->by = what->by;
	s->state = (uint8_t)what->state;
	s->cause = (uint8_t)what->cause;
	copy_reason(s->reason, what->reason);
	atomic_store_explicit(&ln->count, n + 1, memory_order_release);
}

/* Publishes one span after the last; the caller has closed the previous one. */
static int publish(struct trace *tr, struct trace_lane *ln, uint64_t t0, uint64_t t1,
		   const struct trace_what *what)
{
	uint32_t n = atomic_load_explicit(&ln->count, memory_order_relaxed);

	if (n >= ln->cap) {
		atomic_fetch_add_explicit(&ln->dropped, 1, memory_order_relaxed);
		return -ENOSPC;
	}
	publish_at(tr, ln, n, t0, t1, what);
	return 0;
}

/* The writer's own newest slot if it is still open, else NULL. */
static struct trace_slot *open_slot(struct trace *tr, struct trace_lane *ln)
{
	uint32_t n = atomic_load_explicit(&ln->count, memory_order_relaxed);

	if (n == 0)
		return NULL;
	struct trace_slot *s = slot_at(tr, ln, n - 1);
	return atomic_load_explicit(&s->t1, memory_order_relaxed) == TRACE_OPEN ? s : NULL;
}

void trace_set_step(struct trace *tr, int lane, int step)
{
	tr->lanes[lane].step = step;
}

/* The hot path of every probe: one count load, at most one string compare. */
void trace_enter(struct trace *tr, int lane, uint64_t now_ns, enum state st, int cpu,
		 enum cause cause, int by, const char *reason)
{
	struct trace_lane *ln = &tr->lanes[lane];
	uint32_t n = atomic_load_explicit(&ln->count, memory_order_relaxed);
	uint64_t now = now_ns > tr->epoch_ns ? now_ns - tr->epoch_ns : 0;
	struct trace_slot *s = NULL;

	if (n > 0) {
		s = slot_at(tr, ln, n - 1);
		if (atomic_load_explicit(&s->t1, memory_order_relaxed) != TRACE_OPEN)
			s = NULL;
	}
	if (s && s->state == st && s->cpu == cpu && s->step == ln->step &&
	    strncmp(s->reason, reason ? reason : "", TRACE_REASON_MAX - 1) == 0)
		return;
	if (n >= ln->cap) {
		/* Keep the open span open rather than lose the end of the lane. */
		atomic_fetch_add_explicit(&ln->dropped, 1, memory_order_relaxed);
		return;
	}
	if (s)
		atomic_store_explicit(&s->t1, now < s->t0 ? s->t0 : now, memory_order_release);
	struct trace_what what = {st, cpu, ln->step, cause, by, reason};
	publish_at(tr, ln, n, now, TRACE_OPEN, &what);
}

void trace_close(struct trace *tr, int lane, uint64_t now_ns)
{
	struct trace_lane *ln = &tr->lanes[lane];
	struct trace_slot *s = open_slot(tr, ln);
	uint64_t now = trace_relative(tr, now_ns);

	if (s)
		atomic_store_explicit(&s->t1, now < s->t0 ? s->t0 : now, memory_order_release);
}

void trace_finish(struct trace *tr, int lane, uint64_t now_ns, enum outcome o, int by,
		  const char *reason)
{
	struct trace_lane *ln = &tr->lanes[lane];
	uint64_t now = trace_relative(tr, now_ns);
	enum cause why = o == OUTCOME_CANCELLED ? CAUSE_CANCEL
			 : o == OUTCOME_KILLED	? CAUSE_KILL
						: CAUSE_FINISH;

	trace_close(tr, lane, now_ns);
	if (reason && *reason) {
		struct trace_what what = {STATE_DONE, -1, ln->step, why, by, reason};
		publish(tr, ln, now, now, &what);
	}
	atomic_store_explicit(&ln->outcome, (int)o, memory_order_release);
}

int trace_append(struct trace *tr, int lane, const struct span *sp)
{
	struct trace_what what = {sp->state, sp->cpu, sp->step, sp->cause, sp->by, sp->reason};

	return publish(tr, &tr->lanes[lane], sp->t0, sp->t1, &what);
}

void trace_set_outcome(struct trace *tr, int lane, enum outcome o)
{
	atomic_store_explicit(&tr->lanes[lane].outcome, (int)o, memory_order_release);
}

void trace_count_chunk(struct trace *tr, int lane)
{
	_Atomic uint64_t *n = &tr->lanes[lane].chunks;

	/* One writer: a load and a store, with no locked instruction on the hot path. */
	atomic_store_explicit(n, atomic_load_explicit(n, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

void trace_set_worker(struct trace *tr, int lane, int worker)
{
	atomic_store_explicit(&tr->lanes[lane].worker, worker, memory_order_relaxed);
}

int trace_worker(const struct trace *tr, int lane)
{
	return atomic_load_explicit(&tr->lanes[lane].worker, memory_order_relaxed);
}

void trace_add_chunks(struct trace *tr, int lane, uint64_t n)
{
	atomic_fetch_add_explicit(&tr->lanes[lane].chunks, n, memory_order_relaxed);
}

uint64_t trace_chunks(const struct trace *tr, int lane)
{
	return atomic_load_explicit(&tr->lanes[lane].chunks, memory_order_relaxed);
}

/* ---- edges: many writers, each claims a slot -------------------------------- */

static int edge_put(struct trace *tr, uint64_t t, int from, int to, enum edge_kind kind)
{
	uint32_t i = atomic_fetch_add_explicit(&tr->edge_next, 1, memory_order_relaxed);
	struct trace_edge_slot *e;

	if (i >= TRACE_EDGE_CAP) {
		atomic_fetch_add_explicit(&tr->edges_dropped, 1, memory_order_relaxed);
		return -ENOSPC;
	}
	e = (struct trace_edge_slot *)tr->edges + i;
	e->t = t;
	e->from = from;
	e->to = to;
	e->kind = (uint8_t)kind;
	atomic_store_explicit(&e->ready, 1, memory_order_release);
	return 0;
}

void trace_edge(struct trace *tr, int from, int to, uint64_t now_ns, enum edge_kind kind)
{
	edge_put(tr, trace_relative(tr, now_ns), from, to, kind);
}

int trace_append_edge(struct trace *tr, const struct trace_edge *e)
{
	return edge_put(tr, e->t, e->from, e->to, e->kind);
}

uint32_t trace_edge_count(const struct trace *tr)
{
	uint32_t n = atomic_load_explicit(&tr->edge_next, memory_order_acquire);

	return n < TRACE_EDGE_CAP ? n : TRACE_EDGE_CAP;
}

bool trace_get_edge(const struct trace *tr, uint32_t i, struct trace_edge *out)
{
	const struct trace_edge_slot *e = (const struct trace_edge_slot *)tr->edges + i;

	if (!atomic_load_explicit(&e->ready, memory_order_acquire))
		return false;
	out->t = e->t;
	out->from = e->from;
	out->to = e->to;
	out->kind = (enum edge_kind)e->kind;
	return true;
}

uint64_t trace_edges_dropped(const struct trace *tr)
{
	return atomic_load_explicit(&tr->edges_dropped, memory_order_relaxed);
}

uint32_t trace_count(const struct trace *tr, int lane)
{
	return atomic_load_explicit(&tr->lanes[lane].count, memory_order_acquire);
}

void trace_get(const struct trace *tr, int lane, uint32_t i, struct span *out)
{
	const struct trace_lane *ln = &tr->lanes[lane];
	struct trace_slot *s = slot_at(tr, ln, i);

	out->t1 = atomic_load_explicit(&s->t1, memory_order_acquire);
	out->t0 = s->t0;
	out->cpu = s->cpu;
	out->state = (enum state)s->state;
	memcpy(out->reason, s->reason, TRACE_REASON_MAX);
	out->reason[TRACE_REASON_MAX - 1] = '\0';
	out->step = s->step;
	out->cause = (enum cause)s->cause;
	out->by = s->by;
}

enum outcome trace_outcome(const struct trace *tr, int lane)
{
	return (enum outcome)atomic_load_explicit(&tr->lanes[lane].outcome, memory_order_acquire);
}

uint64_t trace_dropped(const struct trace *tr, int lane)
{
	uint64_t sum = 0;

	if (lane >= 0)
		return atomic_load_explicit(&tr->lanes[lane].dropped, memory_order_relaxed);
	for (int i = 0; i < tr->nlanes; i++)
		sum += atomic_load_explicit(&tr->lanes[i].dropped, memory_order_relaxed);
	return sum;
}

uint64_t trace_lane_start(const struct trace *tr, int lane)
{
	struct span sp;

	if (trace_count(tr, lane) == 0)
		return 0;
	trace_get(tr, lane, 0, &sp);
	return sp.t0;
}

uint64_t trace_lane_end(const struct trace *tr, int lane, uint64_t now_rel_ns)
{
	uint32_t n = trace_count(tr, lane);
	struct span sp;

	if (n == 0)
		return 0;
	trace_get(tr, lane, n - 1, &sp);
	if (sp.t1 == TRACE_OPEN)
		return now_rel_ns > sp.t0 ? now_rel_ns : sp.t0;
	return sp.t1;
}

uint64_t trace_extent(const struct trace *tr, uint64_t now_rel_ns)
{
	uint64_t end = 0;

	for (int i = 0; i < tr->nlanes; i++) {
		uint64_t e = trace_lane_end(tr, i, now_rel_ns);
		if (e > end)
			end = e;
	}
	return end;
}
