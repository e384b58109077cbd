/*
 * The composition root's power side (core/boot.c): the one power interface (PSCI, or
 * Xen's SCHEDOP_shutdown), the runtime_ms shutdown and the health monitor's system
 * action through it, and Xen's domain watchdog, armed at boot and kicked from the boot
 * CPU's timer queue.
 */
#include "core/boot_priv.h"
#include "core/run.h"
#include "hal/cpu.h"
#include "hal/timer.h"

/* How long the shutdown waits for the other CPUs to park (a vCPU its hypervisor does not
 * run may take long to take the SGI: it is then left running). */
#define STOP_OTHERS_MS 100

/*
 * At shutdown the other CPUs park before the statistics are read, so that what
 * run_shutdown reports is final: a partition still running on another CPU would go on
 * sending and receiving after its channel's counters were printed.
 */
static void stop_others(struct kernel *k)
{
	uint32_t want = 0;
	uint64_t until = timer_now() + timer_freq() / 1000 * STOP_OTHERS_MS;

	for (unsigned int c = 0; c < CONFIG_MAX_CPUS; c++)
		want += c != k->boot_cpu && /* the event is the boot CPU's timer queue's */
			__atomic_load_n(&k->cpu[c].online, __ATOMIC_ACQUIRE);
	__atomic_store_n(&k->stopping, 1, __ATOMIC_RELEASE);
	k->gic->sgi_others(SGI_STOP);
	while (__atomic_load_n(&k->parked, __ATOMIC_ACQUIRE) < want && timer_now() < until)
		;
}

void boot_shutdown_event(void *ctx, uint64_t now)
{
	struct kernel *k = ctx;

	stop_others(k);
	log_sync(); /* the lines still in rings, then every line at once: QEMU stops at power-off */
	run_shutdown();
	LOG(LOG_INFO, "boot", "shutdown", LOG_STR("reason", "runtime_ms elapsed"),
	    LOG_U64("uptime_ms", clock_ns_since_boot(&k->clock, now) / 1000000));
	console_hold(&k->con); /* no other CPU starts a line the power-off would cut */
	enum hal_err e = k->power.ops->off(k->power.ctx);
	LOG(LOG_ERROR, "boot", "power_off_failed", LOG_STR("power", k->power.ops->name),
	    LOG_STR("error", hal_strerror(e)), LOG_STR("xen_errno", xen_errno_name(k->xen.last_errno)),
	    LOG_STR("watchdog_stop", hal_strerror(k->xen.wd.stop_err)));
	kernel_stop();
}


/* The health monitor escalated (run_hooks.system_action): the plan's system action,
 * through the one power interface (PSCI, or SCHEDOP_shutdown under Xen). */
void boot_system_action(enum plan_system_action a)
{
	struct kernel *k = &kernel;
	enum hal_err e;

	log_sync(); /* the power goes off: no line may wait in a ring */
	LOG(LOG_ERROR, "hm", "system_action", LOG_STR("action", plan_system_action_name(a)),
	    LOG_STR("power", k->power.ops->name));
	if (a == PLAN_SYSTEM_PANIC_POLICY)
		kernel_panic("health monitor escalated: the panic policy");
	console_hold(&k->con); /* no other CPU starts a line the power-off would cut */
	e = a == PLAN_SYSTEM_RESTART ? k->power.ops->reset(k->power.ctx) : k->power.ops->off(k->power.ctx);
	LOG(LOG_ERROR, "boot", "power_off_failed", LOG_STR("power", k->power.ops->name),
	    LOG_STR("error", hal_strerror(e)));
	kernel_stop();
}

/* A Xen call failed: which, why in HAL words, and Xen's own errno name. */
static void log_xen_error(const struct kernel *k, const char *ev, enum hal_err e)
{
	LOG(LOG_ERROR, "xen", ev, LOG_STR("error", hal_strerror(e)),
	    LOG_STR("xen_errno", xen_errno_name(k->xen.last_errno)));
}

static void watchdog_kick(void *ctx, uint64_t now);

void boot_watchdog_schedule(struct kernel *k, uint64_t now)
{
	uint64_t period = k->clock.freq_hz * k->xen.wd.timeout_s / WATCHDOG_KICKS_PER_TIMEOUT;
	enum timeq_err te = timeq_add(&k->cpu[k->boot_cpu].tq, now + period, watchdog_kick, k);

	if (te != TIMEQ_OK)
		kernel_panic(timeq_strerror(te));
}

/* Housekeeping on the boot CPU: proves to Xen that the kernel still runs its timer events. */
static void watchdog_kick(void *ctx, uint64_t now)
{
	struct kernel *k = ctx;
	enum hal_err e = xen_watchdog_kick(&k->xen);

	if (e != HAL_OK)
		log_xen_error(k, "watchdog_kick_failed", e);
	boot_watchdog_schedule(k, now);
}

/* After each partition's load (run_hooks.loaded_one): a boot that loads many partitions
 * (each zeroed, hashed and logged; slow in a guest on a busy host) can outlast Xen's
 * domain watchdog before the timer's kicks start, so each load kicks it too. */
void boot_watchdog_kick_loading(void)
{
	struct kernel *k = &kernel;

	if (!k->xen.wd.armed || k->opts.test_no_kick)
		return;
	enum hal_err e = xen_watchdog_kick(&k->xen);

	if (e != HAL_OK)
		log_xen_error(k, "watchdog_kick_failed", e);
}

/*
 * One power interface, two implementations: Xen's SCHEDOP_shutdown when the device
 * tree says Xen (and this build has it), PSCI otherwise. Under Xen the domain
 * watchdog is armed here; its kicks start with the timer events in boot_primary.
 */
void boot_setup_power(struct kernel *k)
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
		boot_stop(k);
	}
	k->power = (struct power){ &power_xen_ops, &k->xen };
	if (XEN_WATCHDOG_S == 0)
		return;
	e = xen_watchdog_arm(&k->xen, XEN_WATCHDOG_S);
	if (e != HAL_OK) {
		log_xen_error(k, "watchdog_arm_failed", e);
		boot_stop(k);
	}
	LOG(LOG_INFO, "xen", "watchdog_armed", LOG_U64("id", k->xen.wd.id),
	    LOG_U64("timeout_s", k->xen.wd.timeout_s),
	    LOG_BOOL("kicking", !k->opts.test_no_kick));
}
