/*
 * Exceptions from EL0 (the lower-EL entries of the vector table, vectors.S) and the
 * way back with eret. The register context is struct el0_ctx (hal/el0.h, offsets in
 * hal/aarch64/boot_layout.h); TPIDR_EL1's struct percpu.el0_ctx names the one whose
 * FP/SIMD and TPIDR_EL0 values the CPU's registers hold.
 *
 * Whenever a cell runs, SP_EL1 points at its context: the entry stores x0-x30, SP_EL0,
 * ELR and SPSR straight into it, then moves to this CPU's kernel stack (at its top)
 * and calls the kind's C handler (x1, from the vector) with the context in x0. The
 * handler returns the context to run next. The same one (a system call, an interrupt
 * that changes nothing): its general registers are loaded back; FP/SIMD and TPIDR_EL0
 * were never touched (the kernel is built -mgeneral-regs-only). Another one: the old
 * context's TPIDR_EL0, FPSR, FPCR and q0-q31 are saved first and the new one's loaded,
 * so nothing of one cell is ever visible to another. NULL: the old context's rest is
 * saved and the CPU goes to kernel_idle() on its empty kernel stack.
 *
 * SAFETY: the only memory touched is the context SP_EL1 or percpu.el0_ctx points at
 * (kernel memory, one per cell, 16-byte aligned, EL0_CTX_SIZE bytes; every way to EL0
 * sets SP_EL1 to the context it enters) and the kernel stack, from its top; the
 * offsets match struct el0_ctx (static asserts in hal/aarch64/el0.c). IRQs stay masked
 * from the exception to the eret. From the vector to the move onto the kernel stack, and
 * from el0_return's `mov sp` to the eret, SP_EL1 is a context, not a stack: nothing in
 * those instructions can take an exception at EL1 (no memory but the context, which is
 * mapped kernel memory, is touched), so the same-EL vectors never see it.
 */
#include "hal/aarch64/asm.h"

	.text

/* sp = context (x0, x1 saved), x1 = the C handler. */
	.globl	el0_entry
el0_entry:
	stp_x2_x29 sp
	mrs	x2, sp_el0
	stp	x30, x2, [sp, #240]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #EL0_PC]
	mov	x0, sp
	mrs	x2, tpidr_el1
	ldr	x2, [x2, #PERCPU_STACK_TOP]
	mov	sp, x2
	blr	x1
	mrs	x1, tpidr_el1
	ldr	x2, [x1, #PERCPU_EL0_CTX]
	cmp	x0, x2
	b.ne	el0_switch
/* x0 = context; TPIDR_EL0 and FP/SIMD already hold its values. */
el0_return:
	mov	sp, x0
	ldp	x2, x3, [sp, #EL0_PC]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x30, x2, [sp, #240]
	msr	sp_el0, x2
	ldp_x2_x29 sp
#ifdef CONFIG_BENCH
	mrs	x1, tpidr_el1
	ldr	x1, [x1, #PERCPU_BENCH_IN]
	str	x1, [sp, #EL0_BENCH_IN]
	str	xzr, [sp, #EL0_BENCH_FAST]
	mrs	x1, pmccntr_el0
	str	x1, [sp, #EL0_BENCH_OUT]
#endif
	ldp	x0, x1, [sp, #0]
	eret

/*
 * The null call (from the synchronous vector: svc, x8 = 0): x0 = 0, x1 as it was, every
 * other register untouched, nothing else saved or changed. The vector stored x0 and x1
 * in the context (sp).
 */
	.globl	el0_null_call
el0_null_call:
#ifdef CONFIG_BENCH
	mrs	x0, tpidr_el1
	ldr	x0, [x0, #PERCPU_BENCH_IN]
	str	x0, [sp, #EL0_BENCH_IN]
	mov	x0, #1
	str	x0, [sp, #EL0_BENCH_FAST]
	mrs	x0, pmccntr_el0
	str	x0, [sp, #EL0_BENCH_OUT]
#endif
	ldr	x1, [sp, #8]
	mov	x0, #0
	eret

/* x2 = the old context, x0 = the new one or NULL, x1 = percpu; sp = the stack top. */
el0_switch:
	mrs	x3, tpidr_el0
	mrs	x4, fpsr
	mrs	x5, fpcr
	str	x3, [x2, #EL0_TPIDR]
	stp	x4, x5, [x2, #EL0_FPSR]
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
	b	kernel_idle

/* x0 = context, x1 = percpu: load its FP/SIMD state and TPIDR_EL0, then the rest. */
el0_restore_full:
	str	x0, [x1, #PERCPU_EL0_CTX]
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
	b	el0_return

/* void el0_enter(struct el0_ctx *c): from the kernel, never returns. */
	.globl	el0_enter
el0_enter:
	msr	daifset, #0xf
	mrs	x1, tpidr_el1
	b	el0_restore_full
