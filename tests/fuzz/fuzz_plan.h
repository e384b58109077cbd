/* One input through the plan pipeline; shared by the fuzzer and the regression test. */
#ifndef BULKHEAD_TESTS_FUZZ_FUZZ_PLAN_H
#define BULKHEAD_TESTS_FUZZ_FUZZ_PLAN_H

#include <stddef.h>

/* blob: 8-byte aligned. Returns how many errors the plan had (0: accepted). */
unsigned int fuzz_plan_one(const void *blob, size_t size);

#endif
