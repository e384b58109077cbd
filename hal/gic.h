/*
 * Interrupt controller: GICv2 and GICv3 coexist in one image (the device tree
 * picks), so an ops struct. INTIDs: 0-15 SGI, 16-31 PPI, 32+ SPI.
 */
#ifndef BULKHEAD_HAL_GIC_H
#define BULKHEAD_HAL_GIC_H

#include <stdbool.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "dt/platform.h"
#include "hal/hal_error.h"

#define GIC_INTID_SPURIOUS 1020 /* 1020..1023: nothing to handle */
#define GIC_FIRST_SPI 32        /* 0-15 SGI, 16-31 PPI (per CPU), 32+ SPI */

/*
 * One acknowledged interrupt. intid is what to dispatch on; token is the whole value
 * the acknowledge register gave, and is what eoi() hands back (on GICv2 it carries an
 * SGI's source CPU, without which the GIC does not deactivate the right SGI).
 */
struct gic_ack {
	uint32_t intid;
	uint32_t token;
};

struct gic_ops {
	const char *name;
	/* Boot CPU, once: map the GIC, check that its identification registers match the
	 * version the device tree names (gic_check.h), enable the distributor. */
	enum hal_err (*init)(const struct platform *p) __must_check;
	/* Each CPU, on itself: its redistributor / CPU interface. */
	enum hal_err (*cpu_init)(unsigned int cpu, uint64_t mpidr) __must_check;
	/* Enable an SGI or PPI on this CPU (priority: all equal). */
	void (*enable_local)(uint32_t intid);
	/* Acknowledge the highest-priority pending interrupt; intid GIC_INTID_SPURIOUS+ if none.
	 * Called with this CPU's IRQs masked too (the idle loop, right after WFI): it must
	 * not depend on the CPU's mask. */
	struct gic_ack (*ack)(void);
	/* End (and deactivate) what ack() returned. */
	void (*eoi)(struct gic_ack a);
	/* Send SGI sgi (0..15) to every CPU but this one. */
	void (*sgi_others)(uint32_t sgi);
	/* Send SGI sgi (0..15) to CPU cpu (the index cpu_init was given; that CPU's
	 * cpu_init has run). What this CPU wrote before is visible to it first. */
	void (*sgi_to)(unsigned int cpu, uint32_t sgi);
	/* A partition's device SPI (32..1019), on the CPU that runs the partition: target
	 * this CPU only (GICv2 ITARGETSR / GICv3 IROUTER), default priority, then enable. */
	void (*spi_route_here)(uint32_t intid);
	/* Mask (disable) or unmask (enable) an SPI at the distributor. */
	void (*spi_mask)(uint32_t intid, bool masked);
	/* Clear an SPI's pending state at the distributor (a line its device still drives
	 * becomes pending again). */
	void (*spi_clear_pending)(uint32_t intid);
	/* Optional: the kernel VA of the distributor's first GICD_ICENABLER (an SPI masks
	 * with a 32-bit write of 1 << (intid % 32) at + 4 * (intid / 32), as spi_mask does),
	 * for the IRQ vector's wake-up step (hal/fastwin.h); after init. */
	uintptr_t (*spi_mask_regs)(void);
	/* Optional: what sgi_to(cpu, sgi) writes to ICC_SGI1R_EL1 (GICv3), for the
	 * synchronous vector's port_signal (hal/fastwin.h); 0 if that CPU is not up. */
	uint64_t (*sgi_value)(unsigned int cpu, uint32_t sgi);
};

extern const struct gic_ops gic_v2_ops;
extern const struct gic_ops gic_v3_ops;

#endif
