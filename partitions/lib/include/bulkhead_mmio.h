/*
 * Registers of a device the plan grants the partition, at the address device_info
 * gives (mapped Device-nGnRE, read-write, never executable). The only MMIO a program
 * does; each access is one 32-bit load or store the compiler may not merge, split or
 * move across another.
 */
#ifndef BULKHEAD_MMIO_H
#define BULKHEAD_MMIO_H

#include <stdint.h>

/* SAFETY: va + off is inside the device window the kernel mapped for this partition
 * (the caller adds a register offset below the device's size to the va device_info
 * gave); a volatile 32-bit access to Device memory is what the device expects. */
static inline uint32_t bh_mmio_read32(uint64_t va, uint32_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(va + off);
}

/* SAFETY: as bh_mmio_read32. */
static inline void bh_mmio_write32(uint64_t va, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(va + off) = v;
}

#endif
