/*
 * The kernel's address space (hal/kernel_va.h). Two phases:
 *
 * mmu_early_init() runs on the boot CPU with the MMU off, at the physical address the
 * image was loaded at, before head.S branches to the image's high alias. The
 * relocations already hold high addresses, so it must not follow any pointer stored in
 * data: it uses only PC-relative addresses (what -fno-pic code takes for globals and
 * functions) and plain numbers. It builds the TTBR1 tables of the image and a TTBR0
 * identity map of the one page that turns the MMU on, fills the per-CPU data and the
 * register values every CPU loads (mmu_boot_regs).
 *
 * After the branch (mmu_kernel_high) the page-table pool converts through the image's
 * high alias, and devices, the device tree, the initrd and the linear map of RAM are
 * added to the live tables: new entries only, so no break-before-make.
 */
#include "hal/mmu.h"
#include "hal/pgtable.h"
#include "hal/aarch64/boot_layout.h"
#include "hal/aarch64/kmap.h"
#include "hal/aarch64/percpu.h"
#include "hal/aarch64/sysreg.h"

/* Linker-script symbols (hal/aarch64/bulkhead.lds) and head.S. */
extern char _text[], _etext[], _erodata[], _end[];
extern char mmu_on_high[], mmu_on_high_end[];

#define PT_POOL_PAGES 64
static pt_page_t pt_pages[PT_POOL_PAGES] __aligned(4096);
static struct pt_pool pool;
static uint64_t ttbr1_root_pa, idmap_root_pa;
static uint64_t kimage_pa;
static uint64_t io_next = KERNEL_IO_BASE;
static bool pan_used;

/* Stacks (hal/aarch64/boot_layout.h) and per-CPU data; TPIDR_EL1 points into percpu. */
uint8_t kstack_area[KSTACK_AREA_BYTES] __aligned(2 * KSTACK_SIZE);
struct percpu percpu[CONFIG_MAX_CPUS];
STATIC_ASSERT(2 * KSTACK_SIZE <= PT_BLOCK_L2, "stack slots must align within the 2 MiB image base");

struct mmu_boot_regs {
	uint64_t mair, tcr, ttbr0, ttbr1, sctlr, pan;
};
struct mmu_boot_regs mmu_boot_regs;
STATIC_ASSERT(sizeof(struct mmu_boot_regs) == MMU_BOOT_SIZE, "mmu_boot_regs size (head.S)");
STATIC_ASSERT(offsetof(struct mmu_boot_regs, mair) == MMU_BOOT_MAIR, "mmu_boot_regs mair");
STATIC_ASSERT(offsetof(struct mmu_boot_regs, tcr) == MMU_BOOT_TCR, "mmu_boot_regs tcr");
STATIC_ASSERT(offsetof(struct mmu_boot_regs, ttbr0) == MMU_BOOT_TTBR0, "mmu_boot_regs ttbr0");
STATIC_ASSERT(offsetof(struct mmu_boot_regs, ttbr1) == MMU_BOOT_TTBR1, "mmu_boot_regs ttbr1");
STATIC_ASSERT(offsetof(struct mmu_boot_regs, sctlr) == MMU_BOOT_SCTLR, "mmu_boot_regs sctlr");
STATIC_ASSERT(offsetof(struct mmu_boot_regs, pan) == MMU_BOOT_PAN, "mmu_boot_regs pan");

#define TCR_T0SZ(bits) (64ULL - (bits))
#define TCR_T1SZ(bits) ((64ULL - (bits)) << 16)
#define TCR_IRGN0_WBWA (1ULL << 8)
#define TCR_ORGN0_WBWA (1ULL << 10)
#define TCR_SH0_INNER (3ULL << 12)
#define TCR_TG0_4K (0ULL << 14)
#define TCR_IRGN1_WBWA (1ULL << 24)
#define TCR_ORGN1_WBWA (1ULL << 26)
#define TCR_SH1_INNER (3ULL << 28)
#define TCR_TG1_4K (2ULL << 30)
#define TCR_IPS_SHIFT 32
#define TCR_AS_16BIT (1ULL << 36) /* 16-bit ASIDs, where the CPU has them */
#define SCTLR_M BIT(0)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_SA0 BIT(4) /* EL0's SP must be 16-byte aligned too */
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19) /* writable implies never-execute, whatever a descriptor says */
#define ID_MMFR0_ASIDBITS_16 2
#define ID_MMFR1_PAN_SHIFT 20

/* With the MMU off, addresses are physical. */
static uint64_t phys_to_pa(const void *t) { return (uint64_t)(uintptr_t)t; }
static uint64_t *phys_to_va(uint64_t pa) { return (uint64_t *)(uintptr_t)pa; }
/* After the branch: table pages live in the image, so through its high alias. */
static uint64_t high_to_pa(const void *t) { return (uint64_t)(uintptr_t)t - KERNEL_IMAGE_VA + kimage_pa; }
static uint64_t *high_to_va(uint64_t pa) { return (uint64_t *)(uintptr_t)(pa - kimage_pa + KERNEL_IMAGE_VA); }

/* Drop stale cache lines over the image before the caches go on. */
static void dcache_inval_range(uintptr_t start, uintptr_t end)
{
	uint64_t line = 4ULL << ((read_sysreg(ctr_el0) >> 16) & 0xf);

	/* SAFETY: invalidate by VA (= PA, MMU off), lines of the kernel image only; they
	 * hold nothing newer than memory (everything was written with the MMU off, straight
	 * to memory). */
	for (uintptr_t a = ALIGN_DOWN(start, line); a < end; a += line)
		__asm__ volatile("dc ivac, %0" ::"r"(a) : "memory");
	dsb_sy();
}

static uint64_t image_offset(const void *p)
{
	return (uint64_t)((const char *)p - _text);
}

/* The image as kmap sees it; pa from the caller (PC-relative _text is the same now). */
static struct kimage image_layout(uint64_t pa)
{
	return (struct kimage){
		.pa = pa,
		.va = KERNEL_IMAGE_VA,
		.text_end = image_offset(_etext),
		.rodata_end = image_offset(_erodata),
		.stacks = image_offset(kstack_area),
		.stacks_bytes = KSTACK_AREA_BYTES,
		.end = image_offset(_end),
		.stack_size = KSTACK_SIZE,
		.n_cpus = CONFIG_MAX_CPUS,
	};
}

static void fill_percpu(const struct kimage *img)
{
	for (unsigned int cpu = 0; cpu < CONFIG_MAX_CPUS; cpu++) {
		struct kstack s = kstack_of(img, cpu);

		percpu[cpu].cpu = cpu;
		percpu[cpu].stack_top = KERNEL_IMAGE_VA + s.top;
		percpu[cpu].stack_bottom = KERNEL_IMAGE_VA + s.bottom;
		percpu[cpu].overflow_top = KERNEL_IMAGE_VA + s.overflow_top;
		percpu[cpu].claimed = 0;
	}
}

static void fill_boot_regs(void)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	uint64_t parange = mmfr0 & 0xf;
	bool pan = ((read_sysreg(id_aa64mmfr1_el1) >> ID_MMFR1_PAN_SHIFT) & 0xf) != 0;

	if (parange > 5)
		parange = 5; /* 48 bits is what the descriptors here carry */
	mmu_boot_regs.mair = PT_MAIR_VALUE;
	mmu_boot_regs.tcr = TCR_T0SZ(PT_VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
			    TCR_TG0_4K | TCR_T1SZ(PT_VA_BITS) | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA |
			    TCR_SH1_INNER | TCR_TG1_4K | (parange << TCR_IPS_SHIFT);
	if (((mmfr0 >> 4) & 0xf) == ID_MMFR0_ASIDBITS_16)
		mmu_boot_regs.tcr |= TCR_AS_16BIT;
	mmu_boot_regs.ttbr0 = idmap_root_pa;
	mmu_boot_regs.ttbr1 = ttbr1_root_pa;
	/* EL0 gets nothing beyond the ABI: UCI, UCT, DZE, UMA, nTWI and nTWE stay 0, so
	 * cache maintenance, CTR_EL0, DC ZVA, DAIF, WFI and WFE at EL0 all trap (a
	 * partition_fault); E0E 0: little-endian. */
	mmu_boot_regs.sctlr =
		SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_I | SCTLR_WXN;
	if (pan)
		mmu_boot_regs.sctlr &= ~(uint64_t)SCTLR_EL1_SPAN;
	mmu_boot_regs.pan = pan;
}

int mmu_early_init(uint64_t image_pa);

/* Called by head.S, MMU off, at the physical alias (see the top of this file). */
int mmu_early_init(uint64_t image_pa)
{
	struct kimage img = image_layout(image_pa);
	uint64_t *ttbr1, *idmap;
	uint64_t on = (uint64_t)(uintptr_t)mmu_on_high, on_end = (uint64_t)(uintptr_t)mmu_on_high_end;
	enum hal_err e;

	kimage_pa = image_pa;
	pool.pages = pt_pages;
	pool.n_pages = PT_POOL_PAGES;
	pool.used = 0;
	pool.to_pa = phys_to_pa;
	pool.to_va = phys_to_va;
	e = pt_init(&pool, &ttbr1);
	if (e == HAL_OK)
		e = kmap_image(&pool, ttbr1, &img);
	if (e == HAL_OK)
		e = pt_init(&pool, &idmap);
	/* The identity page must hold all of mmu_on_high (head.S aligns it to a page). */
	if (e == HAL_OK && ALIGN_DOWN(on, PT_PAGE_SIZE) != ALIGN_DOWN(on_end - 1, PT_PAGE_SIZE))
		e = HAL_ERR_UNSUPPORTED;
	if (e == HAL_OK)
		e = pt_map(&pool, idmap, ALIGN_DOWN(on, PT_PAGE_SIZE), ALIGN_DOWN(on, PT_PAGE_SIZE),
			   PT_PAGE_SIZE, PT_KERNEL_RX);
	if (e != HAL_OK)
		return (int)e;
	ttbr1_root_pa = phys_to_pa(ttbr1);
	idmap_root_pa = phys_to_pa(idmap);
	fill_percpu(&img);
	fill_boot_regs();
	pan_used = mmu_boot_regs.pan != 0;
	dcache_inval_range((uintptr_t)_text, (uintptr_t)_end);
	return HAL_OK;
}

void mmu_kernel_high(void);

/* Called by head.S on the boot CPU once it runs at the high alias. */
void mmu_kernel_high(void)
{
	pool.pages = pt_pages; /* was its physical address */
	pool.to_pa = high_to_pa;
	pool.to_va = high_to_va;
}

static uint64_t *kernel_root(void)
{
	return high_to_va(ttbr1_root_pa);
}

/* Make new entries visible to the table walker (no old entry changed). */
static void tables_changed(void)
{
	dsb_ishst();
	isb();
}

/* Map r at the next free address of the I/O window, one unmapped page after it. */
static enum hal_err map_io(const struct pa_range *r, enum pt_attr attr, uintptr_t *va)
{
	uint64_t start = ALIGN_DOWN(pa_addr(r->base), PT_PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa_range_end(r), PT_PAGE_SIZE);
	uint64_t room = KERNEL_IO_BASE + KERNEL_IO_SIZE - io_next; /* io_next never passes the end */
	enum hal_err e;

	/* The unmapped page after it must fit too: else io_next would pass the window's end
	 * and the next room would wrap to a huge number. */
	if (r->size == 0 || end <= start || end - start > room || room - (end - start) < PT_PAGE_SIZE)
		return HAL_ERR_MMU_RANGE;
	e = pt_map_upper(&pool, kernel_root(), io_next, start, end - start, attr);
	if (e != HAL_OK)
		return e;
	tables_changed();
	*va = (uintptr_t)(io_next + (pa_addr(r->base) - start));
	io_next += end - start + PT_PAGE_SIZE;
	return HAL_OK;
}

enum hal_err mmu_map_ro(const struct pa_range *r, uintptr_t *va)
{
	return map_io(r, PT_KERNEL_RO, va);
}

enum hal_err mmu_map_device(const struct pa_range *r, uintptr_t *va)
{
	return map_io(r, PT_DEVICE, va);
}

#define LINEAR_MAX_HOLES 32

enum hal_err mmu_map_linear(const struct pa_range *ram, unsigned int n_ram,
			    const struct pa_range *reserved, unsigned int n_reserved)
{
	struct pa_range holes[LINEAR_MAX_HOLES];
	enum hal_err e;

	if (n_reserved >= LINEAR_MAX_HOLES)
		return HAL_ERR_UNSUPPORTED;
	holes[0] = (struct pa_range){ pa_init(kimage_pa), mmu_kernel_image_bytes() };
	for (unsigned int i = 0; i < n_reserved; i++)
		holes[i + 1] = reserved[i];
	e = kmap_linear(&pool, kernel_root(), ram, n_ram, holes, n_reserved + 1);
	tables_changed();
	return e;
}

uint64_t mmu_kernel_image_bytes(void)
{
	return (uint64_t)(_end - _text);
}

uint64_t mmu_image_pa(const void *p)
{
	return (uint64_t)(uintptr_t)p - KERNEL_IMAGE_VA + kimage_pa;
}

bool mmu_pan_enabled(void)
{
	/* What this CPU runs with, not just what was planned (PAN is SYSREG_PAN, spelled out:
	 * read_sysreg stringifies its argument). Reading it without FEAT_PAN would be UNDEFINED. */
	return pan_used && (read_sysreg(S3_0_C4_C2_3) & PSTATE_PAN) != 0;
}
