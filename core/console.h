/*
 * The kernel console: one UART, whole lines under a lock, "\n" sent as "\r\n".
 * The log's sink (core/log.h) writes through it.
 */
#ifndef BULKHEAD_CORE_CONSOLE_H
#define BULKHEAD_CORE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>
#include "core/lib/spinlock.h"
#include "hal/console.h"

struct console {
	const struct uart_ops *ops;
	uintptr_t base;
	struct spinlock lock;
	unsigned int (*cpu)(void); /* who is writing (for the lock's owner) */
};

/* ops->init is called. */
void console_init(struct console *c, const struct uart_ops *ops, uintptr_t base,
		  unsigned int (*cpu)(void));
/* Writes n bytes as one unit. If this CPU already holds the lock (a fault inside a
 * write), it writes without waiting rather than deadlock. */
void console_write(struct console *c, const char *s, size_t n);

#endif
