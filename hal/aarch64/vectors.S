/*
 * EL1 exception vectors. Every entry saves the full register frame (struct
 * exc_frame in hal/aarch64/exception.h) and calls exception_dispatch(kind, frame),
 * then restores the frame (ELR/SPSR included, as the handler may change them) and
 * returns with eret.
 *
 * Stack overflow: before anything is stored, each entry checks that the frame fits
 * in the stack. Stacks are laid out so that bit KSTACK_SHIFT is set in every stack
 * address and clear in every guard address (hal/aarch64/boot_layout.h), so the check
 * is one bit of SP, tested with x0 hidden in SP (as Linux does) instead of stored.
 * A frame that would not fit means the stack overflowed (or SP is wild): the entry
 * switches to this CPU's overflow stack (struct percpu.overflow_top) and calls
 * exception_overflow(kind, frame), which reports and stops; the overflowed stack and
 * its guard are never written. That path keeps x0 and the bad SP in TPIDRRO_EL0 and
 * TPIDR_EL0 on the way: it never returns, so no partition sees them.
 *
 * SAFETY: runs on the interrupted context's SP_EL1 stack with 288 bytes reserved
 * below it, after the check above proved they belong to the stack (or on the overflow
 * stack); the frame layout matches the C struct (checked by a static assert there);
 * nothing here touches memory outside that frame.
 */
#include "hal/aarch64/asm.h"
#include "hal/fastwin.h"

#define FRAME_SIZE 288

.macro vector kind
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	add	sp, sp, x0		/* sp = frame + x0 */
	sub	x0, sp, x0		/* x0 = frame */
	tbz	x0, #KSTACK_SHIFT, 1f	/* the frame would be in a guard: overflow */
	sub	x0, sp, x0		/* x0 = x0 */
	sub	sp, sp, x0		/* sp = frame */
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	exc_common
1:	sub	x0, sp, x0
	msr	tpidrro_el0, x0		/* the interrupted x0 */
	sub	x0, sp, x0
	msr	tpidr_el0, x0		/* the frame address on the overflowed stack */
	mrs	x0, tpidr_el1
	ldr	x0, [x0, #PERCPU_OVERFLOW_TOP]
	sub	sp, x0, #FRAME_SIZE
	str	x1, [sp, #8]
	mrs	x1, tpidrro_el0
	str	x1, [sp, #0]
	mov	x0, #\kind
	b	exc_overflow
.endm

/*
 * From EL0 (hal/aarch64/entry.S): whenever a cell runs, SP_EL1 points at its context
 * (struct el0_ctx), so the registers go straight into it; the kernel stack is taken
 * only after they are saved. fast=1 (the synchronous entry): the null call (svc with
 * x8 = 0) returns 0 at once (el0_null_call), touching nothing else; x8 = 3
 * (time_ns) is answered by el0_time_call and x8 = 0x204 (port_signal) by
 * el0_signal_call when this CPU has a struct fastwin, else C. irq=1: the counter
 * is read into the context's irq_ticks a fixed few instructions after the entry (the
 * exception is context synchronizing, so no isb), so the kernel knows when the
 * interrupt came whatever it does before it looks; then el0_irq_entry (the window fast
 * path, hal/fastwin.h) with it in x0. Else x1 carries the C handler of the kind
 * (hal/aarch64/el0.c) to el0_entry. CONFIG_BENCH: the pass's entry stamp, and no
 * counting for it until its path says where (el0_bench_to).
 */
.macro vector_el0 handler, fast=0, irq=0
	.balign	0x80
	stp	x0, x1, [sp, #EL0_X]
#ifdef CONFIG_BENCH
	mrs	x0, tpidr_el1
	str	xzr, [x0, #PERCPU_BENCH_STAT]
	mrs	x1, pmccntr_el0
	str	x1, [x0, #PERCPU_BENCH_IN]
#endif
.if \fast
	cbnz	x8, 1f
	mrs	x0, esr_el1
	lsr	x0, x0, #26
	cmp	x0, #ESR_EC_SVC64
	b.eq	el0_null_call
1:	cmp	x8, #FW_SYS_TIME_NS
	b.eq	el0_time_call			/* time_ns (entry.S), or on to C */
	cmp	x8, #FW_SYS_PORT_SIGNAL
	b.eq	el0_signal_call			/* port_signal (entry.S), or on to C */
.endif
.if \irq
	mrs	x0, cntvct_el0
	str	x0, [sp, #EL0_IRQ_TICKS]
	b	el0_irq_entry
.else
	adr	x1, \handler
	b	el0_entry
.endif
.endm

	.text
	.balign	2048
	.globl	exception_vectors
exception_vectors:
	vector 0	/* current EL, SP_EL0: sync */
	vector 1	/* irq */
	vector 2	/* fiq */
	vector 3	/* serror */
	vector 4	/* current EL, SP_ELx: sync */
	vector 5	/* irq */
	vector 6	/* fiq */
	vector 7	/* serror */
	vector_el0 el0_sync, 1	/* lower EL, AArch64: sync */
	vector_el0 el0_irq, 0, 1	/* irq: el0_irq_entry */
	vector_el0 el0_fiq	/* fiq */
	vector_el0 el0_serror	/* serror */
	/* Lower EL, AArch32: never entered (every eret to EL0 is AArch64 EL0t), and SP_EL1
	 * is then a context, not a stack: saved like any exception from EL0 and reported
	 * as the running cell's fault. */
	vector_el0 el0_aarch32	/* sync */
	vector_el0 el0_aarch32	/* irq */
	vector_el0 el0_aarch32	/* fiq */
	vector_el0 el0_aarch32	/* serror */

/* Save x2..x30, the interrupted SP (x1 = frame address there), the exception registers. */
.macro save_rest
	stp_x2_x29 sp
	add	x1, x1, #FRAME_SIZE
	stp	x30, x1, [sp, #240]	/* x30, interrupted SP */
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x1, x2, [sp, #256]
	mrs	x1, esr_el1
	mrs	x2, far_el1
	stp	x1, x2, [sp, #272]
	mov	x1, sp
.endm

exc_common:
	mov	x1, sp
	save_rest
	bl	exception_dispatch
	ldp	x1, x2, [sp, #256]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x0, x1, [sp, #0]
	ldp_x2_x29 sp
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret

/* Overflowed stack: on the overflow stack, x0 = kind; does not return. */
exc_overflow:
	mrs	x1, tpidr_el0
	save_rest
	bl	exception_overflow
	b	park
