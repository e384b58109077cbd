/*
 * The kernel console: one UART, whole lines under a lock, "\n" sent as "\r\n".
 * The log's sink (core/log.h) writes through it. Its lock is taken in thread and in
 * interrupt context, so it is held with this CPU's interrupts masked.
 *
 * Two ways in. console_write sends a line at once, waiting for the lock (the boot, the
 * fatal and the shutdown paths). Once the schedule runs, lines wait in their CPU's ring
 * (core/logring.h) and console_drain sends them in a CPU's idle time: it never waits for
 * the lock (another CPU draining has it), and it stops between two bytes when this CPU
 * has an interrupt pending or its next timer is too near for another byte. A line a
 * drain stopped in is finished first by whoever holds the console next, so no other
 * line ever splits it.
 */
#ifndef BULKHEAD_CORE_CONSOLE_H
#define BULKHEAD_CORE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/spinlock.h"
#include "core/logring.h"
#include "hal/console.h"
#include "hal/hal_error.h"

struct console {
	const struct uart_ops *ops;
	uintptr_t base;
	struct spinlock lock;
	unsigned int (*cpu)(void); /* who is writing (for the lock's owner) */
	enum hal_err last_err;     /* the UART's last error (HAL_OK if none yet) */
	uint32_t dropped;          /* writes cut short because the UART timed out */
	/* Test hook (test_uart_ns): counter ticks each byte costs beyond the UART's own
	 * time, spent with the lock held, and the counter to spend them on (NULL: none). */
	uint64_t (*slow_clock)(void);
	uint64_t slow_ticks_per_byte;
	/* The CPUs' rings the drain empties (NULL until console_set_rings), and the line in
	 * flight: ring cur's oldest line has its first off bytes sent (cur -1: none).
	 * Written only with the lock held. */
	struct logring *rings;
	unsigned int n_rings;
	int cur;
	uint32_t off;
	/* The slowest byte a drain has sent so far, in ticks (at most the rule's cap): how
	 * far ahead of a deadline a drain stops. */
	uint64_t byte_ticks;
};

/* When a drain stops: before each byte, if rule->irq_pending(), or if now plus the
 * slowest byte so far plus slack reaches deadline. */
struct console_drain_rule {
	uint64_t (*now)(void);     /* counter ticks */
	bool (*irq_pending)(void); /* an interrupt waits for this CPU */
	uint64_t deadline;         /* this CPU's next timer interrupt (UINT64_MAX: none) */
	uint64_t slack;            /* ticks kept clear before it: the way from the drain to WFI */
	uint64_t byte_cap;         /* a byte slower than this (the host held the CPU) is not
	                            * learnt as the console's cost */
};

/* ops->init is called; if it fails, last_err says so and writes are still tried. */
void console_init(struct console *c, const struct uart_ops *ops, uintptr_t base,
		  unsigned int (*cpu)(void));
/*
 * Writes n bytes as one unit, with this CPU's interrupts masked while the lock is held
 * (an interrupt that logs waits for the line in progress). A line a drain left half
 * sent is finished first. If this CPU already holds the lock (a fault inside a write or
 * a drain), it writes without waiting rather than deadlock, after a "\n" that ends a
 * line it was cut in. If the UART times out, the rest of the write is dropped (dropped
 * counts it): a wedged UART costs one bounded wait per write, never a hang.
 */
void console_write(struct console *c, const char *s, size_t n);
/*
 * Test hook: from now on every byte written costs ticks_per_byte more ticks of clock,
 * spent inside console_write (and console_drain, after each byte) with the lock held
 * and interrupts masked, as each byte costs a Xen guest a trap into the hypervisor's
 * emulated UART. 0 turns it off.
 */
void console_set_slow(struct console *c, uint64_t (*clock)(void), uint64_t ticks_per_byte);

/*
 * Takes the console for good (waiting for the lock), with this CPU's interrupts masked:
 * this CPU's later lines still go out (it holds the lock), another CPU's wait. Called just
 * before the power goes off, so that no other CPU starts a line the power-off would cut.
 */
void console_hold(struct console *c);
/* Boot, before the first drain: rings[0..n-1] are the CPUs' rings. */
void console_set_rings(struct console *c, struct logring *rings, unsigned int n);
/*
 * Sends the rings' lines, oldest time stamp first, a byte at a time, until they are
 * empty or rule says stop; returns at once if another CPU holds the console. Interrupts
 * are masked while it holds the lock (the caller's state is restored). Returns true if
 * it left every ring empty.
 */
bool console_drain(struct console *c, const struct console_drain_rule *rule);
/*
 * Sends the lines in the rings, waiting for the lock (the shutdown and fatal paths),
 * until rule says stop (its deadline: a backlog must not outlast a watchdog); the lines
 * left are dropped and counted in their rings' dropped. Does nothing on a CPU that
 * already holds the lock (a fault inside a drain).
 */
void console_flush(struct console *c, const struct console_drain_rule *rule);

#endif
