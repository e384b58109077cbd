#include "hal/gic_check.h"

#define GICV2_IAR_INTID_MASK 0x3ffu
#define PIDR2_ARCHREV_SHIFT 4
#define PIDR2_ARCHREV_MASK 0xfu
/* ArchRev values the GIC architecture specifications define. */
#define ARCHREV_GICV1 1
#define ARCHREV_GICV2 2
#define ARCHREV_GICV3 3
#define ARCHREV_GICV4 4

struct gic_ack gic_v2_decode_iar(uint32_t iar)
{
	return (struct gic_ack){ .intid = iar & GICV2_IAR_INTID_MASK, .token = iar };
}

enum hal_err gic_check_pidr2(enum gic_version v, uint32_t pidr2)
{
	uint32_t rev = (pidr2 >> PIDR2_ARCHREV_SHIFT) & PIDR2_ARCHREV_MASK;

	if (pidr2 == 0)
		return HAL_ERR_GIC_ABSENT;
	/* The GICv2 driver also runs a GICv1 (the same registers it uses). */
	if (v == GIC_V2 && (rev == ARCHREV_GICV1 || rev == ARCHREV_GICV2))
		return HAL_OK;
	if (v == GIC_V3 && (rev == ARCHREV_GICV3 || rev == ARCHREV_GICV4))
		return HAL_OK;
	return HAL_ERR_GIC_VERSION;
}

enum hal_err gic_check_dist_id(enum gic_version named, uint32_t at_v2, uint32_t at_v3)
{
	uint32_t mine = named == GIC_V2 ? at_v2 : at_v3;
	uint32_t other = named == GIC_V2 ? at_v3 : at_v2;

	/* Zero at our offset but something at the other GIC's: a wrong compatible (or
	 * garbage), not a hole. */
	if (mine == 0 && other != 0)
		return HAL_ERR_GIC_VERSION;
	return gic_check_pidr2(named, mine);
}

static bool in_ram(const struct platform *p, const struct pa_range *r)
{
	for (unsigned int i = 0; i < p->n_ram; i++)
		if (pa_range_overlaps(&p->ram[i], r))
			return true;
	return false;
}

enum hal_err gic_check_layout(const struct platform *p)
{
	bool bad = in_ram(p, &p->gic.dist);

	if (p->gic.version == GIC_V2)
		bad = bad || in_ram(p, &p->gic.cpuif);
	for (unsigned int i = 0; p->gic.version == GIC_V3 && i < p->gic.n_redist; i++)
		bad = bad || in_ram(p, &p->gic.redist[i]);
	return bad ? HAL_ERR_GIC_IN_RAM : HAL_OK;
}

uint32_t gic_v2_sgir(uint8_t target_mask, uint32_t sgi)
{
	return (uint32_t)target_mask << 16 | (sgi & 0xfu);
}

uint64_t gic_v3_sgi1r(uint64_t mpidr, uint32_t sgi)
{
	uint64_t aff0 = mpidr & 0xff, aff1 = (mpidr >> 8) & 0xff, aff2 = (mpidr >> 16) & 0xff,
		 aff3 = (mpidr >> 32) & 0xff;

	if (aff0 > 15)
		return 0;
	return aff3 << 48 | aff2 << 32 | (uint64_t)(sgi & 0xfu) << 24 | aff1 << 16 | 1ull << aff0;
}
