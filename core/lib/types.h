/*
 * Typed addresses: a physical address is not an integer you can add a virtual
 * address to. One-field structs make mixing them a compile error (as in Hafnium).
 */
#ifndef BULKHEAD_CORE_LIB_TYPES_H
#define BULKHEAD_CORE_LIB_TYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef struct { uint64_t pa; } paddr_t;

static inline paddr_t pa_init(uint64_t v) { return (paddr_t){ v }; }
static inline uint64_t pa_addr(paddr_t p) { return p.pa; }

/* A physical range [base, base + size). size > 0 and no wrap-around, checked at parse. */
struct pa_range {
	paddr_t base;
	uint64_t size;
};

static inline uint64_t pa_range_end(const struct pa_range *r) { return pa_addr(r->base) + r->size; }

static inline bool pa_range_overlaps(const struct pa_range *a, const struct pa_range *b)
{
	return pa_addr(a->base) < pa_range_end(b) && pa_addr(b->base) < pa_range_end(a);
}

static inline bool pa_range_contains(const struct pa_range *outer, const struct pa_range *inner)
{
	return pa_addr(inner->base) >= pa_addr(outer->base) &&
	       pa_range_end(inner) <= pa_range_end(outer);
}

#endif
