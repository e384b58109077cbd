/* One input through the platform pipeline; shared by the fuzzer and the regression test. */
#ifndef BULKHEAD_TESTS_FUZZ_FUZZ_PLATFORM_H
#define BULKHEAD_TESTS_FUZZ_FUZZ_PLATFORM_H

#include <stddef.h>
#include "dt/dt_error.h"

/*
 * blob (8-byte aligned, size bytes) parsed as the machine's tree; if it is one, every
 * shipped plan (BH_PLANS) checked against it. Returns platform_parse's result.
 */
enum dt_err fuzz_platform_one(const void *blob, size_t size);

#endif
