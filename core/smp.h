/*
 * CPU numbering and the rules for starting the secondary CPUs (pure: host tested).
 *
 * One numbering everywhere: a CPU's number is its index among the enabled /cpus nodes
 * of the device tree (struct platform's cpu_mpidr[]), whichever CPU the loader booted.
 * `cpu = <N>` in a plan, the "cpu" field of every log line and every per-CPU table of
 * the kernel use it; bhplan uses the same platform code, so it means the same core there.
 *
 * The entry code knows one more number, the slot: which kernel stack a CPU takes and
 * the PSCI context id it is started with (the HAL's cpu_index()). The boot CPU always
 * enters in slot 0, so slots are CPU numbers with 0 and the boot CPU's number swapped.
 */
#ifndef BULKHEAD_CORE_SMP_H
#define BULKHEAD_CORE_SMP_H

#include <stdbool.h>
#include <stdint.h>
#include "dt/plan.h"

/* Slot of CPU cpu when CPU boot_cpu booted; the same function maps a slot back to its
 * CPU number (the swap is its own inverse). */
unsigned int smp_slot(unsigned int boot_cpu, unsigned int cpu);

/* Bit N set: the plan puts a partition on CPU N or schedules CPU N (N < 64). */
uint64_t smp_plan_cpus(const struct plan *p);

/* How starting one secondary CPU ended. */
enum smp_start {
	SMP_START_PENDING, /* CPU_ON accepted, not reported in yet */
	SMP_START_ONLINE,  /* reported in */
	SMP_START_FAILED,  /* CPU_ON refused: never waited for */
	SMP_START_TIMEOUT, /* CPU_ON accepted, did not report in within the bound */
};

/* A CPU that did not come up stops the boot when the plan uses it (the plan was
 * checked against it); otherwise it is only a warning. */
bool smp_start_is_fatal(enum smp_start s, uint64_t plan_cpus, unsigned int cpu);

#endif
