/*
 * Upcalls: the exception vectors in hal/ call these, the kernel (core/) implements
 * them. Everything the kernel learns about a fault is in the report.
 */
#ifndef BULKHEAD_HAL_EXCEPTION_H
#define BULKHEAD_HAL_EXCEPTION_H

#include <stdbool.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "hal/gic.h"

struct fault_report {
	unsigned int kind; /* vector entry 0..15, see exception_kind_name() */
	uint64_t esr, far, elr, spsr;
	uint64_t sp;         /* the interrupted stack pointer */
	bool stack_overflow; /* the kernel stack overflowed: reported from the overflow stack */
};

struct el0_ctx;

/*
 * From EL0 (hal/el0.h): c is the interrupted cell's context (x0-x18, x30, sp, pc and
 * pstate saved; the rest still in the registers). Each returns the context to run
 * next: c, another, or NULL to idle (kernel_idle). IRQs masked throughout.
 */
struct el0_ctx *kernel_el0_svc(struct el0_ctx *c);  /* svc #0 */
struct el0_ctx *kernel_el0_irq(struct el0_ctx *c);  /* an IRQ while a cell ran */
/* The same, the interrupt already acknowledged by the vector (hal/fastwin.h): a is
 * what the GIC's ack returned. */
struct el0_ctx *kernel_el0_irq_acked(struct el0_ctx *c, struct gic_ack a);
/* Any other exception from EL0: the cell's partition did something the ABI forbids. */
struct el0_ctx *kernel_el0_fault(struct el0_ctx *c, const struct fault_report *r);
/* Nothing to run: the CPU's idle loop, on an empty kernel stack, IRQs masked. */
void kernel_idle(void) __noreturn;

/* An IRQ at EL1: acknowledge, handle, end it. Runs with IRQs masked. */
void kernel_irq(void);
/* Any exception the kernel does not expect: report and stop. */
void kernel_fault(const struct fault_report *r) __noreturn;

#endif
