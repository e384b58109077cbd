#include "core/boot_checks.h"
#include "core/log.h"
#include "dt/early.h"
#include "hal/psci.h"
#include "hal/timer.h"

/*
 * The boot-time check that the timer interrupt arrives: it is taken as missing only
 * once both this much counter time and this many polls have passed, so a host that
 * stalls the CPU between arming and polling cannot fake a miss. A healthy timer is
 * seen at the first or second poll.
 */
#define TIMER_CHECK_US 10000
#define TIMER_CHECK_MIN_POLLS 100000

/*
 * The panic policy for a stop before boot_primary sets the full one: panic= from
 * /chosen/bootargs when the blob passes its check (else Kconfig), and PSCI when the tree
 * names it, so that "off" and "reset" also work for a tree the platform parser refuses,
 * an unknown boot CPU, or a GIC, console or Xen probe that fails. Under Xen the PSCI the
 * guest tree names powers the domain off too.
 */
void boot_early_panic(const void *fdt, size_t size, struct boot_options *opts,
		      struct power *power, struct panic_config *cfg)
{
	struct platform_early early;
	struct dt_diag diag;
	enum psci_conduit conduit;

	*cfg = (struct panic_config){ .action = IS_ENABLED_PANIC_HALT ? PANIC_HALT : PANIC_OFF };
	if (size && platform_early_read(fdt, size, &early, &diag) == DT_OK) {
		bootargs_parse(early.bootargs, IS_ENABLED_TEST_HOOKS, opts);
		if (opts->has_panic)
			cfg->action = opts->panic;
		/* PSCI only when the policy needs power and none is set up: a halt does without. */
		if (cfg->action != PANIC_HALT && !power->ops && platform_early_psci(fdt, &conduit) &&
		    psci_init(conduit) == HAL_OK)
			*power = (struct power){ &power_psci_ops, NULL };
	}
	if (power->ops)
		cfg->power = power;
}


/*
 * The tree names the virtual timer's PPI and nothing else says it is right; a wrong
 * one would leave every timer event silently undelivered. Arm the timer to fire at
 * once and poll the GIC (interrupts still masked at the CPU) for that INTID, bounded.
 * A wrong PPI was never enabled, so it never arrives: say so, naming the INTID expected.
 */
bool boot_timer_irq_arrives(const struct gic_ops *gic, uint32_t intid)
{
	uint32_t other = GIC_INTID_SPURIOUS;
	uint64_t start = timer_now(), bound = timer_freq() * TIMER_CHECK_US / 1000000;
	bool seen = false;

	timer_arm(start);
	for (uint64_t polls = 0; !seen; polls++) {
		struct gic_ack a = gic->ack();
		uint32_t got = a.intid;

		if (got == intid) {
			seen = true;
			timer_disarm(); /* the level drops before the EOI: nothing left pending */
		} else if (got < GIC_INTID_SPURIOUS) {
			other = got;
		}
		if (got < GIC_INTID_SPURIOUS)
			gic->eoi(a);
		if (polls >= TIMER_CHECK_MIN_POLLS && timer_now() - start > bound)
			break;
	}
	timer_disarm();
	if (seen)
		return true;
	LOG(LOG_ERROR, "boot", "timer_irq_missing", LOG_U64("intid", intid),
	    LOG_U64("waited_us", (timer_now() - start) * 1000000 / timer_freq()),
	    LOG_BOOL("other_irq", other < GIC_INTID_SPURIOUS),
	    LOG_STR("what", "the virtual timer interrupt the device tree names never arrived"));
	return false;
}
