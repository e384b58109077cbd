/* A UART that records what was sent, for host tests of the console. */
#ifndef BULKHEAD_HAL_FAKE_UART_H
#define BULKHEAD_HAL_FAKE_UART_H
#include <stdbool.h>
#include "hal/console.h"

extern const struct uart_ops fake_uart_ops;
/* What the fake UART at base received (base is a struct fake_uart *). */
struct fake_uart {
	char out[4096];
	unsigned int len;
	int inits;
	/* Wedged: every putc gives up as a real one does after its bounded wait. */
	bool wedged;
	unsigned int timeouts;     /* putc calls that gave up */
	enum hal_err init_err;     /* what init returns */
	/* Called after each byte is accepted (e.g. to raise a fake interrupt), if set. */
	void (*after_putc)(struct fake_uart *u);
};
#endif
