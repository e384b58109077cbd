/* Devices and interrupts of the partitions (devices.h). */
#include "core/devices.h"
#include "core/lib/libc.h"
#include "dt/device_res.h"
#include "hal/gic.h"

#define GIC_SPI_FIRST GIC_FIRST_SPI
#define GIC_SPI_END GIC_INTID_SPURIOUS
#define NO_CELL (-1)

struct dev_slot {
	uint64_t va;        /* where the registers are for the partition (with the offset) */
	uint64_t map_va, map_bytes; /* the mapped pages */
	uint64_t map_pa;
	bool pending;       /* an interrupt fired and no irq_wait has taken it yet */
	int32_t waiter;     /* the cell in irq_wait on it, or NO_CELL */
	uint64_t wait_until; /* the waiter's limit (ns since boot) */
};

struct dev_part {
	struct cap_table caps;
	struct dev_slot slot[PLAN_MAX_DEVICES]; /* by device index (== its cap slot) */
	unsigned int n_dev;
};

/* Who owns an SPI: partition and device slot; part < 0 for nobody. */
struct irq_owner {
	int16_t part;
	uint16_t slot;
};

static struct dev_part *parts; /* n_parts, in memory the plan sized (devices_init) */
static unsigned int n_parts;
static struct irq_owner owner[GIC_SPI_END - GIC_SPI_FIRST];
static bool owner_init;

static const char *const err_names[DEV_ERR_COUNT] = {
	[DEV_OK] = "ok",
	[DEV_ERR_CAPS] = "capability table",
	[DEV_ERR_MEMORY] = "more capabilities than the memory given for the table holds",
	[DEV_ERR_WINDOW] = "device register window larger than a device slot (1 MiB)",
	[DEV_ERR_MAP] = "out of partition page-table pages for the device windows",
	[DEV_ERR_IRQ] = "device interrupt is not an SPI, or is another device's",
};

const char *dev_strerror(enum dev_err e)
{
	return (unsigned int)e < DEV_ERR_COUNT ? err_names[e] : "unknown device error";
}

static bool resolve(void *ctx, const char *path, struct cap_device *out)
{
	return ctx && dt_device_resolver((void *)ctx, path, out);
}

/* The last component of a node path: what a program names the device by. */
static const char *leaf(const char *path)
{
	const char *s = path;

	for (const char *c = path; *c; c++)
		if (*c == '/')
			s = c + 1;
	return s;
}

static void copy_name(char *dst, const char *src, size_t room)
{
	size_t n = BH_LIBC(strnlen)(src, room - 1);

	BH_LIBC(memcpy)(dst, src, n);
	dst[n] = '\0';
}

static void list_caps(const struct plan *p, unsigned int part, const struct dev_part *d,
		      struct bh_info *info)
{
	unsigned int n = d->caps.n < BH_INFO_MAX_CAPS ? d->caps.n : BH_INFO_MAX_CAPS;

	for (unsigned int s = 0; s < n; s++) {
		const struct cap_entry *e = &d->caps.slot[s];
		struct bh_cap_desc *c = &info->cap[s];

		if (e->kind == CAP_DEVICE) {
			copy_name(c->name, leaf(p->part[part].devices[e->object]), sizeof(c->name));
			c->kind = BH_CAP_KIND_DEVICE;
		} else {
			copy_name(c->name, p->chan[e->object].name, sizeof(c->name));
			c->kind = BH_CAP_KIND_PORT;
		}
		c->handle = cap_handle_of(&d->caps, s);
	}
	info->n_caps = n;
}

size_t devices_mem_bytes(unsigned int n_part)
{
	return (size_t)n_part * sizeof(struct dev_part);
}

void devices_init(void *mem, unsigned int n_part)
{
	parts = mem;
	n_parts = n_part;
}

void devices_fill_info(const struct plan *p, unsigned int part, struct bh_info *info)
{
	if (part < n_parts)
		list_caps(p, part, &parts[part], info);
}

static enum dev_err claim_irqs(unsigned int part, uint32_t slot, const struct cap_device *dev)
{
	for (unsigned int i = 0; i < dev->n_irq; i++) {
		uint32_t id = dev->irq[i];

		if (id < GIC_SPI_FIRST || id >= GIC_SPI_END || owner[id - GIC_SPI_FIRST].part >= 0)
			return DEV_ERR_IRQ;
		owner[id - GIC_SPI_FIRST] = (struct irq_owner){ (int16_t)part, (uint16_t)slot };
	}
	return DEV_OK;
}

enum dev_err devices_load(const struct plan *p, unsigned int part, const void *fdt,
			  struct cap_entry *mem, size_t n_mem, struct pt_pool *pool, uint64_t *root,
			  struct bh_info *info, enum cap_err *cap)
{
	struct dev_part *d = &parts[part < n_parts ? part : 0];
	unsigned int n = cap_plan_grants(p, part, NULL, 0);
	enum dev_err e;

	*cap = CAP_OK;
	if (!owner_init) {
		for (unsigned int i = 0; i < GIC_SPI_END - GIC_SPI_FIRST; i++)
			owner[i].part = -1;
		owner_init = true;
	}
	if (part >= n_parts)
		return DEV_ERR_MEMORY;
	*d = (struct dev_part){ .n_dev = p->part[part].n_devices };
	if (n > n_mem || (n && !mem))
		return DEV_ERR_MEMORY;
	*cap = cap_table_build(&d->caps, p, part, mem, n, resolve, (void *)fdt);
	if (*cap != CAP_OK)
		return DEV_ERR_CAPS;
	/* Devices come first in the table: device index == slot. */
	for (unsigned int s = 0; s < d->n_dev; s++) {
		const struct cap_device *dev = &d->caps.slot[s].dev;
		struct dev_slot *ds = &d->slot[s];
		uint64_t lo = ALIGN_DOWN(dev->mmio_base, PT_PAGE_SIZE);
		uint64_t hi = ALIGN_UP(dev->mmio_base + dev->mmio_bytes, PT_PAGE_SIZE);

		ds->waiter = NO_CELL;
		if (dev->mmio_bytes == 0 || hi < lo || hi - lo > BH_DEVICE_SLOT_BYTES)
			return DEV_ERR_WINDOW;
		ds->map_va = BH_DEVICE_VA + s * BH_DEVICE_SLOT_BYTES;
		ds->map_pa = lo;
		ds->map_bytes = hi - lo;
		ds->va = ds->map_va + (dev->mmio_base - lo);
		if (pt_map(pool, root, ds->map_va, lo, hi - lo, PT_USER_DEVICE) != HAL_OK)
			return DEV_ERR_MAP;
		if ((e = claim_irqs(part, s, dev)) != DEV_OK)
			return e;
	}
	list_caps(p, part, d, info);
	return DEV_OK;
}

const struct cap_table *devices_caps(unsigned int part)
{
	return &parts[part].caps;
}

bool devices_lookup(unsigned int part, uint64_t va, struct uaccess_page *out)
{
	const struct dev_part *d = &parts[part];

	for (unsigned int s = 0; s < d->n_dev; s++) {
		const struct dev_slot *ds = &d->slot[s];

		if (va - ds->map_va < ds->map_bytes) {
			out->flags = UACCESS_READ | UACCESS_WRITE | UACCESS_DEVICE;
			out->kva = NULL; /* never copied through: Device memory is refused */
			return true;
		}
	}
	return false;
}

void devices_info(unsigned int part, uint32_t slot, struct bh_device_info *out)
{
	const struct dev_part *d = &parts[part];
	const struct cap_device *dev = &d->caps.slot[slot].dev;

	out->va = d->slot[slot].va;
	out->bytes = dev->mmio_bytes;
	out->n_irq = dev->n_irq;
	for (unsigned int i = 0; i < dev->n_irq && i < 4; i++)
		out->irq[i] = dev->irq[i];
}

bool devices_irq_at(unsigned int part, unsigned int i, uint32_t *intid)
{
	const struct dev_part *d = &parts[part];

	for (unsigned int s = 0; s < d->n_dev; s++) {
		const struct cap_device *dev = &d->caps.slot[s].dev;

		if (i < dev->n_irq) {
			*intid = dev->irq[i];
			return true;
		}
		i -= dev->n_irq;
	}
	return false;
}

enum dev_take devices_irq_take(unsigned int part, uint32_t slot, uint32_t cell, uint64_t now,
			       uint64_t until_ns)
{
	struct dev_slot *ds = &parts[part].slot[slot];

	if (ds->pending) {
		ds->pending = false;
		return DEV_TAKEN;
	}
	/* A wait whose limit has passed is over (the scheduler woke that cell with
	 * timed-out), whatever the record still says. */
	if (ds->waiter != NO_CELL && ds->waiter != (int32_t)cell && now < ds->wait_until)
		return DEV_BUSY;
	if (until_ns > now) {
		ds->waiter = (int32_t)cell;
		ds->wait_until = until_ns;
	}
	return DEV_WAITING;
}

bool devices_irq_fired(uint32_t intid, uint64_t now, unsigned int *part, int32_t *cell)
{
	struct dev_slot *ds;

	if (intid < GIC_SPI_FIRST || intid >= GIC_SPI_END || !owner_init ||
	    owner[intid - GIC_SPI_FIRST].part < 0)
		return false;
	*part = (unsigned int)owner[intid - GIC_SPI_FIRST].part;
	ds = &parts[*part].slot[owner[intid - GIC_SPI_FIRST].slot];
	*cell = NO_CELL;
	/* A waiter whose limit has passed has been (or is being) woken by the scheduler
	 * with timed-out: it is no longer waiting. */
	if (ds->waiter != NO_CELL && now < ds->wait_until) {
		*cell = ds->waiter;
		ds->pending = false;
	} else {
		ds->pending = true;
	}
	ds->waiter = NO_CELL;
	return true;
}

bool devices_waiter(unsigned int part, uint64_t after_ns, int32_t *cell, uint64_t *until,
		    uint32_t *intid)
{
	const struct dev_part *d = &parts[part];

	for (unsigned int s = 0; s < d->n_dev; s++) {
		const struct dev_slot *ds = &d->slot[s];

		/* (A record whose limit has passed is a wait that ended: not this one.) */
		if (ds->waiter != NO_CELL && d->caps.slot[s].dev.n_irq &&
		    (ds->wait_until > after_ns || ds->wait_until == UINT64_MAX)) {
			*cell = ds->waiter;
			*until = ds->wait_until;
			*intid = d->caps.slot[s].dev.irq[0];
			return true;
		}
	}
	return false;
}

void devices_irq_lines(unsigned int part, uint32_t slot, uint32_t intid[CAP_DEVICE_IRQS],
		       unsigned int *n)
{
	const struct cap_device *dev = &parts[part].caps.slot[slot].dev;

	*n = dev->n_irq;
	for (unsigned int i = 0; i < dev->n_irq; i++)
		intid[i] = dev->irq[i];
}

unsigned int devices_quiesce(unsigned int part)
{
	struct dev_part *d;
	unsigned int n = 0;

	if (part >= n_parts)
		return 0;
	d = &parts[part];
	for (unsigned int s = 0; s < d->n_dev; s++) {
		struct dev_slot *ds = &d->slot[s];

		ds->pending = false;
		ds->waiter = NO_CELL;
		ds->wait_until = 0;
		n += d->caps.slot[s].dev.n_irq;
	}
	return n;
}

void devices_cell_reset(unsigned int part, uint32_t cell)
{
	struct dev_part *d;

	if (part >= n_parts)
		return;
	d = &parts[part];
	for (unsigned int s = 0; s < d->n_dev; s++)
		if (d->slot[s].waiter == (int32_t)cell)
			d->slot[s].waiter = NO_CELL;
}
