/*
 * Schedule arithmetic on a plan: the time a partition gets per major frame, and the
 * least it is guaranteed in any interval (its supply bound function), which is what
 * decides whether a cell can meet its deadline inside its partition's windows.
 */
#include "core/lib/libc.h"
#include "dt/plan.h"

int plan_find_partition(const struct plan *p, const char *name)
{
	for (unsigned int i = 0; i < p->n_part; i++)
		if (name[0] && !BH_LIBC(strcmp)(p->part[i].name, name))
			return (int)i;
	return -1;
}

static const struct plan_cpu *cpu_of(const struct plan *p, unsigned int part)
{
	for (unsigned int i = 0; i < p->n_sched; i++)
		if (p->sched[i].cpu == p->part[part].cpu)
			return &p->sched[i];
	return NULL;
}

static bool is_mine(const struct plan *p, const struct plan_window *w, unsigned int part)
{
	return !BH_LIBC(strcmp)(w->partition, p->part[part].name);
}

uint64_t plan_partition_supply_us(const struct plan *p, unsigned int part)
{
	const struct plan_cpu *c = cpu_of(p, part);
	uint64_t s = 0;

	for (unsigned int i = 0; c && i < c->n; i++)
		if (is_mine(p, &c->w[i], part))
			s += c->w[i].duration_us;
	return s;
}

/* Time the partition runs in [a, b), a < b < a + 2 frames (the pattern repeats every frame). */
static uint64_t supply_between(const struct plan *p, const struct plan_cpu *c, unsigned int part,
			       uint64_t a, uint64_t b)
{
	uint64_t f = p->major_frame_us, s = 0;

	for (uint64_t k = a / f; k * f < b; k++) {
		for (unsigned int i = 0; i < c->n; i++) {
			const struct plan_window *w = &c->w[i];
			uint64_t ws = k * f + w->offset_us, we = ws + w->duration_us;
			uint64_t lo = ws > a ? ws : a, hi = we < b ? we : b;

			if (is_mine(p, w, part) && hi > lo)
				s += hi - lo;
		}
	}
	return s;
}

uint64_t plan_supply_bound_us(const struct plan *p, unsigned int part, uint64_t t)
{
	const struct plan_cpu *c = cpu_of(p, part);
	uint64_t f = p->major_frame_us, whole, rest, best = UINT64_MAX;

	if (!c || f == 0)
		return 0;
	whole = (t / f) * plan_partition_supply_us(p, part);
	rest = t % f;
	/* The worst interval starts as one of the partition's windows ends. */
	for (unsigned int i = 0; i < c->n; i++) {
		uint64_t x;

		if (!is_mine(p, &c->w[i], part))
			continue;
		x = (c->w[i].offset_us + c->w[i].duration_us) % f;
		uint64_t s = rest ? supply_between(p, c, part, x, x + rest) : 0;

		if (s < best)
			best = s;
	}
	return best == UINT64_MAX ? 0 : whole + best;
}
