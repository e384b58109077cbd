/*
 * The kernel's tables sized by the plan, taken from RAM the plan leaves free: a bump
 * allocator over one physical range, reached through the kernel's alias of it (the
 * linear map). Nothing is ever freed: the tables live as long as the kernel runs, so
 * kmem_used() says exactly what they take, padding for alignment included.
 */
#ifndef BULKHEAD_CORE_KMEM_H
#define BULKHEAD_CORE_KMEM_H

#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"

enum kmem_err {
	KMEM_OK = 0,
	KMEM_ERR_SHORT, /* the range has fewer free bytes than the request (kmem.want, kmem.free) */
	KMEM_ERR_ALIGN, /* the alignment is 0 or not a power of two */
	KMEM_ERR_COUNT,
};
const char *kmem_strerror(enum kmem_err e);

struct kmem {
	uint8_t *va;   /* the kernel's alias of pa */
	uint64_t pa;   /* physical base of the range */
	uint64_t size; /* bytes in the range */
	uint64_t used; /* bytes handed out from the base, padding included */
	/* The last refused request: what it asked for and what was left (both bytes). */
	uint64_t want, free;
	const char *what;
};

/* The range [pa, pa + size), which the kernel reaches at va. Nothing is touched. With va
 * NULL the kmem only measures: kmem_alloc counts what fits as if va were page aligned
 * and writes nothing (*out stays NULL); bhplan sizes the kernel's tables so. */
void kmem_init(struct kmem *m, void *va, uint64_t pa, uint64_t size);

/*
 * n items of size bytes each, at an address aligned to align (a power of two), zeroed.
 * *out = NULL for n * size == 0 (nothing is taken). KMEM_ERR_SHORT when they do not fit
 * (or n * size overflows): nothing is taken, and m->want, m->free and m->what (the
 * caller's name for the table) say what was missing.
 */
enum kmem_err kmem_alloc(struct kmem *m, const char *what, uint64_t n, uint64_t size,
			 uint64_t align, void **out) __must_check;

/*
 * Everything left, from the next address aligned to align, not zeroed (a pool the
 * caller fills as it goes, then gives back what it did not use with kmem_trim):
 * *bytes receives the size. Never fails; *bytes may be 0.
 */
void *kmem_rest(struct kmem *m, uint64_t align, uint64_t *bytes);

/* The last block handed out (at va) keeps only its first keep bytes; the rest is free
 * again. va must be the last allocation's address and keep at most its size. */
void kmem_trim(struct kmem *m, const void *va, uint64_t keep);

/* The physical address of a kernel address inside the range. */
uint64_t kmem_pa(const struct kmem *m, const void *va);
/* The kernel address of a physical address inside the range. */
void *kmem_va(const struct kmem *m, uint64_t pa);

static inline uint64_t kmem_used(const struct kmem *m)
{
	return m->used;
}

#endif
