/* Every machine tree the platform fuzzer (or a report) found a problem with
 * (tests/fuzz/regressions/platform), replayed under ASan and UBSan through the same
 * pipeline as the fuzzer: the early read, platform_parse, then the shipped plans against it. */
#include <criterion/criterion.h>
#include "fixture.h"
#include "fuzz/fuzz_platform.h"

#define REGRESSIONS "tests/fuzz/regressions/platform"

/* Each is a damaged tree: refused with a device-tree error, never a crash. */
static void refused(const char *path, const void *bytes, size_t len)
{
	cr_assert_neq(fuzz_platform_one(bytes, len), DT_OK, "%s was accepted", path);
}

/* The timeout turns a hang (one of the inputs once looped forever) into a failure. */
Test(platform_fuzz, regression_inputs_are_refused, .timeout = 120)
{
	cr_assert_gt(fixture_replay_dir(REGRESSIONS, refused), 0,
		     "no regression inputs: the hand-made seeds are always there");
}
