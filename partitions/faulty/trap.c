/*
 * faulty's deliberate faults (trap.h). Each does one thing an EL0 program may not, so
 * the kernel must trap it and apply the partition's health-monitor policy; none can
 * reach beyond this partition (the kernel's checks, docs/isolation.md). Not static and
 * noinline, so each has one place in the disassembly that the fault's elr_offset names.
 */
#include "trap.h"

#define TRAP __attribute__((noinline, used))

/* SAFETY: an EL0 load; at an address outside this partition's mappings (the null guard,
 * the kernel) the MMU gives a data abort at EL1 before anything is read. */
TRAP uint64_t trap_load(uintptr_t va)
{
	return *(volatile uint64_t *)va;
}

/* SAFETY: an EL0 store; a read-only or unmapped page aborts before anything is written. */
TRAP void trap_store(uintptr_t va, uint64_t v)
{
	*(volatile uint64_t *)va = v;
}

/* SAFETY: an EL0 branch; a page that is not this partition's executable text (stack,
 * data) is UXN, so the fetch aborts at EL1. */
TRAP void trap_branch(uintptr_t va)
{
	__asm__ volatile("blr %0" : : "r"(va) : "x30", "memory");
}

/* SAFETY: a permanently undefined instruction: traps at once, touches nothing. */
TRAP void trap_udf(void)
{
	__asm__ volatile("udf #0" ::: "memory");
}

/* SAFETY: a load through a stack pointer 4 bytes off 16-byte alignment: SCTLR_EL1.SA0
 * traps it before anything is read; SP is put back if the kernel let it through. */
TRAP void trap_sp_align(void)
{
	__asm__ volatile("mov x9, sp\n\tsub x10, x9, #4\n\tmov sp, x10\n\tldr x11, [sp]\n\tmov sp, x9"
			 ::: "x9", "x10", "x11", "memory");
}
