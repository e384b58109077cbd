/*
 * The isolation test programs as the build and the tests use them (docs/isolation.md):
 * the attacker's exception in tools/check-program.sh is its alone and exact, and
 * tests/system/plan-args.sh writes a plan whose partition has the args asked for.
 * Nothing here boots: the runs of each attack need the kernel to run partitions.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "qemu.h"

#define CHECK "tools/check-program.sh"
#define ATTACKER "build/partitions/attacker.elf"

Test(isolation_progs, only_the_attacker_may_hold_forbidden_instructions)
{
	struct qemu_run r;

	/* The attacker under any other name is refused, for each of its instructions. */
	run_capture((const char *[]){ CHECK, ATTACKER, NULL }, 30, true, &r);
	cr_assert_eq(r.exit_status, 1, "%s", r.output);
	static const char *const insns[] = { "smc", "hvc", "wfi", "wfe", "eret", "hlt", "tlbi",
					     "dc\tcisw", "dc\tzva", "ic\tivau", "cntp_ctl_el0",
					     "cntvct_el0", "pmccntr_el0", "sctlr_el1", "ttbr1_el1",
					     "daifset" };
	for (size_t i = 0; i < sizeof(insns) / sizeof(insns[0]); i++)
		cr_assert(strstr(r.output, insns[i]), "%s not reported:\n%s", insns[i], r.output);
	qemu_run_free(&r);
	run_capture((const char *[]){ CHECK, ATTACKER, "demo-sensors", NULL }, 30, true, &r);
	cr_assert_eq(r.exit_status, 1, "%s", r.output);
	qemu_run_free(&r);

	/* As itself, it passes; the other programs pass the strict check. */
	run_capture((const char *[]){ CHECK, ATTACKER, "attacker", NULL }, 30, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
	static const char *const others[] = { "faulty", "syscall-fuzz", "demo-sensors" };
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		char elf[64];

		snprintf(elf, sizeof(elf), "build/partitions/%s.elf", others[i]);
		run_capture((const char *[]){ CHECK, elf, others[i], NULL }, 30, true, &r);
		cr_assert_eq(r.exit_status, 0, "%s: %s", elf, r.output);
		qemu_run_free(&r);
	}
}

Test(isolation_progs, the_exception_list_is_exact)
{
	struct qemu_run r;

	/* Forbidden instructions the list does not name are refused even under the name
	 * attacker: the kernel's own image has plenty (msr vbar_el1, ...). */
	run_capture((const char *[]){ CHECK, "build/bulkhead.elf", "attacker", NULL }, 60, true, &r);
	cr_assert_eq(r.exit_status, 1, "%s", r.output);
	cr_assert(strstr(r.output, "vbar_el1"), "%s", r.output);
	cr_assert_null(strstr(r.output, "cntp_ctl_el0"), "listed ones are let through: %s", r.output);
	qemu_run_free(&r);
}

Test(isolation_progs, plan_args_replaces_one_partitions_args_and_checks_the_plan)
{
	struct qemu_run r;

	run_capture((const char *[]){ "tests/system/plan-args.sh", "configs/plans/attack.dts",
				      "attacker", "build/test/isolation/attack-smc.dts", "attack=smc",
				      "pa=0x41400000", NULL },
		    30, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
	run_capture((const char *[]){ "build/bin/bhplan", "show", "build/test/isolation/attack-smc.dts",
				      NULL },
		    30, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	cr_assert(strstr(r.output, "attacker     \"attack=smc\" \"pa=0x41400000\""), "%s", r.output);
	cr_assert(strstr(r.output, "sensors      \"base-mc=21500\" \"report-every=10\""), "%s", r.output);
	qemu_run_free(&r);

	/* A partition the plan does not have: refused, nothing written. */
	run_capture((const char *[]){ "tests/system/plan-args.sh", "configs/plans/faulty.dts",
				      "nosuch", "build/test/isolation/nosuch.dts", "fault=hang", NULL },
		    30, true, &r);
	cr_assert_neq(r.exit_status, 0, "%s", r.output);
	cr_assert_null(fopen("build/test/isolation/nosuch.dts", "r"));
	qemu_run_free(&r);
}
