/*
 * The pure parts of the GIC drivers, testable on the host: decoding the acknowledge
 * registers, and checking that what the device tree calls a GIC of one version is one.
 */
#ifndef BULKHEAD_HAL_GIC_CHECK_H
#define BULKHEAD_HAL_GIC_CHECK_H

#include <stdint.h>
#include "core/lib/compiler.h"
#include "dt/platform.h"
#include "hal/gic.h"
#include "hal/hal_error.h"

/* Offsets of the peripheral ID register 2 (ArchRev in bits [7:4]), in the GICv2
 * distributor, and in the GICv3 distributor and each redistributor's RD frame. */
#define GICV2_PIDR2 0x0fe8
#define GICV3_PIDR2 0xffe8

/* GICC_IAR: INTID in bits [9:0], an SGI's source CPU in [12:10]; the token keeps all. */
struct gic_ack gic_v2_decode_iar(uint32_t iar);
/* ICC_IAR1_EL1: INTID in bits [23:0] (inline: it is on every interrupt's path). */
#define GICV3_IAR_INTID_MASK 0xffffffu
static inline struct gic_ack gic_v3_decode_iar(uint64_t iar)
{
	uint32_t v = (uint32_t)(iar & GICV3_IAR_INTID_MASK);

	return (struct gic_ack){ .intid = v, .token = v };
}

/* GICD_SGIR: SGI sgi (0..15) to the CPU interfaces in target_mask (one bit each,
 * TargetListFilter 0: the list). */
uint32_t gic_v2_sgir(uint8_t target_mask, uint32_t sgi);
/* ICC_SGI1R_EL1: SGI sgi (0..15) to the one CPU whose MPIDR is mpidr (Aff3.Aff2.Aff1
 * select its cluster, Aff0 its bit in the target list; IRM 0). An Aff0 above 15 cannot
 * be named by a target list: 0 (no CPU) then. */
uint64_t gic_v3_sgi1r(uint64_t mpidr, uint32_t sgi);

/*
 * pidr2 (read from a distributor or redistributor) against the version the device
 * tree names: HAL_OK for ArchRev 1 or 2 on GICv2 and 3 or 4 on GICv3,
 * HAL_ERR_GIC_ABSENT when it reads as zero, HAL_ERR_GIC_VERSION otherwise.
 */
enum hal_err gic_check_pidr2(enum gic_version v, uint32_t pidr2) __must_check;

/*
 * The distributor against the version the device tree names, from its PIDR2 read at
 * both places a GIC keeps it: at_v2 (GICV2_PIDR2) and at_v3 (GICV3_PIDR2); a read that
 * faulted or lies outside the region counts as 0. HAL_OK if the named version's
 * register says so; HAL_ERR_GIC_ABSENT if both are 0; HAL_ERR_GIC_VERSION otherwise
 * (the other version's register answers, or the reading is garbage).
 */
enum hal_err gic_check_dist_id(enum gic_version named, uint32_t at_v2, uint32_t at_v3) __must_check;

/* Every GIC register range of p outside RAM: HAL_OK, else HAL_ERR_GIC_IN_RAM. Checked
 * before anything is mapped or read (reads of RAM would only find data). */
enum hal_err gic_check_layout(const struct platform *p) __must_check;

#endif
