/*
 * The kernel's run-time tables that a plan sizes, in one place for the two that need
 * them: core/run.c takes them at boot from the RAM the plan leaves free (struct kmem
 * over it), and bhplan estimates them on the host with the same code (a kmem over no
 * memory only measures), so the estimate cannot drift from what the kernel takes.
 *
 *   run_tables_alloc()          the fixed tables, in the kernel's order
 *   run_table_pages_windows()   page-table pages of a partition's device and channel
 *                               windows
 *   run_tables_estimate()       all of it for a plan, and whether it fits a RAM block
 *
 * The page-table pool takes what the fixed tables leave, from the next page on; each
 * partition's tables come from it as it loads (its address space: space_decode's
 * table_pages; then its windows).
 */
#ifndef BULKHEAD_CORE_RUN_TABLES_H
#define BULKHEAD_CORE_RUN_TABLES_H

#include <stdbool.h>
#include <stdint.h>
#include "core/kmem.h"
#include "core/lib/compiler.h"
#include "dt/plan.h"

/* Where each fixed table went (all NULL when the kmem only measures). */
struct run_tables {
	void *part, *hm, *vlog, *asid, *waits, *limits, *entries, *sig_index, *sigs, *dev, *sched,
		*hm_mem;
};

/*
 * Takes every fixed table plan p sizes from m, zeroed, in the kernel's order: per
 * partition its state, health-monitor record, violation log, ASID tag, channel wait
 * byte and the timer's fast-path limit; the window fast path's entries (one more, an
 * idle gap's) and its port_signal table (an index per partition, an entry per
 * capability slot); the devices' state; the schedule; the health monitor's tables. KMEM_ERR_SHORT:
 * m->what names the first table that did not fit (m->want, m->free its sizes) and the
 * ones before it stay taken.
 */
enum kmem_err run_tables_alloc(struct kmem *m, const struct plan *p, struct run_tables *t)
	__must_check;

/*
 * Page-table pages partition i's device and channel windows take beyond its address
 * space (space_decode's table_pages): the level-2 table of their GiB, one level-3 table
 * per 2 MiB the device slots span, and at most one per 2 MiB of the channel regions it
 * sends on (mapped back to back). 0 without devices or channels to send on.
 */
uint64_t run_table_pages_windows(const struct plan *p, unsigned int i);

/* What run_tables_estimate found. */
struct run_tables_need {
	uint64_t fixed_bytes;   /* the fixed tables, padding included */
	uint64_t pool_offset;   /* where the page-table pool starts: fixed_bytes to a page */
	uint64_t table_pages;   /* page-table pages of every partition */
	uint64_t bytes;         /* pool_offset + table_pages pages: what the kernel takes */
	/* Against ram_bytes: fits, or the first table that does not (the kernel's event
	 * kernel_tables_refused names the same): table is "page_tables" when the pool runs
	 * out while partition `partition` loads. */
	bool fits;
	const char *table;
	uint64_t want, free;    /* bytes of the table that does not fit, bytes left for it */
	unsigned int partition; /* page_tables: the partition whose tables did not fit */
};

/*
 * The kernel's tables for plan p, out of a block of ram_bytes free RAM (page aligned,
 * as the kernel's is). space_pages[i]: page-table pages of partition i's address space
 * (space_decode's table_pages for its program); the windows' pages are added here.
 */
void run_tables_estimate(const struct plan *p, const uint64_t *space_pages, uint64_t ram_bytes,
			 struct run_tables_need *out);

#endif
