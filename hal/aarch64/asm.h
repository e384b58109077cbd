/* Assembler helpers shared by the .S files. */
#ifndef BULKHEAD_HAL_AARCH64_ASM_H
#define BULKHEAD_HAL_AARCH64_ASM_H

#include "hal/aarch64/boot_layout.h"
#include "hal/kernel_va.h"

/* PC-relative address of a symbol: valid before relocation and with the MMU off. */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

/*
 * x2..x29 stored at, or loaded from, [base + 8 * n]: the same place in the EL1 exception
 * frame (vectors.S) and in a cell's context (struct el0_ctx, entry.S), x0/x1 and x30
 * being handled around them by each.
 */
.macro x_pair op, a, b, base
	\op	x\a, x\b, [\base, #8 * \a]
.endm

.macro x2_x29 op, base
	x_pair	\op, 2, 3, \base
	x_pair	\op, 4, 5, \base
	x_pair	\op, 6, 7, \base
	x_pair	\op, 8, 9, \base
	x_pair	\op, 10, 11, \base
	x_pair	\op, 12, 13, \base
	x_pair	\op, 14, 15, \base
	x_pair	\op, 16, 17, \base
	x_pair	\op, 18, 19, \base
	x_pair	\op, 20, 21, \base
	x_pair	\op, 22, 23, \base
	x_pair	\op, 24, 25, \base
	x_pair	\op, 26, 27, \base
	x_pair	\op, 28, 29, \base
.endm

.macro stp_x2_x29 base
	x2_x29 stp, \base
.endm

.macro ldp_x2_x29 base
	x2_x29 ldp, \base
.endm

#define FUNC(name) .globl name; .type name, %function; name:
#define ENDFUNC(name) .size name, . - name

#define CURRENTEL_EL2 (2 << 2)
#define CURRENTEL_EL1 (1 << 2)
#define HCR_EL2_RW (1 << 31)
#define CNTHCTL_EL1PCTEN_EL1PCEN 0x3
#define CPTR_EL2_RES1_NOTRAP 0x33ff
#define CPACR_EL1_FPEN (3 << 20)
#define SPSR_EL1H_DAIF 0x3c5
#define ICC_SRE_EL2 S3_4_C12_C9_5
#define ICC_SRE_EL2_SRE_ENABLE 0x9
#define R_AARCH64_RELATIVE 1027

#endif
