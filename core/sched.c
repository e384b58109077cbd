#include "core/sched.h"
#include "core/lib/libc.h"

#define NS_PER_US 1000ULL

/* A cell's states. Running is not a state: the running cell is the CPU's choice
 * among the ready ones. */
enum cell_state {
	CELL_READY,        /* may run when its partition holds the CPU */
	CELL_WAIT_RELEASE, /* periodic: job done, waits for next_release_ns */
	CELL_BLOCKED,      /* sleeps until wake_ns */
	CELL_STOPPED,      /* its partition was stopped */
};

struct sched_cell {
	enum cell_state state;
	uint32_t priority;
	bool periodic;
	bool job_active;          /* periodic: released, periodic wait not yet called */
	bool missed;              /* this job's deadline miss was reported */
	uint64_t period_ns, rel_deadline_ns;
	uint64_t release_ns;      /* the current job's release */
	uint64_t deadline_ns;     /* the current job's absolute deadline */
	uint64_t next_release_ns;
	uint64_t wake_ns;
};

struct sched_cpu {
	const struct sched *s;
	uint32_t cpu;
	const struct sched_slot *slot; /* immutable after sched_build */
	unsigned int n_slot;
	/* Where the CPU is: the current slot, located once by division, then followed
	 * slot by slot (the timer path walks the table: no division, no search). */
	bool started;
	uint64_t frame;
	unsigned int cur;              /* slot index */
	uint64_t base_ns;              /* start of the current frame: epoch + frame * frame_ns */
	uint64_t slot_end_ns;          /* absolute end of the current slot */
	int32_t part, cell;            /* what the last decision runs */
	uint64_t next_ns;              /* the last decision's timer: nothing is due before it */
	uint64_t planned_ns;           /* planned start of the current slot */
	bool idle;                     /* the last decision was to idle */
	uint64_t last_now;
	/* Statistics. */
	uint64_t frames, windows, late_max, late_sum, late_n, idle_ns;
};

static const char *const err_names[SCHED_ERR_COUNT] = {
	[SCHED_OK] = "ok",
	[SCHED_ERR_MEMORY] = "scheduler memory too small or misaligned",
	[SCHED_ERR_FRAME] = "major frame is zero",
	[SCHED_ERR_WINDOW] = "window empty, out of order, overlapping or past the major frame",
	[SCHED_ERR_PARTITION] = "window names an unknown partition or one on another CPU",
	[SCHED_ERR_CPU] = "CPU scheduled twice",
	[SCHED_ERR_NAME] = "two partitions share a name",
	[SCHED_ERR_CELL] = "cell priority or timing out of range",
	[SCHED_ERR_NO_CELL] = "no cell running on this CPU",
	[SCHED_ERR_NOT_PERIODIC] = "periodic wait from a cell without a period",
};

const char *sched_strerror(enum sched_err e)
{
	return (unsigned int)e < SCHED_ERR_COUNT ? err_names[e] : "unknown scheduler error";
}

/* A CPU's table holds its windows and at most one idle gap before each and one after. */
static size_t slots_for(const struct plan_cpu *pc)
{
	return 2 * (size_t)pc->n + 1;
}

size_t sched_mem_bytes(const struct plan *p)
{
	size_t slots = 0;

	for (unsigned int i = 0; i < p->n_sched; i++)
		slots += slots_for(&p->sched[i]);
	return p->n_sched * sizeof(struct sched_cpu) +
	       (size_t)p->n_part * PLAN_CELLS * sizeof(struct sched_cell) +
	       slots * sizeof(struct sched_slot) + (size_t)p->n_part * sizeof(uint32_t);
}

/*
 * Partition indices sorted by name (heapsort: no recursion, n log n), so that each
 * window finds its partition by binary search: building stays n log n on big plans.
 */
static int name_cmp(const struct plan *p, uint32_t a, uint32_t b)
{
	return BH_LIBC(strcmp)(p->part[a].name, p->part[b].name);
}

static void sift_down(const struct plan *p, uint32_t *v, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && name_cmp(p, v[child], v[child + 1]) < 0)
			child++;
		if (name_cmp(p, v[root], v[child]) >= 0)
			return;
		uint32_t t = v[root];
		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

static void sort_by_name(const struct plan *p, uint32_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (uint32_t)i;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(p, v, i, n);
	for (size_t end = n; end-- > 1;) {
		uint32_t t = v[0];
		v[0] = v[end];
		v[end] = t;
		sift_down(p, v, 0, end);
	}
}

/* Index of the partition called name, or -1. */
static int find_by_name(const struct plan *p, const uint32_t *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = BH_LIBC(strcmp)(p->part[v[mid]].name, name);

		if (c == 0)
			return (int)v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static enum sched_err check_cell(const struct plan_cell *pc)
{
	if (pc->priority < 1 || pc->priority > PLAN_MAX_PRIORITY)
		return SCHED_ERR_CELL;
	if (pc->periodic && (pc->period_us == 0 || pc->deadline_us == 0 ||
			     pc->deadline_us > pc->period_us || pc->wcet_us > pc->deadline_us))
		return SCHED_ERR_CELL;
	return SCHED_OK;
}

static void init_cell(struct sched_cell *c, const struct plan_cell *pc, uint64_t epoch_ns)
{
	*c = (struct sched_cell){ .priority = pc->priority, .periodic = pc->periodic };
	if (pc->periodic) {
		c->period_ns = pc->period_us * NS_PER_US;
		c->rel_deadline_ns = pc->deadline_us * NS_PER_US;
		c->next_release_ns = epoch_ns; /* first release at the epoch */
		c->state = CELL_WAIT_RELEASE;
	} else {
		c->state = CELL_READY;
	}
}

/* Windows of one CPU into slots, idle gaps explicit. The windows must be sorted. */
static enum sched_err build_slots(const struct plan *p, const uint32_t *by_name,
				  const struct plan_cpu *pc, uint64_t frame_ns, struct sched_slot *out,
				  unsigned int *n_out)
{
	uint64_t prev = 0;
	unsigned int n = 0;

	for (unsigned int w = 0; w < pc->n; w++) {
		const struct plan_window *pw = &pc->w[w];
		uint64_t start = pw->offset_us * NS_PER_US;
		uint64_t end = start + pw->duration_us * NS_PER_US;
		int part = find_by_name(p, by_name, p->n_part, pw->partition);

		if (pw->duration_us == 0 || start < prev || end > frame_ns)
			return SCHED_ERR_WINDOW;
		if (part < 0 || p->part[part].cpu != pc->cpu)
			return SCHED_ERR_PARTITION;
		if (start > prev)
			out[n++] = (struct sched_slot){ prev, start, SCHED_IDLE };
		out[n++] = (struct sched_slot){ start, end, part };
		prev = end;
	}
	if (prev < frame_ns)
		out[n++] = (struct sched_slot){ prev, frame_ns, SCHED_IDLE };
	*n_out = n;
	return SCHED_OK;
}

enum sched_err sched_build(struct sched *s, const struct plan *p, uint64_t epoch_ns, void *mem,
			   size_t bytes)
{
	enum sched_err e;

	if (!mem || bytes < sched_mem_bytes(p) || !IS_ALIGNED((uintptr_t)mem, 16))
		return SCHED_ERR_MEMORY;
	if (p->major_frame_us == 0)
		return SCHED_ERR_FRAME;
	for (unsigned int i = 0; i < p->n_sched; i++)
		for (unsigned int j = 0; j < i; j++) /* CPUs: at most PLAN_MAX_CPUS */
			if (p->sched[i].cpu == p->sched[j].cpu)
				return SCHED_ERR_CPU;
	for (unsigned int i = 0; i < p->n_part; i++)
		for (unsigned int k = 0; k < PLAN_CELLS; k++)
			if ((e = check_cell(&p->part[i].cell[k])) != SCHED_OK)
				return e;

	*s = (struct sched){ .epoch_ns = epoch_ns,
			     .frame_ns = p->major_frame_us * NS_PER_US,
			     .n_cpu = p->n_sched,
			     .n_part = p->n_part };
	s->cpu = mem;
	s->cell = (struct sched_cell *)(s->cpu + p->n_sched);
	struct sched_slot *slot = (struct sched_slot *)(s->cell + (size_t)p->n_part * PLAN_CELLS);
	size_t n_slots = 0;

	for (unsigned int i = 0; i < p->n_sched; i++)
		n_slots += slots_for(&p->sched[i]);
	uint32_t *by_name = (uint32_t *)(slot + n_slots);

	sort_by_name(p, by_name, p->n_part);
	for (unsigned int i = 1; i < p->n_part; i++)
		if (name_cmp(p, by_name[i - 1], by_name[i]) == 0)
			return SCHED_ERR_NAME;

	for (unsigned int i = 0; i < p->n_part; i++)
		for (unsigned int k = 0; k < PLAN_CELLS; k++)
			init_cell(&s->cell[i * PLAN_CELLS + k], &p->part[i].cell[k], epoch_ns);
	for (unsigned int i = 0; i < p->n_sched; i++) {
		struct sched_cpu *c = &s->cpu[i];
		unsigned int n;

		e = build_slots(p, by_name, &p->sched[i], s->frame_ns, slot, &n);
		if (e != SCHED_OK)
			return e;
		*c = (struct sched_cpu){ .s = s, .cpu = p->sched[i].cpu, .slot = slot, .n_slot = n,
					 .part = SCHED_IDLE, .cell = SCHED_IDLE, .idle = true,
					 .last_now = epoch_ns };
		slot += n;
	}
	return SCHED_OK;
}

struct sched_cpu *sched_cpu(struct sched *s, uint32_t cpu)
{
	for (unsigned int i = 0; i < s->n_cpu; i++)
		if (s->cpu[i].cpu == cpu)
			return &s->cpu[i];
	return NULL;
}

const struct sched_slot *sched_slots(const struct sched_cpu *c, unsigned int *n)
{
	*n = c->n_slot;
	return c->slot;
}

/* The slot holding frame offset off: the last one starting at or before it. */
static unsigned int find_slot(const struct sched_cpu *c, uint64_t off)
{
	unsigned int lo = 0, hi = c->n_slot; /* answer in [lo, hi) */

	while (hi - lo > 1) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (c->slot[mid].start_ns <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static void release(struct sched_cell *cl)
{
	cl->release_ns = cl->next_release_ns;
	cl->deadline_ns = cl->release_ns + cl->rel_deadline_ns;
	cl->next_release_ns += cl->period_ns;
	cl->job_active = true;
	cl->missed = false;
	cl->state = CELL_READY;
}

/*
 * The partition holds the CPU until end: release and wake its due cells, report
 * deadlines passed, pick the highest-priority ready cell, and bring the timer
 * forward to the partition's next release, wake-up or deadline inside the window.
 */
static void run_partition(struct sched_cpu *c, uint32_t part, uint64_t now, uint64_t end,
			  struct sched_decision *d)
{
	struct sched_cell *cells = &c->s->cell[(size_t)part * PLAN_CELLS];
	int best = SCHED_IDLE;
	uint64_t next = end;

	for (unsigned int k = 0; k < PLAN_CELLS; k++) {
		struct sched_cell *cl = &cells[k];

		if (cl->state == CELL_STOPPED)
			continue;
		if (cl->state == CELL_BLOCKED) {
			if (cl->wake_ns <= now)
				cl->state = CELL_READY;
			else
				next = min_u64(next, cl->wake_ns);
		} else if (cl->state == CELL_WAIT_RELEASE) {
			if (cl->next_release_ns <= now)
				release(cl);
			else
				next = min_u64(next, cl->next_release_ns);
		}
		if (cl->job_active && !cl->missed) {
			if (cl->deadline_ns <= now) {
				cl->missed = true;
				d->ev[d->n_events++] = (struct sched_event){
					.kind = SCHED_EV_DEADLINE_MISS, .part = part, .cell = k,
					.release_ns = cl->release_ns, .deadline_ns = cl->deadline_ns,
					.detected_ns = now };
			} else {
				next = min_u64(next, cl->deadline_ns);
			}
		}
		if (cl->state == CELL_READY && (best == SCHED_IDLE || cl->priority > cells[best].priority))
			best = (int)k;
	}
	d->cell = best;
	d->next_ns = next;
}

/* Enter slot i of frame (base: the frame's start): a new window or gap begins. */
static void enter_slot(struct sched_cpu *c, uint64_t frame, uint64_t base, unsigned int i,
		       struct sched_decision *d)
{
	const struct sched_slot *sl = &c->slot[i];

	c->started = true;
	c->frame = frame;
	c->frames = frame + 1;
	c->base_ns = base;
	c->cur = i;
	c->planned_ns = base + sl->start_ns;
	c->slot_end_ns = base + sl->end_ns;
	if (sl->part != SCHED_IDLE) {
		c->windows++;
		d->window_start = true;
	}
}

/*
 * Bring the CPU's slot up to now (at or after the epoch). The common case is the timer
 * at the current slot's end: the next entry of the table (the frame wraps with one
 * addition). Only the first step, or a jump past the next slot (the CPU was held up
 * longer than a whole slot), locates the slot from the epoch by division.
 */
static void follow_slots(struct sched_cpu *c, uint64_t now, struct sched_decision *d)
{
	const struct sched *s = c->s;

	if (c->started && now < c->slot_end_ns)
		return; /* the same slot */
	if (c->started) {
		/* Written without a branch on the wrap, so that the last slot of a frame
		 * costs the same instructions as any other (a window's start does not
		 * depend on where in the frame it is). */
		uint64_t wrap = c->cur + 1 == c->n_slot; /* 1 past the last slot, else 0 */
		unsigned int i = (c->cur + 1) & (unsigned int)(wrap - 1);
		uint64_t frame = c->frame + wrap;
		uint64_t base = c->base_ns + (s->frame_ns & (0 - wrap));

		if (now < base + c->slot[i].end_ns) {
			enter_slot(c, frame, base, i, d);
			return;
		}
	}
	/* Boundaries from the epoch by multiplication: nothing accumulates. */
	uint64_t t = now - s->epoch_ns;
	uint64_t frame = t / s->frame_ns;

	enter_slot(c, frame, s->epoch_ns + frame * s->frame_ns, find_slot(c, t - frame * s->frame_ns),
		   d);
}

/* The decision's fields (the events array is filled only up to n_events). */
static void decision_init(struct sched_decision *d)
{
	d->part = SCHED_IDLE;
	d->cell = SCHED_IDLE;
	d->window_start = false;
	d->n_events = 0;
}

static void decide(struct sched_cpu *c, uint64_t now, struct sched_decision *d)
{
	const struct sched *s = c->s;

	decision_init(d);
	if (now > c->last_now) {
		if (c->idle)
			c->idle_ns += now - c->last_now;
		c->last_now = now;
	}
	if (now < s->epoch_ns) {
		d->next_ns = s->epoch_ns;
		d->planned_ns = s->epoch_ns;
		d->frame = 0;
		c->part = c->cell = SCHED_IDLE;
		c->idle = true;
		c->next_ns = d->next_ns;
		return;
	}
	follow_slots(c, now, d);

	int32_t part = c->slot[c->cur].part;

	d->frame = c->frame;
	d->planned_ns = c->planned_ns;
	d->part = part;
	d->next_ns = c->slot_end_ns;
	if (part != SCHED_IDLE)
		run_partition(c, (uint32_t)part, now, d->next_ns, d);
	c->part = d->part;
	c->cell = d->cell;
	c->idle = d->cell == SCHED_IDLE;
	c->next_ns = d->next_ns;
}

void sched_on_timer(struct sched_cpu *c, uint64_t now, struct sched_decision *d)
{
	decide(c, now, d);
}

static struct sched_cell *running(struct sched_cpu *c)
{
	if (c->part == SCHED_IDLE || c->cell == SCHED_IDLE)
		return NULL;
	return &c->s->cell[(size_t)c->part * PLAN_CELLS + (size_t)c->cell];
}

enum sched_err sched_on_periodic_wait(struct sched_cpu *c, uint64_t now, struct sched_decision *d)
{
	struct sched_cell *cl = running(c);
	uint64_t release_ns;

	if (!cl)
		return SCHED_ERR_NO_CELL;
	if (!cl->periodic)
		return SCHED_ERR_NOT_PERIODIC;
	cl->job_active = false;
	cl->missed = false;
	cl->state = CELL_WAIT_RELEASE;
	release_ns = cl->next_release_ns;
	decide(c, now, d);
	d->release_ns = release_ns;
	return SCHED_OK;
}

enum sched_err sched_on_block(struct sched_cpu *c, uint64_t wake_at, uint64_t now,
			      struct sched_decision *d)
{
	struct sched_cell *cl = running(c);

	if (!cl)
		return SCHED_ERR_NO_CELL;
	cl->state = CELL_BLOCKED;
	cl->wake_ns = wake_at;
	decide(c, now, d);
	return SCHED_OK;
}

bool sched_wake(struct sched_cpu *c, uint32_t part, uint32_t cell, uint64_t now,
		struct sched_decision *d)
{
	struct sched_cell *cl;

	if (part >= c->s->n_part || cell >= PLAN_CELLS)
		return false;
	cl = &c->s->cell[(size_t)part * PLAN_CELLS + cell];
	if (cl->state != CELL_BLOCKED)
		return false;
	cl->wake_ns = now;
	decide(c, now, d);
	return true;
}

/*
 * Before the last decision's timer nothing is due: no slot ends, no cell of the holder
 * is released, wakes or passes its deadline (each is in that minimum). A decision
 * taken again then differs from the last one only by what the woken cell changes.
 */
enum sched_wake_result sched_wake_quick(struct sched_cpu *c, uint32_t part, uint32_t cell,
					uint64_t now, struct sched_decision *d)
{
	struct sched_cell *cl;

	if (part >= c->s->n_part || cell >= PLAN_CELLS)
		return SCHED_WAKE_NOT_ASLEEP;
	cl = &c->s->cell[(size_t)part * PLAN_CELLS + cell];
	if (cl->state != CELL_BLOCKED)
		return SCHED_WAKE_NOT_ASLEEP;
	/* A wake-up that may end the holder's earliest pending event (its own sleep's
	 * limit is the timer) changes the timer: the full decision. */
	if (!c->started || now < c->s->epoch_ns || now >= c->next_ns ||
	    ((int32_t)part == c->part && cl->wake_ns <= c->next_ns)) {
		cl->wake_ns = now;
		decide(c, now, d);
		return SCHED_WAKE_DECIDED;
	}
	if (now > c->last_now) { /* as decide() counts idle time */
		if (c->idle)
			c->idle_ns += now - c->last_now;
		c->last_now = now;
	}
	cl->wake_ns = now;
	if ((int32_t)part != c->part)
		return SCHED_WAKE_UNCHANGED; /* woken at its partition's next window */
	cl->state = CELL_READY;
	if (c->cell != SCHED_IDLE) {
		const struct sched_cell *run = &c->s->cell[(size_t)part * PLAN_CELLS + (size_t)c->cell];

		/* Cell order breaks a tie, as in run_partition. */
		if (cl->priority < run->priority ||
		    (cl->priority == run->priority && (int32_t)cell > c->cell))
			return SCHED_WAKE_UNCHANGED;
	}
	decision_init(d);
	d->part = c->part;
	d->cell = (int32_t)cell;
	d->next_ns = c->next_ns;
	d->frame = c->frame;
	d->planned_ns = c->planned_ns;
	c->cell = d->cell;
	c->idle = false;
	return SCHED_WAKE_SWITCH;
}

void sched_stop_partition(struct sched_cpu *c, uint32_t part, uint64_t now,
			  struct sched_decision *d)
{
	if (part < c->s->n_part)
		for (unsigned int k = 0; k < PLAN_CELLS; k++) {
			struct sched_cell *cl = &c->s->cell[(size_t)part * PLAN_CELLS + k];

			cl->state = CELL_STOPPED;
			cl->job_active = false;
		}
	decide(c, now, d);
}

void sched_restart_partition(struct sched_cpu *c, uint32_t part, uint64_t now,
			     struct sched_decision *d)
{
	const uint64_t epoch = c->s->epoch_ns;

	if (part < c->s->n_part)
		for (unsigned int k = 0; k < PLAN_CELLS; k++) {
			struct sched_cell *cl = &c->s->cell[(size_t)part * PLAN_CELLS + k];

			cl->job_active = false;
			cl->missed = false;
			if (!cl->periodic) {
				cl->state = CELL_READY;
				continue;
			}
			/* The first period boundary at or after now: releases stay on the grid. */
			uint64_t n = now > epoch ? (now - epoch + cl->period_ns - 1) / cl->period_ns : 0;
			cl->next_release_ns = epoch + n * cl->period_ns;
			cl->state = CELL_WAIT_RELEASE;
		}
	decide(c, now, d);
}

void sched_note_switch(struct sched_cpu *c, uint64_t actual_ns)
{
	uint64_t late = actual_ns > c->planned_ns ? actual_ns - c->planned_ns : 0;

	if (late > c->late_max)
		c->late_max = late;
	c->late_sum += late;
	c->late_n++;
}

/* part per million of whole (part <= whole), without 128-bit division. */
static uint64_t ppm(uint64_t part, uint64_t whole)
{
	while (part > UINT64_MAX / 1000000u) {
		part >>= 1;
		whole >>= 1;
	}
	return whole ? part * 1000000u / whole : 0;
}

void sched_get_stats(const struct sched_cpu *c, struct sched_stats *out)
{
	uint64_t elapsed = c->last_now - c->s->epoch_ns;

	*out = (struct sched_stats){
		.frames = c->frames,
		.windows = c->windows,
		.lateness_max_ns = c->late_max,
		.lateness_mean_ns = c->late_n ? c->late_sum / c->late_n : 0,
		.idle_ppm = ppm(c->idle_ns, elapsed),
	};
}
