/* A UART that records what was sent, for host tests of the console. */
#ifndef BULKHEAD_HAL_FAKE_UART_H
#define BULKHEAD_HAL_FAKE_UART_H
#include "hal/console.h"

extern const struct uart_ops fake_uart_ops;
/* What the fake UART at base received (base is a struct fake_uart *). */
struct fake_uart {
	char out[4096];
	unsigned int len;
	int inits;
};
#endif
