/* core/smp.c: CPU numbers against entry slots, and which failed starts stop the boot. */
#include <criterion/criterion.h>
#include <string.h>
#include "core/smp.h"

Test(smp, boot_cpu_takes_slot_0_and_numbers_stay_unique)
{
	for (unsigned int boot = 0; boot < 8; boot++) {
		bool used[8] = { false };

		cr_assert_eq(smp_slot(boot, boot), 0, "the boot CPU enters in slot 0");
		for (unsigned int cpu = 0; cpu < 8; cpu++) {
			unsigned int slot = smp_slot(boot, cpu);

			cr_assert_lt(slot, 8);
			cr_assert_not(used[slot], "boot %u: slot %u given twice", boot, slot);
			used[slot] = true;
			cr_assert_eq(smp_slot(boot, slot), cpu, "a slot maps back to its CPU");
		}
	}
}

Test(smp, boot_cpu_0_keeps_every_number)
{
	for (unsigned int cpu = 0; cpu < 8; cpu++)
		cr_assert_eq(smp_slot(0, cpu), cpu);
}

Test(smp, boot_cpu_last_in_cpus)
{
	/* Four CPUs, the loader booted the last one in /cpus. */
	cr_assert_eq(smp_slot(3, 3), 0);
	cr_assert_eq(smp_slot(3, 0), 3);
	cr_assert_eq(smp_slot(3, 1), 1);
	cr_assert_eq(smp_slot(3, 2), 2);
}

static struct plan plan;
static struct plan_partition parts[2];

Test(smp, plan_cpus_are_partitions_and_schedules)
{
	memset(&plan, 0, sizeof(plan));
	plan.part = parts;
	cr_assert_eq(smp_plan_cpus(&plan), 0);
	plan.n_part = 2;
	plan.part[0].cpu = 0;
	plan.part[1].cpu = 5;
	plan.n_sched = 1;
	plan.sched[0].cpu = 2;
	cr_assert_eq(smp_plan_cpus(&plan), (1u << 0) | (1u << 2) | (1u << 5));
	plan.part[1].cpu = 99; /* out of range values name no CPU bit (the checks refuse them) */
	cr_assert_eq(smp_plan_cpus(&plan), (1u << 0) | (1u << 2));
}

Test(smp, a_cpu_the_plan_uses_must_start)
{
	uint64_t uses = (1u << 0) | (1u << 2);

	cr_assert(smp_start_is_fatal(SMP_START_FAILED, uses, 2));
	cr_assert(smp_start_is_fatal(SMP_START_TIMEOUT, uses, 2));
	cr_assert_not(smp_start_is_fatal(SMP_START_ONLINE, uses, 2));
	cr_assert_not(smp_start_is_fatal(SMP_START_FAILED, uses, 1), "unused: a warning only");
	cr_assert_not(smp_start_is_fatal(SMP_START_TIMEOUT, uses, 3));
	cr_assert_not(smp_start_is_fatal(SMP_START_FAILED, uses, 64));
}

#include <stdlib.h>
#include "dt/platform.h"
#include "fixture.h"

/* The numbering bhplan and the kernel share: /cpus order, not the boot CPU first. */
Test(smp, cpu_numbers_are_cpus_order_when_the_boot_cpu_is_last)
{
	static struct platform p;
	struct dt_diag d;
	size_t len;
	void *blob = fixture_load("qemu-virt-gicv3-4cpu-reversed.dtb", &len);

	cr_assert_eq(platform_parse(blob, len, 8, &p, &d), DT_OK, "%s", d.what);
	free(blob);
	cr_assert_eq(p.n_cpus, 4);
	for (unsigned int i = 0; i < 4; i++)
		cr_assert_eq(p.cpu_mpidr[i], 3 - i);
	/* QEMU boots MPIDR 0: it is CPU 3, entering in slot 0; CPU 0 (MPIDR 3) takes slot 3. */
	cr_assert_eq(platform_cpu_index(&p, 0x80000000), 3);
	cr_assert_eq(smp_slot(3, 3), 0);
	cr_assert_eq(smp_slot(3, 0), 3);
}
