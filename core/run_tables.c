/* The kernel's run-time tables a plan sizes (run_tables.h): the kernel's and bhplan's. */
#include "core/run_tables.h"
#include "core/run_priv.h"
#include "core/lib/libc.h"

enum kmem_err run_tables_alloc(struct kmem *m, const struct plan *p, struct run_tables *t)
{
	uint64_t n = p->n_part;
	enum kmem_err e;

	*t = (struct run_tables){ 0 };
	if ((e = kmem_alloc(m, "partitions", n, sizeof(struct partition), 64, &t->part)) ||
	    (e = kmem_alloc(m, "partition_hm", n, sizeof(struct part_hm), 16, &t->hm)) ||
	    (e = kmem_alloc(m, "violation_log", n, sizeof(struct run_vlog), 16, &t->vlog)) ||
	    (e = kmem_alloc(m, "asid_tags", n, sizeof(struct asid_tag), 16, &t->asid)) ||
	    (e = kmem_alloc(m, "channel_waits", n, 1, 1, &t->waits)) ||
	    (e = kmem_alloc(m, "fast_limits", n, sizeof(uint64_t), 16, &t->limits)) ||
	    (e = kmem_alloc(m, "fast_entries", n + 1, sizeof(struct fastwin_entry), 16, &t->entries)) ||
	    (e = kmem_alloc(m, "fast_signal_index", n, sizeof(uint64_t), 16, &t->sig_index)) ||
	    (e = kmem_alloc(m, "fast_signals", plan_cap_slots(p), sizeof(struct fastwin_sig), 64,
			    &t->sigs)) ||
	    (e = kmem_alloc(m, "devices", 1, devices_mem_bytes(p->n_part), 16, &t->dev)) ||
	    (e = kmem_alloc(m, "schedule", 1, sched_mem_bytes(p), 16, &t->sched)) ||
	    (e = kmem_alloc(m, "health_monitor", 1, hm_mem_bytes(p), 16, &t->hm_mem)))
		return e;
	return KMEM_OK;
}

/* 2 MiB: what one level-3 table maps (hal/pgtable.h). */
#define L3_SPAN PT_BLOCK_L2

uint64_t run_table_pages_windows(const struct plan *p, unsigned int i)
{
	const struct plan_partition *pp = &p->part[i];
	uint64_t chan_bytes = 0, pages;

	for (unsigned int c = 0; c < p->n_chan; c++)
		chan_bytes += plan_channel_mapped_bytes(&p->chan[c], pp->name);
	if (!pp->n_devices && !chan_bytes)
		return 0;
	STATIC_ASSERT(BH_DEVICE_VA % L3_SPAN == 0 && L3_SPAN % BH_DEVICE_SLOT_BYTES == 0,
		      "device slots tile the 2 MiB spans of level-3 tables");
	STATIC_ASSERT(BH_CHANNEL_VA % L3_SPAN == 0 && BH_CHANNEL_VA / (1ull << 30) ==
			      BH_DEVICE_VA / (1ull << 30),
		      "channel windows start a level-3 span in the devices' GiB");
	pages = 1; /* the level-2 table of the GiB the windows are in */
	pages += ALIGN_UP((uint64_t)pp->n_devices * BH_DEVICE_SLOT_BYTES, L3_SPAN) / L3_SPAN;
	pages += ALIGN_UP(chan_bytes, L3_SPAN) / L3_SPAN;
	return pages;
}

void run_tables_estimate(const struct plan *p, const uint64_t *space_pages, uint64_t ram_bytes,
			 struct run_tables_need *out)
{
	struct kmem m;
	struct run_tables t;
	uint64_t pool_pages, used = 0;

	*out = (struct run_tables_need){ .fits = true };
	/* Measure against no limit first: the whole need, whatever the RAM. */
	kmem_init(&m, NULL, 0, UINT64_MAX);
	if (run_tables_alloc(&m, p, &t) != KMEM_OK) /* a size beyond 64 bits */
		out->fixed_bytes = UINT64_MAX;
	else
		out->fixed_bytes = kmem_used(&m);
	out->pool_offset = ALIGN_UP(out->fixed_bytes, PT_PAGE_SIZE);
	for (unsigned int i = 0; i < p->n_part; i++)
		out->table_pages += space_pages[i] + run_table_pages_windows(p, i);
	out->bytes = out->pool_offset + out->table_pages * PT_PAGE_SIZE;

	/* Then as the kernel takes them from ram_bytes: the fixed tables, then the pool. */
	kmem_init(&m, NULL, 0, ram_bytes);
	if (run_tables_alloc(&m, p, &t) != KMEM_OK) {
		out->fits = false;
		out->table = m.what;
		out->want = m.want;
		out->free = m.free;
		return;
	}
	pool_pages = out->pool_offset < ram_bytes ? (ram_bytes - out->pool_offset) / PT_PAGE_SIZE : 0;
	for (unsigned int i = 0; i < p->n_part; i++) {
		uint64_t need = space_pages[i] + run_table_pages_windows(p, i);

		if (pool_pages - used < need) {
			out->fits = false;
			out->table = "page_tables";
			out->want = need * PT_PAGE_SIZE;
			out->free = (pool_pages - used) * PT_PAGE_SIZE;
			out->partition = i;
			return;
		}
		used += need;
	}
}
