/*
 * bool mmio_probe_read32(uintptr_t addr, uint32_t *out): one 32-bit device read that
 * may fault. Returns false (0) and *out = the value, or true (1) and *out = 0 if the
 * load took a synchronous data abort (nothing decodes the address: a hole in the
 * memory map). exception.c recognises a fault on mmio_probe_load, sets x0 = 1 and
 * x3 = 0, and resumes at the next instruction.
 *
 * SAFETY: the load is the only access to addr, at the width asked for, and the
 * caller passes an address inside a range mapped as Device memory (as for
 * mmio_read32). Only x0-x3 are used (caller-saved in the C ABI). The fixup changes
 * nothing but x0, x3 and ELR, so the rest of the context is as the fault found it.
 */
#include "hal/aarch64/asm.h"

	.text
FUNC(mmio_probe_read32)
	mov	x2, x0
	mov	x0, #0
	.globl	mmio_probe_load
mmio_probe_load:
	ldr	w3, [x2]
	str	w3, [x1]
	ret
ENDFUNC(mmio_probe_read32)
