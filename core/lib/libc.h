/*
 * The C library subset Bulkhead provides itself: what libfdt needs (memchr memcmp
 * memcpy memmove memset strchr strlen strnlen strrchr strtoul) and what the compiler
 * may call (memcpy, memset). Standard semantics; see the C standard for each.
 *
 * On the target these are the real names. The host unit tests build the same source
 * with BH_LIBC_PREFIXED so the functions are bh_memcpy etc. and do not clash with the
 * host libc they run on.
 */
#ifndef BULKHEAD_CORE_LIB_LIBC_H
#define BULKHEAD_CORE_LIB_LIBC_H

#include <stddef.h>

#ifdef BH_LIBC_PREFIXED
#define BH_LIBC(name) bh_##name
#else
#define BH_LIBC(name) name
#endif

void *BH_LIBC(memchr)(const void *s, int c, size_t n);
int BH_LIBC(memcmp)(const void *a, const void *b, size_t n);
void *BH_LIBC(memcpy)(void *restrict dst, const void *restrict src, size_t n);
void *BH_LIBC(memmove)(void *dst, const void *src, size_t n);
void *BH_LIBC(memset)(void *s, int c, size_t n);
char *BH_LIBC(strchr)(const char *s, int c);
char *BH_LIBC(strrchr)(const char *s, int c);
size_t BH_LIBC(strlen)(const char *s);
size_t BH_LIBC(strnlen)(const char *s, size_t max);
int BH_LIBC(strcmp)(const char *a, const char *b);
int BH_LIBC(strncmp)(const char *a, const char *b, size_t n);
/* Accepts base 0 (prefix 0x / 0 selects 16 / 8), 2..36; saturates at ULONG_MAX. */
unsigned long BH_LIBC(strtoul)(const char *s, char **end, int base);

#endif
