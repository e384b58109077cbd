/*
 * The plan's parser and validator (dt/plan*.c): the shipped plans pass, and each rule
 * has a fixture (tests/fixtures/plans/bad-*.dts) that trips it at the node it names.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/plan_arena.h"
#include "dt/plan.h"
#include "dt/plan_internal.h"
#include "core/cap.h"
#include "fixture.h"

static struct plan plan;
static struct plan_report rep;
static struct platform plat;
static struct plan_memory_map map;
static struct pa_range kernel_tables; /* the env's tables (the kernel's plan tables) */

/* The kernel of the platform rules' fixtures: where QEMU loads the image on virt. */
#define KERNEL_BASE 0x40200000ULL
#define KERNEL_BYTES 0x200000ULL

static void *load(const char *name, size_t *len)
{
	return fixture_load(name, len);
}

/* All three stages; platform (a fixture name under build/fixtures) may be NULL. */
static enum plan_err run_plan(const char *name, const char *platform,
			      const char *const *programs, unsigned int n_programs)
{
	size_t len, plen;
	void *blob = load(name, &len);
	enum plan_err e;

	plan_report_init(&rep);
	e = plan_parse(blob, len, &plan, test_arena(), &rep);
	if (e == PLAN_OK)
		e = plan_check(&plan, programs, n_programs, &rep);
	if (e == PLAN_OK && platform) {
		void *pblob = load(platform, &plen);
		struct dt_diag d;

		cr_assert_eq(platform_parse(pblob, plen, 8, &plat, &d), DT_OK, "%s", d.what);
		struct plan_env env = { pblob, &plat, { pa_init(KERNEL_BASE), KERNEL_BYTES },
					{ pa_init(0x40000000), 0x100000 }, kernel_tables };
		e = plan_check_platform(&plan, &env, &map, &rep);
		free(pblob);
	}
	free(blob);
	return e;
}

static void log_report(void)
{
	for (unsigned int i = 0; i < rep.n; i++) {
		char line[400];
		struct strbuf sb;

		sb_init(&sb, line, sizeof(line));
		plan_error_format(&rep.e[i], &sb);
		cr_log_info("%s", line);
	}
}

/* The report holds this rule at this path, with what containing the words given. */
static void expect_error(enum plan_rule rule, const char *path, const char *what)
{
	log_report();
	for (unsigned int i = 0; i < rep.n; i++)
		if (rep.e[i].rule == rule && !strcmp(rep.e[i].path, path) &&
		    (!what || strstr(rep.e[i].what, what)))
			return;
	cr_assert_fail("no [%s] error at %s%s%s (%u errors)", plan_rule_name(rule), path,
		       what ? " saying " : "", what ? what : "", rep.n);
}

Test(plan, shipped_plans_pass_everywhere_they_are_meant_for)
{
	cr_assert_eq(run_plan("../plans/demo.dtb", "qemu-virt-gicv3-4cpu.dtb", NULL, 0), PLAN_OK);
	cr_assert_eq(plan.n_part, 3);
	cr_assert_eq(plan.n_sched, 2);
	cr_assert_eq(plan.n_chan, 2);
	cr_assert_eq(plan.major_frame_us, 20000);
	cr_assert_str_eq(plan.part[0].name, "sensors");
	cr_assert_str_eq(plan.part[0].devices[0], "pl031@9010000");
	cr_assert_eq(plan.part[0].hm.action[HM_FAULT], HM_ACT_COLD_RESTART, "restart is cold-restart");
	cr_assert_eq(plan.part[0].hm.action[HM_RESTART_LIMIT], HM_ACT_STOP, "on-limit");
	cr_assert_eq(plan.part[1].hm.action[HM_DEADLINE_MISS], HM_ACT_STOP, "absent class: stop");
	cr_assert_eq(plan_partition_supply_us(&plan, 0), 12000);
	/* Placed first fit above the kernel, in plan order. */
	cr_assert_eq(pa_addr(map.part[0].base), KERNEL_BASE + KERNEL_BYTES);
	cr_assert_eq(pa_addr(map.part[1].base), KERNEL_BASE + KERNEL_BYTES + 0x1000000);

	/* args packed as the info page holds them (struct bh_info). */
	cr_assert_eq(plan.part[0].n_args, 3);
	cr_assert_eq(plan.part[0].args_bytes,
		     sizeof("base-mc=21500") + sizeof("report-every=10") + sizeof("channels=on"));
	cr_assert_eq(memcmp(plan.part[0].args, "base-mc=21500\0report-every=10\0channels=on",
			    plan.part[0].args_bytes), 0);
	cr_assert_eq(plan.part[2].n_args, 2);

	cr_assert_eq(run_plan("../plans/demo-xen.dtb", "xen-domu-passthrough.dtb", NULL, 0), PLAN_OK);
	/* One plan for both: devices by node name and unit address. */
	cr_assert_eq(run_plan("../plans/demo.dtb", "xen-domu-passthrough.dtb", NULL, 0), PLAN_OK);
	cr_assert_eq(run_plan("plans/good-device-by-name.dtb", "qemu-virt-gicv2-2cpu.dtb", NULL, 0), PLAN_OK);
	cr_assert_eq(run_plan("../plans/single.dtb", "qemu-virt-gicv3-1cpu.dtb", NULL, 0), PLAN_OK);
	cr_assert_eq(run_plan("plans/good-base.dtb", "qemu-virt-gicv2-2cpu.dtb", NULL, 0), PLAN_OK);
	log_report();
}

Test(plan, images_are_checked_against_the_programs_given)
{
	static const char *const programs[] = { "demo-sensors" };

	cr_assert_eq(run_plan("plans/good-base.dtb", NULL, programs, 1), PLAN_INVALID);
	expect_error(RULE_IMAGE_UNKNOWN, "/partitions/beta", "'demo-logger'");
	cr_assert_eq(rep.n, 1, "alpha's image exists");
}

Test(plan, not_a_blob)
{
	static const char text[] = "partitions { a { cpu = <0>; }; };";

	plan_report_init(&rep);
	cr_assert_eq(plan_parse(text, sizeof(text), &plan, test_arena(), &rep), PLAN_INVALID);
	expect_error(RULE_BLOB, "", "header");
	plan_report_init(&rep);
	cr_assert_eq(plan_parse(NULL, 0, &plan, test_arena(), &rep), PLAN_INVALID);
	expect_error(RULE_BLOB, "", NULL);
}

/* One failing fixture per rule. Values, not pointers (Criterion copies them). */
struct rule_case {
	char fixture[40];
	char platform[40]; /* "" for the plan-only rules */
	enum plan_rule rule;
	char path[48];
	char what[96];
};

/* The table the parameterized test runs; every_rule_is_covered reads the same one. */
static struct rule_case rule_cases[] = {
	{ "bad-format", "", RULE_FORMAT, "/", "bulkhead,plan" },
	{ "bad-version", "", RULE_VERSION, "/", "plan-version = 2" },
	{ "bad-property-missing", "", RULE_PROPERTY, "/partitions/alpha", "'cpu'" },
	{ "bad-property-unknown", "", RULE_PROPERTY, "/partitions/alpha/driver", "'period_us'" },
	{ "bad-range", "", RULE_RANGE, "/partitions/alpha/driver", "priority = 0, expected 1..255" },
	{ "bad-limit", "", RULE_LIMIT, "/partitions/beta", "9 entries, at most 8" },
	{ "bad-name", "", RULE_NAME, "/channels/li.nk", "'li.nk'" },
	{ "bad-duplicate", "", RULE_DUPLICATE, "/partitions/alpha@1", "/partitions/alpha" },
	{ "bad-window-partition", "", RULE_WINDOW_PARTITION, "/schedule/cpu@0/window@1", "'nobody'" },
	{ "bad-window-none", "", RULE_WINDOW_PARTITION, "/schedule/cpu@0/window@1", "no partition" },
	{ "bad-window-overlap", "", RULE_WINDOW_OVERLAP, "/schedule/cpu@0/window@1",
	  "4000..6000 us overlaps window@0 (0..5000 us)" },
	{ "bad-window-frame", "", RULE_WINDOW_FRAME, "/schedule/cpu@0/window@1",
	  "ends at 11000 us, after the major frame (10000 us)" },
	{ "bad-window-cpu", "", RULE_WINDOW_CPU, "/schedule/cpu@1/window@0", "assigned to CPU 0" },
	{ "bad-schedule-cpu", "", RULE_SCHEDULE_CPU, "/schedule/cpu@2", "/schedule/cpu@0" },
	{ "bad-unscheduled", "", RULE_PARTITION_UNSCHEDULED, "/partitions/beta", "CPU 1" },
	{ "bad-cell-timing", "", RULE_CELL_TIMING, "/partitions/alpha", "20000, 10000, 10000" },
	{ "bad-cell-utilisation", "", RULE_CELL_UTILISATION, "/partitions/alpha",
	  "need 80.0% of CPU 0, the partition's windows give 70.0%" },
	{ "bad-cell-deadline", "", RULE_CELL_DEADLINE, "/partitions/alpha",
	  "driver: wcet-us 1000 cannot fit within deadline-us 3000" },
	{ "bad-memory-overlap", "", RULE_MEMORY_OVERLAP, "/partitions/beta", "/partitions/alpha" },
	{ "bad-device-shared", "", RULE_DEVICE_SHARED, "/partitions/beta", "/pl031@9010000" },
	{ "bad-channel-endpoint", "", RULE_CHANNEL_ENDPOINT, "/channels/link", "'nobody'" },
	{ "bad-channel-size", "", RULE_CHANNEL_SIZE, "/channels/link", "message-bytes = 0" },
	{ "good-base", "qemu-virt-gicv3-1cpu.dtb", RULE_CPU_MISSING, "/partitions/beta",
	  "cpu = 1, the machine has CPU 0 only" },
	{ "bad-memory-ram", "qemu-virt-gicv2-2cpu.dtb", RULE_MEMORY_RAM, "/partitions/alpha",
	  "0x10000000-0x100fffff" },
	{ "bad-memory-reserved", "qemu-virt-gicv2-2cpu.dtb", RULE_MEMORY_RESERVED,
	  "/partitions/alpha", "the kernel image" },
	{ "bad-memory-fit", "qemu-virt-gicv2-2cpu.dtb", RULE_MEMORY_FIT, "/partitions/beta",
	  "memory-bytes = 0x40000000, the largest free block of RAM left is 0xff00000 bytes" },
	{ "bad-device-missing", "qemu-virt-gicv2-2cpu.dtb", RULE_DEVICE_MISSING,
	  "/partitions/alpha", "/nothing@0 is not in the platform" },
	{ "bad-device-kernel", "qemu-virt-gicv2-2cpu.dtb", RULE_DEVICE_KERNEL,
	  "/partitions/alpha", "the console" },
	{ "bad-args-count", "", RULE_ARGS, "/partitions/alpha", "args has 17 strings, at most 16" },
	{ "bad-args-long", "", RULE_ARGS, "/partitions/beta", "args[1] is 128 characters, at most 127" },
	{ "bad-args-chars", "", RULE_ARGS, "/partitions/alpha", "args[1] is empty" },
	{ "bad-args-chars", "", RULE_ARGS, "/partitions/alpha", "args[2] has a character that is not printable ASCII (byte 9)" },
	{ "bad-args-bytes", "", RULE_ARGS, "/partitions/alpha", "args take 1111 bytes with their NULs, at most 1024" },
	{ "bad-node-duplicate", "", RULE_NODE_DUPLICATE, "/partitions/alpha/driver@1",
	  "a second driver node, /partitions/alpha/driver is the first" },
	{ "bad-device-node", "qemu-virt-gicv2-2cpu.dtb", RULE_DEVICE_NODE, "/partitions/alpha",
	  "/memory@40000000 is not a device: it is memory" },
	{ "bad-device-ambiguous", "handmade-twin-pl031.dtb", RULE_DEVICE_AMBIGUOUS, "/partitions/alpha",
	  "matches 2 nodes: /pl031@9010000 and /bus@a0000000/pl031@9010000" },
	{ "bad-hm-action", "", RULE_HM_ACTION, "/partitions/alpha/health-monitor",
	  "memory-violation = 'ignore': the faulting instruction" },
	{ "bad-hm-action", "", RULE_HM_ACTION, "/partitions/beta/health-monitor",
	  "heartbeat-miss = 'restart-cell': a missed heartbeat" },
	{ "bad-hm-on-limit", "", RULE_HM_ACTION, "/partitions/alpha/health-monitor",
	  "on-limit = 'cold-restart': once the restarts are used up" },
	{ "bad-hm-restart-limit", "", RULE_HM_RESTART_LIMIT, "/partitions/beta/health-monitor",
	  "deadline-miss restarts ('warm-restart')" },
	{ "bad-hm-restart-window", "", RULE_HM_RESTART_WINDOW, "/partitions/alpha/health-monitor",
	  "restart-window-us = 20000 with restart-limit = 2" },
	{ "bad-persistent-memory", "", RULE_PERSISTENT_MEMORY, "/partitions/alpha",
	  "persistent-bytes 1040384 + stacks 8192 + 8192" },
};

ParameterizedTestParameters(plan, each_rule_has_a_fixture_that_trips_it)
{
	return cr_make_param_array(struct rule_case, rule_cases, ARRAY_SIZE(rule_cases));
}

ParameterizedTest(struct rule_case *c, plan, each_rule_has_a_fixture_that_trips_it)
{
	char name[64];

	snprintf(name, sizeof(name), "plans/%s.dtb", c->fixture);
	cr_assert_eq(run_plan(name, c->platform[0] ? c->platform : NULL, NULL, 0), PLAN_INVALID,
		     "%s was accepted", c->fixture);
	expect_error(c->rule, c->path, c->what);
}

Test(plan, every_rule_is_covered)
{
	bool seen[RULE_COUNT] = { false };

	/* RULE_BLOB is covered by not_a_blob, RULE_IMAGE_UNKNOWN by its own test; every other
	 * rule needs a row in the table each_rule_has_a_fixture_that_trips_it runs. */
	seen[RULE_BLOB] = seen[RULE_IMAGE_UNKNOWN] = true;
	seen[RULE_IMAGE_DIGEST] = true; /* tests/unit/test_plan_digest.c */
	for (size_t i = 0; i < ARRAY_SIZE(rule_cases); i++) {
		cr_assert_lt((unsigned int)rule_cases[i].rule, RULE_COUNT);
		seen[rule_cases[i].rule] = true;
	}
	for (int r = 0; r < RULE_COUNT; r++) {
		cr_assert(seen[r], "rule %s has no fixture", plan_rule_name((enum plan_rule)r));
		cr_assert_neq(strcmp(plan_rule_name((enum plan_rule)r), "unknown-rule"), 0);
	}
}

/* What a user mistyped gets the closest known name; values as written, only what is wrong. */
Test(plan, near_misses_suggest_the_closest_name)
{
	cr_assert_eq(run_plan("plans/bad-typos.dtb", NULL, NULL, 0), PLAN_INVALID);
	expect_error(RULE_PROPERTY, "/partitions/alpha/driver",
		     "unknown property 'period_us', did you mean 'period-us'?");
	expect_error(RULE_RANGE, "/partitions/alpha", "memory-base = 0x50000800, not a multiple of 0x1000");
	cr_assert_eq(rep.n, 2, "the parse stops the checks");

	/* The same names, once the parse passes. */
	cr_assert_eq(run_plan("plans/bad-typos-checked.dtb", "qemu-virt-gicv2-2cpu.dtb", NULL, 0),
		     PLAN_INVALID);
	expect_error(RULE_WINDOW_PARTITION, "/schedule/cpu@0/window@1",
		     "names partition 'alpah', which the plan does not have, did you mean 'alpha'?");
	expect_error(RULE_CHANNEL_ENDPOINT, "/channels/link",
		     "destination 'bta' is not a partition of the plan, did you mean 'beta'?");
	cr_assert_eq(rep.n, 2, "the platform rules wait for a valid plan");

	cr_assert_eq(run_plan("plans/bad-typo-device.dtb", "qemu-virt-gicv2-2cpu.dtb", NULL, 0),
		     PLAN_INVALID);
	expect_error(RULE_DEVICE_MISSING, "/partitions/alpha",
		     "device /pl031@901000 is not in the platform device tree, did you mean "
		     "'/pl031@9010000'?");

	/* Nothing close: no guess. */
	cr_assert_eq(run_plan("plans/bad-channel-endpoint.dtb", NULL, NULL, 0), PLAN_INVALID);
	for (unsigned int i = 0; i < rep.n; i++)
		cr_assert_null(strstr(rep.e[i].what, "did you mean"), "%s", rep.e[i].what);
}

Test(plan, edit_distance)
{
	cr_assert_eq(plan_edit_distance("loger", "logger"), 1);
	cr_assert_eq(plan_edit_distance("", "abc"), 3);
	cr_assert_eq(plan_edit_distance("kitten", "sitting"), 3);
	cr_assert_eq(plan_edit_distance("same", "same"), 0);
	cr_assert_eq(plan_edit_distance("alpah", "alpha"), 1, "a swap of neighbours is one edit");
}

Test(plan, errors_are_all_reported_and_formatted)
{
	char line[400];
	struct strbuf sb;

	cr_assert_eq(run_plan("plans/bad-cell-utilisation.dtb", NULL, NULL, 0), PLAN_INVALID);
	sb_init(&sb, line, sizeof(line));
	plan_error_format(&rep.e[0], &sb);
	cr_assert(strstr(line, "/partitions/alpha: ") == line, "%s", line);
	cr_assert(strstr(line, " [cell-utilisation]"), "%s", line);
}

Test(plan, report_keeps_a_bounded_number_of_errors)
{
	plan_report_init(&rep);
	for (int i = 0; i < PLAN_MAX_ERRORS + 5; i++) {
		struct strbuf sb = plan_error_add(&rep, RULE_RANGE, "/x");

		sb_puts(&sb, "a long message that must still be cut safely at the buffer's end");
	}
	cr_assert_eq(rep.n, PLAN_MAX_ERRORS);
	cr_assert_eq(rep.dropped, 5);
}

Test(plan, supply_bound_of_the_demo)
{
	cr_assert_eq(run_plan("../plans/demo.dtb", NULL, NULL, 0), PLAN_OK);
	/* sensors: 0-6000 and 10000-16000 of 20000 us. Worst start: 16000 (4000 us gap). */
	cr_assert_eq(plan_supply_bound_us(&plan, 0, 4000), 0);
	cr_assert_eq(plan_supply_bound_us(&plan, 0, 5000), 1000);
	cr_assert_eq(plan_supply_bound_us(&plan, 0, 10000), 6000,
		     "from 6000 or 16000: 4000 us idle first");
	cr_assert_eq(plan_supply_bound_us(&plan, 0, 20000), 12000);
	cr_assert_eq(plan_supply_bound_us(&plan, 0, 45000), 2 * 12000 + 1000);
	/* actuators: 2000-12000 on CPU 1. */
	cr_assert_eq(plan_supply_bound_us(&plan, 2, 8000), 0);
	cr_assert_eq(plan_supply_bound_us(&plan, 2, 20000), 10000);
}

/* The channels' block: the kernel's state (2 channels, 7 capability slots, 3 partitions:
 * one page), telemetry's 80-byte region (a page) and a read-count page for each of its
 * two destinations, commands' 336-byte region and its ack page; placed after the partitions, first fit from the lowest free address: here the
 * gap between the platform tree (1 MiB at 0x40000000) and the kernel. */
Test(plan, the_channel_block_is_sized_by_the_plan_and_placed_after_the_partitions)
{
	cr_assert_eq(run_plan("../plans/demo.dtb", "qemu-virt-gicv3-4cpu.dtb", NULL, 0), PLAN_OK);
	cr_assert_eq(plan_channel_state_bytes(&plan),
		     2 * PLAN_CHANNEL_STATE_BYTES + 7 * PLAN_CAP_STATE_BYTES + 3 * PLAN_PART_STATE_BYTES);
	cr_assert_eq(plan_channel_bytes(&plan), 6 * 4096);
	cr_assert_eq(map.channels.size, 6 * 4096);
	cr_assert_eq(pa_addr(map.channels.base), 0x40100000);
	/* The 7 slots are exactly the partitions' capability tables, which the kernel
	 * builds there (channels_cap_slots): the capabilities the plan grants, each
	 * partition's in turn. */
	unsigned int grants = 0;

	for (unsigned int i = 0; i < plan.n_part; i++)
		grants += cap_plan_grants(&plan, i, NULL, 0);
	cr_assert_eq(grants, 7);
	cr_assert_eq(cap_plan_slots(&plan), grants);
	cr_assert_leq(sizeof(struct cap_entry), PLAN_CAP_STATE_BYTES);
}

/* The kernel's plan tables go at the top of the largest free block (RAM less the
 * kernel, the DTB, reserved memory), and the platform rules treat them as taken: no
 * partition is placed on them, a fixed one over them is refused, and the block left free
 * for the run-time tables does not hold them. */
Test(plan, the_kernels_plan_tables_take_the_top_of_free_ram_and_are_kept_clear)
{
	size_t plen;
	void *pblob = load("qemu-virt-gicv2-2cpu.dtb", &plen);
	struct dt_diag d;
	struct pa_range r, all;

	cr_assert_eq(platform_parse(pblob, plen, 8, &plat, &d), DT_OK, "%s", d.what);
	struct plan_env env = { pblob, &plat, { pa_init(KERNEL_BASE), KERNEL_BYTES },
				{ pa_init(0x40000000), 0x100000 }, { pa_init(0), 0 } };
	uint64_t ram_end = pa_addr(plat.ram[0].base) + plat.ram[0].size;
	uint64_t big = ram_end - (KERNEL_BASE + KERNEL_BYTES); /* above the kernel */

	cr_assert(plan_tables_ram(&env, 10000, &r));
	cr_assert_eq(r.size, 3 * 4096, "whole pages");
	cr_assert_eq(pa_addr(r.base) + r.size, ram_end, "the top of the largest block");
	env.tables = (struct pa_range){ pa_init(0x40300000), 0x1000 };
	cr_assert(plan_tables_ram(&env, 10000, &all), "env.tables is not counted");
	cr_assert_eq(pa_addr(all.base), pa_addr(r.base));
	cr_assert_not(plan_tables_ram(&env, big + 1, &all), "one byte more than the block");
	cr_assert_eq(pa_addr(all.base), KERNEL_BASE + KERNEL_BYTES);
	cr_assert_eq(all.size, big, "the whole block, for the refusal to name");
	free(pblob);

	kernel_tables = r;
	cr_assert_eq(run_plan("../plans/demo.dtb", "qemu-virt-gicv2-2cpu.dtb", NULL, 0), PLAN_OK);
	for (unsigned int i = 0; i < plan.n_part; i++)
		cr_assert(pa_addr(map.part[i].base) + map.part[i].size <= pa_addr(r.base) ||
			  pa_addr(map.part[i].base) >= pa_addr(r.base) + r.size);
	cr_assert_gt(map.free.size, 0);
	cr_assert(pa_addr(map.free.base) + map.free.size <= pa_addr(r.base), "free ends below");

	/* good-base.dts fixes alpha at 0x50000000 (1 MiB): tables there refuse it. */
	kernel_tables = (struct pa_range){ pa_init(0x50080000), 0x1000 };
	cr_assert_eq(run_plan("plans/good-base.dtb", "qemu-virt-gicv2-2cpu.dtb", NULL, 0), PLAN_INVALID);
	cr_assert_eq(rep.n, 1);
	cr_assert_eq(rep.e[0].rule, RULE_MEMORY_RESERVED);
	cr_assert(strstr(rep.e[0].what, "the kernel's plan tables"), "%s", rep.e[0].what);
	kernel_tables = (struct pa_range){ pa_init(0), 0 };
}
