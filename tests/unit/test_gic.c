/* The pure parts of the GIC and timer drivers: acknowledge decoding, identification. */
#include <criterion/criterion.h>
#include "hal/gic_check.h"
#include "hal/timer.h"

/* GICC_IAR for SGI 1 sent by CPU 3: source CPU in bits [12:10]. */
#define IAR_SGI1_FROM_CPU3 ((3u << 10) | 1u)

Test(gic, v2_ack_dispatches_on_the_intid_and_ends_with_the_whole_iar)
{
	struct gic_ack a = gic_v2_decode_iar(IAR_SGI1_FROM_CPU3);

	cr_assert_eq(a.intid, 1, "dispatch on bits [9:0]");
	cr_assert_eq(a.token, IAR_SGI1_FROM_CPU3, "EOIR needs the source CPU back: %#x", a.token);
}

Test(gic, v2_ack_spurious_and_spi)
{
	cr_assert_eq(gic_v2_decode_iar(0x3ff).intid, 1023);
	cr_assert_geq(gic_v2_decode_iar(0x3ff).intid, GIC_INTID_SPURIOUS);
	cr_assert_eq(gic_v2_decode_iar(33).intid, 33);
	cr_assert_eq(gic_v2_decode_iar(33).token, 33);
}

Test(gic, v3_ack_keeps_24_bits)
{
	struct gic_ack a = gic_v3_decode_iar(0xffffffff00123456ULL);

	cr_assert_eq(a.intid, 0x123456);
	cr_assert_eq(a.token, 0x123456);
}

/* PIDR2 values QEMU's and Xen's GICs report: ArchRev 2 (GICv2), 3 (GICv3). */
#define PIDR2_QEMU_GICV2 0x2b
#define PIDR2_QEMU_GICV3 0x3b

Test(gic, identification_must_match_the_compatible)
{
	cr_assert_eq(gic_check_pidr2(GIC_V2, PIDR2_QEMU_GICV2), HAL_OK);
	cr_assert_eq(gic_check_pidr2(GIC_V2, 0x1b), HAL_OK, "GICv1: same registers");
	cr_assert_eq(gic_check_pidr2(GIC_V3, PIDR2_QEMU_GICV3), HAL_OK);
	cr_assert_eq(gic_check_pidr2(GIC_V3, 0x4b), HAL_OK, "GICv4");
	cr_assert_eq(gic_check_pidr2(GIC_V2, PIDR2_QEMU_GICV3), HAL_ERR_GIC_VERSION);
	cr_assert_eq(gic_check_pidr2(GIC_V3, PIDR2_QEMU_GICV2), HAL_ERR_GIC_VERSION);
	cr_assert_eq(gic_check_pidr2(GIC_V2, 0), HAL_ERR_GIC_ABSENT, "a hole reads as zero");
	cr_assert_eq(gic_check_pidr2(GIC_V3, 0), HAL_ERR_GIC_ABSENT);
	cr_assert_eq(gic_check_pidr2(GIC_V3, 0xffffffff), HAL_ERR_GIC_VERSION, "erased flash");
	cr_assert_eq(gic_check_pidr2(GIC_V2, 0x0b), HAL_ERR_GIC_VERSION, "ArchRev 0");
}

Test(gic, a_distributor_of_the_other_version_is_named_as_such)
{
	/* QEMU virt: a GICv2 reads its PIDR2 at 0xfe8; a GICv3 at 0xffe8, RAZ at 0xfe8. */
	cr_assert_eq(gic_check_dist_id(GIC_V2, PIDR2_QEMU_GICV2, 0), HAL_OK);
	cr_assert_eq(gic_check_dist_id(GIC_V3, 0, PIDR2_QEMU_GICV3), HAL_OK);
	cr_assert_eq(gic_check_dist_id(GIC_V2, 0, PIDR2_QEMU_GICV3), HAL_ERR_GIC_VERSION,
		     "arm,cortex-a15-gic named on a GICv3 machine");
	cr_assert_eq(gic_check_dist_id(GIC_V3, PIDR2_QEMU_GICV2, 0), HAL_ERR_GIC_VERSION,
		     "arm,gic-v3 named on a GICv2 machine");
	cr_assert_eq(gic_check_dist_id(GIC_V2, 0, 0), HAL_ERR_GIC_ABSENT, "a hole");
	cr_assert_eq(gic_check_dist_id(GIC_V3, 0, 0), HAL_ERR_GIC_ABSENT);
	cr_assert_eq(gic_check_dist_id(GIC_V3, 0xffffffff, 0xffffffff), HAL_ERR_GIC_VERSION,
		     "erased flash is not a GIC");
}

static struct platform plat_v3(uint64_t dist)
{
	struct platform p = { .n_ram = 1 };

	p.ram[0] = (struct pa_range){ pa_init(0x40000000), 0x20000000 };
	p.gic.version = GIC_V3;
	p.gic.dist = (struct pa_range){ pa_init(dist), 0x10000 };
	p.gic.n_redist = 1;
	p.gic.redist[0] = (struct pa_range){ pa_init(0x80a0000), 0xf60000 };
	return p;
}

Test(gic, registers_inside_ram_are_refused)
{
	struct platform p = plat_v3(0x8000000);

	cr_assert_eq(gic_check_layout(&p), HAL_OK);
	p = plat_v3(0x48000000);
	cr_assert_eq(gic_check_layout(&p), HAL_ERR_GIC_IN_RAM, "distributor in RAM");
	p = plat_v3(0x3fff8000);
	cr_assert_eq(gic_check_layout(&p), HAL_ERR_GIC_IN_RAM, "straddles the start of RAM");
	p = plat_v3(0x8000000);
	p.gic.redist[0].base = pa_init(0x5ff00000);
	cr_assert_eq(gic_check_layout(&p), HAL_ERR_GIC_IN_RAM, "redistributors in RAM");
	p = plat_v3(0x8000000);
	p.gic.version = GIC_V2;
	p.gic.cpuif = (struct pa_range){ pa_init(0x40010000), 0x10000 };
	cr_assert_eq(gic_check_layout(&p), HAL_ERR_GIC_IN_RAM, "GICv2 CPU interface in RAM");
	p.gic.cpuif.base = pa_init(0x8010000);
	p.gic.redist[0].base = pa_init(0x50000000); /* stale, unused on GICv2 */
	cr_assert_eq(gic_check_layout(&p), HAL_OK, "GICv2: the redistributor table is not used");
}

Test(timer, a_zero_or_absurd_frequency_is_refused)
{
	cr_assert_eq(timer_freq_check(0), HAL_ERR_TIMER_FREQ, "CNTFRQ_EL0 never set");
	cr_assert_eq(timer_freq_check(32768), HAL_ERR_TIMER_FREQ, "below a tick per microsecond");
	cr_assert_eq(timer_freq_check(TIMER_FREQ_MIN_HZ - 1), HAL_ERR_TIMER_FREQ);
	cr_assert_eq(timer_freq_check(TIMER_FREQ_MIN_HZ), HAL_OK);
	cr_assert_eq(timer_freq_check(62500000), HAL_OK, "QEMU virt");
	cr_assert_eq(timer_freq_check(1000000000), HAL_OK, "Armv8.6 fixed 1 GHz");
}
