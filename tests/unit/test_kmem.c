/*
 * The kernel's tables from free RAM (core/kmem.c): exact accounting (every byte handed
 * out, padding for alignment included, and no more), alignment, zeroed tables, and a
 * refusal that takes nothing and says what was missing when RAM is short.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "core/kmem.h"

#define RANGE 0x10000u
#define PA 0x48000000ull

static uint8_t *ram;
static struct kmem m;

static void setup(void)
{
	ram = aligned_alloc(4096, RANGE);
	cr_assert(ram);
	memset(ram, 0xa5, RANGE); /* what free RAM may hold: the tables must come zeroed */
	kmem_init(&m, ram, PA, RANGE);
}

static void teardown(void)
{
	free(ram);
}

TestSuite(kmem, .init = setup, .fini = teardown);

Test(kmem, tables_take_exactly_their_bytes_and_alignment_padding)
{
	void *a, *b, *c;

	cr_assert_eq(kmem_alloc(&m, "a", 3, 40, 8, &a), KMEM_OK);
	cr_assert_eq(a, ram);
	cr_assert_eq(kmem_used(&m), 120);
	/* 120 rounded up to 64: 8 bytes of padding, then 10 * 100. */
	cr_assert_eq(kmem_alloc(&m, "b", 10, 100, 64, &b), KMEM_OK);
	cr_assert_eq(b, ram + 128);
	cr_assert_eq(kmem_used(&m), 128 + 1000);
	cr_assert_eq(kmem_alloc(&m, "c", 1, 4096, 4096, &c), KMEM_OK);
	cr_assert_eq(c, ram + 4096);
	cr_assert_eq(kmem_used(&m), 8192);
	cr_assert_eq(kmem_pa(&m, c), PA + 4096);
	cr_assert_eq(kmem_va(&m, PA + 4096), c);
	for (unsigned int i = 0; i < 120; i++)
		cr_assert_eq(((uint8_t *)a)[i], 0, "byte %u of a", i);
	for (unsigned int i = 0; i < 1000; i++)
		cr_assert_eq(((uint8_t *)b)[i], 0, "byte %u of b", i);
	cr_assert_eq(ram[120], 0xa5, "padding is not written");
	cr_assert_eq(ram[1128], 0xa5, "bytes past a table are not written");
}

Test(kmem, an_empty_table_takes_nothing)
{
	void *a = ram;

	cr_assert_eq(kmem_alloc(&m, "none", 0, 64, 64, &a), KMEM_OK);
	cr_assert_null(a);
	cr_assert_eq(kmem_alloc(&m, "none", 5, 0, 64, &a), KMEM_OK);
	cr_assert_eq(kmem_used(&m), 0);
}

Test(kmem, the_whole_range_fits_and_one_byte_more_is_refused)
{
	void *a, *b;

	cr_assert_eq(kmem_alloc(&m, "all but one", 1, RANGE - 1, 1, &a), KMEM_OK);
	cr_assert_eq(kmem_alloc(&m, "two", 2, 1, 1, &b), KMEM_ERR_SHORT);
	cr_assert_null(b);
	cr_assert_eq(m.want, 2);
	cr_assert_eq(m.free, 1);
	cr_assert_str_eq(m.what, "two");
	cr_assert_eq(kmem_used(&m), RANGE - 1, "a refusal takes nothing");
	cr_assert_eq(kmem_alloc(&m, "one", 1, 1, 1, &b), KMEM_OK);
	cr_assert_eq(kmem_used(&m), RANGE);
}

Test(kmem, padding_counts_against_what_is_left)
{
	void *a;

	cr_assert_eq(kmem_alloc(&m, "a", 1, RANGE - 4096 + 8, 8, &a), KMEM_OK);
	/* 4088 bytes are left, but a page-aligned table would start past the end. */
	cr_assert_eq(kmem_alloc(&m, "page", 1, 4096, 4096, &a), KMEM_ERR_SHORT);
	cr_assert_eq(m.free, 0);
	cr_assert_eq(kmem_alloc(&m, "small", 1, 16, 4096, &a), KMEM_ERR_SHORT);
	cr_assert_eq(m.free, 0);
	cr_assert_eq(kmem_alloc(&m, "fits", 1, 4088, 8, &a), KMEM_OK);
	cr_assert_eq(kmem_used(&m), RANGE);
}

Test(kmem, an_overflowing_count_is_refused_not_wrapped)
{
	void *a;

	cr_assert_eq(kmem_alloc(&m, "huge", UINT64_MAX / 2, 4, 8, &a), KMEM_ERR_SHORT);
	cr_assert_eq(m.want, UINT64_MAX);
	cr_assert_eq(kmem_used(&m), 0);
}

Test(kmem, a_bad_alignment_is_refused)
{
	void *a;

	cr_assert_eq(kmem_alloc(&m, "x", 1, 8, 0, &a), KMEM_ERR_ALIGN);
	cr_assert_eq(kmem_alloc(&m, "x", 1, 8, 24, &a), KMEM_ERR_ALIGN);
	cr_assert_eq(kmem_used(&m), 0);
	cr_assert_str_eq(kmem_strerror(KMEM_ERR_SHORT), "not enough free RAM for the kernel's tables");
}

Test(kmem, a_pool_takes_the_rest_then_gives_back_what_it_did_not_use)
{
	void *a;
	uint64_t bytes;
	uint8_t *pool;

	cr_assert_eq(kmem_alloc(&m, "a", 1, 100, 8, &a), KMEM_OK);
	pool = kmem_rest(&m, 4096, &bytes);
	cr_assert_eq(pool, ram + 4096);
	cr_assert_eq(bytes, RANGE - 4096);
	cr_assert_eq(kmem_used(&m), RANGE);
	kmem_trim(&m, pool, 3 * 4096);
	cr_assert_eq(kmem_used(&m), 4 * 4096, "the table, its padding and three pages");
	cr_assert_eq(kmem_alloc(&m, "after", 1, 8, 8, &a), KMEM_OK);
	cr_assert_eq(a, ram + 4 * 4096);
	pool = kmem_rest(&m, 1, &bytes);
	kmem_trim(&m, pool, bytes);
	cr_assert_eq(kmem_used(&m), RANGE);
	cr_assert_null(kmem_rest(&m, 1, &bytes));
	cr_assert_eq(bytes, 0);
}
