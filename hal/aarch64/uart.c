#include "hal/console.h"
#include "hal/aarch64/mmio.h"

/* PL011 registers (Arm PrimeCell UART TRM); SBSA UART is the data/flag subset. */
enum {
	UART_DR = 0x000,
	UART_FR = 0x018,
	UART_IBRD = 0x024,
	UART_FBRD = 0x028,
	UART_LCR_H = 0x02c,
	UART_CR = 0x030,
	UART_IMSC = 0x038,
	UART_ICR = 0x044,
};
#define FR_TXFF (1u << 5)
#define FR_BUSY (1u << 3)
#define LCR_H_FEN (1u << 4)
#define LCR_H_WLEN_8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

/*
 * Polls of the flag register before giving up. Generous: one character at 9600 baud is
 * about 1 ms, far less than this many device reads on any core; only a UART that stopped
 * transmitting reaches it.
 */
#define UART_SPINS 1000000

/* Waits (bounded) until none of mask is set in the flag register. */
static enum hal_err wait_flags_clear(uintptr_t base, uint32_t mask)
{
	for (int i = 0; i < UART_SPINS; i++)
		if (!(mmio_read32(base + UART_FR) & mask))
			return HAL_OK;
	return HAL_ERR_UART_TIMEOUT;
}

static enum hal_err pl011_init(uintptr_t base)
{
	/* Keep the baud rate the firmware set (QEMU ignores it): only framing and enables. */
	enum hal_err e = wait_flags_clear(base, FR_BUSY);

	if (e != HAL_OK)
		return e; /* never reprogram a UART in the middle of a character */
	mmio_write32(base + UART_CR, 0);
	mmio_write32(base + UART_IMSC, 0);
	mmio_write32(base + UART_ICR, 0x7ff);
	mmio_write32(base + UART_LCR_H, LCR_H_WLEN_8 | LCR_H_FEN);
	mmio_write32(base + UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
	return HAL_OK;
}

static enum hal_err sbsa_init(uintptr_t base)
{
	(void)base; /* no line setup on the SBSA UART: the platform owns it */
	return HAL_OK;
}

static enum hal_err uart_putc(uintptr_t base, char c)
{
	enum hal_err e = wait_flags_clear(base, FR_TXFF);

	if (e == HAL_OK)
		mmio_write32(base + UART_DR, (uint8_t)c);
	return e;
}

const struct uart_ops uart_pl011_ops = { .name = "pl011", .init = pl011_init, .putc = uart_putc };
const struct uart_ops uart_sbsa_ops = { .name = "sbsa-uart", .init = sbsa_init, .putc = uart_putc };
