#include "core/space.h"

static const char *const err_names[SPACE_ERR_COUNT] = {
	[SPACE_OK] = "ok",
	[SPACE_ERR_BLOCK] = "partition memory block empty, not page aligned or wrapping",
	[SPACE_ERR_NO_SEGMENTS] = "program has no loadable segment",
	[SPACE_ERR_SEG_FLAGS] = "segment flags are not a combination of R, W and X",
	[SPACE_ERR_SEG_WX] = "segment is both writable and executable",
	[SPACE_ERR_SEG_EMPTY] = "segment has no bytes in memory",
	[SPACE_ERR_SEG_FILESZ] = "segment has more file bytes than memory bytes",
	[SPACE_ERR_SEG_FILE] = "segment's file bytes run past the end of the file",
	[SPACE_ERR_SEG_RANGE] = "segment outside the EL0 image area [0x400000, 0x10000000)",
	[SPACE_ERR_SEG_OVERLAP] = "segments share a page or are out of address order",
	[SPACE_ERR_NO_CELLS] = "partition has no cell",
	[SPACE_ERR_STACK] = "cell stack size is zero",
	[SPACE_ERR_VA_FULL] = "stacks, guard pages and heap do not fit the EL0 data area",
	[SPACE_ERR_TOO_SMALL] = "partition memory too small for its program, stacks and heap",
	[SPACE_ERR_POOL] = "page-table pool too small for the layout",
	[SPACE_ERR_MAP] = "page tables refused a decoded layout",
};

const char *space_strerror(enum space_err e)
{
	return (unsigned int)e < SPACE_ERR_COUNT ? err_names[e] : "unknown address-space error";
}

void space_diag_format(const struct space_diag *d, struct strbuf *sb)
{
	sb_puts(sb, space_strerror(d->err));
	switch (d->err) {
	case SPACE_ERR_SEG_FLAGS:
	case SPACE_ERR_SEG_WX:
	case SPACE_ERR_SEG_EMPTY:
	case SPACE_ERR_SEG_FILESZ:
	case SPACE_ERR_SEG_FILE:
	case SPACE_ERR_SEG_RANGE:
	case SPACE_ERR_SEG_OVERLAP:
		sb_puts(sb, " (segment ");
		sb_u64(sb, d->index);
		sb_putc(sb, ')');
		break;
	case SPACE_ERR_STACK:
	case SPACE_ERR_VA_FULL:
		sb_puts(sb, " (cell ");
		sb_u64(sb, d->index);
		sb_putc(sb, ')');
		break;
	case SPACE_ERR_TOO_SMALL:
		sb_puts(sb, " (");
		sb_u64(sb, d->missing_bytes);
		sb_puts(sb, " bytes missing)");
		break;
	default:
		break;
	}
}

static enum space_err fail(struct space_diag *diag, enum space_err e, unsigned int index)
{
	*diag = (struct space_diag){ .err = e, .index = index };
	return e;
}

static enum pt_attr seg_attr(uint32_t flags)
{
	if (flags & SPACE_SEG_X)
		return PT_USER_RX;
	return (flags & SPACE_SEG_W) ? PT_USER_RW : PT_USER_RO;
}

static enum space_err check_segment(const struct space_segment *s, uint64_t file_bytes)
{
	const uint32_t rwx = SPACE_SEG_R | SPACE_SEG_W | SPACE_SEG_X;

	if ((s->flags & ~rwx) || !(s->flags & rwx))
		return SPACE_ERR_SEG_FLAGS;
	if ((s->flags & SPACE_SEG_W) && (s->flags & SPACE_SEG_X))
		return SPACE_ERR_SEG_WX;
	if (s->memsz == 0)
		return SPACE_ERR_SEG_EMPTY;
	if (s->filesz > s->memsz)
		return SPACE_ERR_SEG_FILESZ;
	if (s->file_off > file_bytes || s->filesz > file_bytes - s->file_off)
		return SPACE_ERR_SEG_FILE;
	if (s->vaddr < SPACE_IMAGE_VA || s->vaddr >= SPACE_IMAGE_END ||
	    s->memsz > SPACE_IMAGE_END - s->vaddr)
		return SPACE_ERR_SEG_RANGE;
	return SPACE_OK;
}

/*
 * Level-3 tables pt_map needs for one range, the same way pt_map decides: a 2 MiB
 * block where va and pa are both aligned and 2 MiB remain, pages elsewhere. Ranges
 * come in ascending VA order, so a table is new when its 2 MiB slot differs from the
 * last one counted.
 */
static void count_l3(uint64_t va, uint64_t pa, uint64_t size, uint64_t *last_slot,
		     size_t *n)
{
	while (size) {
		uint64_t step;

		if (IS_ALIGNED(va | pa, PT_BLOCK_L2) && size >= PT_BLOCK_L2) {
			step = ALIGN_DOWN(size, PT_BLOCK_L2);
		} else {
			uint64_t slot = va / PT_BLOCK_L2;

			if (slot != *last_slot) {
				(*n)++;
				*last_slot = slot;
			}
			step = ALIGN_DOWN(va, PT_BLOCK_L2) + PT_BLOCK_L2 - va;
			if (step > size)
				step = size;
		}
		/* Blocks keep both aligned; a page run ends on a VA boundary. */
		va += step;
		pa += step;
		size -= step;
	}
}

static size_t table_pages(const struct space_layout *l)
{
	uint64_t last = UINT64_MAX;
	size_t n = 2; /* the root and the one level-2 table: all of EL0's VA is in 1 GiB */

	for (unsigned int i = 0; i < l->n_seg; i++)
		count_l3(l->seg[i].va, l->seg[i].pa, l->seg[i].size, &last, &n);
	if (l->heap.size)
		count_l3(l->heap.va, l->heap.pa, l->heap.size, &last, &n);
	for (unsigned int i = l->n_cells; i-- > 0;) /* cell n-1 is lowest */
		count_l3(l->stack[i].va, l->stack[i].pa, l->stack[i].size, &last, &n);
	count_l3(l->info.va, l->info.pa, l->info.size, &last, &n);
	return n;
}

/*
 * table_pages' bound without the program: every mapped range (n_seg segments, the
 * heap, n_cells stacks, the info page) lies in the block, and one of S bytes needs at
 * most S / 2 MiB + 2 level-3 tables (a partial 2 MiB at each end).
 */
size_t space_table_pages_max(uint64_t block_bytes, unsigned int n_seg, unsigned int n_cells)
{
	return 2 + block_bytes / PT_BLOCK_L2 + 2 * ((size_t)n_seg + n_cells + 2);
}

enum space_err space_decode(const struct space_input *in, struct space_layout *out,
			    struct space_diag *diag)
{
	const uint64_t base = pa_addr(in->block.base);
	const uint64_t bsize = in->block.size;
	uint64_t used = 0, prev_end = 0;
	enum space_err e;

	*diag = (struct space_diag){ .err = SPACE_OK };
	if (bsize == 0 || !IS_ALIGNED(base | bsize, SPACE_PAGE) || base + bsize < base ||
	    base + bsize - 1 > PT_DESC_ADDR_MASK)
		return fail(diag, SPACE_ERR_BLOCK, 0);
	if (in->n_seg == 0)
		return fail(diag, SPACE_ERR_NO_SEGMENTS, 0);
	if (in->n_cells == 0)
		return fail(diag, SPACE_ERR_NO_CELLS, 0);
	out->n_seg = in->n_seg;
	out->n_cells = in->n_cells;

	/* Segments: their pages, in the block from its base, in order. */
	for (unsigned int i = 0; i < in->n_seg; i++) {
		const struct space_segment *s = &in->seg[i];

		if ((e = check_segment(s, in->file_bytes)) != SPACE_OK)
			return fail(diag, e, i);
		uint64_t va = ALIGN_DOWN(s->vaddr, SPACE_PAGE);
		uint64_t end = ALIGN_UP(s->vaddr + s->memsz, SPACE_PAGE);

		if (va < prev_end)
			return fail(diag, SPACE_ERR_SEG_OVERLAP, i);
		prev_end = end;
		out->seg[i] = (struct space_region){ va, base + used, end - va, seg_attr(s->flags) };
		used += end - va; /* at most 256 MiB per segment: no overflow */
	}

	/* Stacks from the top of the data area down, each with a guard page below. */
	uint64_t top = SPACE_DATA_END;
	for (unsigned int i = 0; i < in->n_cells; i++) {
		uint64_t size = ALIGN_UP((uint64_t)in->stack_bytes[i], SPACE_PAGE);

		if (size == 0)
			return fail(diag, SPACE_ERR_STACK, i);
		if (top - SPACE_DATA_VA < size + SPACE_PAGE)
			return fail(diag, SPACE_ERR_VA_FULL, i);
		out->stack[i] = (struct space_region){ top - size, base + used, size, PT_USER_RW };
		used += size;
		top -= size + SPACE_PAGE;
	}
	out->info = (struct space_region){ SPACE_INFO_VA, base + used, SPACE_PAGE, PT_USER_RO };
	used += SPACE_PAGE;

	/* The heap: the rest of the block, below the lowest guard page. */
	uint64_t heap_room = top - SPACE_DATA_VA;
	uint64_t heap_min = ALIGN_UP(in->heap_min_bytes, SPACE_PAGE);

	if (heap_min > heap_room || heap_min < in->heap_min_bytes)
		return fail(diag, SPACE_ERR_VA_FULL, in->n_cells);
	if (used + heap_min > bsize) {
		fail(diag, SPACE_ERR_TOO_SMALL, 0);
		diag->missing_bytes = used + heap_min - bsize;
		return SPACE_ERR_TOO_SMALL;
	}
	uint64_t heap = bsize - used < heap_room ? bsize - used : heap_room;
	out->heap = (struct space_region){ SPACE_DATA_VA, base + used, heap, PT_USER_RW };
	used += heap;
	out->used_bytes = used;
	out->table_pages = table_pages(out);
	return SPACE_OK;
}

size_t space_ops(const struct space_input *in, const struct space_layout *l, struct space_op *ops)
{
	size_t n = 0;

	ops[n++] = (struct space_op){ SPACE_OP_ZERO, pa_addr(in->block.base), in->block.size, 0 };
	for (unsigned int i = 0; i < l->n_seg; i++) {
		const struct space_segment *s = &in->seg[i];

		if (s->filesz)
			ops[n++] = (struct space_op){ SPACE_OP_COPY,
						      l->seg[i].pa + (s->vaddr - l->seg[i].va),
						      s->filesz, s->file_off };
	}
	return n;
}

static const struct space_region *region_at(const struct space_layout *l, uint64_t va)
{
	if (va - l->heap.va < l->heap.size)
		return &l->heap;
	if (va - l->info.va < l->info.size)
		return &l->info;
	for (unsigned int i = 0; i < l->n_seg; i++)
		if (va - l->seg[i].va < l->seg[i].size)
			return &l->seg[i];
	for (unsigned int i = 0; i < l->n_cells; i++)
		if (va - l->stack[i].va < l->stack[i].size)
			return &l->stack[i];
	return NULL;
}

bool space_user_ok(const struct space_layout *l, uint64_t va, uint64_t len, enum space_access a)
{
	if (len > SPACE_VA_END || va > SPACE_VA_END - len)
		return false;
	while (len) {
		const struct space_region *r = region_at(l, va);

		if (!r || (a == SPACE_WRITE && r->attr != PT_USER_RW))
			return false;
		uint64_t step = r->va + r->size - va;
		if (step >= len)
			return true;
		va += step;
		len -= step;
	}
	return true;
}

static bool map(struct pt_pool *pool, uint64_t *root, const struct space_region *r)
{
	return r->size == 0 || pt_map(pool, root, r->va, r->pa, r->size, r->attr) == HAL_OK;
}

enum space_err space_build(const struct space_layout *l, struct pt_pool *pool, uint64_t **root)
{
	bool ok;

	if (pool->used > pool->n_pages || pool->n_pages - pool->used < l->table_pages)
		return SPACE_ERR_POOL;
	if (pt_init(pool, root) != HAL_OK)
		return SPACE_ERR_MAP;
	ok = map(pool, *root, &l->heap) && map(pool, *root, &l->info);
	for (unsigned int i = 0; ok && i < l->n_seg; i++)
		ok = map(pool, *root, &l->seg[i]);
	for (unsigned int i = 0; ok && i < l->n_cells; i++)
		ok = map(pool, *root, &l->stack[i]);
	return ok ? SPACE_OK : SPACE_ERR_MAP;
}
