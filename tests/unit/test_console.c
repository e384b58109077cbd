#include <criterion/criterion.h>
#include "core/console.h"
#include "fake_uart.h"

static unsigned int me = 0;
static unsigned int who(void) { return me; }

Test(console, crlf_and_init)
{
	static struct fake_uart u;
	struct console c;

	console_init(&c, &fake_uart_ops, (uintptr_t)&u, who);
	cr_assert_eq(u.inits, 1);
	console_write(&c, "a\nb\n", 4);
	cr_assert_str_eq(u.out, "a\r\nb\r\n");
	cr_assert_eq(c.lock.locked, 0, "lock released");
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
