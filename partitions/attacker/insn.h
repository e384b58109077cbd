/*
 * The attacker's forbidden instructions, one small function each (insn.c). Every one is
 * outside the EL0 ABI (docs/syscalls.md, "System registers and instructions at EL0") and
 * is executed exactly once, on purpose: the kernel must trap it and report it, and the
 * rest of the system must not notice. Functions that read return what they read (they
 * return only if the kernel let the instruction through, which is itself a finding).
 */
#ifndef BULKHEAD_ATTACKER_INSN_H
#define BULKHEAD_ATTACKER_INSN_H

#include <stdint.h>

uint64_t insn_load64(uintptr_t va);
void insn_store64(uintptr_t va, uint64_t v);
void insn_branch(uintptr_t va);

uint64_t insn_read_cntp_ctl(void);
void insn_write_cntp_cval(uint64_t v);
void insn_write_cntp_ctl(uint64_t v);
uint64_t insn_read_cntvct(void);
uint64_t insn_read_cntpct(void);
uint64_t insn_read_pmccntr(void);
void insn_write_pmcr(uint64_t v);
uint64_t insn_read_sctlr_el1(void);
uint64_t insn_read_ttbr1_el1(void);
void insn_write_ttbr0_el1(uint64_t v);
void insn_mask_irqs(void);
void insn_dc_cisw(uint64_t setway);
void insn_dc_zva(uintptr_t va);
void insn_ic_ivau(uintptr_t va);
void insn_tlbi_all(void);
uint64_t insn_smc(uint64_t fn);
uint64_t insn_hvc(uint64_t fn);
void insn_wfi(void);
void insn_wfe(void);
void insn_eret(void);
void insn_udf(void);
uint64_t insn_semihosting_exit(uint64_t code);

#endif
