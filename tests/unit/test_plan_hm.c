/*
 * The health-monitor schema (dt/plan_hm.c): today's plans read with the documented
 * defaults, every new property is read, and the policy a plan resolves is what
 * core/hm.c decides by. The rules' fixtures are in test_plan.c with the others.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/plan_arena.h"
#include "core/hm.h"
#include "dt/plan.h"
#include "fixture.h"

static struct plan plan;
static struct plan_report rep;

static void parse_ok(const char *name)
{
	size_t len;
	void *blob = fixture_load(name, &len);

	plan_report_init(&rep);
	cr_assert_eq(plan_parse(blob, len, &plan, test_arena(), &rep), PLAN_OK, "%s: %s %s", name,
		     rep.n ? rep.e[0].path : "", rep.n ? rep.e[0].what : "");
	cr_assert_eq(plan_check(&plan, NULL, 0, &rep), PLAN_OK, "%s: %s %s", name,
		     rep.n ? rep.e[0].path : "", rep.n ? rep.e[0].what : "");
	free(blob);
}

static void expect_actions(unsigned int part, const enum plan_hm_action want[HM_CLASSES])
{
	for (int k = 0; k < HM_CLASSES; k++)
		cr_assert_eq(plan.part[part].hm.action[k], want[k], "%s %s: %s, expected %s",
			     plan.part[part].name, plan_hm_class_name(k),
			     plan_hm_action_name(plan.part[part].hm.action[k]),
			     plan_hm_action_name(want[k]));
}

/* demo.dtsi uses the first schema's words only: fault, restart, on-limit. */
Test(plan_hm, todays_plans_read_with_the_documented_defaults)
{
	parse_ok("../plans/demo.dtb");
	/* sensors: fault, deadline-miss, heartbeat-miss = restart; syscall-violation = stop;
	 * restart-limit 3; on-limit stop. */
	static const enum plan_hm_action sensors[HM_CLASSES] = {
		[HM_MEMORY_VIOLATION] = HM_ACT_COLD_RESTART, /* from fault */
		[HM_ILLEGAL_INSTRUCTION] = HM_ACT_COLD_RESTART, /* from fault */
		[HM_FAULT] = HM_ACT_COLD_RESTART,            /* "restart" is cold-restart */
		[HM_SYSCALL_VIOLATION] = HM_ACT_STOP,
		[HM_DEADLINE_MISS] = HM_ACT_COLD_RESTART,
		[HM_HEARTBEAT_MISS] = HM_ACT_COLD_RESTART,
		[HM_APPLICATION_ERROR] = HM_ACT_COLD_RESTART, /* follows heartbeat-miss */
		[HM_RESTART_LIMIT] = HM_ACT_STOP,
	};
	/* logger: fault and heartbeat-miss restart, limit 5, nothing else said. */
	static const enum plan_hm_action logger[HM_CLASSES] = {
		[HM_MEMORY_VIOLATION] = HM_ACT_COLD_RESTART,
		[HM_ILLEGAL_INSTRUCTION] = HM_ACT_COLD_RESTART,
		[HM_FAULT] = HM_ACT_COLD_RESTART,
		[HM_SYSCALL_VIOLATION] = HM_ACT_STOP,
		[HM_DEADLINE_MISS] = HM_ACT_STOP,
		[HM_HEARTBEAT_MISS] = HM_ACT_COLD_RESTART,
		[HM_APPLICATION_ERROR] = HM_ACT_COLD_RESTART,
		[HM_RESTART_LIMIT] = HM_ACT_STOP,
	};
	expect_actions(0, sensors);
	expect_actions(1, logger);
	for (unsigned int i = 0; i < plan.n_part; i++) {
		cr_assert_eq(plan.part[i].hm.restart_window_us, 0, "since boot");
		cr_assert_eq(plan.part[i].persistent_bytes, 0);
	}
	cr_assert_eq(plan.part[0].hm.restart_limit, 3);
	cr_assert_eq(plan.system_action, PLAN_SYSTEM_PANIC_POLICY);

	/* A partition without a health-monitor node: every class stops, no budget. */
	static const enum plan_hm_action none[HM_CLASSES] = { 0 };

	parse_ok("plans/good-base.dtb");
	cr_assert_str_eq(plan.part[1].name, "beta");
	expect_actions(1, none);
	cr_assert_eq(plan.part[1].hm.restart_limit, 0);
	for (int k = 0; k < HM_CLASSES; k++)
		cr_assert_eq(none[k], HM_ACT_STOP);
}

Test(plan_hm, every_new_property_is_read)
{
	parse_ok("plans/good-hm.dtb");
	static const enum plan_hm_action alpha[HM_CLASSES] = {
		[HM_MEMORY_VIOLATION] = HM_ACT_WARM_RESTART, /* given before fault, still wins */
		[HM_ILLEGAL_INSTRUCTION] = HM_ACT_STOP,      /* from fault */
		[HM_FAULT] = HM_ACT_STOP,
		[HM_SYSCALL_VIOLATION] = HM_ACT_ESCALATE,
		[HM_DEADLINE_MISS] = HM_ACT_RESTART_CELL,
		[HM_HEARTBEAT_MISS] = HM_ACT_COLD_RESTART,
		[HM_APPLICATION_ERROR] = HM_ACT_IGNORE,      /* given: does not follow */
		[HM_RESTART_LIMIT] = HM_ACT_ESCALATE,
	};
	expect_actions(0, alpha);
	cr_assert_eq(plan.part[0].hm.restart_limit, 3);
	cr_assert_eq(plan.part[0].hm.restart_window_us, 1ull << 32, "two cells");
	cr_assert_eq(plan.part[0].persistent_bytes, 0x10000);
	cr_assert_eq(plan.system_action, PLAN_SYSTEM_OFF);
}

Test(plan_hm, the_resolved_policy_is_what_the_monitor_decides_by)
{
	struct hm hm;
	struct hm_decision dec;
	struct hm_detail d = { .cell = PLAN_CELL_DRIVER, .detail = "x" };
	void *mem;

	parse_ok("plans/good-hm.dtb");
	mem = malloc(hm_mem_bytes(&plan));
	cr_assert_eq(hm_build(&hm, &plan, mem, hm_mem_bytes(&plan)), HM_OK);
	cr_assert_eq(hm.policy[0].restart_window_ns, (1ull << 32) * 1000);
	cr_assert_eq(hm.policy[0].persistent_bytes, 0x10000);
	cr_assert_eq(hm.policy[0].heartbeat_timeout_ns, 10000000);
	cr_assert_eq(hm_wipe_bytes(&hm.policy[0], HM_ACT_WARM_RESTART), 0x100000 - 0x10000);
	cr_assert_eq(hm_transition(&hm, 0, HM_EV_BOOT), HM_OK);
	cr_assert_eq(hm_transition(&hm, 0, HM_EV_START_DONE), HM_OK);
	cr_assert_eq(hm_detect(&hm, 0, HM_MEMORY_VIOLATION, 1, &d, &dec), HM_OK);
	cr_assert_eq(dec.action, HM_ACT_WARM_RESTART);
	cr_assert_eq(dec.state, HM_STATE_WARM_START);
	cr_assert_eq(hm_transition(&hm, 0, HM_EV_START_DONE), HM_OK);
	cr_assert_eq(hm_detect(&hm, 0, HM_SYSCALL_VIOLATION, 2, &d, &dec), HM_OK);
	cr_assert_eq(dec.action, HM_ACT_ESCALATE);
	cr_assert_eq(dec.state, HM_STATE_STOPPED);
	cr_assert_eq(dec.system, PLAN_SYSTEM_OFF);
	free(mem);
}

Test(plan_hm, names_of_classes_actions_and_system_actions)
{
	static const char *const classes[HM_CLASSES] = {
		"memory-violation", "illegal-instruction", "fault", "syscall-violation",
		"deadline-miss", "heartbeat-miss", "application-error", "restart-limit",
	};

	for (int k = 0; k < HM_CLASSES; k++)
		cr_assert_str_eq(plan_hm_class_name(k), classes[k]);
	cr_assert_str_eq(plan_hm_action_name(HM_ACT_RESTART_CELL), "restart-cell");
	cr_assert_str_eq(plan_hm_action_name(HM_ACTIONS), "?");
	cr_assert_str_eq(plan_system_action_name(PLAN_SYSTEM_OFF), "off");
	cr_assert_str_eq(plan_system_action_name(PLAN_SYSTEM_RESTART), "restart");
	cr_assert_not(plan_hm_action_allowed(HM_CLASSES, HM_ACT_STOP));
	cr_assert_not(plan_hm_action_allowed(HM_FAULT, HM_ACTIONS));
	cr_assert(plan_hm_action_restarts(HM_ACT_RESTART_CELL));
	cr_assert_not(plan_hm_action_restarts(HM_ACT_ESCALATE));
}

/* The documented matrix (docs/health.md), restated: 1 where the class allows it. */
Test(plan_hm, each_class_allows_exactly_the_documented_actions)
{
	/* ignore, restart-cell, warm-restart, cold-restart, stop, escalate */
	static const enum plan_hm_action order[] = { HM_ACT_IGNORE, HM_ACT_RESTART_CELL,
						     HM_ACT_WARM_RESTART, HM_ACT_COLD_RESTART,
						     HM_ACT_STOP, HM_ACT_ESCALATE };
	static const int matrix[HM_CLASSES][HM_ACTIONS] = {
		[HM_MEMORY_VIOLATION] = { 0, 1, 1, 1, 1, 1 },
		[HM_ILLEGAL_INSTRUCTION] = { 0, 1, 1, 1, 1, 1 },
		[HM_FAULT] = { 0, 1, 1, 1, 1, 1 },
		[HM_SYSCALL_VIOLATION] = { 1, 1, 1, 1, 1, 1 },
		[HM_DEADLINE_MISS] = { 1, 1, 1, 1, 1, 1 },
		[HM_HEARTBEAT_MISS] = { 1, 0, 1, 1, 1, 1 },
		[HM_APPLICATION_ERROR] = { 1, 1, 1, 1, 1, 1 },
		[HM_RESTART_LIMIT] = { 0, 0, 0, 0, 1, 1 },
	};

	for (int k = 0; k < HM_CLASSES; k++)
		for (int a = 0; a < HM_ACTIONS; a++)
			cr_assert_eq(plan_hm_action_allowed(k, order[a]), matrix[k][a], "%s %s",
				     plan_hm_class_name(k), plan_hm_action_name(order[a]));
}
