/* This CPU: identity, idling, interrupt masking. */
#ifndef BULKHEAD_HAL_CPU_H
#define BULKHEAD_HAL_CPU_H

#include <stdint.h>
#include "core/lib/compiler.h"

/* Logical CPU number (index in the platform description), set at entry. */
unsigned int cpu_index(void);
/* MPIDR_EL1 of this CPU. */
uint64_t cpu_mpidr(void);
/* Sleep until an interrupt is pending (WFI). Interrupts should be unmasked. */
void cpu_idle(void);
void cpu_irq_enable(void);
void cpu_irq_disable(void);
/* Mask everything and sleep forever: the end state of a halted CPU. */
void cpu_park(void) __noreturn;
/* Physical address of the secondary entry point, for PSCI CPU_ON. */
uint64_t cpu_secondary_entry_pa(void);
/* Take an unexpected exception on purpose (test hook): a load from an unmapped page. */
void cpu_fault_on_purpose(void);
/* Load from va on purpose (test hook): meant for an address that must be unmapped. */
void cpu_load_on_purpose(uintptr_t va);
/* Overflow this CPU's kernel stack on purpose (test hook): recurses without bound until
 * the guard page below the stack stops it. */
void cpu_overflow_stack_on_purpose(void);

#endif
