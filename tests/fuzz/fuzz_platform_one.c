#include <stdio.h>
#include <stdlib.h>
#include <libfdt.h>
#include "core/lib/strbuf.h"
#include "dt/early.h"
#include "dt/plan.h"
#include "fuzz_platform.h"
#include "tests/unit/plan_arena.h"

#ifndef BH_PLANS
#define BH_PLANS "build/plans"
#endif

/* The shipped plans, parsed and checked once: what the machine's tree is checked with. */
static const char *const plan_files[] = { "demo.dtb", "demo-xen.dtb", "single.dtb" };
#define N_PLANS (sizeof(plan_files) / sizeof(plan_files[0]))

static const struct plan *plans(void)
{
	static struct plan p[N_PLANS];
	static int loaded;
	struct plan_arena *arena = loaded ? NULL : test_arena(); /* all plans, one after another */

	for (unsigned int i = 0; !loaded && i < N_PLANS; i++) {
		static struct plan_report rep;
		char path[256];
		void *blob = NULL;
		FILE *f;
		long n;

		snprintf(path, sizeof(path), BH_PLANS "/%s", plan_files[i]);
		f = fopen(path, "rb");
		plan_report_init(&rep);
		if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) ||
		    !(blob = malloc((size_t)n)) || fread(blob, 1, (size_t)n, f) != (size_t)n ||
		    plan_parse(blob, (size_t)n, &p[i], arena, &rep) != PLAN_OK ||
		    plan_check(&p[i], NULL, 0, &rep) != PLAN_OK) {
			fprintf(stderr, "fuzz: cannot load the plan %s\n", path);
			abort();
		}
		fclose(f);
		free(blob);
	}
	loaded = 1;
	return p;
}

enum dt_err fuzz_platform_one(const void *blob, size_t size)
{
	static struct platform plat;
	static struct plan_report rep;
	static struct plan_memory_map map;
	char line[PLAN_PATH_MAX + PLAN_WHAT_MAX + 32];
	struct dt_diag diag;
	struct strbuf sb;
	const struct plan *p = plans();
	struct platform_early early;
	enum psci_conduit conduit;
	enum dt_err e;

	/* What the kernel reads first, before the full parse has looked at the blob. */
	if (platform_early_read(blob, size, &early, &diag) == DT_OK &&
	    platform_early_psci(blob, &conduit) && conduit > PSCI_CONDUIT_SMC)
		abort();
	e = platform_parse(blob, size, 8, &plat, &diag);

	sb_init(&sb, line, sizeof(line));
	if (e != DT_OK) {
		dt_diag_format(&diag, &sb);
		return e;
	}
	/* The kernel at the start of the first RAM range (inside it, as at boot); the tree apart. */
	uint64_t kernel = plat.ram[0].size < 0x200000 ? plat.ram[0].size : 0x200000;
	struct plan_env env = { blob, &plat, { plat.ram[0].base, kernel }, { pa_init(0), 0 },
				{ pa_init(0), 0 } };

	for (unsigned int i = 0; i < N_PLANS; i++) {
		plan_report_init(&rep);
		if (plan_check_platform(&p[i], &env, &map, &rep) == PLAN_OK)
			continue;
		for (unsigned int k = 0; k < rep.n; k++) {
			sb_init(&sb, line, sizeof(line));
			plan_error_format(&rep.e[k], &sb);
		}
	}
	for (int node = 0; node >= 0; node = fdt_next_node(blob, node, NULL))
		(void)platform_kernel_device(blob, &plat, node);
	(void)platform_ram_bytes(&plat);
	return DT_OK;
}
