/*
 * Inside the composition root (core/boot.c, core/boot_power.c): the one struct kernel
 * and what the files export to each other. Nothing else includes this header.
 */
#ifndef BULKHEAD_CORE_BOOT_PRIV_H
#define BULKHEAD_CORE_BOOT_PRIV_H

#include "core/bootargs.h"
#include "core/clock.h"
#include "core/console.h"
#include "core/log.h"
#include "core/panic.h"
#include "core/plan_boot.h"
#include "core/smp.h"
#include "core/timeq.h"
#include "dt/platform.h"
#include "hal/gic.h"
#include "hal/power.h"
#include "hal/xen.h"

#ifdef CONFIG_XEN_GUEST
#define XEN_WATCHDOG_S CONFIG_XEN_WATCHDOG_TIMEOUT_S
#else
#define XEN_WATCHDOG_S 0
#endif
#define WATCHDOG_KICKS_PER_TIMEOUT 4

struct kernel {
	uint64_t image_base;   /* physical */
	unsigned int boot_cpu; /* number (core/smp.h) of the CPU that booted; 0 until known */
	const void *dtb;       /* the boot DTB, mapped read-only (dtb_size bytes); NULL if none */
	size_t dtb_size;
	bool panic_set;        /* k->panic is configured: no early policy to read */
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
		enum smp_start start;
		uint32_t entry_el;
		uint32_t in_fault;
	} cpu[CONFIG_MAX_CPUS];
	uint32_t stopping; /* shutdown: a CPU taking SGI_STOP parks (as in a panic) */
	uint32_t parked;   /* CPUs parked by it */
};

extern struct kernel kernel;

/* boot.c: the boot cannot go on (logged already): the panic policy, never returns. */
__noreturn void boot_stop(struct kernel *k);

/* boot_log.c: the log's sink drains and flushes the CPUs' rings through the console;
 * boot_log_rings (boot CPU, before run_start) switches the log to them. */
void boot_log_drain(void *ctx);
void boot_log_flush(void *ctx);
void boot_log_rings(struct kernel *k);

/* boot_test.c: test hooks (a boot argument each). */
void boot_test_rtc(struct kernel *k);
void boot_test_linear(struct kernel *k, uint64_t dtb_pa);
void boot_test_cpu_on_bad_id(struct kernel *k);

/* boot_power.c */
void boot_setup_power(struct kernel *k);
/* The runtime_ms timer event (ctx: the kernel): the other CPUs park, the statistics,
 * shutdown, power off. Does not return. */
void boot_shutdown_event(void *ctx, uint64_t now);
void boot_system_action(enum plan_system_action a);
void boot_watchdog_schedule(struct kernel *k, uint64_t now);
void boot_watchdog_kick_loading(void);

#endif
