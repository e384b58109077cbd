/*
 * core/uaccess_fast.c: a partition's writable ranges, precomputed from its layout, and
 * the quick check of a port call's buffer against them. It may only accept what the
 * full check (core/uaccess.c) accepts: a range wholly inside one writable region, never
 * the info page, a read-only segment or a gap; the alias is the region's own.
 */
#include <criterion/criterion.h>
#include "core/uaccess_fast.h"

#define KBASE 0x100000000000ull /* the fake linear map: kva = KBASE + pa */

static uint8_t *fake_kva(uint64_t pa)
{
	return (uint8_t *)(uintptr_t)(KBASE + pa);
}

static struct space_region seg[3], stack[2];
static struct space_layout layout;

/* A program with text (RX), rodata (R) and data (RW); two stacks; the heap; the info
 * page mapped RW by a buggy layout (the check must still never accept it). */
static void setup(void)
{
	seg[0] = (struct space_region){ 0x400000, 0x80000000, 0x2000, PT_USER_RX };
	seg[1] = (struct space_region){ 0x402000, 0x80002000, 0x1000, PT_USER_RO };
	seg[2] = (struct space_region){ 0x403000, 0x80003000, 0x3000, PT_USER_RW };
	stack[0] = (struct space_region){ 0x3ffe0000, 0x80010000, 0x4000, PT_USER_RW };
	stack[1] = (struct space_region){ 0x3ffd0000, 0x80014000, 0x2000, PT_USER_RW };
	layout = (struct space_layout){ .seg = seg, .stack = stack, .n_seg = 3, .n_cells = 2 };
	layout.heap = (struct space_region){ 0x10000000, 0x80020000, 0x100000, PT_USER_RW };
	layout.info = (struct space_region){ BH_INFO_VA, 0x80016000, 0x1000, PT_USER_RW };
}

TestSuite(uaccess_fast, .init = setup);

static const struct uaccess_fast *built(void)
{
	static struct uaccess_fast f;

	uaccess_fast_build(&layout, fake_kva, &f);
	return &f;
}

Test(uaccess_fast, stacks_heap_and_writable_segments_only)
{
	const struct uaccess_fast *f = built();

	cr_assert_eq(f->n, 4, "two stacks, the heap, the data segment");
	cr_assert_eq(f->r[0].va, stack[0].va, "stacks first: most buffers are locals");
	cr_assert_eq(uaccess_fast_writable(f, 0x3ffe0010, 64), fake_kva(0x80010010));
	cr_assert_eq(uaccess_fast_writable(f, 0x3ffd1fc0, 64), fake_kva(0x80015fc0), "stack 1, its end");
	cr_assert_eq(uaccess_fast_writable(f, 0x10000008, 4096), fake_kva(0x80020008), "heap");
	cr_assert_eq(uaccess_fast_writable(f, 0x405ff0, 16), fake_kva(0x80005ff0), "data, its end");
	cr_assert_eq(uaccess_fast_writable(f, 0x3ffe0000, 0x4000), fake_kva(0x80010000), "a whole stack");
}

Test(uaccess_fast, anything_else_is_left_to_the_full_check)
{
	const struct uaccess_fast *f = built();

	cr_assert_null(uaccess_fast_writable(f, 0x400100, 8), "text");
	cr_assert_null(uaccess_fast_writable(f, 0x402100, 8), "rodata");
	cr_assert_null(uaccess_fast_writable(f, BH_INFO_VA, 8), "the info page, whatever its mapping");
	cr_assert_null(uaccess_fast_writable(f, 0x405ff8, 16), "past the data segment's end");
	cr_assert_null(uaccess_fast_writable(f, 0x3ffe3fc1, 64), "one byte past a stack");
	cr_assert_null(uaccess_fast_writable(f, 0x3ffdfff0, 32), "over the guard between stacks");
	cr_assert_null(uaccess_fast_writable(f, 0x3ffdffff, 1), "a guard page");
	cr_assert_null(uaccess_fast_writable(f, 0x3ffe0000 - 8, 16), "starting below a range");
	cr_assert_null(uaccess_fast_writable(f, 0x3ffe0010, UINT64_MAX), "a length that wraps");
	cr_assert_null(uaccess_fast_writable(f, UINT64_MAX - 7, 64), "an address that wraps");
	cr_assert_null(uaccess_fast_writable(f, 0, 8), "the null guard");
	cr_assert_null(uaccess_fast_writable(f, 0xffffffc000001000ull, 8), "a kernel address");
}

Test(uaccess_fast, a_region_over_the_info_page_is_never_a_range)
{
	/* A buggy layout whose heap runs over the info page: the full check refuses
	 * writes there whatever the mapping says, so the quick one must not take it. */
	layout.heap = (struct space_region){ BH_INFO_VA - 0x1000, 0x80020000, 0x3000, PT_USER_RW };
	const struct uaccess_fast *f = built();

	cr_assert_eq(f->n, 3);
	cr_assert_null(uaccess_fast_writable(f, BH_INFO_VA, 8));
	cr_assert_null(uaccess_fast_writable(f, BH_INFO_VA - 0x800, 8));
}

Test(uaccess_fast, at_most_the_table_and_empty_regions_are_skipped)
{
	static struct space_region many[10];
	static struct uaccess_fast f;

	for (unsigned int i = 0; i < 10; i++)
		many[i] = (struct space_region){ 0x400000 + 0x1000ull * i, 0x80000000 + 0x1000ull * i,
						 0x1000, PT_USER_RW };
	layout.seg = many;
	layout.n_seg = 10;
	layout.heap.size = 0;
	uaccess_fast_build(&layout, fake_kva, &f);
	cr_assert_eq(f.n, UACCESS_FAST_RANGES);
	cr_assert_null(uaccess_fast_writable(&f, 0x10000000, 8), "an empty heap is no range");
	cr_assert_not_null(uaccess_fast_writable(&f, 0x400000, 8));
	cr_assert_null(uaccess_fast_writable(&f, 0x409000, 8), "beyond the table: the full check");
}
