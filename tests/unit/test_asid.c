/*
 * ASIDs per CPU with generation roll-over (core/asid.c), driven like a CPU's schedule:
 * partitions run in turn; at every moment no two partitions whose tags are current
 * hold the same ASID, every ASID is in 1..n, and an ASID that an earlier partition held
 * is handed out only with a request to invalidate it.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "core/asid.h"

#define MAXP 600

struct world {
	struct asid_space s;
	struct asid_tag t[MAXP];
	int holder[65536 + 1]; /* partition that last ran with each ASID (-1: none) */
	unsigned int flushes;
};

static void world_init(struct world *w, uint32_t n)
{
	asid_space_init(&w->s, n);
	for (unsigned int i = 0; i < MAXP; i++)
		w->t[i] = (struct asid_tag){ 0, 0 };
	for (unsigned int i = 0; i <= 65536; i++)
		w->holder[i] = -1;
	w->flushes = 0;
}

/* Partition p runs: the checks a TLB would need to stay correct. */
static void run(struct world *w, unsigned int np, int p)
{
	bool flush = false;
	uint32_t a = asid_get(&w->s, &w->t[p], &flush);

	cr_assert(a >= 1 && a <= w->s.n, "ASID %u out of 1..%u", a, w->s.n);
	if (w->holder[a] != -1 && w->holder[a] != p)
		cr_assert(flush, "ASID %u goes from partition %d to %d without invalidation", a,
			  w->holder[a], p);
	if (flush) {
		w->flushes++;
		w->holder[a] = -1; /* its entries are gone */
	}
	w->holder[a] = p;
	/* Current tags are distinct. */
	for (unsigned int q = 0; q < np; q++)
		if ((int)q != p && w->t[q].gen == w->s.gen)
			cr_assert_neq(w->t[q].asid, a, "partitions %u and %d share ASID %u", q, p, a);
}

Test(asid, no_more_partitions_than_asids_each_keeps_its_own_and_nothing_is_flushed)
{
	static struct world w;

	world_init(&w, 255);
	for (unsigned int round = 0; round < 5; round++)
		for (int p = 0; p < 255; p++)
			run(&w, 255, p);
	cr_assert_eq(w.flushes, 0);
	cr_assert_eq(w.s.rollovers, 0);
	for (unsigned int p = 0; p < 255; p++)
		cr_assert_eq(w.t[p].asid, p + 1, "first come, first served");
}

Test(asid, more_partitions_than_asids_take_turns_with_invalidation)
{
	static struct world w;

	world_init(&w, 255);
	for (unsigned int round = 0; round < 4; round++)
		for (int p = 0; p < 300; p++)
			run(&w, 300, p);
	cr_assert_gt(w.s.rollovers, 0);
	cr_assert_gt(w.flushes, 0);
}

Test(asid, one_asid_still_runs_every_partition)
{
	static struct world w;

	world_init(&w, 1);
	for (unsigned int round = 0; round < 3; round++)
		for (int p = 0; p < 5; p++)
			run(&w, 5, p);
	cr_assert_eq(w.s.rollovers, 14, "each switch after the first begins a generation");
}

Test(asid, random_schedules_never_share_an_asid_unflushed)
{
	static struct world w;
	static const uint32_t ns[] = { 1, 2, 3, 7, 16, 255 };

	srand(13);
	for (unsigned int k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		unsigned int np = 1 + (unsigned int)rand() % 40;

		world_init(&w, ns[k]);
		for (unsigned int step = 0; step < 2000; step++)
			run(&w, np, rand() % (int)np);
	}
}

Test(asid, a_partition_running_again_in_its_generation_keeps_its_asid)
{
	struct asid_space s;
	struct asid_tag a = { 0, 0 }, b = { 0, 0 }, c = { 0, 0 };
	bool flush = false;

	asid_space_init(&s, 2);
	cr_assert_eq(asid_get(&s, &a, &flush), 1);
	cr_assert_eq(asid_get(&s, &b, &flush), 2);
	cr_assert_eq(asid_get(&s, &a, &flush), 1);
	cr_assert_not(flush);
	cr_assert_eq(asid_get(&s, &c, &flush), 1, "a new generation starts at 1");
	cr_assert(flush, "1 was a's");
	flush = false;
	cr_assert_eq(asid_get(&s, &c, &flush), 1);
	cr_assert_not(flush);
	cr_assert_eq(asid_get(&s, &a, &flush), 2, "a's old tag is stale");
	cr_assert(flush);
}
