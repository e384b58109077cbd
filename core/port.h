/*
 * Sampling and queuing ports over one channel buffer (docs/channels.md).
 *
 * The channel's buffer (the "region") is written by the source partition directly and
 * read by the kernel on behalf of each destination (and, for a sampling channel, by a
 * destination's runtime through its read-only mapping, with the same reader). The source can put any bytes in
 * the region, so every reader function here trusts nothing in it: lengths and indices
 * are checked against the immutable struct port_cfg (kept by the kernel), every read
 * stays inside the region, every loop is bounded, and a message that changed while it
 * was copied is never returned. The reader's own state (struct port_reader) and the
 * kernel's counters (struct port_stats) live in kernel memory (a sampling destination's
 * own reads count in its read-count page, struct bh_read_counts); the consumer's read index is
 * published to the source through struct port_ack, which only the kernel writes.
 *
 * Writer functions (port_sampling_write, port_queuing_send) are what the source runs;
 * they trust the region because it is the source's own memory.
 *
 * Region layout (little endian, every field naturally aligned, region 8-aligned):
 *   sampling: u32 seq @0 (odd: a write is in progress; 0: never written),
 *             u32 len @4, u64 stamp_ns @8, data @16 (message_bytes rounded up to 8)
 *   queuing:  u32 write_idx @0 (messages published, free running),
 *             u32 full_refusals @4 (the source's own count), u64 reserved @8,
 *             then depth slots: u32 mark @0 (message number + 1 once complete),
 *             u32 len @4, data @8 (message_bytes rounded up to 8)
 */
#ifndef BULKHEAD_CORE_PORT_H
#define BULKHEAD_CORE_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "dt/plan.h"
#include "include/bulkhead/abi.h"

#define PORT_HDR_BYTES BH_PORT_HDR_BYTES
#define PORT_SLOT_HDR_BYTES BH_PORT_SLOT_HDR_BYTES
#define PORT_READ_TRIES 4u /* sampling: copies tried while the source keeps writing */

enum port_kind { PORT_SAMPLING, PORT_QUEUING };

enum port_status {
	PORT_OK = 0,
	PORT_EMPTY,   /* queuing: no message; sampling: never written */
	PORT_FULL,    /* queuing send: depth messages are unread */
	PORT_BUSY,    /* sampling read: a write was in progress on every try */
	PORT_CORRUPT, /* the region's metadata contradicts the plan (a hostile source) */
	PORT_TOOBIG,  /* send/write: length 0 or above message-bytes */
	PORT_STATUS_COUNT,
};
const char *port_status_name(enum port_status s);
/* The ABI result a call returns: ok, not-available (empty, full, busy, corrupt),
 * too-long. */
enum bh_err port_status_to_bh(enum port_status s);

/* The channel as the plan fixes it; the kernel keeps it, never the region. */
struct port_cfg {
	enum port_kind kind;
	uint32_t message_bytes; /* 1..PLAN_MAX_MESSAGE_BYTES */
	uint32_t depth;         /* queuing: 1..PLAN_MAX_DEPTH; sampling: 1 */
	uint64_t refresh_ns;    /* sampling: valid while age <= refresh_ns */
	uint32_t data_bytes;    /* message_bytes rounded up to 8 */
	uint32_t region_bytes;  /* the region's size */
};

enum port_cfg_err { PORT_CFG_OK = 0, PORT_CFG_RANGE };
/* From a checked plan channel; PORT_CFG_RANGE if its sizes are outside the schema. */
enum port_cfg_err port_cfg_from_plan(const struct plan_channel *ch, struct port_cfg *out) __must_check;

/* Written by the kernel only (mapped read-only into the source). */
struct port_ack {
	uint32_t read_idx; /* queuing: messages the destination has received */
	uint32_t waiting;  /* nonzero while a destination cell waits for a message: the
			      source's runtime then calls port_signal after a send */
};

/* The kernel's per-destination state. Zero it at start (and at a channel reset). */
struct port_reader {
	uint32_t read_idx; /* queuing: next message number to receive */
};

/* Per destination (channel_stats), kept by the kernel for the reads it makes. */
struct port_stats {
	uint64_t sent;            /* queuing: received + what was waiting at the last
				     receive; sampling: writes the source claims (seq / 2,
				     port_stats_collect) */
	struct bh_read_counts rd; /* received, stale, empty, busy, corrupt */
	uint64_t full_refusals;   /* as the source's region reports it (port_stats_collect) */
	uint32_t max_depth;       /* queuing: most messages seen waiting */
	uint64_t woken;           /* queuing: waiting receives woken by a notification
				     (counted by the kernel, channels_wake_mask) */
};

/* Zeroes a region of cfg->region_bytes (before the source's first start). */
void port_region_init(const struct port_cfg *cfg, void *region);

/* ---- Source side (the region is the source's own memory) ----------------------- */

/* Replaces the sample with len bytes of msg, stamped now_ns. */
enum port_status port_sampling_write(const struct port_cfg *cfg, void *region, const void *msg,
				     uint32_t len, uint64_t now_ns) __must_check;
/* Appends a message unless depth are unread (ack is the kernel's read index). */
enum port_status port_queuing_send(const struct port_cfg *cfg, void *region,
				   const struct port_ack *ack, const void *msg,
				   uint32_t len) __must_check;

/* ---- Destination side (the kernel's, and a sampling destination's runtime's; the
 * region is untrusted) ---------------------------------------------------------- */

/*
 * The latest sample into buf (cfg->message_bytes writable), counted in *n (relaxed
 * atomic adds: a destination's cells may preempt each other's reads at EL0). now_ns is
 * the reader's clock before the read; again (may be NULL) reads it anew, and is called
 * when the stamp read is later than now_ns (a write that landed since), so an honest
 * sample is never judged by a clock older than its stamp. On PORT_OK: *len
 * (1..message_bytes), *age_ns = now - stamp (0 for a stamp still in the future),
 * *valid = age <= refresh and the stamp not in the future. buf is unspecified unless
 * PORT_OK. Run by the kernel (sampling_read) and by a destination's runtime over its
 * read-only mapping of the region alike: nothing in the region is trusted either way.
 */
enum port_status port_sampling_read(const struct port_cfg *cfg, const void *region,
				    struct bh_read_counts *n, void *buf, uint32_t *len,
				    uint64_t now_ns, uint64_t (*again)(void), uint64_t *age_ns,
				    bool *valid) __must_check;
/* port_sampling_read with the results as the ABI's struct bh_sample_meta (written on
 * PORT_OK only; meta 8-aligned): the form the kernel's direct path writes straight
 * into the caller's memory, and the runtime's read. */
enum port_status port_sampling_read_meta(const struct port_cfg *cfg, const void *region,
					 struct bh_read_counts *n, void *buf, uint64_t now_ns,
					 uint64_t (*again)(void), struct bh_sample_meta *meta) __must_check;
/* The oldest message into buf (cfg->message_bytes writable); advances r and ack. */
enum port_status port_queuing_recv(const struct port_cfg *cfg, const void *region,
				   struct port_reader *r, struct port_ack *ack,
				   struct port_stats *st, void *buf, uint32_t *len) __must_check;

/*
 * The destination restarted (docs/channels.md, "Restarts"): every message waiting is
 * dropped. r moves to the source's write index and is published in ack, so the source
 * may reuse every slot; returns how many were dropped (0 for a write index more than
 * depth ahead, which is the source's lie: the queue is emptied all the same).
 */
uint32_t port_queuing_flush(const struct port_cfg *cfg, const void *region,
			    struct port_reader *r, struct port_ack *ack);

/* ---- Waking a waiting cell (docs/channels.md, "Waiting") ------------------------
 *
 * A waiter publishes `waiting` and then looks at the queue once more; a notifier
 * changes the queue and then looks at `waiting`. Both put a full barrier between their
 * store and their load, so at least one of them sees the other's store: either the
 * waiter finds the change and does not sleep, or the notifier sees it waiting and
 * tells its CPU. `signalled` (kernel memory) lets one notification through per arming:
 * a source that calls port_signal in a loop makes the destination's CPU take at most
 * one interrupt per wait, however often it calls.
 */

/* The waiter (the kernel, on the waiter's CPU): arm before the last look. */
void port_wait_arm(uint32_t *waiting, uint32_t *signalled);
/* The waiter stops waiting (no cell of it waits any more). */
void port_wait_disarm(uint32_t *waiting);
/* The notifier, after its change: true (once per arming) if the waiter's CPU must be
 * told. */
bool port_notify_take(const uint32_t *waiting, uint32_t *signalled);

/* After a send (the source's runtime): true if a destination cell waits, so the source
 * should make the port_signal call. Includes the barrier after the send. */
bool port_send_wants_signal(const struct port_ack *ack);

/* Would a waiting receive find something now? (A message, or metadata it refuses: either
 * way the call returns instead of sleeping.) */
bool port_recv_ready(const struct port_cfg *cfg, const void *region, const struct port_reader *r);
/* Would a send find room now? (The source's own index against the kernel's.) */
bool port_room_ready(const struct port_cfg *cfg, const void *region, const struct port_ack *ack);

/* At shutdown: the source-reported counts into st (full refusals; a sample's sent). */
void port_stats_collect(const struct port_cfg *cfg, const void *region, struct port_stats *st);

#ifdef BH_HOST
/* Host tests only: called before every access to the region, to interleave a writer
 * and a reader step by step. */
extern void (*port_test_step_hook)(void);
#endif

#endif
