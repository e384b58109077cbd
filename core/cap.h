/*
 * Capabilities: what each partition may name in a call. A partition's table is built
 * from the plan at load time: its devices (MMIO range, interrupts) and its channel ports
 * (source: write, destination: read). Calls name a capability by a handle (bh_cap_t),
 * never by an address or a global number; cap_lookup() checks a handle and says
 * precisely why one is refused (docs/syscalls.md, "Capabilities").
 *
 * Handle layout (u32), so that a handle that was not handed out fails at once:
 *   bits  0..11  slot in the owner's table (plan order: devices, then ports)
 *   bits 12..21  owner partition index
 *   bits 22..27  generation of the slot (1..63; 0 never issued)
 *   bits 28..31  check nibble over bits 0..27 (cap_check_nibble)
 * 0 is never a handle (the generation is never 0).
 *
 * Slot order is fixed by cap_plan_grants(), which the kernel (cap_table_build) and the
 * host tool (bhplan header) both call, so a generated header's constants are exactly
 * the handles the kernel issues for the same plan.
 */
#ifndef BULKHEAD_CORE_CAP_H
#define BULKHEAD_CORE_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "dt/plan.h"
#include "include/bulkhead/abi.h"

#define CAP_SLOT_BITS 12
#define CAP_OWNER_BITS 10
#define CAP_GEN_BITS 6
#define CAP_MAX_SLOTS (1u << CAP_SLOT_BITS)   /* per partition */
#define CAP_MAX_OWNERS (1u << CAP_OWNER_BITS) /* partitions a handle can name */
#define CAP_GEN_MAX ((1u << CAP_GEN_BITS) - 1u)
#define CAP_GEN_INITIAL 1u                   /* what cap_table_build issues */
#define CAP_DEVICE_IRQS 4u                   /* interrupts one device capability carries */

enum cap_kind { CAP_NONE = 0, CAP_DEVICE, CAP_PORT };

/* Rights (bit set). */
#define CAP_RIGHT_READ 0x1u  /* port: receive (a destination) */
#define CAP_RIGHT_WRITE 0x2u /* port: send (the source) */
#define CAP_RIGHT_MAP 0x4u   /* device: its MMIO window is mapped */
#define CAP_RIGHT_IRQ 0x8u   /* device: wait on and acknowledge its interrupts */

enum cap_err {
	CAP_OK = 0,
	CAP_E_FORGED,   /* check nibble wrong or generation 0: never handed out */
	CAP_E_FOREIGN,  /* a handle of another partition */
	CAP_E_RANGE,    /* slot beyond the owner's table */
	CAP_E_STALE,    /* slot revoked, or re-granted since (generation differs) */
	CAP_E_KIND,     /* names a device where a port is needed, or the reverse */
	CAP_E_RIGHT,    /* the capability lacks a right the call needs */
	CAP_E_NOMEM,    /* build: the caller's memory holds fewer slots than the plan needs */
	CAP_E_LIMIT,    /* build: partition not in the plan, or index or slot count beyond the handle fields */
	CAP_E_DEVICE,   /* build: the resolver does not know a device of the plan */
	CAP_ERR_COUNT,
};
const char *cap_strerror(enum cap_err e);
/* The ABI error a call returns for e: bad-handle for the handle errors,
 * not-permitted for a missing right. */
enum bh_err cap_err_to_bh(enum cap_err e);

/* What the plan grants in one slot. */
struct cap_grant {
	enum cap_kind kind;
	uint32_t object; /* device: index in the partition's devices; port: channel index */
	uint32_t rights;
};

/*
 * The grants of partition part, in slot order: its devices in plan order, then one
 * port per channel it is the source or a destination of, in channel order. Writes at
 * most n_out (out may be NULL when n_out is 0); returns how many slots there are.
 * Precondition: p passed plan_parse and plan_check; part < p->n_part.
 */
unsigned int cap_plan_grants(const struct plan *p, unsigned int part, struct cap_grant *out,
			     unsigned int n_out);

/* Encoding (pure). cap_handle_make: owner < CAP_MAX_OWNERS, slot < CAP_MAX_SLOTS,
 * 1 <= gen <= CAP_GEN_MAX. */
bh_cap_t cap_handle_make(unsigned int owner, unsigned int slot, unsigned int gen);
uint32_t cap_check_nibble(uint32_t low28);

/* A device's resources, from the platform device tree. */
struct cap_device {
	uint64_t mmio_base, mmio_bytes;
	uint32_t irq[CAP_DEVICE_IRQS]; /* interrupt IDs (INTID) */
	uint32_t n_irq;
};

/* Fills *out for the platform node at path; false if it cannot. */
typedef bool (*cap_device_resolver)(void *ctx, const char *path, struct cap_device *out);

struct cap_entry {
	enum cap_kind kind;
	bool live;             /* false: revoked */
	uint32_t gen;          /* generation of the handle that names it now */
	uint32_t rights;
	uint32_t object;       /* as in struct cap_grant */
	struct cap_device dev; /* CAP_DEVICE only */
};

struct cap_table {
	uint32_t owner;          /* partition index */
	uint32_t n;              /* slots in use */
	struct cap_entry *slot;  /* the caller's memory, n entries */
};

/*
 * Builds partition part's table in mem (n_mem entries; cap_plan_grants(p, part, NULL, 0)
 * are needed). resolve (may be NULL: devices get no resources) gives each device's MMIO
 * and interrupts; a device it does not know is CAP_E_DEVICE. On error *t is empty.
 */
enum cap_err cap_table_build(struct cap_table *t, const struct plan *p, unsigned int part,
			     struct cap_entry *mem, size_t n_mem, cap_device_resolver resolve,
			     void *ctx) __must_check;

/* Capability slots of every partition together: what the kernel takes from free RAM
 * for the tables (times sizeof(struct cap_entry)), plus one struct cap_table each. */
size_t cap_plan_slots(const struct plan *p);

/* The handle of slot (as issued now), or BH_CAP_INVALID if it is revoked or beyond. */
bh_cap_t cap_handle_of(const struct cap_table *t, unsigned int slot);

/*
 * Checks handle h of the table's owner for a capability of kind with every right in
 * rights. On CAP_OK *out points at the entry (out may be NULL). Checks run in the
 * order of enum cap_err, so each refusal has one reason.
 */
enum cap_err cap_lookup(const struct cap_table *t, bh_cap_t h, enum cap_kind kind,
			uint32_t rights, const struct cap_entry **out) __must_check;

/* The check nibble (cap_check_nibble), inline for cap_lookup_direct: the XOR of the
 * seven nibbles of low28 and 0x9, folded. */
static inline uint32_t cap_nibble(uint32_t low28)
{
	uint32_t x = low28 & 0x0fffffffu;

	x ^= x >> 16;
	x ^= x >> 8;
	x ^= x >> 4;
	return (x ^ 0x9u) & 0xfu;
}

/*
 * cap_lookup's answer for the calls made at every message, by direct index: the entry
 * if h (a call's whole x0) is the handle issued now for a live capability of kind with
 * every right in rights, else NULL (the caller then runs cap_lookup, which names the
 * reason). Accepts exactly the handles cap_lookup accepts: the slot field indexes the
 * table, and the whole handle is compared with the one issued for that slot (owner,
 * generation and check nibble in one compare).
 */
static inline const struct cap_entry *cap_lookup_direct(const struct cap_table *t, uint64_t h,
							enum cap_kind kind, uint32_t rights)
{
	unsigned int slot = (unsigned int)(h & (CAP_MAX_SLOTS - 1u));
	const struct cap_entry *e;
	uint32_t low;

	if (slot >= t->n)
		return NULL;
	e = &t->slot[slot];
	if (!e->live || e->kind != kind || (e->rights & rights) != rights ||
	    e->gen - 1u >= CAP_GEN_MAX)
		return NULL;
	low = (uint32_t)slot | t->owner << CAP_SLOT_BITS | e->gen << (CAP_SLOT_BITS + CAP_OWNER_BITS);
	return h == (uint64_t)(low | cap_nibble(low) << 28) ? e : NULL;
}

/*
 * Revokes a slot: its handle stops working (CAP_E_STALE). cap_regrant puts the plan's
 * grant back under the next generation, so a handle kept from before stays stale.
 * Returns false for a slot out of range (or, regrant, a slot not revoked).
 */
bool cap_revoke(struct cap_table *t, unsigned int slot);
bool cap_regrant(struct cap_table *t, unsigned int slot);

#endif
