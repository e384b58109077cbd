/*
 * Exceptions from EL0 (the lower-EL entries of the vector table, vectors.S) and the
 * way back with eret. The register context is struct el0_ctx (hal/el0.h, offsets in
 * hal/aarch64/boot_layout.h); TPIDR_EL1's struct percpu.el0_ctx names the one the CPU
 * runs.
 *
 * Entry saves what the kernel's C code may clobber (x0-x18, x30) plus SP_EL0, ELR and
 * SPSR, then calls el0_exception(ctx, kind) on the CPU's kernel stack. If that returns
 * the same context (a system call, an interrupt that changes nothing), only those
 * registers are loaded back: x19-x29 were preserved by the C code (AAPCS64), FP/SIMD
 * and TPIDR_EL0 were never touched (the kernel is built -mgeneral-regs-only). If it
 * returns another context, the rest of the old one (x19-x29, TPIDR_EL0, FPSR, FPCR,
 * q0-q31) is saved first and the new one is loaded in full, so nothing of one cell is
 * ever visible to another. NULL: the old context is saved in full and the CPU goes
 * to kernel_idle() on an empty stack.
 *
 * The kernel stack: whenever a cell runs, SP_EL1 is at this CPU's stack top (every
 * way to EL0 goes through el0_restore_full or the fast path, which leave it there).
 * The entry uses 16 bytes below the top for a moment; a wild SP_EL1 (a kernel bug)
 * faults on a guard page there and the same-EL vector reports a stack overflow.
 *
 * SAFETY: the only memory touched is the context percpu.el0_ctx points at (kernel
 * memory, one per cell, 16-byte aligned, EL0_CTX_SIZE bytes) and 16 bytes below the
 * stack top; the offsets match struct el0_ctx (static asserts in
 * hal/aarch64/exception.c). IRQs stay masked from the exception to the eret.
 */
#include "hal/aarch64/asm.h"

	.text

	.globl	el0_null_call
/* x0 = context (x0-x3 saved), x1 = vector kind. */
	.globl	el0_entry
el0_entry:
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	str	x18, [x0, #144]
	mrs	x2, sp_el0
	stp	x30, x2, [x0, #240]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [x0, #EL0_PC]
	bl	el0_exception
	mrs	x1, tpidr_el1
	ldr	x2, [x1, #PERCPU_EL0_CTX]
	cmp	x0, x2
	b.ne	el0_switch
/* x0 = context; x19-x29, TPIDR_EL0 and FP/SIMD already hold its values. */
el0_return:
	ldp	x2, x3, [x0, #EL0_PC]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x30, x2, [x0, #240]
	msr	sp_el0, x2
	ldr	x18, [x0, #144]
	ldp	x16, x17, [x0, #128]
	ldp	x14, x15, [x0, #112]
	ldp	x12, x13, [x0, #96]
	ldp	x10, x11, [x0, #80]
	ldp	x8, x9, [x0, #64]
	ldp	x6, x7, [x0, #48]
	ldp	x4, x5, [x0, #32]
	ldp	x2, x3, [x0, #16]
#ifdef CONFIG_BENCH
	mrs	x1, tpidr_el1
	ldr	x1, [x1, #PERCPU_BENCH_IN]
	str	x1, [x0, #EL0_BENCH_IN]
	str	xzr, [x0, #EL0_BENCH_FAST]
	mrs	x1, pmccntr_el0
	str	x1, [x0, #EL0_BENCH_OUT]
#endif
	ldp	x0, x1, [x0, #0]
	eret

/*
 * The null call (from the synchronous vector: svc, x8 = 0): x0 = 0, x1 as it was, every
 * other register untouched, nothing saved or changed. The vector stored x0 and x1 below
 * the stack top.
 */
el0_null_call:
#ifdef CONFIG_BENCH
	mrs	x0, tpidr_el1
	ldr	x1, [x0, #PERCPU_EL0_CTX]
	ldr	x0, [x0, #PERCPU_BENCH_IN]
	str	x0, [x1, #EL0_BENCH_IN]
	mov	x0, #1
	str	x0, [x1, #EL0_BENCH_FAST]
	mrs	x0, pmccntr_el0
	str	x0, [x1, #EL0_BENCH_OUT]
#endif
	ldr	x1, [sp, #8]
	add	sp, sp, #16
	mov	x0, #0
	eret

/* x2 = the old context, x0 = the new one or NULL, x1 = percpu. */
el0_switch:
	stp	x19, x20, [x2, #152]
	stp	x21, x22, [x2, #168]
	stp	x23, x24, [x2, #184]
	stp	x25, x26, [x2, #200]
	stp	x27, x28, [x2, #216]
	str	x29, [x2, #232]
	mrs	x3, tpidr_el0
	str	x3, [x2, #EL0_TPIDR]
	mrs	x3, fpsr
	mrs	x4, fpcr
	stp	x3, x4, [x2, #EL0_FPSR]
	add	x2, x2, #EL0_V
	stp	q0, q1, [x2, #0]
	stp	q2, q3, [x2, #32]
	stp	q4, q5, [x2, #64]
	stp	q6, q7, [x2, #96]
	stp	q8, q9, [x2, #128]
	stp	q10, q11, [x2, #160]
	stp	q12, q13, [x2, #192]
	stp	q14, q15, [x2, #224]
	stp	q16, q17, [x2, #256]
	stp	q18, q19, [x2, #288]
	stp	q20, q21, [x2, #320]
	stp	q22, q23, [x2, #352]
	stp	q24, q25, [x2, #384]
	stp	q26, q27, [x2, #416]
	stp	q28, q29, [x2, #448]
	stp	q30, q31, [x2, #480]
	cbnz	x0, el0_restore_full
	ldr	x2, [x1, #PERCPU_STACK_TOP]
	mov	sp, x2
	b	kernel_idle

/* x0 = context, x1 = percpu: load every register of it, on an empty kernel stack. */
el0_restore_full:
	str	x0, [x1, #PERCPU_EL0_CTX]
	ldr	x2, [x1, #PERCPU_STACK_TOP]
	mov	sp, x2
	add	x2, x0, #EL0_V
	ldp	q0, q1, [x2, #0]
	ldp	q2, q3, [x2, #32]
	ldp	q4, q5, [x2, #64]
	ldp	q6, q7, [x2, #96]
	ldp	q8, q9, [x2, #128]
	ldp	q10, q11, [x2, #160]
	ldp	q12, q13, [x2, #192]
	ldp	q14, q15, [x2, #224]
	ldp	q16, q17, [x2, #256]
	ldp	q18, q19, [x2, #288]
	ldp	q20, q21, [x2, #320]
	ldp	q22, q23, [x2, #352]
	ldp	q24, q25, [x2, #384]
	ldp	q26, q27, [x2, #416]
	ldp	q28, q29, [x2, #448]
	ldp	q30, q31, [x2, #480]
	ldp	x3, x4, [x0, #EL0_FPSR]
	msr	fpsr, x3
	msr	fpcr, x4
	ldr	x3, [x0, #EL0_TPIDR]
	msr	tpidr_el0, x3
	ldp	x19, x20, [x0, #152]
	ldp	x21, x22, [x0, #168]
	ldp	x23, x24, [x0, #184]
	ldp	x25, x26, [x0, #200]
	ldp	x27, x28, [x0, #216]
	ldr	x29, [x0, #232]
	b	el0_return

/* void el0_enter(struct el0_ctx *c): from the kernel, never returns. */
	.globl	el0_enter
el0_enter:
	msr	daifset, #0xf
	mrs	x1, tpidr_el1
	b	el0_restore_full
