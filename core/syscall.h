/*
 * The system-call layer, in two steps (as seL4 does):
 *
 *   syscall_decode()  reads the call number and arguments from the caller's saved
 *                     registers, checks every argument (ranges, lengths, pointers through
 *                     core/uaccess.h against the caller's own mappings) and copies the
 *                     caller's input into kernel memory. May fail, with a precise error;
 *                     then it fills a record of the refusal and touches nothing else.
 *   syscall_invoke()  acts on a decoded call through the kernel's operations
 *                     (struct syscall_ops). Cannot fail.
 *
 * syscall_handle() is the kernel's entry: decode, then invoke, or for a refused call
 * log the violation and hand it to the health monitor (decode itself never logs); the
 * result goes to x0. The dispatch table is generated from the
 * ABI's call list (BH_SYSCALLS in include/bulkhead/abi.h), so numbers and names cannot
 * drift. docs/syscalls.md documents every check and error.
 */
#ifndef BULKHEAD_CORE_SYSCALL_H
#define BULKHEAD_CORE_SYSCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/cap.h"
#include "core/lib/compiler.h"
#include "core/uaccess.h"
#include "include/bulkhead/abi.h"

struct cap_table;
struct plan;
struct port_ops;

/*
 * The caller's saved x0..x8 in order: x8 is the call number, x0..x5 the arguments, x0
 * the result. An exception frame that saves x0..x30 in order starts with this.
 */
struct syscall_frame {
	uint64_t x[9];
};
#define SYSCALL_NR_REG 8

/* Who is calling: the running cell of the running partition. */
struct syscall_caller {
	const char *partition;           /* plan names, for events */
	const char *cell;
	uint32_t partition_index;
	uint32_t cell_index;
	bool periodic;                   /* the cell has a period (periodic_wait is allowed) */
	const struct uaccess_space *space; /* the partition's own mappings */
	/* Device and port calls: the caller's capability table (NULL: it holds none, every
	 * handle is bad-handle) and the plan (channel sizes, for core/port_sys.c). */
	const struct cap_table *caps;
	const struct plan *plan;
};

/* A port call (core/port_sys.c) whose handle and pointers passed every check. */
struct syscall_port_call {
	bh_cap_t handle;
	uint32_t chan;          /* the capability's channel (plan index) */
	uint32_t rights;        /* the capability's rights */
	uint32_t message_bytes; /* the channel's */
	uint64_t timeout_ns;    /* queuing_recv, queuing_wait_room */
	struct uaccess_span buf; /* sampling_read, queuing_recv: message_bytes writable */
	struct uaccess_span out; /* port_info: bh_port_info; sampling_read: bh_sample_meta */
	struct uaccess_memo memo; /* the decode's last page looked up (zeroed first) */
};

/* A call whose arguments passed every check, with the caller's input copied in. */
struct syscall_call {
	enum bh_sys nr;
	union {
		struct {
			enum bh_level level;
			size_t len;
			char text[BH_PRINT_MAX];
		} print;
		struct {
			int64_t until_ns;
		} timed_wait;
		struct {
			uint32_t code;
			size_t len;
			char msg[BH_PRINT_MAX];
		} raise_error;
		struct {
			/* checked writable, sizeof(struct bh_partition_status) bytes */
			struct uaccess_span out;
		} status;
		struct syscall_port_call port; /* BH_SYS_PORT_FIRST.. (core/port_sys.h) */
		struct {
			uint32_t slot;           /* the device capability's slot (checked) */
			struct uaccess_span out; /* device_info: checked writable */
			uint64_t timeout_ns;     /* irq_wait */
		} dev;
	};
};

#define SYSCALL_ARG_NONE 0xffu /* struct syscall_refusal.arg: no single argument is at fault */

/* Why a call was refused: what the syscall_violation event says. */
struct syscall_refusal {
	enum bh_err err;
	bool violation;       /* a misuse of the ABI (logged); false for invalid-mode, an
			       * answer about the caller's state */
	uint64_t nr;          /* the number as given (all 64 bits of x8) */
	const char *call;     /* the call's ABI name, or "unknown", "reserved-device",
			       * "reserved-port" */
	unsigned int arg;     /* the refused argument: 0..5 for x0..x5, or SYSCALL_ARG_NONE */
	uint64_t value;       /* its value */
	enum uaccess_err why; /* for bad-address: which check the range failed */
	uint64_t addr;        /* for bad-address: the first byte that failed */
	enum cap_err cap;     /* for bad-handle and a missing right: what cap_lookup said */
	uint64_t suppressed;  /* set by ops->violation_log: the caller's violations not logged
			       * since its last logged one (the event's `suppressed`) */
};

/*
 * What the kernel does for the calls; every member is set. Each op gets the context
 * the kernel passed to syscall_invoke and the caller. Ops that block or end the cell
 * (periodic_wait, timed_wait, yield, cell_stop) only record it for the scheduler, which
 * switches on the way out; they return normally.
 */
struct syscall_ops {
	int64_t (*time_ns)(void *ctx, const struct syscall_caller *c); /* >= 0 */
	/* Blocks the cell until its next release; returns that release time (>= 0). */
	int64_t (*periodic_wait)(void *ctx, const struct syscall_caller *c);
	void (*timed_wait)(void *ctx, const struct syscall_caller *c, int64_t until_ns);
	void (*heartbeat)(void *ctx, const struct syscall_caller *c);
	void (*raise_error)(void *ctx, const struct syscall_caller *c, uint32_t code,
			    const char *msg, size_t len);
	/* Fills what it knows; *out is zeroed before and `cell` set after. */
	void (*partition_status)(void *ctx, const struct syscall_caller *c,
				 struct bh_partition_status *out);
	void (*yield)(void *ctx, const struct syscall_caller *c);
	void (*cell_stop)(void *ctx, const struct syscall_caller *c);
	/* Device calls (slot: a device capability of the caller that carries the call's
	 * right). device_info fills what it knows (*out is zeroed before). irq_wait returns
	 * 0 if the device's interrupt is pending (then consumed), else blocks the cell for
	 * at most timeout_ns (UINT64_MAX: no limit; 0: do not block) and returns what the
	 * cell gets if nothing arrives (-BH_E_TIMEOUT); the kernel writes 0 into the
	 * cell's x0 when the interrupt wakes it. irq_ack unmasks the device's interrupts. */
	void (*device_info)(void *ctx, const struct syscall_caller *c, uint32_t slot,
			    struct bh_device_info *out);
	int64_t (*irq_wait)(void *ctx, const struct syscall_caller *c, uint32_t slot,
			    uint64_t timeout_ns);
	void (*irq_ack)(void *ctx, const struct syscall_caller *c, uint32_t slot);
	/* Usually syscall_print_event(). text holds len bytes of any content. */
	void (*print)(void *ctx, const struct syscall_caller *c, enum bh_level level,
		      const char *text, size_t len);
	/* syscall_handle refused a call as a violation: may it be logged now? (The kernel
	 * limits each partition's syscall_violation events; a false here is counted by the
	 * kernel and reported in why->suppressed of the next one logged.) */
	bool (*violation_log)(void *ctx, const struct syscall_caller *c,
			      struct syscall_refusal *why);
	/* syscall_handle refused a call as a violation and logged it (or not: see above): the health monitor's
	 * turn (the partition's syscall-violation policy). The caller still gets the error. */
	void (*violation)(void *ctx, const struct syscall_caller *c,
			  const struct syscall_refusal *why);
	/* The port calls' kernel side (core/port_sys.h); NULL: they answer not-implemented. */
	const struct port_ops *port;
};

/* The ABI name of a call number ("print"), or NULL for a number with no call. */
const char *syscall_name(uint64_t nr);

/*
 * Decodes the call in f for caller c into *call. Returns BH_OK, or the error the caller
 * gets (then *why says what was refused and *call is unusable). Reads partition memory
 * only through c->space; logs nothing, changes nothing.
 */
enum bh_err syscall_decode(const struct syscall_caller *c, const struct syscall_frame *f,
			   struct syscall_call *call, struct syscall_refusal *why) __must_check;

/* Carries out a decoded call; returns the caller's result. Every call defined now
 * returns >= 0 here; a call whose answer depends on the moment (a port with nothing to
 * read) may return such an answer as a negative error, never a violation. */
int64_t syscall_invoke(const struct syscall_ops *ops, void *ctx, const struct syscall_caller *c,
		       const struct syscall_call *call);

/* Decode, then invoke; or, for a refused call that is a violation, log it
 * (syscall_violation, warn) and tell ops->violation. Writes the result to f->x[0] and
 * returns it. */
int64_t syscall_handle(const struct syscall_ops *ops, void *ctx, const struct syscall_caller *c,
		       struct syscall_frame *f);

/* Logs the syscall_violation event of a refusal (sub "sys", warn). */
void syscall_log_violation(const struct syscall_caller *c, const struct syscall_refusal *why);

/* Logs the print event (sub "part", at the level asked for) with the text escaped. */
void syscall_print_event(const struct syscall_caller *c, enum bh_level level, const char *text,
			 size_t len);

#endif
