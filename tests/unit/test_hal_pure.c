/* The pure parts of hal/: page tables, ESR decoding, HAL error words. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "hal/esr.h"
#include "hal/hal_error.h"
#include "hal/pgtable.h"

static pt_page_t *pages;
static uint64_t host_to_pa(const void *t) { return (uint64_t)(uintptr_t)t; }
static uint64_t *host_to_va(uint64_t pa) { return (uint64_t *)(uintptr_t)pa; }

static struct pt_pool make_pool(size_t n)
{
	pages = aligned_alloc(4096, n * sizeof(pt_page_t));
	cr_assert_not_null(pages);
	return (struct pt_pool){ pages, n, 0, host_to_pa, host_to_va };
}

Test(pgtable, blocks_where_aligned_pages_elsewhere)
{
	struct pt_pool pool = make_pool(8);
	uint64_t *root;
	int level = 0;

	cr_assert_eq(pt_init(&pool, &root), HAL_OK);
	/* 4 KiB at the front, then two 2 MiB blocks, then 4 KiB at the end. */
	cr_assert_eq(pt_map(&pool, root, 0x401ff000, 0x401ff000, 0x401000, PT_KERNEL_RW), HAL_OK);
	uint64_t d = pt_lookup(&pool, root, 0x401ff000, &level);
	cr_assert_eq(level, 3);
	cr_assert_eq(d & PT_DESC_ADDR_MASK, 0x401ff000);
	d = pt_lookup(&pool, root, 0x40200000 + 0x1234, &level);
	cr_assert_eq(level, 2, "2 MiB block");
	cr_assert_eq(d & PT_DESC_ADDR_MASK, 0x40200000);
	cr_assert_eq(pt_lookup(&pool, root, 0x40400000, &level) & PT_DESC_ADDR_MASK, 0x40400000);
	cr_assert_eq(pt_lookup(&pool, root, 0x40600000, &level), 0, "end is exclusive");
	cr_assert_eq(pt_lookup(&pool, root, 0x401fe000, &level), 0);
	free(pages);
}

Test(pgtable, attributes_are_wxn)
{
	struct pt_pool pool = make_pool(8);
	uint64_t *root;
	int level;

	cr_assert_eq(pt_init(&pool, &root), HAL_OK);
	cr_assert_eq(pt_map(&pool, root, 0x1000, 0x1000, 0x1000, PT_KERNEL_RX), HAL_OK);
	cr_assert_eq(pt_map(&pool, root, 0x2000, 0x2000, 0x1000, PT_KERNEL_RO), HAL_OK);
	cr_assert_eq(pt_map(&pool, root, 0x3000, 0x3000, 0x1000, PT_KERNEL_RW), HAL_OK);
	cr_assert_eq(pt_map(&pool, root, 0x9000000, 0x9000000, 0x1000, PT_DEVICE), HAL_OK);
	uint64_t rx = pt_lookup(&pool, root, 0x1000, &level);
	uint64_t ro = pt_lookup(&pool, root, 0x2000, &level);
	uint64_t rw = pt_lookup(&pool, root, 0x3000, &level);
	uint64_t dev = pt_lookup(&pool, root, 0x9000000, &level);

	cr_assert(rx & PT_DESC_AP_RO, "text is read-only");
	cr_assert_not(rx & PT_DESC_PXN, "text is executable at EL1");
	cr_assert(rx & PT_DESC_UXN);
	cr_assert(ro & PT_DESC_AP_RO);
	cr_assert(ro & PT_DESC_PXN);
	cr_assert_not(rw & PT_DESC_AP_RO);
	cr_assert(rw & PT_DESC_PXN, "writable is never executable");
	cr_assert_eq((dev >> 2) & 7, 0, "device memory attribute index");
	cr_assert_eq((rw >> 2) & 7, 1, "normal memory attribute index");
	for (uint64_t d = rx; d; d = 0)
		cr_assert_not(d & PT_DESC_AP_EL0, "nothing is reachable from EL0");
	cr_assert_not(ro & PT_DESC_AP_EL0);
	cr_assert_not(rw & PT_DESC_AP_EL0);
	cr_assert_not(dev & PT_DESC_AP_EL0);
	free(pages);
}

Test(pgtable, user_attributes)
{
	struct pt_pool pool = make_pool(8);
	uint64_t *root;
	int level;
	static const enum pt_attr user[] = { PT_USER_RX, PT_USER_RO, PT_USER_RW, PT_USER_DEVICE };
	uint64_t d[4];

	cr_assert_eq(pt_init(&pool, &root), HAL_OK);
	for (unsigned int i = 0; i < 4; i++) {
		uint64_t va = 0x400000 + i * 0x1000;

		cr_assert_eq(pt_map(&pool, root, va, 0x40000000 + i * 0x1000, 0x1000, user[i]), HAL_OK);
		d[i] = pt_lookup(&pool, root, va, &level);
		cr_assert_eq(level, 3);
		cr_assert(d[i] & PT_DESC_AP_EL0, "attr %u reachable from EL0", i);
		cr_assert(d[i] & PT_DESC_NG, "attr %u is tagged with the ASID", i);
		cr_assert(d[i] & PT_DESC_PXN, "attr %u never executable by the kernel", i);
		cr_assert(d[i] & PT_DESC_AF);
	}
	cr_assert_not(d[0] & PT_DESC_UXN, "text executable at EL0");
	cr_assert(d[0] & PT_DESC_AP_RO, "text read-only");
	cr_assert(d[1] & PT_DESC_UXN);
	cr_assert(d[1] & PT_DESC_AP_RO);
	cr_assert(d[2] & PT_DESC_UXN, "writable is never executable");
	cr_assert_not(d[2] & PT_DESC_AP_RO);
	cr_assert(d[3] & PT_DESC_UXN, "device never executable");
	cr_assert_not(d[3] & PT_DESC_AP_RO);
	cr_assert_eq((d[3] >> 2) & 7, 0, "Device-nGnRE attribute index");
	for (unsigned int i = 0; i < 3; i++)
		cr_assert_eq((d[i] >> 2) & 7, 1, "normal memory attribute index");
	/* A user block mapping carries the same bits. */
	cr_assert_eq(pt_map(&pool, root, 0x10000000, 0x40200000, PT_BLOCK_L2, PT_USER_RW), HAL_OK);
	uint64_t b = pt_lookup(&pool, root, 0x10000000, &level);
	cr_assert_eq(level, 2);
	cr_assert_eq(b & ~PT_DESC_ADDR_MASK & ~PT_DESC_TABLE, d[2] & ~PT_DESC_ADDR_MASK & ~PT_DESC_TABLE);
	/* Kernel mappings stay global. */
	cr_assert_eq(pt_map(&pool, root, 0x9000000, 0x9000000, 0x1000, PT_KERNEL_RW), HAL_OK);
	cr_assert_not(pt_lookup(&pool, root, 0x9000000, &level) & PT_DESC_NG);
	free(pages);
}

Test(pgtable, errors)
{
	struct pt_pool pool = make_pool(3);
	uint64_t *root;

	cr_assert_eq(pt_init(&pool, &root), HAL_OK);
	cr_assert_eq(pt_map(&pool, root, 0x1001, 0x1000, 0x1000, PT_KERNEL_RW), HAL_ERR_MMU_MISALIGNED);
	cr_assert_eq(pt_map(&pool, root, 0x1000, 0x1000, 0, PT_KERNEL_RW), HAL_ERR_MMU_MISALIGNED);
	cr_assert_eq(pt_map(&pool, root, 1ULL << 39, 0, 0x1000, PT_KERNEL_RW), HAL_ERR_MMU_RANGE);
	cr_assert_eq(pt_map(&pool, root, (1ULL << 39) - 0x1000, 0, 0x2000, PT_KERNEL_RW),
		     HAL_ERR_MMU_RANGE);
	cr_assert_eq(pt_map(&pool, root, 0x1000, 0x1000, 0x1000, PT_ATTR_COUNT), HAL_ERR_UNSUPPORTED);
	cr_assert_eq(pt_map(&pool, root, 0x1000, 0x1000, 0x1000, PT_KERNEL_RW), HAL_OK);
	cr_assert_eq(pt_map(&pool, root, 0x1000, 0x1000, 0x1000, PT_KERNEL_RW), HAL_OK,
		     "same mapping again is fine");
	cr_assert_eq(pt_map(&pool, root, 0x1000, 0x1000, 0x1000, PT_KERNEL_RX), HAL_ERR_MMU_EXISTS);
	cr_assert_eq(pt_map(&pool, root, 0x1000, 0x5000, 0x1000, PT_KERNEL_RW), HAL_ERR_MMU_EXISTS);
	/* Pool of 3: root, one L2, one L3 used; a new GiB needs another L2. */
	cr_assert_eq(pt_map(&pool, root, 0x80000000, 0x80000000, 0x1000, PT_KERNEL_RW),
		     HAL_ERR_MMU_NO_TABLES);
	cr_assert_str_eq(hal_strerror(HAL_ERR_MMU_NO_TABLES), "page-table pool exhausted");
	free(pages);
}

Test(pgtable, block_then_page_inside_it_is_refused)
{
	struct pt_pool pool = make_pool(8);
	uint64_t *root;

	cr_assert_eq(pt_init(&pool, &root), HAL_OK);
	cr_assert_eq(pt_map(&pool, root, 0x40000000, 0x40000000, PT_BLOCK_L2, PT_KERNEL_RW), HAL_OK);
	cr_assert_eq(pt_map(&pool, root, 0x40001000, 0x40001000, 0x1000, PT_KERNEL_RO),
		     HAL_ERR_MMU_EXISTS, "splitting blocks is not supported");
	free(pages);
}

Test(esr, decodes_aborts_into_words)
{
	struct esr_info i = esr_decode(0x96000005); /* data abort, same EL, L1 translation, read */

	cr_assert_eq(i.ec, 0x25);
	cr_assert_str_eq(i.ec_name, "data abort (same EL)");
	cr_assert_str_eq(i.fault, "translation fault, level 1");
	cr_assert_str_eq(i.access, "read");
	i = esr_decode(0x9600004f); /* permission fault L3, write */
	cr_assert_str_eq(i.fault, "permission fault, level 3");
	cr_assert_str_eq(i.access, "write");
	i = esr_decode(0x86000006); /* instruction abort, same EL, L2 translation */
	cr_assert_str_eq(i.ec_name, "instruction abort (same EL)");
	cr_assert_str_eq(i.fault, "translation fault, level 2");
	cr_assert_null(i.access);
	i = esr_decode(0xf2000000 | 0x7ff); /* BRK */
	cr_assert_str_eq(i.ec_name, "BRK instruction");
	cr_assert_null(i.fault);
	i = esr_decode(0x3fULL << 26);
	cr_assert_str_eq(i.ec_name, "reserved or unhandled class");
	cr_assert_str_eq(exception_kind_name(5), "irq, current EL, SP_ELx");
	cr_assert_str_eq(exception_kind_name(16), "?");
}

Test(hal_error, every_code_has_words)
{
	for (int e = 0; e < HAL_ERR_COUNT; e++)
		cr_assert_neq(hal_strerror((enum hal_err)e)[0], '\0');
	cr_assert_str_eq(hal_strerror(HAL_ERR_COUNT), "unknown hal error");
}
