/*
 * libFuzzer harness: arbitrary bytes through the whole plan pipeline (parse, check,
 * check against QEMU virt's tree) and the error formatter. Built by make fuzz with
 * clang -fsanitize=fuzzer,address,undefined; crashers go to tests/fuzz/regressions/plan,
 * which the unit tests replay on every make test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t aligned[(1 << 16) / 8]; /* libfdt wants 8-byte aligned blobs */

	if (size > sizeof(aligned))
		return -1;
	memcpy(aligned, data, size);
	fuzz_plan_one(aligned, size);
	return 0;
}
