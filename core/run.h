/*
 * Partitions running: the plan's partitions loaded at boot, each CPU's frame executed
 * from one common epoch on the one-shot timer, the cells switched in and out at EL0,
 * their system calls and faults. The pure decisions are core/sched.c (what runs),
 * core/syscall.c (what a call means) and core/partition.c (how a program loads); this
 * module carries them out on the hardware (hal/el0.h) and implements the HAL's EL0
 * upcalls (hal/exception.h).
 *
 * Time: ns since boot (core/clock.h) inside the kernel; partitions see ns since the
 * epoch (time_ns), and the log's window events count from the epoch too.
 */
#ifndef BULKHEAD_CORE_RUN_H
#define BULKHEAD_CORE_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include "core/clock.h"
#include "core/lib/compiler.h"
#include "dt/plan.h"
#include "hal/gic.h"

/* What run needs of the composition root. */
struct gic_ops;
struct run_hooks {
	void (*rearm)(unsigned int cpu);    /* program this CPU's timer for its next event */
	const void *fdt;                    /* the platform blob: the plan's device resources */
	const struct gic_ops *gic;          /* routes and masks the partitions' device SPIs */
	/* The health monitor escalated: the plan's system action (restart, off, or the
	 * panic policy). Does not return. */
	void (*system_action)(enum plan_system_action a);
	/* A restart may clear an SPI's pending state at the distributor (gic_ops
	 * spi_clear_pending). False under Xen: its virtual GIC (4.17) answers a write to
	 * GICD_ICPENDR with a data abort. */
	bool gic_clear_pending;
	/* Optional (NULL: none): called on the boot CPU after each partition is loaded. Loading
	 * many partitions can outlast a watchdog's timeout (Xen's, in a guest on a slow host):
	 * the composition root kicks it here. */
	void (*loaded_one)(void);
	/* Usable ASIDs per CPU, if fewer than the CPU has (0: all of them; the boot
	 * argument test_asids, to run the ASID roll-over on any CPU). */
	unsigned int asids;
	/* The timer's interrupt (the virtual timer's PPI). */
	uint32_t timer_intid;
	/* An acknowledged interrupt from EL0 that the timer's fast path does not take: the
	 * composition root's dispatch (timer events, SGIs, devices) and end of interrupt. */
	void (*irq)(struct gic_ack a);
	/* The IRQ vector may start windows itself (hal/fastwin.h): a GICv3 CPU interface,
	 * and not turned off (the boot argument fastwin=off). */
	bool fastwin;
};

/*
 * Boot CPU, IRQs masked, before the secondaries start: load every partition of the
 * plan into the memory the map gives it. Logs partition_start for each, or one
 * partition_refused error (partition, image, what) and returns false: the caller stops.
 */
bool run_load(const struct plan *p, const struct plan_memory_map *map, const struct clock *clk,
	      const struct run_hooks *hooks) __must_check;

/* Boot CPU, once every CPU is up: builds the schedule with its epoch a little after
 * now (ticks) and lets every CPU start. False (logged) if the scheduler refuses. */
bool run_start(uint64_t now) __must_check;

/* Every CPU, last thing at boot: waits for run_start (bounded), arms the first
 * window, then idles; never returns. */
void run_cpu_enter(unsigned int cpu) __noreturn;

/* This CPU's timer interrupt fired at now (ticks): the scheduler decides. */
void run_on_timer(unsigned int cpu, uint64_t now);

/* Interrupt intid was acknowledged on this CPU: if a partition's device owns it, mask
 * the line, wake the cell waiting in irq_wait (in the partition's window) and return
 * true; false for an interrupt no partition owns. */
bool run_on_device_irq(unsigned int cpu, uint32_t intid);

/* The SGI by which a channel's notification reaches the CPU of the partition it wakes
 * (SGI 1 is the panic's stop). */
#define RUN_SGI_WAKE 2

/* RUN_SGI_WAKE was acknowledged on this CPU: the cells of the partition whose window
 * runs, if any, whose channel wait can end are woken (another partition's window:
 * nothing; that partition's next window looks by itself). */
void run_on_wake_sgi(unsigned int cpu);

/* The counter value this CPU's scheduler wants its timer at, UINT64_MAX for none;
 * timeq_next: the earliest of the CPU's other timer events, which the timer is armed
 * for if it comes first (kept: the timer's fast path runs only when none is due). */
uint64_t run_timer_deadline(unsigned int cpu, uint64_t timeq_next);

/* At shutdown (boot CPU): one sched_stats event per scheduled CPU, one hm_stats per
 * partition, pending window events of this CPU. */
void run_shutdown(void);

#endif
