/*
 * Entry: the arm64 Image header, the primary CPU's entry from the loader (x0 = DTB
 * physical address) and the secondary CPUs' entry from PSCI CPU_ON (x0 = logical
 * CPU number). Both may arrive at EL2 or EL1; both continue at EL1.
 *
 * SAFETY: this file runs before C can: MMU off, no stack until set, not yet
 * relocated. It uses only PC-relative addressing (adr/adrp) and numbers, so the same
 * code is right at the physical alias and, once mmu_on_high has returned, at the high
 * one; it touches only the image's own memory, and masks all exceptions until
 * VBAR_EL1 points at valid vectors (which happens at the high alias only).
 */
#include "hal/aarch64/asm.h"

	.section .head.text, "ax"
	.globl	_start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1; the rest of the header comes from the linker script */

	.section .text.entry, "ax"

/*
 * x0 = DTB. Keeps: x19 DTB, x20 image physical base, x21 EL we were entered at.
 * The image is linked at 0 and runs at KERNEL_IMAGE_VA (hal/kernel_va.h): the
 * relocations are applied for that address while the MMU is off, mmu_early_init (C,
 * still at the physical address, see hal/aarch64/mmu.c) builds the tables, and
 * mmu_on_high turns the MMU on from an identity-mapped page and returns to the high
 * alias. cpu_enter_high then takes the high stack and drops the identity map.
 */
FUNC(primary_entry)
	msr	daifset, #0xf
	mov	x19, x0
	mrs	x21, CurrentEL
	lsr	x21, x21, #2
	bl	el1_setup
	msr	spsel, #1		/* the kernel runs on SP_EL1 */
	adr	x20, _text

	/* Apply R_AARCH64_RELATIVE: *(base + offset) = KERNEL_IMAGE_VA + addend. */
	mov	x22, #KERNEL_IMAGE_VA
	adr_l	x0, __rela_start
	adr_l	x1, __rela_end
1:	cmp	x0, x1
	b.hs	2f
	ldp	x2, x3, [x0], #16
	ldr	x4, [x0], #8
	cmp	w3, #R_AARCH64_RELATIVE
	b.ne	park			/* the build refuses other kinds; never here */
	add	x4, x4, x22
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

	/* CPU 0's stack at its physical address while the MMU is off (kstack_of). */
	adr_l	x0, kstack_area
	add	x0, x0, #(2 * KSTACK_SIZE)
	mov	sp, x0
	mov	x29, #0
	mov	x0, x20
	bl	mmu_early_init
	cbnz	w0, park		/* no tables: nothing can be said yet */
	bl	mmu_on_high		/* returns at the high alias */
	mov	x0, #0
	bl	cpu_enter_high
	bl	mmu_kernel_high

	mov	x29, #0
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	bl	boot_primary		/* does not return */
	b	park
ENDFUNC(primary_entry)

/* x0 = logical CPU number (PSCI context id). MMU settings come from the primary. */
FUNC(secondary_entry)
	msr	daifset, #0xf
	/* The context id indexes the stacks: only 1..MAX_CPUS-1 (0 is the boot CPU). */
	cbz	x0, park
	cmp	x0, #CONFIG_MAX_CPUS
	b.hs	park
	mov	x19, x0
	mrs	x21, CurrentEL
	lsr	x21, x21, #2
	bl	el1_setup
	msr	spsel, #1
	bl	mmu_on_high		/* returns at the high alias */
	mov	x0, x19
	bl	cpu_enter_high		/* parks if another CPU entered with this number */

	mov	x29, #0
	mov	x0, x19
	mov	x1, x21
	bl	boot_secondary		/* does not return */
	b	park
ENDFUNC(secondary_entry)

/*
 * x0 = CPU number (< MAX_CPUS), running at the high alias. Claims the CPU's per-CPU
 * slot (a second CPU with the same number parks instead of sharing its stack), takes
 * its stack, points TPIDR_EL1 at the slot and VBAR_EL1 at the vectors, then drops the
 * identity map: TTBR0 walks stay off (TCR_EL1.EPD0) until a partition's table is
 * installed. Sets PSTATE.PAN where the CPU has PAN. Clobbers x0-x3.
 */
FUNC(cpu_enter_high)
	adr_l	x1, percpu
	add	x1, x1, x0, lsl #PERCPU_SHIFT
	add	x2, x1, #PERCPU_CLAIMED
1:	ldaxr	x3, [x2]
	cbnz	x3, park
	mov	x3, #1
	stxr	w0, x3, [x2]
	cbnz	w0, 1b
	ldr	x2, [x1, #PERCPU_STACK_TOP]
	mov	sp, x2
	msr	tpidr_el1, x1
	adr_l	x2, exception_vectors
	msr	vbar_el1, x2
	mrs	x2, tcr_el1
	orr	x2, x2, #TCR_EL1_EPD0
	msr	tcr_el1, x2
	msr	ttbr0_el1, xzr
	isb
	tlbi	vmalle1			/* the identity map's entries are global */
	dsb	nsh
	isb
	adr_l	x2, mmu_boot_regs
	ldr	x2, [x2, #MMU_BOOT_PAN]
	cbz	x2, 2f
	mov	x2, #PSTATE_PAN
	msr	SYSREG_PAN, x2
2:	ret
ENDFUNC(cpu_enter_high)

/*
 * MMU off, at the physical alias: load the settings mmu_early_init left in
 * mmu_boot_regs (TTBR0 = the identity map of this page, TTBR1 = the kernel), turn the
 * MMU and caches on, and return to the caller's high alias. Alone in its page: that
 * page is all the identity map holds.
 */
	.section .text.idmap, "ax"
	.balign	4096
FUNC(mmu_on_high)
	adr_l	x0, mmu_boot_regs
	ldp	x1, x2, [x0, #MMU_BOOT_MAIR]
	ldp	x3, x4, [x0, #MMU_BOOT_TTBR0]
	ldr	x5, [x0, #MMU_BOOT_SCTLR]
	msr	mair_el1, x1
	msr	tcr_el1, x2
	msr	ttbr0_el1, x3
	msr	ttbr1_el1, x4
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	sctlr_el1, x5
	isb
	adr_l	x0, _text
	mov	x1, #KERNEL_IMAGE_VA
	sub	lr, lr, x0
	add	lr, lr, x1
	ret
ENDFUNC(mmu_on_high)
	.globl	mmu_on_high_end
mmu_on_high_end:

	.section .text.entry, "ax"
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
