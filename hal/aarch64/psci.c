#include "hal/psci.h"
#include "hal/aarch64/sysreg.h"

uint64_t smccc_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t smccc_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* PSCI function ids (Arm DEN 0022), SMC64 where there is a choice. */
enum {
	PSCI_VERSION = 0x84000000,
	PSCI_CPU_ON_64 = 0xc4000003,
	PSCI_SYSTEM_OFF = 0x84000008,
	PSCI_SYSTEM_RESET = 0x84000009,
};

static uint64_t (*conduit_call)(uint64_t, uint64_t, uint64_t, uint64_t) = smccc_smc;

enum hal_err psci_to_hal_err(int64_t ret)
{
	static const enum hal_err codes[] = {
		HAL_OK,
		HAL_ERR_PSCI_NOT_SUPPORTED,     /* -1 */
		HAL_ERR_PSCI_INVALID_PARAMS,    /* -2 */
		HAL_ERR_PSCI_DENIED,            /* -3 */
		HAL_ERR_PSCI_ALREADY_ON,        /* -4 */
		HAL_ERR_PSCI_ON_PENDING,        /* -5 */
		HAL_ERR_PSCI_INTERNAL_FAILURE,  /* -6 */
		HAL_ERR_PSCI_NOT_PRESENT,       /* -7 */
		HAL_ERR_PSCI_DISABLED,          /* -8 */
		HAL_ERR_PSCI_INVALID_ADDRESS,   /* -9 */
	};

	if (ret > 0 || ret < -(int64_t)(ARRAY_SIZE(codes) - 1))
		return HAL_ERR_PSCI_UNKNOWN;
	return codes[-ret];
}

uint32_t psci_version(void)
{
	return (uint32_t)conduit_call(PSCI_VERSION, 0, 0, 0);
}

enum hal_err psci_init(enum psci_conduit conduit)
{
	conduit_call = conduit == PSCI_CONDUIT_HVC ? smccc_hvc : smccc_smc;
	uint32_t v = psci_version();

	return (v >> 16) >= 1 || (v & 0xffff) >= 2 ? HAL_OK : HAL_ERR_PSCI_NOT_SUPPORTED;
}

enum hal_err psci_cpu_on(uint64_t mpidr, uint64_t entry_pa, uint64_t context)
{
	/* The new CPU reads what this one wrote before (the platform, the boot CPU's number):
	 * an SMC or HVC is no memory barrier, so complete those stores first. */
	dsb_ish();
	return psci_to_hal_err((int64_t)conduit_call(PSCI_CPU_ON_64, mpidr, entry_pa, context));
}

enum hal_err psci_system_off(void)
{
	enum hal_err e = psci_to_hal_err((int64_t)conduit_call(PSCI_SYSTEM_OFF, 0, 0, 0));

	return e == HAL_OK ? HAL_ERR_PSCI_RETURNED : e;
}

enum hal_err psci_system_reset(void)
{
	enum hal_err e = psci_to_hal_err((int64_t)conduit_call(PSCI_SYSTEM_RESET, 0, 0, 0));

	return e == HAL_OK ? HAL_ERR_PSCI_RETURNED : e;
}
