/*
 * UART drivers: several coexist at run time (the device tree picks), so an ops struct.
 * base is the virtual address of the mapped registers.
 */
#ifndef BULKHEAD_HAL_CONSOLE_H
#define BULKHEAD_HAL_CONSOLE_H

#include <stdint.h>

struct uart_ops {
	const char *name;
	/* Make the UART able to transmit. May be called again (early console, then real). */
	void (*init)(uintptr_t base);
	/* Transmit one byte, waiting while the FIFO is full. */
	void (*putc)(uintptr_t base, char c);
};

extern const struct uart_ops uart_pl011_ops; /* full PL011: line setup, then polling */
extern const struct uart_ops uart_sbsa_ops;  /* SBSA generic UART: data/flag only */

#endif
