/*
 * The kernel console: one UART, whole lines under a lock, "\n" sent as "\r\n".
 * The log's sink (core/log.h) writes through it. Its lock is taken in thread and in
 * interrupt context, so it is held with this CPU's interrupts masked.
 */
#ifndef BULKHEAD_CORE_CONSOLE_H
#define BULKHEAD_CORE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>
#include "core/lib/spinlock.h"
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
};

/* ops->init is called; if it fails, last_err says so and writes are still tried. */
void console_init(struct console *c, const struct uart_ops *ops, uintptr_t base,
		  unsigned int (*cpu)(void));
/*
 * Writes n bytes as one unit, with this CPU's interrupts masked while the lock is held
 * (an interrupt that logs waits for the line in progress). If this CPU already holds
 * the lock (a fault inside a write), it writes without waiting rather than deadlock.
 * If the UART times out, the rest of the write is dropped (dropped counts it): a
 * wedged UART costs one bounded wait per write, never a hang.
 */
void console_write(struct console *c, const char *s, size_t n);
/*
 * Test hook: from now on every byte written costs ticks_per_byte more ticks of clock,
 * spent inside console_write with the lock held and interrupts masked, as each byte
 * costs a Xen guest a trap into the hypervisor's emulated UART. 0 turns it off.
 */
void console_set_slow(struct console *c, uint64_t (*clock)(void), uint64_t ticks_per_byte);

#endif
