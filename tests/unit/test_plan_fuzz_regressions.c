/* Every input the fuzzer ever found a problem with (tests/fuzz/regressions/plan), replayed
 * under ASan and UBSan through the same pipeline as the fuzzer. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz/fuzz_plan.h"

#define REGRESSIONS "tests/fuzz/regressions/plan"

/* The timeout turns a hang (one of the inputs once looped forever) into a failure. */
Test(plan_fuzz, regression_inputs_are_handled, .timeout = 120)
{
	DIR *d = opendir(REGRESSIONS);
	struct dirent *e;
	unsigned int n = 0;
	static uint64_t buf[(1 << 16) / 8];

	cr_assert_not_null(d, "cannot open " REGRESSIONS);
	while ((e = readdir(d))) {
		char path[512];
		FILE *f;
		size_t len;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "README.md"))
			continue;
		snprintf(path, sizeof(path), REGRESSIONS "/%s", e->d_name);
		f = fopen(path, "rb");
		cr_assert_not_null(f, "%s", path);
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		/* Each is a plan that must be refused, precisely: none crashes, none passes. */
		cr_assert_gt(fuzz_plan_one(buf, len), 0, "%s was accepted", path);
		n++;
	}
	closedir(d);
	cr_assert_gt(n, 0, "no regression inputs: the seeds below are always there");
}
