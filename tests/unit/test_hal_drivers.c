/*
 * The aarch64 UART and GIC drivers against fake registers (hal/fake/fake_regs.h): every
 * wait is bounded, the GICv2 EOI gets the whole acknowledge value back, and a GIC is
 * identified before anything is written to it.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "hal/console.h"
#include "hal/gic.h"
#include "hal/gic_check.h"
#include "hal/timer.h"
#include "fake_regs.h"

static void reset(void)
{
	fake_regs_reset();
}

/* ---- PL011 / SBSA UART ---- */

#define UART_BASE 0x9000000u
#define UART_FR (UART_BASE + 0x18)
#define UART_DR (UART_BASE + 0x00)
#define FR_TXFF (1u << 5)
#define FR_BUSY (1u << 3)

static uint32_t fr_value;
static unsigned int dr_writes, other_writes;
static uint32_t dr_last;

static uint32_t uart_read(uintptr_t addr)
{
	return addr == UART_FR ? fr_value : 0;
}

static void uart_write(uintptr_t addr, uint32_t v)
{
	if (addr == UART_DR) {
		dr_writes++;
		dr_last = v;
	} else {
		other_writes++;
	}
}

static void uart_model(uint32_t fr)
{
	fake_regs_reset();
	fake_regs.read32 = uart_read;
	fake_regs.write32 = uart_write;
	fr_value = fr;
	dr_writes = other_writes = 0;
}

TestSuite(uart, .init = reset);

Test(uart, putc_writes_the_byte_when_there_is_room)
{
	uart_model(0);
	cr_assert_eq(uart_pl011_ops.putc(UART_BASE, 'x'), HAL_OK);
	cr_assert_eq(dr_writes, 1);
	cr_assert_eq(dr_last, 'x');
}

/* A test that hangs fails by the suite's time limit; the assertion is the return value. */
Test(uart, a_full_fifo_that_never_drains_is_a_timeout_not_a_hang, .timeout = 60)
{
	uart_model(FR_TXFF);
	cr_assert_eq(uart_pl011_ops.putc(UART_BASE, 'x'), HAL_ERR_UART_TIMEOUT);
	cr_assert_eq(uart_sbsa_ops.putc(UART_BASE, 'x'), HAL_ERR_UART_TIMEOUT);
	cr_assert_eq(dr_writes, 0, "nothing written into a full FIFO");
}

Test(uart, a_uart_busy_forever_is_not_reprogrammed, .timeout = 60)
{
	uart_model(FR_BUSY);
	cr_assert_eq(uart_pl011_ops.init(UART_BASE), HAL_ERR_UART_TIMEOUT);
	cr_assert_eq(other_writes + dr_writes, 0);
	uart_model(0);
	cr_assert_eq(uart_pl011_ops.init(UART_BASE), HAL_OK);
	cr_assert_gt(other_writes, 0, "line setup written once idle");
	cr_assert_eq(uart_sbsa_ops.init(UART_BASE), HAL_OK);
}

/* ---- GIC: a QEMU-like model ---- */

#define DIST 0x8000000u
#define CPUIF 0x8010000u
#define REDIST 0x80a0000u
#define GICC_IAR (CPUIF + 0x0c)
#define GICC_EOIR (CPUIF + 0x10)
#define GICD_CTLR (DIST + 0x0)
#define GICD_TYPER (DIST + 0x4)
#define GICD_CTLR_RWP (1u << 31)
#define GICR_TYPER_LO (REDIST + 0x8)
#define GICR_TYPER_LAST (1u << 4)

static struct {
	int version;        /* what the model is: 2, 3, or 0 for nothing */
	bool rwp_stuck;
	uint32_t iar;
	uint32_t eoir;
	unsigned int eoir_writes;
} gic;

static uint32_t gic_read(uintptr_t a)
{
	if (gic.version == 2) {
		if (a == DIST + GICV2_PIDR2)
			return 0x2b;
		if (a == GICC_IAR)
			return gic.iar;
	}
	if (gic.version == 3) {
		if (a == DIST + GICV3_PIDR2 || a == REDIST + GICV3_PIDR2)
			return 0x3b;
		if (a == GICD_CTLR)
			return gic.rwp_stuck ? GICD_CTLR_RWP : 0;
		if (a == GICR_TYPER_LO)
			return GICR_TYPER_LAST; /* affinity 0 in the high word: CPU 0 */
	}
	if (gic.version && a == GICD_TYPER)
		return 1; /* 64 lines */
	return 0;
}

static void gic_write(uintptr_t a, uint32_t v)
{
	if (a == GICC_EOIR) {
		gic.eoir = v;
		gic.eoir_writes++;
	}
}

static uint64_t gic_sysreg(const char *name)
{
	return strcmp(name, "ICC_IAR1_EL1") == 0 ? gic.iar : 0;
}

static void gic_model(int version)
{
	fake_regs_reset();
	memset(&gic, 0, sizeof(gic));
	gic.version = version;
	fake_regs.read32 = gic_read;
	fake_regs.write32 = gic_write;
	fake_regs.sysreg_read = gic_sysreg;
}

static struct platform plat(enum gic_version v)
{
	struct platform p = { .n_ram = 1 };

	p.ram[0] = (struct pa_range){ pa_init(0x40000000), 0x20000000 };
	p.gic.version = v;
	p.gic.dist = (struct pa_range){ pa_init(DIST), 0x10000 };
	if (v == GIC_V2) {
		p.gic.cpuif = (struct pa_range){ pa_init(CPUIF), 0x10000 };
	} else {
		p.gic.n_redist = 1;
		p.gic.redist[0] = (struct pa_range){ pa_init(REDIST), 0x20000 };
	}
	return p;
}

TestSuite(gic_driver, .init = reset);

Test(gic_driver, v2_eoi_hands_back_the_sgi_source_cpu)
{
	struct platform p = plat(GIC_V2);

	gic_model(2);
	cr_assert_eq(gic_v2_ops.init(&p), HAL_OK);
	gic.iar = (2u << 10) | 1u; /* SGI 1 from CPU 2 */
	struct gic_ack a = gic_v2_ops.ack();

	cr_assert_eq(a.intid, 1);
	gic_v2_ops.eoi(a);
	cr_assert_eq(gic.eoir_writes, 1);
	cr_assert_eq(gic.eoir, (2u << 10) | 1u, "EOIR got %#x: the source CPU was dropped", gic.eoir);
}

Test(gic_driver, v3_ack_and_eoi_carry_the_intid)
{
	struct platform p = plat(GIC_V3);

	gic_model(3);
	cr_assert_eq(gic_v3_ops.init(&p), HAL_OK);
	gic.iar = 27;
	cr_assert_eq(gic_v3_ops.ack().intid, 27);
}

Test(gic_driver, nothing_is_written_to_a_gic_that_is_not_there)
{
	struct platform p2 = plat(GIC_V2), p3 = plat(GIC_V3);

	gic_model(0);
	cr_assert_eq(gic_v2_ops.init(&p2), HAL_ERR_GIC_ABSENT);
	cr_assert_eq(gic_v3_ops.init(&p3), HAL_ERR_GIC_ABSENT);
	cr_assert_eq(fake_regs.writes, 0);
	gic_model(3);
	cr_assert_eq(gic_v2_ops.init(&p2), HAL_ERR_GIC_VERSION, "a GICv3 named as a GICv2");
	cr_assert_eq(fake_regs.writes, 0);
	gic_model(2);
	cr_assert_eq(gic_v3_ops.init(&p3), HAL_ERR_GIC_VERSION, "a GICv2 named as a GICv3");
	cr_assert_eq(fake_regs.writes, 0);
}

static bool dist_faults(uintptr_t a)
{
	return a >= DIST && a < DIST + 0x10000;
}

Test(gic_driver, a_distributor_read_that_faults_means_no_gic)
{
	struct platform p = plat(GIC_V3);

	gic_model(3);
	fake_regs.faults = dist_faults;
	cr_assert_eq(gic_v3_ops.init(&p), HAL_ERR_GIC_ABSENT);
	cr_assert_eq(fake_regs.writes, 0);
}

Test(gic_driver, a_distributor_stuck_in_rwp_is_a_timeout_not_a_hang, .timeout = 60)
{
	struct platform p = plat(GIC_V3);

	gic_model(3);
	gic.rwp_stuck = true;
	cr_assert_eq(gic_v3_ops.init(&p), HAL_ERR_GIC_RWP_TIMEOUT);
}

Test(gic_driver, registers_in_ram_are_refused_before_any_access)
{
	struct platform p = plat(GIC_V2);

	gic_model(2);
	p.gic.cpuif.base = pa_init(0x40000000);
	cr_assert_eq(gic_v2_ops.init(&p), HAL_ERR_GIC_IN_RAM);
	cr_assert_eq(fake_regs.reads + fake_regs.writes, 0);
}

/* ---- Generic timer ---- */

static uint64_t cntfrq;

static uint64_t timer_sysreg(const char *name)
{
	return strcmp(name, "cntfrq_el0") == 0 ? cntfrq : 0;
}

TestSuite(timer_driver, .init = reset);

Test(timer_driver, cntfrq_zero_is_refused_unless_the_tree_gives_the_frequency)
{
	fake_regs.sysreg_read = timer_sysreg;
	cntfrq = 62500000;
	cr_assert_eq(timer_init(0), HAL_OK);
	cr_assert_eq(timer_freq(), 62500000);
	cntfrq = 0; /* firmware never set it */
	cr_assert_eq(timer_init(0), HAL_ERR_TIMER_FREQ);
	cr_assert_eq(timer_freq(), 0, "no stale or zero frequency left to divide by");
	cr_assert_eq(timer_init(24000000), HAL_OK, "the tree's clock-frequency supplies it");
	cr_assert_eq(timer_freq(), 24000000);
	cr_assert_eq(timer_init(1000), HAL_ERR_TIMER_FREQ, "1 kHz from the tree");
	cr_assert_eq(timer_freq(), 0);
	cntfrq = 0xffffffff00000000ULL | 50000000; /* upper half RES0: ignored */
	cr_assert_eq(timer_init(0), HAL_OK);
	cr_assert_eq(timer_freq(), 50000000);
}
