/*
 * SMC Calling Convention calls: uint64_t smccc_hvc/smc(fid, a1, a2, a3).
 *
 * SAFETY: a firmware/hypervisor call with the function id and arguments in x0-x3;
 * SMCCC lets the callee clobber x0-x17, all caller-saved in the C ABI, so a plain
 * function boundary is enough. Only hal/aarch64/psci.c and the Xen layer call these.
 */
#include "hal/aarch64/asm.h"

	.text
FUNC(smccc_hvc)
	hvc	#0
	ret
ENDFUNC(smccc_hvc)

FUNC(smccc_smc)
	smc	#0
	ret
ENDFUNC(smccc_smc)
