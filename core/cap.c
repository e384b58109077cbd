#include "core/cap.h"
#include "core/lib/libc.h"

#define SLOT_SHIFT 0
#define OWNER_SHIFT CAP_SLOT_BITS
#define GEN_SHIFT (CAP_SLOT_BITS + CAP_OWNER_BITS)
#define CHECK_SHIFT (GEN_SHIFT + CAP_GEN_BITS)
#define FIELD(h, shift, bits) (((h) >> (shift)) & ((1u << (bits)) - 1u))

STATIC_ASSERT(CHECK_SHIFT == 28, "handle fields fill 28 bits under the check nibble");
STATIC_ASSERT(sizeof(bh_cap_t) == 4, "handles are u32");

static const char *const cap_err_names[CAP_ERR_COUNT] = {
	[CAP_OK] = "ok",
	[CAP_E_FORGED] = "handle was never issued (check bits or generation)",
	[CAP_E_FOREIGN] = "handle of another partition",
	[CAP_E_RANGE] = "handle slot beyond the partition's table",
	[CAP_E_STALE] = "handle is stale (capability revoked or re-granted)",
	[CAP_E_KIND] = "capability is of another kind",
	[CAP_E_RIGHT] = "capability lacks the right",
	[CAP_E_NOMEM] = "memory for the capability table is too small",
	[CAP_E_LIMIT] = "partition index or capability count beyond the handle's fields",
	[CAP_E_DEVICE] = "device has no resources in the platform",
};

const char *cap_strerror(enum cap_err e)
{
	return (unsigned int)e < CAP_ERR_COUNT ? cap_err_names[e] : "?";
}

enum bh_err cap_err_to_bh(enum cap_err e)
{
	switch (e) {
	case CAP_OK:
		return BH_OK;
	case CAP_E_RIGHT:
		return BH_E_PERM;
	case CAP_E_FORGED:
	case CAP_E_FOREIGN:
	case CAP_E_RANGE:
	case CAP_E_STALE:
	case CAP_E_KIND:
		return BH_E_HANDLE;
	default:
		return BH_E_INVAL; /* build errors never reach a call */
	}
}

/* Mixes the 28 low bits into 4 so that a one-bit change anywhere changes it: the xor
 * of the seven nibbles, offset so that an all-zero handle does not check. */
uint32_t cap_check_nibble(uint32_t low28)
{
	return cap_nibble(low28);
}

bh_cap_t cap_handle_make(unsigned int owner, unsigned int slot, unsigned int gen)
{
	uint32_t low = (uint32_t)slot << SLOT_SHIFT | (uint32_t)owner << OWNER_SHIFT |
		       (uint32_t)gen << GEN_SHIFT;

	return low | cap_check_nibble(low) << CHECK_SHIFT;
}

static bool is_dest(const struct plan_channel *ch, const char *name)
{
	for (unsigned int d = 0; d < ch->n_dest; d++)
		if (!BH_LIBC(strcmp)(ch->dest[d], name))
			return true;
	return false;
}

/* Calls emit(ctx, slot, grant) for each slot of part, in slot order; returns the count. */
typedef void (*grant_fn)(void *ctx, unsigned int slot, const struct cap_grant *g);

static unsigned int for_each_grant(const struct plan *p, unsigned int part, grant_fn emit, void *ctx)
{
	const struct plan_partition *pp = &p->part[part];
	unsigned int n = 0;

	for (unsigned int d = 0; d < pp->n_devices; d++, n++)
		emit(ctx, n, &(struct cap_grant){ CAP_DEVICE, d, CAP_RIGHT_MAP | CAP_RIGHT_IRQ });
	for (unsigned int c = 0; c < p->n_chan; c++) {
		const struct plan_channel *ch = &p->chan[c];
		uint32_t rights;

		/* plan_check (channel-endpoint) guarantees the source is not a destination. */
		if (!BH_LIBC(strcmp)(ch->source, pp->name))
			rights = CAP_RIGHT_WRITE;
		else if (is_dest(ch, pp->name))
			rights = CAP_RIGHT_READ;
		else
			continue;
		emit(ctx, n++, &(struct cap_grant){ CAP_PORT, c, rights });
	}
	return n;
}

struct grant_array {
	struct cap_grant *out;
	unsigned int n_out;
};

static void to_array(void *ctx, unsigned int slot, const struct cap_grant *g)
{
	struct grant_array *a = ctx;

	if (slot < a->n_out)
		a->out[slot] = *g;
}

unsigned int cap_plan_grants(const struct plan *p, unsigned int part, struct cap_grant *out,
			     unsigned int n_out)
{
	struct grant_array a = { out, n_out };

	return for_each_grant(p, part, to_array, &a);
}

static void to_entries(void *ctx, unsigned int slot, const struct cap_grant *g)
{
	struct cap_entry *e = &((struct cap_entry *)ctx)[slot];

	*e = (struct cap_entry){ .kind = g->kind, .live = true, .gen = CAP_GEN_INITIAL,
				 .rights = g->rights, .object = g->object };
}

enum cap_err cap_table_build(struct cap_table *t, const struct plan *p, unsigned int part,
			     struct cap_entry *mem, size_t n_mem, cap_device_resolver resolve,
			     void *ctx)
{
	unsigned int n;

	*t = (struct cap_table){ .owner = part, .n = 0, .slot = mem };
	if (part >= p->n_part || part >= CAP_MAX_OWNERS)
		return CAP_E_LIMIT;
	n = cap_plan_grants(p, part, NULL, 0);
	if (n > CAP_MAX_SLOTS)
		return CAP_E_LIMIT;
	if (n > n_mem)
		return CAP_E_NOMEM;
	(void)for_each_grant(p, part, to_entries, mem);
	for (unsigned int s = 0; s < n; s++) {
		struct cap_entry *e = &mem[s];

		if (e->kind != CAP_DEVICE || !resolve)
			continue;
		if (!resolve(ctx, p->part[part].devices[e->object], &e->dev) ||
		    e->dev.n_irq > CAP_DEVICE_IRQS)
			return CAP_E_DEVICE;
		if (e->dev.n_irq == 0)
			e->rights &= ~CAP_RIGHT_IRQ; /* nothing to wait on */
	}
	t->n = n;
	return CAP_OK;
}

size_t cap_plan_slots(const struct plan *p)
{
	size_t n = 0;

	/* One port per endpoint plus the devices: no need to walk each partition. */
	for (unsigned int i = 0; i < p->n_part; i++)
		n += p->part[i].n_devices;
	for (unsigned int c = 0; c < p->n_chan; c++)
		n += 1u + p->chan[c].n_dest;
	return n;
}

bh_cap_t cap_handle_of(const struct cap_table *t, unsigned int slot)
{
	if (slot >= t->n || !t->slot[slot].live)
		return BH_CAP_INVALID;
	return cap_handle_make(t->owner, slot, t->slot[slot].gen);
}

enum cap_err cap_lookup(const struct cap_table *t, bh_cap_t h, enum cap_kind kind,
			uint32_t rights, const struct cap_entry **out)
{
	uint32_t low = h & ((1u << CHECK_SHIFT) - 1u);
	unsigned int slot = FIELD(h, SLOT_SHIFT, CAP_SLOT_BITS);
	unsigned int gen = FIELD(h, GEN_SHIFT, CAP_GEN_BITS);
	const struct cap_entry *e;

	if (out)
		*out = NULL;
	if (h >> CHECK_SHIFT != cap_check_nibble(low) || gen == 0)
		return CAP_E_FORGED;
	if (FIELD(h, OWNER_SHIFT, CAP_OWNER_BITS) != t->owner)
		return CAP_E_FOREIGN;
	if (slot >= t->n)
		return CAP_E_RANGE;
	e = &t->slot[slot];
	if (!e->live || e->gen != gen)
		return CAP_E_STALE;
	if (e->kind != kind)
		return CAP_E_KIND;
	if ((e->rights & rights) != rights)
		return CAP_E_RIGHT;
	if (out)
		*out = e;
	return CAP_OK;
}

bool cap_revoke(struct cap_table *t, unsigned int slot)
{
	if (slot >= t->n)
		return false;
	t->slot[slot].live = false;
	return true;
}

bool cap_regrant(struct cap_table *t, unsigned int slot)
{
	struct cap_entry *e;

	if (slot >= t->n || t->slot[slot].live)
		return false;
	e = &t->slot[slot];
	/* Generations wrap from CAP_GEN_MAX back to 1 (0 is never issued): a handle kept
	 * through exactly 63 re-grants of one slot would name it again (docs/syscalls.md). */
	e->gen = e->gen >= CAP_GEN_MAX ? 1u : e->gen + 1u;
	e->live = true;
	return true;
}
