/*
 * Xen hypercall: int64_t xen_hypercall_hvc(op, a0, a1).
 *
 * SAFETY: Xen's aarch64 ABI takes the op in x16 and arguments in x0-x4, returns in
 * x0, and may clobber x0-x4 and x16 (all caller-saved in the C ABI, so a function
 * boundary is enough). The HVC immediate must be XEN_HYPERCALL_TAG (0xEA1, from Xen's arch-arm.h) or Xen
 * rejects the call. Pointer arguments are identity-mapped kernel addresses, which
 * Xen translates through the guest's own stage 1.
 */
#include <xen/arch-arm.h>
#include "hal/aarch64/asm.h"

	.text
FUNC(xen_hypercall_hvc)
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	hvc	#XEN_HYPERCALL_TAG
	ret
ENDFUNC(xen_hypercall_hvc)
