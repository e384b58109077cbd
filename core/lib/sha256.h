/*
 * SHA-256 of what the kernel loads (rule 8: measure what you load), through Debian's
 * BearSSL (libbearssl-dev; the kernel links its arm64 archive, host code the host one).
 * BearSSL's SHA-256 uses FP/SIMD registers: in the kernel, call it only at boot with
 * interrupts masked (exception frames do not save FP state).
 */
#ifndef BULKHEAD_CORE_LIB_SHA256_H
#define BULKHEAD_CORE_LIB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32
#define SHA256_HEX (2 * SHA256_BYTES + 1)

/* The digest of n bytes at data, as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t n, char out[SHA256_HEX]);

#endif
