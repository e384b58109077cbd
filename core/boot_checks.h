/*
 * What the boot flow (core/boot.c) settles before it trusts the device tree: the panic
 * policy for a stop before the platform is known, and that the timer interrupt the tree
 * names does arrive. Boot CPU only; they use the HAL, so the QEMU system tests cover them.
 */
#ifndef BULKHEAD_CORE_BOOT_CHECKS_H
#define BULKHEAD_CORE_BOOT_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include "core/bootargs.h"
#include "core/panic.h"
#include "hal/gic.h"
#include "hal/power.h"

/*
 * The policy for a stop before the full one is set: panic= from /chosen/bootargs of the
 * blob at fdt (size readable bytes; 0 when it is not mapped) if it passes the blob check, else
 * Kconfig's. *power is kept when already set up (ops non-NULL, e.g. Xen's); else, when
 * the policy needs power and the tree names PSCI 0.2+, PSCI is set up in it. Fills *opts
 * from those boot arguments and *cfg (gic NULL: no other CPU to stop yet).
 */
void boot_early_panic(const void *fdt, size_t size, struct boot_options *opts,
		      struct power *power, struct panic_config *cfg);

/*
 * Arms this CPU's virtual timer to fire at once and polls the GIC (interrupts masked at
 * the CPU) for intid, bounded. True when it arrived; otherwise logs timer_irq_missing
 * and returns false (the caller stops). GIC and timer must be initialised, intid enabled.
 */
bool boot_timer_irq_arrives(const struct gic_ops *gic, uint32_t intid) __must_check;

#endif
