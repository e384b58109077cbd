/*
 * The plan's tables sized by its counts: the counting pass, the exact bytes taken from
 * the arena, refusal when the arena is short, and the limits (rule plan-limit naming the
 * value and the limit).
 */
#include <criterion/criterion.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include "core/lib/compiler.h"
#include "fixture.h"
#include "tests/unit/plan_arena.h"

static struct plan plan;
static struct plan_report rep;

static size_t a16(size_t x)
{
	return (x + 15) & ~(size_t)15;
}

/* What the tables of a plan with these counts take, written out table by table. */
static size_t expected_bytes(size_t parts, size_t chans, size_t windows, size_t most)
{
	return a16(parts * sizeof(struct plan_partition)) + a16(chans * sizeof(struct plan_channel)) +
	       a16(windows * sizeof(struct plan_window)) + a16(parts * 4) /* part_by_name */ +
	       a16(chans * 4) /* chan_by_name */ + a16(parts * 4) /* part_by_base */ +
	       a16(parts * PLAN_MAX_DEVICES * 4) /* dev_by_path */ + a16(most * 4) /* win_by_offset */ +
	       a16(parts * PLAN_MAX_DEVICES * 4) /* dev_node */ +
	       a16(parts * sizeof(struct pa_range)) /* placed */;
}

Test(plan_arena, the_demo_plan_takes_exactly_its_tables)
{
	size_t len;
	void *blob = fixture_load("../plans/demo.dtb", &len);
	struct plan_counts k;
	size_t bytes = plan_arena_bytes(blob, len, &k);
	struct plan_arena *a = test_arena();

	/* 3 partitions, 2 channels, 4 windows (3 on CPU 0). */
	cr_assert_eq(k.partitions, 3);
	cr_assert_eq(k.channels, 2);
	cr_assert_eq(k.windows, 4);
	cr_assert_eq(k.most_windows, 3);
	cr_assert_eq(bytes, expected_bytes(3, 2, 4, 3));
	cr_assert_eq(plan_tables_bytes(&k), bytes);
	plan_report_init(&rep);
	cr_assert_eq(plan_parse(blob, len, &plan, a, &rep), PLAN_OK);
	cr_assert_eq(a->used, bytes, "the arena gave exactly the tables");
	cr_assert_eq((void *)plan.part, a->base, "the first table at the arena's start");
	cr_assert((char *)&plan.chan[plan.n_chan] <= (char *)a->base + bytes);
	cr_assert((char *)&plan.sched[1].w[plan.sched[1].n] <= (char *)a->base + bytes);
	cr_assert_eq(plan.sched[1].w, plan.sched[0].w + plan.sched[0].n, "one window table");
	free(blob);
}

Test(plan_arena, a_plan_without_channels_takes_none)
{
	size_t len;
	void *blob = fixture_load("../plans/single.dtb", &len);
	struct plan_counts k;

	cr_assert_eq(plan_arena_bytes(blob, len, &k), expected_bytes(1, 0, 1, 1));
	cr_assert_eq(k.channels, 0);
	free(blob);
}

Test(plan_arena, a_short_arena_is_refused_with_both_sizes)
{
	size_t len;
	void *blob = fixture_load("../plans/demo.dtb", &len);
	size_t bytes = plan_arena_bytes(blob, len, NULL);
	struct plan_arena a = *test_arena();
	char what[64];

	a.size = bytes - 1;
	plan_report_init(&rep);
	cr_assert_eq(plan_parse(blob, len, &plan, &a, &rep), PLAN_INVALID);
	cr_assert_eq(rep.n, 1);
	cr_assert_eq(rep.e[0].rule, RULE_LIMIT);
	cr_assert_str_eq(rep.e[0].path, "/");
	snprintf(what, sizeof(what), "need %zu bytes, the kernel has %zu", bytes, bytes - 1);
	cr_assert(strstr(rep.e[0].what, what), "%s", rep.e[0].what);
	cr_assert(strstr(rep.e[0].what, "the largest block of free RAM"), "%s", rep.e[0].what);
	cr_assert_eq(a.used, 0, "nothing taken");

	/* What is already used counts: the same size after 16 bytes used is short too. */
	a.size = bytes + 15;
	a.used = 16;
	plan_report_init(&rep);
	cr_assert_eq(plan_parse(blob, len, &plan, &a, &rep), PLAN_INVALID);
	a.size = bytes + 16;
	plan_report_init(&rep);
	cr_assert_eq(plan_parse(blob, len, &plan, &a, &rep), PLAN_OK);
	cr_assert_eq(a.used, bytes + 16);
	free(blob);
}

Test(plan_arena, an_unreadable_blob_counts_nothing)
{
	static const char text[] = "not a device tree";

	cr_assert_eq(plan_arena_bytes(text, sizeof(text), NULL), 0);
}

#define OK(x) cr_assert_eq((x), 0, "libfdt: %s", #x)

static void cell(void *fdt, const char *name)
{
	OK(fdt_begin_node(fdt, name));
	OK(fdt_property_string(fdt, "entry", "tick_main"));
	OK(fdt_property_u32(fdt, "priority", 10));
	OK(fdt_property_u32(fdt, "stack-bytes", 0x1000));
	OK(fdt_end_node(fdt));
}

/* A plan of n well-formed partitions (no windows: that is plan_check's business). */
static size_t many_partitions(void *buf, size_t cap, unsigned int n)
{
	char name[16];

	OK(fdt_create(buf, (int)cap));
	OK(fdt_finish_reservemap(buf));
	OK(fdt_begin_node(buf, ""));
	OK(fdt_property_string(buf, "compatible", PLAN_COMPATIBLE));
	OK(fdt_property_u32(buf, "plan-version", PLAN_VERSION));
	OK(fdt_begin_node(buf, "partitions"));
	for (unsigned int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "p%u", i);
		OK(fdt_begin_node(buf, name));
		OK(fdt_property_u32(buf, "cpu", 0));
		OK(fdt_property_u32(buf, "memory-bytes", 0x100000));
		OK(fdt_property_string(buf, "image", "tick"));
		OK(fdt_property_u32(buf, "heartbeat-timeout-us", 100000));
		cell(buf, "driver");
		cell(buf, "watchdog");
		OK(fdt_end_node(buf));
	}
	OK(fdt_end_node(buf));
	OK(fdt_begin_node(buf, "schedule"));
	OK(fdt_property_u32(buf, "major-frame-us", 10000));
	OK(fdt_end_node(buf));
	OK(fdt_end_node(buf));
	OK(fdt_finish(buf));
	return fdt_totalsize(buf);
}

Test(plan_arena, partitions_up_to_the_limit_and_not_one_more)
{
	static unsigned char blob[4 << 20];
	struct plan_counts k;
	size_t len = many_partitions(blob, sizeof(blob), PLAN_MAX_PARTITIONS);
	char what[96];

	plan_report_init(&rep);
	cr_assert_eq(plan_parse(blob, len, &plan, test_arena(), &rep), PLAN_OK, "%s", rep.e[0].what);
	cr_assert_eq(plan.n_part, PLAN_MAX_PARTITIONS);
	cr_assert_str_eq(plan.part[PLAN_MAX_PARTITIONS - 1].image, "tick");

	len = many_partitions(blob, sizeof(blob), PLAN_MAX_PARTITIONS + 1);
	cr_assert_eq(plan_arena_bytes(blob, len, &k), expected_bytes(PLAN_MAX_PARTITIONS, 0, 0, 0),
		     "tables for the limit, not beyond");
	plan_report_init(&rep);
	cr_assert_eq(plan_parse(blob, len, &plan, test_arena(), &rep), PLAN_INVALID);
	cr_assert_eq(rep.n, 1);
	cr_assert_eq(rep.e[0].rule, RULE_LIMIT);
	cr_assert_str_eq(rep.e[0].path, "/partitions");
	snprintf(what, sizeof(what), "more than %u partitions (the limit, CONFIG_PLAN_MAX_PARTITIONS)",
		 (unsigned int)PLAN_MAX_PARTITIONS);
	cr_assert_str_eq(rep.e[0].what, what);
}
