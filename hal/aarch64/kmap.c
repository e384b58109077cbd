#include "hal/aarch64/kmap.h"
#include "hal/aarch64/boot_layout.h"
#include "hal/kernel_va.h"

uint64_t kstack_area_bytes(uint64_t stack_size, unsigned int n_cpus)
{
	return n_cpus * (2 * stack_size + KSTACK_GUARD_PAGE + KSTACK_OVERFLOW_SIZE);
}

struct kstack kstack_of(const struct kimage *img, unsigned int cpu)
{
	uint64_t slot = img->stacks + 2 * img->stack_size * cpu;
	uint64_t ovf = img->stacks + 2 * img->stack_size * img->n_cpus +
		       (uint64_t)cpu * (KSTACK_GUARD_PAGE + KSTACK_OVERFLOW_SIZE);

	return (struct kstack){
		.guard = slot,
		.bottom = slot + img->stack_size,
		.top = slot + 2 * img->stack_size,
		.overflow_guard = ovf,
		.overflow_bottom = ovf + KSTACK_GUARD_PAGE,
		.overflow_top = ovf + KSTACK_GUARD_PAGE + KSTACK_OVERFLOW_SIZE,
	};
}

static enum hal_err map_part(struct pt_pool *pool, uint64_t *root, const struct kimage *img,
			     uint64_t from, uint64_t to, enum pt_attr attr)
{
	if (from == to)
		return HAL_OK;
	return pt_map_upper(pool, root, img->va + from, img->pa + from, to - from, attr);
}

static bool image_ok(const struct kimage *img)
{
	uint64_t s = img->stack_size;

	return s >= PT_PAGE_SIZE && (s & (s - 1)) == 0 && img->n_cpus > 0 &&
	       IS_ALIGNED(img->pa, PT_PAGE_SIZE) && IS_ALIGNED(img->va, PT_BLOCK_L2) &&
	       IS_ALIGNED(img->text_end | img->rodata_end | img->end, PT_PAGE_SIZE) &&
	       IS_ALIGNED(img->stacks, 2 * s) &&
	       img->stacks_bytes == kstack_area_bytes(s, img->n_cpus) &&
	       img->text_end <= img->rodata_end && img->rodata_end <= img->stacks &&
	       img->stacks + img->stacks_bytes <= img->end && img->end <= KERNEL_IMAGE_MAX;
}

enum hal_err kmap_image(struct pt_pool *pool, uint64_t *root, const struct kimage *img)
{
	enum hal_err e;

	if (!image_ok(img))
		return HAL_ERR_UNSUPPORTED;
	e = map_part(pool, root, img, 0, img->text_end, PT_KERNEL_RX);
	if (e == HAL_OK)
		e = map_part(pool, root, img, img->text_end, img->rodata_end, PT_KERNEL_RO);
	if (e == HAL_OK)
		e = map_part(pool, root, img, img->rodata_end, img->stacks, PT_KERNEL_RW);
	for (unsigned int cpu = 0; cpu < img->n_cpus && e == HAL_OK; cpu++) {
		struct kstack k = kstack_of(img, cpu);

		e = map_part(pool, root, img, k.bottom, k.top, PT_KERNEL_RW);
		if (e == HAL_OK)
			e = map_part(pool, root, img, k.overflow_bottom, k.overflow_top,
				     PT_KERNEL_RW);
	}
	if (e == HAL_OK)
		e = map_part(pool, root, img, img->stacks + img->stacks_bytes, img->end,
			     PT_KERNEL_RW);
	return e;
}

/* The hole (grown to pages) overlapping [from, to) that starts lowest, if any. */
static bool first_hole(const struct pa_range *holes, unsigned int n, uint64_t from, uint64_t to,
		       uint64_t *hs, uint64_t *he)
{
	bool found = false;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t s = ALIGN_DOWN(pa_addr(holes[i].base), PT_PAGE_SIZE);
		uint64_t end = pa_range_end(&holes[i]);
		uint64_t e = end > UINT64_MAX - PT_PAGE_SIZE ? UINT64_MAX & ~(PT_PAGE_SIZE - 1)
							     : ALIGN_UP(end, PT_PAGE_SIZE);

		if (e <= from || s >= to || (found && s >= *hs))
			continue;
		*hs = s;
		*he = e;
		found = true;
	}
	return found;
}

static enum hal_err map_linear(struct pt_pool *pool, uint64_t *root, uint64_t from, uint64_t to)
{
	return pt_map_upper(pool, root, KERNEL_LINEAR_BASE + from, from, to - from, PT_KERNEL_RW);
}

enum hal_err kmap_linear(struct pt_pool *pool, uint64_t *root, const struct pa_range *ram,
			 unsigned int n_ram, const struct pa_range *holes, unsigned int n_holes)
{
	for (unsigned int i = 0; i < n_ram; i++) {
		uint64_t cur = ALIGN_UP(pa_addr(ram[i].base), PT_PAGE_SIZE);
		uint64_t end = ALIGN_DOWN(pa_range_end(&ram[i]), PT_PAGE_SIZE);
		uint64_t hs = 0, he = 0;
		enum hal_err e;

		if (pa_range_end(&ram[i]) > KERNEL_LINEAR_SIZE)
			return HAL_ERR_MMU_RANGE;
		while (cur < end) {
			if (!first_hole(holes, n_holes, cur, end, &hs, &he)) {
				e = map_linear(pool, root, cur, end);
				if (e != HAL_OK)
					return e;
				break;
			}
			if (hs > cur) {
				e = map_linear(pool, root, cur, hs);
				if (e != HAL_OK)
					return e;
			}
			cur = he > cur ? he : cur;
		}
	}
	return HAL_OK;
}
