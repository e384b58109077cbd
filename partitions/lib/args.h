/*
 * The plan's args as the info page holds them: n strings, each NUL-terminated, packed in
 * a buffer of `bytes` bytes. Pure functions (no calls, no libc), tested on the host.
 * A malformed buffer (a string running past `bytes`) reads as if it ended there: every
 * function stays inside [args, args + bytes).
 */
#ifndef BULKHEAD_PARTITIONS_LIB_ARGS_H
#define BULKHEAD_PARTITIONS_LIB_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The i-th string (0-based), or NULL if there are not that many complete strings. */
const char *args_at(const char *args, size_t bytes, unsigned int n, unsigned int i);

/* The value of the first "key=value" string ("" for a bare "key"), NULL if none.
 * key must be non-empty and contain no '='. */
const char *args_find(const char *args, size_t bytes, unsigned int n, const char *key);

/* A decimal or 0x-hex unsigned number filling all of s; false on anything else or on
 * overflow. */
bool args_parse_u64(const char *s, uint64_t *out);

#endif
