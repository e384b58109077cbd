/*
 * Address-space identifiers per CPU, with generation roll-over, so a CPU runs more
 * partitions than it has ASIDs (255 usable with 8-bit ASIDs).
 *
 * A partition runs on one CPU only (the plan places it), and TTBR0's CnP bit is 0, so
 * a CPU's TLB entries for an ASID are its own: ASIDs need only differ among the
 * partitions of one CPU. Each CPU hands its ASIDs 1..n out as its partitions first run
 * (0 is "no partition"); a partition keeps its ASID while its tag's generation is the
 * CPU's. When all n are taken and a partition without one must run, a new generation
 * begins: every tag of the old one is stale, and from then on each ASID handed out is
 * one an earlier partition held, so the caller invalidates the CPU's TLB entries for it
 * before that partition runs. With no more partitions on a CPU than ASIDs, each gets its
 * own once and keeps it (no invalidation ever); beyond that, they take turns.
 */
#ifndef BULKHEAD_CORE_ASID_H
#define BULKHEAD_CORE_ASID_H

#include <stdbool.h>
#include <stdint.h>

/* One CPU's ASIDs. */
struct asid_space {
	uint64_t gen;       /* current generation, from 1 */
	uint32_t next;      /* the next ASID to hand out in this generation */
	uint32_t n;         /* usable ASIDs: 1..n */
	uint64_t rollovers; /* generations begun after the first */
};

/* A partition's ASID and the generation it belongs to (zeroed: none yet). */
struct asid_tag {
	uint64_t gen;
	uint32_t asid;
};

/* n usable ASIDs (at least 1): 1..n. */
void asid_space_init(struct asid_space *s, uint32_t n);

/* The slow path of asid_get: a new ASID for t. */
uint32_t asid_assign(struct asid_space *s, struct asid_tag *t, bool *flush);

/*
 * The ASID the partition with tag t runs with now. *flush is set when the caller must
 * invalidate this CPU's TLB entries for that ASID (an earlier holder's) before the
 * partition runs; it is left alone otherwise.
 */
static inline uint32_t asid_get(struct asid_space *s, struct asid_tag *t, bool *flush)
{
	if (t->gen == s->gen)
		return t->asid;
	return asid_assign(s, t, flush);
}

#endif
