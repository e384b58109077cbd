#include "hal/gic.h"
#include "hal/gic_check.h"
#include "hal/mmu.h"
#include "hal/aarch64/gic_probe.h"
#include "hal/aarch64/mmio.h"
#include "hal/aarch64/sysreg.h"

/* GICv2 architecture specification register offsets. */
enum {
	GICD_CTLR = 0x000,
	GICD_TYPER = 0x004,
	GICD_ISENABLER = 0x100,
	GICD_ICENABLER = 0x180,
	GICD_ICPENDR = 0x280,
	GICD_IPRIORITYR = 0x400,
	GICD_ITARGETSR = 0x800,
	GICD_SGIR = 0xf00,
	GICC_CTLR = 0x000,
	GICC_PMR = 0x004,
	GICC_BPR = 0x008,
	GICC_IAR = 0x00c,
	GICC_EOIR = 0x010,
};
#define GICD_CTLR_ENABLE 0x3 /* both groups: whichever the firmware left us in */
#define GICC_CTLR_ENABLE 0x3
#define GICD_SGIR_OTHERS (1u << 24)
#define GIC_PRIO_DEFAULT 0xa0
#define GIC_PMR_ALL 0xf0

static uintptr_t dist, cpuif;
/* Each CPU's interface bit (GICD_ITARGETSR0 read on it), for SGIs aimed at one CPU. */
static uint8_t cpu_if[CONFIG_MAX_CPUS];

static enum hal_err v2_init(const struct platform *p)
{
	enum hal_err e = gic_check_layout(p);

	if (e == HAL_OK)
		e = mmu_map_device(&p->gic.dist, &dist);
	if (e == HAL_OK)
		e = mmu_map_device(&p->gic.cpuif, &cpuif);
	/* Before any write: a tree that names a GICv2 where there is none stops here. */
	if (e == HAL_OK)
		e = gic_identify_dist(GIC_V2, dist, p->gic.dist.size);
	if (e != HAL_OK)
		return e;
	uint32_t lines = 32 * ((mmio_read32(dist + GICD_TYPER) & 0x1f) + 1);

	mmio_write32(dist + GICD_CTLR, 0);
	/* Every SPI disabled until a driver asks; ours are SGIs and PPIs for now. */
	for (uint32_t i = 32; i < lines; i += 32)
		mmio_write32(dist + GICD_ICENABLER + i / 8, 0xffffffff);
	mmio_write32(dist + GICD_CTLR, GICD_CTLR_ENABLE);
	return HAL_OK;
}

static enum hal_err v2_cpu_init(unsigned int cpu, uint64_t mpidr)
{
	/* Banked SGI/PPI registers: this CPU's view. */
	if (cpu < CONFIG_MAX_CPUS)
		cpu_if[cpu] = (uint8_t)mmio_read32(dist + GICD_ITARGETSR); /* its own bit */
	mmio_write32(dist + GICD_ICENABLER, 0xffffffff);
	for (uint32_t i = 0; i < 32; i += 4)
		mmio_write32(dist + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
	mmio_write32(cpuif + GICC_PMR, GIC_PMR_ALL);
	mmio_write32(cpuif + GICC_BPR, 0);
	mmio_write32(cpuif + GICC_CTLR, GICC_CTLR_ENABLE);
	return HAL_OK;
}

static void v2_enable_local(uint32_t intid)
{
	mmio_write32(dist + GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

static struct gic_ack v2_ack(void)
{
	return gic_v2_decode_iar(mmio_read32(cpuif + GICC_IAR));
}

static void v2_eoi(struct gic_ack a)
{
	mmio_write32(cpuif + GICC_EOIR, a.token); /* with the source CPU of an SGI */
}

static void v2_sgi_others(uint32_t sgi)
{
	dsb_ish(); /* what this CPU wrote is visible before the others wake */
	mmio_write32(dist + GICD_SGIR, GICD_SGIR_OTHERS | (sgi & 0xf));
}

static void v2_sgi_to(unsigned int cpu, uint32_t sgi)
{
	if (cpu >= CONFIG_MAX_CPUS || !cpu_if[cpu])
		return; /* no such CPU (or not up): nobody to tell */
	dsb_ish(); /* what this CPU wrote is visible before the target wakes */
	mmio_write32(dist + GICD_SGIR, gic_v2_sgir(cpu_if[cpu], sgi));
}

static void v2_spi_mask(uint32_t intid, bool masked)
{
	mmio_write32(dist + (masked ? GICD_ICENABLER : GICD_ISENABLER) + 4 * (intid / 32),
		     1u << (intid % 32));
}

static void v2_spi_clear_pending(uint32_t intid)
{
	mmio_write32(dist + GICD_ICPENDR + 4 * (intid / 32), 1u << (intid % 32));
}

static void v2_spi_route_here(uint32_t intid)
{
	/* ITARGETSR0-7 are banked and read as this CPU's own interface bit. */
	uint8_t self = (uint8_t)mmio_read32(dist + GICD_ITARGETSR);

	mmio_write8(dist + GICD_IPRIORITYR + intid, GIC_PRIO_DEFAULT);
	mmio_write8(dist + GICD_ITARGETSR + intid, self);
	v2_spi_mask(intid, false);
}

const struct gic_ops gic_v2_ops = {
	.name = "v2",
	.init = v2_init,
	.cpu_init = v2_cpu_init,
	.enable_local = v2_enable_local,
	.ack = v2_ack,
	.eoi = v2_eoi,
	.sgi_others = v2_sgi_others,
	.sgi_to = v2_sgi_to,
	.spi_route_here = v2_spi_route_here,
	.spi_mask = v2_spi_mask,
	.spi_clear_pending = v2_spi_clear_pending,
};
