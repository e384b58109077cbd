/*
 * Checked access to partition (EL0) memory. The kernel never dereferences a pointer a
 * partition handed it: a range is first checked against the CALLER's own mappings,
 * which resolves it to the kernel-visible aliases of the pages it covers (a range may
 * span pages whose physical pages are not adjacent); the copy then goes through those
 * aliases, page by page, and cannot fail. PAN never gets in the way: the EL0 address
 * is only ever looked up, never used to load or store.
 *
 * The address space is reached through one callback (struct uaccess_space), so this
 * module needs nothing of the page-table code: the kernel implements it over the
 * partition's layout, the host tests over a fake.
 *
 * Precondition everywhere: the caller's address space does not change between a check
 * and the copies of the span it produced (a partition's mappings are fixed while one of
 * its cells is in a call).
 */
#ifndef BULKHEAD_CORE_UACCESS_H
#define BULKHEAD_CORE_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "include/bulkhead/abi.h"

#define UACCESS_PAGE ((uint64_t)BH_PAGE_BYTES)

/* Rights of one EL0 page (struct uaccess_page.flags) and what a check needs. */
#define UACCESS_READ 0x1u   /* EL0 may read it */
#define UACCESS_WRITE 0x2u  /* EL0 may write it */
#define UACCESS_DEVICE 0x4u /* Device memory: the kernel never copies from or to it (a
			     * read may have side effects on the device) */

/* What the address space says about one page mapped for EL0. */
struct uaccess_page {
	unsigned int flags; /* UACCESS_*: the EL0 rights (and Device) of the mapping */
	uint8_t *kva;       /* the kernel's alias of the page's first byte */
};

/*
 * The caller's address space. lookup(ctx, va, out): va is page aligned and below
 * BH_EL0_VA_END; returns true and fills *out if the page is mapped for EL0 in this
 * partition, false if not (unmapped, a guard page, a kernel-only mapping).
 */
struct uaccess_space {
	bool (*lookup)(const void *ctx, uint64_t va, struct uaccess_page *out);
	const void *ctx;
};

/* Most bytes one check covers (a call's own maximum is smaller: print takes 256). */
#define UACCESS_MAX_BYTES 4096u
#define UACCESS_MAX_PARTS (UACCESS_MAX_BYTES / BH_PAGE_BYTES + 1u)

/* A checked range: its bytes, in order, as pieces of kernel-visible memory. */
struct uaccess_span {
	uint64_t va;
	size_t len;
	unsigned int n; /* pieces used; 0 for an empty range */
	struct {
		uint8_t *kva;
		size_t len;
	} part[UACCESS_MAX_PARTS];
};

enum uaccess_err {
	UACCESS_OK = 0,
	UACCESS_ERR_TOO_LONG,   /* len > UACCESS_MAX_BYTES */
	UACCESS_ERR_WRAP,       /* va + len wraps around 2^64 */
	UACCESS_ERR_NULL_GUARD, /* a byte below BH_IMAGE_VA, where nothing is ever mapped */
	UACCESS_ERR_NOT_EL0,    /* a byte at or above BH_EL0_VA_END (e.g. a kernel address) */
	UACCESS_ERR_UNMAPPED,   /* a page not mapped for EL0 in the caller's space */
	UACCESS_ERR_DEVICE,     /* a page of Device memory */
	UACCESS_ERR_NO_READ,    /* a page the caller may not read */
	UACCESS_ERR_NO_WRITE,   /* a page the caller may not write */
	UACCESS_ERR_INFO_PAGE,  /* a write to the info page (read-only, whatever the mapping says) */
	UACCESS_ERR_COUNT,
};

/* "unmapped", "read-only", ...: words for logs; "?" out of range. */
const char *uaccess_strerror(enum uaccess_err e);

/*
 * Checks [va, va + len) for access `need` (UACCESS_READ, UACCESS_WRITE or both) by the
 * partition whose space is s, and resolves it into *span. An empty range (len 0) is
 * valid wherever it points and resolves to no pieces. On error *bad_va is the first
 * byte that failed (va itself for TOO_LONG and WRAP) and *span is unusable.
 * Checks in order: length, wrap, the EL0 bounds, then page by page from the lowest.
 */
enum uaccess_err uaccess_check(const struct uaccess_space *s, uint64_t va, uint64_t len,
			       unsigned int need, struct uaccess_span *span,
			       uint64_t *bad_va) __must_check;

/*
 * The last page a call looked up (zero it before the call's first check): a call whose
 * pointers share a page looks it up once. Valid only while the caller's space cannot
 * change, which is the whole of one call (the precondition above).
 */
struct uaccess_memo {
	bool valid;
	const struct uaccess_space *space;
	uint64_t page;
	struct uaccess_page pg;
};

/* uaccess_check, remembering in *memo (NULL: none) the last page it looked up, and
 * using it if the range starts there. Same results. */
enum uaccess_err uaccess_check_memo(const struct uaccess_space *s, uint64_t va, uint64_t len,
				    unsigned int need, struct uaccess_span *span,
				    uint64_t *bad_va, struct uaccess_memo *memo) __must_check;

/* n bytes from src to dst (kernel memory, not overlapping): words when both are
 * 8-aligned, bytes otherwise. */
void uaccess_copy_bytes(void *dst, const void *src, size_t n);

/* Copy a span checked for UACCESS_READ into dst (span->len bytes), or src into a span
 * checked for UACCESS_WRITE. Cannot fail. */
void uaccess_read(const struct uaccess_span *span, void *dst);
void uaccess_write(const struct uaccess_span *span, const void *src);

/* Check and copy in one step; nothing is copied on error. */
enum uaccess_err uaccess_copy_from(const struct uaccess_space *s, void *dst, uint64_t va,
				   uint64_t len, uint64_t *bad_va) __must_check;
enum uaccess_err uaccess_copy_to(const struct uaccess_space *s, uint64_t va, const void *src,
				 uint64_t len, uint64_t *bad_va) __must_check;

#endif
