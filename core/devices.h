/*
 * Devices and interrupts of the partitions: each partition's one capability table
 * (devices and ports) built from the plan at load time (core/cap.c, resources from the
 * platform device tree, memory from the channel block),
 * its devices mapped into its EL0 space at BH_DEVICE_VA (Device memory, never
 * executable), the named capabilities written into its info page, and the state of
 * its interrupts (the seL4 Microkit model: the kernel masks a line when it fires and
 * wakes the cell waiting on it; the cell's irq_ack unmasks it).
 *
 * Concurrency: loaded on the boot CPU before the others start; afterwards a
 * partition's state is touched only by the CPU the plan places it on (its SPIs are
 * routed there).
 */
#ifndef BULKHEAD_CORE_DEVICES_H
#define BULKHEAD_CORE_DEVICES_H

#include <stdbool.h>
#include <stdint.h>
#include "core/cap.h"
#include "core/lib/compiler.h"
#include "core/uaccess.h"
#include "dt/plan.h"
#include "hal/pgtable.h"

enum dev_err {
	DEV_OK = 0,
	DEV_ERR_CAPS,    /* the capability table could not be built (cap_err says why) */
	DEV_ERR_MEMORY,  /* the plan grants more capabilities than the memory given for the table */
	DEV_ERR_WINDOW,  /* a device's register window is larger than BH_DEVICE_SLOT_BYTES */
	DEV_ERR_MAP,     /* out of partition page-table pages for the device windows */
	DEV_ERR_IRQ,     /* a device interrupt that is not an SPI, or that another device has */
	DEV_ERR_COUNT,
};
const char *dev_strerror(enum dev_err e);

/* The partitions' device state, sized by the plan: devices_mem_bytes(n_part) bytes of
 * zeroed memory, 8-byte aligned, given once before any devices_load. */
size_t devices_mem_bytes(unsigned int n_part);
void devices_init(void *mem, unsigned int n_part);

/*
 * Boot CPU: build partition part's capability table from plan p in mem (n_mem entries,
 * at least cap_plan_grants(p, part); the kernel carves them from the channel block,
 * channels_cap_slots), with device resources from the platform blob fdt; map its
 * devices into the table at root (tables from pool), and list its capabilities in its
 * info page. This is the partition's one capability table: the device and the port
 * calls check their handles against it (devices_caps). On error *cap says why for
 * DEV_ERR_CAPS; the partition must not run.
 */
enum dev_err devices_load(const struct plan *p, unsigned int part, const void *fdt,
			  struct cap_entry *mem, size_t n_mem, struct pt_pool *pool, uint64_t *root,
			  struct bh_info *info, enum cap_err *cap) __must_check;

/* Write the partition's capability listing into its info page again (after a restart
 * rewrote the page): the same listing devices_load wrote at boot. */
void devices_fill_info(const struct plan *p, unsigned int part, struct bh_info *info);

/* The partition's capability table (empty before devices_load). */
const struct cap_table *devices_caps(unsigned int part);

/* For the checked copies: the page at va if it lies in one of the partition's device
 * windows (flags read, write, Device), else false. */
bool devices_lookup(unsigned int part, uint64_t va, struct uaccess_page *out);

/* device_info: what slot (a device capability of part) is, as the partition sees it. */
void devices_info(unsigned int part, uint32_t slot, struct bh_device_info *out);

/* The SPIs of part's devices, one by one (i from 0 until false): for routing. */
bool devices_irq_at(unsigned int part, unsigned int i, uint32_t *intid);

/* What irq_wait found (devices_irq_take). */
enum dev_take {
	DEV_TAKEN,   /* an interrupt was pending: consumed, the call returns 0 at once */
	DEV_WAITING, /* cell is the slot's waiter until its limit (or only looked) */
	DEV_BUSY,    /* another cell of the partition waits on the device: one waiter each */
};

/* irq_wait by cell at now (ns since boot) with limit until_ns: a pending interrupt is
 * taken; else, unless another cell's wait on the slot is still running, cell becomes
 * the slot's waiter until until_ns (until_ns <= now: it only looks, and waits for
 * nothing). */
enum dev_take devices_irq_take(unsigned int part, uint32_t slot, uint32_t cell, uint64_t now,
			       uint64_t until_ns);

/*
 * Interrupt intid fired at now (ns since boot). If a partition's device owns it: true,
 * *part is set, and the caller masks the line. If a cell of it waits in irq_wait (its
 * limit not yet reached), *cell is that cell and the interrupt is consumed (the caller
 * wakes it with result 0); else *cell is -1 and the interrupt stays pending.
 */
bool devices_irq_fired(uint32_t intid, uint64_t now, unsigned int *part, int32_t *cell);

/*
 * For the IRQ vector's wake-up step (core/run_fast.c): the first device of part that a
 * cell waits on in irq_wait with no limit or one after after_ns: that cell, its wait's
 * limit and the device's first interrupt line (its other lines go through
 * devices_irq_fired as before). False if there is none.
 */
bool devices_waiter(unsigned int part, uint64_t after_ns, int32_t *cell, uint64_t *until,
		    uint32_t *intid);

/*
 * A restart of partition part (warm or cold, core/run_hm.c): forget everything the
 * kernel holds of its interrupts (pending, waiter) and return how many SPIs it has
 * (devices_irq_at lists them), which the caller masks and clears at the GIC. The lines
 * stay masked until the restarted driver's irq_ack hands them back (docs/health.md).
 */
unsigned int devices_quiesce(unsigned int part);

/* A cell restart: cell of part no longer waits in irq_wait on any device (an interrupt
 * that comes now stays pending for the next irq_wait). */
void devices_cell_reset(unsigned int part, uint32_t cell);

/* irq_ack: the intids of slot, to unmask (n set to how many). */
void devices_irq_lines(unsigned int part, uint32_t slot, uint32_t intid[CAP_DEVICE_IRQS],
		       unsigned int *n);

#endif
