/*
 * The composition root: boot flow of the primary and secondary CPUs, and the
 * kernel's answers to the HAL upcalls (IRQ, fault). It owns the one struct kernel
 * and wires the modules together; the modules themselves get what they need passed
 * in. Tested by the QEMU system tests (tests/system/); everything it calls is unit
 * tested on the host.
 */
#include <libfdt.h>
#include "core/boot_checks.h"
#include "core/bootargs.h"
#include "core/clock.h"
#include "core/config_id.h"
#include "core/images.h"
#include "core/console.h"
#include "core/initrd.h"
#include "core/log.h"
#include "core/panic.h"
#include "core/plan_boot.h"
#include "core/run.h"
#include "core/smp.h"
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
/*
 * How long the boot CPU waits for a started CPU to report in. The counter runs in real
 * time (under QEMU's TCG it follows the host's wall clock), and on a loaded host a new
 * vCPU's thread may not run for a long while: a tight bound would refuse a healthy
 * machine, and a plan that uses the CPU makes that a stop. So the bound is generous; it
 * only costs boot time when a CPU accepted CPU_ON and then never arrived, which is
 * already a broken machine. No bound counted in instructions would help: it is the
 * other CPU's progress that is awaited, not ours.
 */
#define CPU_START_TIMEOUT_MS 10000
#include "core/boot_priv.h"

struct kernel kernel;

/* The plan built into the image (CONFIG_PLAN, compiled by dtc, linked by objcopy). */
extern const char _binary_plan_dtb_start[], _binary_plan_dtb_end[];

void boot_primary(uint64_t dtb_pa, uint64_t image_base, uint64_t entry_el);
void boot_secondary(uint64_t slot, uint64_t entry_el);

/* This CPU's number (core/smp.h): the entry code's slot, mapped back. */
static unsigned int this_cpu(void)
{
	return smp_slot(kernel.boot_cpu, cpu_index());
}

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
	return this_cpu();
}

static void start_log(struct kernel *k, const struct uart_ops *ops, uintptr_t base,
		      enum log_level level)
{
	console_init(&k->con, ops, base, this_cpu);
	k->sink = (struct log_sink){ sink_write, sink_now_ns, sink_cpu, k, boot_log_drain, boot_log_flush };
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

/*
 * Every stop that can come before the full panic policy goes through here. The early
 * policy is read only then, at the first such stop, so a healthy boot never pays for
 * reading the tree twice; before the DTB is mapped only Kconfig's policy is known.
 */
__noreturn void boot_stop(struct kernel *k)
{
	if (!k->panic_set) {
		k->panic_set = true; /* once: a fault while reading the tree stops as is */
		boot_early_panic(k->dtb, k->dtb_size, &k->opts, &k->power, &k->panic);
		panic_configure(&k->panic);
	}
	kernel_stop();
}

static void fatal_dt(struct kernel *k, const struct dt_diag *d)
{
	early_console(k);
	LOG(LOG_ERROR, "dt", "dt_invalid", LOG_STR("error", dt_strerror(d->err)),
	    LOG_STR("path", d->path), LOG_STR("what", d->what));
	boot_stop(k);
}

static void fatal_hal(struct kernel *k, const char *ev, enum hal_err e)
{
	early_console(k);
	LOG(LOG_ERROR, "boot", ev, LOG_STR("error", hal_strerror(e)));
	boot_stop(k);
}

static void kernel_irq_acked(struct gic_ack a);

static void arm_next(struct kernel *k, unsigned int cpu)
{
	uint64_t next = timeq_next(&k->cpu[cpu].tq), sched = run_timer_deadline(cpu, next);

	if (sched < next)
		next = sched;

	if (next == TIMEQ_NONE)
		timer_disarm();
	else
		timer_arm(next);
}

/*
 * The initrd must be RAM that nothing else uses before it is mapped as normal memory
 * and hashed: a range over devices, the kernel, the DTB or reserved memory is refused.
 */
static void check_initrd(const struct kernel *k, const struct plan_env *env)
{
	const struct initrd_env ie = { &k->plat, env->kernel, env->dtb };
	struct pa_range clash;
	enum initrd_err e = initrd_check(&k->plat.initrd, &ie, &clash);

	if (e == INITRD_OK)
		return;
	LOG(LOG_ERROR, "boot", "initrd_invalid", LOG_STR("error", initrd_strerror(e)),
	    LOG_HEX("start", pa_addr(k->plat.initrd.base)),
	    LOG_HEX("end", pa_addr(k->plat.initrd.base) + k->plat.initrd.size),
	    LOG_HEX("clash_start", pa_addr(clash.base)),
	    LOG_HEX("clash_end", pa_addr(clash.base) + clash.size));
	kernel_stop();
}

/*
 * The plan: the initrd if the boot loader handed one (QEMU -initrd, a Xen ramdisk
 * module), else the one built in. A handed plan that is bad is an error, never a reason
 * to fall back. Nothing has started yet: an invalid plan stops the boot here.
 */
/* The system that runs: the plan and every image it started (core/config_id.h). The
 * images' digests are the build's, which partition_load checked against their bytes. */
static void log_config_id(const struct plan_state *ps)
{
	struct config_id c;
	char id[SHA256_HEX];

	config_id_begin(&c, ps->sha256);
	for (unsigned int i = 0; i < ps->plan.n_part; i++)
		config_id_add(&c, image_find(ps->plan.part[i].image)->sha256);
	config_id_end(&c, id);
	LOG(LOG_INFO, "boot", "config_id", LOG_STR("sha256", id), LOG_STR("plan_sha256", ps->sha256),
	    LOG_U64("images", ps->plan.n_part));
}

/*
 * The plan's tables (dt/plan.h, struct plan_arena), sized by the plan's counts, from
 * the top of the largest block of free RAM (plan_tables_ram): the platform rules then
 * count that RAM as taken, so no partition and no channel is placed over it. A block too
 * small is handed over as it is: plan_parse refuses the plan with both sizes.
 */
static void take_plan_tables(struct kernel *k, struct plan_boot *in)
{
	uint64_t need = plan_arena_bytes(in->blob, in->size, NULL);
	struct pa_range r;

	(void)plan_tables_ram(&in->env, need, &r);
	in->env.tables = r;
	k->plan.arena = (struct plan_arena){ r.size ? phys_to_virt(r.base) : NULL, r.size, 0 };
}

static void load_plan(struct kernel *k, uint64_t dtb_pa, size_t dtb_size)
{
	struct plan_boot in = {
		.blob = _binary_plan_dtb_start,
		.size = (size_t)(_binary_plan_dtb_end - _binary_plan_dtb_start),
		.source = "embedded",
		.env = {
			.fdt = k->dtb,
			.plat = &k->plat,
			.kernel = { pa_init(k->image_base), mmu_kernel_image_bytes() },
			.dtb = { pa_init(dtb_pa), dtb_size },
		},
	};

	if (k->plat.has_initrd) {
		uintptr_t va;
		enum hal_err e;

		check_initrd(k, &in.env);
		e = mmu_map_ro(&k->plat.initrd, &va);
		if (e != HAL_OK)
			fatal_hal(k, "initrd_map_failed", e);
		in.blob = (const void *)va;
		in.size = k->plat.initrd.size;
		in.source = "initrd";
	}
	take_plan_tables(k, &in);
	if (!plan_boot_load(&in, &k->plan))
		kernel_stop();
}

static void rearm_this(unsigned int cpu)
{
	arm_next(&kernel, cpu);
}

/*
 * The boot CPU keeps its number in /cpus order (core/smp.h): it finds it from its
 * MPIDR, and nothing is renumbered.
 */
static void find_boot_cpu(struct kernel *k, uint32_t entry_el)
{
	int idx = platform_cpu_index(&k->plat, cpu_mpidr());

	if (idx < 0) {
		LOG(LOG_ERROR, "boot", "boot_cpu_unknown", LOG_HEX("mpidr", cpu_mpidr()),
		    LOG_U64("max_cpus", CONFIG_MAX_CPUS));
		boot_stop(k);
	}
	k->boot_cpu = (unsigned int)idx;
	k->cpu[idx].entry_el = entry_el;
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

static void setup_cpu_irqs(struct kernel *k)
{
	/* The GIC driver keys its per-CPU state by the HAL's cpu_index() (the slot). */
	enum hal_err e = k->gic->cpu_init(cpu_index(), cpu_mpidr());

	if (e != HAL_OK)
		fatal_hal(k, "gic_cpu_init_failed", e);
	k->gic->enable_local(k->plat.timer.virt_intid);
	k->gic->enable_local(SGI_STOP);
	k->gic->enable_local(RUN_SGI_WAKE);
}

static void cpu_online(struct kernel *k, unsigned int cpu)
{
	/* Logged before it is published: once the boot CPU sees it online, the line is out
	 * (a stop right after boot must not cut a CPU's report). */
	LOG(LOG_INFO, "smp", "cpu_online", LOG_HEX("mpidr", cpu_mpidr()),
	    LOG_U64("entry_el", k->cpu[cpu].entry_el));
	__atomic_store_n(&k->cpu[cpu].online, 1, __ATOMIC_RELEASE);
}

/* A secondary CPU that did not come up: an error and a stop if the plan uses it,
 * else a warning (the plan was checked against every CPU it names). */
static bool start_problem(const struct kernel *k, unsigned int cpu, uint64_t plan_cpus,
			  const char *ev, const char *why)
{
	bool fatal = smp_start_is_fatal(k->cpu[cpu].start, plan_cpus, cpu);

	LOG(fatal ? LOG_ERROR : LOG_WARN, "smp", ev, LOG_U64("target", cpu),
	    LOG_HEX("mpidr", k->plat.cpu_mpidr[cpu]), LOG_STR("error", why),
	    LOG_BOOL("plan_uses", fatal));
	return fatal;
}

/* Waits (bounded) for every CPU whose CPU_ON was accepted; never for one refused. */
static void wait_for_secondaries(struct kernel *k)
{
	uint64_t deadline = timer_now() + timer_freq() * CPU_START_TIMEOUT_MS / 1000;

	for (unsigned int i = 0; i < k->plat.n_cpus; i++) {
		if (k->cpu[i].start != SMP_START_PENDING)
			continue;
		while (!__atomic_load_n(&k->cpu[i].online, __ATOMIC_ACQUIRE) && timer_now() < deadline)
			;
		k->cpu[i].start = __atomic_load_n(&k->cpu[i].online, __ATOMIC_ACQUIRE)
					  ? SMP_START_ONLINE
					  : SMP_START_TIMEOUT;
	}
}

/*
 * Every CPU of the tree but this one, started with PSCI CPU_ON (context id: its slot).
 * All are started and awaited before any verdict, so a stop finds every CPU that did
 * come up able to take the stop SGI.
 */
static void start_secondaries(struct kernel *k)
{
	uint64_t plan_cpus = smp_plan_cpus(&k->plan.plan);
	bool fatal = false;

	for (unsigned int i = 0; i < k->plat.n_cpus; i++) {
		if (i == k->boot_cpu)
			continue;
		enum hal_err e = psci_cpu_on(k->plat.cpu_mpidr[i], cpu_secondary_entry_pa(),
					     smp_slot(k->boot_cpu, i));

		k->cpu[i].start = e == HAL_OK ? SMP_START_PENDING : SMP_START_FAILED;
		if (e != HAL_OK)
			fatal |= start_problem(k, i, plan_cpus, "cpu_start_failed", hal_strerror(e));
	}
	wait_for_secondaries(k);
	for (unsigned int i = 0; i < k->plat.n_cpus; i++)
		if (k->cpu[i].start == SMP_START_TIMEOUT)
			fatal |= start_problem(k, i, plan_cpus, "cpu_start_timeout",
					       "did not report in within the start timeout");
	if (fatal)
		kernel_stop();
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
	    LOG_U64("timer_hz", timer_freq()), LOG_HEX("image_base", k->image_base),
	    LOG_BOOL("pan", mmu_pan_enabled()));
	if (p->n_cpus_ignored)
		LOG(LOG_WARN, "boot", "cpus_ignored", LOG_U64("count", p->n_cpus_ignored),
		    LOG_U64("max_cpus", CONFIG_MAX_CPUS));
}

/*
 * The DTB, mapped read-only (the MMU is on from the first instruction of C): its header
 * first, then as many bytes as it says, at most DTB_MAX_BYTES. *size = 0 and NULL if
 * there is none or it is misaligned; a header without the magic is handed on as it is,
 * for platform_parse to say what is wrong.
 */
static const void *map_dtb(struct kernel *k, uint64_t dtb_pa, size_t *size)
{
	struct pa_range r = { pa_init(dtb_pa), sizeof(struct fdt_header) };
	uintptr_t va;
	enum hal_err e;

	*size = 0;
	if (!dtb_pa || !IS_ALIGNED(dtb_pa, 8))
		return NULL;
	e = mmu_map_ro(&r, &va);
	if (e == HAL_OK && fdt_magic((const void *)va) == FDT_MAGIC) {
		r.size = fdt_totalsize((const void *)va);
		if (r.size > DTB_MAX_BYTES)
			r.size = DTB_MAX_BYTES;
		if (r.size > sizeof(struct fdt_header))
			e = mmu_map_ro(&r, &va);
	}
	if (e != HAL_OK)
		fatal_hal(k, "dtb_map_failed", e);
	*size = r.size;
	return (const void *)va;
}

void boot_primary(uint64_t dtb_pa, uint64_t image_base, uint64_t entry_el)
{
	struct kernel *k = &kernel;
	struct dt_diag diag;
	size_t dtb_size = 0;
	enum hal_err e;

	k->image_base = image_base;
	k->clock = (struct clock){ timer_now(), 0 }; /* ts 0 until a frequency is known */
	/* CNTFRQ_EL0 dates the first lines; the DT's clock-frequency may still supply it. */
	if (timer_init(0) == HAL_OK)
		k->clock.freq_hz = timer_freq();

	k->dtb = map_dtb(k, dtb_pa, &dtb_size);
	k->dtb_size = dtb_size;
	if (platform_parse(k->dtb, dtb_size, CONFIG_MAX_CPUS, &k->plat, &diag) != DT_OK)
		fatal_dt(k, &diag);
	e = mmu_map_linear(k->plat.ram, k->plat.n_ram, k->plat.reserved, k->plat.n_reserved);
	if (e != HAL_OK)
		fatal_hal(k, "linear_map_failed", e);
	setup_console(k);
	apply_bootargs(k);
	find_boot_cpu(k, (uint32_t)entry_el);
	e = timer_init(k->plat.timer.freq_hz);
	if (e != HAL_OK)
		fatal_hal(k, "timer_init_failed", e);
	k->clock.freq_hz = timer_freq();
	if (k->opts.test_uart_ns) /* set only with CONFIG_TEST_HOOKS */
		console_set_slow(&k->con, timer_now,
				 (timer_freq() * k->opts.test_uart_ns + 999999999ULL) / 1000000000ULL);

	k->gic = pick_gic(k->plat.gic.version);
	if (!k->gic)
		fatal_hal(k, "gic_not_built", HAL_ERR_UNSUPPORTED);
	e = k->gic->init(&k->plat);
	if (e != HAL_OK)
		fatal_hal(k, "gic_init_failed", e);
	setup_cpu_irqs(k);

	e = psci_init(k->plat.psci.conduit);
	if (e != HAL_OK)
		fatal_hal(k, "psci_init_failed", e);
	boot_setup_power(k);
	k->panic = (struct panic_config){
		.action = k->opts.has_panic ? k->opts.panic
					    : (IS_ENABLED_PANIC_HALT ? PANIC_HALT : PANIC_OFF),
		.gic = k->gic,
		.power = &k->power,
	};
	k->panic_set = true;
	panic_configure(&k->panic);

	log_platform(k);
	if (!boot_timer_irq_arrives(k->gic, k->plat.timer.virt_intid))
		kernel_stop();
	load_plan(k, dtb_pa, dtb_size);
	const struct run_hooks hooks = {
		.rearm = rearm_this, .fdt = k->dtb, .gic = k->gic, .system_action = boot_system_action,
		.gic_clear_pending = k->plat.hypervisor.kind != HYP_XEN,
		.loaded_one = boot_watchdog_kick_loading, .asids = k->opts.test_asids,
		.timer_intid = k->plat.timer.virt_intid, .irq = kernel_irq_acked,
		.fastwin = k->gic == &gic_v3_ops && !k->opts.no_fastwin,
	};
	if (!run_load(&k->plan.plan, &k->plan.map, &k->clock, &hooks))
		kernel_stop();
	log_config_id(&k->plan);
	cpu_online(k, k->boot_cpu);
	start_secondaries(k);
	boot_log_rings(k); /* from here on no line is written on its CPU's path */
	if (!run_start(timer_now()))
		kernel_stop();
	LOG(LOG_INFO, "boot", "boot_done",
	    LOG_U64("boot_ns", clock_ns_since_boot(&k->clock, timer_now())));

	if (k->opts.test_rtc)
		boot_test_rtc(k);
	if (k->opts.test_fault)
		cpu_fault_on_purpose();
	if (k->opts.test_stack_overflow)
		cpu_overflow_stack_on_purpose();
	if (k->opts.test_linear)
		boot_test_linear(k, dtb_pa);
	if (k->opts.test_identity)
		cpu_load_on_purpose((uintptr_t)k->image_base);
	if (k->opts.test_cpu_on_bad_id)
		boot_test_cpu_on_bad_id(k);
	if (k->opts.runtime_ms) {
		enum timeq_err te = timeq_add(&k->cpu[k->boot_cpu].tq,
					      clock_deadline_ms(&k->clock, k->opts.runtime_ms),
					      boot_shutdown_event, k);
		if (te != TIMEQ_OK)
			kernel_panic(timeq_strerror(te));
	}
	if (k->xen.wd.armed && !k->opts.test_no_kick)
		boot_watchdog_schedule(k, timer_now());
	arm_next(k, k->boot_cpu);
	run_cpu_enter(k->boot_cpu);
}

/* slot: the PSCI context id start_secondaries gave this CPU. */
void boot_secondary(uint64_t slot, uint64_t entry_el)
{
	struct kernel *k = &kernel;
	unsigned int cpu = slot < CONFIG_MAX_CPUS ? smp_slot(k->boot_cpu, (unsigned int)slot)
						  : CONFIG_MAX_CPUS;

	if (cpu >= k->plat.n_cpus || k->plat.cpu_mpidr[cpu] != (cpu_mpidr() & MPIDR_AFF_MASK))
		kernel_panic("secondary CPU started with a context that is not its own");
	k->cpu[cpu].entry_el = (uint32_t)entry_el;
	setup_cpu_irqs(k);
	cpu_online(k, cpu);
	run_cpu_enter(cpu);
}

void kernel_irq(void)
{
	kernel_irq_acked(kernel.gic->ack());
}

static void kernel_irq_acked(struct gic_ack a)
{
	struct kernel *k = &kernel;
	unsigned int cpu = this_cpu();
	uint32_t intid = a.intid;

	if (intid >= GIC_INTID_SPURIOUS)
		return;
	if (intid == SGI_STOP && (panic_in_progress() || __atomic_load_n(&k->stopping, __ATOMIC_ACQUIRE))) {
		k->gic->eoi(a);
		__atomic_add_fetch(&k->parked, 1, __ATOMIC_ACQ_REL);
		cpu_park();
	}
	if (intid == k->plat.timer.virt_intid) {
		timer_disarm();
		timeq_run_expired(&k->cpu[cpu].tq, timer_now());
		run_on_timer(cpu, timer_now());
		arm_next(k, cpu);
	} else if (intid == RUN_SGI_WAKE) {
		run_on_wake_sgi(cpu);
	} else if (!run_on_device_irq(cpu, intid)) {
		LOG(LOG_WARN, "irq", "unexpected_irq", LOG_U64("intid", intid));
	}
	k->gic->eoi(a);
}

void kernel_fault(const struct fault_report *r)
{
	struct kernel *k = &kernel;
	unsigned int cpu = this_cpu();
	struct esr_info i = esr_decode(r->esr);

	/* A fault while reporting a fault: nothing more can be said safely. */
	if (cpu >= CONFIG_MAX_CPUS || __atomic_exchange_n(&k->cpu[cpu].in_fault, 1, __ATOMIC_ACQ_REL))
		cpu_park();
	early_console(k);
	log_sync();
	LOG(LOG_ERROR, "exc", "kernel_fault", LOG_STR("vector", exception_kind_name(r->kind)),
	    LOG_STR("class", i.ec_name), LOG_HEX("ec", i.ec), LOG_STR("fault", i.fault),
	    LOG_STR("access", i.access), LOG_HEX("far", r->far), LOG_HEX("elr", r->elr),
	    LOG_HEX("elr_offset", r->elr - KERNEL_IMAGE_VA), LOG_HEX("esr", r->esr),
	    LOG_HEX("spsr", r->spsr), LOG_HEX("sp", r->sp),
	    LOG_BOOL("stack_overflow", r->stack_overflow));
	boot_stop(k);
}

