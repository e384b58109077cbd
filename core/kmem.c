/* The kernel's tables from free RAM (kmem.h). */
#include "core/kmem.h"
#include "core/lib/libc.h"

static const char *const err_names[KMEM_ERR_COUNT] = {
	[KMEM_OK] = "ok",
	[KMEM_ERR_SHORT] = "not enough free RAM for the kernel's tables",
	[KMEM_ERR_ALIGN] = "alignment is not a power of two",
};

const char *kmem_strerror(enum kmem_err e)
{
	return (unsigned int)e < KMEM_ERR_COUNT ? err_names[e] : "unknown kmem error";
}

void kmem_init(struct kmem *m, void *va, uint64_t pa, uint64_t size)
{
	*m = (struct kmem){ .va = va, .pa = pa, .size = size };
}

/* Offset of the next free byte aligned to align (may lie past the end). */
static uint64_t next_at(const struct kmem *m, uint64_t align)
{
	uint64_t a = (uint64_t)(uintptr_t)m->va + m->used;

	return ALIGN_UP(a, align) - (uint64_t)(uintptr_t)m->va;
}

enum kmem_err kmem_alloc(struct kmem *m, const char *what, uint64_t n, uint64_t size,
			 uint64_t align, void **out)
{
	uint64_t at, bytes;

	*out = NULL;
	if (align == 0 || (align & (align - 1)))
		return KMEM_ERR_ALIGN;
	if (n == 0 || size == 0)
		return KMEM_OK;
	at = next_at(m, align);
	bytes = n * size;
	if (bytes / n != size || at > m->size || m->size - at < bytes) {
		m->want = bytes / n == size ? bytes : UINT64_MAX;
		m->free = at > m->size ? 0 : m->size - at;
		m->what = what;
		return KMEM_ERR_SHORT;
	}
	if (m->va) {
		*out = m->va + at;
		BH_LIBC(memset)(*out, 0, bytes);
	}
	m->used = at + bytes;
	return KMEM_OK;
}

void *kmem_rest(struct kmem *m, uint64_t align, uint64_t *bytes)
{
	uint64_t at = next_at(m, align);

	if (at >= m->size) {
		*bytes = 0;
		return NULL;
	}
	*bytes = m->size - at;
	m->used = m->size;
	return m->va + at;
}

void kmem_trim(struct kmem *m, const void *va, uint64_t keep)
{
	m->used = (uint64_t)((const uint8_t *)va - m->va) + keep;
}

uint64_t kmem_pa(const struct kmem *m, const void *va)
{
	return m->pa + (uint64_t)((const uint8_t *)va - m->va);
}

void *kmem_va(const struct kmem *m, uint64_t pa)
{
	return m->va + (pa - m->pa);
}
