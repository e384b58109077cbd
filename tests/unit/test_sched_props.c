/*
 * Property test of core/sched.c on seeded random valid plans (plan_gen.c): driven by
 * random cell behaviour (spin, wait for the period, sleep) and late or early timer
 * arrivals, every decision is checked against a small independent model: the window
 * from a linear scan of the plan, the highest-priority ready cell, the deadline misses.
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

enum model_state { M_READY, M_WAIT_RELEASE, M_BLOCKED };

struct model_cell {
	enum model_state st;
	uint64_t until;        /* release or wake time */
	bool job, reported;
	uint64_t release;
};

static struct model_cell model[PLAN_MAX_PARTITIONS][PLAN_CELLS];

/* The partition the plan gives cpu at now (linear scan), or SCHED_IDLE; *end: slot end. */
static int ref_window(const struct plan_cpu *pc, uint64_t now, uint64_t *end)
{
	uint64_t frame = plan.major_frame_us * US;
	uint64_t k = (now - EPOCH) / frame, off = (now - EPOCH) % frame;
	uint64_t base = EPOCH + k * frame, next = frame;

	for (unsigned int w = 0; w < pc->n; w++) {
		uint64_t s = pc->w[w].offset_us * US, e = s + pc->w[w].duration_us * US;

		if (off >= s && off < e) {
			*end = base + e;
			return plan_find_partition(&plan, pc->w[w].partition);
		}
		if (s > off && s < next)
			next = s;
	}
	*end = base + next;
	return SCHED_IDLE;
}

/* Advance the model of partition p to now; expected cell and misses into d_want. */
static void model_step(int p, uint64_t now, struct sched_decision *want)
{
	int best = SCHED_IDLE;

	for (unsigned int k = 0; k < PLAN_CELLS; k++) {
		struct model_cell *m = &model[p][k];
		const struct plan_cell *pc = &plan.part[p].cell[k];

		if (m->st != M_READY && m->until <= now) {
			if (m->st == M_WAIT_RELEASE) {
				m->job = true;
				m->reported = false;
				m->release = m->until;
			}
			m->st = M_READY;
		}
		if (m->job && !m->reported && m->release + pc->deadline_us * US <= now) {
			m->reported = true;
			want->ev[want->n_events++] = (struct sched_event){
				.part = (uint32_t)p, .cell = k, .release_ns = m->release,
				.deadline_ns = m->release + pc->deadline_us * US, .detected_ns = now };
		}
		if (m->st == M_READY &&
		    (best == SCHED_IDLE || pc->priority > plan.part[p].cell[best].priority))
			best = (int)k;
	}
	want->cell = best;
}

static void check(const struct plan_cpu *pc, uint64_t now, const struct sched_decision *d,
		  uint64_t seed)
{
	uint64_t end;
	int part = ref_window(pc, now, &end);
	struct sched_decision want = { .part = part, .cell = SCHED_IDLE };

	if (part != SCHED_IDLE)
		model_step(part, now, &want);
	cr_assert_eq(d->part, want.part, "seed %lu now %lu: partition", (unsigned long)seed,
		     (unsigned long)now);
	cr_assert_eq(d->cell, want.cell, "seed %lu now %lu: cell", (unsigned long)seed,
		     (unsigned long)now);
	cr_assert_gt(d->next_ns, now, "seed %lu: the timer is in the future", (unsigned long)seed);
	cr_assert_leq(d->next_ns, end, "seed %lu: never past the window's end", (unsigned long)seed);
	cr_assert_eq(d->n_events, want.n_events, "seed %lu now %lu: misses", (unsigned long)seed,
		     (unsigned long)now);
	for (unsigned int i = 0; i < d->n_events; i++) {
		cr_assert_eq(d->ev[i].part, want.ev[i].part);
		cr_assert_eq(d->ev[i].cell, want.ev[i].cell);
		cr_assert_eq(d->ev[i].deadline_ns, want.ev[i].deadline_ns);
		cr_assert_eq(d->ev[i].release_ns, want.ev[i].release_ns);
	}
}

Test(sched_props, random_plans_follow_the_model)
{
	static char blob[65536];
	struct plan_report rep;
	struct gen_plan g;
	unsigned long decisions = 0, misses = 0;

	for (uint64_t seed = 1; seed <= SEEDS; seed++) {
		gen_random(&g, seed);
		size_t n = gen_write(&g, blob, sizeof(blob));
		plan_report_init(&rep);
		cr_assert_eq(plan_parse(blob, n, &plan, test_arena(), &rep), PLAN_OK);
		cr_assert_eq(plan_check(&plan, NULL, 0, &rep), PLAN_OK);

		struct sched s;
		size_t bytes = sched_mem_bytes(&plan);
		void *mem = aligned_alloc(16, ALIGN_UP(bytes, 16));
		cr_assert_eq(sched_build(&s, &plan, EPOCH, mem, bytes), SCHED_OK, "seed %lu",
			     (unsigned long)seed);
		rng = seed;

		for (unsigned int ci = 0; ci < plan.n_sched; ci++) {
			const struct plan_cpu *pc = &plan.sched[ci];
			struct sched_cpu *c = sched_cpu(&s, pc->cpu);
			uint64_t frame = plan.major_frame_us * US, now = EPOCH + rnd(frame / 4);
			struct sched_decision d;

			cr_assert_not_null(c);
			for (unsigned int p = 0; p < plan.n_part; p++)
				for (unsigned int k = 0; k < PLAN_CELLS; k++)
					model[p][k] = plan.part[p].cell[k].periodic
						? (struct model_cell){ .st = M_WAIT_RELEASE, .until = EPOCH }
						: (struct model_cell){ .st = M_READY };
			sched_on_timer(c, now, &d);
			check(pc, now, &d, seed);
			for (unsigned int step = 0; step < 400 && now < EPOCH + 6 * frame; step++) {
				decisions++;
				misses += d.n_events;
				uint64_t next = d.next_ns;
				/* The cell acts before the timer, or the timer arrives (maybe late). */
				if (d.cell != SCHED_IDLE && rnd(3)) {
					struct model_cell *m = &model[d.part][d.cell];
					const struct plan_cell *cl = &plan.part[d.part].cell[d.cell];
					uint64_t t = now + rnd(next - now);

					if (cl->periodic && rnd(2)) {
						cr_assert_eq(sched_on_periodic_wait(c, t, &d), SCHED_OK);
						m->job = false;
						m->st = M_WAIT_RELEASE;
						m->until = m->release + cl->period_us * US;
						cr_assert_eq(d.release_ns, m->until,
							     "seed %lu: the next release", (unsigned long)seed);
					} else {
						uint64_t wake = t + rnd(frame);
						cr_assert_eq(sched_on_block(c, wake, t, &d), SCHED_OK);
						m->st = M_BLOCKED;
						m->until = wake;
					}
					now = t;
				} else {
					now = next + (rnd(4) == 0 ? rnd(50 * US) : 0);
					sched_on_timer(c, now, &d);
				}
				check(pc, now, &d, seed);
			}
		}
		free(mem);
	}
	cr_assert_gt(decisions, 10000, "the test exercised the scheduler");
	cr_assert_gt(misses, 0, "and saw deadline misses");
}
