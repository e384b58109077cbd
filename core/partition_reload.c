/*
 * Restarting a loaded partition (partition_reload.h), through the linear map.
 */
#include <bearssl/bearssl_hash.h>
#include "core/partition_reload.h"
#include "core/devices.h"
#include "core/lib/libc.h"
#include "core/panic.h"
#include "hal/mmu.h"

static const char *const phase_names[RELOAD_PHASES] = {
	"hash", "wipe", "copy", "digest", "done", "failed",
};

const char *reload_phase_name(enum reload_phase ph)
{
	return (unsigned int)ph < RELOAD_PHASES ? phase_names[ph] : "unknown";
}

_Static_assert(sizeof(br_sha256_context) <= sizeof(((struct part_reload *)0)->hash),
	       "part_reload.hash holds a SHA-256 context");
_Static_assert(_Alignof(br_sha256_context) <= 8, "part_reload.hash alignment");

#define DIGEST_PRIME 0x100000001b3ULL
#define DIGEST_BASIS 0xcbf29ce484222325ULL

static uint64_t digest_words(uint64_t h, const uint64_t *w, uint64_t n)
{
	while (n--)
		h = (h ^ *w++) * DIGEST_PRIME;
	return h;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t partition_loaded_bytes(const struct partition *part)
{
	uint64_t base = pa_addr(part->mem.base);
	uint64_t end = part->layout.info.pa + part->layout.info.size;

	for (unsigned int s = 0; s < part->layout.n_seg; s++)
		if (part->seg_r[s].pa + part->seg_r[s].size > end)
			end = part->seg_r[s].pa + part->seg_r[s].size;
	return min64(end - base, part->mem.size);
}

uint64_t partition_digest(const struct partition *part, uint64_t bytes)
{
	return digest_words(DIGEST_BASIS, phys_to_virt(pa_init(pa_addr(part->mem.base))),
			    bytes / sizeof(uint64_t));
}


void part_reload_begin(struct partition *part, struct part_reload *r, uint64_t wipe_bytes,
		       uint64_t digest_bytes)
{
	*r = (struct part_reload){ .phase = RELOAD_HASH, .wipe_bytes = wipe_bytes,
				   .digest_bytes = digest_bytes < wipe_bytes ? digest_bytes : wipe_bytes,
				   .digest = DIGEST_BASIS };
	br_sha256_init((br_sha256_context *)r->hash);
}

/* The loader's operations for this partition (as partition_load computed them). */
static size_t ops_of(const struct partition *part, struct space_op *ops)
{
	uint32_t stack_bytes[PLAN_CELLS];

	for (unsigned int k = 0; k < PLAN_CELLS; k++)
		stack_bytes[k] = part->pp->cell[k].stack_bytes;
	const struct space_input in = {
		.block = part->mem, .seg = part->seg, .n_seg = part->elf.n_segments,
		.file_bytes = part->img->size, .stack_bytes = stack_bytes, .n_cells = PLAN_CELLS,
	};
	return space_ops(&in, &part->layout, ops);
}

static enum reload_phase hash_step(struct partition *part, struct part_reload *r)
{
	br_sha256_context *h = (br_sha256_context *)r->hash;
	uint64_t n = min64(RELOAD_HASH_CHUNK, part->img->size - r->off);
	uint8_t d[SHA256_BYTES];

	br_sha256_update(h, part->img->bytes + r->off, n);
	r->off += n;
	if (r->off < part->img->size)
		return RELOAD_HASH;
	br_sha256_out(h, d);
	r->off = 0;
	return BH_LIBC(memcmp)(d, part->img->sha256, SHA256_BYTES) ? RELOAD_FAILED : RELOAD_WIPE;
}

static enum reload_phase wipe_step(struct partition *part, struct part_reload *r)
{
	uint64_t n = min64(RELOAD_MEM_CHUNK, r->wipe_bytes - r->off);

	BH_LIBC(memset)(phys_to_virt(pa_init(pa_addr(part->mem.base) + r->off)), 0, n);
	r->off += n;
	if (r->off < r->wipe_bytes)
		return RELOAD_WIPE;
	r->off = 0;
	return RELOAD_COPY;
}

/* Only the copies: the wipe zeroed everything the zero operations cover below the
 * persistent region, and the persistent region is not to be touched. */
static enum reload_phase copy_step(const struct plan *p, struct partition *part,
				   struct part_reload *r)
{
	struct space_op ops[SPACE_OPS_MAX(ELF_MAX_SEGMENTS)];
	size_t n_ops = ops_of(part, ops);

	while (r->op < n_ops && ops[r->op].kind != SPACE_OP_COPY)
		r->op++;
	if (r->op < n_ops) {
		const struct space_op *o = &ops[r->op];
		uint64_t n = min64(RELOAD_MEM_CHUNK, o->size - r->off);

		BH_LIBC(memcpy)(phys_to_virt(pa_init(o->pa + r->off)),
				part->img->bytes + o->file_off + r->off, n);
		r->off += n;
		if (r->off == o->size) {
			r->off = 0;
			r->op++;
		}
		return RELOAD_COPY;
	}
	for (unsigned int s = 0; s < part->layout.n_seg; s++)
		if (part->seg[s].flags & SPACE_SEG_X)
			el0_sync_code(phys_to_virt(pa_init(part->seg_r[s].pa)), part->seg_r[s].size);
	partition_fill_info(part, p);
	/* The page as boot left it: its capability listing too (the boot digest covers it). */
	devices_fill_info(p, part->index, phys_to_virt(pa_init(part->layout.info.pa)));
	r->off = 0;
	return RELOAD_DIGEST;
}

static enum reload_phase digest_step(struct partition *part, struct part_reload *r)
{
	uint64_t n = min64(RELOAD_MEM_CHUNK, r->digest_bytes - r->off);

	r->digest = digest_words(r->digest,
				 phys_to_virt(pa_init(pa_addr(part->mem.base) + r->off)),
				 n / sizeof(uint64_t));
	r->off += n;
	return r->off < r->digest_bytes ? RELOAD_DIGEST : RELOAD_DONE;
}

enum reload_phase part_reload_step(struct partition *part, const struct plan *p,
				   struct part_reload *r)
{
	switch (r->phase) {
	case RELOAD_HASH:
		r->phase = hash_step(part, r);
		break;
	case RELOAD_WIPE:
		r->phase = wipe_step(part, r);
		break;
	case RELOAD_COPY:
		r->phase = copy_step(p, part, r);
		break;
	case RELOAD_DIGEST:
		r->phase = digest_step(part, r);
		break;
	default:
		return r->phase;
	}
	r->steps++;
	return r->phase;
}

void partition_reset_cell(struct partition *part, unsigned int k)
{
	struct el0_ctx *c = &part->ctx[k];

	if (k >= PLAN_CELLS)
		kernel_panic("partition_reset_cell: no such cell");
	BH_LIBC(memset)(phys_to_virt(pa_init(part->stack_r[k].pa)), 0, part->stack_r[k].size);
	el0_ctx_init(c, part->elf.entry, part->stack_r[k].va + part->stack_r[k].size);
	c->x[BH_ENTRY_X0_ENTRY] = part->entry[k];
	c->x[BH_ENTRY_X1_CELL] = k;
	c->x[BH_ENTRY_X2_INFO] = BH_INFO_VA;
}
