/*
 * libFuzzer harness: arbitrary bytes as the machine's device tree (platform_parse), then
 * the shipped plans checked against it. Built by make fuzz (FUZZ_TARGET=platform) with
 * clang -fsanitize=fuzzer,address,undefined; crashers go to
 * tests/fuzz/regressions/platform, which the unit tests replay on every make test.
 */
#include <stdint.h>
#include <string.h>
#include "fuzz_platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t aligned[(1 << 16) / 8]; /* blobs are 8-byte aligned at boot too */

	if (size > sizeof(aligned))
		return -1;
	memcpy(aligned, data, size);
	(void)fuzz_platform_one(aligned, size);
	return 0;
}
