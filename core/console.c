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
	c->rings = NULL;
	c->n_rings = 0;
	c->cur = -1;
	c->off = 0;
	c->byte_ticks = 0;
	c->last_err = ops->init(base);
}

/* The test hook's cost of n bytes (nothing unless console_set_slow asked for it). */
static void spend(const struct console *c, size_t n)
{
	if (c->slow_clock) {
		uint64_t t0 = c->slow_clock(), ticks = c->slow_ticks_per_byte * n;

		while (c->slow_clock() - t0 < ticks)
			;
	}
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

/* ---- Lines from the rings, a byte at a time (lock held) -------------------------- */

struct drain_run {
	struct console *c;
	const struct console_drain_rule *rule; /* NULL: never stop (a flush) */
	uint64_t last;                         /* when the last byte began (0: none yet) */
};

static bool put_byte(void *ctx, char ch)
{
	struct drain_run *d = ctx;
	struct console *c = d->c;
	enum hal_err e = put_all(c, &ch, 1);

	spend(c, 1);
	if (e != HAL_OK) {
		c->last_err = e;
		c->dropped++;
	}
	return e == HAL_OK;
}

/* Asked before each byte. The time since the last ask is what one byte took. */
static bool drain_stop(void *ctx)
{
	struct drain_run *d = ctx;
	const struct console_drain_rule *r = d->rule;
	struct console *c = d->c;

	if (!r)
		return false;
	uint64_t now = r->now();

	if (d->last) {
		uint64_t took = now - d->last;

		if (took > r->byte_cap)
			took = r->byte_cap;
		if (took > c->byte_ticks)
			c->byte_ticks = took;
	}
	d->last = now;
	if (r->irq_pending())
		return true;
	return now >= r->deadline || r->deadline - now <= c->byte_ticks + r->slack;
}

/* The ring whose oldest line is the oldest of all (the lowest CPU on a tie), or -1. */
static int oldest_ring(const struct console *c)
{
	uint64_t best_ts = UINT64_MAX, ts;
	uint32_t len;
	int best = -1;

	for (unsigned int i = 0; i < c->n_rings; i++)
		if (logring_peek(&c->rings[i], &ts, &len) && (best < 0 || ts < best_ts)) {
			best = (int)i;
			best_ts = ts;
		}
	return best;
}

/* The line in flight first, then the oldest line, and so on; true when all are out. */
static bool drain_rings(struct drain_run *d)
{
	struct console *c = d->c;

	for (;;) {
		if (c->cur < 0) {
			c->cur = oldest_ring(c);
			c->off = 0;
			if (c->cur < 0)
				return true;
		}
		if (!logring_write_line(&c->rings[c->cur], &c->off, put_byte, drain_stop, d))
			return false;
		c->cur = -1;
	}
}

/* The line a drain left half sent, finished (lock held). */
static void finish_line(struct console *c)
{
	struct drain_run d = { c, NULL, 0 };

	if (c->cur >= 0)
		(void)logring_write_line(&c->rings[c->cur], &c->off, put_byte, drain_stop, &d);
	c->cur = -1;
}

/* ---- The ways in ------------------------------------------------------------------ */

void console_write(struct console *c, const char *s, size_t n)
{
	/* Masked before the lock is taken, restored after it is given back: an interrupt
	 * on this CPU can never find the lock held by the code it interrupted. */
	cpu_irq_state irq = cpu_irq_save();
	unsigned int me = c->cpu();
	bool recursive = spin_held_by(&c->lock, me);

	if (!recursive) {
		spin_lock(&c->lock, me);
		finish_line(c);
	} else if (c->cur >= 0 && c->off > 0) {
		(void)put_all(c, "\n", 1); /* this CPU was cut in a line: end it */
	}
	enum hal_err e = put_all(c, s, n);

	spend(c, n);
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

void console_hold(struct console *c)
{
	unsigned int me = c->cpu();

	(void)cpu_irq_save(); /* never restored: the power goes off */
	if (!spin_held_by(&c->lock, me)) {
		spin_lock(&c->lock, me);
		finish_line(c);
	}
}

void console_set_rings(struct console *c, struct logring *rings, unsigned int n)
{
	c->rings = rings;
	c->n_rings = n;
	c->cur = -1;
	c->off = 0;
}

bool console_drain(struct console *c, const struct console_drain_rule *rule)
{
	struct drain_run d = { c, rule, 0 };
	bool done;

	/* Nothing to send (the idle loop's common case): no lock taken. A line in flight
	 * keeps its record in its ring, so empty rings mean nothing in flight either. */
	if (!c->rings || oldest_ring(c) < 0)
		return true;
	cpu_irq_state irq = cpu_irq_save();

	if (!spin_trylock(&c->lock, c->cpu())) {
		cpu_irq_restore(irq);
		return false;
	}
	done = drain_rings(&d);
	spin_unlock(&c->lock);
	cpu_irq_restore(irq);
	return done;
}

void console_flush(struct console *c, const struct console_drain_rule *rule)
{
	struct drain_run d = { c, rule, 0 };
	unsigned int me = c->cpu();

	if (!c->rings)
		return;
	cpu_irq_state irq = cpu_irq_save();

	if (spin_held_by(&c->lock, me)) {
		cpu_irq_restore(irq);
		return;
	}
	spin_lock(&c->lock, me);
	if (!drain_rings(&d)) {
		finish_line(c); /* a line in flight is never left cut */
		for (unsigned int i = 0; i < c->n_rings; i++)
			(void)logring_discard(&c->rings[i]);
	}
	spin_unlock(&c->lock);
	cpu_irq_restore(irq);
}
