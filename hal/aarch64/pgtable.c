#include "hal/pgtable.h"
#include <stdbool.h>
#include "core/lib/libc.h"

static const uint64_t attr_bits[PT_ATTR_COUNT] = {
	[PT_KERNEL_RX] = PT_DESC_ATTRIDX(1) | PT_DESC_AP_RO | PT_DESC_SH_INNER | PT_DESC_AF |
			 PT_DESC_UXN,
	[PT_KERNEL_RO] = PT_DESC_ATTRIDX(1) | PT_DESC_AP_RO | PT_DESC_SH_INNER | PT_DESC_AF |
			 PT_DESC_UXN | PT_DESC_PXN,
	[PT_KERNEL_RW] = PT_DESC_ATTRIDX(1) | PT_DESC_SH_INNER | PT_DESC_AF | PT_DESC_UXN |
			 PT_DESC_PXN,
	[PT_DEVICE] = PT_DESC_ATTRIDX(0) | PT_DESC_AF | PT_DESC_UXN | PT_DESC_PXN,
	[PT_USER_RX] = PT_DESC_ATTRIDX(1) | PT_DESC_AP_EL0 | PT_DESC_AP_RO | PT_DESC_SH_INNER |
		       PT_DESC_AF | PT_DESC_NG | PT_DESC_PXN,
	[PT_USER_RO] = PT_DESC_ATTRIDX(1) | PT_DESC_AP_EL0 | PT_DESC_AP_RO | PT_DESC_SH_INNER |
		       PT_DESC_AF | PT_DESC_NG | PT_DESC_UXN | PT_DESC_PXN,
	[PT_USER_RW] = PT_DESC_ATTRIDX(1) | PT_DESC_AP_EL0 | PT_DESC_SH_INNER | PT_DESC_AF |
		       PT_DESC_NG | PT_DESC_UXN | PT_DESC_PXN,
	[PT_USER_DEVICE] = PT_DESC_ATTRIDX(0) | PT_DESC_AP_EL0 | PT_DESC_AF | PT_DESC_NG |
			   PT_DESC_UXN | PT_DESC_PXN,
};

static unsigned int index_at(uint64_t va, int level)
{
	return (unsigned int)(va >> (39 - 9 * level)) & (PT_ENTRIES - 1);
}

static uint64_t *alloc_table(struct pt_pool *pool)
{
	if (pool->used == pool->n_pages)
		return NULL;
	uint64_t *t = pool->pages[pool->used++];
	BH_LIBC(memset)(t, 0, PT_PAGE_SIZE);
	return t;
}

enum hal_err pt_init(struct pt_pool *pool, uint64_t **root)
{
	*root = alloc_table(pool);
	return *root ? HAL_OK : HAL_ERR_MMU_NO_TABLES;
}

/* The next-level table under entry, created if absent. */
static enum hal_err next_table(struct pt_pool *pool, uint64_t *entry, uint64_t **out)
{
	if (*entry & PT_DESC_VALID) {
		if (!(*entry & PT_DESC_TABLE))
			return HAL_ERR_MMU_EXISTS; /* a block is there: splitting is not supported */
		*out = pool->to_va(*entry & PT_DESC_ADDR_MASK);
		return HAL_OK;
	}
	uint64_t *t = alloc_table(pool);
	if (!t)
		return HAL_ERR_MMU_NO_TABLES;
	*entry = pool->to_pa(t) | PT_DESC_TABLE | PT_DESC_VALID;
	*out = t;
	return HAL_OK;
}

static enum hal_err set_leaf(uint64_t *entry, uint64_t desc)
{
	if ((*entry & PT_DESC_VALID) && *entry != desc)
		return HAL_ERR_MMU_EXISTS;
	*entry = desc;
	return HAL_OK;
}

enum hal_err pt_map(struct pt_pool *pool, uint64_t *root, uint64_t va, uint64_t pa, uint64_t size,
		    enum pt_attr attr)
{
	const uint64_t limit = 1ULL << PT_VA_BITS;
	enum hal_err e;

	if ((unsigned int)attr >= PT_ATTR_COUNT)
		return HAL_ERR_UNSUPPORTED;
	if (!IS_ALIGNED(va | pa | size, PT_PAGE_SIZE) || size == 0)
		return HAL_ERR_MMU_MISALIGNED;
	if (va >= limit || size > limit - va || pa > PT_DESC_ADDR_MASK ||
	    size - 1 > PT_DESC_ADDR_MASK - pa)
		return HAL_ERR_MMU_RANGE;
	while (size) {
		uint64_t *l2, *l3;

		e = next_table(pool, &root[index_at(va, 1)], &l2);
		if (e != HAL_OK)
			return e;
		if (IS_ALIGNED(va | pa, PT_BLOCK_L2) && size >= PT_BLOCK_L2) {
			e = set_leaf(&l2[index_at(va, 2)], pa | attr_bits[attr] | PT_DESC_VALID);
			if (e != HAL_OK)
				return e;
			va += PT_BLOCK_L2;
			pa += PT_BLOCK_L2;
			size -= PT_BLOCK_L2;
			continue;
		}
		e = next_table(pool, &l2[index_at(va, 2)], &l3);
		if (e != HAL_OK)
			return e;
		e = set_leaf(&l3[index_at(va, 3)],
			     pa | attr_bits[attr] | PT_DESC_TABLE | PT_DESC_VALID);
		if (e != HAL_OK)
			return e;
		va += PT_PAGE_SIZE;
		pa += PT_PAGE_SIZE;
		size -= PT_PAGE_SIZE;
	}
	return HAL_OK;
}

uint64_t pt_lookup(const struct pt_pool *pool, const uint64_t *root, uint64_t va, int *level)
{
	const uint64_t *t = root;

	if (va >> PT_VA_BITS)
		return 0;
	for (int lvl = 1; lvl <= 3; lvl++) {
		uint64_t d = t[index_at(va, lvl)];

		if (!(d & PT_DESC_VALID))
			return 0;
		if (lvl == 3 || !(d & PT_DESC_TABLE)) {
			*level = lvl;
			return d;
		}
		t = pool->to_va(d & PT_DESC_ADDR_MASK);
	}
	return 0;
}

/* TTBR1 addresses: the top PT_VA_BITS bits all ones; the tables index the rest. */
static bool is_upper(uint64_t va)
{
	return (va >> PT_VA_BITS) == (UINT64_MAX >> PT_VA_BITS);
}

enum hal_err pt_map_upper(struct pt_pool *pool, uint64_t *root, uint64_t va, uint64_t pa,
			  uint64_t size, enum pt_attr attr)
{
	const uint64_t low = (1ULL << PT_VA_BITS) - 1;

	if (!is_upper(va))
		return HAL_ERR_MMU_RANGE;
	return pt_map(pool, root, va & low, pa, size, attr);
}

uint64_t pt_lookup_upper(const struct pt_pool *pool, const uint64_t *root, uint64_t va,
			 int *level)
{
	if (!is_upper(va))
		return 0;
	return pt_lookup(pool, root, va & ((1ULL << PT_VA_BITS) - 1), level);
}
