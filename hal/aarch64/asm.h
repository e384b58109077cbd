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
