/*
 * A plan device's resources, read from the platform device tree: the MMIO window the
 * partition gets mapped and the GIC interrupts routed to it. What a device capability
 * (core/cap.h) carries.
 */
#ifndef BULKHEAD_DT_DEVICE_RES_H
#define BULKHEAD_DT_DEVICE_RES_H

#include <stdbool.h>
#include "core/cap.h"
#include "dt/dt_error.h"

/*
 * The node at path in fdt (a checked platform blob): its first reg entry (translated to
 * a CPU physical address) and every entry of its interrupts as GIC INTIDs (the node's
 * interrupt parent must be a 3-cell GIC; SPI and PPI only). A node without interrupts
 * has n_irq 0; more than CAP_DEVICE_IRQS is DT_ERR_TOO_MANY.
 */
enum dt_err dt_device_resources(const void *fdt, const char *path, struct cap_device *out,
				struct dt_diag *diag) __must_check;

/* A cap_device_resolver over dt_device_resources; ctx is the platform blob. */
bool dt_device_resolver(void *ctx, const char *path, struct cap_device *out);

#endif
