/*
 * core/hm.c: the lifecycle table, the action tables and the restart budget,
 * exhaustively over states, events, classes and actions. Plans are built by hand
 * (hm_build reads only the partitions' names and health-monitor fields); the memory
 * is malloc'd at exactly hm_mem_bytes, so ASan catches any write past it. The status
 * view, the events and the docs: test_hm_report.c.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/hm.h"

#define MS 1000000ull /* ns */

/* The lifecycle, restated independently of core/hm.c: EXPECT[from][event] is where
 * the event leads, or -1 where it must be refused. */
static const int EXPECT[HM_STATES][HM_EVENTS] = {
	[HM_STATE_IDLE] = { [HM_EV_BOOT] = HM_STATE_COLD_START, [HM_EV_START_DONE] = -1,
			    [HM_EV_DETECT] = -1, [HM_EV_RESTART_CELL] = -1, [HM_EV_RESTART_WARM] = -1,
			    [HM_EV_RESTART_COLD] = -1, [HM_EV_STOP] = -1 },
	[HM_STATE_COLD_START] = { [HM_EV_BOOT] = -1, [HM_EV_START_DONE] = HM_STATE_NORMAL,
				  [HM_EV_DETECT] = -1, [HM_EV_RESTART_CELL] = -1,
				  [HM_EV_RESTART_WARM] = -1, [HM_EV_RESTART_COLD] = -1,
				  [HM_EV_STOP] = HM_STATE_STOPPED },
	[HM_STATE_WARM_START] = { [HM_EV_BOOT] = -1, [HM_EV_START_DONE] = HM_STATE_NORMAL,
				  [HM_EV_DETECT] = -1, [HM_EV_RESTART_CELL] = -1,
				  [HM_EV_RESTART_WARM] = -1, [HM_EV_RESTART_COLD] = -1,
				  [HM_EV_STOP] = HM_STATE_STOPPED },
	[HM_STATE_NORMAL] = { [HM_EV_BOOT] = -1, [HM_EV_START_DONE] = -1,
			      [HM_EV_DETECT] = HM_STATE_NORMAL,
			      [HM_EV_RESTART_CELL] = HM_STATE_NORMAL,
			      [HM_EV_RESTART_WARM] = HM_STATE_WARM_START,
			      [HM_EV_RESTART_COLD] = HM_STATE_COLD_START,
			      [HM_EV_STOP] = HM_STATE_STOPPED },
	[HM_STATE_STOPPED] = { [HM_EV_BOOT] = -1, [HM_EV_START_DONE] = -1, [HM_EV_DETECT] = -1,
			       [HM_EV_RESTART_CELL] = -1, [HM_EV_RESTART_WARM] = -1,
			       [HM_EV_RESTART_COLD] = -1, [HM_EV_STOP] = -1 },
};

/* Where each action leaves a partition that was normal. */
static enum hm_state after(enum plan_hm_action a)
{
	switch (a) {
	case HM_ACT_IGNORE:
	case HM_ACT_RESTART_CELL:
		return HM_STATE_NORMAL;
	case HM_ACT_WARM_RESTART:
		return HM_STATE_WARM_START;
	case HM_ACT_COLD_RESTART:
		return HM_STATE_COLD_START;
	default:
		return HM_STATE_STOPPED;
	}
}

static struct plan plan;
static struct plan_partition parts[16]; /* the plan's partition table (plan_parse's arena) */
static struct hm hm;
static void *mem;

/* One partition "p0" (plus n-1 others, all stop) with this policy; built into hm. */
static void build(unsigned int n, const enum plan_hm_action *act, uint32_t limit,
		  uint64_t window_us, enum plan_system_action sys)
{
	memset(&plan, 0, sizeof(plan));
	memset(parts, 0, sizeof(parts));
	plan.part = parts;
	plan.n_part = n;
	plan.system_action = sys;
	for (unsigned int i = 0; i < n; i++) {
		snprintf(plan.part[i].name, sizeof(plan.part[i].name), "p%u", i);
		plan.part[i].memory_bytes = 0x100000;
		plan.part[i].heartbeat_timeout_us = 10000;
		plan.part[i].hm.restart_limit = limit;
		plan.part[i].hm.restart_window_us = window_us;
	}
	if (act)
		memcpy(plan.part[0].hm.action, act, sizeof(plan.part[0].hm.action));
	free(mem);
	mem = malloc(hm_mem_bytes(&plan) ? hm_mem_bytes(&plan) : 1);
	cr_assert_eq(hm_build(&hm, &plan, mem, hm_mem_bytes(&plan)), HM_OK);
}

/* A policy where class cls takes action a and everything else stops. */
static void build_one(enum plan_hm_class cls, enum plan_hm_action a, uint32_t limit,
		      uint64_t window_us, enum plan_hm_action on_limit)
{
	enum plan_hm_action act[HM_CLASSES] = { 0 };

	act[cls] = a;
	act[HM_RESTART_LIMIT] = on_limit;
	build(2, act, limit, window_us, PLAN_SYSTEM_OFF);
}

static void teardown(void)
{
	free(mem);
	mem = NULL;
}

TestSuite(hm, .fini = teardown);

static void must(enum hm_err e)
{
	cr_assert_eq(e, HM_OK, "%s", hm_strerror(e));
}

/* Drives partition 0 from idle to s through the API (restarts by a detection). */
static void drive_to(enum hm_state s)
{
	struct hm_detail d = { .cell = 0, .detail = "drive" };
	struct hm_decision dec;

	cr_assert_eq(hm.part[0].state, HM_STATE_IDLE);
	if (s == HM_STATE_IDLE)
		return;
	must(hm_transition(&hm, 0, HM_EV_BOOT));
	if (s == HM_STATE_COLD_START)
		return;
	must(hm_transition(&hm, 0, HM_EV_START_DONE));
	if (s == HM_STATE_NORMAL)
		return;
	if (s == HM_STATE_STOPPED) {
		must(hm_transition(&hm, 0, HM_EV_STOP));
		return;
	}
	/* warm-start: needs a class that warm-restarts; the fixture's policies have one
	 * in application-error when the class under test is not it. */
	cr_assert_eq(s, HM_STATE_WARM_START);
	must(hm_detect(&hm, 0, HM_APPLICATION_ERROR, 0, &d, &dec));
	cr_assert_eq(hm.part[0].state, HM_STATE_WARM_START);
}

Test(hm, lifecycle_table_is_exactly_the_documented_one)
{
	for (int s = 0; s < HM_STATES; s++) {
		for (int e = 0; e < HM_EVENTS; e++) {
			enum hm_state to = (enum hm_state)99;
			enum hm_err r = hm_lifecycle(s, e, &to);

			if (EXPECT[s][e] < 0) {
				cr_assert_eq(r, HM_ERR_TRANSITION, "%s --%s--> allowed", hm_state_name(s),
					     hm_event_name(e));
				cr_assert_eq(to, (enum hm_state)99, "refused, *to untouched");
			} else {
				cr_assert_eq(r, HM_OK, "%s --%s--> refused", hm_state_name(s),
					     hm_event_name(e));
				cr_assert_eq(to, (enum hm_state)EXPECT[s][e], "%s --%s--> %s",
					     hm_state_name(s), hm_event_name(e), hm_state_name(to));
			}
		}
	}
	cr_assert_eq(hm_lifecycle(HM_STATES, HM_EV_BOOT, &(enum hm_state){ 0 }), HM_ERR_TRANSITION);
	cr_assert_eq(hm_lifecycle(HM_STATE_IDLE, HM_EVENTS, &(enum hm_state){ 0 }), HM_ERR_TRANSITION);
}

/* The kernel-driven events through hm_transition, from every state: what the table
 * allows happens, the rest is refused, counted, and changes nothing else. */
Test(hm, transitions_follow_the_table_and_refusals_change_nothing)
{
	static const enum hm_event kernel_events[] = { HM_EV_BOOT, HM_EV_START_DONE, HM_EV_STOP };
	enum plan_hm_action act[HM_CLASSES] = { [HM_APPLICATION_ERROR] = HM_ACT_WARM_RESTART };

	for (int s = 0; s < HM_STATES; s++) {
		for (size_t i = 0; i < ARRAY_SIZE(kernel_events); i++) {
			enum hm_event e = kernel_events[i];

			build(1, act, 3, 0, PLAN_SYSTEM_OFF);
			drive_to(s);
			struct hm_part before = hm.part[0];
			enum hm_err r = hm_transition(&hm, 0, e);

			if (EXPECT[s][e] < 0) {
				cr_assert_eq(r, HM_ERR_TRANSITION, "%s --%s-->", hm_state_name(s),
					     hm_event_name(e));
				cr_assert_eq(hm.part[0].refused, before.refused + 1);
				before.refused++;
				cr_assert_eq(memcmp(&before, &hm.part[0], sizeof(before)), 0,
					     "a refused transition changes nothing but the count");
			} else {
				cr_assert_eq(r, HM_OK);
				cr_assert_eq(hm.part[0].state, (enum hm_state)EXPECT[s][e]);
				cr_assert_eq(hm.part[0].refused, before.refused);
			}
		}
		/* The restart and detect events are hm_detect's alone (the budget applies). */
		for (int e = HM_EV_DETECT; e <= HM_EV_RESTART_COLD; e++) {
			build(1, act, 3, 0, PLAN_SYSTEM_OFF);
			drive_to(s);
			struct hm_part before = hm.part[0];

			cr_assert_eq(hm_transition(&hm, 0, e), HM_ERR_ARGUMENT);
			cr_assert_eq(memcmp(&before, &hm.part[0], sizeof(before)), 0);
		}
	}
	cr_assert_eq(hm_transition(&hm, 1, HM_EV_BOOT), HM_ERR_PARTITION);
}

/* Every class x every action x every state. Allowed actions: a detection in normal
 * leads where the action says, counts once, restarts count; in any other state it is
 * refused with nothing changed. Actions a class does not allow: hm_build refuses. */
Test(hm, detect_over_every_class_action_and_state)
{
	unsigned int checked = 0;

	for (int c = 0; c < HM_CLASSES; c++) {
		for (int a = 0; a < HM_ACTIONS; a++) {
			enum plan_hm_action act[HM_CLASSES] = { 0 };

			act[c] = a;
			if (!plan_hm_action_allowed(c, a)) {
				memset(&plan, 0, sizeof(plan));
	memset(parts, 0, sizeof(parts));
	plan.part = parts;
				plan.n_part = 1;
				memcpy(plan.part[0].hm.action, act, sizeof(act));
				free(mem);
				mem = malloc(hm_mem_bytes(&plan));
				cr_assert_eq(hm_build(&hm, &plan, mem, hm_mem_bytes(&plan)), HM_ERR_POLICY,
					     "%s = %s built", plan_hm_class_name(c), plan_hm_action_name(a));
				continue;
			}
			if (c == HM_RESTART_LIMIT)
				continue; /* raised by the budget only: see its own tests */
			for (int s = 0; s < HM_STATES; s++) {
				/* application-error warm-restarts to reach warm-start, unless under test */
				if (c != HM_APPLICATION_ERROR)
					act[HM_APPLICATION_ERROR] = HM_ACT_WARM_RESTART;
				else if (s == HM_STATE_WARM_START && a != HM_ACT_WARM_RESTART)
					continue; /* that state is reached by this class's action */
				build(1, act, 10, 0, PLAN_SYSTEM_RESTART);
				drive_to(s);
				struct hm_part before = hm.part[0];
				struct hm_detail d = { .cell = 1, .detail = "esr=0x1" };
				struct hm_decision dec = { .partition = "untouched" };
				enum hm_err r = hm_detect(&hm, 0, c, 5 * MS, &d, &dec);

				checked++;
				if (s != HM_STATE_NORMAL) {
					cr_assert_eq(r, HM_ERR_TRANSITION, "%s in %s: not refused",
						     plan_hm_class_name(c), hm_state_name(s));
					cr_assert_str_eq(dec.partition, "untouched");
					before.refused++;
					cr_assert_eq(memcmp(&before, &hm.part[0], sizeof(before)), 0);
					continue;
				}
				cr_assert_eq(r, HM_OK, "%s", hm_strerror(r));
				cr_assert_eq(dec.state, after(a), "%s = %s: %s", plan_hm_class_name(c),
					     plan_hm_action_name(a), hm_state_name(dec.state));
				cr_assert_eq(hm.part[0].state, after(a));
				cr_assert_eq(dec.from, HM_STATE_NORMAL);
				cr_assert_eq(dec.planned, a);
				cr_assert_eq(dec.action, a);
				cr_assert_not(dec.limit);
				cr_assert_eq(dec.cls, c);
				cr_assert_eq(dec.cell, 1);
				cr_assert_str_eq(dec.partition, "p0");
				cr_assert_str_eq(dec.detail, "esr=0x1");
				cr_assert_eq(dec.system, PLAN_SYSTEM_RESTART);
				cr_assert_eq(hm.part[0].detections[c], before.detections[c] + 1);
				cr_assert_eq(hm.part[0].detections[HM_RESTART_LIMIT], 0);
				cr_assert_eq(hm.part[0].restarts, before.restarts +
					     (a == HM_ACT_WARM_RESTART || a == HM_ACT_COLD_RESTART));
				cr_assert_eq(hm.part[0].cell_restarts,
					     before.cell_restarts + (a == HM_ACT_RESTART_CELL));
				cr_assert_eq(dec.restarts, hm.part[0].restarts);
				cr_assert_eq(hm.part[0].start_condition,
					     a == HM_ACT_WARM_RESTART || a == HM_ACT_COLD_RESTART
						     ? BH_START_HM_PARTITION_RESTART
						     : before.start_condition);
			}
		}
	}
	cr_assert_gt(checked, 100);
}

Test(hm, detections_it_cannot_take)
{
	enum plan_hm_action act[HM_CLASSES] = { [HM_DEADLINE_MISS] = HM_ACT_RESTART_CELL };
	struct hm_detail none = { .cell = HM_NO_CELL }, bad = { .cell = PLAN_CELLS };
	struct hm_decision dec;

	build(1, act, 2, 0, PLAN_SYSTEM_OFF);
	drive_to(HM_STATE_NORMAL);
	struct hm_part before = hm.part[0];

	cr_assert_eq(hm_detect(&hm, 1, HM_FAULT, 0, &none, &dec), HM_ERR_PARTITION);
	cr_assert_eq(hm_detect(&hm, 0, HM_RESTART_LIMIT, 0, &none, &dec), HM_ERR_ARGUMENT,
		     "restart-limit is raised by the budget, not detected");
	cr_assert_eq(hm_detect(&hm, 0, HM_CLASSES, 0, &none, &dec), HM_ERR_ARGUMENT);
	cr_assert_eq(hm_detect(&hm, 0, HM_FAULT, 0, &bad, &dec), HM_ERR_ARGUMENT);
	cr_assert_eq(hm_detect(&hm, 0, HM_FAULT, 0, NULL, &dec), HM_ERR_ARGUMENT);
	cr_assert_eq(hm_detect(&hm, 0, HM_DEADLINE_MISS, 0, &none, &dec), HM_ERR_NO_CELL);
	cr_assert_eq(memcmp(&before, &hm.part[0], sizeof(before)), 0, "nothing changed");
	/* A detection that names no cell is fine when no cell restarts. */
	must(hm_detect(&hm, 0, HM_HEARTBEAT_MISS, 0, &none, &dec));
	cr_assert_eq(dec.state, HM_STATE_STOPPED);
	cr_assert_eq(dec.cell, HM_NO_CELL);
	cr_assert_str_eq(dec.detail, "", "NULL detail is empty");
}

/* Restarts of one kind (back to normal after each), one per ms from t0. */
static enum hm_err fail_at(enum plan_hm_class c, uint64_t t, struct hm_decision *dec)
{
	struct hm_detail d = { .cell = 0, .detail = NULL };
	enum hm_err r = hm_detect(&hm, 0, c, t, &d, dec);

	if (r == HM_OK && (dec->state == HM_STATE_COLD_START || dec->state == HM_STATE_WARM_START))
		must(hm_transition(&hm, 0, HM_EV_START_DONE));
	return r;
}

Test(hm, budget_trips_at_exactly_the_n_plus_first_restart_within_the_window)
{
	static const enum plan_hm_action kinds[] = { HM_ACT_RESTART_CELL, HM_ACT_WARM_RESTART,
						     HM_ACT_COLD_RESTART };
	static const enum plan_hm_action ends[] = { HM_ACT_STOP, HM_ACT_ESCALATE };

	for (uint32_t n = 1; n <= 10; n++) {
		for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
			for (size_t e = 0; e < ARRAY_SIZE(ends); e++) {
				struct hm_decision dec;

				build_one(HM_FAULT, kinds[k], n, 100000, ends[e]); /* 100 ms */
				drive_to(HM_STATE_NORMAL);
				for (uint32_t i = 0; i < n; i++) {
					must(fail_at(HM_FAULT, 1000 * MS + i * MS, &dec));
					cr_assert_not(dec.limit, "restart %u of %u", i + 1, n);
					cr_assert_eq(dec.action, kinds[k]);
					cr_assert_eq(dec.window_restarts, i + 1);
				}
				must(fail_at(HM_FAULT, 1000 * MS + n * MS, &dec));
				cr_assert(dec.limit, "n=%u: restart %u allowed", n, n + 1);
				cr_assert_eq(dec.planned, kinds[k]);
				cr_assert_eq(dec.action, ends[e], "on-limit applied");
				cr_assert_eq(dec.state, HM_STATE_STOPPED);
				cr_assert_eq(dec.system, PLAN_SYSTEM_OFF);
				cr_assert_eq(dec.window_restarts, n, "the refused restart is not recorded");
				cr_assert_eq(hm.part[0].detections[HM_FAULT], n + 1);
				cr_assert_eq(hm.part[0].detections[HM_RESTART_LIMIT], 1);
				cr_assert_eq(hm.part[0].restarts + hm.part[0].cell_restarts, n);
			}
		}
	}
}

Test(hm, budget_is_restored_once_the_window_slides_past_the_oldest_restart)
{
	struct hm_decision dec;
	const uint64_t w = 50 * MS, t0 = 7 * MS;

	/* Three restarts at t0, t0+1 ms, t0+2 ms; window 50 ms. */
	for (int edge = 0; edge < 2; edge++) {
		build_one(HM_DEADLINE_MISS, HM_ACT_COLD_RESTART, 3, w / 1000, HM_ACT_STOP);
		drive_to(HM_STATE_NORMAL);
		for (int i = 0; i < 3; i++)
			must(fail_at(HM_DEADLINE_MISS, t0 + (uint64_t)i * MS, &dec));
		/* At t0 + w the first restart has left the window; 1 ns before, it has not. */
		must(fail_at(HM_DEADLINE_MISS, t0 + w - (edge ? 0 : 1), &dec));
		cr_assert_eq(dec.limit, edge == 0, "at t0 + w %s", edge ? "" : "- 1 ns");
		if (!edge)
			continue;
		cr_assert_eq(dec.window_restarts, 3, "t0+1, t0+2 and now");
		/* Just before t0+1 ms leaves too, t0+1 ms, t0+2 ms and t0+w fill the budget. */
		must(fail_at(HM_DEADLINE_MISS, t0 + w + MS - 1, &dec));
		cr_assert(dec.limit, "t0+1 ms, t0+2 ms, t0+w lie within the window");
	}
	/* Since boot (no window): never restored, however long ago. */
	build_one(HM_DEADLINE_MISS, HM_ACT_WARM_RESTART, 2, 0, HM_ACT_STOP);
	drive_to(HM_STATE_NORMAL);
	must(fail_at(HM_DEADLINE_MISS, 0, &dec));
	must(fail_at(HM_DEADLINE_MISS, 1, &dec));
	must(fail_at(HM_DEADLINE_MISS, UINT64_MAX, &dec));
	cr_assert(dec.limit);
}

/* Whatever the timing, the budget never lets more than restart_limit restarts into
 * any window, and a partition failing once in every major frame, at any point of it,
 * stops at its limit + 1st failure when the window is at least limit + 1 frames
 * (rule hm-restart-window). */
Test(hm, no_restart_loop_is_possible)
{
	uint64_t seed = 0x1234567;

	for (uint32_t n = 1; n <= 12; n++) {
		const uint64_t frame = 20 * MS;
		struct hm_decision dec;
		uint32_t failures = 0;

		build_one(HM_APPLICATION_ERROR, HM_ACT_WARM_RESTART, n, (n + 1) * frame / 1000,
			  HM_ACT_ESCALATE);
		drive_to(HM_STATE_NORMAL);
		for (uint64_t f = 0; f < 1000 && hm.part[0].state == HM_STATE_NORMAL; f++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			must(fail_at(HM_APPLICATION_ERROR, f * frame + (seed >> 40) % frame, &dec));
			failures++;
		}
		cr_assert_eq(hm.part[0].state, HM_STATE_STOPPED);
		cr_assert_eq(failures, n + 1, "n=%u: stopped after %u failures", n, failures);
		cr_assert_eq(dec.action, HM_ACT_ESCALATE);
	}
	/* Random gaps (some long): count the restarts in every window from the decisions. */
	for (int round = 0; round < 50; round++) {
		const uint32_t n = 1 + round % 5;
		const uint64_t w = 10 * MS;
		uint64_t times[1000], t = 0;
		unsigned int count = 0;
		struct hm_decision dec;

		build_one(HM_SYSCALL_VIOLATION, HM_ACT_RESTART_CELL, n, w / 1000, HM_ACT_STOP);
		drive_to(HM_STATE_NORMAL);
		while (count < ARRAY_SIZE(times) && hm.part[0].state == HM_STATE_NORMAL) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			t += (seed >> 33) % (3 * w / n);
			must(fail_at(HM_SYSCALL_VIOLATION, t, &dec));
			if (dec.action == HM_ACT_RESTART_CELL)
				times[count++] = t;
			unsigned int inside = 0;

			for (unsigned int i = 0; i < count; i++)
				inside += t - times[i] < w;
			cr_assert_leq(inside, n, "round %d: %u restarts within one window", round, inside);
			cr_assert_eq(dec.window_restarts, inside);
		}
	}
}

Test(hm, time_going_backwards_is_refused)
{
	struct hm_decision dec;

	build_one(HM_FAULT, HM_ACT_COLD_RESTART, 3, 1000, HM_ACT_STOP);
	drive_to(HM_STATE_NORMAL);
	must(fail_at(HM_FAULT, 10 * MS, &dec));
	struct hm_part before = hm.part[0];

	cr_assert_eq(fail_at(HM_FAULT, 10 * MS - 1, &dec), HM_ERR_TIME);
	cr_assert_eq(memcmp(&before, &hm.part[0], sizeof(before)), 0);
	must(fail_at(HM_FAULT, 10 * MS, &dec));
}

Test(hm, a_zero_budget_goes_straight_to_on_limit)
{
	struct hm_decision dec;

	build_one(HM_FAULT, HM_ACT_RESTART_CELL, 0, 0, HM_ACT_ESCALATE);
	drive_to(HM_STATE_NORMAL);
	must(fail_at(HM_FAULT, 0, &dec));
	cr_assert(dec.limit);
	cr_assert_eq(dec.action, HM_ACT_ESCALATE);
	cr_assert_eq(dec.state, HM_STATE_STOPPED);
}

Test(hm, memory_is_sized_from_the_plan_and_each_ring_is_its_own)
{
	enum plan_hm_action act[HM_CLASSES] = { [HM_FAULT] = HM_ACT_COLD_RESTART };
	struct hm_decision dec;

	memset(&plan, 0, sizeof(plan));
	memset(parts, 0, sizeof(parts));
	plan.part = parts;
	plan.n_part = 3;
	for (unsigned int i = 0; i < 3; i++) {
		snprintf(plan.part[i].name, sizeof(plan.part[i].name), "q%u", i);
		memcpy(plan.part[i].hm.action, act, sizeof(act));
		plan.part[i].hm.restart_limit = 1 + 2 * i;
	}
	size_t bytes = hm_mem_bytes(&plan);

	cr_assert_eq(bytes, 3 * (sizeof(struct hm_policy) + sizeof(struct hm_part)) +
				    (1 + 3 + 5) * sizeof(uint64_t));
	mem = malloc(bytes + 8);
	cr_assert_eq(hm_build(&hm, &plan, mem, bytes - 1), HM_ERR_MEMORY);
	cr_assert_eq(hm_build(&hm, &plan, (char *)mem + 4, bytes), HM_ERR_MEMORY, "misaligned");
	cr_assert_eq(hm_build(&hm, &plan, NULL, bytes), HM_ERR_MEMORY);
	free(mem);
	mem = malloc(bytes); /* exactly: ASan reports any write past a ring */
	must(hm_build(&hm, &plan, mem, bytes));
	cr_assert_eq(hm.n_part, 3);
	/* Fill every partition's ring to its limit: the others' counts stay their own. */
	for (unsigned int i = 0; i < 3; i++) {
		struct hm_detail d = { .cell = 0 };

		must(hm_transition(&hm, i, HM_EV_BOOT));
		must(hm_transition(&hm, i, HM_EV_START_DONE));
		for (uint32_t k = 0; k <= plan.part[i].hm.restart_limit; k++) {
			must(hm_detect(&hm, i, HM_FAULT, k, &d, &dec));
			if (dec.state == HM_STATE_COLD_START)
				must(hm_transition(&hm, i, HM_EV_START_DONE));
		}
		cr_assert(dec.limit);
	}
	for (unsigned int i = 0; i < 3; i++) {
		cr_assert_eq(hm.part[i].restarts, plan.part[i].hm.restart_limit);
		cr_assert_eq(hm.part[i].state, HM_STATE_STOPPED);
	}
	/* An empty plan needs nothing. */
	plan.n_part = 0;
	cr_assert_eq(hm_mem_bytes(&plan), 0);
}
