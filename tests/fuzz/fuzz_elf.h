/* One input through the ELF loader, with the loader's promises checked; shared by the
 * fuzzer, the regression replay and the property test. */
#ifndef BULKHEAD_TESTS_FUZZ_FUZZ_ELF_H
#define BULKHEAD_TESTS_FUZZ_FUZZ_ELF_H

#include <stddef.h>
#include "core/elf.h"

/* The partition window the kernel uses: [0x400000, 0x40000000). */
extern const struct elf_limits fuzz_elf_limits;

/*
 * Parses bytes[0, size) and, when accepted, resolves a fixed list of names. *err gets
 * elf_parse's result. Returns NULL when every promise of core/elf.h held (a refusal
 * included), else what was broken.
 */
const char *fuzz_elf_one(const void *bytes, size_t size, enum elf_err *err);

#endif
