#include "core/uaccess.h"
#include "core/lib/libc.h"

STATIC_ASSERT(UACCESS_MAX_BYTES % BH_PAGE_BYTES == 0, "UACCESS_MAX_PARTS counts whole pages");

static const char *const uaccess_names[UACCESS_ERR_COUNT] = {
	[UACCESS_OK] = "ok",
	[UACCESS_ERR_TOO_LONG] = "too-long",
	[UACCESS_ERR_WRAP] = "wraps",
	[UACCESS_ERR_NULL_GUARD] = "null-guard",
	[UACCESS_ERR_NOT_EL0] = "not-el0",
	[UACCESS_ERR_UNMAPPED] = "unmapped",
	[UACCESS_ERR_DEVICE] = "device-memory",
	[UACCESS_ERR_NO_READ] = "not-readable",
	[UACCESS_ERR_NO_WRITE] = "read-only",
	[UACCESS_ERR_INFO_PAGE] = "info-page",
};

const char *uaccess_strerror(enum uaccess_err e)
{
	return (unsigned int)e < UACCESS_ERR_COUNT ? uaccess_names[e] : "?";
}

/* What the mapping of page allows against `need`. */
static enum uaccess_err verdict(uint64_t page, unsigned int need, const struct uaccess_page *pg)
{
	/* The info page is read-only by the ABI: refuse writes even if a buggy space
	 * mapped it writable, so a partition can never rewrite what the kernel told it. */
	if ((need & UACCESS_WRITE) && page == BH_INFO_VA)
		return UACCESS_ERR_INFO_PAGE;
	if (pg->flags & UACCESS_DEVICE)
		return UACCESS_ERR_DEVICE;
	if ((need & UACCESS_READ) && !(pg->flags & UACCESS_READ))
		return UACCESS_ERR_NO_READ;
	if ((need & UACCESS_WRITE) && !(pg->flags & UACCESS_WRITE))
		return UACCESS_ERR_NO_WRITE;
	return UACCESS_OK;
}

/* One page's verdict for `need` (page is page aligned), through the caller's memo of
 * the last page it looked up: a call checking two pointers into one page looks it up
 * once. */
static enum uaccess_err check_page(const struct uaccess_space *s, uint64_t page,
				   unsigned int need, struct uaccess_page *pg,
				   struct uaccess_memo *memo)
{
	if ((need & UACCESS_WRITE) && page == BH_INFO_VA)
		return UACCESS_ERR_INFO_PAGE; /* before the lookup, as always */
	if (memo && memo->valid && memo->page == page && memo->space == s) {
		*pg = memo->pg;
	} else {
		if (!s->lookup(s->ctx, page, pg))
			return UACCESS_ERR_UNMAPPED;
		if (memo)
			*memo = (struct uaccess_memo){ true, s, page, *pg };
	}
	return verdict(page, need, pg);
}

/* Any range (uaccess_check_memo has set *bad_va and emptied *span). */
static __attribute__((noinline)) enum uaccess_err
check_range(const struct uaccess_space *s, uint64_t va, uint64_t len, unsigned int need,
	    struct uaccess_span *span, uint64_t *bad_va, struct uaccess_memo *memo)
{
	if (len == 0)
		return UACCESS_OK;
	if (len > UACCESS_MAX_BYTES)
		return UACCESS_ERR_TOO_LONG;
	if (va > UINT64_MAX - (len - 1))
		return UACCESS_ERR_WRAP;

	uint64_t last = va + (len - 1); /* no wrap: checked above */

	if (va < BH_IMAGE_VA)
		return UACCESS_ERR_NULL_GUARD;
	if (last >= BH_EL0_VA_END) {
		*bad_va = va >= BH_EL0_VA_END ? va : BH_EL0_VA_END;
		return UACCESS_ERR_NOT_EL0;
	}

	uint64_t at = va;

	while (at <= last) {
		uint64_t page = ALIGN_DOWN(at, UACCESS_PAGE);
		uint64_t end = page + UACCESS_PAGE - 1 < last ? page + UACCESS_PAGE - 1 : last;
		struct uaccess_page pg;
		enum uaccess_err e = check_page(s, page, need, &pg, memo);

		if (e != UACCESS_OK) {
			*bad_va = at;
			return e;
		}
		/* UACCESS_MAX_BYTES bounds the pages a range touches to UACCESS_MAX_PARTS. */
		span->part[span->n].kva = pg.kva + (at - page);
		span->part[span->n].len = (size_t)(end - at + 1);
		span->n++;
		if (end == last)
			break;
		at = end + 1;
	}
	span->len = (size_t)len;
	return UACCESS_OK;
}

enum uaccess_err uaccess_check_memo(const struct uaccess_space *s, uint64_t va, uint64_t len,
				    unsigned int need, struct uaccess_span *span,
				    uint64_t *bad_va, struct uaccess_memo *memo)
{
	uint64_t first = ALIGN_DOWN(va, UACCESS_PAGE);

	*bad_va = va;
	span->va = va;
	span->len = 0;
	span->n = 0;
	/* The common case, one page inside the EL0 bounds (BH_EL0_VA_END is page
	 * aligned, so the whole page is below it): the bounds checks below all pass and
	 * only the page can refuse the range, at va, as in the loop. */
	if (len - 1 < UACCESS_PAGE - (va - first) && va >= BH_IMAGE_VA && va < BH_EL0_VA_END) {
		struct uaccess_page pg;
		enum uaccess_err e = check_page(s, first, need, &pg, memo);

		if (e != UACCESS_OK)
			return e;
		span->part[0].kva = pg.kva + (va - first);
		span->part[0].len = (size_t)len;
		span->n = 1;
		span->len = (size_t)len;
		return UACCESS_OK;
	}
	return check_range(s, va, len, need, span, bad_va, memo);
}

enum uaccess_err uaccess_check(const struct uaccess_space *s, uint64_t va, uint64_t len,
			       unsigned int need, struct uaccess_span *span, uint64_t *bad_va)
{
	return uaccess_check_memo(s, va, len, need, span, bad_va, NULL);
}

void uaccess_copy_bytes(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	/* Words when both sides are 8-aligned (the kernel is built -mstrict-align: an
	 * unaligned word access is not an option), bytes for the rest. */
	if ((((uintptr_t)d | (uintptr_t)s) & 7u) == 0) {
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
}

void uaccess_read(const struct uaccess_span *span, void *dst)
{
	uint8_t *d = dst;

	for (unsigned int i = 0; i < span->n; i++) {
		uaccess_copy_bytes(d, span->part[i].kva, span->part[i].len);
		d += span->part[i].len;
	}
}

void uaccess_write(const struct uaccess_span *span, const void *src)
{
	const uint8_t *p = src;

	if (span->n == 1) {
		uaccess_copy_bytes(span->part[0].kva, p, span->part[0].len);
		return;
	}
	for (unsigned int i = 0; i < span->n; i++) {
		uaccess_copy_bytes(span->part[i].kva, p, span->part[i].len);
		p += span->part[i].len;
	}
}

enum uaccess_err uaccess_copy_from(const struct uaccess_space *s, void *dst, uint64_t va,
				   uint64_t len, uint64_t *bad_va)
{
	struct uaccess_span span;
	enum uaccess_err e = uaccess_check(s, va, len, UACCESS_READ, &span, bad_va);

	if (e == UACCESS_OK)
		uaccess_read(&span, dst);
	return e;
}

enum uaccess_err uaccess_copy_to(const struct uaccess_space *s, uint64_t va, const void *src,
				 uint64_t len, uint64_t *bad_va)
{
	struct uaccess_span span;
	enum uaccess_err e = uaccess_check(s, va, len, UACCESS_WRITE, &span, bad_va);

	if (e == UACCESS_OK)
		uaccess_write(&span, src);
	return e;
}
