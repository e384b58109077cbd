#include <stddef.h>
#include "hal/exception.h"

/* The frame vectors.S saves; offsets are fixed there. */
struct exc_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr, spsr;
	uint64_t esr, far;
};
STATIC_ASSERT(sizeof(struct exc_frame) == 288, "exc_frame must match vectors.S FRAME_SIZE");
STATIC_ASSERT(offsetof(struct exc_frame, elr) == 256, "exc_frame elr offset");
STATIC_ASSERT(offsetof(struct exc_frame, esr) == 272, "exc_frame esr offset");

enum { VEC_IRQ_SPX = 5 };

void exception_dispatch(unsigned int kind, struct exc_frame *f);
void exception_overflow(unsigned int kind, struct exc_frame *f) __noreturn;

void exception_dispatch(unsigned int kind, struct exc_frame *f)
{
	if (kind == VEC_IRQ_SPX) {
		kernel_irq();
		return;
	}
	struct fault_report r = {
		.kind = kind, .esr = f->esr, .far = f->far, .elr = f->elr, .spsr = f->spsr,
		.sp = f->sp,
	};
	kernel_fault(&r);
}

/* From vectors.S, on the overflow stack: the exception's frame did not fit in the
 * stack it was taken on. Whatever the exception, that is the fault to report. */
void exception_overflow(unsigned int kind, struct exc_frame *f)
{
	struct fault_report r = {
		.kind = kind, .esr = f->esr, .far = f->far, .elr = f->elr, .spsr = f->spsr,
		.sp = f->sp, .stack_overflow = true,
	};
	kernel_fault(&r);
}
