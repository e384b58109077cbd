/*
 * config_id: the kernel's boot event and `bhplan show --images` name the same system
 * (the plan and every image it starts), for the built-in plan and for a plan handed at
 * boot; and a system with one image changed gets another value.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "qemu.h"

#define BHPLAN BH_BUILD "/bin/bhplan"

/* The value `bhplan show PLAN --images build/partitions` prints. */
static void bhplan_config_id(const char *plan, const char *images, char out[65])
{
	struct qemu_run r;
	const char *p;

	run_capture((const char *[]){ BHPLAN, "show", plan, "--images", images, NULL }, 20, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	p = strstr(r.output, "\nconfig_id ");
	cr_assert_not_null(p, "%s", r.output);
	memcpy(out, p + strlen("\nconfig_id "), 64);
	out[64] = '\0';
	qemu_run_free(&r);
}

static const char *kernel_config_id(const char *initrd, struct qemu_run *r)
{
	struct qemu_opts o = { .gic = 3, .smp = 2, .append = "loglevel=info runtime_ms=50",
			       .initrd = initrd };

	qemu_boot(&o, r);
	run_dump(r);
	cr_assert_eq(r->exit_status, 0);
	cr_assert_eq(run_count(r, "config_id"), 1);
	const struct jobj *e = run_find(r, "config_id", 0);

	cr_assert_str_eq(jobj_str(e, "lvl"), "info");
	cr_assert_eq(strlen(jobj_str(e, "sha256")), 64);
	return jobj_str(e, "sha256");
}

Test(config_id, kernel_and_bhplan_agree_on_the_built_in_plan, .timeout = 120)
{
	struct qemu_run r;
	char want[65];

	struct qemu_run sh;

	bhplan_config_id(BH_PLANS "/demo.dtb", BH_BUILD "/partitions", want);
	/* The definition, as docs/log-events.md gives it, with coreutils. */
	run_capture((const char *[]){ "sh", "-c",
				      "{ sha256sum " BH_PLANS "/demo.dtb " BH_BUILD "/partitions/demo-sensors.elf "
				      BH_BUILD "/partitions/demo-logger.elf " BH_BUILD
				      "/partitions/demo-actuators.elf; } | cut -c1-64 | sha256sum",
				      NULL },
		    20, true, &sh);
	cr_assert_eq(strncmp(sh.output, want, 64), 0, "%s vs %s", sh.output, want);
	qemu_run_free(&sh);
	cr_assert_str_eq(kernel_config_id(NULL, &r), want);
	cr_assert_eq(jobj_u64(run_find(&r, "config_id", 0), "images", 0), 3);
	qemu_run_free(&r);
}

Test(config_id, kernel_and_bhplan_agree_on_a_handed_plan, .timeout = 120)
{
	struct qemu_run r;
	char want[65], demo[65];

	bhplan_config_id(BH_PLANS "/attack.dtb", BH_BUILD "/partitions", want);
	bhplan_config_id(BH_PLANS "/demo.dtb", BH_BUILD "/partitions", demo);
	cr_assert_str_neq(want, demo, "another plan, another system");
	cr_assert_str_eq(kernel_config_id(BH_PLANS "/attack.dtb", &r), want);
	cr_assert_eq(jobj_u64(run_find(&r, "config_id", 0), "images", 0), 4);
	qemu_run_free(&r);
}

/* The same plan with one program's bytes changed is another system. */
Test(config_id, another_image_is_another_system, .timeout = 60)
{
	struct qemu_run r;
	char a[65], b[65];
	const char *dir = BH_BUILD "/test/config-id-images";
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "rm -rf %s && mkdir -p %s && cp " BH_BUILD "/partitions/*.elf %s/ && "
		 "printf x >> %s/demo-logger.elf", dir, dir, dir, dir);
	run_capture((const char *[]){ "sh", "-c", cmd, NULL }, 20, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
	bhplan_config_id(BH_PLANS "/demo.dtb", BH_BUILD "/partitions", a);
	bhplan_config_id(BH_PLANS "/demo.dtb", dir, b);
	cr_assert_str_neq(a, b);
}
