/*
 * The composition root: boot flow of the primary and secondary CPUs, and the
 * kernel's answers to the HAL upcalls (IRQ, fault). It owns the one struct kernel
 * and wires the modules together; the modules themselves get what they need passed
 * in. Tested by the QEMU system tests (tests/system/); everything it calls is unit
 * tested on the host.
 */
#include <libfdt.h>
#include "core/bootargs.h"
#include "core/clock.h"
#include "core/console.h"
#include "core/log.h"
#include "core/panic.h"
#include "core/plan_boot.h"
#include "core/timeq.h"
#include "dt/platform.h"
#include "hal/cpu.h"
#include "hal/esr.h"
#include "hal/exception.h"
#include "hal/gic.h"
#include "hal/mmu.h"
#include "hal/power.h"
#include "hal/psci.h"
#include "hal/rtc.h"
#include "hal/timer.h"
#include "hal/xen.h"

#define DTB_MAX_BYTES (2u << 20) /* arm64 boot protocol: the DTB is at most 2 MiB */
#define CPU_START_TIMEOUT_MS 1000
#ifdef CONFIG_XEN_GUEST
#define XEN_WATCHDOG_S CONFIG_XEN_WATCHDOG_TIMEOUT_S
#else
#define XEN_WATCHDOG_S 0
#endif
#define WATCHDOG_KICKS_PER_TIMEOUT 4

struct kernel {
	uint64_t image_base;
	struct clock clock;
	struct platform plat;
	struct boot_options opts;
	struct console con;
	struct log_sink sink;
	const struct gic_ops *gic;
	struct power power;
	struct xen xen; /* valid when plat.hypervisor.kind == HYP_XEN and Xen is built in */
	struct panic_config panic;
	struct plan_state plan;
	struct {
		struct timeq tq;
		uint32_t online;
		uint32_t entry_el;
		uint32_t in_fault;
	} cpu[CONFIG_MAX_CPUS];
};

static struct kernel kernel;

/* The plan built into the image (CONFIG_PLAN, compiled by dtc, linked by objcopy). */
extern const char _binary_plan_dtb_start[], _binary_plan_dtb_end[];

void boot_primary(uint64_t dtb_pa, uint64_t image_base, uint64_t entry_el);
void boot_secondary(uint64_t cpu, uint64_t entry_el);

static uint64_t sink_now_ns(void *ctx)
{
	const struct kernel *k = ctx;

	return clock_ns_since_boot(&k->clock, timer_now());
}

static void sink_write(void *ctx, const char *line, size_t len)
{
	struct kernel *k = ctx;

	console_write(&k->con, line, len);
}

static unsigned int sink_cpu(void *ctx)
{
	return cpu_index();
}

static void start_log(struct kernel *k, const struct uart_ops *ops, uintptr_t base,
		      enum log_level level)
{
	console_init(&k->con, ops, base, cpu_index);
	k->sink = (struct log_sink){ sink_write, sink_now_ns, sink_cpu, k };
	log_init(&k->sink, level);
}

/* No usable console from the device tree: the Kconfig early PL011, if any. */
static void early_console(struct kernel *k)
{
	struct pa_range r = { pa_init(CONFIG_EARLY_UART_PL011), 0x1000 };
	uintptr_t va;

	if (k->con.ops || CONFIG_EARLY_UART_PL011 == 0 || mmu_map_device(&r, &va) != HAL_OK)
		return;
	start_log(k, &uart_pl011_ops, va, LOG_ERROR);
}

static void fatal_dt(struct kernel *k, const struct dt_diag *d)
{
	early_console(k);
	LOG(LOG_ERROR, "dt", "dt_invalid", LOG_STR("error", dt_strerror(d->err)),
	    LOG_STR("path", d->path), LOG_STR("what", d->what));
	kernel_stop();
}

static void fatal_hal(struct kernel *k, const char *ev, enum hal_err e)
{
	early_console(k);
	LOG(LOG_ERROR, "boot", ev, LOG_STR("error", hal_strerror(e)));
	kernel_stop();
}

static void arm_next(struct kernel *k, unsigned int cpu)
{
	uint64_t next = timeq_next(&k->cpu[cpu].tq);

	if (next == TIMEQ_NONE)
		timer_disarm();
	else
		timer_arm(next);
}

static void shutdown_event(void *ctx, uint64_t now)
{
	struct kernel *k = ctx;

	LOG(LOG_INFO, "boot", "shutdown", LOG_STR("reason", "runtime_ms elapsed"),
	    LOG_U64("uptime_ms", clock_ns_since_boot(&k->clock, now) / 1000000));
	enum hal_err e = k->power.ops->off(k->power.ctx);
	LOG(LOG_ERROR, "boot", "power_off_failed", LOG_STR("power", k->power.ops->name),
	    LOG_STR("error", hal_strerror(e)), LOG_STR("xen_errno", xen_errno_name(k->xen.last_errno)));
	kernel_stop();
}

/* A Xen call failed: which, why in HAL words, and Xen's own errno name. */
static void log_xen_error(const struct kernel *k, const char *ev, enum hal_err e)
{
	LOG(LOG_ERROR, "xen", ev, LOG_STR("error", hal_strerror(e)),
	    LOG_STR("xen_errno", xen_errno_name(k->xen.last_errno)));
}

static void watchdog_kick(void *ctx, uint64_t now);

static void watchdog_schedule(struct kernel *k, uint64_t now)
{
	uint64_t period = k->clock.freq_hz * k->xen.wd.timeout_s / WATCHDOG_KICKS_PER_TIMEOUT;
	enum timeq_err te = timeq_add(&k->cpu[0].tq, now + period, watchdog_kick, k);

	if (te != TIMEQ_OK)
		kernel_panic(timeq_strerror(te));
}

/* Housekeeping on CPU 0: proves to Xen that the kernel still runs its timer events. */
static void watchdog_kick(void *ctx, uint64_t now)
{
	struct kernel *k = ctx;
	enum hal_err e = xen_watchdog_kick(&k->xen);

	if (e != HAL_OK)
		log_xen_error(k, "watchdog_kick_failed", e);
	watchdog_schedule(k, now);
}

/*
 * One power interface, two implementations: Xen's SCHEDOP_shutdown when the device
 * tree says Xen (and this build has it), PSCI otherwise. Under Xen the domain
 * watchdog is armed here; its kicks start with the timer events in boot_primary.
 */
static void setup_power(struct kernel *k)
{
	k->power = (struct power){ &power_psci_ops, NULL };
	if (k->plat.hypervisor.kind != HYP_XEN)
		return;
	if (!IS_ENABLED_XEN_GUEST) {
		LOG(LOG_WARN, "xen", "xen_not_built", LOG_STR("using", "psci"));
		return;
	}
	enum hal_err e = xen_probe(&k->xen, xen_hypercall_hvc);

	if (e != HAL_OK) {
		log_xen_error(k, "xen_probe_failed", e);
		kernel_stop();
	}
	k->power = (struct power){ &power_xen_ops, &k->xen };
	if (XEN_WATCHDOG_S == 0)
		return;
	e = xen_watchdog_arm(&k->xen, XEN_WATCHDOG_S);
	if (e != HAL_OK) {
		log_xen_error(k, "watchdog_arm_failed", e);
		kernel_stop();
	}
	LOG(LOG_INFO, "xen", "watchdog_armed", LOG_U64("id", k->xen.wd.id),
	    LOG_U64("timeout_s", k->xen.wd.timeout_s),
	    LOG_BOOL("kicking", !k->opts.test_no_kick));
}

/*
 * The plan: the initrd if the boot loader handed one (QEMU -initrd, a Xen ramdisk
 * module), else the one built in. A handed plan that is bad is an error, never a reason
 * to fall back. Nothing has started yet: an invalid plan stops the boot here.
 */
static void load_plan(struct kernel *k, uint64_t dtb_pa, size_t dtb_size)
{
	struct plan_boot in = {
		.blob = _binary_plan_dtb_start,
		.size = (size_t)(_binary_plan_dtb_end - _binary_plan_dtb_start),
		.source = "embedded",
		.env = {
			.fdt = (const void *)(uintptr_t)dtb_pa,
			.plat = &k->plat,
			.kernel = { pa_init(k->image_base), mmu_kernel_image_bytes() },
			.dtb = { pa_init(dtb_pa), dtb_size },
		},
	};

	if (k->plat.has_initrd) {
		uintptr_t va;
		enum hal_err e = mmu_map_ro(&k->plat.initrd, &va);

		if (e != HAL_OK)
			fatal_hal(k, "initrd_map_failed", e);
		in.blob = (const void *)va;
		in.size = k->plat.initrd.size;
		in.source = "initrd";
	}
	if (!plan_boot_load(&in, &k->plan))
		kernel_stop();
}

/* Test hook: read the PL031 the platform names (bare metal, or passed through by Xen). */
static void test_rtc(struct kernel *k)
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

/* Put the boot CPU first so logical CPU 0 is always the one we run on. */
static void boot_cpu_first(struct kernel *k)
{
	int idx = platform_cpu_index(&k->plat, cpu_mpidr());

	if (idx < 0) {
		LOG(LOG_ERROR, "boot", "boot_cpu_unknown", LOG_HEX("mpidr", cpu_mpidr()),
		    LOG_U64("max_cpus", CONFIG_MAX_CPUS));
		kernel_stop();
	}
	uint64_t tmp = k->plat.cpu_mpidr[0];
	k->plat.cpu_mpidr[0] = k->plat.cpu_mpidr[idx];
	k->plat.cpu_mpidr[idx] = tmp;
}

static void setup_console(struct kernel *k)
{
	const struct uart_ops *ops =
		k->plat.console.kind == UART_SBSA ? &uart_sbsa_ops : &uart_pl011_ops;
	uintptr_t va;
	enum hal_err e = mmu_map_device(&k->plat.console.regs, &va);

	if (e != HAL_OK)
		fatal_hal(k, "console_map_failed", e);
	start_log(k, ops, va, (enum log_level)CONFIG_LOG_LEVEL);
}

static void apply_bootargs(struct kernel *k)
{
	bootargs_parse(k->plat.bootargs, IS_ENABLED_TEST_HOOKS, &k->opts);
	if (k->opts.has_loglevel)
		log_set_level(k->opts.loglevel);
	for (unsigned int i = 0; i < k->opts.n_problems; i++)
		LOG(LOG_WARN, "boot", "bootarg_ignored", LOG_STR("arg", k->opts.problems[i].word),
		    LOG_STR("why", bootarg_problem_str(k->opts.problems[i].why)),
		    LOG_STR("accepted", k->opts.problems[i].accepted));
	if (k->opts.problems_dropped)
		LOG(LOG_WARN, "boot", "bootarg_ignored", LOG_U64("more", k->opts.problems_dropped));
}

static const struct gic_ops *pick_gic(enum gic_version v)
{
#ifdef CONFIG_GICV2
	if (v == GIC_V2)
		return &gic_v2_ops;
#endif
#ifdef CONFIG_GICV3
	if (v == GIC_V3)
		return &gic_v3_ops;
#endif
	return NULL;
}

static void setup_cpu_irqs(struct kernel *k, unsigned int cpu)
{
	enum hal_err e = k->gic->cpu_init(cpu, cpu_mpidr());

	if (e != HAL_OK)
		fatal_hal(k, "gic_cpu_init_failed", e);
	k->gic->enable_local(k->plat.timer.virt_intid);
	k->gic->enable_local(SGI_STOP);
}

static void cpu_online(struct kernel *k, unsigned int cpu)
{
	__atomic_store_n(&k->cpu[cpu].online, 1, __ATOMIC_RELEASE);
	LOG(LOG_INFO, "smp", "cpu_online", LOG_HEX("mpidr", cpu_mpidr()),
	    LOG_U64("entry_el", k->cpu[cpu].entry_el));
}

static void start_secondaries(struct kernel *k)
{
	unsigned int n = k->plat.n_cpus;

	for (unsigned int i = 1; i < n; i++) {
		enum hal_err e = psci_cpu_on(k->plat.cpu_mpidr[i], cpu_secondary_entry_pa(), i);

		if (e != HAL_OK)
			LOG(LOG_ERROR, "smp", "cpu_start_failed", LOG_U64("target", i),
			    LOG_HEX("mpidr", k->plat.cpu_mpidr[i]), LOG_STR("error", hal_strerror(e)));
	}
	uint64_t deadline = timer_now() + timer_freq() * CPU_START_TIMEOUT_MS / 1000;
	for (unsigned int i = 1; i < n; i++) {
		while (!__atomic_load_n(&k->cpu[i].online, __ATOMIC_ACQUIRE) && timer_now() < deadline)
			;
		if (!__atomic_load_n(&k->cpu[i].online, __ATOMIC_ACQUIRE))
			LOG(LOG_ERROR, "smp", "cpu_start_timeout", LOG_U64("target", i),
			    LOG_HEX("mpidr", k->plat.cpu_mpidr[i]));
	}
}

static void log_platform(const struct kernel *k)
{
	const struct platform *p = &k->plat;
	uint32_t v = psci_version();

	LOG(LOG_INFO, "boot", "platform", LOG_STR("gic", gic_version_name(p->gic.version)),
	    LOG_U64("ram_bytes", platform_ram_bytes(p)), LOG_U64("ram_ranges", p->n_ram),
	    LOG_U64("cpus", p->n_cpus), LOG_U64("cpus_ignored", p->n_cpus_ignored),
	    LOG_STR("hypervisor", hyp_kind_name(p->hypervisor.kind)),
	    LOG_STR("hypervisor_version", k->xen.version_str[0] ? k->xen.version_str : "none"),
	    LOG_STR("power", k->power.ops->name),
	    LOG_STR("console", uart_kind_name(p->console.kind)),
	    LOG_HEX("console_base", pa_addr(p->console.regs.base)),
	    LOG_STR("psci", psci_conduit_name(p->psci.conduit)),
	    LOG_U64("psci_major", v >> 16), LOG_U64("psci_minor", v & 0xffff),
	    LOG_U64("timer_hz", timer_freq()), LOG_HEX("image_base", k->image_base));
	if (p->n_cpus_ignored)
		LOG(LOG_WARN, "boot", "cpus_ignored", LOG_U64("count", p->n_cpus_ignored),
		    LOG_U64("max_cpus", CONFIG_MAX_CPUS));
}

void boot_primary(uint64_t dtb_pa, uint64_t image_base, uint64_t entry_el)
{
	struct kernel *k = &kernel;
	struct dt_diag diag;
	size_t dtb_size = 0;
	enum hal_err e;

	k->image_base = image_base;
	k->cpu[0].entry_el = (uint32_t)entry_el;
	timer_init(0);
	k->clock = (struct clock){ timer_now(), timer_freq() };

	/* MMU off: the header is read with one aligned load before anything is mapped. */
	if (dtb_pa && IS_ALIGNED(dtb_pa, 8))
		dtb_size = fdt_magic((const void *)(uintptr_t)dtb_pa) == FDT_MAGIC
				   ? fdt_totalsize((const void *)(uintptr_t)dtb_pa)
				   : sizeof(struct fdt_header);
	if (dtb_size > DTB_MAX_BYTES)
		dtb_size = DTB_MAX_BYTES;
	e = mmu_init_kernel(pa_init(dtb_pa), dtb_size);
	if (e != HAL_OK)
		fatal_hal(k, "mmu_init_failed", e);

	if (platform_parse(dtb_size ? (const void *)(uintptr_t)dtb_pa : NULL, dtb_size,
			   CONFIG_MAX_CPUS, &k->plat, &diag) != DT_OK)
		fatal_dt(k, &diag);
	setup_console(k);
	apply_bootargs(k);
	boot_cpu_first(k);
	timer_init(k->plat.timer.freq_hz);
	k->clock.freq_hz = timer_freq();

	k->gic = pick_gic(k->plat.gic.version);
	if (!k->gic)
		fatal_hal(k, "gic_not_built", HAL_ERR_UNSUPPORTED);
	e = k->gic->init(&k->plat);
	if (e != HAL_OK)
		fatal_hal(k, "gic_init_failed", e);
	setup_cpu_irqs(k, 0);

	e = psci_init(k->plat.psci.conduit);
	if (e != HAL_OK)
		fatal_hal(k, "psci_init_failed", e);
	setup_power(k);
	k->panic = (struct panic_config){
		.action = k->opts.has_panic ? k->opts.panic
					    : (IS_ENABLED_PANIC_HALT ? PANIC_HALT : PANIC_OFF),
		.gic = k->gic,
		.power = &k->power,
	};
	panic_configure(&k->panic);

	log_platform(k);
	load_plan(k, dtb_pa, dtb_size);
	cpu_online(k, 0);
	start_secondaries(k);
	LOG(LOG_INFO, "boot", "boot_done",
	    LOG_U64("boot_ns", clock_ns_since_boot(&k->clock, timer_now())));

	if (k->opts.test_rtc)
		test_rtc(k);
	if (k->opts.test_fault)
		cpu_fault_on_purpose();
	if (k->opts.runtime_ms) {
		enum timeq_err te = timeq_add(&k->cpu[0].tq,
					      clock_deadline_ms(&k->clock, k->opts.runtime_ms),
					      shutdown_event, k);
		if (te != TIMEQ_OK)
			kernel_panic(timeq_strerror(te));
	}
	if (k->xen.wd.armed && !k->opts.test_no_kick)
		watchdog_schedule(k, timer_now());
	arm_next(k, 0);
	cpu_irq_enable();
	for (;;)
		cpu_idle();
}

void boot_secondary(uint64_t cpu, uint64_t entry_el)
{
	struct kernel *k = &kernel;

	if (cpu >= k->plat.n_cpus || k->plat.cpu_mpidr[cpu] != (cpu_mpidr() & MPIDR_AFF_MASK))
		kernel_panic("secondary CPU started with a context that is not its own");
	k->cpu[cpu].entry_el = (uint32_t)entry_el;
	setup_cpu_irqs(k, (unsigned int)cpu);
	cpu_online(k, (unsigned int)cpu);
	cpu_irq_enable();
	for (;;)
		cpu_idle();
}

void kernel_irq(void)
{
	struct kernel *k = &kernel;
	unsigned int cpu = cpu_index();
	uint32_t intid = k->gic->ack();

	if (intid >= GIC_INTID_SPURIOUS)
		return;
	if (intid == SGI_STOP && panic_in_progress()) {
		k->gic->eoi(intid);
		cpu_park();
	}
	if (intid == k->plat.timer.virt_intid) {
		timer_disarm();
		timeq_run_expired(&k->cpu[cpu].tq, timer_now());
		arm_next(k, cpu);
	} else {
		LOG(LOG_WARN, "irq", "unexpected_irq", LOG_U64("intid", intid));
	}
	k->gic->eoi(intid);
}

void kernel_fault(const struct fault_report *r)
{
	struct kernel *k = &kernel;
	unsigned int cpu = cpu_index();
	struct esr_info i = esr_decode(r->esr);

	/* A fault while reporting a fault: nothing more can be said safely. */
	if (cpu >= CONFIG_MAX_CPUS || __atomic_exchange_n(&k->cpu[cpu].in_fault, 1, __ATOMIC_ACQ_REL))
		cpu_park();
	early_console(k);
	LOG(LOG_ERROR, "exc", "kernel_fault", LOG_STR("vector", exception_kind_name(r->kind)),
	    LOG_STR("class", i.ec_name), LOG_HEX("ec", i.ec), LOG_STR("fault", i.fault),
	    LOG_STR("access", i.access), LOG_HEX("far", r->far), LOG_HEX("elr", r->elr),
	    LOG_HEX("elr_offset", r->elr - k->image_base), LOG_HEX("esr", r->esr),
	    LOG_HEX("spsr", r->spsr));
	kernel_stop();
}
