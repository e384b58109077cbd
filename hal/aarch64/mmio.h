/*
 * MMIO accessors: the only way kernel C code touches device registers.
 * Addresses are virtual addresses of Device-nGnRE mappings made by hal/aarch64/mmu.c.
 */
#ifndef BULKHEAD_HAL_AARCH64_MMIO_H
#define BULKHEAD_HAL_AARCH64_MMIO_H

#include <stdint.h>

/* SAFETY: callers pass addresses inside a device range the platform description gave
 * and the MMU maps as Device memory; volatile makes each access happen once, in program
 * order, at the width asked for (device registers care). */
static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

/* SAFETY: as mmio_read32. */
static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

/* SAFETY: as mmio_read32. */
static inline uint64_t mmio_read64(uintptr_t addr)
{
	return *(volatile uint64_t *)addr;
}

/* SAFETY: as mmio_read32. */
static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
	*(volatile uint8_t *)addr = v;
}

#endif
