/*
 * The health monitor's actions other than a cold restart, bare metal under icount, by
 * plans that change faulty's policy: restart-cell, ignore, warm and cold restarts with a
 * persistent region, escalate, and the syscall fuzzer's violations (hm_sys.h).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hm_sys.h"

static void boot_policy(const char *name, const char *const *args, const char *extra,
			struct hm_run *h)
{
	char dtb[128];

	make_plan(name, "configs/plans/faulty.dts", "faulty", extra, args);
	snprintf(dtb, sizeof(dtb), DIR "/%s.dtb", name);
	boot(dtb, RUN_MS, "faulty", h);
}

Test(hm, restart_cell_puts_the_cell_back_at_its_entry, .timeout = 300)
{
	struct hm_run h;

	boot_policy("restart-cell", ARGS("fault=app-error", "after=1"),
		    "&{/partitions/faulty/health-monitor} { application-error = \"restart-cell\"; };", &h);
	assert_str(&h.hm[0], "class", "application-error");
	assert_str(&h.hm[0], "action", "restart-cell");
	assert_str(&h.hm[0], "state", "normal");
	cr_assert_eq(jobj_u64(&h.hm[0], "cell_restarts", 0), 1);
	cr_assert_eq(jobj_u64(&h.hm[0], "restarts", 9), 0, "the partition did not restart");
	cr_assert_eq(h.n_restart, 0, "no reload");
	/* Its start line again (same memory, so still start 0) after each cell restart, and
	 * the budget (three restarts of any kind) then stops it. */
	cr_assert_eq(h.n_starts0, 4);
	assert_str(&h.last_hm, "action", "stop");
	assert_str(&h.stats, "state", "stopped");
	cr_assert_eq(jobj_u64(&h.stats, "cell_restarts", 0), 3);
	assert_others_untouched(&h, RUN_MS);
	hm_run_free(&h);
}

Test(hm, ignore_logs_and_lets_the_partition_go_on, .timeout = 300)
{
	struct hm_run h;

	boot_policy("ignore", ARGS("fault=app-error", "after=1"),
		    "&{/partitions/faulty/health-monitor} { application-error = \"ignore\"; };", &h);
	cr_assert_eq(h.n_hm, 1);
	assert_str(&h.hm[0], "action", "ignore");
	assert_str(&h.hm[0], "state", "normal");
	assert_str(&h.stats, "state", "normal");
	cr_assert_eq(jobj_u64(&h.stats, "restarts", 9), 0);
	cr_assert_eq(jobj_u64(&h.stats, "application_error", 0), 1);
	cr_assert(strstr(h.q.output, "faulty: period 20 ok"), "it went on");
	assert_others_untouched(&h, RUN_MS);
	hm_run_free(&h);
}

/* The top 64 KiB, the persistent region (bh_persistent; fault=corrupt smashes its first
 * page, and the heap's last page), survive a warm restart; the program, data and heap
 * below are reloaded and zeroed. */
Test(hm, a_warm_restart_keeps_the_persistent_region, .timeout = 300)
{
	struct hm_run h;

	boot_policy("warm", ARGS("fault=corrupt", "after=1"),
		    "&{/partitions/faulty} { persistent-bytes = <0x10000>; };\n"
		    "&{/partitions/faulty/health-monitor} { memory-violation = \"warm-restart\"; };",
		    &h);
	assert_str(&h.hm[0], "class", "memory-violation");
	assert_str(&h.hm[0], "action", "warm-restart");
	assert_str(&h.hm[0], "state", "warm-start");
	assert_str(&h.restart, "kind", "warm-restart");
	cr_assert_eq(jobj_u64(&h.restart, "wiped_bytes", 0), 0x200000 - 0x10000);
	cr_assert_eq(h.n_digest_ok, h.n_restart);
	cr_assert_eq(h.n_not_reloaded, 0, "data reloaded");
	cr_assert_eq(h.n_not_zeroed, 0, "the heap is zeroed at every start");
	cr_assert_eq(h.n_pzero, 1, "the first start finds the region zeroed");
	cr_assert_eq(h.n_kept, 3, "the smashed region survived each warm restart");
	assert_str(&h.stats, "state", "stopped");
	assert_others_untouched(&h, RUN_MS);
	hm_run_free(&h);
}

/* The same with a cold restart: the persistent region is wiped too. */
Test(hm, a_cold_restart_wipes_the_persistent_region, .timeout = 300)
{
	struct hm_run h;

	boot_policy("cold-persistent", ARGS("fault=corrupt", "after=1"),
		    "&{/partitions/faulty} { persistent-bytes = <0x10000>; };\n"
		    "&{/partitions/faulty/health-monitor} { memory-violation = \"cold-restart\"; };",
		    &h);
	assert_str(&h.hm[0], "action", "cold-restart");
	assert_str(&h.restart, "kind", "cold-restart");
	cr_assert_eq(jobj_u64(&h.restart, "wiped_bytes", 0), 0x200000);
	cr_assert_eq(h.n_digest_ok, h.n_restart);
	cr_assert_eq(h.n_restart, 3);
	cr_assert_eq(h.n_not_zeroed, 0);
	cr_assert_eq(h.n_kept, 0, "nothing survives a cold restart");
	cr_assert_eq(h.n_pzero, 4, "every start finds the region zeroed");
	assert_str(&h.stats, "state", "stopped");
	assert_others_untouched(&h, RUN_MS);
	hm_run_free(&h);
}

Test(hm, escalate_takes_the_system_action, .timeout = 300)
{
	struct hm_run h;

	boot_policy("escalate", ARGS("fault=memory", "after=1"),
		    "/ { health-monitor { system-action = \"off\"; }; };\n"
		    "&{/partitions/faulty/health-monitor} { memory-violation = \"escalate\"; };", &h);
	cr_assert_eq(h.n_hm, 1);
	assert_str(&h.hm[0], "action", "escalate");
	assert_str(&h.hm[0], "state", "stopped");
	cr_assert_eq(h.n_system, 1, "system_action logged");
	cr_assert(strstr(h.q.output, "\"action\":\"off\""));
	cr_assert_not(h.shutdown, "powered off at once, not at runtime_ms");
	/* Up to then, the others ran as without the fault. */
	const struct hm_run *b = baseline(RUN_MS);
	struct trace head = { .n = h.others.n, .l = b->others.l };

	cr_assert_gt(h.others.n, 3);
	cr_assert_lt(h.others.n, b->others.n);
	trace_assert_same(&h.others, &head, "the other partitions' windows, up to the power-off");
	hm_run_free(&h);
}

/* The syscall fuzzer's plan ignores violations: each is an hm event and it goes on; with
 * stop, the first one stops it. The fuzzer's calls arm CPU 0's timer in another pattern
 * than the baseline's partition: the other partitions' window starts within QEMU's
 * round-robin slack (tests/system/trace.h), as in tests/system/test_fuzz.c. */
Test(hm, syscall_violations_take_their_action, .timeout = 300)
{
	struct hm_run h;

	boot(BH_PLANS "/fuzz.dtb", RUN_MS, "fuzz", &h);
	cr_assert_geq(h.n_hm, 100);
	assert_str(&h.hm[0], "class", "syscall-violation");
	assert_str(&h.hm[0], "action", "ignore");
	assert_str(&h.stats, "state", "normal");
	/* Every refusal is counted; its hm line follows the syscall_violation limit (4 per
	 * partition per frame), the rest are counted by syscall_violations_suppressed. */
	const struct jobj *sup = run_find(&h.q, "syscall_violations_suppressed", 0);
	uint64_t suppressed = sup ? jobj_u64(sup, "count", 0) : 0;

	for (int i = 0; run_find(&h.q, "syscall_violation", i); i++)
		suppressed += jobj_u64(run_find(&h.q, "syscall_violation", i), "suppressed", 0);

	cr_assert_eq(jobj_u64(&h.stats, "syscall_violation", 0), (uint64_t)h.n_hm + suppressed);
	assert_others_untouched_within(&h, RUN_MS, TRACE_SLACK_ROUND_ROBIN_NS);
	hm_run_free(&h);

	make_plan("fuzz-stop", "configs/plans/fuzz.dts", "fuzz",
		  "&{/partitions/fuzz/health-monitor} { syscall-violation = \"stop\"; };",
		  ARGS("seed=1", "count=100000"));
	boot(DIR "/fuzz-stop.dtb", RUN_MS, "fuzz", &h);
	cr_assert_eq(h.n_hm, 1);
	assert_str(&h.hm[0], "class", "syscall-violation");
	assert_str(&h.hm[0], "action", "stop");
	assert_str(&h.stats, "state", "stopped");
	assert_others_untouched_within(&h, RUN_MS, TRACE_SLACK_ROUND_ROBIN_NS);
	hm_run_free(&h);
}

