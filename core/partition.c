/*
 * Loading a partition (partition.h): the pure modules decide (core/elf.c,
 * core/space.c), this file carries out what they decided, through the linear map.
 */
#include "core/partition.h"
#include "core/devices.h"
#include "core/lib/libc.h"
#include "core/lib/strbuf.h"
#include "hal/mmu.h"

#define NS_PER_US 1000ULL

static const char *const err_names[PART_ERR_COUNT] = {
	[PART_OK] = "ok",
	[PART_ERR_IMAGE] = "image not built into this kernel",
	[PART_ERR_HASH] = "image bytes do not match their build-time SHA-256",
	[PART_ERR_ELF] = "image is not a loadable program",
	[PART_ERR_ENTRY] = "cell entry does not resolve",
	[PART_ERR_SPACE] = "program, stacks and heap do not fit the partition's memory",
	[PART_ERR_TABLES] = "out of partition page-table pages",
};

const char *part_strerror(enum part_err e)
{
	return (unsigned int)e < PART_ERR_COUNT ? err_names[e] : "unknown partition error";
}

void part_diag_format(const struct part_diag *d, struct strbuf *sb)
{
	sb_puts(sb, part_strerror(d->err));
	if (d->err == PART_ERR_ELF || d->err == PART_ERR_ENTRY) {
		sb_puts(sb, ": ");
		if (d->symbol) {
			sb_puts(sb, d->symbol);
			sb_puts(sb, ": ");
		}
		sb_puts(sb, elf_strerror(d->elf));
	} else if (d->err == PART_ERR_SPACE) {
		sb_puts(sb, ": ");
		space_diag_format(&d->space, sb);
	}
}

static void hex32(const uint8_t *b, char out[SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned int i = 0; i < SHA256_BYTES; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 0xf];
	}
	out[2 * SHA256_BYTES] = '\0';
}

/* The page at va of this partition (uaccess callback): its EL0 rights and its alias in
 * the linear map. */
static bool lookup(const void *ctx, uint64_t va, struct uaccess_page *out)
{
	const struct partition *part = ctx;
	const struct space_layout *l = &part->layout;
	const struct space_region *r = NULL;

	/* The cells' stacks first: most call buffers are locals (it runs on every call). */
	for (unsigned int i = 0; !r && i < l->n_cells; i++)
		if (va - l->stack[i].va < l->stack[i].size)
			r = &l->stack[i];
	if (!r && va - l->heap.va < l->heap.size)
		r = &l->heap;
	if (!r && va - l->info.va < l->info.size)
		r = &l->info;
	for (unsigned int i = 0; !r && i < l->n_seg; i++)
		if (va - l->seg[i].va < l->seg[i].size)
			r = &l->seg[i];
	if (!r)
		return devices_lookup(part->index, va, out); /* refused as Device memory */
	out->flags = UACCESS_READ | (r->attr == PT_USER_RW ? UACCESS_WRITE : 0) |
		     (r->attr == PT_USER_DEVICE ? UACCESS_DEVICE : 0);
	out->kva = phys_to_virt(pa_init(r->pa + (va - r->va)));
	return true;
}

static uint8_t *linear_kva(uint64_t pa)
{
	return phys_to_virt(pa_init(pa));
}

/* Zero whole pages through the linear map, eight bytes at a time. */
static void zero_pages(uint64_t pa, uint64_t size)
{
	uint64_t *p = phys_to_virt(pa_init(pa));

	for (uint64_t n = size / sizeof(*p); n--;)
		*p++ = 0;
}

void partition_fill_info(const struct partition *part, const struct plan *p)
{
	const struct plan_partition *pp = part->pp;
	struct bh_info *info = phys_to_virt(pa_init(part->layout.info.pa));

	/* The page was zeroed with the block: only what is not 0 is written. */
	info->magic = BH_INFO_MAGIC;
	info->abi_version = BH_ABI_VERSION;
	info->size = sizeof(*info);
	BH_LIBC(memcpy)(info->name, pp->name, sizeof(info->name));
	BH_LIBC(memcpy)(info->image, pp->image, sizeof(info->image));
	info->index = part->index;
	info->cpu = pp->cpu;
	info->mode = BH_MODE_NORMAL;
	info->start_condition = BH_START_NORMAL;
	info->n_cells = PLAN_CELLS;
	info->heap_base = part->layout.heap.va;
	info->heap_bytes = part->layout.heap.size;
	/* The persistent region is the top of the block (what a warm restart does not
	 * wipe), which the heap ends with: the heap gives it up. */
	uint64_t keep = pp->persistent_bytes;
	const struct space_region *h = &part->layout.heap;

	if (keep && keep <= h->size && h->pa + h->size == pa_addr(part->mem.base) + part->mem.size) {
		info->heap_bytes = h->size - keep;
		info->persistent_base = h->va + h->size - keep;
		info->persistent_bytes = keep;
	}
	info->major_frame_ns = p->major_frame_us * NS_PER_US;
	info->duration_ns = plan_partition_supply_us(p, part->index) * NS_PER_US;
	info->heartbeat_timeout_ns = pp->heartbeat_timeout_us * NS_PER_US;
	for (unsigned int k = 0; k < PLAN_CELLS; k++) {
		const struct plan_cell *pc = &pp->cell[k];
		struct bh_cell_desc *d = &info->cell[k];

		const char *cn = plan_cell_name(k);

		BH_LIBC(memcpy)(d->name, cn, BH_LIBC(strnlen)(cn, sizeof(d->name) - 1));
		BH_LIBC(memcpy)(d->entry, pc->entry, sizeof(d->entry));
		d->priority = pc->priority;
		d->flags = pc->periodic ? BH_CELL_PERIODIC : 0;
		d->period_ns = pc->period_us * NS_PER_US;
		d->deadline_ns = pc->deadline_us * NS_PER_US;
		d->wcet_ns = pc->wcet_us * NS_PER_US;
		d->stack_base = part->stack_r[k].va;
		d->stack_top = part->stack_r[k].va + part->stack_r[k].size;
	}
	info->n_args = pp->n_args;
	info->args_bytes = pp->args_bytes;
	BH_LIBC(memcpy)(info->args, pp->args, pp->args_bytes);
}

static enum part_err fail(struct part_diag *diag, enum part_err e)
{
	diag->err = e;
	return e;
}

enum part_err partition_load(struct partition *part, const struct plan *p, unsigned int i,
			     const struct pa_range *mem, struct pt_pool *pool,
			     struct part_diag *diag)
{
	const struct plan_partition *pp = &p->part[i];
	const struct elf_limits lim = { SPACE_IMAGE_VA, SPACE_IMAGE_END, ELF_MAX_SEGMENTS };
	uint64_t entry[PLAN_CELLS];
	uint32_t stack_bytes[PLAN_CELLS];
	struct space_op ops[SPACE_OPS_MAX(ELF_MAX_SEGMENTS)];
	char want[SHA256_HEX];
	uint64_t *root;

	*diag = (struct part_diag){ .err = PART_OK };
	*part = (struct partition){ .pp = pp, .index = i, .mem = *mem };
	part->img = image_find(pp->image);
	if (!part->img)
		return fail(diag, PART_ERR_IMAGE);
	sha256_hex(part->img->bytes, part->img->size, part->sha256);
	hex32(part->img->sha256, want);
	if (BH_LIBC(strcmp)(want, part->sha256))
		return fail(diag, PART_ERR_HASH);
	diag->elf = elf_parse(part->img->bytes, part->img->size, &lim, &part->elf);
	if (diag->elf != ELF_OK)
		return fail(diag, PART_ERR_ELF);
	for (unsigned int k = 0; k < PLAN_CELLS; k++) {
		diag->elf = elf_symbol(&part->elf, part->img->bytes, part->img->size,
				       pp->cell[k].entry, &entry[k]);
		if (diag->elf != ELF_OK) {
			diag->symbol = pp->cell[k].entry;
			return fail(diag, PART_ERR_ENTRY);
		}
		stack_bytes[k] = pp->cell[k].stack_bytes;
	}
	BH_LIBC(memcpy)(part->entry, entry, sizeof(entry));
	for (unsigned int s = 0; s < part->elf.n_segments; s++) {
		const struct elf_segment *e = &part->elf.seg[s];

		part->seg[s] = (struct space_segment){ e->vaddr, e->memsz, e->file_off, e->filesz,
						       e->flags };
	}
	const struct space_input in = {
		.block = *mem, .seg = part->seg, .n_seg = part->elf.n_segments,
		.file_bytes = part->img->size, .stack_bytes = stack_bytes, .n_cells = PLAN_CELLS,
	};
	part->layout.seg = part->seg_r;
	part->layout.stack = part->stack_r;
	if (space_decode(&in, &part->layout, &diag->space) != SPACE_OK)
		return fail(diag, PART_ERR_SPACE);
	if (space_build(&part->layout, pool, &root) != SPACE_OK)
		return fail(diag, PART_ERR_TABLES);
	part->root_pa = pool->to_pa(root);

	size_t n = space_ops(&in, &part->layout, ops);

	for (size_t o = 0; o < n; o++) {
		if (ops[o].kind == SPACE_OP_ZERO)
			zero_pages(ops[o].pa, ops[o].size);
		else
			BH_LIBC(memcpy)(phys_to_virt(pa_init(ops[o].pa)),
					part->img->bytes + ops[o].file_off, ops[o].size);
	}
	for (unsigned int s = 0; s < part->layout.n_seg; s++)
		if (part->seg[s].flags & SPACE_SEG_X)
			el0_sync_code(phys_to_virt(pa_init(part->seg_r[s].pa)), part->seg_r[s].size);
	partition_fill_info(part, p);
	part->uspace = (struct uaccess_space){ lookup, part };
	uaccess_fast_build(&part->layout, linear_kva, &part->writable);
	for (unsigned int k = 0; k < PLAN_CELLS; k++) {
		struct el0_ctx *c = &part->ctx[k];

		el0_ctx_init(c, part->elf.entry, part->stack_r[k].va + part->stack_r[k].size);
		c->x[BH_ENTRY_X0_ENTRY] = entry[k];
		c->x[BH_ENTRY_X1_CELL] = k;
		c->x[BH_ENTRY_X2_INFO] = BH_INFO_VA;
	}
	return PART_OK;
}
