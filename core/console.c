#include "core/console.h"
#include "hal/cpu.h"

void console_init(struct console *c, const struct uart_ops *ops, uintptr_t base,
		  unsigned int (*cpu)(void))
{
	c->ops = ops;
	c->base = base;
	c->cpu = cpu;
	c->lock = (struct spinlock){ 0, 0 };
	c->dropped = 0;
	c->slow_clock = NULL;
	c->slow_ticks_per_byte = 0;
	c->last_err = ops->init(base);
}

/* Sends s, "\n" as "\r\n"; stops at the first UART error. */
static enum hal_err put_all(const struct console *c, const char *s, size_t n)
{
	enum hal_err e = HAL_OK;

	for (size_t i = 0; i < n && e == HAL_OK; i++) {
		if (s[i] == '\n')
			e = c->ops->putc(c->base, '\r');
		if (e == HAL_OK)
			e = c->ops->putc(c->base, s[i]);
	}
	return e;
}

void console_write(struct console *c, const char *s, size_t n)
{
	/* Masked before the lock is taken, restored after it is given back: an interrupt
	 * on this CPU can never find the lock held by the code it interrupted. */
	cpu_irq_state irq = cpu_irq_save();
	unsigned int me = c->cpu();
	bool recursive = spin_held_by(&c->lock, me);

	if (!recursive)
		spin_lock(&c->lock, me);
	enum hal_err e = put_all(c, s, n);

	if (c->slow_clock) {
		uint64_t t0 = c->slow_clock(), ticks = c->slow_ticks_per_byte * n;

		while (c->slow_clock() - t0 < ticks)
			;
	}

	if (e != HAL_OK) {
		c->last_err = e;
		c->dropped++;
	}
	if (!recursive)
		spin_unlock(&c->lock);
	cpu_irq_restore(irq);
}

void console_set_slow(struct console *c, uint64_t (*clock)(void), uint64_t ticks_per_byte)
{
	c->slow_ticks_per_byte = ticks_per_byte;
	c->slow_clock = ticks_per_byte ? clock : NULL;
}
