/*
 * Restarting a loaded partition (docs/health.md, "Actions"): a cell back to its entry
 * with a fresh stack, or the whole partition reloaded from the pristine image built
 * into the kernel, in bounded steps so the kernel can spread the work over the
 * partition's own windows. The reload reuses the partition's layout and translation
 * tables (nothing is allocated: a restart cannot exhaust the table pool).
 *
 * Reload phases, in order (each step does at most one chunk of one of them):
 *   hash    the image's SHA-256 again, against the one the build recorded
 *   wipe    zero the partition's memory from its base up to wipe_bytes (all of it on a
 *           cold restart, all but the persistent region on a warm one)
 *   copy    the program's file bytes back into place, as at boot (space_ops)
 *   digest  a 64-bit digest of the rebuilt program and info page
 *           (partition_loaded_bytes), which must equal the one taken right after the
 *           boot load
 * Then the cells' contexts are reset to their entries (partition_reset_cell).
 *
 * Only the CPU the partition is placed on calls these, with IRQs masked, from the
 * kernel's idle loop (no EL0 context live: the SHA-256 code may use FP/SIMD).
 */
#ifndef BULKHEAD_CORE_PARTITION_RELOAD_H
#define BULKHEAD_CORE_PARTITION_RELOAD_H

#include <stdbool.h>
#include <stdint.h>
#include "core/partition.h"

enum reload_phase {
	RELOAD_HASH,
	RELOAD_WIPE,
	RELOAD_COPY,
	RELOAD_DIGEST,
	RELOAD_DONE,    /* memory restored: reset the cells and start the partition */
	RELOAD_FAILED,  /* the image no longer matches its SHA-256: the partition must stop */
	RELOAD_PHASES,
};
const char *reload_phase_name(enum reload_phase ph);

/* Bytes of work per step: a few tens of microseconds of the partition's window. */
#define RELOAD_HASH_CHUNK (4u << 10)
#define RELOAD_MEM_CHUNK (32u << 10)

struct part_reload {
	enum reload_phase phase;
	uint64_t wipe_bytes; /* from the base of the partition's memory */
	uint64_t digest_bytes; /* from the base: what the digest covers (<= wipe_bytes) */
	uint64_t off;        /* progress within the phase */
	unsigned int op;     /* copy: the next space_op */
	uint64_t digest;     /* digest: running value */
	uint64_t steps;      /* steps taken */
	uint64_t hash[16];   /* hash: the SHA-256 state (opaque) */
};

/* Start a reload of part that wipes wipe_bytes from its base (hm_wipe_bytes) and
 * digests the first digest_bytes of it. */
void part_reload_begin(struct partition *part, struct part_reload *r, uint64_t wipe_bytes,
		       uint64_t digest_bytes);

/* One bounded step; returns the phase now (RELOAD_DONE and RELOAD_FAILED are final).
 * At RELOAD_DONE the memory is as a fresh load left it, info page included, and
 * r->digest is its digest. */
enum reload_phase part_reload_step(struct partition *part, const struct plan *p,
				   struct part_reload *r);

/* Bytes from the base of part's memory up to the end of what the loader writes (its
 * segments and info page; the rest of the block is zeroes): what the digest covers. */
uint64_t partition_loaded_bytes(const struct partition *part);

/* The digest of the first bytes of part's memory, in one go (after the boot load). */
uint64_t partition_digest(const struct partition *part, uint64_t bytes);

/* Cell k back to its entry: its stack zeroed, its context fresh (every register 0 but
 * the entry's arguments). Its context must not be live on a CPU. */
void partition_reset_cell(struct partition *part, unsigned int k);

#endif
