/*
 * Entry: the arm64 Image header, the primary CPU's entry from the loader (x0 = DTB
 * physical address) and the secondary CPUs' entry from PSCI CPU_ON (x0 = logical
 * CPU number). Both may arrive at EL2 or EL1; both continue at EL1.
 *
 * SAFETY: this file runs before C can: MMU off, no stack until set, not yet
 * relocated. It uses only PC-relative addressing (adr/adrp) until the relocations
 * are applied, touches only the image's own memory, and masks all exceptions until
 * VBAR_EL1 points at valid vectors.
 */
#include "hal/aarch64/asm.h"

	.section .head.text, "ax"
	.globl	_start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1; the rest of the header comes from the linker script */

	.section .text.entry, "ax"

/* x0 = DTB. Keeps: x19 DTB, x20 image base, x21 EL we were entered at. */
FUNC(primary_entry)
	msr	daifset, #0xf
	mov	x19, x0
	mrs	x21, CurrentEL
	lsr	x21, x21, #2
	bl	el1_setup
	adr	x20, _text

	/* Apply R_AARCH64_RELATIVE: *(base + offset) = base + addend. */
	adr_l	x0, __rela_start
	adr_l	x1, __rela_end
1:	cmp	x0, x1
	b.hs	2f
	ldp	x2, x3, [x0], #16
	ldr	x4, [x0], #8
	cmp	w3, #R_AARCH64_RELATIVE
	b.ne	park			/* the build refuses other kinds; never here */
	add	x4, x4, x20
	str	x4, [x20, x2]
	b	1b
2:
	/* Zero bss (page aligned, so 8-byte stores fit exactly). */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
3:	cmp	x0, x1
	b.hs	4f
	str	xzr, [x0], #8
	b	3b
4:
	/* A stack-protector canary that differs from boot to boot. */
	mrs	x0, cntvct_el0
	ldr	x1, =0x5bd1e9955bd1e995
	eor	x0, x0, x1
	adr_l	x1, __stack_chk_guard
	str	x0, [x1]

	mov	x0, #0
	bl	cpu_stack_setup

	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	bl	boot_primary		/* does not return */
	b	park
ENDFUNC(primary_entry)

/* x0 = logical CPU number (PSCI context id). MMU settings come from the primary. */
FUNC(secondary_entry)
	msr	daifset, #0xf
	mov	x19, x0
	mrs	x21, CurrentEL
	lsr	x21, x21, #2
	bl	el1_setup

	adr_l	x0, mmu_boot_regs
	ldp	x1, x2, [x0]		/* mair, tcr */
	ldp	x3, x4, [x0, #16]	/* ttbr0, sctlr */
	msr	mair_el1, x1
	msr	tcr_el1, x2
	msr	ttbr0_el1, x3
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	sctlr_el1, x4
	isb

	mov	x0, x19
	bl	cpu_stack_setup
	mov	x0, x19
	mov	x1, x21
	bl	boot_secondary		/* does not return */
	b	park
ENDFUNC(secondary_entry)

/* x0 = CPU number: sp = top of its stack, TPIDR_EL1 = number, VBAR_EL1 = vectors. */
FUNC(cpu_stack_setup)
	adr_l	x1, kernel_stacks
	mov	x2, #CONFIG_KERNEL_STACK_SIZE
	madd	x1, x0, x2, x1
	add	sp, x1, x2
	msr	tpidr_el1, x0
	adr_l	x1, exception_vectors
	msr	vbar_el1, x1
	isb
	ret
ENDFUNC(cpu_stack_setup)

/*
 * Leave EL2 for EL1 if entered at EL2 (no hypervisor duties: EL1 gets the timers,
 * the GICv3 system registers and FP without traps). At EL1: FP on, SCTLR known.
 * Clobbers x0, x1. Returns at EL1.
 */
FUNC(el1_setup)
	mrs	x0, CurrentEL
	cmp	x0, #CURRENTEL_EL2
	b.ne	1f
	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #CNTHCTL_EL1PCTEN_EL1PCEN
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #24, #4		/* GIC system register interface present? */
	cbz	x0, 2f
	mrs	x0, ICC_SRE_EL2
	mov	x1, #ICC_SRE_EL2_SRE_ENABLE
	orr	x0, x0, x1
	msr	ICC_SRE_EL2, x0
	isb
2:	msr	vttbr_el2, xzr
	mov	x0, #CPTR_EL2_RES1_NOTRAP
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_DAIF
	msr	spsr_el2, x0
	adr	x0, 3f
	msr	elr_el2, x0
	isb
	eret
1:	cmp	x0, #CURRENTEL_EL1
	b.ne	park			/* EL3 entry is not supported */
3:	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	mov	x0, #CPACR_EL1_FPEN
	msr	cpacr_el1, x0
	isb
	ret
ENDFUNC(el1_setup)

FUNC(park)
	msr	daifset, #0xf
1:	wfi
	b	1b
ENDFUNC(park)
	.ltorg
