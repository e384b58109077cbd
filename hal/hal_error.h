/* HAL errors: one enum for the hardware layer, with words for each. */
#ifndef BULKHEAD_HAL_HAL_ERROR_H
#define BULKHEAD_HAL_HAL_ERROR_H

enum hal_err {
	HAL_OK = 0,
	HAL_ERR_UNSUPPORTED,      /* hardware or option this build does not drive */
	HAL_ERR_MMU_MISALIGNED,   /* address or size not page aligned */
	HAL_ERR_MMU_RANGE,        /* beyond the 39-bit address space */
	HAL_ERR_MMU_NO_TABLES,    /* page-table pool exhausted */
	HAL_ERR_MMU_EXISTS,       /* part of the range is already mapped differently */
	HAL_ERR_GIC_NO_REDIST,    /* no GICv3 redistributor has this CPU's affinity */
	HAL_ERR_GIC_TIMEOUT,      /* redistributor did not wake */
	HAL_ERR_GIC_RWP_TIMEOUT,  /* GICv3 distributor never finished a register write */
	HAL_ERR_GIC_ABSENT,       /* identification reads as zero or faults: nothing there */
	HAL_ERR_GIC_VERSION,      /* identifies as another GIC architecture than the compatible */
	HAL_ERR_GIC_IN_RAM,       /* GIC registers said to lie inside RAM */
	HAL_ERR_TIMER_FREQ,       /* counter frequency zero or below TIMER_FREQ_MIN_HZ */
	HAL_ERR_UART_TIMEOUT,     /* UART stayed busy past its bounded wait */
	HAL_ERR_PSCI_NOT_SUPPORTED,
	HAL_ERR_PSCI_INVALID_PARAMS,
	HAL_ERR_PSCI_DENIED,
	HAL_ERR_PSCI_ALREADY_ON,
	HAL_ERR_PSCI_ON_PENDING,
	HAL_ERR_PSCI_INTERNAL_FAILURE,
	HAL_ERR_PSCI_NOT_PRESENT,
	HAL_ERR_PSCI_DISABLED,
	HAL_ERR_PSCI_INVALID_ADDRESS,
	HAL_ERR_PSCI_UNKNOWN,     /* a return code PSCI does not define */
	HAL_ERR_PSCI_RETURNED,    /* a call that must not return did */
	HAL_ERR_XEN_HYPERCALL,    /* Xen refused a hypercall (the Xen errno is kept) */
	HAL_ERR_XEN_RETURNED,     /* SCHEDOP_shutdown returned */
	HAL_ERR_XEN_WATCHDOG_STATE, /* watchdog armed twice, or used before arming */
	HAL_ERR_XEN_BAD_ANSWER,   /* Xen answered with a value outside its own contract */
	HAL_ERR_COUNT,
};

const char *hal_strerror(enum hal_err e);

#endif
