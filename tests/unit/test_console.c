#include <criterion/criterion.h>
#include "core/console.h"
#include "hal/cpu.h"
#include "fake_cpu.h"
#include "fake_uart.h"

static unsigned int me = 0;
static unsigned int who(void) { return me; }

static void reset(void)
{
	fake_cpu_reset();
}

TestSuite(console, .init = reset);

Test(console, crlf_and_init)
{
	static struct fake_uart u;
	struct console c;

	console_init(&c, &fake_uart_ops, (uintptr_t)&u, who);
	cr_assert_eq(u.inits, 1);
	console_write(&c, "a\nb\n", 4);
	cr_assert_str_eq(u.out, "a\r\nb\r\n");
	cr_assert_eq(c.lock.locked, 0, "lock released");
	cr_assert_eq(c.dropped, 0);
	cr_assert_eq(c.last_err, HAL_OK);
}

Test(console, write_while_holding_the_lock_does_not_deadlock)
{
	static struct fake_uart u;
	struct console c;

	console_init(&c, &fake_uart_ops, (uintptr_t)&u, who);
	spin_lock(&c.lock, me); /* as if this CPU faulted inside a write */
	console_write(&c, "x", 1);
	cr_assert_str_eq(u.out, "x");
	cr_assert(spin_held_by(&c.lock, me), "the outer holder still holds it");
	spin_unlock(&c.lock);
}

/* An interrupt handler on the writing CPU that logs a line of its own. */
static struct console irq_con;
static void irq_logs(void *ctx)
{
	console_write(&irq_con, "{\"ev\":\"irq\"}\n", 13);
}

static void irq_after_third_byte(struct fake_uart *u)
{
	if (u->len == 3)
		fake_cpu_raise_irq(irq_logs, NULL);
}

Test(console, an_interrupt_that_logs_waits_for_the_line_in_progress)
{
	static struct fake_uart u = { .after_putc = irq_after_third_byte };

	console_init(&irq_con, &fake_uart_ops, (uintptr_t)&u, who);
	console_write(&irq_con, "{\"ev\":\"thread\"}\n", 16);
	cr_assert_str_eq(u.out, "{\"ev\":\"thread\"}\r\n{\"ev\":\"irq\"}\r\n",
			 "the interrupt's line must follow, not split, the thread's: %s", u.out);
	cr_assert_not(fake_cpu_irq_masked(), "interrupts unmasked again after the write");
	cr_assert_eq(irq_con.lock.locked, 0);
}

Test(console, a_write_keeps_the_callers_interrupt_mask)
{
	static struct fake_uart u;
	struct console c;

	console_init(&c, &fake_uart_ops, (uintptr_t)&u, who);
	cpu_irq_state outer = cpu_irq_save(); /* e.g. a write from an interrupt handler */
	console_write(&c, "x\n", 2);
	cr_assert(fake_cpu_irq_masked(), "still masked: the caller's state was masked");
	cpu_irq_restore(outer);
	cr_assert_not(fake_cpu_irq_masked());
}

Test(console, a_wedged_uart_costs_one_bounded_wait_per_write_and_drops_it)
{
	static struct fake_uart u = { .wedged = true };
	struct console c;

	console_init(&c, &fake_uart_ops, (uintptr_t)&u, who);
	console_write(&c, "first line\n", 11);
	cr_assert_eq(u.timeouts, 1, "gave up on the first byte, not once per byte (%u)", u.timeouts);
	console_write(&c, "second\n", 7);
	cr_assert_eq(u.timeouts, 2);
	cr_assert_eq(c.dropped, 2);
	cr_assert_eq(c.last_err, HAL_ERR_UART_TIMEOUT);
	cr_assert_eq(c.lock.locked, 0, "the lock is given back after a drop");
	cr_assert_not(fake_cpu_irq_masked());
	u.wedged = false; /* it recovers: the next line goes out whole */
	console_write(&c, "third\n", 6);
	cr_assert_str_eq(u.out, "third\r\n");
}

Test(console, a_uart_that_fails_init_is_recorded)
{
	static struct fake_uart u = { .init_err = HAL_ERR_UART_TIMEOUT };
	struct console c;

	console_init(&c, &fake_uart_ops, (uintptr_t)&u, who);
	cr_assert_eq(c.last_err, HAL_ERR_UART_TIMEOUT);
	console_write(&c, "x", 1);
	cr_assert_str_eq(u.out, "x", "writes are still tried");
}

/* A clock that moves 3 ticks each time it is read. */
static uint64_t slow_now;
static unsigned int slow_reads;
static uint64_t slow_clock(void)
{
	slow_reads++;
	return slow_now += 3;
}

Test(console, a_slow_console_spends_its_ticks_per_byte_inside_the_write)
{
	static struct fake_uart u;
	struct console c;

	console_init(&c, &fake_uart_ops, (uintptr_t)&u, who);
	console_write(&c, "abc", 3);
	cr_assert_eq(slow_reads, 0, "no cost unless asked");
	console_set_slow(&c, slow_clock, 10);
	slow_now = 0;
	console_write(&c, "abcd", 4);
	/* 40 ticks at 3 per read: the first read and 14 more (42 >= 40). */
	cr_assert_eq(slow_reads, 15);
	cr_assert_str_eq(u.out, "abcabcd");
	cr_assert_eq(c.lock.locked, 0, "lock released");
	console_set_slow(&c, slow_clock, 0);
	console_write(&c, "e", 1);
	cr_assert_eq(slow_reads, 15, "turned off");
}
