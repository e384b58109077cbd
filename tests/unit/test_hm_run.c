/*
 * The health monitor's glue in the running kernel (core/hm_run.c): the class of every
 * EL0 exception class, and the monitor built from a shipped plan driven through a
 * restart, the budget and the status view as the kernel drives it.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "core/hm_run.h"
#include "dt/plan.h"
#include "fixture.h"
#include "tests/unit/plan_arena.h"

/* An independent statement of docs/health.md's table: aborts and alignment faults are
 * memory violations; udf, illegal state and the instructions the ABI forbids at EL0
 * (trapped as WFx, HVC, SMC, MSR/MRS) are illegal instructions; all else is `fault`. */
static enum plan_hm_class expected(uint32_t ec)
{
	if (ec == 0x20 || ec == 0x24 || ec == 0x22 || ec == 0x26)
		return HM_MEMORY_VIOLATION;
	if (ec == 0x00 || ec == 0x01 || ec == 0x0e || ec == 0x16 || ec == 0x17 || ec == 0x18)
		return HM_ILLEGAL_INSTRUCTION;
	return HM_FAULT;
}

Test(hm_run, every_exception_class_maps_to_its_hm_class)
{
	for (uint32_t ec = 0; ec < 64; ec++)
		cr_assert_eq(hm_run_class_of_ec(ec), expected(ec), "EC 0x%x", ec);
	cr_assert_eq(hm_run_class_of_ec(0x3c), HM_FAULT, "brk is a fault");
	cr_assert_eq(hm_run_class_of_ec(0x15), HM_FAULT, "an svc never reaches the fault path");
}

static struct plan plan;

static unsigned int faulty_index(void)
{
	for (unsigned int i = 0; i < plan.n_part; i++)
		if (!strcmp(plan.part[i].name, "faulty"))
			return i;
	cr_assert_fail("no faulty partition");
	return 0;
}

/* faulty.dts: every detection cold-restarts (the word "restart"), three at most, then
 * stop; the others of the demo stop on every class. */
Test(hm_run, the_shipped_faulty_plan_restarts_three_times_then_stops)
{
	struct plan_report rep;
	size_t len;
	void *blob = fixture_load("../plans/faulty.dtb", &len);
	struct hm_decision d;
	struct bh_partition_status st;

	plan_report_init(&rep);
	cr_assert_eq(plan_parse(blob, len, &plan, test_arena(), &rep), PLAN_OK);
	cr_assert_eq(plan_check(&plan, NULL, 0, &rep), PLAN_OK);
	static uint64_t mem[4096];

	cr_assert_leq(hm_mem_bytes(&plan), sizeof(mem));
	cr_assert_not(hm_run_init(&plan, mem, hm_mem_bytes(&plan) - 1), "one byte short");
	cr_assert(hm_run_init(&plan, mem, hm_mem_bytes(&plan)));
	unsigned int f = faulty_index();

	for (unsigned int i = 0; i < plan.n_part; i++)
		cr_assert_eq(hm_run_state(i), HM_STATE_NORMAL, "every partition starts normal");
	for (uint32_t n = 1; n <= 3; n++) {
		cr_assert(hm_run_detect(f, HM_MEMORY_VIOLATION, 0, n * 1000000ULL, "esr=0x92000006", &d));
		cr_assert_eq(d.action, HM_ACT_COLD_RESTART);
		cr_assert_eq(d.restarts, n);
		cr_assert_eq(hm_run_state(f), HM_STATE_COLD_START);
		/* A detection while it reloads is refused: nothing changes. */
		cr_assert_not(hm_run_detect(f, HM_DEADLINE_MISS, 0, n * 1000000ULL + 1, NULL, &d));
		hm_run_status(f, &st);
		cr_assert_eq(st.mode, BH_MODE_COLD_START);
		cr_assert_eq(st.start_condition, BH_START_HM_PARTITION_RESTART);
		cr_assert(hm_run_transition(f, HM_EV_START_DONE));
		hm_run_status(f, &st);
		cr_assert_eq(st.mode, BH_MODE_NORMAL);
		cr_assert_eq(st.restarts, n);
	}
	cr_assert(hm_run_detect(f, HM_HEARTBEAT_MISS, HM_NO_CELL, 9000000, NULL, &d));
	cr_assert(d.limit);
	cr_assert_eq(d.action, HM_ACT_STOP);
	cr_assert_eq(hm_run_state(f), HM_STATE_STOPPED);
	hm_run_status(f, &st);
	cr_assert_eq(st.mode, BH_MODE_IDLE);
	/* stopped is final: a start-done is refused. */
	cr_assert_not(hm_run_transition(f, HM_EV_START_DONE));
	cr_assert_eq(hm_run_state(f), HM_STATE_STOPPED);
	cr_assert_eq(hm_run_state(99), HM_STATE_STOPPED, "out of range reads as stopped");
	cr_assert_null(hm_run_policy(99));
	free(blob);
}
