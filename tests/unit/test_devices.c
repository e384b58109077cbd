/*
 * core/devices.c on the host: the demo's devices from the QEMU virt tree become
 * capabilities, Device windows at BH_DEVICE_VA (never executable) and named entries of
 * the info page; an interrupt is held until irq_wait takes it, or wakes the cell that
 * waits (before its limit only); an SPI belongs to one device only.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/plan_arena.h"
#include "core/devices.h"
#include "fixture.h"

static struct plan plan;
static void *fdt;
static void *parts_mem;

static uint64_t host_to_pa(const void *t) { return (uint64_t)(uintptr_t)t; }
static uint64_t *host_to_va(uint64_t pa) { return (uint64_t *)(uintptr_t)pa; }

static void setup(void)
{
	size_t len;
	void *blob = fixture_load("../plans/demo.dtb", &len);
	static struct plan_report rep;

	plan_report_init(&rep);
	cr_assert_eq(plan_parse(blob, len, &plan, test_arena(), &rep), PLAN_OK);
	cr_assert_eq(plan_check(&plan, NULL, 0, &rep), PLAN_OK);
	free(blob);
	fdt = fixture_load("qemu-virt-gicv3-4cpu.dtb", &len);
	parts_mem = calloc(1, devices_mem_bytes(plan.n_part));
	cr_assert(parts_mem);
	devices_init(parts_mem, plan.n_part);
}

static void teardown(void)
{
	free(fdt);
	free(parts_mem);
}

TestSuite(devices, .init = setup, .fini = teardown);

/* Loads partition name with a fresh table, in exactly the slots the plan grants it
 * (as the channel block reserves them; ASan sees a write beyond); returns its index. */
static unsigned int load(const char *name, struct pt_pool *pool, uint64_t **root,
			 struct bh_info *info, enum dev_err want)
{
	int i = plan_find_partition(&plan, name);
	enum cap_err ce;
	size_t n;

	cr_assert_geq(i, 0);
	n = cap_plan_grants(&plan, (unsigned int)i, NULL, 0);
	cr_assert_eq(pt_init(pool, root), HAL_OK);
	memset(info, 0, sizeof(*info));
	/* Static: the table lives on in devices.c for the rest of the test (each test runs
	 * in a process of its own). */
	static struct cap_entry slot_mem[256];
	static size_t slots_used;
	struct cap_entry *slots = &slot_mem[slots_used];

	cr_assert_leq(slots_used + n, sizeof(slot_mem) / sizeof(slot_mem[0]));
	slots_used += n;

	cr_assert_eq(devices_load(&plan, (unsigned int)i, fdt, slots, n, pool, *root, info, &ce),
		     want, "%s: %s", name, cap_strerror(ce));
	return (unsigned int)i;
}

static struct pt_pool make_pool(void)
{
	pt_page_t *pages = aligned_alloc(4096, 16 * sizeof(pt_page_t));

	cr_assert_not_null(pages);
	return (struct pt_pool){ pages, 16, 0, host_to_pa, host_to_va };
}

Test(devices, the_rtc_is_mapped_named_and_described)
{
	struct pt_pool pool = make_pool();
	static struct bh_info info;
	uint64_t *root;
	unsigned int s = load("sensors", &pool, &root, &info, DEV_OK);
	struct bh_device_info d = { 0 };
	struct uaccess_page pg;
	uint32_t intid;
	int level;

	/* Slot 0: the RTC; slot 1: the telemetry port it sends on. */
	cr_assert_eq(info.n_caps, 2);
	cr_assert_str_eq(info.cap[0].name, "pl031@9010000");
	cr_assert_eq(info.cap[0].kind, BH_CAP_KIND_DEVICE);
	cr_assert_eq(info.cap[0].handle, cap_handle_of(devices_caps(s), 0));
	cr_assert_str_eq(info.cap[1].name, "telemetry");
	cr_assert_eq(info.cap[1].kind, BH_CAP_KIND_PORT);
	devices_info(s, 0, &d);
	cr_assert_eq(d.va, BH_DEVICE_VA);
	cr_assert_eq(d.bytes, 0x1000);
	cr_assert_eq(d.n_irq, 1);
	cr_assert_eq(d.irq[0], 34);
	cr_assert(devices_irq_at(s, 0, &intid));
	cr_assert_eq(intid, 34);
	cr_assert_not(devices_irq_at(s, 1, &intid));

	uint64_t desc = pt_lookup(&pool, root, BH_DEVICE_VA + 0x10, &level);

	cr_assert_eq(level, 3);
	cr_assert_eq(desc & PT_DESC_ADDR_MASK, 0x9010000);
	cr_assert(desc & PT_DESC_UXN, "never executable at EL0");
	cr_assert(desc & PT_DESC_PXN);
	cr_assert(desc & PT_DESC_AP_EL0);
	cr_assert_eq(pt_lookup(&pool, root, BH_DEVICE_VA + 0x1000, &level), 0, "only its page");
	cr_assert(devices_lookup(s, BH_DEVICE_VA + 0x1c, &pg));
	cr_assert(pg.flags & UACCESS_DEVICE, "the checked copies refuse it");
	cr_assert_not(devices_lookup(s, BH_DEVICE_VA + 0x1000, &pg));
	free(pool.pages);
}

Test(devices, an_interrupt_is_held_or_wakes_its_waiter)
{
	struct pt_pool pool = make_pool();
	static struct bh_info info;
	uint64_t *root;
	unsigned int s = load("sensors", &pool, &root, &info, DEV_OK), part;
	int32_t cell;

	/* Nobody waits: held, and the next irq_wait takes it at once (once). */
	cr_assert(devices_irq_fired(34, 100, &part, &cell));
	cr_assert_eq(part, s);
	cr_assert_eq(cell, -1);
	cr_assert_eq(devices_irq_take(s, 0, 0, 200, 1000), DEV_TAKEN);
	/* Now cell 1 waits until 500: an interrupt at 400 wakes it and is consumed. */
	cr_assert_eq(devices_irq_take(s, 0, 1, 300, 500), DEV_WAITING);
	cr_assert(devices_irq_fired(34, 400, &part, &cell));
	cr_assert_eq(cell, 1);
	cr_assert_eq(devices_irq_take(s, 0, 1, 450, 900), DEV_WAITING, "consumed by the wake-up");
	/* One at 900, the waiter's limit: it timed out, so the interrupt is held. */
	cr_assert(devices_irq_fired(34, 900, &part, &cell));
	cr_assert_eq(cell, -1);
	cr_assert_eq(devices_irq_take(s, 0, 1, 1000, 2000), DEV_TAKEN);
	/* Interrupts no partition owns. */
	cr_assert_not(devices_irq_fired(33, 100, &part, &cell), "the console's SPI");
	cr_assert_not(devices_irq_fired(27, 100, &part, &cell), "a PPI");
	cr_assert_not(devices_irq_fired(5000, 100, &part, &cell));
	free(pool.pages);
}

Test(devices, an_spi_belongs_to_one_device)
{
	struct pt_pool pool = make_pool();
	static struct bh_info info;
	uint64_t *root;
	int a = plan_find_partition(&plan, "actuators");

	(void)load("sensors", &pool, &root, &info, DEV_OK);
	strcpy(plan.part[a].devices[0], "pl031@9010000"); /* the RTC again (its SPI too) */
	(void)load("actuators", &pool, &root, &info, DEV_ERR_IRQ);
	free(pool.pages);
}

Test(devices, a_partition_without_devices_has_none)
{
	struct pt_pool pool = make_pool();
	static struct bh_info info;
	uint64_t *root;
	unsigned int l = load("logger", &pool, &root, &info, DEV_OK);
	struct uaccess_page pg;
	int level;

	cr_assert_eq(info.n_caps, 2, "its two ports");
	cr_assert_eq(info.cap[0].kind, BH_CAP_KIND_PORT);
	cr_assert_not(devices_lookup(l, BH_DEVICE_VA, &pg));
	cr_assert_eq(pt_lookup(&pool, root, BH_DEVICE_VA, &level), 0);
	free(pool.pages);
}

Test(devices, the_table_needs_the_slots_the_plan_grants)
{
	struct pt_pool pool = make_pool();
	static struct bh_info info;
	static struct cap_entry slots[1];
	uint64_t *root;
	enum cap_err ce;
	int i = plan_find_partition(&plan, "sensors");

	cr_assert_eq(cap_plan_grants(&plan, (unsigned int)i, NULL, 0), 2);
	cr_assert_eq(pt_init(&pool, &root), HAL_OK);
	cr_assert_eq(devices_load(&plan, (unsigned int)i, fdt, slots, 1, &pool, root, &info, &ce),
		     DEV_ERR_MEMORY);
	cr_assert_eq(devices_load(&plan, (unsigned int)i, fdt, NULL, 2, &pool, root, &info, &ce),
		     DEV_ERR_MEMORY);
	free(pool.pages);
}

/* A partition restart: whatever the kernel held of its interrupts is gone, and a cell
 * that waited is no longer woken (its context is fresh: the wake would write x0). */
Test(devices, a_restart_forgets_pending_interrupts_and_waiters)
{
	struct pt_pool pool = make_pool();
	static struct bh_info info;
	uint64_t *root;
	unsigned int s = load("sensors", &pool, &root, &info, DEV_OK), part;
	int32_t cell;

	cr_assert(devices_irq_fired(34, 100, &part, &cell));
	cr_assert_eq(cell, -1, "held");
	cr_assert_eq(devices_quiesce(s), 1, "one line to mask and clear");
	cr_assert_eq(devices_irq_take(s, 0, 0, 150, 1000), DEV_WAITING, "nothing pending after the restart");
	/* cell 0 now waits until 1000; a restart, then the interrupt: nobody is woken. */
	cr_assert_eq(devices_quiesce(s), 1);
	cr_assert(devices_irq_fired(34, 200, &part, &cell));
	cr_assert_eq(cell, -1, "the waiter went with the restart");
	cr_assert_eq(devices_irq_take(s, 0, 0, 300, 2000), DEV_TAKEN, "held for the restarted driver");
	cr_assert_eq(devices_quiesce(plan_find_partition(&plan, "logger")), 0, "no devices");
	free(pool.pages);
}

Test(devices, a_cell_restart_forgets_that_cells_wait_only)
{
	struct pt_pool pool = make_pool();
	static struct bh_info info;
	uint64_t *root;
	unsigned int s = load("sensors", &pool, &root, &info, DEV_OK), part;
	int32_t cell;

	cr_assert_eq(devices_irq_take(s, 0, 1, 0, 1000), DEV_WAITING);
	devices_cell_reset(s, 0);
	cr_assert(devices_irq_fired(34, 100, &part, &cell));
	cr_assert_eq(cell, 1, "another cell's restart leaves the wait");
	cr_assert_eq(devices_irq_take(s, 0, 1, 150, 1000), DEV_WAITING);
	devices_cell_reset(s, 1);
	cr_assert(devices_irq_fired(34, 200, &part, &cell));
	cr_assert_eq(cell, -1, "the restarted cell is not woken");
	cr_assert_eq(devices_irq_take(s, 0, 1, 300, 2000), DEV_TAKEN, "the interrupt is held instead");
	free(pool.pages);
}

/* One waiter per device: while one cell's wait runs, another cell's irq_wait is told
 * not-available (DEV_BUSY) and the first stays the waiter; once the first's limit has
 * passed, or it was woken, the other may wait. A look (limit now) never takes the
 * waiter's place. */
Test(devices, one_cell_waits_on_a_device_at_a_time)
{
	struct pt_pool pool = make_pool();
	static struct bh_info info;
	uint64_t *root;
	unsigned int s = load("sensors", &pool, &root, &info, DEV_OK), part;
	int32_t cell;

	cr_assert_eq(devices_irq_take(s, 0, 0, 100, 500), DEV_WAITING);
	cr_assert_eq(devices_irq_take(s, 0, 1, 200, 900), DEV_BUSY);
	cr_assert_eq(devices_irq_take(s, 0, 1, 200, 200), DEV_BUSY, "a look too");
	cr_assert_eq(devices_irq_take(s, 0, 0, 300, 600), DEV_WAITING, "the waiter itself may wait again");
	cr_assert(devices_irq_fired(34, 400, &part, &cell));
	cr_assert_eq(cell, 0, "the first cell is still the waiter");
	cr_assert_eq(devices_irq_take(s, 0, 1, 450, 450), DEV_WAITING, "woken: free again; a look");
	cr_assert(devices_irq_fired(34, 460, &part, &cell));
	cr_assert_eq(cell, -1, "a look does not wait");
	cr_assert_eq(devices_irq_take(s, 0, 1, 470, 800), DEV_TAKEN);
	cr_assert_eq(devices_irq_take(s, 0, 1, 480, 800), DEV_WAITING);
	cr_assert_eq(devices_irq_take(s, 0, 0, 800, 1000), DEV_WAITING, "cell 1's limit passed");
	free(pool.pages);
}
