/*
 * EL0: contexts, the per-CPU EL0 controls, and the partition address space (TTBR0).
 * The save/restore itself is hal/aarch64/entry.S; the choice of what runs is the
 * kernel's (hal/exception.h upcalls).
 */
#include <stddef.h>
#include "hal/el0.h"
#include "hal/esr.h"
#include "hal/exception.h"
#include "hal/fastwin.h"
#include "hal/gic_check.h"
#include "hal/aarch64/percpu.h"
#include "hal/aarch64/boot_layout.h"
#include "hal/mmu.h"
#include "hal/aarch64/sysreg.h"

STATIC_ASSERT(offsetof(struct el0_ctx, sp) == EL0_SP, "el0_ctx sp");
STATIC_ASSERT(offsetof(struct el0_ctx, pc) == EL0_PC, "el0_ctx pc");
STATIC_ASSERT(offsetof(struct el0_ctx, pstate) == EL0_PSTATE, "el0_ctx pstate");
STATIC_ASSERT(offsetof(struct el0_ctx, tpidr) == EL0_TPIDR, "el0_ctx tpidr");
STATIC_ASSERT(offsetof(struct el0_ctx, fpsr) == EL0_FPSR, "el0_ctx fpsr");
STATIC_ASSERT(offsetof(struct el0_ctx, fpcr) == EL0_FPCR, "el0_ctx fpcr");
STATIC_ASSERT(offsetof(struct el0_ctx, bench_fast) == EL0_BENCH_FAST, "el0_ctx bench_fast");
STATIC_ASSERT(offsetof(struct el0_ctx, v) == EL0_V, "el0_ctx v");
STATIC_ASSERT(offsetof(struct el0_ctx, bench_in) == EL0_BENCH_IN, "el0_ctx bench_in");
STATIC_ASSERT(offsetof(struct el0_ctx, bench_out) == EL0_BENCH_OUT, "el0_ctx bench_out");
STATIC_ASSERT(offsetof(struct el0_ctx, irq_ticks) == EL0_IRQ_TICKS, "el0_ctx irq_ticks");
STATIC_ASSERT(sizeof(struct el0_ctx) == EL0_CTX_SIZE, "el0_ctx size");

#define SPSR_EL0T 0x0 /* AArch64, EL0 with SP_EL0, D/A/I/F unmasked */
#define TTBR_ASID_SHIFT 48
#define ID_MMFR0_ASIDBITS_16 2

/* Vector kinds of the lower-EL AArch64 entries (vectors.S). */
enum { VEC_SYNC_EL0 = 8, VEC_IRQ_EL0 = 9, VEC_FIQ_EL0 = 10, VEC_SERROR_EL0 = 11,
       VEC_AARCH32_EL0 = 12 };

/* The table of "no partition": an empty level-1 table (every entry invalid). */
static uint64_t empty_root[512] __aligned(4096);

void el0_ctx_init(struct el0_ctx *c, uint64_t pc, uint64_t sp)
{
	*c = (struct el0_ctx){ .sp = sp, .pc = pc, .pstate = SPSR_EL0T };
}

/* The lower-EL vectors' C handlers (vectors.S, entry.S): on the kernel stack, IRQs
 * masked, c = the context the registers were saved into. */
struct el0_ctx *el0_sync(struct el0_ctx *c);
struct el0_ctx *el0_irq(struct el0_ctx *c);
struct el0_ctx *el0_fiq(struct el0_ctx *c);
struct el0_ctx *el0_serror(struct el0_ctx *c);
struct el0_ctx *el0_aarch32(struct el0_ctx *c);

/* Out of line: the report's address is taken (so this frame has a stack-protector
 * check), and system calls and interrupts should not pay for it. */
static __attribute__((noinline)) struct el0_ctx *el0_fault(struct el0_ctx *c, unsigned int kind,
							    uint64_t esr)
{
	struct fault_report r = {
		.kind = kind, .esr = esr, .far = read_sysreg(far_el1), .elr = c->pc,
		.spsr = c->pstate, .sp = c->sp,
	};
	return kernel_el0_fault(c, &r);
}

struct el0_ctx *el0_sync(struct el0_ctx *c)
{
	uint64_t esr = read_sysreg(esr_el1);

	if ((esr >> 26) == ESR_EC_SVC64)
		return kernel_el0_svc(c);
	return el0_fault(c, VEC_SYNC_EL0, esr);
}

struct el0_ctx *el0_irq(struct el0_ctx *c)
{
	return kernel_el0_irq(c);
}

/* From the window fast path (entry.S), which acknowledged the interrupt (GICv3). */
struct el0_ctx *el0_irq_acked(struct el0_ctx *c, uint64_t iar);
struct el0_ctx *el0_irq_acked(struct el0_ctx *c, uint64_t iar)
{
	return kernel_el0_irq_acked(c, gic_v3_decode_iar(iar));
}

STATIC_ASSERT(offsetof(struct fastwin, intid) == FW_INTID, "fastwin intid");
STATIC_ASSERT(offsetof(struct fastwin, boot) == FW_BOOT, "fastwin boot");
STATIC_ASSERT(offsetof(struct fastwin, ns_per_tick) == FW_NPT, "fastwin ns_per_tick");
STATIC_ASSERT(offsetof(struct fastwin, limit) == FW_LIMIT, "fastwin limit");
STATIC_ASSERT(offsetof(struct fastwin, slot_end) == FW_SLOT_END, "fastwin slot_end");
STATIC_ASSERT(offsetof(struct fastwin, cur) == FW_CUR, "fastwin cur");
STATIC_ASSERT(offsetof(struct fastwin, base) == FW_BASE, "fastwin base");
STATIC_ASSERT(offsetof(struct fastwin, entries) == FW_ENTRIES, "fastwin entries");
STATIC_ASSERT(offsetof(struct fastwin, ceil) == FW_CEIL, "fastwin ceil");
STATIC_ASSERT(offsetof(struct fastwin, late_sum) == FW_LATE_SUM, "fastwin late_sum");
STATIC_ASSERT(offsetof(struct fastwin, late_max) == FW_LATE_MAX, "fastwin late_max");
STATIC_ASSERT(offsetof(struct fastwin, late_min) == FW_LATE_MIN, "fastwin late_min");
STATIC_ASSERT(offsetof(struct fastwin, now) == FW_NOW, "fastwin now");
STATIC_ASSERT(offsetof(struct fastwin, bench) == FW_BENCH, "fastwin bench");
STATIC_ASSERT(offsetof(struct fastwin, window_part) == FW_WINDOW_PART, "fastwin window_part");
STATIC_ASSERT(offsetof(struct fastwin, step_now) == FW_STEP_NOW &&
		      offsetof(struct fastwin, step_intid) == FW_STEP_INTID &&
		      offsetof(struct fastwin, gicd_icenabler) == FW_GICD_ICENABLER &&
		      offsetof(struct fastwin, rel_bench) == FW_REL_BENCH &&
		      offsetof(struct fastwin, irq_bench) == FW_IRQ_BENCH,
	      "fastwin steps");
STATIC_ASSERT(offsetof(struct fastwin, epoch) == FW_EPOCH, "fastwin epoch");
STATIC_ASSERT(offsetof(struct fastwin, sig_index) == FW_SIG_INDEX &&
		      offsetof(struct fastwin, sigs) == FW_SIGS &&
		      offsetof(struct fastwin, signals) == FW_SIGNALS, "fastwin signals");
STATIC_ASSERT(offsetof(struct fastwin_sig, handle) == FW_SIG_HANDLE &&
		      offsetof(struct fastwin_sig, waiting) == FW_SIG_WAITING &&
		      offsetof(struct fastwin_sig, signalled) == FW_SIG_SIGNALLED &&
		      offsetof(struct fastwin_sig, window_part) == FW_SIG_WINDOW_PART &&
		      offsetof(struct fastwin_sig, part) == FW_SIG_PART &&
		      offsetof(struct fastwin_sig, sgi) == FW_SIG_SGI &&
		      sizeof(struct fastwin_sig) == 1 << FW_SIG_SHIFT,
	      "fastwin_sig layout");
STATIC_ASSERT(sizeof(struct fastwin) == FW_SIZE, "fastwin size");
STATIC_ASSERT(sizeof(struct fastwin_slot) == FW_SLOT_SIZE, "fastwin_slot size");
STATIC_ASSERT(offsetof(struct fastwin_slot, next) == FW_SLOT_NEXT, "fastwin_slot next");
STATIC_ASSERT(offsetof(struct fastwin_slot, advance_ns) == FW_SLOT_NEXT + 8, "fastwin_slot advance");
STATIC_ASSERT(offsetof(struct fastwin_entry, until) == FW_ENTRY_UNTIL, "fastwin_entry until");
STATIC_ASSERT(offsetof(struct fastwin_entry, rel_limit) == FW_ENTRY_REL_LIMIT &&
		      offsetof(struct fastwin_entry, rel_ctx) == FW_ENTRY_REL &&
		      offsetof(struct fastwin_entry, rel_next) == FW_ENTRY_REL + 8,
	      "fastwin_entry rel_ctx, rel_next");
STATIC_ASSERT(offsetof(struct fastwin_entry, irq_intid) == FW_ENTRY_IRQ &&
		      offsetof(struct fastwin_entry, irq_ctx) == FW_ENTRY_IRQ + 8,
	      "fastwin_entry irq_intid, irq_ctx");
STATIC_ASSERT(offsetof(struct fastwin_slot, end_ns) == FW_SLOT_END_NS, "fastwin_slot end_ns");
STATIC_ASSERT(offsetof(struct fastwin_slot, part) == FW_SLOT_PART, "fastwin_slot part");
STATIC_ASSERT(sizeof(struct fastwin_entry) == 1 << FW_ENTRY_SHIFT, "fastwin_entry size");

void fastwin_enable(struct fastwin *f)
{
	struct percpu *pc = percpu_this();

	pc->fastwin = (uint64_t)(uintptr_t)f;
}

void el0_bench_to(struct el0_bench *b, uint64_t self)
{
	struct percpu *pc = percpu_this();

	pc->bench_stat = (uint64_t)(uintptr_t)b;
	pc->bench_self = self;
}

/* An FIQ sets no syndrome: ESR_EL1 still holds an earlier exception's, so none is
 * reported (class 0, unknown). */
struct el0_ctx *el0_fiq(struct el0_ctx *c)
{
	return el0_fault(c, VEC_FIQ_EL0, 0);
}

struct el0_ctx *el0_aarch32(struct el0_ctx *c)
{
	return el0_fault(c, VEC_AARCH32_EL0, read_sysreg(esr_el1));
}

struct el0_ctx *el0_serror(struct el0_ctx *c)
{
	return el0_fault(c, VEC_SERROR_EL0, read_sysreg(esr_el1));
}

void el0_cpu_init(void)
{
	/* EL0 reads no counter and no timer (the ABI's time is the time_ns call), and no
	 * PMU register (its cycle counter would let partitions time each other). Under
	 * Xen, PMUSERENR_EL0 is read-as-zero, write-ignored for the guest kernel and Xen
	 * traps EL0's PMU accesses itself. */
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(pmuserenr_el0, 0);
	write_sysreg(ttbr0_el1, mmu_image_pa(empty_root));
	isb();
	write_sysreg(tcr_el1, read_sysreg(tcr_el1) & ~(uint64_t)TCR_EL1_EPD0);
	isb();
}

void el0_space_switch(uint64_t root_pa, unsigned int asid)
{
	write_sysreg(ttbr0_el1, root_pa | ((uint64_t)asid << TTBR_ASID_SHIFT));
	isb();
}

void el0_asid_flush(unsigned int asid)
{
	/* SAFETY: invalidates this CPU's (non-shareable) TLB entries of one ASID at EL1;
	 * they are refilled from the tables on the next walk. The DSB completes the
	 * invalidation and the ISB makes later translations use its result. */
	__asm__ volatile("tlbi aside1, %0\n\tdsb nsh\n\tisb" ::"r"((uint64_t)asid << TTBR_ASID_SHIFT)
			 : "memory");
}

void el0_space_none(void)
{
	write_sysreg(ttbr0_el1, mmu_image_pa(empty_root));
	isb();
}

unsigned int el0_asids(void)
{
	return ((read_sysreg(id_aa64mmfr0_el1) >> 4) & 0xf) == ID_MMFR0_ASIDBITS_16 &&
			       (read_sysreg(tcr_el1) & (1ULL << 36))
		       ? 65536
		       : 256;
}

void el0_sync_code(const void *kva, size_t n)
{
	uint64_t line = 4ULL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	uintptr_t a = (uintptr_t)kva & ~(uintptr_t)(line - 1);

	/* SAFETY: cleans data-cache lines of kernel-mapped memory the caller just wrote;
	 * a clean changes no memory contents. */
	for (; a < (uintptr_t)kva + n; a += line)
		__asm__ volatile("dc cvau, %0" ::"r"(a) : "memory");
	dsb_ish();
	/* SAFETY: invalidating instruction caches only drops cached instructions. */
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb_ish();
	isb();
}

#define PMCR_E 0x1ULL      /* counters on */
#define PMCR_C 0x4ULL      /* reset the cycle counter */
#define PMCNTEN_C (1ULL << 31)

void el0_cycles_start(void)
{
	write_sysreg(pmccfiltr_el0, 0); /* count at EL0 and EL1 */
	write_sysreg(pmcntenset_el0, PMCNTEN_C);
	write_sysreg(pmcr_el0, PMCR_E | PMCR_C);
	isb();
}

uint64_t el0_cycles(void)
{
	return read_sysreg(pmccntr_el0);
}
