#include "fake_uart.h"

static enum hal_err fake_init(uintptr_t base)
{
	struct fake_uart *u = (struct fake_uart *)base;

	u->inits++;
	return u->init_err;
}

static enum hal_err fake_putc(uintptr_t base, char c)
{
	struct fake_uart *u = (struct fake_uart *)base;

	if (u->wedged) {
		u->timeouts++;
		return HAL_ERR_UART_TIMEOUT;
	}
	if (u->len < sizeof(u->out) - 1)
		u->out[u->len++] = c;
	if (u->after_putc)
		u->after_putc(u);
	return HAL_OK;
}

const struct uart_ops fake_uart_ops = { "fake", fake_init, fake_putc };
