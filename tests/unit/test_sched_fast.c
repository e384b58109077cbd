/*
 * core/sched.c: the timer's fast step (sched_timer_fast) against the full decision.
 * Two schedulers are built from the same random plan; one takes the fast step whenever
 * it says it applies, the other always decides in full (noting each window start as the
 * kernel does). Fed the same random events, they must give the same decisions and the
 * same statistics, and the fast step must actually be taken.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "core/sched.h"
#include "hal/fastwin.h"

#define US 1000ULL
#define EPOCH 5000000ULL
#define PARTS 4
#define WINDOWS 8

struct twin {
	struct plan plan;
	struct plan_partition part[PARTS];
	struct plan_window w[WINDOWS];
	struct sched fast, full;
	void *mem_fast, *mem_full;
	uint64_t limit[PARTS];
	uint64_t now;
	unsigned int fast_taken, fast_refused;
};

static uint32_t rnd(uint32_t *seed, uint32_t n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 8) % n;
}

/* How random_plan makes cells: periodic one in periodic_one_in, periods in ms; or (the
 * release steps' test) all periodic with periods of a few hundred us, so that many
 * releases fall inside windows. */
static unsigned int periodic_one_in = 3;
static unsigned int wake_steps_foreseen; /* wake-ups sched_wake_would_switch foresaw */
static bool short_periods;

/* A random plan on CPU 0: 2..4 partitions, windows in frame order (each partition has
 * at least one), idle gaps sometimes; cells periodic or not, random priorities. */
static void random_plan(struct twin *t, uint32_t *seed)
{
	unsigned int n = 2 + rnd(seed, PARTS - 1), nw = n + rnd(seed, WINDOWS - n + 1);
	uint32_t off = 0;

	memset(t, 0, sizeof(*t));
	t->plan.version = PLAN_VERSION;
	t->plan.part = t->part;
	t->plan.n_part = n;
	for (unsigned int i = 0; i < n; i++) {
		t->part[i].name[0] = (char)('a' + i);
		for (unsigned int k = 0; k < PLAN_CELLS; k++) {
			struct plan_cell *c = &t->part[i].cell[k];

			c->priority = 1 + rnd(seed, 30);
			c->stack_bytes = 4096;
			if (!rnd(seed, periodic_one_in)) {
				c->periodic = true;
				c->period_us = short_periods ? 100 * (1 + rnd(seed, 8)) : 1000 * (1 + rnd(seed, 16));
				c->deadline_us = c->period_us / (1 + rnd(seed, 2));
				c->wcet_us = 1;
			}
		}
	}
	t->plan.n_sched = 1;
	t->plan.sched[0].cpu = 0;
	t->plan.sched[0].w = t->w;
	t->plan.sched[0].n = nw;
	for (unsigned int k = 0; k < nw; k++) {
		off += rnd(seed, 3) ? 0 : 100 * rnd(seed, 5); /* an idle gap sometimes */
		t->w[k].partition[0] = (char)('a' + (k < n ? k : rnd(seed, n)));
		t->w[k].offset_us = off;
		t->w[k].duration_us = 200 * (1 + rnd(seed, 6));
		off += t->w[k].duration_us;
	}
	t->plan.major_frame_us = off + 100 * rnd(seed, 3);
}

static void build_both(struct twin *t)
{
	size_t bytes = sched_mem_bytes(&t->plan);

	t->mem_fast = aligned_alloc(16, (bytes + 15) / 16 * 16);
	t->mem_full = aligned_alloc(16, (bytes + 15) / 16 * 16);
	cr_assert(t->mem_fast && t->mem_full);
	cr_assert_eq(sched_build(&t->fast, &t->plan, EPOCH, t->mem_fast, bytes), SCHED_OK);
	cr_assert_eq(sched_build(&t->full, &t->plan, EPOCH, t->mem_full, bytes), SCHED_OK);
	for (unsigned int i = 0; i < PARTS; i++)
		t->limit[i] = UINT64_MAX;
}

static void same(const struct sched_decision *a, const struct sched_decision *b, uint64_t now)
{
	cr_assert_eq(a->part, b->part, "part at %llu", (unsigned long long)now);
	cr_assert_eq(a->cell, b->cell, "cell at %llu", (unsigned long long)now);
	cr_assert_eq(a->next_ns, b->next_ns, "next at %llu: %llu (fast) against %llu", (unsigned long long)now,
		     (unsigned long long)a->next_ns, (unsigned long long)b->next_ns);
	cr_assert_eq(a->window_start, b->window_start, "window start at %llu", (unsigned long long)now);
	cr_assert_eq(a->n_events, b->n_events);
	if (a->window_start) {
		cr_assert_eq(a->frame, b->frame);
		cr_assert_eq(a->planned_ns, b->planned_ns);
	}
}

static void twin_free(struct twin *t)
{
	free(t->mem_fast);
	free(t->mem_full);
	free(t);
}

/* Both schedulers' statistics agree. */
static void same_stats(struct twin *t)
{
	struct sched_stats sf, sl;

	sched_get_stats(sched_cpu(&t->fast, 0), &sf);
	sched_get_stats(sched_cpu(&t->full, 0), &sl);
	cr_assert_eq(sf.frames, sl.frames);
	cr_assert_eq(sf.windows, sl.windows);
	cr_assert_eq(sf.lateness_max_ns, sl.lateness_max_ns);
	cr_assert_eq(sf.lateness_mean_ns, sl.lateness_mean_ns);
	cr_assert_eq(sf.idle_ppm, sl.idle_ppm);
}

/* The timer at t->now: fast if it applies (then it noted the switch itself), else full. */
static void timer(struct twin *t, struct sched_decision *df, struct sched_decision *dl)
{
	struct sched_cpu *cf = sched_cpu(&t->fast, 0), *cl = sched_cpu(&t->full, 0);

	if (sched_timer_fast(cf, t->now, t->limit, df)) {
		t->fast_taken++;
	} else {
		t->fast_refused++;
		sched_on_timer(cf, t->now, df);
		if (df->window_start)
			sched_note_switch(cf, t->now);
	}
	sched_on_timer(cl, t->now, dl);
	if (dl->window_start)
		sched_note_switch(cl, t->now);
	same(df, dl, t->now);
}

/* A random partition stops (one time in 8) or restarts, in both schedulers alike. */
static void stop_or_restart(struct twin *t, uint32_t *seed, struct sched_decision *df,
			    struct sched_decision *dl)
{
	struct sched_cpu *cf = sched_cpu(&t->fast, 0), *cl = sched_cpu(&t->full, 0);
	uint32_t part = rnd(seed, t->plan.n_part);

	if (!rnd(seed, 8)) {
		sched_stop_partition(cf, part, t->now, df);
		sched_stop_partition(cl, part, t->now, dl);
	} else {
		sched_restart_partition(cf, part, t->now, df);
		sched_restart_partition(cl, part, t->now, dl);
	}
}

/* Returns how many timer decisions took the fast step (*timers: how many there were). */
static unsigned int run_random(uint32_t seed, unsigned int steps, unsigned int *timers)
{
	unsigned int taken;
	struct twin *t = malloc(sizeof(*t));
	struct sched_decision df, dl;

	cr_assert_not_null(t);
	random_plan(t, &seed);
	build_both(t);
	t->now = EPOCH;
	timer(t, &df, &dl);
	for (unsigned int i = 0; i < steps; i++) {
		struct sched_cpu *cf = sched_cpu(&t->fast, 0), *cl = sched_cpu(&t->full, 0);
		uint32_t what = rnd(&seed, 10);

		/* Mostly the timer at its deadline (sometimes late); else a call of the
		 * running cell, a wake-up, a stop or restart, a limit that passes. */
		if (what < 5 || dl.cell == SCHED_IDLE) {
			t->now = dl.next_ns + (rnd(&seed, 4) ? 0 : rnd(&seed, 300) * US);
			timer(t, &df, &dl);
			continue;
		}
		t->now += rnd(&seed, 50) * US;
		/* Past the timer: sometimes the call comes first (its interrupt was masked),
		 * so its decision moves on to the next slot. */
		if (t->now >= dl.next_ns && rnd(&seed, 2)) {
			timer(t, &df, &dl);
			continue;
		}
		if (what == 5) {
			enum sched_err ef = sched_on_periodic_wait(cf, t->now, &df);

			cr_assert_eq(ef, sched_on_periodic_wait(cl, t->now, &dl));
		} else if (what == 6) {
			uint64_t until = t->now + rnd(&seed, 3000) * US;

			cr_assert_eq(sched_on_block(cf, until, t->now, &df), SCHED_OK);
			cr_assert_eq(sched_on_block(cl, until, t->now, &dl), SCHED_OK);
		} else if (what == 7) {
			uint32_t part = rnd(&seed, t->plan.n_part), cell = rnd(&seed, PLAN_CELLS);
			if (rnd(&seed, 2)) {
				/* The full wake-up (a cell restart's). */
				bool wf = sched_wake(cf, part, cell, t->now, &df);

				cr_assert_eq(wf, sched_wake(cl, part, cell, t->now, &dl));
				if (!wf)
					continue;
			} else {
				enum sched_wake_result rf = sched_wake_quick(cf, part, cell, t->now, &df);

				cr_assert_eq(rf, sched_wake_quick(cl, part, cell, t->now, &dl));
				if (rf == SCHED_WAKE_NOT_ASLEEP || rf == SCHED_WAKE_UNCHANGED)
					continue;
			}
		} else if (what == 8) {
			stop_or_restart(t, &seed, &df, &dl);
		} else {
			/* The caller's limit for a partition passes (e.g. its monitor must look);
			 * the fast scheduler must then decide in full. */
			t->limit[rnd(&seed, t->plan.n_part)] = rnd(&seed, 4) ? UINT64_MAX : t->now;
			continue;
		}
		same(&df, &dl, t->now);
		if (df.window_start) {
			sched_note_switch(cf, t->now);
			sched_note_switch(cl, t->now);
		}
	}
	same_stats(t);
	taken = t->fast_taken;
	*timers = t->fast_taken + t->fast_refused;
	twin_free(t);
	return taken;
}

Test(sched_fast, gives_the_full_decision_on_random_plans_and_events)
{
	unsigned int taken = 0, timers = 0;

	for (uint32_t seed = 1; seed <= 300; seed++) {
		unsigned int n;

		taken += run_random(seed, 400, &n);
		timers += n;
	}
	/* The comparison is only worth something if the fast step ran often. */
	cr_assert_gt(taken, timers / 20, "fast step taken %u times of %u", taken, timers);
}

/* A plain two-partition frame: every window start after the first of each partition
 * resumes its choice, so from then on the fast step takes each one. */
Test(sched_fast, takes_every_plain_window_start)
{
	struct twin *t = calloc(1, sizeof(*t));
	struct sched_decision df, dl;

	cr_assert_not_null(t);
	t->plan.version = PLAN_VERSION;
	t->plan.part = t->part;
	t->plan.n_part = 2;
	for (unsigned int i = 0; i < 2; i++) {
		t->part[i].name[0] = (char)('a' + i);
		for (unsigned int k = 0; k < PLAN_CELLS; k++)
			t->part[i].cell[k] = (struct plan_cell){ .priority = 10 + k, .stack_bytes = 4096 };
		strcpy(t->w[i].partition, t->part[i].name);
		t->w[i].offset_us = 1000 * i;
		t->w[i].duration_us = 1000;
	}
	t->plan.n_sched = 1;
	t->plan.sched[0] = (struct plan_cpu){ .cpu = 0, .w = t->w, .n = 2 };
	t->plan.major_frame_us = 2000;
	build_both(t);
	t->now = EPOCH;
	timer(t, &df, &dl);
	for (unsigned int i = 0; i < 100; i++) {
		t->now = dl.next_ns;
		timer(t, &df, &dl);
		cr_assert_eq(dl.part, (int32_t)((i + 1) % 2));
		cr_assert_eq(dl.cell, 1);
	}
	/* The first window of each decides in full (nothing cached yet); all others fast. */
	cr_assert_eq(t->fast_refused, 2);
	cr_assert_eq(t->fast_taken, 99);
	/* A limit at or before now refuses it. */
	t->limit[1] = dl.next_ns;
	t->now = dl.next_ns;
	cr_assert_not(sched_timer_fast(sched_cpu(&t->fast, 0), t->now, t->limit, &df));
	twin_free(t);
}

/*
 * The HAL's window fast path (hal/fastwin.h, the IRQ vector in hal/aarch64/entry.S)
 * against the full decision. The vector is modelled here instruction for instruction
 * in C over the same struct fastwin; its tables are computed as core/run_fast.c does
 * (an entry per partition whose choice holds and whose limit is not 0; the limit the
 * earliest of their dues and limits), and only when the scheduler's counter
 * (sched_gen) moved or a limit came earlier, as the kernel does. The scheduler behind
 * the vector hears of its window starts only at the next call (sched_fast_advance).
 * Decisions and statistics must be those of a scheduler that decides everything.
 */
#define CTX(part, cell) ((struct el0_ctx *)(uintptr_t)(0x1000u + 16u * (unsigned int)(part) + (unsigned int)(cell)))

struct vec_model {
	struct fastwin f;
	struct fastwin_entry entry[1 + PARTS];
	const struct fastwin_slot *first;
	struct sched_gens seen;
	int32_t seen_part;
	uint64_t seen_end;
	bool all;
	unsigned int taken, releases;
	uint64_t armed; /* the compare value the vector set at its last step */
};

static uint64_t min3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* The release step (fw_release, fw_window_release): entry e's foreseen decision, taken
 * at now; once until the kernel catches up (the limit goes to 0). */
static bool release_step(struct fastwin *f, const struct fastwin_entry *e, uint64_t now,
			 struct el0_ctx **ctx, uint64_t *until)
{
	if (!e->rel_ctx || now < e->until || now >= e->rel_limit)
		return false;
	*ctx = e->rel_ctx;
	*until = e->rel_next;
	f->step_now = now;
	f->limit = 0;
	return true;
}

/* The vector's checks and its commit (entry.S, el0_irq_entry); false: to the kernel.
 * *rel: it was (or included) a release step. *armed: the compare value it set. */
static bool vector(struct fastwin *f, uint64_t now, struct el0_ctx **ctx, bool *rel, uint64_t *armed)
{
	const struct fastwin_slot *next = f->cur->next;
	uint64_t base = f->base + f->cur->advance_ns, end = base + next->end_ns, late, until, limit = f->limit;
	const struct fastwin_entry *e = &f->entries[next->part];

	*rel = false;
	if (now < f->slot_end) { /* inside the slot: fw_release */
		if (now >= f->limit || !release_step(f, &f->entries[f->cur->part], now, ctx, &until))
			return false;
		*rel = true;
		*armed = min3(f->slot_end, until, limit);
		return true;
	}
	if (now >= f->limit || now >= end || !e->ctx)
		return false;
	until = e->until;
	*ctx = e->ctx;
	if (now >= e->until) {
		if (!release_step(f, e, now, ctx, &until))
			return false;
		*rel = true;
	}
	*armed = min3(end, until, limit);
	late = now - f->slot_end;
	f->late_sum += late;
	f->late_max = late > f->late_max ? late : f->late_max;
	f->late_min = late < f->late_min ? late : f->late_min;
	f->now = now;
	f->slot_end = end;
	f->cur = next;
	f->base = base;
	return true;
}

/* run_fast_in: the scheduler catches up before anything else looks at it: the windows,
 * then the release step (release_in: its entry written as the kernel does). */
static void vec_in(struct vec_model *m, const struct twin *t, struct sched_cpu *c)
{
	if (m->f.late_min != UINT64_MAX) {
		(void)sched_fast_advance(c, (unsigned int)(m->f.cur - m->first), m->f.base, m->f.now,
					 m->f.late_sum, m->f.late_max);
		m->seen_part = m->f.cur->part;
		m->seen_end = m->f.slot_end;
		fastwin_clear_stats(&m->f);
	}
	if (m->f.step_now) {
		int32_t part = m->f.cur->part;
		struct fastwin_entry *e = &m->entry[1 + part];
		const struct sched_ahead a = { .cell = (int32_t)((uintptr_t)e->rel_ctx - (uintptr_t)CTX(part, 0)),
					       .next_ns = e->rel_next };
		bool followed = m->seen.any == sched_gens(c)->any;
		uint64_t next = sched_fast_release(c, m->f.step_now, &a);

		cr_assert_eq(next, m->armed, "the release step armed the decision's timer");
		m->f.step_now = 0;
		e->ctx = e->rel_ctx; /* release_in's entry */
		e->until = a.next_ns < t->limit[part] ? a.next_ns : t->limit[part];
		e->rel_ctx = NULL;
		if (followed)
			m->seen = *sched_gens(c);
		m->f.limit = UINT64_MAX;
	}
}

/* run_fast.c's entry(): the release step only for the partition of the CPU's current
 * slot, with its due time inside it or at its end. */
static void vec_entry(struct vec_model *m, const struct twin *t, unsigned int pi)
{
	const struct sched_part *ch = &t->fast.part[pi];
	struct fastwin_entry *e = &m->entry[1 + pi];
	const struct sched_at *at = sched_at(sched_cpu((struct sched *)&t->fast, 0));

	e->ctx = ch->cell == SCHED_IDLE ? NULL : CTX(pi, ch->cell);
	e->until = ch->due_ns < t->limit[pi] ? ch->due_ns : t->limit[pi];
	e->rel_ctx = NULL;
	if (ch->due_release && e->ctx && e->until == ch->due_ns && ch->due_ns <= at->slot_end_ns &&
	    m->first[at->cur].part == (int32_t)pi) {
		struct sched_ahead a = sched_ahead(&t->fast, pi);

		if (a.cell != SCHED_IDLE) {
			e->rel_ctx = CTX(pi, a.cell);
			e->rel_next = a.next_ns;
			e->rel_limit = a.next_ns < t->limit[pi] ? a.next_ns : t->limit[pi];
		}
	}
}

/* run_fast_out: what moved since the last return, as the kernel follows it. */
static void vec_out(struct vec_model *m, const struct twin *t, struct sched_cpu *c)
{
	const struct sched_gens *g = sched_gens(c);
	const struct sched_at *at = sched_at(c);
	const struct fastwin_slot *sl = &m->first[at->cur];

	if (g->pos != m->seen.pos || m->all) {
		m->f.cur = sl;
		m->f.base = at->base_ns;
		m->f.slot_end = at->slot_end_ns;
	}
	if (m->all || g->others != m->seen.others || sl->part == SCHED_IDLE) {
		m->all = false;
		for (unsigned int pi = 0; pi < t->plan.n_part; pi++)
			vec_entry(m, t, pi);
	} else if (g->choice != m->seen.choice) {
		vec_entry(m, t, (unsigned int)sl->part);
		if (g->pos != m->seen.pos) {
			if (at->base_ns + sl->start_ns != m->seen_end) {
				for (unsigned int pi = 0; pi < t->plan.n_part; pi++)
					vec_entry(m, t, pi);
			} else if (m->seen_part != SCHED_IDLE && m->seen_part != sl->part) {
				vec_entry(m, t, (unsigned int)m->seen_part);
			}
		}
	}
	m->seen = *g;
	m->seen_part = sl->part;
	m->seen_end = at->slot_end_ns;
}

static void vec_init(struct vec_model *m, struct sched_cpu *c)
{
	unsigned int n;

	memset(m, 0, sizeof(*m));
	m->first = (const struct fastwin_slot *)(const void *)sched_slots(c, &n);
	m->f.entries = m->entry + 1;
	m->f.limit = UINT64_MAX;
	m->all = true;
	m->seen_part = SCHED_IDLE;
	fastwin_clear_stats(&m->f);
}

static unsigned int run_vector(uint32_t seed, unsigned int steps, unsigned int *timers,
			       unsigned int *releases)
{
	struct twin *t = malloc(sizeof(*t));
	struct vec_model *m = malloc(sizeof(*m));
	struct sched_decision df, dl;
	unsigned int taken;

	cr_assert(t && m);
	random_plan(t, &seed);
	build_both(t);
	vec_init(m, sched_cpu(&t->fast, 0));
	*timers = 0;
	t->now = EPOCH;
	for (unsigned int i = 0; i < steps; i++) {
		struct sched_cpu *cf = sched_cpu(&t->fast, 0), *cl = sched_cpu(&t->full, 0);
		uint32_t what = i ? rnd(&seed, 10) : 0;
		struct el0_ctx *ctx;
		bool rel;

		if (what < 6 || dl.cell == SCHED_IDLE) {
			if (i)
				t->now = dl.next_ns + (rnd(&seed, 4) ? 0 : rnd(&seed, 300) * US);
			(*timers)++;
			sched_on_timer(cl, t->now, &dl);
			if (dl.window_start)
				sched_note_switch(cl, t->now);
			/* The vector runs only from a cell (an idle CPU takes it in the kernel). */
			if (i && df.cell != SCHED_IDLE && vector(&m->f, t->now, &ctx, &rel, &m->armed)) {
				m->taken++;
				m->releases += rel;
				cr_assert(dl.window_start || rel, "the vector started a window at %llu", (unsigned long long)t->now);
				cr_assert_eq(ctx, CTX(dl.part, dl.cell), "the vector's choice at %llu", (unsigned long long)t->now);
				cr_assert_eq(dl.n_events, 0, "no event where the vector decides");
				if (rel)
					cr_assert_eq(m->armed, dl.next_ns, "the release step's timer at %llu",
						     (unsigned long long)t->now);
				df = dl;
				continue; /* back to EL0: its tables are current */
			}
			vec_in(m, t, cf);
			sched_on_timer(cf, t->now, &df);
			if (df.window_start)
				sched_note_switch(cf, t->now);
		} else {
			t->now += rnd(&seed, 50) * US;
			/* Past the timer: the timer comes first, or (its interrupt masked) the
			 * call, whose decision moves on to the next slot. */
			if (t->now >= dl.next_ns && rnd(&seed, 2))
				t->now = dl.next_ns - 1;
			vec_in(m, t, cf);
			if (what == 6 && rnd(&seed, 2)) {
				cr_assert_eq(sched_on_periodic_wait(cf, t->now, &df),
					     sched_on_periodic_wait(cl, t->now, &dl));
			} else if (what == 6) {
				/* Sometimes with no limit (an irq_wait forever). */
				uint64_t until = rnd(&seed, 4) ? t->now + rnd(&seed, 3000) * US : UINT64_MAX;

				cr_assert_eq(sched_on_block(cf, until, t->now, &df), SCHED_OK);
				cr_assert_eq(sched_on_block(cl, until, t->now, &dl), SCHED_OK);
			} else if (what == 7) {
				uint32_t part = rnd(&seed, t->plan.n_part), cell = rnd(&seed, PLAN_CELLS);
				const struct sched_at *at = sched_at(cf);
				/* The wake-up step's foresight, where the vector would use it: the
				 * partition of the current slot, before its end and its due time. */
				bool foreseen = sched_wake_would_switch(&t->fast, part, cell) &&
						m->first[at->cur].part == (int32_t)part &&
						t->now < at->slot_end_ns && t->now < t->fast.part[part].due_ns;
				enum sched_wake_result r = sched_wake_quick(cf, part, cell, t->now, &df);

				if (foreseen) {
					wake_steps_foreseen++;
					cr_assert_eq(r, SCHED_WAKE_SWITCH, "a foreseen wake-up at %llu",
						     (unsigned long long)t->now);
				}

				cr_assert_eq(r, sched_wake_quick(cl, part, cell, t->now, &dl));
				if (r == SCHED_WAKE_NOT_ASLEEP || r == SCHED_WAKE_UNCHANGED) {
					vec_out(m, t, cf);
					continue;
				}
			} else if (what == 8 && rnd(&seed, 4)) {
				stop_or_restart(t, &seed, &df, &dl);
			} else {
				unsigned int part = rnd(&seed, t->plan.n_part);
				uint64_t v = rnd(&seed, 4) ? UINT64_MAX : 0;

				t->limit[part] = v;
				vec_entry(m, t, part); /* run_hm_fast_limit: run_fast_part */
				vec_out(m, t, cf);
				continue;
			}
			if (df.window_start) {
				sched_note_switch(cf, t->now);
				sched_note_switch(cl, t->now);
			}
		}
		same(&df, &dl, t->now);
		vec_out(m, t, cf);
	}
	vec_in(m, t, sched_cpu(&t->fast, 0));
	same_stats(t);
	taken = m->taken;
	*releases = m->releases;
	twin_free(t);
	free(m);
	return taken;
}

/* run_vector over 300 seeded plans, summed. */
static void run_vectors(unsigned int *taken, unsigned int *timers, unsigned int *releases)
{
	*taken = *timers = *releases = 0;
	for (uint32_t seed = 1; seed <= 300; seed++) {
		unsigned int n, r;

		*taken += run_vector(seed, 400, &n, &r);
		*timers += n;
		*releases += r;
	}
}

Test(sched_fast, the_vectors_window_starts_are_the_full_decisions)
{
	unsigned int taken, timers, releases;

	run_vectors(&taken, &timers, &releases);
	cr_assert_gt(taken, timers / 10, "the vector started %u windows of %u timers", taken, timers);
	cr_assert_gt(releases, 0, "the vector took %u release steps of %u timers", releases, timers);
	/* Every wake-up the step's foresight names is a switch (run_vector checks each). */
	cr_assert_gt(wake_steps_foreseen, 100, "%u wake-ups foreseen", wake_steps_foreseen);
}

/* The same with cells that are all periodic, of short periods: many release steps. */
Test(sched_fast, the_vectors_release_steps_are_the_full_decisions)
{
	unsigned int taken, timers, releases;

	periodic_one_in = 1;
	short_periods = true;
	run_vectors(&taken, &timers, &releases);
	cr_assert_gt(releases, timers / 400, "the vector took %u release steps of %u timers", releases, timers);
}
