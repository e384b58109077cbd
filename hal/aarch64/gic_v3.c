#include "hal/gic.h"
#include "hal/gic_check.h"
#include "hal/mmu.h"
#include "hal/aarch64/gic_probe.h"
#include "hal/aarch64/mmio.h"
#include "hal/aarch64/sysreg.h"
#include "hal/cpu.h"

/* GICv3 architecture specification register offsets. */
enum {
	GICD_CTLR = 0x0000,
	GICD_TYPER = 0x0004,
	GICD_ISENABLER = 0x0100,
	GICD_ICENABLER = 0x0180,
	GICD_ICPENDR = 0x0280,
	GICD_IPRIORITYR = 0x0400,
	GICD_IROUTER = 0x6000,
	GICD_IGROUPR = 0x0080,
	GICR_TYPER = 0x0008,
	GICR_WAKER = 0x0014,
	GICR_SGI_BASE = 0x10000, /* the SGI/PPI frame follows the RD frame */
	GICR_IGROUPR0 = GICR_SGI_BASE + 0x0080,
	GICR_ISENABLER0 = GICR_SGI_BASE + 0x0100,
	GICR_ICENABLER0 = GICR_SGI_BASE + 0x0180,
	GICR_IPRIORITYR = GICR_SGI_BASE + 0x0400,
};
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_GRP1 (1u << 1) /* EnableGrp1 (DS=1) / EnableGrp1NS (non-secure view) */
#define GICR_TYPER_LAST (1ULL << 4)
#define GICR_TYPER_VLPIS (1ULL << 1)
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_FRAME_SIZE 0x20000ULL /* RD + SGI frames; +0x20000 more with VLPIs (GICv4) */
#define GIC_PRIO_DEFAULT 0xa0
#define ICC_SGI1R_IRM (1ULL << 40) /* to all but self */
#define WAKE_SPINS 1000000

static uintptr_t dist;
static uintptr_t redist[PLAT_MAX_REDIST];
static uint64_t redist_size[PLAT_MAX_REDIST];
static unsigned int n_redist;
static uintptr_t cpu_redist[CONFIG_MAX_CPUS];
/* Each CPU's ICC_SGI1R_EL1 target fields (SGI number 0), for SGIs aimed at one CPU. */
static uint64_t cpu_sgi1r[CONFIG_MAX_CPUS];

/* Bounded: a distributor that never finishes a write is an error, not a hang. */
static enum hal_err wait_rwp(void)
{
	for (int i = 0; i < WAKE_SPINS; i++)
		if (!(mmio_read32(dist + GICD_CTLR) & GICD_CTLR_RWP))
			return HAL_OK;
	return HAL_ERR_GIC_RWP_TIMEOUT;
}

/* Map the distributor and every redistributor region, and check each identifies as a
 * GICv3 (or v4) before anything is written to it. */
static enum hal_err map_and_identify(const struct platform *p)
{
	enum hal_err e = gic_check_layout(p);

	if (e == HAL_OK)
		e = mmu_map_device(&p->gic.dist, &dist);
	if (e == HAL_OK)
		e = gic_identify_dist(GIC_V3, dist, p->gic.dist.size);
	for (unsigned int i = 0; e == HAL_OK && i < p->gic.n_redist; i++) {
		e = mmu_map_device(&p->gic.redist[i], &redist[i]);
		redist_size[i] = p->gic.redist[i].size;
		if (e == HAL_OK)
			e = gic_check_pidr2(GIC_V3, gic_read_pidr2(redist[i], redist_size[i], GICV3_PIDR2));
	}
	return e;
}

static enum hal_err v3_init(const struct platform *p)
{
	enum hal_err e = map_and_identify(p);

	if (e != HAL_OK)
		return e;
	n_redist = p->gic.n_redist;
	uint32_t lines = 32 * ((mmio_read32(dist + GICD_TYPER) & 0x1f) + 1);

	mmio_write32(dist + GICD_CTLR, 0);
	e = wait_rwp();
	for (uint32_t i = 32; e == HAL_OK && i < lines; i += 32) {
		mmio_write32(dist + GICD_ICENABLER + i / 8, 0xffffffff);
		mmio_write32(dist + GICD_IGROUPR + i / 8, 0xffffffff); /* group 1: IRQ, not FIQ */
	}
	if (e == HAL_OK)
		e = wait_rwp();
	if (e != HAL_OK)
		return e;
	mmio_write32(dist + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	return wait_rwp();
}

/* The redistributor whose affinity matches mpidr, walking every region's frames. */
static uintptr_t find_redist(uint64_t mpidr)
{
	uint32_t aff = (uint32_t)(((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff));

	for (unsigned int r = 0; r < n_redist; r++) {
		for (uint64_t off = 0; off + GICR_FRAME_SIZE <= redist_size[r];) {
			uint64_t typer = mmio_read64(redist[r] + off + GICR_TYPER);

			if ((uint32_t)(typer >> 32) == aff)
				return redist[r] + off;
			if (typer & GICR_TYPER_LAST)
				break;
			off += (typer & GICR_TYPER_VLPIS) ? 2 * GICR_FRAME_SIZE : GICR_FRAME_SIZE;
		}
	}
	return 0;
}

static enum hal_err v3_cpu_init(unsigned int cpu, uint64_t mpidr)
{
	uintptr_t rd = find_redist(mpidr);
	int i;

	if (!rd)
		return HAL_ERR_GIC_NO_REDIST;
	cpu_redist[cpu] = rd;
	cpu_sgi1r[cpu] = gic_v3_sgi1r(mpidr, 0);
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	for (i = 0; i < WAKE_SPINS && (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP); i++)
		;
	if (i == WAKE_SPINS)
		return HAL_ERR_GIC_TIMEOUT;
	mmio_write32(rd + GICR_ICENABLER0, 0xffffffff);
	mmio_write32(rd + GICR_IGROUPR0, 0xffffffff);
	for (uint32_t n = 0; n < 32; n += 4)
		mmio_write32(rd + GICR_IPRIORITYR + n, GIC_PRIO_DEFAULT * 0x01010101u);

	write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 1);
	isb();
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_CTLR_EL1, 0); /* EOImode 0: EOI also deactivates */
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	return HAL_OK;
}

static void v3_enable_local(uint32_t intid)
{
	uintptr_t rd = cpu_redist[cpu_index()];

	mmio_write32(rd + GICR_ISENABLER0, 1u << (intid % 32));
}

static struct gic_ack v3_ack(void)
{
	struct gic_ack a = gic_v3_decode_iar(read_sysreg(ICC_IAR1_EL1));

	dsb_sy();
	return a;
}

static void v3_eoi(struct gic_ack a)
{
	write_sysreg(ICC_EOIR1_EL1, a.token);
	isb();
}

static void v3_sgi_others(uint32_t sgi)
{
	dsb_ish();
	write_sysreg(ICC_SGI1R_EL1, ICC_SGI1R_IRM | ((uint64_t)(sgi & 0xf) << 24));
	isb();
}

static uint64_t v3_sgi_value(unsigned int cpu, uint32_t sgi)
{
	if (cpu >= CONFIG_MAX_CPUS || !cpu_sgi1r[cpu])
		return 0;
	return cpu_sgi1r[cpu] | (uint64_t)(sgi & 0xf) << 24;
}

static void v3_sgi_to(unsigned int cpu, uint32_t sgi)
{
	uint64_t v = v3_sgi_value(cpu, sgi);

	if (!v)
		return; /* no such CPU (or not up): nobody to tell */
	dsb_ish(); /* what this CPU wrote is visible before the target wakes */
	write_sysreg(ICC_SGI1R_EL1, v);
	isb();
}

static void v3_spi_mask(uint32_t intid, bool masked)
{
	mmio_write32(dist + (masked ? GICD_ICENABLER : GICD_ISENABLER) + 4 * (intid / 32),
		     1u << (intid % 32));
}

static uintptr_t v3_spi_mask_regs(void)
{
	return dist + GICD_ICENABLER;
}

static void v3_spi_clear_pending(uint32_t intid)
{
	mmio_write32(dist + GICD_ICPENDR + 4 * (intid / 32), 1u << (intid % 32));
}

static void v3_spi_route_here(uint32_t intid)
{
	uint64_t mpidr = read_sysreg(MPIDR_EL1);
	/* IROUTER: Aff3 in bits 32-39, Aff2..Aff0 in 0-23; Interrupt_Routing_Mode 0. */
	uint64_t route = (mpidr & 0xffffffULL) | (((mpidr >> 32) & 0xff) << 32);

	mmio_write8(dist + GICD_IPRIORITYR + intid, GIC_PRIO_DEFAULT);
	mmio_write32(dist + GICD_IROUTER + 8 * intid, (uint32_t)route);
	mmio_write32(dist + GICD_IROUTER + 8 * intid + 4, (uint32_t)(route >> 32));
	v3_spi_mask(intid, false);
}

const struct gic_ops gic_v3_ops = {
	.name = "v3",
	.init = v3_init,
	.cpu_init = v3_cpu_init,
	.enable_local = v3_enable_local,
	.ack = v3_ack,
	.eoi = v3_eoi,
	.sgi_others = v3_sgi_others,
	.sgi_to = v3_sgi_to,
	.spi_route_here = v3_spi_route_here,
	.spi_mask = v3_spi_mask,
	.spi_clear_pending = v3_spi_clear_pending,
	.spi_mask_regs = v3_spi_mask_regs,
	.sgi_value = v3_sgi_value,
};
