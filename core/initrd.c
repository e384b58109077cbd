#include "core/initrd.h"

static const char *const names[] = {
	[INITRD_OK] = "ok",
	[INITRD_EMPTY] = "initrd is empty",
	[INITRD_WRAPS] = "initrd range wraps around the address space",
	[INITRD_NOT_IN_RAM] = "initrd is not entirely in RAM",
	[INITRD_OVERLAPS_KERNEL] = "initrd overlaps the kernel image",
	[INITRD_OVERLAPS_DTB] = "initrd overlaps the device tree blob",
	[INITRD_OVERLAPS_RESERVED] = "initrd overlaps reserved memory",
};

const char *initrd_strerror(enum initrd_err e)
{
	return (unsigned int)e < ARRAY_SIZE(names) ? names[e] : "?";
}

/* The RAM range holding addr, or NULL. */
static const struct pa_range *ram_at(const struct platform *p, uint64_t addr)
{
	for (unsigned int i = 0; i < p->n_ram && i < PLAT_MAX_RAM; i++)
		if (addr >= pa_addr(p->ram[i].base) && addr - pa_addr(p->ram[i].base) < p->ram[i].size)
			return &p->ram[i];
	return NULL;
}

/* Lowest RAM address above addr, or end if none is below end. */
static uint64_t next_ram(const struct platform *p, uint64_t addr, uint64_t end)
{
	uint64_t next = end;

	for (unsigned int i = 0; i < p->n_ram && i < PLAT_MAX_RAM; i++)
		if (pa_addr(p->ram[i].base) > addr && pa_addr(p->ram[i].base) < next)
			next = pa_addr(p->ram[i].base);
	return next;
}

/* RAM ranges may touch: walk from range to range until the end is covered. */
static bool in_ram(const struct platform *p, uint64_t start, uint64_t end, struct pa_range *gap)
{
	uint64_t at = start;

	while (at < end) {
		const struct pa_range *r = ram_at(p, at);

		if (!r) {
			*gap = (struct pa_range){ pa_init(at), next_ram(p, at, end) - at };
			return false;
		}
		at = pa_range_end(r);
	}
	return true;
}

static bool same(const struct pa_range *a, const struct pa_range *b)
{
	return pa_addr(a->base) == pa_addr(b->base) && a->size == b->size;
}

enum initrd_err initrd_check(const struct pa_range *initrd, const struct initrd_env *env,
			     struct pa_range *clash)
{
	const struct platform *p = env->plat;
	uint64_t start = pa_addr(initrd->base);

	*clash = *initrd;
	if (initrd->size == 0)
		return INITRD_EMPTY;
	if (start + initrd->size < start)
		return INITRD_WRAPS;
	if (!in_ram(p, start, start + initrd->size, clash))
		return INITRD_NOT_IN_RAM;
	if (env->kernel.size && pa_range_overlaps(initrd, &env->kernel)) {
		*clash = env->kernel;
		return INITRD_OVERLAPS_KERNEL;
	}
	if (env->dtb.size && pa_range_overlaps(initrd, &env->dtb)) {
		*clash = env->dtb;
		return INITRD_OVERLAPS_DTB;
	}
	for (unsigned int i = 0; i < p->n_reserved && i < PLAT_MAX_RESERVED; i++) {
		if (pa_range_overlaps(initrd, &p->reserved[i]) && !same(initrd, &p->reserved[i])) {
			*clash = p->reserved[i];
			return INITRD_OVERLAPS_RESERVED;
		}
	}
	return INITRD_OK;
}
