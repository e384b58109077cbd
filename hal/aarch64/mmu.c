#include "hal/mmu.h"
#include "hal/pgtable.h"
#include "hal/aarch64/sysreg.h"

/* Linker-script symbols (hal/aarch64/bulkhead.lds). */
extern char _text[], _etext[], _erodata[], _end[];

#define PT_POOL_PAGES 32
static pt_page_t pt_pages[PT_POOL_PAGES] __aligned(4096);
static uint64_t *kernel_root;

static uint64_t identity_to_pa(const void *t) { return (uint64_t)(uintptr_t)t; }
static uint64_t *identity_to_va(uint64_t pa) { return (uint64_t *)(uintptr_t)pa; }

static struct pt_pool pool = {
	.pages = pt_pages,
	.n_pages = PT_POOL_PAGES,
	.to_pa = identity_to_pa,
	.to_va = identity_to_va,
};

/* Read by secondary_entry in head.S: keep the layout (4 x u64) in sync. */
struct mmu_boot_regs {
	uint64_t mair, tcr, ttbr0, sctlr;
};
struct mmu_boot_regs mmu_boot_regs;

#define TCR_T0SZ(bits) (64ULL - (bits))
#define TCR_IRGN0_WBWA (1ULL << 8)
#define TCR_ORGN0_WBWA (1ULL << 10)
#define TCR_SH0_INNER (3ULL << 12)
#define TCR_TG0_4K (0ULL << 14)
#define TCR_EPD1 (1ULL << 23) /* no TTBR1 walks: nothing lives in the upper half */
#define TCR_IPS_SHIFT 32
#define SCTLR_M BIT(0)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19) /* writable implies never-execute, whatever a descriptor says */
#define SCTLR_RES1 0x30d00800ULL

/* Drop stale cache lines over the image before the caches go on. */
static void dcache_inval_range(uintptr_t start, uintptr_t end)
{
	uint64_t line = 4ULL << ((read_sysreg(ctr_el0) >> 16) & 0xf);

	/* SAFETY: invalidate by VA, lines of the kernel image only; they hold nothing newer
	 * than memory (everything was written with the MMU off, straight to memory). */
	for (uintptr_t a = ALIGN_DOWN(start, line); a < end; a += line)
		__asm__ volatile("dc ivac, %0" ::"r"(a) : "memory");
	dsb_sy();
}

static enum hal_err map_section(char *start, char *end, enum pt_attr attr)
{
	uint64_t s = (uint64_t)(uintptr_t)start, e = (uint64_t)(uintptr_t)end;

	if (s == e)
		return HAL_OK;
	return pt_map(&pool, kernel_root, s, s, e - s, attr);
}

enum hal_err mmu_init_kernel(paddr_t dtb, size_t dtb_max)
{
	uint64_t dtb_start = ALIGN_DOWN(pa_addr(dtb), PT_PAGE_SIZE);
	uint64_t dtb_end = ALIGN_UP(pa_addr(dtb) + dtb_max, PT_PAGE_SIZE);
	enum hal_err e = pt_init(&pool, &kernel_root);

	if (e == HAL_OK)
		e = map_section(_text, _etext, PT_KERNEL_RX);
	if (e == HAL_OK)
		e = map_section(_etext, _erodata, PT_KERNEL_RO);
	if (e == HAL_OK)
		e = map_section(_erodata, _end, PT_KERNEL_RW);
	/* The loader keeps the DTB clear of the image (image_size covers bss). */
	if (e == HAL_OK && pa_addr(dtb) != 0)
		e = pt_map(&pool, kernel_root, dtb_start, dtb_start, dtb_end - dtb_start, PT_KERNEL_RO);
	if (e != HAL_OK)
		return e;

	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	if (parange > 5)
		parange = 5; /* 48 bits is what the descriptors here carry */
	mmu_boot_regs.mair = PT_MAIR_VALUE;
	mmu_boot_regs.tcr = TCR_T0SZ(PT_VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
			    TCR_TG0_4K | TCR_EPD1 | (parange << TCR_IPS_SHIFT);
	mmu_boot_regs.ttbr0 = identity_to_pa(kernel_root);
	mmu_boot_regs.sctlr = SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I | SCTLR_WXN;

	dcache_inval_range((uintptr_t)_text, (uintptr_t)_end);
	write_sysreg(mair_el1, mmu_boot_regs.mair);
	write_sysreg(tcr_el1, mmu_boot_regs.tcr);
	write_sysreg(ttbr0_el1, mmu_boot_regs.ttbr0);
	isb();
	/* SAFETY: drops stale EL1 translations before the new tables go live. */
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	dsb_nsh();
	isb();
	write_sysreg(sctlr_el1, mmu_boot_regs.sctlr);
	isb();
	return HAL_OK;
}

static enum hal_err map_range(const struct pa_range *r, enum pt_attr attr, uintptr_t *va)
{
	uint64_t start = ALIGN_DOWN(pa_addr(r->base), PT_PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa_range_end(r), PT_PAGE_SIZE);
	enum hal_err e = pt_map(&pool, kernel_root, start, start, end - start, attr);

	if (e != HAL_OK)
		return e;
	/* New entries only (no break-before-make needed); make them visible to the walker. */
	dsb_ishst();
	isb();
	*va = (uintptr_t)pa_addr(r->base);
	return HAL_OK;
}

enum hal_err mmu_map_ro(const struct pa_range *r, uintptr_t *va)
{
	if (!kernel_root)
		return HAL_ERR_UNSUPPORTED;
	return map_range(r, PT_KERNEL_RO, va);
}

uint64_t mmu_kernel_image_bytes(void)
{
	return (uint64_t)(_end - _text);
}

enum hal_err mmu_map_device(const struct pa_range *r, uintptr_t *va)
{
	/* MMU still off (a fault this early): every access is to Device memory at VA == PA. */
	if (!kernel_root) {
		*va = (uintptr_t)pa_addr(r->base);
		return HAL_OK;
	}
	return map_range(r, PT_DEVICE, va);
}
