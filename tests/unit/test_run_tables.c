/*
 * core/run_tables.c: the kernel's run-time tables, taken from a real block as the kernel
 * takes them and measured as bhplan measures them (a kmem over no memory); and
 * space_table_pages_max, bhplan's bound on a partition's address-space tables without
 * its program.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/plan_arena.h"
#include "core/elf.h"
#include "core/run_tables.h"
#include "core/space.h"
#include "fixture.h"

#define PAGE 4096ull

static struct plan plan;

static void load(const char *name)
{
	struct plan_report rep;
	size_t len;
	void *blob = fixture_load(name, &len);

	plan_report_init(&rep);
	cr_assert_eq(plan_parse(blob, len, &plan, test_arena(), &rep), PLAN_OK, "%s", name);
	cr_assert_eq(plan_check(&plan, NULL, 0, &rep), PLAN_OK, "%s", name);
	free(blob);
}

/* A page-aligned block of bytes, filled with junk (the tables must come back zeroed). */
static void *block(uint64_t bytes)
{
	void *b = aligned_alloc(PAGE, ALIGN_UP(bytes, PAGE) ? ALIGN_UP(bytes, PAGE) : PAGE);

	cr_assert_not_null(b);
	memset(b, 0xa5, ALIGN_UP(bytes, PAGE));
	return b;
}

static const uint64_t five[3] = { 5, 5, 5 };

/* What bhplan measures is what the kernel's allocation takes from a real block. */
Test(run_tables, the_measure_is_what_a_real_block_takes)
{
	struct run_tables_need need;
	struct run_tables t;
	struct kmem m;

	load("../plans/demo.dtb");
	run_tables_estimate(&plan, five, UINT64_MAX, &need);
	cr_assert(need.fits);
	cr_assert_gt(need.fixed_bytes, plan.n_part * 64);
	cr_assert_eq(need.pool_offset, ALIGN_UP(need.fixed_bytes, PAGE));
	/* The programs' 5 each; windows: sensors 3, logger 2, actuators 3 (below). */
	cr_assert_eq(need.table_pages, 3 * 5 + 3 + 2 + 3);
	cr_assert_eq(need.bytes, need.pool_offset + need.table_pages * PAGE);

	uint8_t *b = block(need.fixed_bytes);

	kmem_init(&m, b, 0x40000000, need.fixed_bytes);
	cr_assert_eq(run_tables_alloc(&m, &plan, &t), KMEM_OK);
	cr_assert_eq(kmem_used(&m), need.fixed_bytes, "exactly the measured bytes, not one more");
	cr_assert_eq((uint8_t *)t.part, b);
	cr_assert(t.hm && t.vlog && t.asid && t.waits && t.dev && t.sched && t.hm_mem);
	for (unsigned int i = 0; i < plan.n_part; i++)
		cr_assert_eq(((uint8_t *)t.waits)[i], 0, "the tables come zeroed");
	cr_assert_eq(((uint8_t *)t.part)[0], 0);
	free(b);
}

/* Short by any amount: the estimate names the table a real block of that size refuses. */
Test(run_tables, a_short_block_is_refused_at_the_same_table_as_the_kernel)
{
	struct run_tables_need full, need;

	load("../plans/demo.dtb");
	run_tables_estimate(&plan, five, UINT64_MAX, &full);
	for (uint64_t ram = 0; ram < full.fixed_bytes; ram += 8) {
		struct run_tables t;
		struct kmem m;
		uint8_t *b = block(ram);

		kmem_init(&m, b, 0x40000000, ram);
		cr_assert_eq(run_tables_alloc(&m, &plan, &t), KMEM_ERR_SHORT, "%llu bytes",
			     (unsigned long long)ram);
		run_tables_estimate(&plan, five, ram, &need);
		cr_assert_not(need.fits);
		cr_assert_str_eq(need.table, m.what, "%llu bytes", (unsigned long long)ram);
		cr_assert_eq(need.want, m.want);
		cr_assert_eq(need.free, m.free);
		cr_assert_eq(need.bytes, full.bytes, "the need does not depend on the RAM");
		free(b);
	}
}

/* The pool: the partition whose tables do not fit is named, with what was left. */
Test(run_tables, page_tables_run_out_at_the_partition_that_needs_more)
{
	struct run_tables_need need;
	const uint64_t pages[3] = { 4, 6, 5 };

	load("../plans/demo.dtb");
	run_tables_estimate(&plan, pages, UINT64_MAX, &need);
	uint64_t w0 = run_table_pages_windows(&plan, 0), w1 = run_table_pages_windows(&plan, 1);

	run_tables_estimate(&plan, pages, need.bytes, &need);
	cr_assert(need.fits, "exactly enough");
	run_tables_estimate(&plan, pages, need.bytes - 1, &need);
	cr_assert_not(need.fits);
	cr_assert_str_eq(need.table, "page_tables");
	cr_assert_eq(need.partition, 2, "one byte short: the last partition's last page");
	run_tables_estimate(&plan, pages, need.pool_offset + (4 + w0 + 6 + w1 - 1) * PAGE, &need);
	cr_assert_not(need.fits);
	cr_assert_eq(need.partition, 1);
	cr_assert_eq(need.want, (6 + w1) * PAGE);
	cr_assert_eq(need.free, (6 + w1 - 1) * PAGE);
}

/* Windows: a level-2 table and one level-3 table per two device slots or 2 MiB of the
 * channel pages the partition maps (the regions it sends on, with their ack pages, and
 * the sampling regions it reads, with its read-count pages); nothing without either. */
Test(run_tables, window_pages_follow_devices_and_mapped_channels)
{
	load("../plans/demo.dtb");
	/* sensors: the PL031, sends telemetry; logger: sends commands, reads telemetry;
	 * actuators: the PL061, reads telemetry. */
	cr_assert_eq(run_table_pages_windows(&plan, 0), 1 + 1 + 1);
	cr_assert_eq(run_table_pages_windows(&plan, 1), 1 + 0 + 1);
	cr_assert_eq(run_table_pages_windows(&plan, 2), 1 + 1 + 1);
	plan.part[2].n_devices = 3;
	cr_assert_eq(run_table_pages_windows(&plan, 2), 1 + 2 + 1);
	plan.part[2].n_devices = 0;
	cr_assert_eq(run_table_pages_windows(&plan, 2), 1 + 0 + 1, "telemetry's pages alone");
	/* A sampling channel maps its region and one count page into each destination,
	 * nothing into a partition that is neither end. */
	const struct plan_channel *tel = &plan.chan[0];

	cr_assert_str_eq(tel->name, "telemetry");
	cr_assert_eq(plan_channel_mapped_bytes(tel, "logger"), 2 * PAGE);
	cr_assert_eq(plan_channel_mapped_bytes(tel, "sensors"), PAGE);
	cr_assert_eq(plan_channel_mapped_bytes(&plan.chan[1], "logger"), 2 * PAGE, "region, ack");
	cr_assert_eq(plan_channel_mapped_bytes(&plan.chan[1], "actuators"), 0,
		     "a queuing destination maps nothing");
	cr_assert_eq(plan_channel_mapped_bytes(&plan.chan[1], "sensors"), 0);
	plan.chan[0].n_dest = 0;
	cr_assert_eq(run_table_pages_windows(&plan, 2), 0, "neither devices nor channels");
}

/* space_table_pages_max bounds space_decode's count for any program and placement. */
Test(run_tables, the_space_bound_holds_for_any_layout_and_base)
{
	static const uint64_t bases[] = { 0x40000000, 0x40001000, 0x401ff000, 0x40100000 };
	static const uint64_t sizes[] = { 16 * PAGE, 1u << 20, 3u << 20, 16u << 20, 67u << 20 };
	unsigned int checked = 0;

	srand(7);
	for (unsigned int round = 0; round < 400; round++) {
		struct space_segment seg[ELF_MAX_SEGMENTS];
		struct space_region seg_r[ELF_MAX_SEGMENTS], stack_r[PLAN_CELLS];
		uint32_t stacks[PLAN_CELLS] = { 4096u << (rand() % 6), 4096u << (rand() % 6) };
		unsigned int n = 1 + (unsigned int)rand() % ELF_MAX_SEGMENTS;
		uint64_t va = SPACE_IMAGE_VA + PAGE * (uint64_t)(rand() % 1024), file = 0;

		for (unsigned int s = 0; s < n; s++) {
			uint64_t pages = 1 + (uint64_t)(rand() % (s == 0 ? 700 : 40));

			seg[s] = (struct space_segment){ va, pages * PAGE, 0, 0,
							 s == 0 ? (SPACE_SEG_R | SPACE_SEG_X)
								: (SPACE_SEG_R | SPACE_SEG_W) };
			va += (pages + (uint64_t)(rand() % 600)) * PAGE;
		}
		for (unsigned int b = 0; b < 4; b++) {
			uint64_t size = sizes[(round + b) % 5];
			struct space_input in = { { pa_init(bases[b]), size }, seg, n, file, stacks,
						  PLAN_CELLS, 0 };
			struct space_layout l = { .seg = seg_r, .stack = stack_r };
			struct space_diag d;

			if (space_decode(&in, &l, &d) != SPACE_OK)
				continue; /* too small for this program: nothing to bound */
			checked++;
			cr_assert_leq(l.table_pages, space_table_pages_max(size, n, PLAN_CELLS),
				      "round %u base %#llx size %llu: %zu pages", round,
				      (unsigned long long)bases[b], (unsigned long long)size,
				      l.table_pages);
		}
	}
	cr_assert_gt(checked, 400, "most layouts decode");
}
