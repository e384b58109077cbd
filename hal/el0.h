/*
 * Code at EL0: a cell's register context, entering it, and the partition address
 * space the CPU translates EL0 addresses with (TTBR0_EL1 and its ASID).
 *
 * The lower-EL exception vectors save the interrupted cell's general registers into the
 * context the CPU runs (the one el0_enter() last entered; SP_EL1 points at it while EL0
 * runs) and call one of the kernel's upcalls (hal/exception.h: kernel_el0_svc,
 * kernel_el0_irq, kernel_el0_fault). Each returns the context to run next: the same one
 * (a system call returns to its caller), another one (the vectors then save the old
 * context's FP/SIMD state and TPIDR_EL0 and load all of the new one), or NULL (the CPU
 * idles: the old context's FP/SIMD state and TPIDR_EL0 are saved and kernel_idle() runs
 * on an empty stack).
 *
 * The kernel itself never touches FP/SIMD registers (-mgeneral-regs-only), so a
 * cell's FP/SIMD state stays in the registers while the kernel runs, and only a switch
 * to another context saves and loads it.
 */
#ifndef BULKHEAD_HAL_EL0_H
#define BULKHEAD_HAL_EL0_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"

/* A cell's registers (layout shared with the vectors: hal/aarch64/boot_layout.h). */
struct el0_ctx {
	uint64_t x[31];  /* x0..x30; x0..x8 are struct syscall_frame */
	uint64_t sp;     /* SP_EL0 */
	uint64_t pc;     /* ELR_EL1: where the cell resumes */
	uint64_t pstate; /* SPSR_EL1: EL0t, AArch64, interrupts unmasked */
	uint64_t tpidr;  /* TPIDR_EL0: the cell's thread pointer */
	uint64_t fpsr, fpcr;
	uint64_t bench_fast; /* CONFIG_BENCH: the last pass was the vectors' own: 1 the null
			      * call, 2 time_ns (el0_time_call) */
	unsigned __int128 v[32]; /* q0..q31 */
	/* CONFIG_BENCH: PMCCNTR_EL0 at the entry of the kernel pass that last resumed this
	 * context and just before its eret (see el0_pass_insns). */
	uint64_t bench_in, bench_out;
	/* The counter (CNTVCT_EL0) as the lower-EL IRQ vector read it, a fixed few
	 * instructions after the interrupt was taken: when the interrupt arrived, whatever
	 * the kernel does after it. Written by every interrupt from EL0. */
	uint64_t irq_ticks;
} __aligned(16);

/*
 * CONFIG_BENCH: instructions of kernel passes from EL0 back to EL0, counted at the eret
 * of each pass (the exception taken, the svc itself not included, to the eret
 * included, without the counting's own instructions) into the struct el0_bench the pass
 * named (el0_bench_to); min starts at UINT64_MAX.
 */
struct el0_bench {
	uint64_t n, sum, min, max;
};

/*
 * CONFIG_BENCH: the pass now running on this CPU counts, at its eret, into b (NULL: it
 * is not counted), less self instructions of its own counting.
 */
void el0_bench_to(struct el0_bench *b, uint64_t self);

/*
 * CONFIG_BENCH: instructions of the null call or time_ns that last resumed c (the
 * vectors' own paths, never in C: they count themselves by these stamps in the
 * context, and the kernel reads them at c's next entry), without the stamps' own
 * instructions. 0: none since; which of the two: c->bench_fast (1, 2).
 */
static inline uint64_t el0_null_call_insns(const struct el0_ctx *c)
{
	if (!c->bench_fast)
		return 0;
	/* Inside the stamps and not the path's: 2 at entry and 6 at exit; outside them
	 * and the path's: the stp, and the three instructions after the last stamp (the
	 * null call's ldr, mov, eret; time_ns's ldp, ldr, eret). */
	return c->bench_out - c->bench_in - 8 + 4;
}

/* CONFIG_BENCH: start this CPU's cycle counter (counts EL0 and EL1; under QEMU
 * -icount shift=0 it counts instructions); read it. */
void el0_cycles_start(void);
uint64_t el0_cycles(void);

/* A fresh context: every register 0, pc and sp as given, EL0 with interrupts on. */
void el0_ctx_init(struct el0_ctx *c, uint64_t pc, uint64_t sp);

/*
 * Run c at EL0 on this CPU (from the kernel's idle loop, IRQs masked): every register
 * is loaded from c, the kernel stack is reset to its top. Does not return; the next
 * exception from EL0 saves into c.
 */
void el0_enter(struct el0_ctx *c) __noreturn;

/*
 * This CPU's EL0 controls, once before it first runs a cell: no counter, timer or PMU
 * access at EL0 (CNTKCTL_EL1 = 0, PMUSERENR_EL0 = 0), TTBR0 walks on, starting from an
 * empty table (no partition).
 */
void el0_cpu_init(void);

/* Translate EL0 addresses with the table at root_pa, tagged asid (non-global
 * mappings: no TLB flush is needed when switching between partitions). */
void el0_space_switch(uint64_t root_pa, unsigned int asid);

/* This CPU's TLB entries tagged asid go (an earlier holder's, core/asid.h). Call after
 * el0_space_switch to the new holder, before it runs. */
void el0_asid_flush(unsigned int asid);

/* No partition: TTBR0 points at an empty table (used when the CPU idles). */
void el0_space_none(void);

/* Code was written at kva (n bytes, a kernel alias of a partition's text): make it
 * visible to instruction fetch (clean to the point of unification, invalidate the
 * instruction caches). */
void el0_sync_code(const void *kva, size_t n);

/* How many ASIDs the CPU has (256 or 65536); ASID 0 is the "no partition" one. */
unsigned int el0_asids(void);

#endif
