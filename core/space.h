/*
 * A partition's EL0 address space, in two steps (pure: it never touches partition
 * memory; the caller zeroes and copies as the operations it returns say):
 *
 *   space_decode()  checks everything about the program's segments, the cells' stacks
 *                   and the partition's physical block, and lays the space out: where
 *                   each segment, stack, the heap and the info page live (VA and PA),
 *                   and how many page-table pages the build will take. May fail, with
 *                   a precise error.
 *   space_ops()     what the loader must do to the block: zero it, copy file bytes
 *   space_build()   the translation tables for a decoded layout, from the caller's
 *                   pool. Cannot fail except for a pool smaller than the layout says.
 *
 * EL0 virtual layout (lower half, one 1 GiB level-1 entry):
 *
 *   [0, 0x400000)               unmapped: null guard
 *   [0x400000, 0x10000000)      program segments at their link addresses
 *   [0x10000000, 0x3fff0000)    heap from the bottom; cell stacks from the top down,
 *                               cell 0 highest, each with an unmapped guard page below
 *   [0x3fff0000, 0x3fff1000)    info page, read-only
 *
 * Physical layout inside the block, from its base: segments in order, stacks in cell
 * order, the info page, then the heap, which takes the rest of the block (as far as
 * the VA room allows). Every mapping is inside the block, non-global, PXN; only
 * segments with X are executable (never with W); nothing of the kernel is mapped.
 */
#ifndef BULKHEAD_CORE_SPACE_H
#define BULKHEAD_CORE_SPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "core/lib/strbuf.h"
#include "core/lib/types.h"
#include "hal/pgtable.h"
#include "include/bulkhead/abi.h"

/* The EL0 layout is the ABI's (include/bulkhead/abi.h), named here once. */
#define SPACE_PAGE PT_PAGE_SIZE
#define SPACE_IMAGE_VA BH_IMAGE_VA /* below: the null guard */
#define SPACE_IMAGE_END BH_DYN_VA
#define SPACE_DATA_VA BH_DYN_VA    /* heap and stacks */
#define SPACE_DATA_END BH_DYN_END
#define SPACE_INFO_VA BH_INFO_VA
#define SPACE_VA_END BH_DEVICE_VA  /* the device and channel windows are not built here */
STATIC_ASSERT(SPACE_PAGE == BH_PAGE_BYTES, "one page size for the ABI and the tables");

/* Segment flags: ELF's p_flags bits. */
#define SPACE_SEG_X 1u
#define SPACE_SEG_W 2u
#define SPACE_SEG_R 4u

/* One loadable segment of the program (as the ELF loader reports it). */
struct space_segment {
	uint64_t vaddr, memsz, file_off, filesz;
	uint32_t flags;
};

struct space_input {
	struct pa_range block;                  /* the partition's memory */
	const struct space_segment *seg;        /* ascending vaddr */
	unsigned int n_seg;
	uint64_t file_bytes;                    /* size of the program file */
	const uint32_t *stack_bytes;            /* one per cell */
	unsigned int n_cells;
	uint64_t heap_min_bytes;                /* refuse a block that leaves less heap */
};

enum space_err {
	SPACE_OK = 0,
	SPACE_ERR_BLOCK,         /* block empty, not page aligned or wrapping */
	SPACE_ERR_NO_SEGMENTS,   /* the program has nothing to load */
	SPACE_ERR_SEG_FLAGS,     /* segment neither readable, writable nor executable, or odd bits */
	SPACE_ERR_SEG_WX,        /* segment both writable and executable */
	SPACE_ERR_SEG_EMPTY,     /* segment of size zero */
	SPACE_ERR_SEG_FILESZ,    /* segment's file bytes exceed its memory size */
	SPACE_ERR_SEG_FILE,      /* segment's file bytes lie past the end of the file */
	SPACE_ERR_SEG_RANGE,     /* segment outside [0x400000, 0x10000000) */
	SPACE_ERR_SEG_OVERLAP,   /* segments share a page or are out of address order */
	SPACE_ERR_NO_CELLS,      /* no cell: nothing could run */
	SPACE_ERR_STACK,         /* a cell's stack size is zero */
	SPACE_ERR_VA_FULL,       /* stacks (with guards) and minimum heap exceed the EL0 data area */
	SPACE_ERR_TOO_SMALL,     /* the block is smaller than the layout needs */
	SPACE_ERR_POOL,          /* the page-table pool has fewer free pages than the layout needs */
	SPACE_ERR_MAP,           /* the tables refused a decoded layout: a kernel bug */
	SPACE_ERR_COUNT,
};
const char *space_strerror(enum space_err e);

/* What failed, with the values a user needs to fix it. */
struct space_diag {
	enum space_err err;
	unsigned int index;      /* the segment or cell concerned */
	uint64_t missing_bytes;  /* SPACE_ERR_TOO_SMALL: how much more the block needs */
};

/* "<words> (segment 2)" or "... (12288 bytes missing)" into sb. */
void space_diag_format(const struct space_diag *d, struct strbuf *sb);

/* One mapped range: [va, va+size) -> [pa, pa+size). */
struct space_region {
	uint64_t va, pa, size;
	enum pt_attr attr;
};

struct space_layout {
	struct space_region *seg;   /* caller memory, n_seg entries: each segment's pages */
	struct space_region *stack; /* caller memory, n_cells entries; guard at va - SPACE_PAGE;
				     * the initial SP is va + size */
	unsigned int n_seg, n_cells;
	struct space_region heap;   /* size may be 0: nothing mapped */
	struct space_region info;
	uint64_t used_bytes;        /* bytes of the block in use, from its base */
	size_t table_pages;         /* pool pages space_build takes, the root included */
};

/*
 * Precondition: out->seg and out->stack point at room for in->n_seg and in->n_cells
 * regions. On error *diag says what and where; *out is then incomplete.
 */
enum space_err space_decode(const struct space_input *in, struct space_layout *out,
			    struct space_diag *diag) __must_check;

/* The most table_pages a block of block_bytes can take for any program of at most n_seg
 * segments with n_cells stacks, wherever the block lies (bhplan's estimate without the
 * program). */
size_t space_table_pages_max(uint64_t block_bytes, unsigned int n_seg, unsigned int n_cells);

enum space_op_kind { SPACE_OP_ZERO, SPACE_OP_COPY };

/* ZERO: pa..pa+size. COPY: file bytes [file_off, file_off+size) to pa. In order. */
struct space_op {
	enum space_op_kind kind;
	uint64_t pa, size, file_off;
};

/* Most operations space_ops writes for n_seg segments. */
#define SPACE_OPS_MAX(n_seg) ((size_t)(n_seg) + 1)

/* The loader's work for a decoded layout, into ops (SPACE_OPS_MAX(n_seg) room);
 * returns how many. The whole block is zeroed first, then each segment's file bytes
 * are copied; the rest of every segment (its bss) stays zero. */
size_t space_ops(const struct space_input *in, const struct space_layout *l, struct space_op *ops);

/* What an EL0 access needs of the pages it touches. */
enum space_access { SPACE_READ, SPACE_WRITE };

/*
 * True if EL0 may make the access to every byte of [va, va+len) in the space laid out
 * by l (the kernel's check of a syscall's pointer argument, before any copy). A range
 * may span adjacent regions; any unmapped byte (guards, gaps, the null guard) or one
 * without the permission fails it. len 0 is true.
 */
bool space_user_ok(const struct space_layout *l, uint64_t va, uint64_t len, enum space_access a);

/* Tables for l from pool (at least l->table_pages free): *root is the TTBR0 table. */
enum space_err space_build(const struct space_layout *l, struct pt_pool *pool,
			   uint64_t **root) __must_check;

#endif
