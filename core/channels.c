#include "core/channels.h"
#include "core/cap.h"
#include "core/lib/libc.h"
#include "core/log.h"
#include "core/port.h"
#include "core/port_sys.h"
#include "hal/mmu.h"

#define PAGE ((uint64_t)BH_PAGE_BYTES)

/* One channel: what the kernel keeps of it (never in the region). */
struct chan {
	struct port_cfg cfg;
	void *region;                       /* kernel alias (linear map) */
	struct port_ack *ack;               /* queuing: kernel alias of the ack page */
	uint64_t region_pa, ack_pa, region_pages;
	uint64_t region_va, ack_va;         /* in the source's space */
	uint32_t source;                    /* partition index */
	uint32_t dest[PLAN_MAX_DESTS];      /* partition indices */
	unsigned int n_dest;
	/* Per destination, written only on that destination's CPU. */
	struct port_reader reader[PLAN_MAX_DESTS];
	struct port_stats stats[PLAN_MAX_DESTS];
};

/* A cell waiting in queuing_recv or queuing_wait_room (its call runs again on wake). */
struct chan_wait {
	bool active;
	bh_cap_t handle;
	uint64_t deadline_ns; /* since the epoch */
};

/* A partition's share of the state (PLAN_PART_STATE_BYTES). */
struct part_state {
	uint64_t next_va; /* where its next source region goes (boot) */
	struct chan_wait wait[PLAN_CELLS];
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

bool channels_init(const struct plan *p, const struct pa_range *mem, const struct channels_env *env)
{
	uint64_t pa = pa_addr(mem->base), end = pa + mem->size;

	uint64_t state = ALIGN_UP(plan_channel_state_bytes(p), PAGE);
	uint8_t *k;

	ch.plan = p;
	ch.env = *env;
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
		}
		if (pa > end)
			return refused("channel memory smaller than the plan needs", pc->name);
		c->region = phys_to_virt(pa_init(c->region_pa));
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
		}
	}
	if (pa != end)
		return refused("channel memory differs from what the plan needs", "/channels");
	return true;
}

bool channels_map(unsigned int part, struct pt_pool *pool, uint64_t *root)
{
	for (unsigned int i = 0; i < ch.plan->n_chan; i++) {
		const struct chan *c = &ch.chan[i];

		if (c->source != part)
			continue;
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
	size_t off = 0;

	*n = 0;
	if (!ch.plan || part >= ch.plan->n_part)
		return NULL;
	for (unsigned int i = 0; i < part; i++)
		off += cap_plan_grants(ch.plan, i, NULL, 0);
	*n = cap_plan_grants(ch.plan, part, NULL, 0);
	if (off + *n > ch.n_cap_mem) {
		*n = 0;
		return NULL;
	}
	return &ch.cap_mem[off];
}

void channels_cell_reset(unsigned int part, uint32_t cell)
{
	if (ch.plan && part < ch.plan->n_part && cell < PLAN_CELLS)
		ch.part[part].wait[cell].active = false;
}

void channels_partition_reset(unsigned int part)
{
	if (!ch.plan || part >= ch.plan->n_part)
		return;
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
	}
}

/* The message in this CPU's buffer to the caller: all message_bytes (zero beyond len). */
static void copy_out(const struct syscall_caller *sc, const struct syscall_port_call *pc,
		     uint8_t *buf, uint32_t len)
{
	BH_LIBC(memset)(buf + len, 0, pc->message_bytes - len);
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
	enum port_status s = port_sampling_read(&c->cfg, c->region, &c->stats[d], buf, &len,
						ch.env.now_ns(), &meta.age_ns, &valid);

	if (s != PORT_OK)
		return -(int64_t)port_status_to_bh(s);
	meta.valid = valid;
	meta.len = len;
	copy_out(sc, pc, buf, len);
	uaccess_write(&pc->out, &meta);
	return 0;
}

/* A call that found nothing: at once, asleep until the next look, or timed out. */
static int64_t wait_or_give_up(void *ctx, const struct syscall_caller *sc,
			       const struct syscall_port_call *pc, struct port_stats *st,
			       const struct port_stats *before, bool empty)
{
	struct chan_wait *w = &ch.part[sc->partition_index].wait[sc->cell_index];
	uint64_t now = ch.env.now_ns();

	if (pc->timeout_ns == 0) {
		w->active = false;
		return -(int64_t)BH_E_AGAIN;
	}
	if (!w->active || w->handle != pc->handle) {
		*w = (struct chan_wait){ true, pc->handle,
					 now + pc->timeout_ns < now ? UINT64_MAX : now + pc->timeout_ns };
	}
	if (now >= w->deadline_ns) {
		w->active = false;
		return -(int64_t)BH_E_TIMEOUT;
	}
	/* Still waiting: this look is not a refusal. */
	if (empty)
		*st = *before;
	ch.env.sleep_rerun(ctx, now + CHANNELS_POLL_NS < w->deadline_ns ? now + CHANNELS_POLL_NS
									 : w->deadline_ns);
	return PORT_SYS_SLEEP;
}

static int64_t op_queuing_recv(void *ctx, const struct syscall_caller *sc,
			       const struct syscall_port_call *pc)
{
	struct chan *c = &ch.chan[pc->chan];
	unsigned int d = dest_slot(c, sc->partition_index);
	uint8_t *buf = cpu_buf(sc);
	struct port_stats before = c->stats[d];
	uint32_t len = 0;
	enum port_status s = port_queuing_recv(&c->cfg, c->region, &c->reader[d], c->ack,
					       &c->stats[d], buf, &len);

	if (s == PORT_EMPTY)
		return wait_or_give_up(ctx, sc, pc, &c->stats[d], &before, true);
	ch.part[sc->partition_index].wait[sc->cell_index].active = false;
	if (s != PORT_OK)
		return -(int64_t)port_status_to_bh(s);
	copy_out(sc, pc, buf, len);
	return len;
}

static int64_t op_wait_room(void *ctx, const struct syscall_caller *sc,
			    const struct syscall_port_call *pc)
{
	const struct chan *c = &ch.chan[pc->chan];
	/* The source's own index against the kernel's: a lie only delays the liar. */
	uint32_t w = __atomic_load_n((const uint32_t *)c->region, __ATOMIC_ACQUIRE);
	uint32_t r = __atomic_load_n(&c->ack->read_idx, __ATOMIC_RELAXED);

	if (w - r < c->cfg.depth) {
		ch.part[sc->partition_index].wait[sc->cell_index].active = false;
		return 0;
	}
	return wait_or_give_up(ctx, sc, pc, NULL, NULL, false);
}

/* A waiting receiver looks again at its own next poll, in its own window: nothing to
 * wake across partitions. */
static int64_t op_signal(void *ctx, const struct syscall_caller *sc,
			 const struct syscall_port_call *pc)
{
	return 0;
}

const struct port_ops channels_port_ops = {
	.info = op_info,
	.sampling_read = op_sampling_read,
	.queuing_recv = op_queuing_recv,
	.wait_room = op_wait_room,
	.signal = op_signal,
};

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
			t.received += s->received;
			t.empty_refusals += s->empty_refusals;
			t.stale_reads += s->stale_reads;
			t.corrupt += s->corrupt;
			t.busy += s->busy;
			if (s->max_depth > t.max_depth)
				t.max_depth = s->max_depth;
		}
		port_stats_collect(&c->cfg, c->region, &t);
		LOG(LOG_INFO, "chan", "channel_stats", LOG_STR("channel", p->chan[i].name),
		    LOG_STR("kind", c->cfg.kind == PORT_QUEUING ? "queuing" : "sampling"),
		    LOG_U64("sent", t.sent), LOG_U64("received", t.received),
		    LOG_U64("full_refusals", t.full_refusals),
		    LOG_U64("empty_refusals", t.empty_refusals), LOG_U64("stale_reads", t.stale_reads),
		    LOG_U64("corrupt", t.corrupt), LOG_U64("busy", t.busy),
		    LOG_U64("max_depth", t.max_depth));
	}
}
