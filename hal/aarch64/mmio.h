/*
 * MMIO accessors: the only way kernel C code touches device registers.
 * Addresses are virtual addresses of Device-nGnRE mappings made by hal/aarch64/mmu.c.
 */
#ifndef BULKHEAD_HAL_AARCH64_MMIO_H
#define BULKHEAD_HAL_AARCH64_MMIO_H

#include <stdbool.h>
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

/*
 * A 32-bit read that may fault (identification of a device the device tree may have
 * placed where there is none): true if the read took a synchronous external abort
 * (*out = 0), false if it completed (*out = the value). hal/aarch64/mmio_probe.S.
 * An abort the CPU reports asynchronously (SError) is not caught.
 */
bool mmio_probe_read32(uintptr_t addr, uint32_t *out);
/* The probe's load instruction, for the fault fixup in exception.c. */
extern char mmio_probe_load[];

#endif
