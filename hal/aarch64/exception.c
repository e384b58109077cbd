#include <stddef.h>
#include "hal/esr.h"
#include "hal/exception.h"
#include "hal/aarch64/mmio.h"

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

enum { VEC_SYNC_SPX = 4, VEC_IRQ_SPX = 5 };
#define ESR_EC_DABT_CUR 0x25 /* data abort taken without a change of EL */
#define AARCH64_INSN_BYTES 4

void exception_dispatch(unsigned int kind, struct exc_frame *f);
void exception_overflow(unsigned int kind, struct exc_frame *f) __noreturn;

/* A data abort on mmio_probe_read32's load: the probe returns "faulted" (x0 = 1, the
 * value register x3 = 0) from the next instruction, and nothing is reported. */
static bool probe_fixup(unsigned int kind, struct exc_frame *f)
{
	if (kind != VEC_SYNC_SPX || f->elr != (uint64_t)(uintptr_t)mmio_probe_load ||
	    esr_decode(f->esr).ec != ESR_EC_DABT_CUR)
		return false;
	f->x[0] = 1;
	f->x[3] = 0;
	f->elr += AARCH64_INSN_BYTES;
	return true;
}

void exception_dispatch(unsigned int kind, struct exc_frame *f)
{
	if (kind == VEC_IRQ_SPX) {
		kernel_irq();
		return;
	}
	if (probe_fixup(kind, f))
		return;
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
