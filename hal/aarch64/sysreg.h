/*
 * System-register and barrier accessors. The only place C code touches system
 * registers: everything else calls these.
 */
#ifndef BULKHEAD_HAL_AARCH64_SYSREG_H
#define BULKHEAD_HAL_AARCH64_SYSREG_H

#include <stdint.h>

/* Callers are hal/ code that owns the register's meaning.
 * SAFETY: mrs/msr on a named register only reads/writes that register; "memory" keeps
 * the compiler from moving accesses across writes that change translation or IRQ state. */
#define read_sysreg(reg)                                                   \
	({                                                                 \
		uint64_t v_;                                               \
		__asm__ volatile("mrs %0, " #reg : "=r"(v_)::"memory");    \
		v_;                                                        \
	})

/* SAFETY: as read_sysreg. */
#define write_sysreg(reg, val)                                                      \
	do {                                                                        \
		uint64_t w_ = (uint64_t)(val);                                      \
		__asm__ volatile("msr " #reg ", %0" ::"r"(w_) : "memory");          \
	} while (0)

/* SAFETY: barriers and hints have no operands; "memory" orders compiler accesses. */
static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
/* SAFETY: as isb. */
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" ::: "memory"); }
/* SAFETY: as isb. */
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" ::: "memory"); }
/* SAFETY: as isb. */
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" ::: "memory"); }
/* SAFETY: as isb. */
static inline void dsb_nsh(void) { __asm__ volatile("dsb nsh" ::: "memory"); }
/* SAFETY: as isb. */
static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
/* SAFETY: as isb. */
static inline void sev(void) { __asm__ volatile("sev" ::: "memory"); }

/* SAFETY: masking/unmasking IRQs at EL1 only changes PSTATE.I of this CPU. */
static inline void irq_disable(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }
/* SAFETY: as irq_disable. */
static inline void irq_enable(void) { __asm__ volatile("msr daifclr, #2" ::: "memory"); }
static inline uint64_t irq_save(void)
{
	uint64_t daif;

	/* SAFETY: reads PSTATE.DAIF then sets PSTATE.I, only on this CPU; "memory" keeps the
	 * compiler from moving the critical section's accesses above the mask. */
	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(daif)::"memory");
	return daif;
}
/* SAFETY: writes back a DAIF value irq_save read on this CPU, so it restores exactly the
 * mask state that was there; "memory" keeps the critical section's accesses above it. */
static inline void irq_restore(uint64_t daif) { __asm__ volatile("msr daif, %0" ::"r"(daif) : "memory"); }
/* SAFETY: masks D, A, I and F: nothing but a reset reaches this CPU afterwards. */
static inline void all_disable(void) { __asm__ volatile("msr daifset, #0xf" ::: "memory"); }

/* Registers GAS does not name for -march=armv8-a. */
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5

#endif
