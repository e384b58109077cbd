/*
 * A partition as the kernel runs it: its program loaded from the image table into its
 * own memory, its EL0 address space (TTBR0 table, ASID), its info page and the
 * register contexts of its cells. Built once at boot by partition_load(); afterwards
 * only the CPU the plan places it on touches it.
 */
#ifndef BULKHEAD_CORE_PARTITION_H
#define BULKHEAD_CORE_PARTITION_H

#include <stdbool.h>
#include <stdint.h>
#include "core/elf.h"
#include "core/images.h"
#include "core/lib/compiler.h"
#include "core/lib/sha256.h"
#include "core/space.h"
#include "core/uaccess.h"
#include "core/uaccess_fast.h"
#include "dt/plan.h"
#include "hal/el0.h"

enum part_err {
	PART_OK = 0,
	PART_ERR_IMAGE,  /* the plan's image is not in the image table */
	PART_ERR_HASH,   /* the image's bytes no longer match the SHA-256 the build computed */
	PART_ERR_ELF,    /* the image is not a program the loader accepts (elf_err says why) */
	PART_ERR_ENTRY,  /* a cell's entry symbol does not resolve (elf_err says why) */
	PART_ERR_SPACE,  /* the program, stacks and heap do not fit the memory (space_diag) */
	PART_ERR_TABLES, /* the kernel's pool of partition page tables is exhausted */
	PART_ERR_COUNT,
};
const char *part_strerror(enum part_err e);

/* What went wrong, with the values a user needs to fix it. */
struct part_diag {
	enum part_err err;
	enum elf_err elf;         /* PART_ERR_ELF, PART_ERR_ENTRY */
	const char *symbol;       /* PART_ERR_ENTRY: the entry name */
	struct space_diag space;  /* PART_ERR_SPACE */
};

enum part_state { PART_RUNNING, PART_STOPPED };

struct partition {
	const struct plan_partition *pp;
	unsigned int index;       /* in the plan */
	enum part_state state;
	const struct image_entry *img;
	char sha256[SHA256_HEX];
	struct pa_range mem;      /* its physical block */
	struct elf_image elf;
	struct space_segment seg[ELF_MAX_SEGMENTS];
	struct space_region seg_r[ELF_MAX_SEGMENTS], stack_r[PLAN_CELLS];
	struct space_layout layout;
	uint64_t root_pa;         /* TTBR0 */
	struct uaccess_space uspace; /* its mappings, for the checked copies */
	struct uaccess_fast writable; /* its writable RAM, for the port calls' quick check */
	uint64_t heartbeat_ns;    /* the last heartbeat (ns since the epoch) */
	uint64_t entry[PLAN_CELLS]; /* each cell's resolved entry (restarts use them) */
	struct el0_ctx ctx[PLAN_CELLS];
};

/*
 * Load partition i of plan p into mem (its placement): check the image's SHA-256,
 * parse the ELF, resolve the cells' entries, lay out and build its address space
 * (tables from pool), zero the block and copy the segments in through the linear map,
 * fill the info page, and prepare each cell's context. Boot CPU, IRQs masked (the
 * SHA-256 uses FP/SIMD). On error *diag says what; nothing of the partition runs.
 */
enum part_err partition_load(struct partition *part, const struct plan *p, unsigned int i,
			     const struct pa_range *mem, struct pt_pool *pool,
			     struct part_diag *diag) __must_check;

/* Writes the partition's info page (after its memory was zeroed) for plan p. */
void partition_fill_info(const struct partition *part, const struct plan *p);

/* "<words>: <detail>" of a failed load into sb. */
void part_diag_format(const struct part_diag *d, struct strbuf *sb);

#endif
