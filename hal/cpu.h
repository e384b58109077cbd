/* This CPU: identity, idling, interrupt masking. */
#ifndef BULKHEAD_HAL_CPU_H
#define BULKHEAD_HAL_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include "core/lib/compiler.h"

/* The slot this CPU entered with (stack and PSCI context id; the boot CPU is 0), set
 * at entry. Not the CPU's number in the platform: core/smp.h maps between them. */
unsigned int cpu_index(void);
/* The kernel's own data for this CPU: set once by the CPU itself, read on hot paths
 * (one system-register read and one load). NULL until set. */
void cpu_set_local(void *p);
void *cpu_local(void);
/* MPIDR_EL1 of this CPU. */
uint64_t cpu_mpidr(void);
/* Sleep until an interrupt is pending (WFI), whether or not IRQs are masked (the idle
 * loop sleeps masked and acknowledges what woke it itself). */
void cpu_idle(void);
/* Wait for an event (WFE): another CPU's cpu_send_event, an interrupt, or nothing (it
 * may return at once); for bounded waits on memory another CPU writes. */
void cpu_wait_event(void);
/* Wake every CPU in cpu_wait_event (SEV), after the store they wait for. */
void cpu_send_event(void);
/* YIELD: this CPU has just handed another CPU work that cannot wait (a wake-up SGI).
 * No effect on hardware, where the CPUs run at once; an emulator that runs its CPUs
 * one after the other (QEMU's TCG, -icount) takes it to run the others now, as
 * hardware would, rather than at this CPU's next sleep. */
void cpu_yield_hint(void);
void cpu_irq_enable(void);
void cpu_irq_disable(void);
/* This CPU's interrupt mask, as cpu_irq_save found it (opaque). */
typedef uint64_t cpu_irq_state;
/*
 * Mask IRQs on this CPU and return the previous state, for cpu_irq_restore. A lock
 * taken in both thread and interrupt context is held only between the two: otherwise an
 * interrupt on the holder's own CPU would find the lock taken. Nests.
 */
cpu_irq_state cpu_irq_save(void);
void cpu_irq_restore(cpu_irq_state s);
/* True while an IRQ is pending for this CPU, masked or not (ISR_EL1.I; under Xen the
 * virtual IRQ Xen injected): what a loop with interrupts masked asks to know when to
 * stop and let the interrupt in. */
bool cpu_irq_pending(void);
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
