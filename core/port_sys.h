/*
 * The port calls (BH_SYS_PORT_FIRST..: port_info, sampling_read, queuing_recv,
 * queuing_wait_room, port_signal; docs/syscalls.md, docs/channels.md), in the two steps
 * of core/syscall.h: port_sys_decode() checks the handle against the caller's
 * capability table (kind port, the call's right) and every pointer against the
 * caller's mappings, and copies nothing; port_sys_invoke() hands the checked call to
 * the kernel's struct port_ops. syscall_decode/syscall_invoke route the port range here.
 */
#ifndef BULKHEAD_CORE_PORT_SYS_H
#define BULKHEAD_CORE_PORT_SYS_H

#include <stdint.h>
#include "core/lib/compiler.h"
#include "core/syscall.h"

/* What an op returns when it put the calling cell to sleep: the call runs again, with
 * the same registers, when the cell wakes (a waiting queuing_recv or wait_room). */
#define PORT_SYS_SLEEP INT64_MIN

/* The kernel side of the port calls. Each gets the decoded call (handle checked,
 * pointers checked writable) and writes the caller's buffers itself (uaccess_write). */
struct port_ops {
	void (*info)(void *ctx, const struct syscall_caller *c, const struct syscall_port_call *pc,
		     struct bh_port_info *out); /* *out zeroed before */
	/* The latest sample to pc->buf, its bh_sample_meta to pc->out: 0, or -BH_E_AGAIN. */
	int64_t (*sampling_read)(void *ctx, const struct syscall_caller *c,
				 const struct syscall_port_call *pc);
	/* The oldest message to pc->buf: its length, -BH_E_AGAIN (empty, no timeout),
	 * -BH_E_TIMEOUT, or PORT_SYS_SLEEP. */
	int64_t (*queuing_recv)(void *ctx, const struct syscall_caller *c,
				const struct syscall_port_call *pc);
	/* 0 once the queue has room; -BH_E_AGAIN, -BH_E_TIMEOUT, or PORT_SYS_SLEEP. */
	int64_t (*wait_room)(void *ctx, const struct syscall_caller *c,
			     const struct syscall_port_call *pc);
	int64_t (*signal)(void *ctx, const struct syscall_caller *c,
			  const struct syscall_port_call *pc);
};

/* The ABI name of a port call number, or NULL. */
const char *port_sys_name(uint64_t nr);

/* nr in BH_SYS_PORT_FIRST..BH_SYS_PORT_LAST. As syscall_decode; an undefined number of
 * the range is unknown-call ("reserved-port"). */
enum bh_err port_sys_decode(const struct syscall_caller *c, const struct syscall_frame *f,
			    struct syscall_call *call, struct syscall_refusal *why) __must_check;

/*
 * The fast path of the calls made at every message (sampling_read, queuing_recv,
 * port_signal): the same checks and the same ops as decode then invoke, without the
 * generic dispatch. True: the call was carried out and f->x[0] holds its result (the
 * op may have put the cell to sleep, as through invoke). False: nothing was done (any
 * other call, or any refusal); the caller runs the full path, which refuses the call
 * precisely and logs the violation.
 */
bool port_sys_fast(const struct syscall_ops *ops, void *ctx, const struct syscall_caller *c,
		   struct syscall_frame *f);

int64_t port_sys_invoke(const struct syscall_ops *ops, void *ctx, const struct syscall_caller *c,
			const struct syscall_call *call);

#endif
