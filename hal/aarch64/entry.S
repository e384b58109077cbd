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
 * sets SP_EL1 to the context it enters), the kernel stack, from its top, and for the
 * window fast path this CPU's struct fastwin (percpu.fastwin), the scheduler's slot
 * table and the partitions' entries it points at (kernel memory the kernel filled in
 * before it enabled the path; entries[-1] exists for the idle gaps' part -1), the
 * context a wake-up step names (one of the partition's, as above) and the distributor's
 * GICD_ICENABLER registers (device memory the kernel mapped at boot, written as
 * gic_v3's spi_mask writes them; under Xen the write traps to EL2, which emulates it:
 * no exception at EL1), and for the synchronous vector's port_signal the kernel's
 * port_signal table (kernel memory written once before the path was enabled), the
 * channel words an entry of it names (an ack page's waiting word and a channel's
 * signalled word, kernel memory, the same atomic accesses as core/port.c's) and another
 * CPU's struct fastwin window_part (read only); its one system-register write is
 * ICC_SGI1R_EL1 with the value gic_v3 computed (under Xen trapped and emulated); the
 * offsets match the C structs (static asserts in hal/aarch64/el0.c, core/run_fast.c).
 * IRQs stay masked from the exception to the eret. From the vector to the move onto the
 * kernel stack, and from el0_return's `mov sp` to the eret, SP_EL1 is a context, not a
 * stack: nothing in those instructions can take an exception at EL1 (no memory but that
 * kernel memory, all mapped, is touched; udiv by ns_per_tick, never 0 when the path is
 * on), so the same-EL vectors never see it.
 */
#include "hal/aarch64/asm.h"
#include "hal/fastwin.h"

#define CNTV_CTL_ENABLE 1
#define FW_BENCH_SELF 4 /* CONFIG_BENCH: the fast path's own counting (4 instructions) */
#define FW_BENCH_SELF_WINDOW 5 /* the window start's: and the choice of its record */
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1

/*
 * CONFIG_BENCH: the pass ends (x1 = the counter just after its last instruction but
 * the ldp and eret): it counts into the struct el0_bench the path named (percpu
 * bench_stat, el0_bench_to), less its own counting (percpu bench_self) and the
 * stamps' instructions, plus the path's own outside them (the vector's first stp, the
 * ldp and the eret). Uses x0-x5 after they were loaded: x2-x5 are loaded again.
 */
#define BENCH_STAMPS 2  /* inside the stamps and not the path's: the vector's store of */
#define BENCH_OUTSIDE 3 /* the entry stamp; the mrs of the end's. Outside: stp, ldp, eret */
.macro bench_count
	mrs	x0, tpidr_el1
	str	xzr, [sp, #EL0_BENCH_FAST]	/* no null call since this pass */
	ldr	x2, [x0, #PERCPU_BENCH_STAT]
	cbz	x2, 1f
	ldr	x3, [x0, #PERCPU_BENCH_IN]
	ldr	x4, [x0, #PERCPU_BENCH_SELF]
	sub	x1, x1, x3
	sub	x1, x1, x4
	sub	x1, x1, #BENCH_STAMPS
	add	x1, x1, #BENCH_OUTSIDE
	ldp	x3, x4, [x2]		/* n, sum */
	add	x3, x3, #1
	add	x4, x4, x1
	stp	x3, x4, [x2]
	ldp	x3, x4, [x2, #16]	/* min, max */
	cmp	x1, x3
	csel	x3, x1, x3, lo
	cmp	x1, x4
	csel	x4, x1, x4, hi
	stp	x3, x4, [x2, #16]
1:	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
.endm

/* sp = context, x0 and x1 saved: x2-x30, SP_EL0, ELR and SPSR into it too. */
.macro save_rest
	stp_x2_x29 sp
	mrs	x2, sp_el0
	stp	x30, x2, [sp, #240]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #EL0_PC]
.endm

/*
 * The vector's timer (x9 = struct fastwin, x13 = ns per tick, x14 = the CPU's limit):
 * the compare value for the earliest of end, until and the limit, in ticks rounded up;
 * the control register too (Xen masks it when it injects the interrupt); then isb, so
 * that the timer's (level) line has dropped before the end of interrupt. x2, x3 scratch.
 */
.macro arm_timer end, until
	cmp	\end, \until
	csel	x2, \end, \until, lo
	cmp	x2, x14
	csel	x2, x2, x14, lo
	ldr	x3, [x9, #FW_CEIL]
	add	x2, x2, x3
	udiv	x2, x2, x13
	msr	cntv_cval_el0, x2
	mov	x3, #CNTV_CTL_ENABLE
	msr	cntv_ctl_el0, x3
	isb
.endm

/* A step's end (x12 = what was acknowledged, x0 = the context to run, x1 = percpu): the
 * end of interrupt, the pass counted in the fastwin's record (CONFIG_BENCH), on into the
 * switch. */
.macro step_end record
	msr	ICC_EOIR1_EL1, x12
#ifdef CONFIG_BENCH
	add	x2, x9, #\record
	str	x2, [x1, #PERCPU_BENCH_STAT]
	mov	x2, #FW_BENCH_SELF
	str	x2, [x1, #PERCPU_BENCH_SELF]
#endif
	mov	x2, sp
	b	el0_switch
.endm

/* x0 = the context (sp), sp = this CPU's kernel stack at its top. */
.macro to_kernel_stack
	mov	x0, sp
	mrs	x2, tpidr_el1
	ldr	x2, [x2, #PERCPU_STACK_TOP]
	mov	sp, x2
.endm

	.text

/* sp = context (x0, x1 saved), x1 = the C handler. */
	.globl	el0_entry
el0_entry:
	save_rest
	to_kernel_stack
	blr	x1
/* x0 = what the handler returned. */
el0_after:
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
	mrs	x1, pmccntr_el0
	bench_count
#endif
	ldp	x0, x1, [sp, #0]
	eret

/*
 * CONFIG_BENCH: the end of a call the vectors answer themselves (scratch reg): its
 * entry and exit stamps into the context, and its kind (1 the null call, 2 any other:
 * time_ns, port_signal;
 * hal/el0.h, el0_null_call_insns), for the kernel to count at the context's next entry.
 */
.macro fast_call_stamp reg, kind
#ifdef CONFIG_BENCH
	mrs	\reg, tpidr_el1
	ldr	\reg, [\reg, #PERCPU_BENCH_IN]
	str	\reg, [sp, #EL0_BENCH_IN]
	mov	\reg, #\kind
	str	\reg, [sp, #EL0_BENCH_FAST]
	mrs	\reg, pmccntr_el0
	str	\reg, [sp, #EL0_BENCH_OUT]
#endif
.endm

/*
 * The start of a call the synchronous vector answers itself: on to fallback unless the
 * exception is an svc and this CPU has a struct fastwin, which is then in x1 (x1 is
 * the only register used; the context holds the caller's x1).
 */
.macro svc_fastwin fallback
	mrs	x1, esr_el1
	lsr	x1, x1, #26
	cmp	x1, #ESR_EC_SVC64
	b.ne	\fallback
	mrs	x1, tpidr_el1
	ldr	x1, [x1, #PERCPU_FASTWIN]
	cbz	x1, \fallback
.endm

/*
 * The null call (from the synchronous vector: svc, x8 = 0): x0 = 0, x1 as it was, every
 * other register untouched, nothing else saved or changed. The vector stored x0 and x1
 * in the context (sp).
 */
	.globl	el0_null_call
el0_null_call:
	fast_call_stamp x0, 1
	ldr	x1, [sp, #8]
	mov	x0, #0
	eret

/*
 * time_ns (from the synchronous vector: svc with x8 = 3; sp = the caller's context, x0
 * and x1 saved): now less the epoch in ns, as the C path answers, from this CPU's
 * struct fastwin (the same conversion as the window fast path's). x2 and x3 are saved
 * into the context and loaded back, x1 too; nothing else is touched. Without a struct
 * fastwin (the fast path off) or for an exception that is not an svc: C, as before.
 */
	.globl	el0_time_call
el0_time_call:
	svc_fastwin el0_time_c
	stp	x2, x3, [sp, #16]
	mrs	x0, cntvct_el0
	ldp	x2, x3, [x1, #FW_BOOT]		/* the counter at boot, ns per tick */
	sub	x0, x0, x2
	mul	x0, x0, x3			/* now */
	ldr	x2, [x1, #FW_EPOCH]
	sub	x0, x0, x2
	fast_call_stamp x2, 2		/* the same counts as the null call's */
	ldp	x2, x3, [sp, #16]
	ldr	x1, [sp, #8]
	eret
el0_time_c:
	adr	x1, el0_sync
	b	el0_entry

/*
 * port_signal (from the synchronous vector: svc with x8 = 0x204; sp = the caller's
 * context, x0 and x1 saved, x0 the handle): what channels_signal_direct does, from the
 * table the kernel wrote (hal/fastwin.h, struct fastwin_sig) for the running
 * partition's (window_part's) capability slot, when the slot's handle is x0 whole:
 * the notifier's barrier, the destination's waiting word, the exchange of the
 * channel's signalled word, and if that let the notification through and the
 * destination holds its CPU, the wake-up SGI (as gic_v3's sgi_to: dsb, ICC_SGI1R_EL1,
 * isb) and YIELD (hal/cpu.h, cpu_yield_hint). Returns 0. x2-x5 are saved into the
 * context and loaded back, x1 too. Anything else (an idle gap, a handle the table does
 * not have, an exception that is not an svc, no struct fastwin): C, as before.
 */
	.globl	el0_signal_call
el0_signal_call:
	svc_fastwin el0_signal_c
#ifdef CONFIG_BENCH
	ldr	x0, [sp, #EL0_X]		/* the vector's bench stamp used x0: the handle */
#endif
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	ldr	x2, [x1, #FW_WINDOW_PART]
	tbnz	x2, #63, el0_signal_back	/* an idle gap */
	ldr	x3, [x1, #FW_SIG_INDEX]
	cbz	x3, el0_signal_back
	ldr	x3, [x3, x2, lsl #3]		/* first << 32 | count */
	and	x4, x0, #0xfff			/* the handle's slot (core/cap.h, CAP_SLOT_BITS) */
	cmp	x4, w3, uxtw
	b.hs	el0_signal_back
	add	x4, x4, x3, lsr #32
	ldr	x3, [x1, #FW_SIGS]
	add	x3, x3, x4, lsl #FW_SIG_SHIFT
	ldr	x4, [x3, #FW_SIG_HANDLE]
	cmp	x4, x0
	b.ne	el0_signal_back			/* not a queuing source's port, or stale */
	dmb	ish				/* the sender's stores before the look at waiting */
	ldr	x4, [x3, #FW_SIG_WAITING]
	ldr	w4, [x4]
	cbz	w4, 3f				/* nobody waits */
	ldr	x4, [x3, #FW_SIG_SIGNALLED]
	mov	w5, #1
2:	ldaxr	w2, [x4]
	stlxr	w0, w5, [x4]
	cbnz	w0, 2b
	cbnz	w2, 3f				/* this wait was told already */
	ldr	x4, [x3, #FW_SIG_WINDOW_PART]
	cbz	x4, 3f				/* the same CPU: its next window looks */
	ldr	x4, [x4]
	ldr	x2, [x3, #FW_SIG_PART]
	cmp	x4, x2
	b.ne	3f				/* its window does not run: it looks at its start */
	ldr	x2, [x3, #FW_SIG_SGI]
	dsb	ish
	/* SAFETY: ICC_SGI1R_EL1 (GICv3 CPU interface, a struct fastwin exists only then)
	 * with the value gic_v3 computed for the destination CPU and the wake-up SGI: the
	 * write gic_v3's sgi_to makes. */
	msr	S3_0_C12_C11_5, x2
	isb
	yield					/* hal/cpu.h: cpu_yield_hint */
	ldr	x2, [x1, #FW_SIGNALS]
	add	x2, x2, #1
	str	x2, [x1, #FW_SIGNALS]
3:	mov	x0, #0
	fast_call_stamp x2, 2		/* counted as a call */
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldr	x1, [sp, #8]
	eret
el0_signal_back:
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
el0_signal_c:
	adr	x1, el0_sync
	b	el0_entry

/* el0_irq_entry's ways to C: x12 = what it acknowledged (GICv3), or nothing. */
el0_irq_acked_c:
	dsb	sy			/* as gic_v3's ack: the read completes first */
	mov	x1, x12			/* kernel_el0_irq_acked(context, what was acknowledged) */
	adr	x9, el0_irq_acked
	b	1f
el0_irq_c:
	adr	x9, el0_irq
1:	to_kernel_stack
	blr	x9
	b	el0_after

/*
 * The lower-EL IRQ vector's continuation: sp = context (x0, x1 saved), x0 = the counter
 * at the entry. Saves the cell's registers like el0_entry, then, when this CPU has a
 * struct fastwin (hal/fastwin.h), acknowledges the interrupt and starts the next window
 * itself if it can: the scheduler's timer at the end of the current slot, before the
 * kernel's limit, the next slot not over yet and its partition given an entry; or,
 * inside the slot, the release step (fw_release) the kernel foresaw. Every
 * check comes before the first store; anything else goes to kernel_el0_irq_acked with
 * what was acknowledged (or kernel_el0_irq without a struct fastwin).
 *
 * One isb, between the timer's writes and the end of interrupt: the new compare value
 * must have taken the timer's (level) line down before the interrupt is deactivated,
 * or it would be pending again. None after TTBR0 and the end of interrupt: nothing
 * before the eret uses them (the kernel runs on TTBR1, IRQs masked), and the eret is a
 * context synchronization event. TTBR0's table and ASID change in one write.
 */
	.globl	el0_irq_entry
el0_irq_entry:
	save_rest
	mrs	x1, tpidr_el1
	ldr	x9, [x1, #PERCPU_FASTWIN]
	cbz	x9, el0_irq_c
	mrs	x12, ICC_IAR1_EL1
	ldp	x10, x11, [x9, #FW_INTID]	/* the timer's INTID, boot */
	cmp	x12, x10
	b.ne	fw_irq				/* a device's: the wake-up step, or C */
	ldp	x13, x14, [x9, #FW_NPT]	/* ns per tick, the CPU's limit */
	sub	x15, x0, x11
	mul	x15, x15, x13		/* now */
	ldp	x16, x17, [x9, #FW_SLOT_END]	/* slot end, current slot */
	cmp	x15, x16
	b.lo	fw_release			/* inside the slot: the partition's own event */
	cmp	x15, x14
	b.hs	el0_irq_acked_c			/* another timer event is due */
	ldp	x18, x23, [x9, #FW_BASE]	/* frame start, entries */
	ldp	x17, x21, [x17, #FW_SLOT_NEXT]	/* the next slot, how much later its frame starts */
	add	x18, x18, x21
	ldr	x20, [x17, #FW_SLOT_END_NS]
	ldrsw	x22, [x17, #FW_SLOT_PART]
	add	x20, x18, x20		/* its end */
	cmp	x15, x20
	b.hs	el0_irq_acked_c			/* over too: the kernel finds where the frame is */
	add	x23, x23, x22, lsl #FW_ENTRY_SHIFT	/* entries[-1] (an idle gap) is empty */
	ldp	x0, x25, [x23]		/* the context, TTBR0 */
	ldr	x24, [x23, #FW_ENTRY_UNTIL]
	cbz	x0, el0_irq_acked_c
	cmp	x15, x24
	b.hs	fw_window_release		/* its choice or its monitor's look is due */
#ifdef CONFIG_BENCH
	mov	x19, #FW_BENCH			/* the pass counts as a window start */
#endif
	/* The window starts. */
fw_window:
	stp	x20, x17, [x9, #FW_SLOT_END]
	str	x18, [x9, #FW_BASE]
	sub	x26, x15, x16		/* lateness: now - planned start */
	ldp	x2, x3, [x9, #FW_LATE_SUM]	/* sum, max */
	add	x2, x2, x26
	cmp	x26, x3
	csel	x3, x26, x3, hi
	stp	x2, x3, [x9, #FW_LATE_SUM]
	ldr	x2, [x9, #FW_LATE_MIN]
	cmp	x26, x2
	csel	x2, x26, x2, lo
	stp	x2, x15, [x9, #FW_LATE_MIN]	/* min, now */
	arm_timer x20, x24		/* the slot's end, or a limit first */
	msr	ttbr0_el1, x25
	msr	ICC_EOIR1_EL1, x12
	str	x22, [x9, #FW_WINDOW_PART]	/* for the channels' other CPUs */
#ifdef CONFIG_BENCH
	add	x2, x9, x19
	str	x2, [x1, #PERCPU_BENCH_STAT]
	mov	x2, #FW_BENCH_SELF_WINDOW
	str	x2, [x1, #PERCPU_BENCH_SELF]
#endif
	mov	x2, sp			/* on into el0_switch, just below */

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

/*
 * Inside the slot (x15 = now, x16 = the slot's end, x14 = the CPU's limit, x17 = the
 * slot): the release step when the kernel foresaw this decision of the slot's
 * partition (its entry's rel_ctx, from until up to rel_limit) and no other timer event
 * of the CPU is due. Once between two entries into the kernel: the limit goes to 0,
 * the kernel sets it again when it has caught up (step_now).
 */
fw_release:
	cmp	x15, x14
	b.hs	el0_irq_acked_c			/* another timer event is due */
	ldrsw	x22, [x17, #FW_SLOT_PART]
	ldr	x23, [x9, #FW_ENTRIES]
	add	x23, x23, x22, lsl #FW_ENTRY_SHIFT	/* entries[-1] (an idle gap) is empty */
	ldp	x24, x26, [x23, #FW_ENTRY_UNTIL]	/* until, the step's limit */
	ldp	x0, x25, [x23, #FW_ENTRY_REL]	/* the context, its decision's next event */
	cbz	x0, el0_irq_acked_c
	cmp	x15, x24
	b.lo	el0_irq_acked_c			/* not due yet */
	cmp	x15, x26
	b.hs	el0_irq_acked_c			/* the next event too: the kernel decides */
	stp	x15, x12, [x9, #FW_STEP_NOW]	/* the step, for the kernel's catch-up */
	str	xzr, [x9, #FW_LIMIT]	/* nothing more until the kernel caught up */
	arm_timer x16, x25		/* the slot's end, or an event first */
	step_end FW_REL_BENCH

/*
 * A window start at or after its partition's until, the window following one of the
 * same partition (its release falls on their boundary): with the release step the
 * kernel foresaw (the entry's rel_ctx, before rel_limit: its next event and its
 * monitor's limit), the window starts with it (x0 the context, x24 the partition's next
 * event), else the kernel decides (another partition's window start with work due is
 * a partition switch the kernel makes). As fw_release:
 * once between two entries into the kernel.
 */
fw_window_release:
	ldr	x26, [x9, #FW_WINDOW_PART]
	cmp	x26, x22
	b.ne	el0_irq_acked_c			/* only a window that follows its own */
	ldr	x26, [x23, #FW_ENTRY_REL_LIMIT]
	ldp	x0, x24, [x23, #FW_ENTRY_REL]	/* the context, its decision's next event */
	cbz	x0, el0_irq_acked_c
	cmp	x15, x26
	b.hs	el0_irq_acked_c			/* the next event or the monitor's look is due */
	stp	x15, x12, [x9, #FW_STEP_NOW]	/* the step, for the kernel's catch-up */
	str	xzr, [x9, #FW_LIMIT]	/* nothing more until the kernel caught up */
#ifdef CONFIG_BENCH
	mov	x19, #FW_REL_BENCH		/* counts as a release step (cell_switch) */
#endif
	b	fw_window

/*
 * Another interrupt than the timer's (x12, x0 = the counter at the entry): the wake-up
 * step, when it is the device interrupt a cell of the slot's partition waits for (the
 * entry's irq_intid and irq_ctx) and it came before the slot's end, the CPU's limit and
 * the partition's until. The line is masked at the distributor, with a dsb before the
 * end of interrupt (a device that still drives it must not make it pending again),
 * irq_wait's result (0) goes into the waiting context's x0, and that cell runs; the
 * timer stays. Once between two entries into the kernel (the limit goes to 0): the
 * kernel ends the wait at step_now.
 */
fw_irq:
	ldp	x13, x14, [x9, #FW_NPT]	/* ns per tick, the CPU's limit */
	sub	x15, x0, x11
	mul	x15, x15, x13		/* now */
	ldp	x16, x17, [x9, #FW_SLOT_END]	/* slot end, current slot */
	cmp	x15, x16
	b.hs	el0_irq_acked_c			/* the slot is over: its timer comes next */
	cmp	x15, x14
	b.hs	el0_irq_acked_c			/* a timer event is due */
	ldrsw	x22, [x17, #FW_SLOT_PART]
	ldr	x23, [x9, #FW_ENTRIES]
	add	x23, x23, x22, lsl #FW_ENTRY_SHIFT	/* entries[-1] (an idle gap) is empty */
	ldp	x24, x0, [x23, #FW_ENTRY_IRQ]	/* the interrupt, the waiting context */
	cmp	x12, x24
	b.ne	el0_irq_acked_c
	cbz	x0, el0_irq_acked_c
	ldr	x24, [x23, #FW_ENTRY_UNTIL]
	cmp	x15, x24
	b.hs	el0_irq_acked_c			/* the partition's decision is due */
	ldr	x2, [x9, #FW_GICD_ICENABLER]
	lsr	x3, x12, #5
	mov	w4, #1
	lsl	w4, w4, w12			/* 1 << (intid % 32) */
	str	w4, [x2, x3, lsl #2]		/* the line masked */
	str	xzr, [x0, #EL0_X]		/* irq_wait's result */
	stp	x15, x12, [x9, #FW_STEP_NOW]	/* the step, for the kernel's catch-up */
	str	xzr, [x9, #FW_LIMIT]	/* nothing more until the kernel caught up */
	dsb	sy
	step_end FW_IRQ_BENCH

/* void el0_enter(struct el0_ctx *c): from the kernel, never returns. */
	.globl	el0_enter
el0_enter:
	msr	daifset, #0xf
	mrs	x1, tpidr_el1
	b	el0_restore_full
