/*
 * Fail loud, fail fast: the one way the kernel stops on a broken invariant or an
 * unexpected exception. The caller's error line says why; a "stop" line follows,
 * every other CPU is stopped, then the kernel halts, powers off or resets as told.
 */
#ifndef BULKHEAD_CORE_PANIC_H
#define BULKHEAD_CORE_PANIC_H

#include "core/bootargs.h"
#include "core/lib/compiler.h"
#include "hal/gic.h"
#include "hal/power.h"

/* SGI the panicking CPU sends to stop the others. */
#define SGI_STOP 1

struct panic_config {
	enum panic_action action;
	const struct gic_ops *gic;     /* NULL before the GIC is up: no one to stop */
	const struct power *power; /* NULL before PSCI is known: halt only */
};

/* Boot only; the config must outlive the kernel. Before this, a panic halts. */
void panic_configure(const struct panic_config *cfg);

/* Logs {"ev":"panic","reason":...} at error, then stops. */
void kernel_panic(const char *reason) __noreturn;

/* Stop after the caller logged why: logs {"ev":"stop","action":...} at error (the
 * last line of any fatal stop), stops the other CPUs, then acts. */
void kernel_stop(void) __noreturn;

/* True once a panic started: other CPUs taking SGI_STOP park themselves. */
bool panic_in_progress(void);

#endif
