/*
 * Ports (docs/channels.md, docs/api.md): the source writes its channel region itself
 * with core/port.c's writer protocol (no call); a sampling destination reads the
 * region itself too, through the read-only mapping the kernel gives it, with
 * core/port.c's reader (which trusts nothing in it); a queuing destination receives
 * through the kernel (queuing_recv). A port's description (port_info) is fetched
 * once per handle and kept in a small table, indexed by the handle's slot (its low
 * bits: docs/syscalls.md, "Capabilities"), so a send finds it with one compare. An
 * entry is claimed by one cell and filled once (claim, fill); beyond PORT_CACHE ports
 * each operation asks port_info again.
 */
#include "bulkhead.h"
#include "core/port.h"
#include "syscall.h"

#define PORT_CACHE 16                 /* a power of two */
#define HANDLE_SLOT(h) ((h) & 0xfffu) /* the slot field of a handle */

/* What the runtime does with a port itself (from port_info, once). */
enum port_use {
	USE_CALLS,        /* nothing: every operation is a call (a queuing destination) */
	USE_SAMPLE_WRITE, /* the source of a sampling port: writes its region */
	USE_QUEUE_SEND,   /* the source of a queuing port: writes its region */
	USE_SAMPLE_READ,  /* a sampling destination: reads the region, counts its reads */
};

struct port_entry {
	bh_cap_t handle; /* 0: not (yet) filled; set once, after the rest */
	uint32_t taken;  /* 0: free; claimed once, by one cell, never given back */
	uint32_t use;    /* enum port_use */
	struct bh_port_info info;
	struct port_cfg cfg;
};

static enum port_use use_of(const struct bh_port_info *i)
{
	if (!i->region_va)
		return USE_CALLS;
	if (i->send)
		return i->kind == BH_PORT_QUEUING ? (i->ack_va ? USE_QUEUE_SEND : USE_CALLS)
						  : USE_SAMPLE_WRITE;
	return i->kind == BH_PORT_SAMPLING && i->ack_va ? USE_SAMPLE_READ : USE_CALLS;
}

static struct port_entry cache[PORT_CACHE];

int bh_port_info(bh_cap_t handle, struct bh_port_info *out)
{
	return (int)bh_svc2(BH_SYS_PORT_INFO, handle, out);
}

/* A free entry, claimed for good: the handle's slot if it is free, else any. NULL when
 * every one is taken (a partition with more ports than entries). */
static struct port_entry *claim(bh_cap_t h)
{
	for (unsigned int k = 0; k < PORT_CACHE; k++) {
		struct port_entry *e = &cache[(HANDLE_SLOT(h) + k) % PORT_CACHE];
		uint32_t free_ = 0;

		if (__atomic_compare_exchange_n(&e->taken, &free_, 1, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return e;
	}
	return NULL;
}

/*
 * The first time a handle is used: port_info into *tmp, then into an entry of its own
 * (claim), published by its handle. An entry is filled once and never replaced, so a
 * cell that holds one (a preempted read, a send waiting for room) never sees it change
 * under it; with every entry taken the call goes on with *tmp, the caller's.
 */
static __attribute__((noinline)) const struct port_entry *fill(bh_cap_t h, struct port_entry *tmp,
								int *err)
{
	struct port_entry *e;

	*tmp = (struct port_entry){ .handle = h };
	*err = bh_port_info(h, &tmp->info);
	if (*err < 0)
		return NULL;
	tmp->use = use_of(&tmp->info);
	tmp->cfg = (struct port_cfg){
		.kind = tmp->info.kind == BH_PORT_QUEUING ? PORT_QUEUING : PORT_SAMPLING,
		.message_bytes = tmp->info.message_bytes,
		.depth = tmp->info.depth,
		.refresh_ns = tmp->info.refresh_ns,
		.data_bytes = (tmp->info.message_bytes + 7u) & ~7u,
		.region_bytes = tmp->info.region_bytes,
	};
	e = claim(h);
	if (!e)
		return tmp;
	e->use = tmp->use;
	e->info = tmp->info;
	e->cfg = tmp->cfg;
	__atomic_store_n(&e->handle, h, __ATOMIC_RELEASE);
	return e;
}

/* Every send and write: the slot's entry, else a search of the table (more ports
 * than entries), no call once the handle is known. */
static inline const struct port_entry *lookup(bh_cap_t h, struct port_entry *tmp, int *err)
{
	const struct port_entry *e = &cache[HANDLE_SLOT(h) % PORT_CACHE];

	if (__builtin_expect(__atomic_load_n(&e->handle, __ATOMIC_ACQUIRE) == h, 1))
		return e;
	for (unsigned int i = 0; i < PORT_CACHE; i++)
		if (__atomic_load_n(&cache[i].handle, __ATOMIC_ACQUIRE) == h)
			return &cache[i];
	return fill(h, tmp, err);
}

/* A port the runtime uses as use, or NULL with *err (not-permitted: the plan made this
 * partition the other end). */
static const struct port_entry *port_for(bh_cap_t h, enum port_use use, struct port_entry *tmp,
					 int *err)
{
	const struct port_entry *e = lookup(h, tmp, err);

	if (!e)
		return NULL;
	if (e->use != use) {
		*err = -BH_E_PERM;
		return NULL;
	}
	return e;
}

static int status(enum port_status s)
{
	return s == PORT_OK ? 0 : -(int)port_status_to_bh(s);
}

/* The usual case, inlined: the slot's entry is this handle's, used as use. */
static inline const struct port_entry *known(bh_cap_t h, enum port_use use)
{
	const struct port_entry *e = &cache[HANDLE_SLOT(h) % PORT_CACHE];

	if (__atomic_load_n(&e->handle, __ATOMIC_ACQUIRE) == h && e->use == use)
		return e;
	return NULL;
}

static inline int sampling_write(const struct port_entry *e, const void *msg, uint32_t len)
{
	enum port_status s = port_sampling_write(&e->cfg, (void *)(uintptr_t)e->info.region_va, msg,
						 len, (uint64_t)bh_svc_time());

	return s == PORT_OK ? 0 : status(s);
}

/* The first write, a handle beside its slot's entry, or a refusal. */
static __attribute__((noinline)) int sampling_write_looked_up(bh_cap_t port, const void *msg,
							       uint32_t len)
{
	int err = 0;
	struct port_entry tmp;
	const struct port_entry *e = port_for(port, USE_SAMPLE_WRITE, &tmp, &err);

	return e ? sampling_write(e, msg, len) : err;
}

int bh_sampling_write(bh_cap_t port, const void *msg, uint32_t len)
{
	const struct port_entry *e = known(port, USE_SAMPLE_WRITE);

	return e ? sampling_write(e, msg, len) : sampling_write_looked_up(port, msg, len);
}

/* A short message: the rest of the caller's buffer zeroed, then the meta stored again,
 * as the kernel's read leaves them (a meta inside the buffer's tail ends the same). */
static __attribute__((noinline)) void zero_tail(uint8_t *buf, uint32_t to, struct bh_sample_meta *meta)
{
	struct bh_sample_meta m = *meta;

	for (uint32_t i = m.len; i < to; i++)
		buf[i] = 0;
	*meta = m;
}

/* The clock read again when a sample's stamp is later than the first reading. */
static uint64_t clock_again(void)
{
	return (uint64_t)bh_svc_time();
}

/* The sample straight from the source's region (nothing in it trusted: core/port.c),
 * counted in the page the kernel adds to channel_stats. */
static inline int sampling_read(const struct port_entry *e, void *buf, struct bh_sample_meta *meta)
{
	uint64_t now = (uint64_t)bh_svc_time();
	enum port_status s = port_sampling_read_meta(
		&e->cfg, (const void *)(uintptr_t)e->info.region_va,
		(struct bh_read_counts *)(uintptr_t)e->info.ack_va, buf, now, clock_again, meta);

	if (s != PORT_OK)
		return status(s);
	if (meta->len < e->cfg.message_bytes)
		zero_tail(buf, e->cfg.message_bytes, meta);
	return 0;
}

/* The first read of a handle, a handle beside its slot's entry, or one the kernel
 * reads (no region mapped, or not a sampling destination's: the call refuses it). */
static __attribute__((noinline)) int sampling_read_looked_up(bh_cap_t port, void *buf,
							      struct bh_sample_meta *meta)
{
	int err = 0;
	struct port_entry tmp;
	const struct port_entry *e = lookup(port, &tmp, &err);

	if (!e)
		return err; /* port_info refused the handle (and logged it) */
	if (e->use == USE_SAMPLE_READ)
		return sampling_read(e, buf, meta);
	return (int)bh_svc3(BH_SYS_SAMPLING_READ, port, buf, meta);
}

int bh_sampling_read(bh_cap_t port, void *buf, struct bh_sample_meta *meta)
{
	const struct port_entry *e = known(port, USE_SAMPLE_READ);

	return e ? sampling_read(e, buf, meta) : sampling_read_looked_up(port, buf, meta);
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
	struct port_entry tmp;
	const struct port_entry *e = port_for(port, USE_QUEUE_SEND, &tmp, &err);

	return e ? queuing_send(e, port, msg, len, timeout_ns) : err;
}

int bh_queuing_send(bh_cap_t port, const void *msg, uint32_t len, int64_t timeout_ns)
{
	const struct port_entry *e = known(port, USE_QUEUE_SEND);

	return e ? queuing_send(e, port, msg, len, timeout_ns)
		 : queuing_send_looked_up(port, msg, len, timeout_ns);
}

int bh_queuing_recv(bh_cap_t port, void *buf, int64_t timeout_ns)
{
	return (int)bh_svc3(BH_SYS_QUEUING_RECV, port, buf, timeout_ns < 0 ? 0 : timeout_ns);
}
