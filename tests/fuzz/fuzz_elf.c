/*
 * libFuzzer harness for the ELF loader: arbitrary bytes through elf_parse and
 * elf_symbol, with every promise of core/elf.h checked on what is accepted
 * (fuzz_elf_one.c). Built by make fuzz FUZZ_TARGET=elf; crashers go to
 * tests/fuzz/regressions/elf, which the unit tests replay on every make test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum elf_err e;
	const char *bad = fuzz_elf_one(data, size, &e);

	if (bad) {
		fprintf(stderr, "elf: broken promise: %s (parse: %s)\n", bad, elf_strerror(e));
		abort();
	}
	return 0;
}
