/*
 * The kernel's address space: the upper half (TTBR1_EL1), 4 KiB granule, 39-bit
 * addresses, global kernel-only mappings; layout in hal/kernel_va.h. TTBR0_EL1 maps
 * nothing of the kernel (it is left for the partitions). head.S and the boot-time half
 * of hal/aarch64/mmu.c build the image's tables and turn the MMU on before any C code
 * of the kernel runs; the functions below add to the live tables.
 */
#ifndef BULKHEAD_HAL_MMU_H
#define BULKHEAD_HAL_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "core/lib/types.h"
#include "hal/hal_error.h"
#include "hal/kernel_va.h"

/* Map a device range (Device-nGnRE, XN) in the I/O window; returns its virtual address. */
enum hal_err mmu_map_device(const struct pa_range *r, uintptr_t *va) __must_check;

/* Map normal memory read-only and non-executable (the device tree, an initrd, a module)
 * in the I/O window; returns its virtual address. */
enum hal_err mmu_map_ro(const struct pa_range *r, uintptr_t *va) __must_check;

/*
 * The linear map: every RAM range at KERNEL_LINEAR_BASE + PA, read-write, never
 * executable, kernel only; except the kernel image and the reserved ranges. Boot CPU,
 * once. HAL_ERR_MMU_RANGE if RAM reaches beyond KERNEL_LINEAR_SIZE.
 */
enum hal_err mmu_map_linear(const struct pa_range *ram, unsigned int n_ram,
			    const struct pa_range *reserved, unsigned int n_reserved) __must_check;

/* The linear map's address of a physical address (precondition: pa is RAM that
 * mmu_map_linear mapped), and back (precondition: va came from phys_to_virt). */
static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)(KERNEL_LINEAR_BASE + pa_addr(pa));
}

static inline paddr_t virt_to_phys(const void *va)
{
	return pa_init((uint64_t)(uintptr_t)va - KERNEL_LINEAR_BASE);
}

/* Bytes the kernel image occupies from its load address (text to the end of bss). */
uint64_t mmu_kernel_image_bytes(void);

/* Physical address of a kernel image address (code or data of the image). */
uint64_t mmu_image_pa(const void *p);

/* Whether PAN (Privileged Access Never) is on: the CPU has it (ARMv8.1 FEAT_PAN) and
 * every CPU runs with PSTATE.PAN set, also on exception entry. */
bool mmu_pan_enabled(void);

#endif
