/*
 * Stage-1 page tables for the EL1&0 regime: 4 KiB granule, 39-bit input addresses
 * (three levels: 1 GiB, 2 MiB, 4 KiB). Pure data manipulation, no system
 * registers: the host tests build and walk real tables.
 *
 * Table pages come from a caller-owned pool. Table descriptors hold the physical
 * address of the next table; pt_pool.to_pa / to_va convert (identity in the kernel).
 */
#ifndef BULKHEAD_HAL_PGTABLE_H
#define BULKHEAD_HAL_PGTABLE_H

#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "hal/hal_error.h"

#define PT_PAGE_SIZE 4096ULL
#define PT_ENTRIES 512
#define PT_VA_BITS 39
#define PT_BLOCK_L2 (2ULL << 20)

typedef uint64_t pt_page_t[PT_ENTRIES];

struct pt_pool {
	pt_page_t *pages;
	size_t n_pages;
	size_t used;
	uint64_t (*to_pa)(const void *table);
	uint64_t *(*to_va)(uint64_t pa);
};

/* What a mapping is for; each becomes memory type, access and execute bits. */
enum pt_attr {
	PT_KERNEL_RX, /* kernel text */
	PT_KERNEL_RO, /* kernel rodata, the device tree */
	PT_KERNEL_RW, /* kernel data, stacks */
	PT_DEVICE,    /* MMIO, kernel only */
	/*
	 * EL0 (partition) mappings: non-global (tagged with the partition's ASID) and
	 * PXN always (the kernel never executes partition pages); only RX is executable.
	 */
	PT_USER_RX,     /* partition text */
	PT_USER_RO,     /* partition rodata, the info page */
	PT_USER_RW,     /* partition data, heap, stacks */
	PT_USER_DEVICE, /* a partition's MMIO: Device-nGnRE, read-write, never executable */
	PT_ATTR_COUNT,
};

/* MAIR_EL1 value matching the AttrIndx the descriptors use. */
#define PT_MAIR_DEVICE_nGnRE 0x04ULL
#define PT_MAIR_NORMAL_WB 0xffULL
#define PT_MAIR_VALUE (PT_MAIR_DEVICE_nGnRE | (PT_MAIR_NORMAL_WB << 8))

/* Allocate the root table. */
enum hal_err pt_init(struct pt_pool *pool, uint64_t **root) __must_check;

/*
 * Map [va, va+size) to [pa, pa+size): 2 MiB blocks where both are aligned, 4 KiB
 * pages elsewhere. All arguments page aligned; size > 0. Mapping a page again with
 * the same pa and attr is allowed; anything else already there is HAL_ERR_MMU_EXISTS
 * (nothing is changed then only if the conflict is on the first page: callers treat
 * any error as fatal at boot).
 */
enum hal_err pt_map(struct pt_pool *pool, uint64_t *root, uint64_t va, uint64_t pa, uint64_t size,
		    enum pt_attr attr) __must_check;

/* Walk: the descriptor that maps va (block or page), 0 if unmapped; *level gets 1..3. */
uint64_t pt_lookup(const struct pt_pool *pool, const uint64_t *root, uint64_t va, int *level);

/*
 * The same for a TTBR1_EL1 table (the kernel's upper half): va in
 * [2^64 - 2^PT_VA_BITS, 2^64), else HAL_ERR_MMU_RANGE (pt_lookup_upper: 0). The walk
 * uses the low PT_VA_BITS bits, exactly as the hardware does for TTBR1 with T1SZ = 25.
 */
enum hal_err pt_map_upper(struct pt_pool *pool, uint64_t *root, uint64_t va, uint64_t pa,
			  uint64_t size, enum pt_attr attr) __must_check;
uint64_t pt_lookup_upper(const struct pt_pool *pool, const uint64_t *root, uint64_t va,
			 int *level);

/* Descriptor bits, for tests and fault decoding. */
#define PT_DESC_VALID BIT(0)
#define PT_DESC_TABLE BIT(1) /* at levels 1-2; at level 3 this marks a page */
#define PT_DESC_ATTRIDX(i) ((uint64_t)(i) << 2)
#define PT_DESC_AP_RO BIT(7)
#define PT_DESC_AP_EL0 BIT(6)
#define PT_DESC_SH_INNER (3ULL << 8)
#define PT_DESC_AF BIT(10)
#define PT_DESC_NG BIT(11) /* not global: matched with the ASID */
#define PT_DESC_PXN BIT(53)
#define PT_DESC_UXN BIT(54)
#define PT_DESC_ADDR_MASK 0x0000fffffffff000ULL

#endif
