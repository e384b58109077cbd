#include <stdio.h>
#include <stdlib.h>
#include "tests/unit/plan_arena.h"
#include "core/lib/strbuf.h"
#include "dt/plan.h"
#include "fuzz_plan.h"

#ifndef BH_FIXTURES
#define BH_FIXTURES "build/fixtures"
#endif

/* QEMU virt with 4 CPUs: the platform rules run against a real machine's tree. */
static const struct plan_env *env(void)
{
	static struct platform plat;
	static struct plan_env e;
	static void *blob;

	if (!blob) {
		FILE *f = fopen(BH_FIXTURES "/qemu-virt-gicv3-4cpu.dtb", "rb");
		struct dt_diag d;
		long n;

		if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) ||
		    !(blob = malloc((size_t)n)) || fread(blob, 1, (size_t)n, f) != (size_t)n ||
		    platform_parse(blob, (size_t)n, 8, &plat, &d) != DT_OK) {
			fprintf(stderr, "fuzz: cannot load " BH_FIXTURES "/qemu-virt-gicv3-4cpu.dtb\n");
			abort();
		}
		fclose(f);
		e = (struct plan_env){ blob, &plat, { pa_init(0x40200000), 0x200000 },
				       { pa_init(0x40000000), 0x100000 }, { pa_init(0), 0 } };
	}
	return &e;
}

unsigned int fuzz_plan_one(const void *blob, size_t size)
{
	static const char *const programs[] = { "demo-sensors", "demo-logger", "demo-actuators" };
	static struct plan plan;
	static struct plan_report rep;
	static struct plan_memory_map map;
	char line[PLAN_PATH_MAX + PLAN_WHAT_MAX + 32];

	plan_report_init(&rep);
	if (plan_parse(blob, size, &plan, test_arena(), &rep) == PLAN_OK &&
	    plan_check(&plan, programs, 3, &rep) == PLAN_OK &&
	    plan_check_platform(&plan, env(), &map, &rep) == PLAN_OK) {
		for (unsigned int i = 0; i < plan.n_part; i++)
			(void)plan_supply_bound_us(&plan, i, plan.major_frame_us * 3 / 2 + 1);
	}
	for (unsigned int i = 0; i < rep.n; i++) {
		struct strbuf sb;

		sb_init(&sb, line, sizeof(line));
		plan_error_format(&rep.e[i], &sb);
	}
	return rep.n + rep.dropped;
}
