/*
 * The composition root's log side (core/boot.c): the CPUs' log rings, and the sink's
 * drain and flush through the console (core/console.h). Until the schedule is about
 * to run the log writes synchronously; from boot_log_rings on, each CPU's lines wait in
 * its ring and go out in idle time (kernel_idle's log_drain).
 */
#include "core/boot_priv.h"
#include "hal/cpu.h"
#include "hal/timer.h"

_Static_assert(CONFIG_LOG_RING_BYTES >= 1024 && (CONFIG_LOG_RING_BYTES & (CONFIG_LOG_RING_BYTES - 1)) == 0,
	       "CONFIG_LOG_RING_BYTES must be a power of two of at least 1 KiB");

/*
 * Kept clear before this CPU's next timer: the way from a stopped drain to WFI (a few
 * hundred instructions at most), so that a window never starts later than it would
 * from WFI.
 */
#define DRAIN_SLACK_NS 2000
/*
 * A byte slower than this is not the console's cost but the host holding the CPU (a
 * Xen vCPU descheduled): not learnt, or one hiccup would keep drains away from every
 * deadline for good. A Xen guest's byte costs about 7 us.
 */
#define DRAIN_BYTE_CAP_NS 100000

/*
 * The longest a flush of the rings' backlog may take (the shutdown, a fatal stop): the
 * lines left then are dropped and counted. Under Xen a full 64 KiB ring is some 400 ms
 * of console, and Xen's domain watchdog (kicked every timeout / 4, 500 ms by default) must
 * not fire while interrupts are masked for it.
 */
#define FLUSH_MAX_NS 500000000ULL

static char ring_mem[CONFIG_MAX_CPUS][CONFIG_LOG_RING_BYTES] __attribute__((aligned(64)));
static struct logring rings[CONFIG_MAX_CPUS];
static uint64_t drain_slack, drain_byte_cap; /* ticks */

static uint64_t ns_to_ticks_up(const struct kernel *k, uint64_t ns)
{
	return (k->clock.freq_hz * ns + 999999999ULL) / 1000000000ULL;
}

void boot_log_drain(void *ctx)
{
	struct kernel *k = ctx;
	const struct console_drain_rule rule = {
		.now = timer_now, .irq_pending = cpu_irq_pending, .deadline = timer_deadline(),
		.slack = drain_slack, .byte_cap = drain_byte_cap,
	};

	(void)console_drain(&k->con, &rule);
}

static bool never_pending(void)
{
	return false;
}

void boot_log_flush(void *ctx)
{
	struct kernel *k = ctx;
	const struct console_drain_rule rule = {
		.now = timer_now, .irq_pending = never_pending,
		.deadline = timer_now() + ns_to_ticks_up(k, FLUSH_MAX_NS), .byte_cap = drain_byte_cap,
	};

	console_flush(&k->con, &rule);
}

void boot_log_rings(struct kernel *k)
{
	unsigned int n = k->plat.n_cpus < CONFIG_MAX_CPUS ? k->plat.n_cpus : CONFIG_MAX_CPUS;

	drain_slack = ns_to_ticks_up(k, DRAIN_SLACK_NS);
	drain_byte_cap = ns_to_ticks_up(k, DRAIN_BYTE_CAP_NS);
	for (unsigned int i = 0; i < n; i++)
		logring_init(&rings[i], ring_mem[i], CONFIG_LOG_RING_BYTES);
	console_set_rings(&k->con, rings, n);
	log_use_rings(rings, n);
}
