/*
 * bhplan's estimate of the kernel's run-time tables (bhplan show, docs/plan.md) against
 * what the kernel takes at boot (its kernel_tables event): the fixed tables to the byte,
 * the page tables at least; and a plan whose RAM is too small refused by bhplan check
 * with the reason the kernel's kernel_tables_refused gives. Bare metal, virtual time.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qemu.h"

#define BHPLAN BH_BUILD "/bin/bhplan"
#define IMAGES BH_BUILD "/partitions"
#define PAGE 4096ull
#define SHORT_OF_RAM "not enough free RAM for the kernel's tables"

struct estimate {
	unsigned long long bytes, fixed, pool_offset, pages;
};

/* bhplan show PLAN [--images build/partitions]: its "kernel tables" line. */
static struct estimate show(const char *plan, bool images)
{
	struct qemu_run r;
	struct estimate e;
	const char *line;

	run_capture((const char *[]){ BHPLAN, "show", plan, images ? "--images" : NULL, IMAGES, NULL },
		    60, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	line = strstr(r.output, "\nkernel tables ");
	cr_assert(line, "no kernel tables line: %s", r.output);
	cr_assert_eq(sscanf(line, "\nkernel tables %llu bytes: %llu fixed (%llu to the page), %llu "
			    "page-table pages", &e.bytes, &e.fixed, &e.pool_offset, &e.pages), 4,
		     "%s", line);
	qemu_run_free(&r);
	return e;
}

static void generate(const char *n, const char *cpus, const char *channels, const char *dtb)
{
	char dts[160];
	struct qemu_run r;

	snprintf(dts, sizeof(dts), "%s.dts", dtb);
	run_capture((const char *[]){ BHPLAN, "generate", "--partitions", n, "--cpus", cpus,
				      "--channels", channels, "-o", dts, NULL }, 60, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
	run_capture((const char *[]){ "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts, NULL },
		    60, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
}

/* Boots plan (NULL: the built-in demo) and compares its kernel_tables with bhplan's. */
static void compare(const char *plan_dtb, const char *plan_src, int smp)
{
	struct qemu_opts o = { .gic = 3, .smp = smp, .initrd = plan_dtb,
			       .append = "loglevel=info runtime_ms=50" };
	struct estimate exact = show(plan_src, true), bound = show(plan_src, false);
	struct qemu_run r;

	qemu_boot(&o, &r);
	const struct jobj *kt = run_find(&r, "kernel_tables", 0);

	cr_assert(kt, "%s: no kernel_tables event", plan_src);
	uint64_t bytes = jobj_u64(kt, "bytes", 0), pages = jobj_u64(kt, "table_pages", 0);

	cr_assert_gt(pages, 0);
	cr_assert_eq(exact.pool_offset, bytes - pages * PAGE,
		     "%s: the fixed tables, to the page: bhplan %llu, the kernel %llu", plan_src,
		     exact.pool_offset, (unsigned long long)(bytes - pages * PAGE));
	cr_assert_eq(bound.pool_offset, exact.pool_offset);
	cr_assert_geq(exact.pages, pages, "%s: bhplan %llu page-table pages, the kernel took %llu",
		      plan_src, exact.pages, (unsigned long long)pages);
	cr_assert_geq(bound.pages, exact.pages, "%s: the bound without the programs", plan_src);
	cr_assert_geq(exact.bytes, bytes);
	cr_assert_eq(exact.bytes, exact.pool_offset + exact.pages * PAGE);
	qemu_run_free(&r);
}

Test(ktables, the_estimate_covers_what_the_kernel_takes_for_the_demo, .timeout = 300)
{
	compare(NULL, "configs/plans/demo.dts", 2);
}

Test(ktables, the_estimate_covers_what_the_kernel_takes_for_single, .timeout = 300)
{
	compare(BH_PLANS "/single.dtb", "configs/plans/single.dts", 1);
}

/* Many partitions, each sending on a channel (the channel windows' page tables). */
Test(ktables, the_estimate_covers_what_the_kernel_takes_for_48_partitions, .timeout = 300)
{
	generate("48", "2", "48", BH_BUILD "/test/ktables-48.dtb");
	compare(BH_BUILD "/test/ktables-48.dtb", BH_BUILD "/test/ktables-48.dtb.dts", 2);
}

/* QEMU virt's device tree with this many CPUs and this much RAM (what make platform-dtb
 * writes). */
static void platform_dtb(const char *path, const char *smp, const char *mem)
{
	char dump[192];
	struct qemu_run r;

	snprintf(dump, sizeof(dump), "dumpdtb=%s", path);
	run_capture((const char *[]){ "qemu-system-aarch64", "-M",
				      "virt,gic-version=3,virtualization=off", "-cpu", "cortex-a57",
				      "-smp", smp, "-m", mem, "-nographic", "-nic", "none", "-machine",
				      dump, NULL },
		    60, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
}

/*
 * 256 partitions of 1 MiB on 4 CPUs in 266 MiB (test_scale.c boots the same): their
 * blocks fit, the kernel's tables do not. bhplan check refuses the plan before any boot,
 * naming the page tables and the kernel's reason; the kernel refuses it the same way,
 * and no earlier than bhplan says (bhplan's estimate is the larger). In 512 MiB bhplan
 * accepts it.
 */
Test(ktables, a_plan_short_of_ram_is_refused_by_bhplan_as_by_the_kernel, .timeout = 600)
{
	const char *plan = BH_BUILD "/test/ktables-256.dtb", *dts = BH_BUILD "/test/ktables-256.dtb.dts";
	struct qemu_opts o = { .cpu = "cortex-a57", .gic = 3, .smp = 4, .mem_mb = 266,
			       .append = "loglevel=info runtime_ms=100 panic=off", .initrd = plan,
			       .timeout_s = 300 };
	struct qemu_run r;
	unsigned int refused_at;
	char name[32];
	const char *at;

	generate("256", "4", "0", plan);
	platform_dtb(BH_BUILD "/test/ktables-266.dtb", "4", "266M");
	platform_dtb(BH_BUILD "/test/ktables-512.dtb", "4", "512M");
	run_capture((const char *[]){ BHPLAN, "check", dts, "--platform", BH_BUILD "/test/ktables-512.dtb",
				      "--images", IMAGES, NULL }, 60, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);

	run_capture((const char *[]){ BHPLAN, "check", dts, "--platform", BH_BUILD "/test/ktables-266.dtb",
				      "--images", IMAGES, NULL }, 60, true, &r);
	cr_assert_eq(r.exit_status, 1, "%s", r.output);
	cr_assert(strstr(r.output, SHORT_OF_RAM), "%s", r.output);
	cr_assert(strstr(r.output, "[plan-limit]"), "%s", r.output);
	at = strstr(r.output, "page_tables of p");
	cr_assert(at, "%s", r.output);
	cr_assert_eq(sscanf(at, "page_tables of p%u", &refused_at), 1);
	qemu_run_free(&r);

	qemu_boot(&o, &r);
	const struct jobj *e = run_find(&r, "kernel_tables_refused", 0);

	cr_assert(e, "no kernel_tables_refused");
	cr_assert_str_eq(jobj_str(e, "table"), "page_tables");
	cr_assert_str_eq(jobj_str(e, "error"), SHORT_OF_RAM);
	snprintf(name, sizeof(name), "p%u", refused_at);
	cr_assert_geq(jobj_u64(e, "loaded", 0), refused_at,
		      "the kernel stopped at %s, bhplan at %s", jobj_str(e, "partition"), name);
	cr_assert_eq(run_count(&r, "schedule_start"), 0);
	qemu_run_free(&r);
}
