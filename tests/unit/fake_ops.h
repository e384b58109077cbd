/*
 * The kernel's side of the call layer, faked for tests/unit/test_syscall*.c: operations
 * that count and record every call (struct syscall_ops), a captured log, two callers
 * (partition A's periodic cell, partition B's aperiodic one, on tests/unit/fake_space.h)
 * and helpers that make a call and check its outcome.
 */
#ifndef BULKHEAD_TESTS_UNIT_FAKE_OPS_H
#define BULKHEAD_TESTS_UNIT_FAKE_OPS_H

#include <stddef.h>
#include <stdint.h>
#include "core/syscall.h"
#include "jsonl.h"

enum fake_op { OP_TIME, OP_PWAIT, OP_TWAIT, OP_BEAT, OP_RAISE, OP_STATUS, OP_YIELD, OP_STOP,
	       OP_PRINT, OP_DEVINFO, OP_IRQ_WAIT, OP_IRQ_ACK, OP_COUNT };

/* What the ops saw since the last reset. */
struct fake_rec {
	unsigned int count[OP_COUNT];
	unsigned int total;
	const struct syscall_caller *caller;
	int64_t until_ns;
	uint32_t code;
	enum bh_level level;
	char text[BH_PRINT_MAX + 1];
	size_t len;
	uint32_t slot;        /* device calls: the slot decode resolved */
	uint64_t timeout_ns;  /* irq_wait */
	bool mute;               /* violation_log answers false */
	uint64_t suppressed_next; /* what violation_log reports as suppressed */
	unsigned int violations; /* ops->violation calls (not in total: not an invoke) */
	struct syscall_refusal last_violation;
};

#define FAKE_TIME_NS 123456789   /* what time_ns answers */
#define FAKE_RELEASE_NS 2000000  /* what periodic_wait answers */
#define FAKE_FRAME_NS 10000000   /* partition_status: major_frame_ns (with index and mode,
				  * the only fields the op fills) */

struct fake_log {
	char buf[16384];
	size_t len;
	unsigned int lines;
	uint64_t now; /* the lines' ts */
};

extern struct fake_rec fake_rec;
extern const struct syscall_ops fake_ops;
extern struct fake_log fake_log;
extern struct syscall_caller caller_a, caller_b;
/* Capability tables: A (index 0) holds device slots 0 (map, irq) and 1 (map only: no
 * interrupts) and a port in slot 2; B (index 1) holds one device (map, irq). */
extern struct cap_table caps_a, caps_b;
#define FAKE_DEV_VA 0x40000000ull /* what device_info answers for va (plus the slot) */

/* Criterion .init/.fini: fresh spaces, ops, log (level debug, ts 42, cpu 1), callers. */
void fake_ops_setup(void);
void fake_ops_teardown(void);
void fake_reset(void); /* forget what the ops and the log saw */

/* x8 = nr, x0..x2 = a0..a2, garbage in x3..x7 (unused registers must not matter). */
struct syscall_frame fake_frame(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);
/* syscall_handle on such a frame; checks that x0 holds the result and x1..x8 are kept. */
int64_t sys(const struct syscall_caller *c, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);
/* The log holds exactly one line; parses it into *o. */
void only_line(struct jobj *o);
/*
 * A refused call: its error in x0, no op reached, exactly one syscall_violation line
 * with these fields. arg < 0: no argument named; why: the bad-address rule, or NULL.
 */
void expect_violation(const struct syscall_caller *c, uint64_t nr, uint64_t a0, uint64_t a1,
		      uint64_t a2, enum bh_err err, const char *call, const char *errname, int arg,
		      const char *why);

#endif
