/* Every machine tree the platform fuzzer (or a report) found a problem with
 * (tests/fuzz/regressions/platform), replayed under ASan and UBSan through the same
 * pipeline as the fuzzer: platform_parse, then the shipped plans against it. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "fuzz/fuzz_platform.h"

#define REGRESSIONS "tests/fuzz/regressions/platform"

/* The timeout turns a hang (one of the inputs once looped forever) into a failure. */
Test(platform_fuzz, regression_inputs_are_refused, .timeout = 120)
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
		/* Each is a damaged tree: refused with a device-tree error, never a crash. */
		cr_assert_neq(fuzz_platform_one(buf, len), DT_OK, "%s was accepted", path);
		n++;
	}
	closedir(d);
	cr_assert_gt(n, 0, "no regression inputs: the hand-made seeds are always there");
}
