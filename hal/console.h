/*
 * UART drivers: several coexist at run time (the device tree picks), so an ops struct.
 * base is the virtual address of the mapped registers.
 */
#ifndef BULKHEAD_HAL_CONSOLE_H
#define BULKHEAD_HAL_CONSOLE_H

#include <stdint.h>
#include "hal/hal_error.h"

/* Every wait on the UART is bounded: a wedged UART gives HAL_ERR_UART_TIMEOUT, never a hang. */
struct uart_ops {
	const char *name;
	/* Make the UART able to transmit. May be called again (early console, then real). */
	enum hal_err (*init)(uintptr_t base);
	/* Transmit one byte, waiting (bounded) while the FIFO is full. */
	enum hal_err (*putc)(uintptr_t base, char c);
};

extern const struct uart_ops uart_pl011_ops; /* full PL011: line setup, then polling */
extern const struct uart_ops uart_sbsa_ops;  /* SBSA generic UART: data/flag only */

#endif
