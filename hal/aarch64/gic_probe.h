/*
 * Identification reads shared by the GICv2 and GICv3 drivers: PIDR2 through the
 * fault-tolerant probe (a tree may place a GIC where nothing answers), judged by the
 * pure checks of hal/gic_check.h.
 */
#ifndef BULKHEAD_HAL_AARCH64_GIC_PROBE_H
#define BULKHEAD_HAL_AARCH64_GIC_PROBE_H

#include "hal/gic_check.h"
#include "hal/aarch64/mmio.h"

/* PIDR2 at off in a mapped region of size bytes at va: 0 if outside it or the read faults. */
static inline uint32_t gic_read_pidr2(uintptr_t va, uint64_t size, uint32_t off)
{
	uint32_t v = 0;

	/* All four bytes inside the region, not just the first. */
	if (size >= sizeof(v) && off <= size - sizeof(v) && mmio_probe_read32(va + off, &v))
		v = 0;
	return v;
}

/* The distributor mapped at va is the version named (gic_check_dist_id). The other
 * version's offset is read only when ours does not answer, to tell which lie it is. */
static inline enum hal_err gic_identify_dist(enum gic_version named, uintptr_t va, uint64_t size)
{
	uint32_t off_mine = named == GIC_V2 ? GICV2_PIDR2 : GICV3_PIDR2;
	uint32_t off_other = named == GIC_V2 ? GICV3_PIDR2 : GICV2_PIDR2;
	uint32_t mine = gic_read_pidr2(va, size, off_mine);
	uint32_t other = gic_check_pidr2(named, mine) == HAL_OK ? 0 : gic_read_pidr2(va, size, off_other);

	return named == GIC_V2 ? gic_check_dist_id(named, mine, other)
			       : gic_check_dist_id(named, other, mine);
}

#endif
