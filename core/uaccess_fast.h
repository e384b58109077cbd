/*
 * The writable RAM of one partition as a few ranges, worked out once at load from its
 * layout (core/space.h): each cell's stack, the heap and every writable segment. A
 * call made at every message (sampling_read, queuing_recv) checks its destination
 * against them with a few compares instead of looking the page up
 * (uaccess_check_memo), and copies straight through the range's kernel alias.
 *
 * They only ever accept: a range that is not wholly inside one of them is not refused
 * here, the caller takes the full checked path (core/uaccess.c), which accepts or
 * refuses it precisely. Every range is a mapping EL0 may write in that partition's own
 * space (never the info page, never Device memory), so what is accepted here the full
 * check accepts too, with the same kernel alias.
 */
#ifndef BULKHEAD_CORE_UACCESS_FAST_H
#define BULKHEAD_CORE_UACCESS_FAST_H

#include <stdint.h>
#include "core/lib/compiler.h"
#include "core/space.h"

/* Stacks (one per cell), the heap and the writable segments of a usual program. */
#define UACCESS_FAST_RANGES 8u

struct uaccess_fast {
	unsigned int n;
	struct {
		uint64_t va, len; /* [va, va + len), len > 0 */
		uint8_t *kva;     /* the kernel's alias of va (the range is physically contiguous) */
	} r[UACCESS_FAST_RANGES];
};

/* The kernel's alias of physical address pa (the linear map; a fake in host tests). */
typedef uint8_t *(*uaccess_fast_kva)(uint64_t pa);

/*
 * Out: the EL0-writable regions of l (attribute PT_USER_RW, never the info page), at
 * most UACCESS_FAST_RANGES of them, stacks first (most call buffers are locals); the
 * rest are left to the full check.
 */
void uaccess_fast_build(const struct space_layout *l, uaccess_fast_kva kva, struct uaccess_fast *out);

/* The kernel alias of [va, va + len) if it lies wholly in one range (len >= 1), else
 * NULL: the caller then checks it the full way. */
static inline uint8_t *uaccess_fast_writable(const struct uaccess_fast *f, uint64_t va, uint64_t len)
{
	for (unsigned int i = 0; i < f->n; i++) {
		uint64_t off = va - f->r[i].va; /* wraps to a huge value below the range */

		if (off < f->r[i].len && len <= f->r[i].len - off)
			return f->r[i].kva + off;
	}
	return NULL;
}

#endif
