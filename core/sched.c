/* core/sched: the frame executor and the in-window cell scheduler at run time (sched.h). */
#include "core/sched_priv.h"

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
/* A partition's choice was written: for sched_gens ("others": not the partition of the
 * slot the CPU is in). */
static void note_choice(struct sched_cpu *c, int32_t part)
{
	c->gens.any++;
	c->gens.choice++;
	if (!c->started || part != c->slot[c->at.cur].part)
		c->gens.others++;
}

static void run_partition(struct sched_cpu *c, uint32_t part, uint64_t now, uint64_t end,
			  struct sched_decision *d)
{
	struct sched_cell *cells = &c->s->cell[(size_t)part * PLAN_CELLS];
	int best = SCHED_IDLE;
	uint64_t next = UINT64_MAX; /* the partition's earliest event */
	uint64_t release_next = UINT64_MAX; /* ... of its releases (for sched_ahead) */

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
				release_next = min_u64(release_next, cl->next_release_ns);
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
	d->next_ns = min_u64(end, min_u64(next, release_next));
	c->s->part[part] = (struct sched_part){
		.due_ns = min_u64(next, release_next), .cell = best, .due_release = release_next < next };
	note_choice(c, part);
}

/* Partition part's last decision no longer holds: its next window start decides. */
static void forget(struct sched_cpu *c, int32_t part)
{
	c->s->part[part].due_ns = 0;
	c->s->part[part].due_release = false;
	note_choice(c, part);
}

/* The CPU is in slot i of frame (base: the frame's start). */
static void place(struct sched_cpu *c, uint64_t frame, uint64_t base, unsigned int i)
{
	const struct sched_slot *sl = &c->slot[i];

	c->started = true;
	c->frame = frame;
	c->frames = frame + 1;
	c->at.base_ns = base;
	c->at.cur = i;
	c->planned_ns = base + sl->start_ns;
	c->at.slot_end_ns = base + sl->end_ns;
}

/* Enter slot i of frame (base: the frame's start): a new window or gap begins. */
static void enter_slot(struct sched_cpu *c, uint64_t frame, uint64_t base, unsigned int i,
		       struct sched_decision *d)
{
	const struct sched_slot *sl = &c->slot[i];

	place(c, frame, base, i);
	c->gens.any++;
	c->gens.pos++;
	if (sl->part != SCHED_IDLE) {
		c->windows++;
		d->window_start = true;
	}
}

/*
 * The table entry after the current one: its index, and the frame and frame start it
 * is in. Written without a branch on the wrap, so that the last slot of a frame costs
 * the same instructions as any other (a window's start does not depend on where in the
 * frame it is).
 */
static inline void next_slot(const struct sched_cpu *c, unsigned int *i, uint64_t *frame,
			     uint64_t *base)
{
	uint64_t wrap = c->at.cur + 1 == c->n_slot; /* 1 past the last slot, else 0 */

	*i = (c->at.cur + 1) & (unsigned int)(wrap - 1);
	*frame = c->frame + wrap;
	*base = c->at.base_ns + (c->s->frame_ns & (0 - wrap));
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

	if (c->started && now < c->at.slot_end_ns)
		return; /* the same slot */
	if (c->started) {
		unsigned int i;
		uint64_t frame, base;

		next_slot(c, &i, &frame, &base);
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

	int32_t part = c->slot[c->at.cur].part;

	d->frame = c->frame;
	d->planned_ns = c->planned_ns;
	d->part = part;
	d->next_ns = c->at.slot_end_ns;
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

/*
 * The timer's fast path. The common window start is a partition whose last decision
 * still holds: nothing of it fell due since (its cached due_ns is after now, and so is
 * the caller's limit for it), so run_partition would release, wake and report nothing
 * and choose the cell it chose last. Then this is the whole of decide(): the next slot,
 * the cached cell, the timer at the slot's end or the partition's next event.
 */
bool sched_timer_fast(struct sched_cpu *c, uint64_t now, const uint64_t *limit,
		      struct sched_decision *d)
{
	unsigned int i;
	uint64_t frame, base;

	if (!c->started || c->idle || now < c->at.slot_end_ns)
		return false;
	next_slot(c, &i, &frame, &base);

	const struct sched_slot *sl = &c->slot[i];
	uint64_t end = base + sl->end_ns;
	int32_t part = sl->part;

	if (now >= end || part == SCHED_IDLE)
		return false;
	const struct sched_part *sp = &c->s->part[part];

	if (sp->due_ns <= now || limit[part] <= now || sp->cell == SCHED_IDLE)
		return false;
	if (now > c->last_now)
		c->last_now = now; /* not idle before: no idle time to count */
	enter_slot(c, frame, base, i, d); /* a window: d->window_start */
	c->part = part;
	c->cell = sp->cell;
	c->next_ns = min_u64(end, sp->due_ns);
	d->part = part;
	d->cell = sp->cell;
	d->next_ns = c->next_ns;
	d->frame = c->frame;
	d->planned_ns = c->planned_ns;
	d->n_events = 0;
	sched_note_switch(c, now);
	return true;
}

const struct sched_at *sched_at(const struct sched_cpu *c)
{
	return &c->at;
}

const struct sched_gens *sched_gens(const struct sched_cpu *c)
{
	return &c->gens;
}

uint64_t sched_fast_advance(struct sched_cpu *c, unsigned int cur, uint64_t base_ns, uint64_t now,
			    uint64_t late_sum, uint64_t late_max)
{
	const struct sched_slot *sl = &c->slot[cur];
	const struct sched_part *sp = &c->s->part[sl->part];
	uint64_t frames = (base_ns - c->at.base_ns) / c->s->frame_ns;
	uint64_t windows = frames * c->n_slot + cur - c->at.cur; /* every slot on was a window */

	/* What enter_slot and sched_timer_fast leave, sched_gens aside: the vector's
	 * tables hold this position already. */
	place(c, c->frame + frames, base_ns, cur);
	c->windows += windows;
	c->fast_windows += windows;
	c->late_n += windows;
	c->late_sum += late_sum;
	if (late_max > c->late_max)
		c->late_max = late_max;
	if (now > c->last_now)
		c->last_now = now;
	c->part = sl->part;
	c->cell = sp->cell;
	c->next_ns = min_u64(c->at.slot_end_ns, sp->due_ns);
	return c->next_ns;
}

/*
 * run_partition at the partition's due time, read only: each cell as it would be then.
 * Refused where run_partition would do more than release (a wake-up, a deadline).
 */
struct sched_ahead sched_ahead(const struct sched *s, uint32_t part)
{
	const struct sched_ahead none = { .cell = SCHED_IDLE };
	const struct sched_cell *cells = &s->cell[(size_t)part * PLAN_CELLS];
	uint64_t due = s->part[part].due_ns, next = UINT64_MAX;
	bool released = false;
	int best = SCHED_IDLE;

	if (!s->part[part].due_release)
		return none; /* a wake-up or a deadline first, or forgotten (decide in full) */
	for (unsigned int k = 0; k < PLAN_CELLS; k++) {
		const struct sched_cell *cl = &cells[k];
		bool ready = cl->state == CELL_READY, active = cl->job_active && !cl->missed;
		uint64_t deadline = cl->deadline_ns;

		if (cl->state == CELL_STOPPED)
			continue;
		if (cl->state == CELL_BLOCKED) {
			if (cl->wake_ns <= due)
				return none;
			next = min_u64(next, cl->wake_ns);
		} else if (cl->state == CELL_WAIT_RELEASE) {
			if (cl->next_release_ns <= due) { /* release() */
				ready = active = released = true;
				deadline = cl->next_release_ns + cl->rel_deadline_ns;
			} else {
				next = min_u64(next, cl->next_release_ns);
			}
		}
		if (active) {
			if (deadline <= due)
				return none;
			next = min_u64(next, deadline);
		}
		if (ready && (best == SCHED_IDLE || cl->priority > cells[best].priority))
			best = (int)k;
	}
	if (!released)
		return none;
	return (struct sched_ahead){ .cell = best, .next_ns = next };
}

bool sched_wake_would_switch(const struct sched *s, uint32_t part, uint32_t cell)
{
	const struct sched_part *sp = &s->part[part];
	const struct sched_cell *cells = &s->cell[(size_t)part * PLAN_CELLS];

	/* Its limit after the due time, or none (the CPU's timer, at the latest its slot's
	 * end, always comes first). */
	if (cell >= PLAN_CELLS || !sp->due_ns || sp->cell == SCHED_IDLE ||
	    cells[cell].state != CELL_BLOCKED ||
	    (cells[cell].wake_ns <= sp->due_ns && cells[cell].wake_ns != UINT64_MAX))
		return false;
	/* As sched_wake_quick: cell order breaks a tie. */
	return cells[cell].priority > cells[sp->cell].priority ||
	       (cells[cell].priority == cells[sp->cell].priority && (int32_t)cell < sp->cell);
}

bool sched_idle_wake_runs(const struct sched_cpu *c, uint32_t part, uint32_t cell, uint64_t *until)
{
	if (!c->started || part >= c->s->n_part || cell >= PLAN_CELLS || c->part != (int32_t)part ||
	    c->cell != SCHED_IDLE || !c->idle ||
	    c->s->cell[(size_t)part * PLAN_CELLS + cell].state != CELL_BLOCKED)
		return false;
	*until = c->next_ns;
	return true;
}

uint64_t sched_fast_release(struct sched_cpu *c, uint64_t now, const struct sched_ahead *a)
{
	int32_t part = c->slot[c->at.cur].part;
	struct sched_cell *cells = &c->s->cell[(size_t)part * PLAN_CELLS];

	for (unsigned int k = 0; k < PLAN_CELLS; k++)
		if (cells[k].state == CELL_WAIT_RELEASE && cells[k].next_release_ns <= now)
			release(&cells[k]);
	/* due_release unknown: sched_ahead refuses until the next run_partition (after a
	 * release the next event is mostly the job's deadline, which it refuses anyway). */
	c->s->part[part] = (struct sched_part){ .due_ns = a->next_ns, .cell = a->cell };
	c->fast_releases++;
	note_choice(c, part);
	if (now > c->last_now)
		c->last_now = now; /* a cell ran: no idle time to count */
	c->part = part;
	c->cell = a->cell;
	c->next_ns = min_u64(c->at.slot_end_ns, a->next_ns);
	return c->next_ns;
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
	forget(c, c->part); /* if the decision moves on to another slot */
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
	forget(c, c->part); /* if the decision moves on to another slot */
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
	forget(c, (int32_t)part);
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
		forget(c, (int32_t)part);
		decide(c, now, d);
		return SCHED_WAKE_DECIDED;
	}
	if (now > c->last_now) { /* as decide() counts idle time */
		if (c->idle)
			c->idle_ns += now - c->last_now;
		c->last_now = now;
	}
	cl->wake_ns = now;
	if ((int32_t)part != c->part) {
		forget(c, (int32_t)part); /* its next window decides */
		return SCHED_WAKE_UNCHANGED; /* woken at its partition's next window */
	}
	cl->state = CELL_READY;
	forget(c, (int32_t)part); /* its sleep's limit may have been the earliest event */
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
	if (part < c->s->n_part)
		forget(c, (int32_t)part);
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
	if (part < c->s->n_part)
		forget(c, (int32_t)part);
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
		.fast_windows = c->fast_windows,
		.fast_releases = c->fast_releases,
	};
}
