/*
 * The attacker's instructions (insn.h). Each function runs one instruction that EL0 may
 * not use, so tools/check-program.sh lets these through for the attacker only (its
 * exception list names each one). They are deliberate attacks: each SAFETY comment says
 * what the instruction would do if the kernel let it through, and why the system is
 * still safe, namely that the kernel traps it at EL1 (the configuration in
 * docs/isolation.md) and stops or restarts this partition only. Not static and noinline, so each attack has one
 * place in the disassembly and the fault's elr_offset names it.
 */
#include "insn.h"

#define ATTACK __attribute__((noinline, used))

/* SAFETY: an EL0 load from any address: the MMU allows only this partition's own pages,
 * so a kernel, device or other partition's address gives a data abort at EL1. */
ATTACK uint64_t insn_load64(uintptr_t va)
{
	return *(volatile uint64_t *)va;
}

/* SAFETY: an EL0 store: as insn_load64; a read-only or unmapped page aborts first. */
ATTACK void insn_store64(uintptr_t va, uint64_t v)
{
	*(volatile uint64_t *)va = v;
}

/* SAFETY: an EL0 branch to any address: only this partition's executable pages can be
 * fetched at EL0 (data, stacks, kernel pages are UXN or unmapped): instruction abort. */
ATTACK void insn_branch(uintptr_t va)
{
	__asm__ volatile("blr %0" : : "r"(va) : "x30", "memory");
}

ATTACK uint64_t insn_read_cntp_ctl(void)
{
	uint64_t v;

	/* SAFETY: the EL1 physical timer: CNTKCTL_EL1.EL0PTEN = 0 traps EL0 accesses (EC 0x18),
	 * so the kernel's timer (and its time slicing) cannot be read or reprogrammed. */
	__asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
	return v;
}

/* SAFETY: as insn_read_cntp_ctl: a write would move the physical timer's deadline. */
ATTACK void insn_write_cntp_cval(uint64_t v)
{
	__asm__ volatile("msr cntp_cval_el0, %0" : : "r"(v));
}

/* SAFETY: as insn_read_cntp_ctl: a write would mask or stop the physical timer. */
ATTACK void insn_write_cntp_ctl(uint64_t v)
{
	__asm__ volatile("msr cntp_ctl_el0, %0" : : "r"(v));
}

ATTACK uint64_t insn_read_cntvct(void)
{
	uint64_t v;

	/* SAFETY: the virtual counter is not in the ABI (a timing side channel): CNTKCTL_EL1.
	 * EL0VCTEN = 0 traps it (EC 0x18). Reading changes nothing if it is let through. */
	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

/* SAFETY: as insn_read_cntvct, the physical counter (CNTKCTL_EL1.EL0PCTEN = 0). */
ATTACK uint64_t insn_read_cntpct(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

/* SAFETY: the PMU's cycle counter: PMUSERENR_EL0 = 0 traps EL0 accesses (EC 0x18). */
ATTACK uint64_t insn_read_pmccntr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, pmccntr_el0" : "=r"(v));
	return v;
}

/* SAFETY: PMU control (would reset or stop the counters the benchmarks use): trapped
 * like insn_read_pmccntr. */
ATTACK void insn_write_pmcr(uint64_t v)
{
	__asm__ volatile("msr pmcr_el0, %0" : : "r"(v));
}

/* SAFETY: an EL1 register from EL0 is UNDEFINED (EC 0x00): nothing is read. */
ATTACK uint64_t insn_read_sctlr_el1(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(v));
	return v;
}

/* SAFETY: as insn_read_sctlr_el1 (the kernel's table base would leak its layout). */
ATTACK uint64_t insn_read_ttbr1_el1(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, ttbr1_el1" : "=r"(v));
	return v;
}

/* SAFETY: as insn_read_sctlr_el1: a write would swap in another address space. */
ATTACK void insn_write_ttbr0_el1(uint64_t v)
{
	__asm__ volatile("msr ttbr0_el1, %0" : : "r"(v));
}

/* SAFETY: masking interrupts from EL0 needs SCTLR_EL1.UMA, which is 0: trapped (EC 0x18);
 * if let through the partition could not be preempted. */
ATTACK void insn_mask_irqs(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
}

/* SAFETY: clean and invalidate by set/way is EL1-only: UNDEFINED at EL0 (EC 0x00). */
ATTACK void insn_dc_cisw(uint64_t setway)
{
	__asm__ volatile("dc cisw, %0" : : "r"(setway) : "memory");
}

/* SAFETY: zero a cache block: SCTLR_EL1.DZE = 0 traps it (EC 0x18). The address is our
 * own writable memory, so even if let through it zeroes only this partition's bytes. */
ATTACK void insn_dc_zva(uintptr_t va)
{
	__asm__ volatile("dc zva, %0" : : "r"(va) : "memory");
}

/* SAFETY: invalidate instruction cache by VA: SCTLR_EL1.UCI = 0 traps it (EC 0x18). The
 * address is our own code, so even if let through only our own lines are dropped. */
ATTACK void insn_ic_ivau(uintptr_t va)
{
	__asm__ volatile("ic ivau, %0" : : "r"(va) : "memory");
}

/* SAFETY: TLB maintenance is EL1-only: UNDEFINED at EL0 (EC 0x00). */
ATTACK void insn_tlbi_all(void)
{
	__asm__ volatile("tlbi vmalle1" ::: "memory");
}

/* SAFETY: SMC from EL0 is UNDEFINED (EC 0x00): the firmware (PSCI) is never reached. */
ATTACK uint64_t insn_smc(uint64_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	__asm__ volatile("smc #0" : "+r"(x0) : : "memory");
	return x0;
}

ATTACK uint64_t insn_hvc(uint64_t fn)
{
	/* SAFETY: HVC from EL0 is UNDEFINED (EC 0x00): the hypervisor (Xen, PSCI over
	 * hvc) is never reached. */
	register uint64_t x0 __asm__("x0") = fn;

	__asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
	return x0;
}

/* SAFETY: SCTLR_EL1.nTWI = 0 traps WFI at EL0 (EC 0x01); let through it would only wait
 * for the next interrupt, which the kernel's timer provides. */
ATTACK void insn_wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

/* SAFETY: as insn_wfi, for WFE (SCTLR_EL1.nTWE = 0). */
ATTACK void insn_wfe(void)
{
	__asm__ volatile("wfe" ::: "memory");
}

/* SAFETY: ERET at EL0 is UNDEFINED (EC 0x00): no way up to EL1 through it. */
ATTACK void insn_eret(void)
{
	__asm__ volatile("eret" ::: "memory");
}

/* SAFETY: a permanently undefined instruction (EC 0x00): the plain illegal instruction. */
ATTACK void insn_udf(void)
{
	__asm__ volatile("udf #0" ::: "memory");
}

ATTACK uint64_t insn_semihosting_exit(uint64_t code)
{
	static uint64_t block[2];

	block[0] = 0x20026; /* ADP_Stopped_ApplicationExit */
	block[1] = code;
	/* SAFETY: QEMU's semihosting call SYS_EXIT_EXTENDED (the test runner's way to end a run)
	 * from EL0: QEMU serves semihosting at EL0 only when asked to (userspace=on, which the
	 * runner never sets), so HLT is UNDEFINED at EL0 (EC 0x00) and the machine keeps running. */
	register uint64_t x0 __asm__("x0") = 0x20; /* SYS_EXIT_EXTENDED */
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}
