#include "core/port.h"

/*
 * The region is shared with another CPU (the source writes while the kernel reads on
 * the destination's CPU), so every access is an __atomic one: relaxed for data,
 * acquire/release for the sequence numbers and indices that order it. No lock is
 * shared and none is taken.
 */

#ifdef BH_HOST
void (*port_test_step_hook)(void);
static inline void step(void)
{
	if (port_test_step_hook)
		port_test_step_hook();
}
#else
static inline void step(void)
{
}
#endif

/* Region offsets (see port.h). */
#define OFF_SEQ 0u
#define OFF_LEN 4u
#define OFF_STAMP 8u
#define OFF_WRITE_IDX 0u
#define OFF_FULL 4u
#define OFF_MARK 0u
#define OFF_SLOT_LEN 4u

static inline uint32_t *w32(void *region, uint32_t off)
{
	return (uint32_t *)((uint8_t *)region + off);
}
static inline uint32_t ld32(const void *region, uint32_t off, int order)
{
	step();
	return __atomic_load_n((const uint32_t *)((const uint8_t *)region + off), order);
}
static inline void st32(void *region, uint32_t off, uint32_t v, int order)
{
	step();
	__atomic_store_n(w32(region, off), v, order);
}
static inline uint64_t ld64(const void *region, uint32_t off)
{
	step();
	return __atomic_load_n((const uint64_t *)((const uint8_t *)region + off), __ATOMIC_RELAXED);
}
static inline uint64_t ld64p(const uint64_t *p)
{
	step();
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}
static inline void st64p(uint64_t *p, uint64_t v)
{
	step();
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}
static inline void st64(void *region, uint32_t off, uint64_t v)
{
	step();
	__atomic_store_n((uint64_t *)((uint8_t *)region + off), v, __ATOMIC_RELAXED);
}

/* len bytes of src into the region at off, a word at a time, four a turn (the tail
 * zero-padded). The region is 8-aligned; src may not be (EL0 allows unaligned loads). */
static void put_data(void *region, uint32_t off, const void *src, uint32_t len)
{
	const uint8_t *s = src;
	uint64_t *w = (uint64_t *)(void *)((uint8_t *)region + off);
	const uint8_t *whole = s + (len & ~7u);

	for (; whole - s >= 32; s += 32, w += 4) {
		uint64_t a, b, c, d;

		__builtin_memcpy(&a, s, 8); /* one load where unaligned loads are allowed */
		__builtin_memcpy(&b, s + 8, 8);
		__builtin_memcpy(&c, s + 16, 8);
		__builtin_memcpy(&d, s + 24, 8);
		st64p(w, a);
		st64p(w + 1, b);
		st64p(w + 2, c);
		st64p(w + 3, d);
	}
	for (; s != whole; s += 8) {
		uint64_t a;

		__builtin_memcpy(&a, s, 8);
		st64p(w++, a);
	}
	if (len & 7u) {
		uint64_t word = 0;

		for (uint32_t b = 0; b < (len & 7u); b++)
			word |= (uint64_t)s[b] << (8 * b);
		st64p(w, word);
	}
}

/* len bytes from the region at off into dst. The caller checked len <= data_bytes,
 * so every word read lies inside the region. Whole words go in one store when dst is
 * 8-aligned (the kernel is built -mstrict-align: a word copy into an unaligned buffer
 * would be bytes), four a turn (a message is a few words: the loop costs as much as
 * the copy). Inlined into each reader: the call's register moves cost as much as a
 * turn. */
static inline __attribute__((always_inline)) void get_data(const void *region, uint32_t off, void *dst,
							  uint32_t len)
{
	uint8_t *d = dst;
	uint32_t i = 0;

	if (((uintptr_t)d & 7u) == 0) {
		const uint64_t *s = (const uint64_t *)(const void *)((const uint8_t *)region + off);
		uint64_t *w = (uint64_t *)(void *)d, *end = w + len / 8u;

		for (; end - w >= 4; w += 4, s += 4) {
			uint64_t w0 = ld64p(s), w1 = ld64p(s + 1), w2 = ld64p(s + 2), w3 = ld64p(s + 3);

			w[0] = w0;
			w[1] = w1;
			w[2] = w2;
			w[3] = w3;
		}
		for (; w != end; w++, s++)
			*w = ld64p(s);
		i = len & ~7u;
	}
	for (; i < len; i += 8) {
		uint64_t word = ld64(region, off + i);

		for (uint32_t b = 0; b < 8 && i + b < len; b++)
			d[i + b] = (uint8_t)(word >> (8 * b));
	}
}

static const char *const status_names[PORT_STATUS_COUNT] = {
	[PORT_OK] = "ok",           [PORT_EMPTY] = "empty",     [PORT_FULL] = "full",
	[PORT_BUSY] = "busy",       [PORT_CORRUPT] = "corrupt", [PORT_TOOBIG] = "too-big",
};

const char *port_status_name(enum port_status s)
{
	return (unsigned int)s < PORT_STATUS_COUNT ? status_names[s] : "?";
}

enum bh_err port_status_to_bh(enum port_status s)
{
	switch (s) {
	case PORT_OK:
		return BH_OK;
	case PORT_TOOBIG:
		return BH_E_TOOBIG;
	default:
		return BH_E_AGAIN;
	}
}

enum port_cfg_err port_cfg_from_plan(const struct plan_channel *ch, struct port_cfg *out)
{
	uint32_t data;

	if (ch->message_bytes == 0 || ch->message_bytes > PLAN_MAX_MESSAGE_BYTES)
		return PORT_CFG_RANGE;
	data = ALIGN_UP(ch->message_bytes, 8u);
	if (ch->kind == CHANNEL_SAMPLING) {
		*out = (struct port_cfg){ PORT_SAMPLING, ch->message_bytes, 1,
					  (uint64_t)ch->refresh_us * 1000u, data, PORT_HDR_BYTES + data };
		return PORT_CFG_OK;
	}
	if (ch->depth == 0 || ch->depth > PLAN_MAX_DEPTH)
		return PORT_CFG_RANGE;
	*out = (struct port_cfg){ PORT_QUEUING, ch->message_bytes, ch->depth, 0, data,
				  PORT_HDR_BYTES + ch->depth * (PORT_SLOT_HDR_BYTES + data) };
	return PORT_CFG_OK;
}

void port_region_init(const struct port_cfg *cfg, void *region)
{
	for (uint32_t off = 0; off < cfg->region_bytes; off += 8)
		__atomic_store_n((uint64_t *)((uint8_t *)region + off), 0, __ATOMIC_RELAXED);
}

static uint32_t slot_off(const struct port_cfg *cfg, uint32_t msg_no)
{
	return PORT_HDR_BYTES + (msg_no % cfg->depth) * (PORT_SLOT_HDR_BYTES + cfg->data_bytes);
}

/* ---- Source side ---------------------------------------------------------------- */

enum port_status port_sampling_write(const struct port_cfg *cfg, void *region, const void *msg,
				     uint32_t len, uint64_t now_ns)
{
	uint32_t seq;

	if (len == 0 || len > cfg->message_bytes)
		return PORT_TOOBIG;
	seq = ld32(region, OFF_SEQ, __ATOMIC_RELAXED) & ~1u; /* our own: even unless we died mid-write */
	st32(region, OFF_SEQ, seq + 1, __ATOMIC_RELAXED);
	/* The odd sequence must be visible before any data changes. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	st32(region, OFF_LEN, len, __ATOMIC_RELAXED);
	st64(region, OFF_STAMP, now_ns);
	put_data(region, PORT_HDR_BYTES, msg, len);
	/* Skips 0 on wrap: 0 means "never written". */
	st32(region, OFF_SEQ, seq + 2 == 0 ? 2 : seq + 2, __ATOMIC_RELEASE);
	return PORT_OK;
}

enum port_status port_queuing_send(const struct port_cfg *cfg, void *region,
				   const struct port_ack *ack, const void *msg, uint32_t len)
{
	uint32_t w, r, off;

	if (len == 0 || len > cfg->message_bytes)
		return PORT_TOOBIG;
	w = ld32(region, OFF_WRITE_IDX, __ATOMIC_RELAXED);
	step();
	r = __atomic_load_n(&ack->read_idx, __ATOMIC_ACQUIRE);
	if (w - r >= cfg->depth) {
		st32(region, OFF_FULL, ld32(region, OFF_FULL, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
		return PORT_FULL;
	}
	off = slot_off(cfg, w);
	st32(region, off + OFF_SLOT_LEN, len, __ATOMIC_RELAXED);
	put_data(region, off + PORT_SLOT_HDR_BYTES, msg, len);
	st32(region, off + OFF_MARK, w + 1, __ATOMIC_RELEASE);
	st32(region, OFF_WRITE_IDX, w + 1, __ATOMIC_RELEASE);
	return PORT_OK;
}

/* ---- Destination side: nothing read from the region is trusted ------------------- */

/* One more of a read count: relaxed, but whole (a destination's reads at EL0 may be
 * preempted by another cell's read of the same port). */
static inline void count(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

/* The read of port_sampling_read and port_sampling_read_meta: *m written on PORT_OK
 * only. Inlined into both, so neither passes its locals by address. */
static inline __attribute__((always_inline)) enum port_status
read_sample(const struct port_cfg *cfg, const void *region, struct bh_read_counts *rc, void *buf,
	    uint64_t now_ns, uint64_t (*again)(void), struct bh_sample_meta *m)
{
	for (unsigned int t = 0; t < PORT_READ_TRIES; t++) {
		uint32_t s1 = ld32(region, OFF_SEQ, __ATOMIC_ACQUIRE), s2, n;
		uint64_t stamp, age;
		bool valid;

		if (s1 == 0) {
			count(&rc->empty_refusals);
			return PORT_EMPTY;
		}
		if (s1 & 1u)
			continue; /* a write is in progress */
		n = ld32(region, OFF_LEN, __ATOMIC_RELAXED);
		stamp = ld64(region, OFF_STAMP);
		if (n != 0 && n <= cfg->message_bytes)
			get_data(region, PORT_HDR_BYTES, buf, n);
		/* The copy must be complete before the sequence is read again. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = ld32(region, OFF_SEQ, __ATOMIC_RELAXED);
		if (s2 != s1)
			continue; /* changed while copied: what we have may be torn */
		if (n == 0 || n > cfg->message_bytes) {
			count(&rc->corrupt);
			return PORT_CORRUPT;
		}
		/* now_ns was read before the copy: a write that landed since (another CPU's,
		 * or one in the reader's preemption) carries a later stamp. The clock read
		 * again, after the copy, is later than any honest stamp the copy can hold. */
		if (stamp > now_ns && again)
			now_ns = again();
		age = stamp <= now_ns ? now_ns - stamp : 0;
		/* A stamp from the future is a lie (or another clock): never valid. */
		valid = stamp <= now_ns && age <= cfg->refresh_ns;
		if (!valid)
			count(&rc->stale_reads);
		count(&rc->received);
		m->age_ns = age;
		m->valid = valid;
		m->len = n;
		return PORT_OK;
	}
	count(&rc->busy);
	return PORT_BUSY;
}

enum port_status port_sampling_read(const struct port_cfg *cfg, const void *region,
				    struct bh_read_counts *rc, void *buf, uint32_t *len,
				    uint64_t now_ns, uint64_t (*again)(void), uint64_t *age_ns,
				    bool *valid)
{
	struct bh_sample_meta m;
	enum port_status s = read_sample(cfg, region, rc, buf, now_ns, again, &m);

	if (s == PORT_OK) {
		*len = m.len;
		*age_ns = m.age_ns;
		*valid = m.valid != 0;
	}
	return s;
}

enum port_status port_sampling_read_meta(const struct port_cfg *cfg, const void *region,
					 struct bh_read_counts *rc, void *buf, uint64_t now_ns,
					 uint64_t (*again)(void), struct bh_sample_meta *meta)
{
	return read_sample(cfg, region, rc, buf, now_ns, again, meta);
}

enum port_status port_queuing_recv(const struct port_cfg *cfg, const void *region,
				   struct port_reader *r, struct port_ack *ack,
				   struct port_stats *st, void *buf, uint32_t *len)
{
	uint32_t w = ld32(region, OFF_WRITE_IDX, __ATOMIC_ACQUIRE);
	uint32_t waiting = w - r->read_idx; /* mod 2^32: a lie shows up as > depth */
	uint32_t off = slot_off(cfg, r->read_idx), m1, m2, n;

	if (waiting == 0) {
		st->rd.empty_refusals++;
		return PORT_EMPTY;
	}
	if (waiting > cfg->depth) {
		st->rd.corrupt++;
		return PORT_CORRUPT;
	}
	if (waiting > st->max_depth)
		st->max_depth = waiting;
	st->sent = st->rd.received + waiting;
	m1 = ld32(region, off + OFF_MARK, __ATOMIC_ACQUIRE);
	n = ld32(region, off + OFF_SLOT_LEN, __ATOMIC_RELAXED);
	if (m1 != r->read_idx + 1 || n == 0 || n > cfg->message_bytes) {
		st->rd.corrupt++;
		return PORT_CORRUPT;
	}
	get_data(region, off + PORT_SLOT_HDR_BYTES, buf, n);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	m2 = ld32(region, off + OFF_MARK, __ATOMIC_RELAXED);
	if (m2 != m1 || ld32(region, off + OFF_SLOT_LEN, __ATOMIC_RELAXED) != n) {
		/* An honest source never writes an unread slot: this one was rewritten. */
		st->rd.corrupt++;
		return PORT_CORRUPT;
	}
	*len = n;
	r->read_idx++;
	st->rd.received++;
	/* Only now may the source reuse the slot. */
	__atomic_store_n(&ack->read_idx, r->read_idx, __ATOMIC_RELEASE);
	return PORT_OK;
}

uint32_t port_queuing_flush(const struct port_cfg *cfg, const void *region,
			    struct port_reader *r, struct port_ack *ack)
{
	uint32_t w = ld32(region, OFF_WRITE_IDX, __ATOMIC_ACQUIRE);
	uint32_t waiting = w - r->read_idx;

	r->read_idx = w;
	__atomic_store_n(&ack->read_idx, w, __ATOMIC_RELEASE);
	return waiting <= cfg->depth ? waiting : 0;
}

/* ---- Waking ---------------------------------------------------------------------- */

void port_wait_arm(uint32_t *waiting, uint32_t *signalled)
{
	step();
	__atomic_store_n(signalled, 0, __ATOMIC_RELAXED);
	step();
	__atomic_store_n(waiting, 1, __ATOMIC_RELAXED);
	/* The store of waiting before the waiter's last look at the queue. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void port_wait_disarm(uint32_t *waiting)
{
	step();
	__atomic_store_n(waiting, 0, __ATOMIC_RELAXED);
}

bool port_notify_take(const uint32_t *waiting, uint32_t *signalled)
{
	/* The notifier's change before its look at waiting. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	step();
	if (!__atomic_load_n(waiting, __ATOMIC_RELAXED))
		return false;
	step();
	return __atomic_exchange_n(signalled, 1, __ATOMIC_ACQ_REL) == 0;
}

bool port_send_wants_signal(const struct port_ack *ack)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	step();
	return __atomic_load_n(&ack->waiting, __ATOMIC_RELAXED) != 0;
}

bool port_recv_ready(const struct port_cfg *cfg, const void *region, const struct port_reader *r)
{
	return ld32(region, OFF_WRITE_IDX, __ATOMIC_ACQUIRE) != r->read_idx;
}

bool port_room_ready(const struct port_cfg *cfg, const void *region, const struct port_ack *ack)
{
	uint32_t w = ld32(region, OFF_WRITE_IDX, __ATOMIC_ACQUIRE);

	step();
	return w - __atomic_load_n(&ack->read_idx, __ATOMIC_RELAXED) < cfg->depth;
}

void port_stats_collect(const struct port_cfg *cfg, const void *region, struct port_stats *st)
{
	if (cfg->kind == PORT_QUEUING)
		st->full_refusals = ld32(region, OFF_FULL, __ATOMIC_RELAXED);
	else
		st->sent = ld32(region, OFF_SEQ, __ATOMIC_RELAXED) / 2;
}
