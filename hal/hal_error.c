#include "hal/hal_error.h"

static const char *const names[HAL_ERR_COUNT] = {
	[HAL_OK] = "ok",
	[HAL_ERR_UNSUPPORTED] = "not supported by this build",
	[HAL_ERR_MMU_MISALIGNED] = "address or size not page aligned",
	[HAL_ERR_MMU_RANGE] = "address beyond the translation range",
	[HAL_ERR_MMU_NO_TABLES] = "page-table pool exhausted",
	[HAL_ERR_MMU_EXISTS] = "range already mapped",
	[HAL_ERR_GIC_NO_REDIST] = "no GICv3 redistributor for this CPU",
	[HAL_ERR_GIC_TIMEOUT] = "GICv3 redistributor did not wake",
	[HAL_ERR_GIC_RWP_TIMEOUT] = "GICv3 distributor did not finish a register write (RWP stuck)",
	[HAL_ERR_GIC_ABSENT] = "no GIC at the address the device tree gives (its identification register reads as zero or faults)",
	[HAL_ERR_GIC_VERSION] = "the GIC's identification register (PIDR2) names another architecture version than its compatible",
	[HAL_ERR_GIC_IN_RAM] = "GIC registers placed inside RAM",
	[HAL_ERR_TIMER_FREQ] = "timer frequency is zero or below 1 MHz",
	[HAL_ERR_UART_TIMEOUT] = "UART stayed busy past its bounded wait",
	[HAL_ERR_PSCI_NOT_SUPPORTED] = "PSCI: not supported",
	[HAL_ERR_PSCI_INVALID_PARAMS] = "PSCI: invalid parameters",
	[HAL_ERR_PSCI_DENIED] = "PSCI: denied",
	[HAL_ERR_PSCI_ALREADY_ON] = "PSCI: already on",
	[HAL_ERR_PSCI_ON_PENDING] = "PSCI: on pending",
	[HAL_ERR_PSCI_INTERNAL_FAILURE] = "PSCI: internal failure",
	[HAL_ERR_PSCI_NOT_PRESENT] = "PSCI: not present",
	[HAL_ERR_PSCI_DISABLED] = "PSCI: disabled",
	[HAL_ERR_PSCI_INVALID_ADDRESS] = "PSCI: invalid address",
	[HAL_ERR_PSCI_UNKNOWN] = "PSCI: undefined return code",
	[HAL_ERR_PSCI_RETURNED] = "PSCI: call returned when it must not",
	[HAL_ERR_XEN_HYPERCALL] = "Xen: hypercall refused",
	[HAL_ERR_XEN_RETURNED] = "Xen: shutdown returned",
	[HAL_ERR_XEN_WATCHDOG_STATE] = "Xen: watchdog not in a state for this",
	[HAL_ERR_XEN_BAD_ANSWER] = "Xen: answer outside the interface contract",
};

const char *hal_strerror(enum hal_err e)
{
	return (unsigned int)e < HAL_ERR_COUNT ? names[e] : "unknown hal error";
}
