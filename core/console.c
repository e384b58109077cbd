#include "core/console.h"

void console_init(struct console *c, const struct uart_ops *ops, uintptr_t base,
		  unsigned int (*cpu)(void))
{
	c->ops = ops;
	c->base = base;
	c->cpu = cpu;
	c->lock = (struct spinlock){ 0, 0 };
	ops->init(base);
}

void console_write(struct console *c, const char *s, size_t n)
{
	unsigned int me = c->cpu();
	bool recursive = spin_held_by(&c->lock, me);

	if (!recursive)
		spin_lock(&c->lock, me);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			c->ops->putc(c->base, '\r');
		c->ops->putc(c->base, s[i]);
	}
	if (!recursive)
		spin_unlock(&c->lock);
}
