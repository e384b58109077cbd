/*
 * Whole-system power: bare metal through PSCI, under Xen through SCHEDOP_shutdown.
 * Both exist in one image (chosen from the platform description), so an ops struct.
 */
#ifndef BULKHEAD_HAL_POWER_H
#define BULKHEAD_HAL_POWER_H

#include "core/lib/compiler.h"
#include "hal/hal_error.h"

struct power_ops {
	const char *name;
	/* Each returns only on failure. ctx is the implementation's own (power.ctx). */
	enum hal_err (*off)(void *ctx) __must_check;
	enum hal_err (*reset)(void *ctx) __must_check;
	/* A fatal kernel error: power off, with "crashed" where the platform can say so. */
	enum hal_err (*crash)(void *ctx) __must_check;
};

/* One implementation and its context, chosen at boot. */
struct power {
	const struct power_ops *ops;
	void *ctx;
};

extern const struct power_ops power_psci_ops; /* ctx unused */

#endif
