/*
 * Property test of sched_wake_quick (core/sched.c) on seeded random valid plans
 * (plan_gen.c): two schedulers built from the same plan are driven by the same random
 * cell behaviour (spin, periodic wait, sleep), timer arrivals and wake-ups; one is
 * woken with sched_wake, the other with sched_wake_quick. Every answer of the quick
 * entry must be the full one's: UNCHANGED where sched_wake repeats the last decision,
 * SWITCH and DECIDED with the same decision; and both schedulers must keep deciding
 * alike afterwards (their states are the same).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "tests/unit/plan_arena.h"
#include "core/sched.h"
#include "plan_gen.h"

#define SEEDS 150
#define EPOCH 1000000ULL
#define US 1000ULL

static struct plan plan;
static uint64_t rng;

static uint64_t rnd(uint64_t n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return n ? (rng >> 33) % n : 0;
}

static void same(const struct sched_decision *a, const struct sched_decision *b, uint64_t seed,
		 const char *what)
{
	cr_assert_eq(a->part, b->part, "seed %lu %s: partition", (unsigned long)seed, what);
	cr_assert_eq(a->cell, b->cell, "seed %lu %s: cell", (unsigned long)seed, what);
	cr_assert_eq(a->next_ns, b->next_ns, "seed %lu %s: timer", (unsigned long)seed, what);
	cr_assert_eq(a->window_start, b->window_start, "seed %lu %s: window", (unsigned long)seed,
		     what);
	cr_assert_eq(a->frame, b->frame, "seed %lu %s: frame", (unsigned long)seed, what);
	cr_assert_eq(a->planned_ns, b->planned_ns, "seed %lu %s: planned", (unsigned long)seed, what);
	cr_assert_eq(a->n_events, b->n_events, "seed %lu %s: misses", (unsigned long)seed, what);
	for (unsigned int i = 0; i < a->n_events; i++) {
		cr_assert_eq(a->ev[i].part, b->ev[i].part);
		cr_assert_eq(a->ev[i].cell, b->ev[i].cell);
		cr_assert_eq(a->ev[i].deadline_ns, b->ev[i].deadline_ns);
		cr_assert_eq(a->ev[i].detected_ns, b->ev[i].detected_ns);
	}
}

static void same_stats(const struct sched_cpu *a, const struct sched_cpu *b, uint64_t seed)
{
	struct sched_stats sa, sb;

	sched_get_stats(a, &sa);
	sched_get_stats(b, &sb);
	cr_assert_eq(sa.frames, sb.frames, "seed %lu: frames", (unsigned long)seed);
	cr_assert_eq(sa.windows, sb.windows, "seed %lu: windows", (unsigned long)seed);
	cr_assert_eq(sa.idle_ppm, sb.idle_ppm, "seed %lu: idle time", (unsigned long)seed);
}

struct counts {
	unsigned long not_asleep, unchanged, quick_switch, decided, idle_foreseen;
};

/* One wake-up of (part, cell) at t on both schedulers; *last: the decision in force. */
static void wake_both(struct sched_cpu *full, struct sched_cpu *quick, uint32_t part,
		      uint32_t cell, uint64_t t, struct sched_decision *last, uint64_t seed,
		      struct counts *n)
{
	struct sched_decision df, dq;
	uint64_t until = 0;
	/* The idle loop's foresight (core/run.c), asked before the wake-up. */
	bool foreseen = sched_idle_wake_runs(quick, part, cell, &until) && t < until;
	bool woke = sched_wake(full, part, cell, t, &df);
	enum sched_wake_result r = sched_wake_quick(quick, part, cell, t, &dq);

	if (foreseen) { /* the cell becomes the running one, by either way */
		cr_assert(r == SCHED_WAKE_SWITCH || r == SCHED_WAKE_DECIDED, "seed %lu: idle wake %d",
			  (unsigned long)seed, r);
		cr_assert_eq(dq.part, (int32_t)part, "seed %lu: idle wake partition", (unsigned long)seed);
		cr_assert_eq(dq.cell, (int32_t)cell, "seed %lu: idle wake cell", (unsigned long)seed);
		n->idle_foreseen++;
	}

	if (!woke) {
		cr_assert_eq(r, SCHED_WAKE_NOT_ASLEEP, "seed %lu: not asleep", (unsigned long)seed);
		n->not_asleep++;
		return;
	}
	switch (r) {
	case SCHED_WAKE_NOT_ASLEEP:
		cr_assert_fail("seed %lu: the quick entry missed a sleeping cell", (unsigned long)seed);
		break;
	case SCHED_WAKE_UNCHANGED:
		/* The full decision repeats the one in force, and nothing else happens. */
		cr_assert_eq(df.part, last->part, "seed %lu: unchanged partition", (unsigned long)seed);
		cr_assert_eq(df.cell, last->cell, "seed %lu: unchanged cell", (unsigned long)seed);
		cr_assert_eq(df.next_ns, last->next_ns, "seed %lu: unchanged timer", (unsigned long)seed);
		cr_assert_eq(df.n_events, 0u);
		cr_assert(!df.window_start);
		n->unchanged++;
		return;
	case SCHED_WAKE_SWITCH:
		same(&df, &dq, seed, "switch");
		cr_assert_neq(dq.cell, last->cell, "seed %lu: a switch changes the cell",
			      (unsigned long)seed);
		cr_assert_eq(dq.next_ns, last->next_ns, "seed %lu: a switch keeps the timer",
			     (unsigned long)seed);
		n->quick_switch++;
		break;
	case SCHED_WAKE_DECIDED:
		same(&df, &dq, seed, "decided");
		n->decided++;
		break;
	}
	*last = df;
}

Test(sched_wake, quick_wake_gives_the_full_decision)
{
	static char blob[65536];
	struct plan_report rep;
	struct gen_plan g;
	struct counts n = { 0 };

	for (uint64_t seed = 1; seed <= SEEDS; seed++) {
		gen_random(&g, seed);
		size_t len = gen_write(&g, blob, sizeof(blob));
		plan_report_init(&rep);
		cr_assert_eq(plan_parse(blob, len, &plan, test_arena(), &rep), PLAN_OK);
		cr_assert_eq(plan_check(&plan, NULL, 0, &rep), PLAN_OK);
		/* Every other plan gives each partition's cells one priority: cell order decides. */
		if (seed % 2)
			for (unsigned int p = 0; p < plan.n_part; p++)
				plan.part[p].cell[1].priority = plan.part[p].cell[0].priority;

		struct sched sf, sq;
		size_t bytes = sched_mem_bytes(&plan);
		void *mf = aligned_alloc(16, ALIGN_UP(bytes, 16));
		void *mq = aligned_alloc(16, ALIGN_UP(bytes, 16));
		cr_assert_eq(sched_build(&sf, &plan, EPOCH, mf, bytes), SCHED_OK);
		cr_assert_eq(sched_build(&sq, &plan, EPOCH, mq, bytes), SCHED_OK);
		rng = seed;

		for (unsigned int ci = 0; ci < plan.n_sched; ci++) {
			const struct plan_cpu *pc = &plan.sched[ci];
			struct sched_cpu *full = sched_cpu(&sf, pc->cpu), *quick = sched_cpu(&sq, pc->cpu);
			uint64_t frame = plan.major_frame_us * US, now = EPOCH + rnd(frame / 4);
			uint32_t mine[PLAN_MAX_PARTITIONS];
			unsigned int n_mine = 0;
			struct sched_decision d, dq;

			for (unsigned int p = 0; p < plan.n_part; p++)
				if (plan.part[p].cpu == pc->cpu)
					mine[n_mine++] = p;
			cr_assert_gt(n_mine, 0u);
			sched_on_timer(full, now, &d);
			sched_on_timer(quick, now, &dq);
			same(&d, &dq, seed, "first");
			for (unsigned int step = 0; step < 600 && now < EPOCH + 6 * frame; step++) {
				uint64_t next = d.next_ns, t = now + rnd(next - now);
				unsigned int what = (unsigned int)rnd(8);

				if (what < 3) { /* an interrupt wakes a cell of this CPU */
					wake_both(full, quick, mine[rnd(n_mine)], (uint32_t)rnd(PLAN_CELLS), t,
						  &d, seed, &n);
					now = t;
				} else if (what < 6 && d.cell != SCHED_IDLE) { /* the cell waits */
					const struct plan_cell *cl = &plan.part[d.part].cell[d.cell];

					if (cl->periodic && what == 3) {
						cr_assert_eq(sched_on_periodic_wait(full, t, &d), SCHED_OK);
						cr_assert_eq(sched_on_periodic_wait(quick, t, &dq), SCHED_OK);
					} else {
						/* No limit, a limit in the frame, or just the timer. */
						uint64_t wake = rnd(3) == 0 ? UINT64_MAX
							      : rnd(3) == 0 ? next : t + 1 + rnd(frame);

						cr_assert_eq(sched_on_block(full, wake, t, &d), SCHED_OK);
						cr_assert_eq(sched_on_block(quick, wake, t, &dq), SCHED_OK);
					}
					same(&d, &dq, seed, "wait");
					now = t;
				} else { /* the timer, maybe late */
					now = next + (rnd(4) == 0 ? rnd(50 * US) : 0);
					sched_on_timer(full, now, &d);
					sched_on_timer(quick, now, &dq);
					same(&d, &dq, seed, "timer");
				}
				same_stats(full, quick, seed);
			}
		}
		free(mf);
		free(mq);
	}
	cr_assert_gt(n.unchanged, 1000, "wake-ups with nothing to change: %lu", n.unchanged);
	cr_assert_gt(n.quick_switch, 500, "direct switches: %lu", n.quick_switch);
	cr_assert_gt(n.decided, 100, "full decisions: %lu", n.decided);
	cr_assert_gt(n.not_asleep, 1000, "cells not asleep: %lu", n.not_asleep);
	cr_assert_gt(n.idle_foreseen, 100, "wake-ups the idle loop would foresee: %lu", n.idle_foreseen);
}
