/*
 * Ports (docs/channels.md, docs/api.md): the source writes its channel region itself
 * with core/port.c's writer protocol (no call); a destination reads through the
 * kernel (sampling_read, queuing_recv). A port's description (port_info) is fetched
 * once per handle and kept in a small table, indexed by the handle's slot (its low
 * bits: docs/syscalls.md, "Capabilities"), so a send finds it with one compare; cells
 * of one partition may fill the same entry at once, with the same values.
 */
#include "bulkhead.h"
#include "core/port.h"
#include "syscall.h"

#define PORT_CACHE 16                 /* a power of two */
#define HANDLE_SLOT(h) ((h) & 0xfffu) /* the slot field of a handle */

struct port_entry {
	bh_cap_t handle; /* 0: free */
	struct bh_port_info info;
	struct port_cfg cfg;
};

static struct port_entry cache[PORT_CACHE];

int bh_port_info(bh_cap_t handle, struct bh_port_info *out)
{
	return (int)bh_svc2(BH_SYS_PORT_INFO, handle, out);
}

/* The first time a handle is used: port_info, into a free (or the handle's) entry. */
static __attribute__((noinline)) const struct port_entry *fill(bh_cap_t h, int *err)
{
	struct port_entry e = { .handle = h };
	unsigned int free_slot = PORT_CACHE;

	for (unsigned int i = 0; i < PORT_CACHE; i++)
		if (!cache[i].handle && free_slot == PORT_CACHE)
			free_slot = i;
	*err = bh_port_info(h, &e.info);
	if (*err < 0)
		return NULL;
	e.cfg = (struct port_cfg){
		.kind = e.info.kind == BH_PORT_QUEUING ? PORT_QUEUING : PORT_SAMPLING,
		.message_bytes = e.info.message_bytes,
		.depth = e.info.depth,
		.refresh_ns = e.info.refresh_ns,
		.data_bytes = (e.info.message_bytes + 7u) & ~7u,
		.region_bytes = e.info.region_bytes,
	};
	/* The slot's own entry when it is free (the lookup's first try), else any free
	 * one, else replace the slot's own. */
	if (!cache[HANDLE_SLOT(h) % PORT_CACHE].handle || free_slot == PORT_CACHE)
		free_slot = HANDLE_SLOT(h) % PORT_CACHE;
	cache[free_slot].handle = 0;
	cache[free_slot].info = e.info;
	cache[free_slot].cfg = e.cfg;
	__atomic_store_n(&cache[free_slot].handle, h, __ATOMIC_RELEASE);
	return &cache[free_slot];
}

/* Every send and write: the slot's entry, else a search of the table (more ports
 * than entries), no call once the handle is known. */
static inline const struct port_entry *lookup(bh_cap_t h, int *err)
{
	const struct port_entry *e = &cache[HANDLE_SLOT(h) % PORT_CACHE];

	if (__builtin_expect(__atomic_load_n(&e->handle, __ATOMIC_ACQUIRE) == h, 1))
		return e;
	for (unsigned int i = 0; i < PORT_CACHE; i++)
		if (__atomic_load_n(&cache[i].handle, __ATOMIC_ACQUIRE) == h)
			return &cache[i];
	return fill(h, err);
}

/* A source port of kind, or NULL with *err. */
static const struct port_entry *source(bh_cap_t h, uint32_t kind, int *err)
{
	const struct port_entry *e = lookup(h, err);

	if (!e)
		return NULL;
	if (!e->info.send || !e->info.region_va || e->info.kind != kind) {
		*err = -BH_E_PERM;
		return NULL;
	}
	return e;
}

static int status(enum port_status s)
{
	return s == PORT_OK ? 0 : -(int)port_status_to_bh(s);
}

/* The usual case, inlined: the slot's entry is this handle's, a source of kind. */
static inline const struct port_entry *source_known(bh_cap_t h, uint32_t kind)
{
	const struct port_entry *e = &cache[HANDLE_SLOT(h) % PORT_CACHE];

	if (__atomic_load_n(&e->handle, __ATOMIC_ACQUIRE) == h && e->info.send &&
	    e->info.region_va && e->info.kind == kind)
		return e;
	return NULL;
}

static int sampling_write(const struct port_entry *e, const void *msg, uint32_t len)
{
	return status(port_sampling_write(&e->cfg, (void *)(uintptr_t)e->info.region_va, msg, len,
					  (uint64_t)bh_time_ns()));
}

/* The first write, a handle beside its slot's entry, or a refusal. */
static __attribute__((noinline)) int sampling_write_looked_up(bh_cap_t port, const void *msg,
							       uint32_t len)
{
	int err = 0;
	const struct port_entry *e = source(port, BH_PORT_SAMPLING, &err);

	return e ? sampling_write(e, msg, len) : err;
}

int bh_sampling_write(bh_cap_t port, const void *msg, uint32_t len)
{
	const struct port_entry *e = source_known(port, BH_PORT_SAMPLING);

	return e ? sampling_write(e, msg, len) : sampling_write_looked_up(port, msg, len);
}

int bh_sampling_read(bh_cap_t port, void *buf, struct bh_sample_meta *meta)
{
	return (int)bh_svc3(BH_SYS_SAMPLING_READ, port, buf, meta);
}

static int queuing_send(const struct port_entry *e, bh_cap_t port, const void *msg, uint32_t len,
			int64_t timeout_ns)
{
	for (;;) {
		const struct port_ack *ack = (const struct port_ack *)(uintptr_t)e->info.ack_va;
		enum port_status s = port_queuing_send(&e->cfg, (void *)(uintptr_t)e->info.region_va,
						       ack, msg, len);

		if (s == PORT_OK && port_send_wants_signal(ack))
			(void)bh_svc1(BH_SYS_PORT_SIGNAL, port); /* a receiver waits: wake it */
		if (s != PORT_FULL || timeout_ns == 0)
			return status(s);
		/* Full: wait in the kernel for room, then try once more. */
		int r = (int)bh_svc2(BH_SYS_QUEUING_WAIT_ROOM, port, timeout_ns);

		if (r < 0)
			return r;
		timeout_ns = 0;
	}
}

/* The first send, a handle beside its slot's entry, or a refusal. */
static __attribute__((noinline)) int queuing_send_looked_up(bh_cap_t port, const void *msg,
							     uint32_t len, int64_t timeout_ns)
{
	int err = 0;
	const struct port_entry *e = source(port, BH_PORT_QUEUING, &err);

	return e ? queuing_send(e, port, msg, len, timeout_ns) : err;
}

int bh_queuing_send(bh_cap_t port, const void *msg, uint32_t len, int64_t timeout_ns)
{
	const struct port_entry *e = source_known(port, BH_PORT_QUEUING);

	return e ? queuing_send(e, port, msg, len, timeout_ns)
		 : queuing_send_looked_up(port, msg, len, timeout_ns);
}

int bh_queuing_recv(bh_cap_t port, void *buf, int64_t timeout_ns)
{
	return (int)bh_svc3(BH_SYS_QUEUING_RECV, port, buf, timeout_ns < 0 ? 0 : timeout_ns);
}
