/* Host stand-in for hal/aarch64/mmio.h: every access goes to the model in fake_regs. */
#ifndef BULKHEAD_HAL_AARCH64_MMIO_H
#define BULKHEAD_HAL_AARCH64_MMIO_H

#include <stdbool.h>
#include <stdint.h>

uint32_t mmio_read32(uintptr_t addr);
void mmio_write32(uintptr_t addr, uint32_t v);
uint64_t mmio_read64(uintptr_t addr);
void mmio_write8(uintptr_t addr, uint8_t v);
bool mmio_probe_read32(uintptr_t addr, uint32_t *out);

#endif
