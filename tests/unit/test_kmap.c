/* The kernel's upper-half tables: TTBR1 addresses in the page-table builder, the image
 * with its stacks and guards, the linear map around holes, the per-CPU layout. */
#include <criterion/criterion.h>
#include <stdalign.h>
#include <stdlib.h>
#include "hal/aarch64/kmap.h"
#include "hal/aarch64/percpu.h"
#include "hal/mmu.h"

#define KiB 1024ULL
#define MiB (1024ULL * KiB)

static pt_page_t *pages;
static uint64_t host_to_pa(const void *t) { return (uint64_t)(uintptr_t)t; }
static uint64_t *host_to_va(uint64_t pa) { return (uint64_t *)(uintptr_t)pa; }

static struct pt_pool make_pool(size_t n)
{
	pages = aligned_alloc(4096, n * sizeof(pt_page_t));
	cr_assert_not_null(pages);
	return (struct pt_pool){ pages, n, 0, host_to_pa, host_to_va };
}

static uint64_t lookup(const struct pt_pool *pool, const uint64_t *root, uint64_t va)
{
	int level;

	return pt_lookup_upper(pool, root, va, &level);
}

Test(pgtable_upper, maps_only_ttbr1_addresses)
{
	struct pt_pool pool = make_pool(8);
	uint64_t *root;
	int level = 0;

	cr_assert_eq(pt_init(&pool, &root), HAL_OK);
	cr_assert_eq(pt_map_upper(&pool, root, 0x40000000, 0x40000000, 0x1000, PT_KERNEL_RW),
		     HAL_ERR_MMU_RANGE, "a TTBR0 address");
	cr_assert_eq(pt_map_upper(&pool, root, KERNEL_VA_START - 0x1000, 0, 0x1000, PT_KERNEL_RW),
		     HAL_ERR_MMU_RANGE, "just below the upper half");
	cr_assert_eq(pt_map_upper(&pool, root, 0xfffffffffffff000ULL, 0x1000, 0x2000, PT_KERNEL_RW),
		     HAL_ERR_MMU_RANGE, "past the top of the address space");
	cr_assert_eq(pt_map_upper(&pool, root, 0xfffffffffffff000ULL, 0x5000, 0x1000, PT_KERNEL_RO),
		     HAL_OK, "the last page");
	cr_assert_eq(pt_map_upper(&pool, root, KERNEL_VA_START, 0x9000000, 0x1000, PT_DEVICE), HAL_OK);
	uint64_t d = pt_lookup_upper(&pool, root, 0xffffffffffffffffULL, &level);
	cr_assert_eq(level, 3);
	cr_assert_eq(d & PT_DESC_ADDR_MASK, 0x5000);
	cr_assert_eq(lookup(&pool, root, KERNEL_VA_START + 0x10) & PT_DESC_ADDR_MASK, 0x9000000);
	cr_assert_eq(lookup(&pool, root, KERNEL_VA_START + 0x1000), 0);
	cr_assert_eq(pt_lookup_upper(&pool, root, 0, &level), 0, "lower addresses never walk");
	/* The hardware indexes TTBR1 with the low 39 bits: the same slots as VA - start. */
	cr_assert_eq(pt_lookup(&pool, root, 0, &level) & PT_DESC_ADDR_MASK, 0x9000000);
	free(pages);
}

/* An image like the real one: 8 CPUs with 16 KiB stacks. */
static struct kimage sample_image(void)
{
	struct kimage img = {
		.pa = 0x40200000,
		.va = KERNEL_IMAGE_VA,
		.text_end = 0x12000,
		.rodata_end = 0x1a000,
		.stacks = 0x28000,
		.stack_size = 16 * KiB,
		.n_cpus = 8,
	};

	img.stacks_bytes = kstack_area_bytes(img.stack_size, img.n_cpus);
	img.end = img.stacks + img.stacks_bytes + 0x3000;
	return img;
}

Test(kstack, guards_below_every_stack_and_the_overflow_bit)
{
	struct kimage img = sample_image();
	const uint64_t bit = img.stack_size; /* KSTACK_SHIFT's bit */

	for (unsigned int cpu = 0; cpu < img.n_cpus; cpu++) {
		struct kstack s = kstack_of(&img, cpu);
		uint64_t va_bottom = img.va + s.bottom, va_top = img.va + s.top;

		cr_assert_eq(s.bottom - s.guard, img.stack_size, "a guard as big as the stack");
		cr_assert_eq(s.top - s.bottom, img.stack_size);
		cr_assert_eq(s.overflow_bottom - s.overflow_guard, KSTACK_GUARD_PAGE);
		cr_assert_eq(s.overflow_top - s.overflow_bottom, KSTACK_OVERFLOW_SIZE);
		cr_assert_geq(s.guard, img.stacks);
		cr_assert_leq(s.overflow_top, img.stacks + img.stacks_bytes);
		cr_assert_eq(s.top % 16, 0, "SP stays 16-byte aligned");
		/* What the vectors test: set inside the stack, clear in the guard below. */
		cr_assert(va_bottom & bit);
		cr_assert((va_top - 1) & bit);
		cr_assert((va_top - 288) & bit, "a frame taken on an empty stack fits");
		cr_assert_not((va_bottom - 1) & bit);
		cr_assert_not((img.va + s.guard) & bit);
		for (unsigned int other = 0; other < cpu; other++) {
			struct kstack o = kstack_of(&img, other);

			cr_assert(o.top <= s.guard, "stacks in order, never overlapping");
			cr_assert(o.overflow_top <= s.overflow_guard);
			cr_assert(o.top <= s.overflow_guard);
		}
	}
	cr_assert_eq(kstack_area_bytes(16 * KiB, 8), 8 * (32 * KiB + 12 * KiB));
}

Test(kstack, percpu_is_two_cache_lines_each)
{
	struct percpu two[2];

	cr_assert_eq(sizeof(struct percpu), 128);
	cr_assert_eq(alignof(struct percpu), 128);
	cr_assert_eq((uintptr_t)&two[1] - (uintptr_t)&two[0], 128);
	cr_assert_eq((uintptr_t)&two[0] % 64, 0, "no CPU's data shares a cache line with another's");
}

enum expect { UNMAPPED, RX, RO, RW };

static enum expect expected(const struct kimage *img, uint64_t off)
{
	if (off < img->text_end)
		return RX;
	if (off < img->rodata_end)
		return RO;
	if (off < img->stacks || off >= img->stacks + img->stacks_bytes)
		return off < img->end ? RW : UNMAPPED;
	for (unsigned int cpu = 0; cpu < img->n_cpus; cpu++) {
		struct kstack s = kstack_of(img, cpu);

		if ((off >= s.bottom && off < s.top) ||
		    (off >= s.overflow_bottom && off < s.overflow_top))
			return RW;
	}
	return UNMAPPED;
}

Test(kmap, image_pages_have_their_section_rights_and_guards_are_absent)
{
	struct pt_pool pool = make_pool(16);
	struct kimage img = sample_image();
	uint64_t *root;
	unsigned int guards = 0;

	cr_assert_eq(pt_init(&pool, &root), HAL_OK);
	cr_assert_eq(kmap_image(&pool, root, &img), HAL_OK);
	for (uint64_t off = 0; off < img.end + 2 * MiB; off += PT_PAGE_SIZE) {
		uint64_t d = lookup(&pool, root, img.va + off);
		enum expect want = expected(&img, off);

		if (want == UNMAPPED) {
			cr_assert_eq(d, 0, "page at +%#llx must be unmapped", (unsigned long long)off);
			guards += off < img.end;
			continue;
		}
		cr_assert_eq(d & PT_DESC_ADDR_MASK, img.pa + off, "+%#llx", (unsigned long long)off);
		cr_assert_not(d & PT_DESC_AP_EL0, "kernel only");
		cr_assert_not(d & BIT(11), "global (nG clear)");
		cr_assert(d & PT_DESC_UXN);
		cr_assert_eq(!!(d & PT_DESC_AP_RO), want != RW, "+%#llx", (unsigned long long)off);
		cr_assert_eq(!!(d & PT_DESC_PXN), want != RX, "only text executes");
	}
	/* 8 stack guards of 16 KiB and 8 overflow guards of one page. */
	cr_assert_eq(guards, 8 * 4 + 8);
	free(pages);
}

Test(kmap, image_that_breaks_the_layout_is_refused)
{
	struct pt_pool pool = make_pool(16);
	uint64_t *root;
	struct kimage img = sample_image();

	cr_assert_eq(pt_init(&pool, &root), HAL_OK);
	img.stacks += 16 * KiB; /* no longer aligned to two stacks: the bit test would lie */
	img.end += 16 * KiB;
	cr_assert_eq(kmap_image(&pool, root, &img), HAL_ERR_UNSUPPORTED);
	img = sample_image();
	img.stacks_bytes -= PT_PAGE_SIZE;
	cr_assert_eq(kmap_image(&pool, root, &img), HAL_ERR_UNSUPPORTED);
	img = sample_image();
	img.stack_size = 12 * KiB;
	img.stacks_bytes = kstack_area_bytes(img.stack_size, img.n_cpus);
	cr_assert_eq(kmap_image(&pool, root, &img), HAL_ERR_UNSUPPORTED, "not a power of two");
	img = sample_image();
	img.va += PT_PAGE_SIZE;
	cr_assert_eq(kmap_image(&pool, root, &img), HAL_ERR_UNSUPPORTED);
	cr_assert_eq(pool.used, 1, "nothing was mapped");
	free(pages);
}

static uint64_t lin(uint64_t pa) { return KERNEL_LINEAR_BASE + pa; }

/* The physical address va translates to (blocks included), or 0 if unmapped. */
static uint64_t pa_of(const struct pt_pool *pool, const uint64_t *root, uint64_t va)
{
	int level = 0;
	uint64_t d = pt_lookup_upper(pool, root, va, &level);
	uint64_t span = level == 3 ? PT_PAGE_SIZE : level == 2 ? PT_BLOCK_L2 : 1ULL << 30;

	return d ? (d & PT_DESC_ADDR_MASK & ~(span - 1)) + (va & (span - 1)) : 0;
}

Test(kmap, linear_map_covers_ram_but_not_the_image_or_reserved_memory)
{
	struct pt_pool pool = make_pool(16);
	uint64_t *root;
	int level = 0;
	const struct pa_range ram[] = {
		{ pa_init(0x40000000), 512 * MiB },
		{ pa_init(0x100000800), 4 * MiB - 0x1000 }, /* unaligned edges: whole pages only */
	};
	const struct pa_range holes[] = {
		{ pa_init(0x40200000), 0xd2000 },     /* the image */
		{ pa_init(0x48000010), 0x10 },        /* reserved, grown to its page */
		{ pa_init(0x10000000), 0x1000 },      /* outside RAM: ignored */
		{ pa_init(0x40201000), 0x1000 },      /* inside another hole */
	};

	cr_assert_eq(pt_init(&pool, &root), HAL_OK);
	cr_assert_eq(kmap_linear(&pool, root, ram, 2, holes, 4), HAL_OK);
	uint64_t d = pt_lookup_upper(&pool, root, lin(0x40000000), &level);
	cr_assert_eq(d & PT_DESC_ADDR_MASK, 0x40000000);
	cr_assert_eq(level, 2, "2 MiB blocks where aligned");
	cr_assert_not(d & PT_DESC_AP_RO);
	cr_assert(d & PT_DESC_PXN, "never executable");
	cr_assert(d & PT_DESC_UXN);
	cr_assert_not(d & PT_DESC_AP_EL0);
	for (uint64_t pa = 0x40200000; pa < 0x402d2000; pa += PT_PAGE_SIZE)
		cr_assert_eq(lookup(&pool, root, lin(pa)), 0, "no alias of the image at %#llx",
			     (unsigned long long)pa);
	cr_assert_eq(pa_of(&pool, root, lin(0x402d2000)), 0x402d2000);
	cr_assert_eq(pa_of(&pool, root, lin(0x401ff000)), 0x401ff000);
	cr_assert_eq(lookup(&pool, root, lin(0x48000000)), 0);
	cr_assert_eq(pa_of(&pool, root, lin(0x48001000)), 0x48001000);
	cr_assert_eq(pa_of(&pool, root, lin(0x47fff000)), 0x47fff000);
	cr_assert_eq(pa_of(&pool, root, lin(0x5ffff000)), 0x5ffff000);
	cr_assert_eq(lookup(&pool, root, lin(0x60000000)), 0, "RAM ends");
	cr_assert_eq(lookup(&pool, root, lin(0x10000000)), 0);
	cr_assert_eq(lookup(&pool, root, lin(0x100000000)), 0, "partial first page left out");
	cr_assert_neq(lookup(&pool, root, lin(0x100001000)), 0);
	cr_assert_neq(lookup(&pool, root, lin(0x1003fe000)), 0);
	cr_assert_eq(lookup(&pool, root, lin(0x1003ff000)), 0, "partial last page left out");
	free(pages);
}

Test(kmap, ram_beyond_the_linear_window_is_refused)
{
	struct pt_pool pool = make_pool(4);
	uint64_t *root;
	const struct pa_range ram[] = { { pa_init(KERNEL_LINEAR_SIZE - 2 * MiB), 4 * MiB } };

	cr_assert_eq(pt_init(&pool, &root), HAL_OK);
	cr_assert_eq(kmap_linear(&pool, root, ram, 1, NULL, 0), HAL_ERR_MMU_RANGE);
	free(pages);
}

Test(kmap, phys_to_virt_is_the_linear_map)
{
	cr_assert_eq((uintptr_t)phys_to_virt(pa_init(0x40000000)), 0xffffff8040000000ULL);
	cr_assert_eq(pa_addr(virt_to_phys((void *)(uintptr_t)0xffffff8040001234ULL)), 0x40001234);
	cr_assert_eq(pa_addr(virt_to_phys(phys_to_virt(pa_init(0x3fffffff000ULL)))), 0x3fffffff000ULL);
}
