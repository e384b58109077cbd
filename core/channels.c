#include "core/channels.h"
#include "core/cap.h"
#include "core/lib/libc.h"
#include "core/log.h"
#include "core/port.h"
#include "core/port_sys.h"
#include "core/uaccess_fast.h"
#include "hal/mmu.h"

#define PAGE ((uint64_t)BH_PAGE_BYTES)

/* One channel: what the kernel keeps of it (never in the region). */
struct chan {
	struct port_cfg cfg;
	void *region;                       /* kernel alias (linear map) */
	struct port_ack *ack;               /* queuing: kernel alias of the ack page */
	uint64_t region_pa, ack_pa, region_pages;
	uint64_t region_va, ack_va;         /* in the source's space */
	/* Sampling: the region (RO) in each destination's space; that destination's
	 * struct bh_read_counts page (RW) follows it there, and lies in RAM after the
	 * region, one page per destination in destination order. */
	uint64_t dest_va[PLAN_MAX_DESTS];
	uint32_t source;                    /* partition index */
	uint32_t dest[PLAN_MAX_DESTS];      /* partition indices */
	unsigned int n_dest;
	/* Per destination, written only on that destination's CPU. */
	struct port_reader reader[PLAN_MAX_DESTS];
	struct port_stats stats[PLAN_MAX_DESTS];
	/* Queuing wake-ups (port_wait_arm): a receiver waits (ack->waiting, set on the
	 * destination's CPU), the source waits for room (room_waiting, on the source's
	 * CPU); each *_signalled lets one notification through per arming. */
	uint32_t recv_signalled;
	uint32_t room_waiting, room_signalled;
};

/* A cell waiting in queuing_recv or queuing_wait_room (its call runs again on wake). */
enum wait_kind { WAIT_RECV, WAIT_ROOM };
struct chan_wait {
	bool active;
	uint8_t kind;         /* enum wait_kind */
	bh_cap_t handle;
	uint32_t chan;
	uint64_t deadline_ns; /* since the epoch */
};

/* A partition's share of the state (PLAN_PART_STATE_BYTES). */
struct part_state {
	uint64_t next_va; /* where its next source region goes (boot) */
	struct chan_wait wait[PLAN_CELLS];
	uint32_t cap_off, n_cap; /* its capability slots in cap_mem (channels_cap_slots) */
};

STATIC_ASSERT(sizeof(struct chan) <= PLAN_CHANNEL_STATE_BYTES, "a channel's state fits");
STATIC_ASSERT(sizeof(struct cap_entry) <= PLAN_CAP_STATE_BYTES, "a slot fits");
STATIC_ASSERT(sizeof(struct part_state) <= PLAN_PART_STATE_BYTES, "a partition's state fits");

/* The state lives in the channel block after the regions, sized by the plan. */
static struct {
	const struct plan *plan;
	struct channels_env env;
	struct chan *chan;         /* n_chan */
	struct part_state *part;   /* n_part */
	struct cap_entry *cap_mem; /* every partition's capability slots, in plan order */
	size_t n_cap_mem;
} ch;
uint8_t *channels_waiting;

/* One message buffer per CPU: a receive copies into it, checks, then copies out. */
static uint8_t msg_buf[PLAN_MAX_CPUS][PLAN_MAX_MESSAGE_BYTES] __aligned(8);

static int part_index(const struct plan *p, const char *name)
{
	for (unsigned int i = 0; i < p->n_part; i++)
		if (!BH_LIBC(strcmp)(p->part[i].name, name))
			return (int)i;
	return -1;
}

static bool refused(const char *what, const char *channel)
{
	LOG(LOG_ERROR, "chan", "channels_refused", LOG_STR("channel", channel),
	    LOG_STR("error", what));
	return false;
}

/* A sampling channel's destination d: its read-count page in RAM (after the region,
 * in destination order), and where that destination sees it (after the region). */
static uint64_t counts_pa(const struct chan *c, unsigned int d)
{
	return c->region_pa + (c->region_pages + d) * PAGE;
}

static uint64_t counts_va(const struct chan *c, unsigned int d)
{
	return c->dest_va[d] + c->region_pages * PAGE;
}

/* A sampling destination's read-count page, kernel alias (zeroed at boot). */
static struct bh_read_counts *reader_counts(const struct chan *c, unsigned int d)
{
	return phys_to_virt(pa_init(counts_pa(c, d)));
}

/* A sampling channel's destinations: each its VAs (the region, then its count page,
 * after whatever that partition maps before, in channel order) and a zeroed page. */
static void init_readers(struct chan *c)
{
	for (unsigned int d = 0; d < c->n_dest; d++) {
		uint64_t *va = &ch.part[c->dest[d]].next_va;

		if (!*va)
			*va = BH_CHANNEL_VA;
		c->dest_va[d] = *va;
		*va += (c->region_pages + 1) * PAGE;
		BH_LIBC(memset)(reader_counts(c, d), 0, PAGE);
	}
}

bool channels_init(const struct plan *p, const struct pa_range *mem, const struct channels_env *env)
{
	uint64_t pa = pa_addr(mem->base), end = pa + mem->size;

	uint64_t state = ALIGN_UP(plan_channel_state_bytes(p), PAGE);
	uint8_t *k;

	ch.plan = p;
	ch.env = *env;
	channels_waiting = env->waiting;
	if (mem->size < state)
		return refused("channel memory smaller than the plan needs", "/channels");
	/* The kernel's state first (zeroed), then the regions. */
	k = phys_to_virt(mem->base);
	BH_LIBC(memset)(k, 0, state);
	ch.chan = (struct chan *)k;
	ch.part = (struct part_state *)(k + (size_t)p->n_chan * PLAN_CHANNEL_STATE_BYTES);
	ch.cap_mem = (struct cap_entry *)(k + (size_t)p->n_chan * PLAN_CHANNEL_STATE_BYTES +
					  (size_t)p->n_part * PLAN_PART_STATE_BYTES);
	ch.n_cap_mem = (state - (size_t)p->n_chan * PLAN_CHANNEL_STATE_BYTES -
			(size_t)p->n_part * PLAN_PART_STATE_BYTES) / sizeof(struct cap_entry);
	/* Each partition's slots, once: channels_cap_slots must not count the grants of
	 * every partition before it (quadratic in the partitions, times the channels). */
	for (unsigned int i = 0, off = 0; i < p->n_part; i++) {
		ch.part[i].cap_off = off;
		ch.part[i].n_cap = cap_plan_grants(p, i, NULL, 0);
		off += ch.part[i].n_cap;
	}
	pa += state;
	for (unsigned int i = 0; i < p->n_chan; i++) {
		const struct plan_channel *pc = &p->chan[i];
		struct chan *c = &ch.chan[i];
		int src = part_index(p, pc->source);

		if (port_cfg_from_plan(pc, &c->cfg) != PORT_CFG_OK || src < 0)
			return refused("sizes or source outside the schema", pc->name);
		c->source = (uint32_t)src;
		for (unsigned int d = 0; d < pc->n_dest; d++) {
			int di = part_index(p, pc->dest[d]);

			if (di < 0)
				return refused("unknown destination", pc->name);
			c->dest[c->n_dest++] = (uint32_t)di;
		}
		c->region_pages = ALIGN_UP((uint64_t)c->cfg.region_bytes, PAGE) / PAGE;
		c->region_pa = pa;
		pa += c->region_pages * PAGE;
		if (c->cfg.kind == PORT_QUEUING) {
			c->ack_pa = pa;
			pa += PAGE;
		} else {
			pa += (uint64_t)c->n_dest * PAGE; /* the read-count pages */
		}
		if (pa > end)
			return refused("channel memory smaller than the plan needs", pc->name);
		c->region = phys_to_virt(pa_init(c->region_pa));
		/* Whole pages: past region_bytes too, what a destination's read-only
		 * mapping of a sampling region shows is zeros, not the RAM's past. */
		BH_LIBC(memset)(c->region, 0, c->region_pages * PAGE);
		port_region_init(&c->cfg, c->region);
		uint64_t *va = &ch.part[src].next_va;

		if (!*va)
			*va = BH_CHANNEL_VA;
		c->region_va = *va;
		*va += c->region_pages * PAGE;
		if (c->cfg.kind == PORT_QUEUING) {
			c->ack = phys_to_virt(pa_init(c->ack_pa));
			BH_LIBC(memset)(c->ack, 0, PAGE);
			c->ack_va = *va;
			*va += PAGE;
		} else {
			init_readers(c);
		}
	}
	if (pa != end)
		return refused("channel memory differs from what the plan needs", "/channels");
	return true;
}

/* If part is a destination of sampling channel c: the region read-only (its runtime
 * reads samples itself), then its own read-count page read-write. */
static bool map_reader(const struct chan *c, unsigned int part, struct pt_pool *pool, uint64_t *root)
{
	for (unsigned int d = 0; d < c->n_dest; d++) {
		if (c->dest[d] != part)
			continue;
		return pt_map(pool, root, c->dest_va[d], c->region_pa, c->region_pages * PAGE,
			      PT_USER_RO) == HAL_OK &&
		       pt_map(pool, root, counts_va(c, d), counts_pa(c, d), PAGE, PT_USER_RW) == HAL_OK;
	}
	return true;
}

bool channels_map(unsigned int part, struct pt_pool *pool, uint64_t *root)
{
	for (unsigned int i = 0; i < ch.plan->n_chan; i++) {
		const struct chan *c = &ch.chan[i];

		if (c->source != part) {
			if (c->cfg.kind == PORT_SAMPLING && !map_reader(c, part, pool, root))
				return false;
			continue;
		}
		if (pt_map(pool, root, c->region_va, c->region_pa, c->region_pages * PAGE,
			   PT_USER_RW) != HAL_OK)
			return false;
		if (c->cfg.kind == PORT_QUEUING &&
		    pt_map(pool, root, c->ack_va, c->ack_pa, PAGE, PT_USER_RO) != HAL_OK)
			return false;
	}
	return true;
}

struct cap_entry *channels_cap_slots(unsigned int part, size_t *n)
{
	size_t off;

	*n = 0;
	if (!ch.plan || part >= ch.plan->n_part)
		return NULL;
	off = ch.part[part].cap_off;
	*n = ch.part[part].n_cap;
	if (off + *n > ch.n_cap_mem) {
		*n = 0;
		return NULL;
	}
	return &ch.cap_mem[off];
}

static void wait_end(unsigned int part, unsigned int cell);

void channels_cell_reset(unsigned int part, uint32_t cell)
{
	if (ch.plan && part < ch.plan->n_part && cell < PLAN_CELLS)
		wait_end(part, cell);
}

void channels_partition_reset(unsigned int part)
{
	if (!ch.plan || part >= ch.plan->n_part)
		return;
	for (unsigned int i = 0; i < PLAN_CELLS; i++)
		wait_end(part, i);
	BH_LIBC(memset)(ch.part[part].wait, 0, sizeof(ch.part[part].wait));
	for (unsigned int i = 0; i < ch.plan->n_chan; i++) {
		struct chan *c = &ch.chan[i];

		if (c->cfg.kind != PORT_QUEUING || c->dest[0] != part)
			continue;
		/* A queuing channel has exactly one destination (plan_check). */
		LOG(LOG_INFO, "chan", "channel_reset", LOG_STR("channel", ch.plan->chan[i].name),
		    LOG_STR("partition", ch.plan->part[part].name),
		    LOG_U64("dropped", port_queuing_flush(&c->cfg, c->region, &c->reader[0], c->ack)));
	}
}

/* Which destination of c the partition is (the capability check made sure it is one). */
static unsigned int dest_slot(const struct chan *c, uint32_t part)
{
	for (unsigned int d = 0; d < c->n_dest; d++)
		if (c->dest[d] == part)
			return d;
	return 0;
}

/* ---- The port calls -------------------------------------------------------------- */

static void op_info(void *ctx, const struct syscall_caller *sc, const struct syscall_port_call *pc,
		    struct bh_port_info *out)
{
	const struct chan *c = &ch.chan[pc->chan];

	out->kind = c->cfg.kind == PORT_QUEUING ? BH_PORT_QUEUING : BH_PORT_SAMPLING;
	out->message_bytes = c->cfg.message_bytes;
	out->depth = c->cfg.depth;
	out->send = (pc->rights & CAP_RIGHT_WRITE) ? 1 : 0;
	out->refresh_ns = c->cfg.refresh_ns;
	if (out->send) {
		out->region_va = c->region_va;
		out->ack_va = c->ack_va;
		out->region_bytes = c->cfg.region_bytes;
	} else if (c->cfg.kind == PORT_SAMPLING) {
		unsigned int d = dest_slot(c, sc->partition_index);

		out->region_va = c->dest_va[d];
		out->ack_va = counts_va(c, d);
		out->region_bytes = c->cfg.region_bytes;
	}
}

/* The message in this CPU's buffer to the caller: all message_bytes (zero beyond len). */
static void copy_out(const struct syscall_caller *sc, const struct syscall_port_call *pc,
		     uint8_t *buf, uint32_t len)
{
	uint32_t i = len, n = pc->message_bytes;

	/* buf is 8-aligned: bytes up to a word boundary, then words, then bytes. */
	for (; i < n && (i & 7u); i++)
		buf[i] = 0;
	for (; n - i >= 8; i += 8)
		*(uint64_t *)(void *)(buf + i) = 0;
	for (; i < n; i++)
		buf[i] = 0;
	uaccess_write(&pc->buf, buf);
}

static uint8_t *cpu_buf(const struct syscall_caller *sc)
{
	return msg_buf[ch.plan->part[sc->partition_index].cpu];
}

static int64_t op_sampling_read(void *ctx, const struct syscall_caller *sc,
				const struct syscall_port_call *pc)
{
	struct chan *c = &ch.chan[pc->chan];
	unsigned int d = dest_slot(c, sc->partition_index);
	uint8_t *buf = cpu_buf(sc);
	struct bh_sample_meta meta = { 0 };
	uint32_t len = 0;
	bool valid = false;
	enum port_status s = port_sampling_read(&c->cfg, c->region, &c->stats[d].rd, buf, &len,
						ch.env.now_ns(), ch.env.now_ns, &meta.age_ns, &valid);

	if (s != PORT_OK)
		return -(int64_t)port_status_to_bh(s);
	meta.valid = valid;
	meta.len = len;
	copy_out(sc, pc, buf, len);
	uaccess_write(&pc->out, &meta);
	return 0;
}

/* The flag a wait of this kind arms: the receiver's is in the ack page (the source's
 * runtime reads it), the sender's in kernel memory (the destination's kernel reads it). */
static uint32_t *wait_flag(struct chan *c, enum wait_kind k)
{
	return k == WAIT_RECV ? &c->ack->waiting : &c->room_waiting;
}

/* The cell's wait (if any) ends; the channel's flag drops with the last waiter. */
static void wait_end(unsigned int part, unsigned int cell)
{
	struct chan_wait *w = &ch.part[part].wait[cell];

	if (!w->active)
		return;
	w->active = false;
	channels_waiting[part] &= (uint8_t)~(1u << cell);
	for (unsigned int i = 0; i < PLAN_CELLS; i++) {
		const struct chan_wait *o = &ch.part[part].wait[i];

		if (o->active && o->chan == w->chan && o->kind == w->kind)
			return; /* another cell still waits on it */
	}
	port_wait_disarm(wait_flag(&ch.chan[w->chan], (enum wait_kind)w->kind));
}

/* A call that found nothing (its wait already armed if it has a timeout): at once,
 * asleep until woken or the fallback look, or timed out. */
static int64_t wait_or_give_up(void *ctx, const struct syscall_caller *sc,
			       const struct syscall_port_call *pc, enum wait_kind kind)
{
	struct chan_wait *w = &ch.part[sc->partition_index].wait[sc->cell_index];
	uint64_t now = ch.env.now_ns();

	if (pc->timeout_ns == 0) {
		wait_end(sc->partition_index, sc->cell_index);
		return -(int64_t)BH_E_AGAIN;
	}
	if (!w->active || w->handle != pc->handle) {
		wait_end(sc->partition_index, sc->cell_index); /* a wait on another port */
		*w = (struct chan_wait){ true, (uint8_t)kind, pc->handle, pc->chan,
					 now + pc->timeout_ns < now ? UINT64_MAX : now + pc->timeout_ns };
		channels_waiting[sc->partition_index] |= (uint8_t)(1u << sc->cell_index);
	}
	if (now >= w->deadline_ns) {
		wait_end(sc->partition_index, sc->cell_index);
		return -(int64_t)BH_E_TIMEOUT;
	}
	/* Woken by the other side's notification; the fallback look bounds a lost one. */
	ch.env.sleep_rerun(ctx, now + CHANNELS_FALLBACK_NS < w->deadline_ns
					? now + CHANNELS_FALLBACK_NS
					: w->deadline_ns);
	return PORT_SYS_SLEEP;
}

static int64_t op_queuing_recv(void *ctx, const struct syscall_caller *sc,
			       const struct syscall_port_call *pc)
{
	struct chan *c = &ch.chan[pc->chan];
	unsigned int d = dest_slot(c, sc->partition_index);
	uint8_t *buf = cpu_buf(sc);
	uint64_t empty_before = c->stats[d].rd.empty_refusals;
	uint32_t len = 0;
	enum port_status s = port_queuing_recv(&c->cfg, c->region, &c->reader[d], c->ack,
					       &c->stats[d], buf, &len);

	if (s == PORT_EMPTY && pc->timeout_ns) {
		/* About to wait: arm the wake-up, then look once more (a send in between
		 * either shows here or sees the flag). */
		port_wait_arm(&c->ack->waiting, &c->recv_signalled);
		if (port_recv_ready(&c->cfg, c->region, &c->reader[d]))
			s = port_queuing_recv(&c->cfg, c->region, &c->reader[d], c->ack, &c->stats[d],
					      buf, &len);
	}
	if (s == PORT_EMPTY) {
		/* Waiting: a look is not a refusal. */
		if (pc->timeout_ns)
			c->stats[d].rd.empty_refusals = empty_before;
		return wait_or_give_up(ctx, sc, pc, WAIT_RECV);
	}
	wait_end(sc->partition_index, sc->cell_index);
	if (s != PORT_OK)
		return -(int64_t)port_status_to_bh(s);
	/* The slot is free: a source waiting for room is told. */
	if (port_notify_take(&c->room_waiting, &c->room_signalled))
		ch.env.notify(c->source);
	copy_out(sc, pc, buf, len);
	return len;
}

static int64_t op_wait_room(void *ctx, const struct syscall_caller *sc,
			    const struct syscall_port_call *pc)
{
	struct chan *c = &ch.chan[pc->chan];

	/* The source's own index against the kernel's: a lie only delays the liar. */
	bool room = port_room_ready(&c->cfg, c->region, c->ack);

	if (!room && pc->timeout_ns) {
		port_wait_arm(&c->room_waiting, &c->room_signalled); /* then the last look */
		room = port_room_ready(&c->cfg, c->region, c->ack);
	}
	if (!room)
		return wait_or_give_up(ctx, sc, pc, WAIT_ROOM);
	wait_end(sc->partition_index, sc->cell_index);
	return 0;
}

/* The source sent: a destination cell waiting for it is woken (in its own window). */
static int64_t op_signal(void *ctx, const struct syscall_caller *sc,
			 const struct syscall_port_call *pc)
{
	struct chan *c = &ch.chan[pc->chan];

	if (c->cfg.kind == PORT_QUEUING && port_notify_take(&c->ack->waiting, &c->recv_signalled))
		ch.env.notify(c->dest[0]);
	return 0;
}

/* Zeroes buf[len..n) (the message's bytes beyond its length), buf of any alignment;
 * nothing for len >= n. */
static void zero_tail(uint8_t *buf, uint32_t len, uint32_t n)
{
	uint32_t i = len;

	for (; i < n && (((uintptr_t)buf + i) & 7u); i++)
		buf[i] = 0;
	for (; i < n && n - i >= 8; i += 8)
		*(uint64_t *)(void *)(buf + i) = 0;
	for (; i < n; i++)
		buf[i] = 0;
}

/* queuing_recv straight into the caller's buffer; the same counts and wake-ups as
 * op_queuing_recv when it does not wait. Out of line: its length is passed by address
 * (a stack-protector check the sampling path should not pay for). */
static __attribute__((noinline)) int64_t recv_queuing_direct(struct chan *c, unsigned int part,
							     uint32_t cell, uint8_t *buf)
{
	uint32_t len = 0;
	enum port_status s = port_queuing_recv(&c->cfg, c->region, &c->reader[0], c->ack,
					       &c->stats[0], buf, &len);

	if (channels_waiting[part] & (1u << cell))
		wait_end(part, cell);
	if (s != PORT_OK)
		return -(int64_t)port_status_to_bh(s);
	if (port_notify_take(&c->room_waiting, &c->room_signalled))
		ch.env.notify(c->source);
	zero_tail(buf, len, c->cfg.message_bytes);
	return len;
}

int64_t channels_read_direct(unsigned int part, uint32_t cell, const struct cap_table *caps,
			     const struct uaccess_fast *wr, uint64_t nr, const uint64_t *x)
{
	const struct cap_entry *e = cap_lookup_direct(caps, x[0], CAP_PORT, CAP_RIGHT_READ);
	struct chan *c;
	uint8_t *buf, *meta;

	if (!e || e->object >= ch.plan->n_chan || cell >= PLAN_CELLS)
		return CHANNELS_NOT_DIRECT;
	c = &ch.chan[e->object];
	buf = uaccess_fast_writable(wr, x[1], c->cfg.message_bytes);
	if (!buf)
		return CHANNELS_NOT_DIRECT;
	if (nr == BH_SYS_SAMPLING_READ && c->cfg.kind == PORT_SAMPLING) {
		/* The meta is written as the struct it is: an 8-aligned one (as C lays it
		 * out) here, any other through the full path's byte copy. */
		meta = uaccess_fast_writable(wr, x[2], sizeof(struct bh_sample_meta));
		if (!meta || ((uintptr_t)meta & 7u))
			return CHANNELS_NOT_DIRECT;
		enum port_status s = port_sampling_read_meta(&c->cfg, c->region,
							     &c->stats[dest_slot(c, part)].rd, buf,
							     ch.env.now_ns(), ch.env.now_ns,
							     (struct bh_sample_meta *)(void *)meta);

		if (s != PORT_OK)
			return -(int64_t)port_status_to_bh(s);
		/* What was just written there (the partition cannot run while its CPU is in
		 * this call; zero_tail bounds itself by message-bytes all the same). The
		 * meta is stored again after the tail, as the full path writes it after
		 * the whole buffer: a meta inside the buffer ends the same either way. */
		struct bh_sample_meta *m = (struct bh_sample_meta *)(void *)meta;
		uint64_t age = m->age_ns;
		uint32_t valid = m->valid, len = m->len;

		zero_tail(buf, len, c->cfg.message_bytes);
		m->age_ns = age;
		m->valid = valid;
		m->len = len;
		return 0;
	}
	if (nr != BH_SYS_QUEUING_RECV || c->cfg.kind != PORT_QUEUING || (int64_t)x[2] < 0)
		return CHANNELS_NOT_DIRECT;
	/* Empty with a timeout waits: the full path arms the wake-up. A queuing channel has
	 * one destination (plan_check), reader 0, and only this CPU takes from it. */
	if (x[2] != 0 && !port_recv_ready(&c->cfg, c->region, &c->reader[0]))
		return CHANNELS_NOT_DIRECT;
	return recv_queuing_direct(c, part, cell, buf);
}

bool channels_signal_target(const struct cap_entry *e, struct channels_signal *out)
{
	struct chan *c;

	if (!e || e->kind != CAP_PORT || !(e->rights & CAP_RIGHT_WRITE) ||
	    e->object >= ch.plan->n_chan)
		return false;
	c = &ch.chan[e->object];
	if (c->cfg.kind != PORT_QUEUING)
		return false;
	*out = (struct channels_signal){ &c->ack->waiting, &c->recv_signalled, c->dest[0] };
	return true;
}

int64_t channels_signal_direct(const struct cap_table *caps, uint64_t handle)
{
	const struct cap_entry *e = cap_lookup_direct(caps, handle, CAP_PORT, CAP_RIGHT_WRITE);
	struct chan *c;

	if (!e || e->object >= ch.plan->n_chan)
		return CHANNELS_NOT_DIRECT;
	c = &ch.chan[e->object];
	if (c->cfg.kind == PORT_QUEUING && port_notify_take(&c->ack->waiting, &c->recv_signalled))
		ch.env.notify(c->dest[0]);
	return 0;
}

uint32_t channels_wake_mask(unsigned int part)
{
	uint32_t mask = 0;

	for (unsigned int i = 0; i < PLAN_CELLS; i++) {
		const struct chan_wait *w = &ch.part[part].wait[i];
		struct chan *c;

		if (!w->active)
			continue;
		/* What this CPU wrote (its window began) before the look at the queue. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		c = &ch.chan[w->chan];
		if (w->kind == WAIT_RECV ? port_recv_ready(&c->cfg, c->region,
							   &c->reader[dest_slot(c, part)])
					 : port_room_ready(&c->cfg, c->region, c->ack))
			mask |= 1u << i;
	}
	return mask;
}

/* The buffer of the receive the sleeping call x (a cell's saved x0..x8, waiting in w)
 * would make again, checked as the direct path checks it: queuing_recv with w's handle,
 * that handle a port of w's channel with the read right by direct index in caps, the
 * buffer (message-bytes) wholly in the cell's writable ranges. NULL otherwise. */
static uint8_t *recv_buf(const struct chan_wait *w, const struct cap_table *caps,
			 const struct uaccess_fast *wr, const uint64_t *x)
{
	const struct cap_entry *e;

	if (x[SYSCALL_NR_REG] != BH_SYS_QUEUING_RECV || x[0] != w->handle)
		return NULL;
	e = cap_lookup_direct(caps, x[0], CAP_PORT, CAP_RIGHT_READ);
	if (!e || e->object != w->chan)
		return NULL;
	return uaccess_fast_writable(wr, x[1], ch.chan[w->chan].cfg.message_bytes);
}

bool channels_woken(unsigned int part, uint32_t cell, const struct cap_table *caps,
		    const struct uaccess_fast *wr, uint64_t *x)
{
	const struct chan_wait *w = &ch.part[part].wait[cell];
	struct chan *c;
	uint8_t *buf;

	if (!w->active || w->kind != WAIT_RECV)
		return false;
	/* A receive waits on a queuing channel: one destination, reader and counts 0. */
	c = &ch.chan[w->chan];
	c->stats[0].woken++;
	/* Exactly the call the cell would make again, carried out for it, with the same
	 * checks as the direct path; a message waits (channels_wake_mask said so, and
	 * only this CPU takes from the queue), so it would not wait again. */
	buf = recv_buf(w, caps, wr, x);
	if (!buf || !port_recv_ready(&c->cfg, c->region, &c->reader[0]))
		return false;
	x[0] = (uint64_t)recv_queuing_direct(c, part, cell, buf);
	return true;
}

bool channels_idle_foresee(unsigned int part, uint32_t cell, const struct cap_table *caps,
			   const struct uaccess_fast *wr, const uint64_t *x, struct channels_idle *out)
{
	const struct chan_wait *w = &ch.part[part].wait[cell];

	if (!w->active || w->kind != WAIT_RECV)
		return false;
	out->chan = &ch.chan[w->chan];
	out->buf = recv_buf(w, caps, wr, x);
	return out->buf != NULL;
}

int64_t channels_idle_recv(unsigned int part, uint32_t cell, const struct channels_idle *ci)
{
	struct chan *c = ci->chan;

	if (!port_recv_ready(&c->cfg, c->region, &c->reader[0]))
		return CHANNELS_NOT_DIRECT;
	c->stats[0].woken++;
	return recv_queuing_direct(c, part, cell, ci->buf);
}

const struct port_ops channels_port_ops = {
	.info = op_info,
	.sampling_read = op_sampling_read,
	.queuing_recv = op_queuing_recv,
	.wait_room = op_wait_room,
	.signal = op_signal,
};

/* Sums that stop at the top: a destination's own counts are its word, any 64 bits. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static void add_counts(struct bh_read_counts *t, const struct bh_read_counts *n)
{
	t->received = sat_add(t->received, __atomic_load_n(&n->received, __ATOMIC_RELAXED));
	t->stale_reads = sat_add(t->stale_reads, __atomic_load_n(&n->stale_reads, __ATOMIC_RELAXED));
	t->empty_refusals = sat_add(t->empty_refusals,
				    __atomic_load_n(&n->empty_refusals, __ATOMIC_RELAXED));
	t->busy = sat_add(t->busy, __atomic_load_n(&n->busy, __ATOMIC_RELAXED));
	t->corrupt = sat_add(t->corrupt, __atomic_load_n(&n->corrupt, __ATOMIC_RELAXED));
}

void channels_shutdown(void)
{
	const struct plan *p = ch.plan;

	if (!p)
		return;
	for (unsigned int i = 0; i < p->n_chan; i++) {
		struct chan *c = &ch.chan[i];
		struct port_stats t = { 0 };

		for (unsigned int d = 0; d < c->n_dest; d++) {
			const struct port_stats *s = &c->stats[d];

			if (s->sent > t.sent)
				t.sent = s->sent;
			add_counts(&t.rd, &s->rd);
			if (c->cfg.kind == PORT_SAMPLING)
				add_counts(&t.rd, reader_counts(c, d));
			if (s->max_depth > t.max_depth)
				t.max_depth = s->max_depth;
			t.woken += s->woken;
		}
		port_stats_collect(&c->cfg, c->region, &t);
		LOG(LOG_INFO, "chan", "channel_stats", LOG_STR("channel", p->chan[i].name),
		    LOG_STR("kind", c->cfg.kind == PORT_QUEUING ? "queuing" : "sampling"),
		    LOG_U64("sent", t.sent), LOG_U64("received", t.rd.received),
		    LOG_U64("full_refusals", t.full_refusals),
		    LOG_U64("empty_refusals", t.rd.empty_refusals),
		    LOG_U64("stale_reads", t.rd.stale_reads), LOG_U64("corrupt", t.rd.corrupt),
		    LOG_U64("busy", t.rd.busy),
		    LOG_U64("max_depth", t.max_depth), LOG_U64("woken", t.woken));
	}
}
