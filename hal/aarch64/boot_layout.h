/*
 * Layouts and register values shared by head.S / vectors.S and C, defined once.
 * Usable from assembly. The C structs that match the offsets check them with static
 * assertions (hal/aarch64/percpu.h, mmu.c).
 */
#ifndef BULKHEAD_HAL_AARCH64_BOOT_LAYOUT_H
#define BULKHEAD_HAL_AARCH64_BOOT_LAYOUT_H

/* SCTLR_EL1 bits that read as one (RES1 on ARMv8.0; on later CPUs these are EIS,
 * EOS, SPAN, TSCXT, nTLSMD and LSMAOE, whose safe value is also one): MMU, caches and
 * alignment checks off. */
#define SCTLR_EL1_RES1 0x30d00800
#define SCTLR_EL1_SPAN (1 << 23) /* clear: PSTATE.PAN is set on exception entry to EL1 */
#define PSTATE_PAN (1 << 22)
#define SYSREG_PAN S3_0_C4_C2_3 /* PAN, named by number: -march=armv8-a has no FEAT_PAN */
#define TCR_EL1_EPD0 (1 << 7)   /* no TTBR0 walks: nothing of the kernel lives there */

/* struct mmu_boot_regs (hal/aarch64/mmu.c): written by the boot CPU with the MMU off,
 * read by every CPU in head.S to turn its MMU on. */
#define MMU_BOOT_MAIR 0
#define MMU_BOOT_TCR 8
#define MMU_BOOT_TTBR0 16 /* the identity map of the page that turns the MMU on */
#define MMU_BOOT_TTBR1 24 /* the kernel's tables */
#define MMU_BOOT_SCTLR 32
#define MMU_BOOT_PAN 40 /* nonzero: set PSTATE.PAN */
#define MMU_BOOT_SIZE 48

/* struct percpu (hal/aarch64/percpu.h): TPIDR_EL1 points at this CPU's. */
#define PERCPU_CPU 0
#define PERCPU_STACK_TOP 8
#define PERCPU_STACK_BOTTOM 16
#define PERCPU_OVERFLOW_TOP 24
#define PERCPU_CLAIMED 32
#define PERCPU_EL0_CTX 40 /* the EL0 context that runs (or last ran) on this CPU */
#define PERCPU_BENCH_IN 48 /* CONFIG_BENCH: PMCCNTR_EL0 at the last entry from EL0 */
#define PERCPU_LOCAL 56    /* the kernel's own per-CPU data (cpu_local) */
#define PERCPU_FASTWIN 64  /* struct fastwin * of the IRQ vector's window starts, or 0 */
#define PERCPU_BENCH_STAT 72 /* CONFIG_BENCH: struct el0_bench * the pass now ending counts in */
#define PERCPU_BENCH_SELF 80 /* CONFIG_BENCH: instructions of that pass's own counting */
#define PERCPU_SHIFT 7 /* 128 bytes: two cache lines on Cortex-A53/A57/A72 */
#define PERCPU_SIZE (1 << PERCPU_SHIFT)

/*
 * struct el0_ctx (hal/el0.h): a cell's registers. The lower-EL vectors save into the
 * running context, which SP_EL1 points at while EL0 runs, and restore from the one the
 * kernel returns (struct percpu.el0_ctx names the one whose FP/SIMD state the CPU holds).
 */
#define EL0_X 0          /* x0..x30 */
#define EL0_SP 248       /* SP_EL0 */
#define EL0_PC 256       /* ELR_EL1 */
#define EL0_PSTATE 264   /* SPSR_EL1 */
#define EL0_TPIDR 272    /* TPIDR_EL0 */
#define EL0_FPSR 280
#define EL0_FPCR 288
#define EL0_BENCH_FAST 296 /* CONFIG_BENCH: the last pass was the null call's fast path */
#define EL0_V 304        /* q0..q31, 16-byte aligned */
#define EL0_BENCH_IN 816  /* CONFIG_BENCH: PMCCNTR_EL0 at the entry of the pass that */
#define EL0_BENCH_OUT 824 /* resumed this context, and before its eret */
#define EL0_IRQ_TICKS 832 /* CNTVCT_EL0 read by the IRQ vector, first thing after the entry */
#define EL0_CTX_SIZE 848

#define ESR_EC_SVC64 0x15 /* ESR_EL1.EC of an svc from AArch64 */

/*
 * Kernel stacks. CPU n's stack is the upper half of a slot of 2 * KSTACK_SIZE bytes
 * aligned to its size; the lower half is the unmapped guard. So every address inside a
 * stack has bit KSTACK_SHIFT set and every guard address has it clear: the vectors test
 * that one bit to notice an overflowed stack without touching memory.
 * After the MAX_CPUS slots come the overflow stacks the vectors switch to, each with an
 * unmapped page below it.
 */
#define KSTACK_GUARD_PAGE 4096
#define KSTACK_OVERFLOW_SIZE 8192
#ifdef CONFIG_KERNEL_STACK_SIZE
#if CONFIG_KERNEL_STACK_SIZE == 0x2000
#define KSTACK_SHIFT 13
#elif CONFIG_KERNEL_STACK_SIZE == 0x4000
#define KSTACK_SHIFT 14
#elif CONFIG_KERNEL_STACK_SIZE == 0x8000
#define KSTACK_SHIFT 15
#elif CONFIG_KERNEL_STACK_SIZE == 0x10000
#define KSTACK_SHIFT 16
#else
#error "CONFIG_KERNEL_STACK_SIZE must be 0x2000, 0x4000, 0x8000 or 0x10000"
#endif
#define KSTACK_SIZE (1 << KSTACK_SHIFT)
#define KSTACK_AREA_BYTES \
	(CONFIG_MAX_CPUS * (2 * KSTACK_SIZE + KSTACK_GUARD_PAGE + KSTACK_OVERFLOW_SIZE))
#endif

#endif
