/*
 * The health monitor in the running kernel (docs/health.md), bare metal under icount:
 * `faulty` (docs/isolation.md, "Fault injection") triggers each class through its plan
 * args, and each run is checked for its `hm` events, the action taken, the restart
 * count, faulty's state at shutdown (hm_stats), the reload's digest, and that the other
 * partitions' window traces and output counts are identical to a run without the fault.
 * The same classes under Xen: test_hm_xen.c. The other actions: test_hm_actions.c;
 * devices and channels across a restart: test_hm_restart.c (helpers: hm_sys.h).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hm_sys.h"

/* A fault mode under faulty.dts's own policy: every detection a cold restart, three at
 * most, then stop. */
static void class_case(const char *name, const char *const *args, const char *cls,
		       const char *cell, const char *final_state, int min_restarts)
{
	char dtb[128];
	struct hm_run h;

	make_plan(name, "configs/plans/faulty.dts", "faulty", NULL, args);
	snprintf(dtb, sizeof(dtb), DIR "/%s.dtb", name);
	boot(dtb, RUN_MS, "faulty", &h);
	cr_assert_geq(h.n_hm, 1, "%s: no hm event", name);
	assert_str(&h.hm[0], "class", cls);
	assert_str(&h.hm[0], "cell", cell);
	assert_str(&h.hm[0], "planned", "cold-restart");
	assert_str(&h.hm[0], "action", "cold-restart");
	assert_str(&h.hm[0], "state", "cold-start");
	cr_assert_eq(jobj_u64(&h.hm[0], "restarts", 0), 1);
	cr_assert_geq(h.n_restart, min_restarts);
	cr_assert_eq(h.n_digest_ok, h.n_restart, "every reload rebuilt the boot image exactly");
	cr_assert_eq(h.n_not_reloaded, 0);
	cr_assert_eq(h.n_not_zeroed, 0, "a cold restart wipes everything");
	cr_assert_eq(h.n_refused, 0);
	assert_str(&h.stats, "state", final_state);
	cr_assert_eq(jobj_u64(&h.stats, "restarts", 99), (uint64_t)h.n_restart);
	if (!strcmp(final_state, "stopped")) {
		cr_assert_eq(h.n_restart, 3, "the budget: three restarts, then on-limit");
		assert_str(&h.last_hm, "action", "stop");
		assert_str(&h.last_hm, "limit", "true");
		cr_assert_eq(jobj_u64(&h.stats, "restart_limit", 0), 1);
	}
	assert_others_untouched(&h, RUN_MS);
	hm_run_free(&h);
}

Test(hm, memory_violation_restarts_cold_until_the_budget_stops_it, .timeout = 300)
{
	class_case("memory", ARGS("fault=memory", "after=2"), "memory-violation", "driver", "stopped", 3);
}

Test(hm, illegal_instruction_restarts_cold_until_the_budget_stops_it, .timeout = 300)
{
	class_case("illegal", ARGS("fault=illegal", "after=1"), "illegal-instruction", "driver",
		   "stopped", 3);
}

Test(hm, a_hung_driver_is_a_deadline_miss, .timeout = 300)
{
	class_case("hang", ARGS("fault=hang", "after=1"), "deadline-miss", "driver", "stopped", 3);
}

Test(hm, an_overrun_is_a_deadline_miss, .timeout = 300)
{
	class_case("overrun", ARGS("fault=overrun", "after=1"), "deadline-miss", "driver", "stopped", 3);
}

Test(hm, a_silent_watchdog_is_a_heartbeat_miss, .timeout = 300)
{
	/* 60 ms timeout, checked at faulty's window starts: three restarts in 600 ms. */
	class_case("no-heartbeat", ARGS("fault=no-heartbeat", "after=1"), "heartbeat-miss", "null",
		   "normal", 3);
}

Test(hm, an_application_error_takes_its_action, .timeout = 300)
{
	class_case("app-error", ARGS("fault=app-error", "after=1"), "application-error", "driver",
		   "stopped", 3);
}

Test(hm, a_stalled_driver_is_reported_by_the_watchdog_cell, .timeout = 300)
{
	class_case("stall", ARGS("fault=stall", "after=1"), "application-error", "watchdog",
		   "stopped", 3);
}

Test(hm, a_restart_loop_ends_at_the_restart_limit, .timeout = 300)
{
	class_case("restart-loop", ARGS("fault=restart-loop"), "memory-violation", "driver", "stopped", 3);
}

Test(hm, corrupted_memory_is_reloaded_by_a_cold_restart, .timeout = 300)
{
	class_case("corrupt", ARGS("fault=corrupt", "after=1"), "memory-violation", "driver", "stopped", 3);
}

/* The demo: a driver and a watchdog cell per partition under the health monitor (each
 * driver reports progress, each watchdog checks it and beats): one second, nothing
 * detected, every partition normal at shutdown. */
Test(hm, the_demo_runs_under_the_health_monitor_with_no_detection, .timeout = 300)
{
	struct hm_run h;

	boot(NULL, "1000", "none", &h);
	cr_assert_eq(h.n_hm, 0);
	cr_assert_eq(h.n_refused, 0);
	cr_assert_eq(run_count(&h.q, "hm_stats"), 3);
	for (int i = 0; i < 3; i++) {
		const struct jobj *st = run_find(&h.q, "hm_stats", i);

		cr_assert_str_eq(jobj_str(st, "state"), "normal");
		cr_assert_eq(jobj_u64(st, "heartbeat_miss", 9) + jobj_u64(st, "application_error", 9) +
				     jobj_u64(st, "deadline_miss", 9),
			     0);
		cr_assert_gt(h.prints[i], 10, "%s ran", demo_parts[i]);
	}
	hm_run_free(&h);
}

/* ---- The soak ---------------------------------------------------------------------- */

#define SOAK_MS "20100" /* 1,005 major frames of 20 ms */

/* fault=random: a seeded mix of every mode at random moments, 1,000+ frames; memory
 * violations restart warm, the rest cold, the budget (3 in 100 ms) never trips. */
Test(hm, soak_a_thousand_frames_of_random_failures, .timeout = 600)
{
	struct hm_run h;

	make_plan("soak", "configs/plans/faulty.dts", "faulty",
		  "&{/partitions/faulty} { persistent-bytes = <0x10000>; };\n"
		  "&{/partitions/faulty/health-monitor} { memory-violation = \"warm-restart\";"
		  " restart-window-us = <100000>; };",
		  ARGS("fault=random", "seed=7"));
	boot(DIR "/soak.dtb", SOAK_MS, "faulty", &h);
	cr_assert(h.shutdown, "the kernel ran to the end");
	cr_assert_geq(h.frames, 1000);
	cr_assert_geq(h.n_hm, 100, "failures all along");
	cr_assert_eq(h.n_unplanned, 0, "every failure handled as planned");
	cr_assert_eq(h.n_warm, h.n_memory, "memory violations restart warm");
	cr_assert_eq(h.n_refused, 0);
	cr_assert(h.n_restart == h.n_hm || h.n_restart + 1 == h.n_hm, "every restart finished");
	cr_assert_eq(h.n_digest_ok, h.n_restart, "every reload rebuilt exactly the boot image");
	cr_assert_eq(h.table_pages_min, h.table_pages_max, "no table page taken by a restart");
	cr_assert_eq(h.n_not_reloaded, 0);
	cr_assert_eq(jobj_u64(&h.stats, "restarts", 0), (uint64_t)h.n_restart +
		     (h.n_restart + 1 == h.n_hm));
	assert_others_untouched(&h, SOAK_MS);
	hm_run_free(&h);
}
