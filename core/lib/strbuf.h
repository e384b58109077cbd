/*
 * A bounded string builder over a caller's buffer. It never overflows and never
 * fails: what does not fit is dropped and `truncated` says so. The buffer always
 * holds a NUL-terminated string. Used by the log formatter and error messages
 * (there is no printf in the kernel).
 */
#ifndef BULKHEAD_CORE_LIB_STRBUF_H
#define BULKHEAD_CORE_LIB_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *buf;
	size_t cap; /* bytes in buf, including the NUL */
	size_t len; /* bytes used, excluding the NUL */
	bool truncated;
};

/* Precondition: cap >= 1. */
void sb_init(struct strbuf *sb, char *buf, size_t cap);
void sb_putc(struct strbuf *sb, char c);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_u64(struct strbuf *sb, uint64_t v);
void sb_i64(struct strbuf *sb, int64_t v);
/* "0x" then lowercase hex digits, no leading zeros ("0x0" for zero). */
void sb_hex(struct strbuf *sb, uint64_t v);
/* A JSON string: quoted, with " \ and control characters escaped; NULL gives null. */
void sb_json_str(struct strbuf *sb, const char *s);
/* The same for n bytes of any content (a NUL byte is escaped too). */
void sb_json_strn(struct strbuf *sb, const char *s, size_t n);
/* Cut back to an earlier length (to drop a partly written item). */
void sb_rewind(struct strbuf *sb, size_t len);

#endif
