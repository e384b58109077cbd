#include "hal/power.h"
#include "hal/psci.h"

static enum hal_err off(void *ctx)
{
	return psci_system_off();
}

static enum hal_err reset(void *ctx)
{
	return psci_system_reset();
}

/* Bare metal has no way to say "crashed" to the outside: a crash powers off. */
const struct power_ops power_psci_ops = {
	.name = "psci",
	.off = off,
	.reset = reset,
	.crash = off,
};
