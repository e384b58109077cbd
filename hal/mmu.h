/*
 * Kernel address space: identity mapped (VA == PA) through TTBR0_EL1, 4 KiB
 * granule, 39-bit addresses. The kernel image is mapped W^X by section.
 */
#ifndef BULKHEAD_HAL_MMU_H
#define BULKHEAD_HAL_MMU_H

#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "core/lib/types.h"
#include "hal/hal_error.h"

/*
 * Boot CPU, MMU off: map the kernel image (text RX, rodata RO, data RW+XN) and
 * the device tree read-only (up to dtb_max bytes from dtb, page-rounded), turn the
 * MMU and caches on, and publish the settings for the secondary CPUs.
 */
enum hal_err mmu_init_kernel(paddr_t dtb, size_t dtb_max) __must_check;

/* Map a device range (Device-nGnRE, XN); returns its virtual address. Before
 * mmu_init_kernel (MMU off) it maps nothing and returns the physical address. */
enum hal_err mmu_map_device(const struct pa_range *r, uintptr_t *va) __must_check;

/* Map normal memory read-only and non-executable (an initrd, a module); returns its
 * virtual address. After mmu_init_kernel only. */
enum hal_err mmu_map_ro(const struct pa_range *r, uintptr_t *va) __must_check;

/* Bytes the kernel image occupies from its load address (text to the end of bss). */
uint64_t mmu_kernel_image_bytes(void);

#endif
