/*
 * Upcalls: the exception vectors in hal/ call these, the kernel (core/) implements
 * them. Everything the kernel learns about a fault is in the report.
 */
#ifndef BULKHEAD_HAL_EXCEPTION_H
#define BULKHEAD_HAL_EXCEPTION_H

#include <stdbool.h>
#include <stdint.h>
#include "core/lib/compiler.h"

struct fault_report {
	unsigned int kind; /* vector entry 0..15, see exception_kind_name() */
	uint64_t esr, far, elr, spsr;
	uint64_t sp;         /* the interrupted stack pointer */
	bool stack_overflow; /* the kernel stack overflowed: reported from the overflow stack */
};

/* An IRQ at EL1: acknowledge, handle, end it. Runs with IRQs masked. */
void kernel_irq(void);
/* Any exception the kernel does not expect: report and stop. */
void kernel_fault(const struct fault_report *r) __noreturn;

#endif
