/*
 * malloc's memory: picolibc's malloc grows its heap with sbrk(). Ours hands out the heap
 * the kernel mapped for this partition (bh_info heap_base/heap_bytes, zeroed at load)
 * instead of linker-script symbols. Not safe for two cells at once (see bulkhead.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include "bulkhead.h"

void *sbrk(ptrdiff_t incr)
{
	static uintptr_t top; /* 0 until the first call */
	const struct bh_info *info = bh_info();
	uintptr_t base = (uintptr_t)info->heap_base, end = base + (uintptr_t)info->heap_bytes;

	if (top == 0)
		top = base;
	if ((incr > 0 && (uintptr_t)incr > end - top) ||
	    (incr < 0 && (uintptr_t)(-incr) > top - base)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	uintptr_t old = top;

	top += (uintptr_t)incr;
	return (void *)old;
}
