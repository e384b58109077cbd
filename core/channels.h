/*
 * Channels in the running kernel (docs/channels.md): the regions and ack pages carved
 * at boot from the RAM the plan leaves free (plan_memory_map.channels, sized by
 * plan_channel_bytes), each source's regions mapped read-write into its space (ack
 * pages read-only), each sampling region read-only into its destinations with a
 * read-count page of each one's own (read-write), the memory of every partition's
 * capability table, the kernel side of the port calls (struct port_ops over
 * core/port.c), the idle CPU's receive and port_signal's targets for the fast paths,
 * and channel_stats at shutdown.
 *
 * Concurrency: a channel's region is written by its source (any CPU) and read by the
 * kernel on each destination's CPU, and by a sampling destination's runtime; everything
 * else here has one writer: a destination's reader state, counters and wait record are
 * written only on the CPU the plan places that destination on, its read-count page by
 * that destination. No lock.
 */
#ifndef BULKHEAD_CORE_CHANNELS_H
#define BULKHEAD_CORE_CHANNELS_H

#include <stdbool.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "dt/plan.h"
#include "hal/pgtable.h"

struct cap_entry;
struct cap_table;
struct port_ops;
struct uaccess_fast;

/* What the channels need of the running kernel. */
struct channels_env {
	uint64_t (*now_ns)(void); /* ns since the schedule epoch */
	/* Put the calling cell (ctx: syscall_invoke's context) to sleep until until_ns
	 * (since the epoch); when it wakes it makes the same call again. */
	void (*sleep_rerun)(void *ctx, uint64_t until_ns);
	/* A cell of partition part may now end its wait (channels_wake_mask says which):
	 * tell part's CPU if part holds it; otherwise its next window looks. Called on
	 * the notifying partition's CPU, in its call. */
	void (*notify)(unsigned int part);
	/* The plan's partitions' bytes of channels_waiting, zeroed (the caller sizes them
	 * from the plan). */
	uint8_t *waiting;
};

/* How long a waiting receiver or sender sleeps at most before it looks at its queue
 * again without a notification (its own timer, in its own windows): the bound on a
 * notification that never comes (a source that writes its region without
 * port_signal). A wait still ends at its timeout. */
#define CHANNELS_FALLBACK_NS 1000000ULL

/*
 * Boot CPU, before the partitions load: the kernel's state and the regions and ack
 * pages inside mem (exactly plan_channel_bytes(p) bytes), zeroed; the state includes
 * the memory of every partition's capability table (channels_cap_slots). False (logged
 * as channels_refused) if the plan's channels or the memory do not fit.
 */
bool channels_init(const struct plan *p, const struct pa_range *mem,
		   const struct channels_env *env) __must_check;

/* Map partition part's channel pages into its table (BH_CHANNEL_VA.., channel order,
 * plan_channel_mapped_bytes): as a source its regions (RW) and ack pages (RO), as a
 * sampling destination the regions (RO) and its read-count pages (RW). False if the
 * pool runs out. */
bool channels_map(unsigned int part, struct pt_pool *pool, uint64_t *root) __must_check;

/* The memory of partition part's capability table, carved from the channel block
 * (plan_channel_state_bytes reserves a slot per device and port end): *n entries,
 * exactly cap_plan_grants(plan, part). NULL (and *n 0) before channels_init. The table
 * itself is built and used by core/devices.c. */
struct cap_entry *channels_cap_slots(unsigned int part, size_t *n);

/* The kernel side of the port calls. */
extern const struct port_ops channels_port_ops;

/*
 * sampling_read and queuing_recv (nr; x: the caller's x0..x2) of cell of partition
 * part, carried out directly when nothing in them can be refused and the call does not
 * wait: the handle names a port of kind nr's with the read right in caps by direct
 * index (cap_lookup_direct), buf (message-bytes) and, for sampling_read, the meta lie
 * wholly in part's writable RAM (uaccess_fast_writable), and a queuing_recv with a
 * timeout finds a message waiting. The message is copied straight from the region into
 * the caller's buffer (on not-available the buffer may hold what was copied). Returns
 * the call's result, counted as the full path counts it, or CHANNELS_NOT_DIRECT:
 * nothing was done or counted, the caller runs the full path (which refuses and logs,
 * or waits).
 */
#define CHANNELS_NOT_DIRECT INT64_MIN
int64_t channels_read_direct(unsigned int part, uint32_t cell, const struct cap_table *caps,
			     const struct uaccess_fast *wr, uint64_t nr, const uint64_t *x) __must_check;

/* What port_signal reads and writes for capability e (NULL allowed) when it is the
 * source's port of a queuing channel: the destination's waiting word, the channel's
 * signalled word (port_notify_take's two) and the destination partition. False for any
 * other capability. For the synchronous vector's table (core/run_fast.c). */
struct channels_signal {
	uint32_t *waiting, *signalled;
	unsigned int dest;
};
bool channels_signal_target(const struct cap_entry *e, struct channels_signal *out) __must_check;

/* port_signal (handle: the caller's x0) by direct index: 0, or CHANNELS_NOT_DIRECT
 * (nothing done: the full path refuses and logs). */
int64_t channels_signal_direct(const struct cap_table *caps, uint64_t handle) __must_check;

/*
 * On the CPU of partition part, when part holds it (its window begins, or that CPU was
 * told): the cells of part (bit per enum plan_cell_kind) whose channel wait can end now
 * (a message or room, or metadata the call will refuse). Their calls run again when
 * woken.
 */
uint32_t channels_wake_mask(unsigned int part);
/*
 * A cell of channels_wake_mask was woken (a receive's is counted in channel_stats as
 * woken); x: its saved x0..x8, the registers of the call it sleeps in. A receive is
 * carried out for it now, as the direct path would when the call ran again, with the
 * same checks (the handle by direct index, the buffer in part's writable ranges), and
 * x[0] is the call's result: true, the cell goes on after its svc. False: nothing more
 * was done (a wait for room, a buffer outside the quick ranges): the call runs again.
 * On part's CPU while part holds it.
 */
bool channels_woken(unsigned int part, uint32_t cell, const struct cap_table *caps,
		    const struct uaccess_fast *wr, uint64_t *x) __must_check;

/*
 * An idle CPU's foresight (the idle loop's wake-up step, core/run.c): cell of part
 * waits in queuing_recv, and x (its saved x0..x8) names the wait's handle, a port of
 * the channel it waits on by direct index in caps, and a buffer wholly in part's
 * writable RAM: what channels_woken would check at the wake-up, checked before the CPU
 * sleeps. *out says where the receive goes. False: not such a wait (the wake-up takes
 * the full path).
 */
struct channels_idle {
	void *chan;   /* the channel (opaque) */
	uint8_t *buf; /* the cell's buffer, kernel alias */
};
bool channels_idle_foresee(unsigned int part, uint32_t cell, const struct cap_table *caps,
			   const struct uaccess_fast *wr, const uint64_t *x,
			   struct channels_idle *out) __must_check;
/*
 * At the wake-up, on part's CPU while part holds it, nothing having run since
 * channels_idle_foresee: if a message waits, the receive channels_woken would carry out
 * (counted as woken), its result returned; else CHANNELS_NOT_DIRECT, nothing done.
 */
int64_t channels_idle_recv(unsigned int part, uint32_t cell, const struct channels_idle *ci) __must_check;

/* Per partition (channels_env.waiting), a bit per cell that waits on a channel (written
 * on the partition's CPU only): the look at a window's start costs nothing when none
 * does. */
extern uint8_t *channels_waiting;

/*
 * A warm or cold restart of partition part (docs/channels.md, "Restarts"): its cells'
 * waits are forgotten, and each queuing channel it is the destination of is emptied
 * (the kernel's read index moves to the source's write index and is published in the
 * ack word: the messages waiting are dropped, counted in restart_drops). Its sampling
 * ports and the regions it is the source of are left as they are. On the CPU the plan
 * places part on.
 */
void channels_partition_reset(unsigned int part);

/* A cell restart: cell of part no longer waits in a port call. */
void channels_cell_reset(unsigned int part, uint32_t cell);

/* At shutdown: one channel_stats event per channel. */
void channels_shutdown(void);

#endif
