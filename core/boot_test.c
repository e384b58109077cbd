/*
 * The composition root's test hooks (core/boot.c): boot arguments that make the kernel
 * do one checkable thing at boot for the system tests (their events: docs/log-events.md,
 * "test"). None runs unless its argument is given.
 */
#include <libfdt.h>
#include "core/boot_priv.h"
#include "hal/cpu.h"
#include "hal/mmu.h"
#include "hal/psci.h"
#include "hal/rtc.h"

/* Test hook: read the PL031 the platform names (bare metal, or passed through by Xen). */
void boot_test_rtc(struct kernel *k)
{
	uintptr_t va;
	enum hal_err e;

	if (!k->plat.rtc.present) {
		LOG(LOG_ERROR, "test", "test_rtc", LOG_STR("error", "no arm,pl031 in the device tree"));
		return;
	}
	e = mmu_map_device(&k->plat.rtc.regs, &va);
	if (e != HAL_OK) {
		LOG(LOG_ERROR, "test", "test_rtc", LOG_STR("error", hal_strerror(e)));
		return;
	}
	LOG(LOG_INFO, "test", "test_rtc", LOG_STR("path", k->plat.rtc.path),
	    LOG_HEX("base", pa_addr(k->plat.rtc.regs.base)), LOG_U64("epoch_s", rtc_pl031_read(va)));
}

/* Test hook: the linear map reaches RAM (the DTB's magic through it) but holds no alias
 * of the kernel image: the load after the line faults. */
void boot_test_linear(struct kernel *k, uint64_t dtb_pa)
{
	uintptr_t image = (uintptr_t)phys_to_virt(pa_init(k->image_base));

	LOG(LOG_INFO, "test", "test_linear",
	    LOG_HEX("dtb_magic", fdt_magic(phys_to_virt(pa_init(dtb_pa)))), LOG_HEX("image", image));
	cpu_load_on_purpose(image);
}

/*
 * Test hook: PSCI CPU_ON for two CPUs the tree does not list (the machine has more than
 * the tree: QEMU's next MPIDRs), with context ids no secondary CPU may have (out of
 * range; the boot CPU's). The entry code must park them before the id indexes
 * anything; the boot goes on.
 */
void boot_test_cpu_on_bad_id(struct kernel *k)
{
	static const uint64_t bad_ids[] = { CONFIG_MAX_CPUS + 1, 0 };

	for (unsigned int i = 0; i < ARRAY_SIZE(bad_ids); i++) {
		uint64_t mpidr = k->plat.cpu_mpidr[k->plat.n_cpus - 1] + 1 + i;
		enum hal_err e = psci_cpu_on(mpidr, cpu_secondary_entry_pa(), bad_ids[i]);

		LOG(LOG_INFO, "test", "test_cpu_on_bad_id", LOG_HEX("mpidr", mpidr),
		    LOG_U64("context_id", bad_ids[i]), LOG_STR("result", hal_strerror(e)));
	}
}
