/*
 * What the kernel's TTBR1 tables hold, as pure functions over a page-table pool (so the
 * host tests build and walk the very tables the kernel builds): the image by section
 * with unmapped guards under the stacks, and the linear map of RAM around holes.
 * The VA layout is hal/kernel_va.h; the stack layout is hal/aarch64/boot_layout.h.
 */
#ifndef BULKHEAD_HAL_AARCH64_KMAP_H
#define BULKHEAD_HAL_AARCH64_KMAP_H

#include <stdint.h>
#include "core/lib/compiler.h"
#include "core/lib/types.h"
#include "hal/hal_error.h"
#include "hal/pgtable.h"

/* The loaded image. Offsets from its first byte, all page aligned, in this order:
 * text_end <= rodata_end <= stacks <= stacks + stacks_bytes <= end. */
struct kimage {
	uint64_t pa;         /* where the loader put it (2 MiB aligned) */
	uint64_t va;         /* where it runs (KERNEL_IMAGE_VA) */
	uint64_t text_end;   /* [0, text_end): text, RX */
	uint64_t rodata_end; /* [text_end, rodata_end): read-only data, RO */
	uint64_t stacks;     /* the stack area: aligned to 2 * stack_size */
	uint64_t stacks_bytes;
	uint64_t end;        /* the rest up to end: data and bss, RW */
	uint64_t stack_size; /* a power of two, at least a page */
	unsigned int n_cpus; /* stack slots in the area */
};

/* One CPU's stacks, as offsets from the image's first byte: [guard, bottom) is never
 * mapped, [bottom, top) is the stack; the same for its overflow stack. */
struct kstack {
	uint64_t guard, bottom, top;
	uint64_t overflow_guard, overflow_bottom, overflow_top;
};

/* Bytes of stack area for n_cpus CPUs with stacks of stack_size. */
uint64_t kstack_area_bytes(uint64_t stack_size, unsigned int n_cpus);

/* CPU cpu's stacks (cpu < img->n_cpus). */
struct kstack kstack_of(const struct kimage *img, unsigned int cpu);

/* Map the image at img->va in the TTBR1 table root: text RX, rodata RO, the rest RW,
 * every stack RW, and no guard page. HAL_ERR_UNSUPPORTED if img is inconsistent. */
enum hal_err kmap_image(struct pt_pool *pool, uint64_t *root, const struct kimage *img)
	__must_check;

/* Map each RAM range (shrunk to whole pages) at KERNEL_LINEAR_BASE + PA, RW and XN,
 * except the holes (grown to whole pages). HAL_ERR_MMU_RANGE if RAM ends beyond
 * KERNEL_LINEAR_SIZE. */
enum hal_err kmap_linear(struct pt_pool *pool, uint64_t *root, const struct pa_range *ram,
			 unsigned int n_ram, const struct pa_range *holes, unsigned int n_holes)
	__must_check;

#endif
