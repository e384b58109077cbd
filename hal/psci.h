/* PSCI 0.2+ over the conduit the device tree names (HVC or SMC), SMC64 calls. */
#ifndef BULKHEAD_HAL_PSCI_H
#define BULKHEAD_HAL_PSCI_H

#include <stdint.h>
#include "core/lib/compiler.h"
#include "dt/platform.h"
#include "hal/hal_error.h"

/* Boot CPU, once. Fails if the firmware says it is older than 0.2. */
enum hal_err psci_init(enum psci_conduit conduit) __must_check;
/* (major << 16) | minor, as PSCI_VERSION returns it. */
uint32_t psci_version(void);
enum hal_err psci_cpu_on(uint64_t mpidr, uint64_t entry_pa, uint64_t context) __must_check;
/* These return only on failure. */
enum hal_err psci_system_off(void) __must_check;
enum hal_err psci_system_reset(void) __must_check;

/* Maps a PSCI return code to a hal_err (pure). */
enum hal_err psci_to_hal_err(int64_t ret);

#endif
