/*
 * Per-CPU data of the HAL: 128 bytes (cache-line aligned) per CPU, TPIDR_EL1 points at the running
 * CPU's. head.S fills stack_top etc. into SP at entry; the vectors read
 * overflow_top when the stack has overflowed. Offsets are shared with assembly
 * (hal/aarch64/boot_layout.h) and checked here.
 */
#ifndef BULKHEAD_HAL_AARCH64_PERCPU_H
#define BULKHEAD_HAL_AARCH64_PERCPU_H

#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "hal/aarch64/boot_layout.h"
#include "hal/aarch64/sysreg.h"

struct percpu {
	uint64_t cpu;          /* logical CPU number */
	uint64_t stack_top;    /* initial SP (kernel VA) */
	uint64_t stack_bottom; /* lowest byte of the stack; the guard is below */
	uint64_t overflow_top; /* SP the vectors switch to on a stack overflow */
	uint64_t claimed;      /* set once by the CPU that entered with this number */
	uint64_t el0_ctx;      /* struct el0_ctx * the lower-EL vectors save into */
	uint64_t bench_in;     /* CONFIG_BENCH: PMCCNTR_EL0 at the last entry from EL0 */
	uint64_t local;        /* the kernel's per-CPU data (cpu_set_local) */
	uint64_t fastwin;      /* struct fastwin * (hal/fastwin.h), 0: every IRQ goes to C */
	uint64_t bench_stat;   /* CONFIG_BENCH: struct el0_bench * the pass now ending counts in */
	uint64_t bench_self;   /* CONFIG_BENCH: that pass's own counting, in instructions */
	uint64_t spare[5];
} __aligned(PERCPU_SIZE);

STATIC_ASSERT(sizeof(struct percpu) == PERCPU_SIZE, "struct percpu is PERCPU_SIZE bytes");
STATIC_ASSERT(offsetof(struct percpu, cpu) == PERCPU_CPU, "percpu cpu offset");
STATIC_ASSERT(offsetof(struct percpu, stack_top) == PERCPU_STACK_TOP, "percpu stack_top offset");
STATIC_ASSERT(offsetof(struct percpu, stack_bottom) == PERCPU_STACK_BOTTOM,
	      "percpu stack_bottom offset");
STATIC_ASSERT(offsetof(struct percpu, overflow_top) == PERCPU_OVERFLOW_TOP,
	      "percpu overflow_top offset");
STATIC_ASSERT(offsetof(struct percpu, claimed) == PERCPU_CLAIMED, "percpu claimed offset");
STATIC_ASSERT(offsetof(struct percpu, el0_ctx) == PERCPU_EL0_CTX, "percpu el0_ctx offset");
STATIC_ASSERT(offsetof(struct percpu, bench_in) == PERCPU_BENCH_IN, "percpu bench_in offset");
STATIC_ASSERT(offsetof(struct percpu, local) == PERCPU_LOCAL, "percpu local offset");
STATIC_ASSERT(offsetof(struct percpu, fastwin) == PERCPU_FASTWIN, "percpu fastwin offset");
STATIC_ASSERT(offsetof(struct percpu, bench_stat) == PERCPU_BENCH_STAT, "percpu bench_stat offset");
STATIC_ASSERT(offsetof(struct percpu, bench_self) == PERCPU_BENCH_SELF, "percpu bench_self offset");

/* This CPU's (TPIDR_EL1 is set once, at its entry, and never changes). */
static inline struct percpu *percpu_this(void)
{
	return (struct percpu *)(uintptr_t)read_sysreg(tpidr_el1);
}

#endif
