/*
 * core/uaccess.c against two fake partitions (tests/unit/fake_space.h): ranges are
 * checked against the caller's own mappings, byte for byte as the ABI says, and copies go
 * page by page through the kernel's aliases.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "core/uaccess.h"
#include "fake_space.h"

static void setup(void)
{
	fake_space_init();
}

static void teardown(void)
{
	cr_expect_eq(fake_a.bad_queries + fake_b.bad_queries, 0,
		     "lookup only ever asked about page-aligned EL0 addresses");
	fake_space_fini();
}

TestSuite(uaccess, .init = setup, .fini = teardown);

#define R UACCESS_READ
#define W UACCESS_WRITE

/* The error of a check, with its first failing byte. */
static enum uaccess_err check(struct fake_part *p, uint64_t va, uint64_t len, unsigned int need,
			      uint64_t *bad)
{
	struct uaccess_span span;

	return uaccess_check(&p->space, va, len, need, &span, bad);
}

static void expect_pattern(const uint8_t *buf, char id, uint64_t va, size_t len)
{
	for (size_t i = 0; i < len; i++)
		cr_assert_eq(buf[i], fake_pattern(id, va + i), "byte %zu of the copy from 0x%llx", i,
			     (unsigned long long)va);
}

Test(uaccess, error_names_are_distinct_words)
{
	for (int i = 0; i < UACCESS_ERR_COUNT; i++) {
		cr_assert_str_neq(uaccess_strerror(i), "?");
		for (int k = 0; k < i; k++)
			cr_assert_str_neq(uaccess_strerror(i), uaccess_strerror(k));
	}
	cr_assert_str_eq(uaccess_strerror(UACCESS_ERR_COUNT), "?");
	cr_assert_str_eq(uaccess_strerror(UACCESS_ERR_UNMAPPED), "unmapped");
}

Test(uaccess, reads_inside_one_page)
{
	uint8_t buf[64];
	uint64_t bad = 1;

	cr_assert_eq(uaccess_copy_from(&fake_a.space, buf, 0x401010, sizeof(buf), &bad), UACCESS_OK);
	expect_pattern(buf, 'A', 0x401010, sizeof(buf));
	cr_assert_eq(uaccess_copy_from(&fake_a.space, buf, BH_INFO_VA, sizeof(buf), &bad), UACCESS_OK,
		     "the info page is readable");
	cr_assert_eq(uaccess_copy_from(&fake_a.space, buf, 0x400000, 1, &bad), UACCESS_OK,
		     "the first byte above the null guard");
}

Test(uaccess, a_range_over_two_pages_is_copied_through_both_aliases)
{
	struct uaccess_span span;
	uint8_t buf[0x40];
	uint64_t bad;

	cr_assert_eq(uaccess_check(&fake_a.space, 0x10000fe0, sizeof(buf), R, &span, &bad),
		     UACCESS_OK);
	cr_assert_eq(span.n, 2);
	cr_assert_eq(span.part[0].len, 0x20);
	cr_assert_eq(span.part[1].len, 0x20);
	cr_assert_eq(span.part[0].kva, fake_byte(&fake_a, 0x10000fe0));
	cr_assert_eq(span.part[1].kva, fake_byte(&fake_a, 0x10001000));
	cr_assert_neq(span.part[0].kva + 0x20, span.part[1].kva, "the pages are not adjacent");
	uaccess_read(&span, buf);
	expect_pattern(buf, 'A', 0x10000fe0, sizeof(buf));
}

Test(uaccess, writes_go_to_the_callers_pages_across_a_boundary)
{
	uint8_t src[0x30];
	uint64_t bad;

	memset(src, 0x5a, sizeof(src));
	cr_assert_eq(uaccess_copy_to(&fake_a.space, 0x3ffeeff0, src, sizeof(src), &bad), UACCESS_OK);
	for (uint64_t va = 0x3ffeefef; va < 0x3ffeeff0 + sizeof(src) + 1; va++) {
		bool inside = va >= 0x3ffeeff0 && va < 0x3ffeeff0 + sizeof(src);

		cr_assert_eq(*fake_byte(&fake_a, va), inside ? 0x5a : fake_pattern('A', va),
			     "byte at 0x%llx", (unsigned long long)va);
	}
	cr_assert_eq(*fake_byte(&fake_b, 0x3ffe1000), fake_pattern('B', 0x3ffe1000),
		     "the other partition is untouched");
}

Test(uaccess, a_range_from_a_mapped_into_an_unmapped_page_fails_at_the_boundary)
{
	uint8_t buf[0x20], before[0x20];
	uint64_t bad = 0;

	memset(buf, 0xee, sizeof(buf));
	memcpy(before, buf, sizeof(buf));
	cr_assert_eq(uaccess_copy_from(&fake_a.space, buf, 0x10001ff0, sizeof(buf), &bad),
		     UACCESS_ERR_UNMAPPED);
	cr_assert_eq(bad, 0x10002000);
	cr_assert_arr_eq(buf, before, sizeof(buf), "nothing is copied from a bad range");
}

Test(uaccess, a_failed_write_writes_nothing)
{
	uint8_t src[0x20];
	uint64_t bad = 0;

	memset(src, 0x77, sizeof(src));
	/* The stack's top page, then the read-only info page. */
	cr_assert_eq(uaccess_copy_to(&fake_a.space, 0x3ffefff0, src, sizeof(src), &bad),
		     UACCESS_ERR_INFO_PAGE);
	cr_assert_eq(bad, BH_INFO_VA);
	for (uint64_t va = 0x3ffefff0; va < BH_INFO_VA; va++)
		cr_assert_eq(*fake_byte(&fake_a, va), fake_pattern('A', va));
}

Test(uaccess, guard_pages_are_unmapped)
{
	uint64_t bad = 0;

	cr_assert_eq(check(&fake_a, 0x3ffed000, 8, R, &bad), UACCESS_ERR_UNMAPPED);
	cr_assert_eq(bad, 0x3ffed000);
	cr_assert_eq(check(&fake_a, 0x3ffedff8, 16, R, &bad), UACCESS_ERR_UNMAPPED,
		     "from the guard into the stack");
	cr_assert_eq(bad, 0x3ffedff8);
	cr_assert_eq(check(&fake_a, 0x3ffee000, 16, R | W, &bad), UACCESS_OK, "the stack above it");
}

Test(uaccess, null_and_the_null_guard)
{
	uint64_t bad = 1;

	cr_assert_eq(check(&fake_a, 0, 1, R, &bad), UACCESS_ERR_NULL_GUARD);
	cr_assert_eq(bad, 0);
	cr_assert_eq(check(&fake_a, BH_IMAGE_VA - 1, 2, R, &bad), UACCESS_ERR_NULL_GUARD,
		     "one byte below the image");
	cr_assert_eq(check(&fake_a, 0x1000, 8, W, &bad), UACCESS_ERR_NULL_GUARD);
	cr_assert_eq(fake_a.lookups, 0, "refused before asking the space");
}

Test(uaccess, kernel_and_out_of_el0_addresses)
{
	static const uint64_t kernel[] = { 0xffffffc000000000ull, 0xffff000000000000ull,
					   0xffffffffffff0000ull, BH_EL0_VA_END,
					   0x0000800000000000ull, 0x8000000000000000ull };
	uint64_t bad = 0;

	for (size_t i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		cr_assert_eq(check(&fake_a, kernel[i], 8, R, &bad), UACCESS_ERR_NOT_EL0, "0x%llx",
			     (unsigned long long)kernel[i]);
		cr_assert_eq(bad, kernel[i]);
	}
	cr_assert_eq(check(&fake_a, BH_EL0_VA_END - 8, 16, R, &bad), UACCESS_ERR_NOT_EL0,
		     "a range that ends past the EL0 space");
	cr_assert_eq(bad, BH_EL0_VA_END);
	cr_assert_eq(check(&fake_a, UINT64_MAX, 1, R, &bad), UACCESS_ERR_NOT_EL0,
		     "the last byte, without wrapping");
	cr_assert_eq(fake_a.lookups, 0);
}

Test(uaccess, wrapping_ranges)
{
	uint64_t bad = 0;

	cr_assert_eq(check(&fake_a, UINT64_MAX, 2, R, &bad), UACCESS_ERR_WRAP);
	cr_assert_eq(bad, UINT64_MAX);
	cr_assert_eq(check(&fake_a, UINT64_MAX - 0xf, 0x20, R, &bad), UACCESS_ERR_WRAP);
	cr_assert_eq(check(&fake_a, 0xfffffffffffffff0ull, 0x400010 + 0x10, R, &bad),
		     UACCESS_ERR_TOO_LONG, "the length is checked first");
	cr_assert_eq(check(&fake_a, UINT64_MAX - 0x7ff, 0x810, R, &bad), UACCESS_ERR_WRAP,
		     "would end at 0xf");
	cr_assert_eq(bad, UINT64_MAX - 0x7ff);
}

Test(uaccess, lengths_up_to_the_maximum)
{
	struct uaccess_span span;
	uint8_t *buf = malloc(UACCESS_MAX_BYTES);
	uint64_t bad = 0;

	/* The longest range, unaligned, over two of B's heap pages. */
	cr_assert_eq(uaccess_check(&fake_b.space, 0x10000800, UACCESS_MAX_BYTES, R, &span, &bad),
		     UACCESS_OK);
	cr_assert_eq(span.n, 2);
	uaccess_read(&span, buf);
	expect_pattern(buf, 'B', 0x10000800, UACCESS_MAX_BYTES);
	cr_assert_eq(check(&fake_b, 0x10000000, UACCESS_MAX_BYTES + 1, R, &bad),
		     UACCESS_ERR_TOO_LONG);
	cr_assert_eq(check(&fake_b, 0x10000000, UINT64_MAX, R, &bad), UACCESS_ERR_TOO_LONG);
	free(buf);
}

Test(uaccess, empty_ranges_are_valid_anywhere_and_touch_nothing)
{
	static const uint64_t where[] = { 0, 0x3ffed000, 0xffffffc000000000ull, UINT64_MAX };
	struct uaccess_span span;
	uint64_t bad;

	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		cr_assert_eq(uaccess_check(&fake_a.space, where[i], 0, R | W, &span, &bad),
			     UACCESS_OK);
		cr_assert_eq(span.n, 0);
		cr_assert_eq(span.len, 0);
	}
	cr_assert_eq(fake_a.lookups, 0);
}

Test(uaccess, rights_read_only_pages_and_the_info_page)
{
	uint64_t bad = 0;

	cr_assert_eq(check(&fake_a, 0x400000, 4, W, &bad), UACCESS_ERR_NO_WRITE, "text");
	cr_assert_eq(check(&fake_a, 0x401000, 4, W, &bad), UACCESS_ERR_NO_WRITE, "rodata");
	cr_assert_eq(check(&fake_a, 0x402000, 4, R | W, &bad), UACCESS_OK, "data");
	cr_assert_eq(check(&fake_a, 0x403000, 4, R, &bad), UACCESS_ERR_NO_READ, "execute-only");
	cr_assert_eq(check(&fake_a, BH_INFO_VA + 8, 4, W, &bad), UACCESS_ERR_INFO_PAGE);
	cr_assert_eq(bad, BH_INFO_VA + 8);
	fake_a_info_writable = true;
	cr_assert_eq(check(&fake_a, BH_INFO_VA, 4, W, &bad), UACCESS_ERR_INFO_PAGE,
		     "refused even where the space maps it writable");
	cr_assert_eq(check(&fake_a, BH_INFO_VA, 4, R, &bad), UACCESS_OK);
}

Test(uaccess, device_memory_is_never_copied)
{
	uint64_t bad = 0;

	cr_assert_eq(check(&fake_a, BH_DEVICE_VA, 4, R, &bad), UACCESS_ERR_DEVICE);
	cr_assert_eq(check(&fake_a, BH_DEVICE_VA + 0x10, 4, W, &bad), UACCESS_ERR_DEVICE);
	cr_assert_eq(bad, BH_DEVICE_VA + 0x10);
}

Test(uaccess, each_partition_sees_only_its_own_pages)
{
	uint8_t a[16], b[16];
	uint64_t bad = 0;

	cr_assert_eq(uaccess_copy_from(&fake_a.space, a, 0x10004000, sizeof(a), &bad),
		     UACCESS_ERR_UNMAPPED, "B's heap is not A's");
	cr_assert_eq(uaccess_copy_from(&fake_b.space, b, 0x10004000, sizeof(b), &bad), UACCESS_OK);
	expect_pattern(b, 'B', 0x10004000, sizeof(b));
	cr_assert_eq(uaccess_copy_from(&fake_a.space, a, 0x10000000, sizeof(a), &bad), UACCESS_OK);
	cr_assert_eq(uaccess_copy_from(&fake_b.space, b, 0x10000000, sizeof(b), &bad), UACCESS_OK);
	expect_pattern(a, 'A', 0x10000000, sizeof(a));
	expect_pattern(b, 'B', 0x10000000, sizeof(b));
	cr_assert_eq(check(&fake_a, 0x3ffe1000, 8, R, &bad), UACCESS_ERR_UNMAPPED, "B's stack");
	cr_assert_eq(check(&fake_b, 0x401000, 8, W, &bad), UACCESS_OK, "B's own data");
	cr_assert_eq(check(&fake_a, 0x401000, 8, W, &bad), UACCESS_ERR_NO_WRITE,
		     "the same VA is read-only in A");
}

/*
 * Seeded random ranges against a byte-by-byte model of the documented rules: the
 * length, wrap and EL0 bounds first, then each byte's page in order. The model never
 * walks pages, so a page-walk slip (a skipped or repeated page, an off-by-one at a
 * boundary) disagrees with it.
 */
static enum uaccess_err model(struct fake_part *p, uint64_t va, uint64_t len, unsigned int need,
			      uint64_t *bad)
{
	*bad = va;
	if (len == 0)
		return UACCESS_OK;
	if (len > UACCESS_MAX_BYTES)
		return UACCESS_ERR_TOO_LONG;
	if (va + (len - 1) < va)
		return UACCESS_ERR_WRAP;
	if (va < BH_IMAGE_VA)
		return UACCESS_ERR_NULL_GUARD;
	if (va + (len - 1) >= BH_EL0_VA_END) {
		*bad = va >= BH_EL0_VA_END ? va : BH_EL0_VA_END;
		return UACCESS_ERR_NOT_EL0;
	}
	for (uint64_t i = 0; i < len; i++) {
		uint64_t b = va + i, page = b & ~(uint64_t)(BH_PAGE_BYTES - 1);
		unsigned int flags = 0;
		bool mapped = false;

		*bad = b;
		for (unsigned int k = 0; k < p->n_map; k++)
			if (p->map[k].va == page) {
				mapped = true;
				flags = p->map[k].flags;
			}
		if ((need & W) && page == BH_INFO_VA)
			return UACCESS_ERR_INFO_PAGE;
		if (!mapped)
			return UACCESS_ERR_UNMAPPED;
		if (flags & UACCESS_DEVICE)
			return UACCESS_ERR_DEVICE;
		if ((need & R) && !(flags & R))
			return UACCESS_ERR_NO_READ;
		if ((need & W) && !(flags & W))
			return UACCESS_ERR_NO_WRITE;
	}
	*bad = va;
	return UACCESS_OK;
}

Test(uaccess, random_ranges_agree_with_a_byte_model)
{
	static const uint64_t bases[] = { 0, BH_IMAGE_VA, 0x401000, 0x402000, 0x403000,
					  0x10000000, 0x10001000, 0x10002000, 0x3ffed000,
					  0x3ffee000, 0x3ffef000, BH_INFO_VA, BH_DEVICE_VA,
					  BH_EL0_VA_END, UINT64_MAX - 0x1000 };
	static uint8_t buf[UACCESS_MAX_BYTES];
	unsigned int seen[UACCESS_ERR_COUNT] = { 0 };
	uint64_t state = 0x9e3779b97f4a7c15ull;

	for (int iter = 0; iter < 20000; iter++) {
		struct fake_part *p = iter % 3 == 2 ? &fake_b : &fake_a;
		uint64_t r1, r2, va, len, bad_m, bad_i = 0;
		unsigned int need;
		struct uaccess_span span;

		state = state * 6364136223846793005ull + 1442695040888963407ull;
		r1 = state >> 16;
		state = state * 6364136223846793005ull + 1442695040888963407ull;
		r2 = state >> 16;
		va = bases[r1 % (sizeof(bases) / sizeof(bases[0]))] + (r2 % 0x2000) - 0x1000;
		len = (r1 >> 8) % 16 == 0 ? (r2 >> 20) : (r1 >> 20) % 700;
		need = 1 + (unsigned int)((r2 >> 40) % 3);

		enum uaccess_err want = model(p, va, len, need, &bad_m);
		enum uaccess_err got = uaccess_check(&p->space, va, len, need, &span, &bad_i);

		cr_assert_eq(got, want, "%c va 0x%llx len %llu need %u: %s, model %s", p->id,
			     (unsigned long long)va, (unsigned long long)len, need,
			     uaccess_strerror(got), uaccess_strerror(want));
		seen[got]++;
		if (got != UACCESS_OK) {
			cr_assert_eq(bad_i, bad_m, "first bad byte for va 0x%llx len %llu",
				     (unsigned long long)va, (unsigned long long)len);
			continue;
		}
		cr_assert_eq(span.len, len);
		uaccess_read(&span, buf);
		for (uint64_t i = 0; i < len; i++)
			cr_assert_eq(buf[i], *fake_byte(p, va + i));
	}
	for (int e = 0; e < UACCESS_ERR_COUNT; e++)
		cr_assert_gt(seen[e], 0, "the random ranges reached %s", uaccess_strerror(e));
}

/* A call checking two pointers into one page looks the page up once, and the memo gives
 * the same verdicts as a fresh lookup: the rights of the page, per access asked for. */
Test(uaccess, the_memo_of_one_call_looks_a_page_up_once_with_the_same_verdicts)
{
	struct uaccess_memo memo = { 0 };
	struct uaccess_span a, b;
	uint64_t bad;
	unsigned int before = fake_a.lookups;

	cr_assert_eq(uaccess_check_memo(&fake_a.space, 0x3ffee010, 64, W, &a, &bad, &memo), UACCESS_OK);
	cr_assert_eq(uaccess_check_memo(&fake_a.space, 0x3ffee100, 24, W, &b, &bad, &memo), UACCESS_OK);
	cr_assert_eq(fake_a.lookups - before, 1, "one lookup for two ranges in one page");
	cr_assert_eq(b.part[0].kva, fake_byte(&fake_a, 0x3ffee100));
	/* A read-only page, remembered: a write is still refused, a read still allowed. */
	cr_assert_eq(uaccess_check_memo(&fake_a.space, 0x401000, 8, R, &a, &bad, &memo), UACCESS_OK);
	cr_assert_eq(uaccess_check_memo(&fake_a.space, 0x401010, 8, W, &a, &bad, &memo),
		     UACCESS_ERR_NO_WRITE);
	cr_assert_eq(bad, 0x401010);
	/* The info page: never writable, even through a memo of it read. */
	cr_assert_eq(uaccess_check_memo(&fake_a.space, BH_INFO_VA, 8, R, &a, &bad, &memo), UACCESS_OK);
	cr_assert_eq(uaccess_check_memo(&fake_a.space, BH_INFO_VA + 8, 8, W, &a, &bad, &memo),
		     UACCESS_ERR_INFO_PAGE);
	/* Another space never uses this one's memo. */
	cr_assert_eq(uaccess_check_memo(&fake_b.space, 0x401000, 8, W, &a, &bad, &memo), UACCESS_OK,
		     "B's page there is writable");
	/* Unmapped is never remembered. */
	cr_assert_eq(uaccess_check_memo(&fake_a.space, 0x10002000, 8, R, &a, &bad, &memo),
		     UACCESS_ERR_UNMAPPED);
	cr_assert_eq(uaccess_check_memo(&fake_a.space, 0x10002008, 8, R, &a, &bad, &memo),
		     UACCESS_ERR_UNMAPPED);
}

/* The word copy: every alignment and length gives the bytes a byte copy gives. */
Test(uaccess, the_copy_gives_every_byte_at_every_alignment)
{
	uint8_t src[48], dst[48];

	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 1);
	for (unsigned int so = 0; so < 8; so++)
		for (unsigned int d0 = 0; d0 < 8; d0++)
			for (unsigned int n = 0; n <= 32; n++) {
				memset(dst, 0xee, sizeof(dst));
				uaccess_copy_bytes(dst + d0, src + so, n);
				for (unsigned int i = 0; i < sizeof(dst); i++)
					cr_assert_eq(dst[i],
						     i >= d0 && i < d0 + n ? src[so + i - d0] : 0xee,
						     "src+%u dst+%u n %u byte %u", so, d0, n, i);
			}
}
