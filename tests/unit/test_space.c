/* core/space.c: EL0 address-space decode, loader operations, tables; property tests. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "core/space.h"

#define KIB 1024ULL
#define MIB (1024ULL * KIB)
#define R SPACE_SEG_R
#define W SPACE_SEG_W
#define X SPACE_SEG_X

static uint64_t host_to_pa(const void *t) { return (uint64_t)(uintptr_t)t; }
static uint64_t *host_to_va(uint64_t pa) { return (uint64_t *)(uintptr_t)pa; }

static struct pt_pool make_pool(size_t n)
{
	pt_page_t *pages = aligned_alloc(4096, n * sizeof(pt_page_t));

	cr_assert_not_null(pages);
	return (struct pt_pool){ pages, n, 0, host_to_pa, host_to_va };
}

static const struct space_segment demo_seg[] = {
	{ 0x400000, 0x2345, 0, 0x2345, R | X },        /* text */
	{ 0x410000, 0x100, 0x10000, 0x100, R },         /* rodata */
	{ 0x420010, 0x3000, 0x10100, 0x10, R | W },     /* data + bss, not page aligned */
};
static const uint32_t demo_stacks[] = { 8192, 5000 };

static struct space_input demo_input(void)
{
	return (struct space_input){
		.block = { pa_init(0x48000000), 1 * MIB },
		.seg = demo_seg, .n_seg = 3, .file_bytes = 0x10110,
		.stack_bytes = demo_stacks, .n_cells = 2, .heap_min_bytes = 64 * KIB,
	};
}

static struct space_region seg_r[8], stack_r[8];

static struct space_layout empty_layout(void)
{
	return (struct space_layout){ .seg = seg_r, .stack = stack_r };
}

static void assert_region(const struct space_region *r, uint64_t va, uint64_t pa, uint64_t size,
			  enum pt_attr attr, const char *what)
{
	cr_assert_eq(r->va, va, "%s va %#lx", what, (unsigned long)r->va);
	cr_assert_eq(r->pa, pa, "%s pa %#lx", what, (unsigned long)r->pa);
	cr_assert_eq(r->size, size, "%s size %#lx", what, (unsigned long)r->size);
	cr_assert_eq(r->attr, attr, "%s attr", what);
}

Test(space, decode_lays_out_the_contract)
{
	struct space_input in = demo_input();
	struct space_layout l = empty_layout();
	struct space_diag diag;
	const uint64_t b = 0x48000000;

	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_OK);
	cr_assert_eq(diag.err, SPACE_OK);
	assert_region(&l.seg[0], 0x400000, b, 0x3000, PT_USER_RX, "text");
	assert_region(&l.seg[1], 0x410000, b + 0x3000, 0x1000, PT_USER_RO, "rodata");
	assert_region(&l.seg[2], 0x420000, b + 0x4000, 0x4000, PT_USER_RW, "data");
	assert_region(&l.stack[0], 0x3ffee000, b + 0x8000, 0x2000, PT_USER_RW, "stack 0");
	assert_region(&l.stack[1], 0x3ffeb000, b + 0xa000, 0x2000, PT_USER_RW,
		      "stack 1 (rounded up to pages, below stack 0's guard)");
	assert_region(&l.info, 0x3fff0000, b + 0xc000, 0x1000, PT_USER_RO, "info");
	assert_region(&l.heap, 0x10000000, b + 0xd000, 1 * MIB - 0xd000, PT_USER_RW, "heap");
	cr_assert_eq(l.used_bytes, 1 * MIB);
	/* Root, level 2, and level-3 tables for the image, heap and stack 2 MiB slots. */
	cr_assert_eq(l.table_pages, 5);
}

Test(space, ops_zero_the_block_then_copy_file_bytes)
{
	struct space_input in = demo_input();
	struct space_layout l = empty_layout();
	struct space_diag diag;
	struct space_op ops[SPACE_OPS_MAX(3)];

	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_OK);
	size_t n = space_ops(&in, &l, ops);
	cr_assert_eq(n, 4);
	cr_assert_eq(ops[0].kind, SPACE_OP_ZERO);
	cr_assert_eq(ops[0].pa, 0x48000000);
	cr_assert_eq(ops[0].size, 1 * MIB);
	cr_assert_eq(ops[3].kind, SPACE_OP_COPY);
	cr_assert_eq(ops[3].pa, 0x48004010, "file bytes land at the vaddr's offset in its page");
	cr_assert_eq(ops[3].size, 0x10);
	cr_assert_eq(ops[3].file_off, 0x10100);
	cr_assert_eq(ops[1].pa, 0x48000000);
	cr_assert_eq(ops[1].size, 0x2345);

	struct space_segment bss_only[] = { { 0x400000, 0x1000, 0, 0x1000, R | X },
					    { 0x500000, 0x1000, 0, 0, R | W } };
	in.seg = bss_only;
	in.n_seg = 2;
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_OK);
	cr_assert_eq(space_ops(&in, &l, ops), 2, "a segment with no file bytes needs no copy");
}

/* One rule broken at a time, each with its error and the index it names. */
Test(space, decode_refuses_with_precise_errors)
{
	static const struct {
		struct space_segment seg;
		enum space_err err;
	} bad_seg[] = {
		{ { 0x500000, 0x1000, 0, 0, 0 }, SPACE_ERR_SEG_FLAGS },
		{ { 0x500000, 0x1000, 0, 0, R | 8 }, SPACE_ERR_SEG_FLAGS },
		{ { 0x500000, 0x1000, 0, 0, R | W | X }, SPACE_ERR_SEG_WX },
		{ { 0x500000, 0x1000, 0, 0, W | X }, SPACE_ERR_SEG_WX },
		{ { 0x500000, 0, 0, 0, R }, SPACE_ERR_SEG_EMPTY },
		{ { 0x500000, 0x10, 0, 0x11, R }, SPACE_ERR_SEG_FILESZ },
		{ { 0x500000, 0x1000, 0x10000, 0x200, R }, SPACE_ERR_SEG_FILE },
		{ { 0x500000, 0x1000, UINT64_MAX, 2, R }, SPACE_ERR_SEG_FILE },
		{ { 0x3ff000, 0x1000, 0, 0, R }, SPACE_ERR_SEG_RANGE },
		{ { 0, 0x1000, 0, 0, R }, SPACE_ERR_SEG_RANGE },
		{ { 0xfffff00, 0x200, 0, 0, R }, SPACE_ERR_SEG_RANGE },
		{ { 0x500000, UINT64_MAX, 0, 0, R }, SPACE_ERR_SEG_RANGE },
		{ { 0x3fff0000, 0x1000, 0, 0, R }, SPACE_ERR_SEG_RANGE },
		{ { 0x401fff, 0x10, 0, 0, R }, SPACE_ERR_SEG_OVERLAP }, /* shares text's last page */
		{ { 0x3ff000, 0x10, 0, 0, R }, SPACE_ERR_SEG_RANGE },
	};
	struct space_segment seg[2] = { { 0x400000, 0x2000, 0, 0x100, R | X } };
	struct space_input in = demo_input();
	struct space_layout l = empty_layout();
	struct space_diag diag;

	in.seg = seg;
	in.n_seg = 2;
	in.file_bytes = 0x10100;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_seg); i++) {
		seg[1] = bad_seg[i].seg;
		cr_assert_eq(space_decode(&in, &l, &diag), bad_seg[i].err, "case %u: %s", i,
			     space_strerror(diag.err));
		cr_assert_eq(diag.err, bad_seg[i].err);
		cr_assert_eq(diag.index, 1, "case %u names segment 1", i);
	}
	/* Out of order. */
	seg[1] = (struct space_segment){ 0x400000, 0x1000, 0, 0, R };
	seg[0] = (struct space_segment){ 0x500000, 0x1000, 0, 0, R };
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_ERR_SEG_OVERLAP);

	in = demo_input();
	in.n_seg = 0;
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_ERR_NO_SEGMENTS);
	in = demo_input();
	in.n_cells = 0;
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_ERR_NO_CELLS);
	uint32_t stacks[] = { 4096, 0 };
	in = demo_input();
	in.stack_bytes = stacks;
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_ERR_STACK);
	cr_assert_eq(diag.index, 1);
	uint32_t huge[4] = { 0xfffff000u, 0xfffff000u, 0xfffff000u };
	in.stack_bytes = huge;
	in.n_cells = 3;
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_ERR_VA_FULL);
	cr_assert_eq(diag.index, 0, "one 4 GiB stack is already too much");
	in = demo_input();
	in.heap_min_bytes = SPACE_DATA_END - SPACE_DATA_VA;
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_ERR_VA_FULL);
	cr_assert_eq(diag.index, 2, "the heap is named after the cells");

	in = demo_input();
	in.block.base = pa_init(0x48000800);
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_ERR_BLOCK);
	in = demo_input();
	in.block.size = 0;
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_ERR_BLOCK);
	in.block = (struct pa_range){ pa_init(0xfffffffffffff000ULL), 0x2000 };
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_ERR_BLOCK, "wraps");
}

Test(space, too_small_says_how_much_is_missing)
{
	struct space_input in = demo_input();
	struct space_layout l = empty_layout();
	struct space_diag diag;
	char buf[160];
	struct strbuf sb;

	/* Needs 0xd000 for image, stacks and info, plus 64 KiB of heap. */
	in.block.size = 0xd000 + 64 * KIB - 0x1000;
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_ERR_TOO_SMALL);
	cr_assert_eq(diag.missing_bytes, 0x1000);
	sb_init(&sb, buf, sizeof(buf));
	space_diag_format(&diag, &sb);
	cr_assert_str_eq(buf, "partition memory too small for its program, stacks and heap "
			      "(4096 bytes missing)");
	in.block.size += 0x1000;
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_OK, "exactly enough");
	cr_assert_eq(l.heap.size, 64 * KIB);

	in.block.size = 0x1000;
	in.heap_min_bytes = 0;
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_ERR_TOO_SMALL);
	cr_assert_eq(diag.missing_bytes, 0xc000);

	struct space_diag seg = { SPACE_ERR_SEG_WX, 3, 0 };
	sb_init(&sb, buf, sizeof(buf));
	space_diag_format(&seg, &sb);
	cr_assert_str_eq(buf, "segment is both writable and executable (segment 3)");
	cr_assert_str_eq(space_strerror(SPACE_ERR_COUNT), "unknown address-space error");
}

Test(space, heap_is_capped_by_the_va_room)
{
	struct space_input in = demo_input();
	struct space_layout l = empty_layout();
	struct space_diag diag;

	in.block.size = 2048 * MIB; /* more than the EL0 data area holds */
	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_OK);
	cr_assert_eq(l.heap.va + l.heap.size, l.stack[1].va - SPACE_PAGE,
		     "the heap ends at the lowest stack's guard page");
	cr_assert_lt(l.used_bytes, in.block.size);
}

Test(space, build_takes_exactly_the_pages_decode_counted)
{
	struct space_input in = demo_input();
	struct space_layout l = empty_layout();
	struct space_diag diag;
	uint64_t *root;

	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_OK);
	struct pt_pool pool = make_pool(l.table_pages - 1);
	cr_assert_eq(space_build(&l, &pool, &root), SPACE_ERR_POOL);
	cr_assert_eq(pool.used, 0, "nothing taken when the pool is short");
	pool.n_pages = l.table_pages;
	free(pool.pages);
	pool = make_pool(l.table_pages);
	cr_assert_eq(space_build(&l, &pool, &root), SPACE_OK);
	cr_assert_eq(pool.used, l.table_pages);
	int level;
	cr_assert_eq(pt_lookup(&pool, root, l.stack[0].va - SPACE_PAGE, &level), 0, "guard page");
	cr_assert_eq(pt_lookup(&pool, root, 0, &level), 0, "null guard");
	cr_assert_neq(pt_lookup(&pool, root, 0x3fff0000, &level), 0, "info page");
	free(pool.pages);
}

Test(space, user_ranges_checked_against_the_layout)
{
	struct space_input in = demo_input();
	struct space_layout l = empty_layout();
	struct space_diag diag;

	cr_assert_eq(space_decode(&in, &l, &diag), SPACE_OK);
	cr_assert(space_user_ok(&l, 0x400000, 0x3000, SPACE_READ), "text is readable");
	cr_assert_not(space_user_ok(&l, 0x400000, 0x10, SPACE_WRITE), "text is not writable");
	cr_assert_not(space_user_ok(&l, 0x402ff0, 0x20, SPACE_READ), "runs past the text");
	cr_assert_not(space_user_ok(&l, 0, 1, SPACE_READ), "null guard");
	cr_assert_not(space_user_ok(&l, 0x3ff000, 0x1001, SPACE_READ), "starts in the null guard");
	cr_assert(space_user_ok(&l, 0x420000, 0x4000, SPACE_WRITE), "data, page rounded");
	cr_assert(space_user_ok(&l, 0x3ffee000, 0x2000, SPACE_WRITE), "stack 0");
	cr_assert_not(space_user_ok(&l, 0x3ffed000, 1, SPACE_READ), "stack 0's guard");
	cr_assert_not(space_user_ok(&l, 0x3ffecff8, 0x10, SPACE_WRITE),
		      "stack 1's top runs into stack 0's guard");
	cr_assert(space_user_ok(&l, 0x3ffefff0, 0x20, SPACE_READ),
		  "stack 0 into the info page: adjacent regions");
	cr_assert_not(space_user_ok(&l, 0x3ffefff0, 0x20, SPACE_WRITE), "the info page is read-only");
	cr_assert_not(space_user_ok(&l, 0x3fff0000, 0x1001, SPACE_READ), "past the info page");
	cr_assert(space_user_ok(&l, 0x10000000, l.heap.size, SPACE_WRITE), "the whole heap");
	cr_assert_not(space_user_ok(&l, 0x10000000, l.heap.size + 1, SPACE_WRITE));
	cr_assert_not(space_user_ok(&l, 0x10000000, UINT64_MAX, SPACE_READ), "huge length");
	cr_assert_not(space_user_ok(&l, UINT64_MAX - 4, 8, SPACE_READ), "wraps");
	cr_assert_not(space_user_ok(&l, 0xffffff8000400000ULL, 8, SPACE_READ), "kernel half");
	cr_assert(space_user_ok(&l, 0, 0, SPACE_WRITE), "no bytes");
}

/* ---- Property tests: seeded random layouts, several partitions in disjoint blocks. ---- */

static uint64_t rng_state;
static uint64_t rnd(uint64_t n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (rng_state >> 33) % n;
}

#define PROP_PARTS 6
#define PROP_SEGS 4
#define PROP_CELLS 3

struct prop_part {
	struct space_segment seg[PROP_SEGS];
	uint32_t stack[PROP_CELLS];
	struct space_input in;
	struct space_region seg_r[PROP_SEGS], stack_r[PROP_CELLS];
	struct space_layout l;
	uint64_t *root;
};

static void random_program(struct prop_part *p)
{
	static const uint32_t flags[] = { R | X, R, R | W, X, W };
	uint64_t va = SPACE_IMAGE_VA + rnd(16) * SPACE_PAGE, file = 0;

	p->in.n_seg = 1 + (unsigned int)rnd(PROP_SEGS);
	for (unsigned int i = 0; i < p->in.n_seg; i++) {
		struct space_segment *s = &p->seg[i];

		s->vaddr = va + rnd(SPACE_PAGE);
		s->memsz = 1 + rnd(rnd(2) ? 3 * MIB : 20 * KIB);
		s->filesz = rnd(2) ? rnd(s->memsz + 1) : 0;
		s->file_off = file;
		s->flags = flags[rnd(ARRAY_SIZE(flags))];
		file += s->filesz;
		va = ALIGN_UP(s->vaddr + s->memsz, SPACE_PAGE) + rnd(4) * SPACE_PAGE;
		if (rnd(4) == 0)
			va = ALIGN_UP(va, PT_BLOCK_L2); /* sometimes 2 MiB aligned: blocks */
	}
	p->in.seg = p->seg;
	p->in.file_bytes = file;
	p->in.n_cells = 1 + (unsigned int)rnd(PROP_CELLS);
	for (unsigned int i = 0; i < p->in.n_cells; i++)
		p->stack[i] = 4096 + (uint32_t)rnd(64 * KIB);
	p->in.stack_bytes = p->stack;
	p->in.heap_min_bytes = rnd(3 * MIB);
}

struct mapped_page {
	uint64_t pa;
	int part;
};

static int cmp_page(const void *a, const void *b)
{
	uint64_t x = ((const struct mapped_page *)a)->pa, y = ((const struct mapped_page *)b)->pa;
	return x < y ? -1 : x > y;
}

/* The region of l mapping va, or NULL. */
static const struct space_region *region_of(const struct space_layout *l, uint64_t va)
{
	const struct space_region *all[PROP_SEGS + PROP_CELLS + 2];
	unsigned int n = 0;

	for (unsigned int i = 0; i < l->n_seg; i++)
		all[n++] = &l->seg[i];
	for (unsigned int i = 0; i < l->n_cells; i++)
		all[n++] = &l->stack[i];
	all[n++] = &l->heap;
	all[n++] = &l->info;
	for (unsigned int i = 0; i < n; i++)
		if (va >= all[i]->va && va - all[i]->va < all[i]->size)
			return all[i];
	return NULL;
}

static bool is_guard(const struct space_layout *l, uint64_t va)
{
	for (unsigned int i = 0; i < l->n_cells; i++)
		if (va == l->stack[i].va - SPACE_PAGE)
			return true;
	return false;
}

/* Every leaf of the tree, page by page: checks each, records its physical page. */
static size_t walk(const struct pt_pool *pool, const uint64_t *root, const struct prop_part *p,
		   int part, struct mapped_page *out, size_t cap)
{
	const struct pa_range *blk = &p->in.block;
	size_t n = 0;

	for (unsigned int i1 = 0; i1 < PT_ENTRIES; i1++) {
		if (!(root[i1] & PT_DESC_VALID))
			continue;
		cr_assert_eq(i1, 0, "EL0 mappings stay below 1 GiB");
		const uint64_t *l2 = pool->to_va(root[i1] & PT_DESC_ADDR_MASK);
		for (unsigned int i2 = 0; i2 < PT_ENTRIES; i2++) {
			uint64_t d2 = l2[i2];

			if (!(d2 & PT_DESC_VALID))
				continue;
			const uint64_t *l3 = (d2 & PT_DESC_TABLE) ? pool->to_va(d2 & PT_DESC_ADDR_MASK)
								   : NULL;
			for (unsigned int i3 = 0; i3 < PT_ENTRIES; i3++) {
				uint64_t va = ((uint64_t)i2 << 21) | ((uint64_t)i3 << 12);
				uint64_t d = l3 ? l3[i3] : d2;
				uint64_t pa = (d & PT_DESC_ADDR_MASK) + (l3 ? 0 : (uint64_t)i3 << 12);

				if (!(d & PT_DESC_VALID))
					continue;
				cr_assert(d & PT_DESC_AP_EL0, "va %#lx: an EL0 page", (unsigned long)va);
				cr_assert(d & PT_DESC_NG, "va %#lx: non-global", (unsigned long)va);
				cr_assert(d & PT_DESC_PXN, "va %#lx: PXN", (unsigned long)va);
				cr_assert((d & PT_DESC_AP_RO) || (d & PT_DESC_UXN),
					  "va %#lx: W^X", (unsigned long)va);
				cr_assert(pa >= pa_addr(blk->base) && pa < pa_range_end(blk),
					  "va %#lx -> pa %#lx outside the partition's block",
					  (unsigned long)va, (unsigned long)pa);
				cr_assert_geq(va, SPACE_IMAGE_VA, "null guard mapped");
				cr_assert_not(is_guard(&p->l, va), "stack guard %#lx mapped",
					      (unsigned long)va);
				const struct space_region *r = region_of(&p->l, va);
				cr_assert_not_null(r, "va %#lx mapped outside the layout",
						   (unsigned long)va);
				cr_assert_eq(pa, r->pa + (va - r->va), "va %#lx: pa disagrees",
					     (unsigned long)va);
				cr_assert_lt(n, cap);
				out[n++] = (struct mapped_page){ pa, part };
			}
		}
	}
	return n;
}

/* The physical address a leaf descriptor gives va. */
static uint64_t lookup_pa(uint64_t d, int level, uint64_t va)
{
	uint64_t span = level == 2 ? PT_BLOCK_L2 : SPACE_PAGE;

	cr_assert_neq(d, 0, "va %#lx unmapped", (unsigned long)va);
	return (d & PT_DESC_ADDR_MASK & ~(span - 1)) + (va & (span - 1));
}

static uint64_t region_pages(const struct space_layout *l)
{
	uint64_t n = l->heap.size + l->info.size;

	for (unsigned int i = 0; i < l->n_seg; i++)
		n += l->seg[i].size;
	for (unsigned int i = 0; i < l->n_cells; i++)
		n += l->stack[i].size;
	return n / SPACE_PAGE;
}

Test(space, property_isolation_and_agreement)
{
	static struct prop_part part[PROP_PARTS];
	const size_t cap = 64 * 1024;
	struct mapped_page *pages = malloc(cap * sizeof(*pages));

	cr_assert_not_null(pages);
	for (uint64_t seed = 1; seed <= 60; seed++) {
		struct pt_pool pool = make_pool(256);
		unsigned int n_part = 2 + (unsigned int)(seed % (PROP_PARTS - 1));
		size_t n_pages = 0;

		rng_state = seed;
		uint64_t base = 0x40000000 + rnd(64) * SPACE_PAGE;
		for (unsigned int i = 0; i < n_part; i++) {
			struct prop_part *p = &part[i];
			struct space_diag diag;

			memset(p, 0, sizeof(*p));
			random_program(p);
			p->l = (struct space_layout){ .seg = p->seg_r, .stack = p->stack_r };
			/* Ask with one page, learn what is missing, then give that plus some. */
			p->in.block = (struct pa_range){ pa_init(base), SPACE_PAGE };
			cr_assert_eq(space_decode(&p->in, &p->l, &diag), SPACE_ERR_TOO_SMALL);
			p->in.block.size += diag.missing_bytes + rnd(2) * rnd(MIB / SPACE_PAGE) * SPACE_PAGE;
			cr_assert_eq(space_decode(&p->in, &p->l, &diag), SPACE_OK, "seed %lu part %u: %s",
				     (unsigned long)seed, i, space_strerror(diag.err));
			cr_assert_leq(p->l.used_bytes, p->in.block.size);
			size_t before = pool.used;
			cr_assert_eq(space_build(&p->l, &pool, &p->root), SPACE_OK);
			cr_assert_eq(pool.used - before, p->l.table_pages, "seed %lu: table count",
				     (unsigned long)seed);
			/* Next block: disjoint, after a gap, sometimes 2 MiB aligned. */
			base = pa_range_end(&p->in.block) + rnd(4) * SPACE_PAGE;
			if (rnd(2))
				base = ALIGN_UP(base, PT_BLOCK_L2) + rnd(2) * SPACE_PAGE;
		}
		for (unsigned int i = 0; i < n_part; i++) {
			struct prop_part *p = &part[i];
			size_t got = walk(&pool, p->root, p, (int)i, pages + n_pages, cap - n_pages);
			int level;

			cr_assert_eq(got, region_pages(&p->l), "seed %lu: every layout page mapped once",
				     (unsigned long)seed);
			n_pages += got;
			/* pt_lookup agrees with the layout record, page by page. */
			const struct space_region *all[PROP_SEGS + PROP_CELLS + 2];
			unsigned int n_all = 0;
			for (unsigned int k = 0; k < p->l.n_seg; k++)
				all[n_all++] = &p->l.seg[k];
			for (unsigned int c = 0; c < p->l.n_cells; c++)
				all[n_all++] = &p->l.stack[c];
			all[n_all++] = &p->l.heap;
			all[n_all++] = &p->l.info;
			for (unsigned int k = 0; k < n_all; k++)
				for (uint64_t off = 0; off < all[k]->size; off += SPACE_PAGE) {
					uint64_t d = pt_lookup(&pool, p->root, all[k]->va + off, &level);

					cr_assert_eq(lookup_pa(d, level, all[k]->va + off),
						     all[k]->pa + off);
					cr_assert_eq(!(d & PT_DESC_UXN), all[k]->attr == PT_USER_RX);
					cr_assert_eq(!(d & PT_DESC_AP_RO), all[k]->attr == PT_USER_RW);
				}
			for (unsigned int c = 0; c < p->l.n_cells; c++)
				cr_assert_eq(pt_lookup(&pool, p->root, p->l.stack[c].va - SPACE_PAGE,
						       &level), 0, "guard page");
			for (unsigned int k = 0; k < p->l.n_seg; k++) {
				uint32_t f = p->seg[k].flags;
				enum pt_attr want = (f & X) ? PT_USER_RX : (f & W) ? PT_USER_RW
										: PT_USER_RO;
				cr_assert_eq(p->l.seg[k].attr, want, "segment %u flags %u", k, f);
			}
			/* The pointer check agrees with the tables, at edges and at random. */
			for (unsigned int k = 0; k < n_all + 300; k++) {
				uint64_t va = k < n_all ? all[k]->va + all[k]->size - 1 + rnd(3)
							: rnd(SPACE_VA_END);
				uint64_t d = pt_lookup(&pool, p->root, va, &level);

				cr_assert_eq(space_user_ok(&p->l, va, 1, SPACE_READ), d != 0,
					     "va %#lx", (unsigned long)va);
				cr_assert_eq(space_user_ok(&p->l, va, 1, SPACE_WRITE),
					     d != 0 && !(d & PT_DESC_AP_RO), "va %#lx", (unsigned long)va);
			}
			uint64_t d = pt_lookup(&pool, p->root, SPACE_INFO_VA, &level);
			cr_assert((d & PT_DESC_AP_RO) && (d & PT_DESC_UXN), "info page read-only");
		}
		/* No physical page is mapped twice, within or across partitions. */
		qsort(pages, n_pages, sizeof(*pages), cmp_page);
		for (size_t i = 1; i < n_pages; i++)
			cr_assert_neq(pages[i].pa, pages[i - 1].pa,
				      "seed %lu: pa %#lx mapped by partitions %d and %d",
				      (unsigned long)seed, (unsigned long)pages[i].pa,
				      pages[i - 1].part, pages[i].part);
		free(pool.pages);
	}
	free(pages);
}
