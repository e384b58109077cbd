/* Every input the fuzzer ever found a problem with (tests/fuzz/regressions/plan), replayed
 * under ASan and UBSan through the same pipeline as the fuzzer. */
#include <criterion/criterion.h>
#include "fixture.h"
#include "fuzz/fuzz_plan.h"

#define REGRESSIONS "tests/fuzz/regressions/plan"

/* Each is a plan that must be refused, precisely: none crashes, none passes. */
static void refused(const char *path, const void *bytes, size_t len)
{
	cr_assert_gt(fuzz_plan_one(bytes, len), 0, "%s was accepted", path);
}

/* The timeout turns a hang (one of the inputs once looped forever) into a failure. */
Test(plan_fuzz, regression_inputs_are_handled, .timeout = 120)
{
	cr_assert_gt(fixture_replay_dir(REGRESSIONS, refused), 0,
		     "no regression inputs: the seeds below are always there");
}
