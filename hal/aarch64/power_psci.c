#include "hal/power.h"
#include "hal/psci.h"

/* Bare metal has no way to say "crashed" to the outside: a crash powers off. */
const struct power_ops power_psci_ops = {
	.name = "psci",
	.off = psci_system_off,
	.reset = psci_system_reset,
	.crash = psci_system_off,
};
