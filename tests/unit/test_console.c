#include <criterion/criterion.h>
#include <string.h>
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

/* ---- Draining the CPUs' rings ---------------------------------------------------- */

static char ring_mem[2][256];
static struct logring rings[2];

/* A clock that moves one tick a read, an interrupt that comes after a number of reads. */
static uint64_t tick_now;
static unsigned int irq_after = UINT32_MAX;
static uint64_t ticks(void) { return ++tick_now; }
static bool irq_pending_after(void) { return tick_now >= irq_after; }
static bool never_pending(void) { return false; }

static void rings_setup(struct console *c, struct fake_uart *u)
{
	console_init(c, &fake_uart_ops, (uintptr_t)u, who);
	for (int i = 0; i < 2; i++)
		logring_init(&rings[i], ring_mem[i], sizeof(ring_mem[i]));
	console_set_rings(c, rings, 2);
	tick_now = 0;
	irq_after = UINT32_MAX;
}

static void put(int cpu, uint64_t ts, const char *line)
{
	cr_assert(logring_put(&rings[cpu], ts, line, strlen(line)));
}

static const struct console_drain_rule no_deadline = {
	.now = ticks, .irq_pending = never_pending, .deadline = UINT64_MAX, .slack = 0, .byte_cap = 100,
};

Test(console, a_drain_sends_every_cpus_lines_oldest_first)
{
	static struct fake_uart u;
	struct console c;

	rings_setup(&c, &u);
	put(1, 5, "b1\n");
	put(0, 7, "a1\n");
	put(1, 9, "b2\n");
	put(0, 8, "a2\n");
	cr_assert(console_drain(&c, &no_deadline), "all out");
	cr_assert_str_eq(u.out, "b1\r\na1\r\na2\r\nb2\r\n");
	cr_assert_eq(c.lock.locked, 0);
	cr_assert_not(fake_cpu_irq_masked(), "the caller's mask restored");
	cr_assert_eq(logring_used(&rings[0]) + logring_used(&rings[1]), 0);
}

Test(console, a_drain_never_waits_for_the_lock)
{
	static struct fake_uart u;
	struct console c;

	rings_setup(&c, &u);
	put(0, 1, "x\n");
	spin_lock(&c.lock, 1); /* another CPU is writing */
	cr_assert_not(console_drain(&c, &no_deadline));
	cr_assert_eq(u.len, 0);
	cr_assert_eq(logring_used(&rings[0]), LOGRING_HDR + 2, "left for later");
	spin_unlock(&c.lock);
	cr_assert(console_drain(&c, &no_deadline));
	cr_assert_str_eq(u.out, "x\r\n");
}

/* An interrupt pending mid-line: the drain stops between two bytes; a synchronous write
 * (a fatal line) finishes that line before its own, so neither is split. */
Test(console, a_drain_stops_at_an_interrupt_and_the_next_writer_finishes_its_line)
{
	static struct fake_uart u;
	struct console c;
	const struct console_drain_rule rule = {
		.now = ticks, .irq_pending = irq_pending_after, .deadline = UINT64_MAX, .byte_cap = 100,
	};

	rings_setup(&c, &u);
	put(0, 1, "abcdef\n");
	put(1, 2, "gh\n");
	irq_after = 4; /* the 4th ask: after three bytes */
	cr_assert_not(console_drain(&c, &rule));
	cr_assert_str_eq(u.out, "abc");
	cr_assert_eq(c.cur, 0);
	cr_assert_eq(c.off, 3);
	console_write(&c, "{\"ev\":\"stop\"}\n", 14);
	cr_assert_str_eq(u.out, "abcdef\r\n{\"ev\":\"stop\"}\r\n");
	cr_assert_eq(c.cur, -1);
	irq_after = UINT32_MAX;
	cr_assert(console_drain(&c, &rule));
	cr_assert_str_eq(u.out, "abcdef\r\n{\"ev\":\"stop\"}\r\ngh\r\n");
}

Test(console, a_drain_resumes_the_line_it_stopped_in_before_an_older_one)
{
	static struct fake_uart u;
	struct console c;
	const struct console_drain_rule rule = {
		.now = ticks, .irq_pending = irq_pending_after, .deadline = UINT64_MAX, .byte_cap = 100,
	};

	rings_setup(&c, &u);
	put(1, 50, "late\n");
	irq_after = 3;
	cr_assert_not(console_drain(&c, &rule));
	cr_assert_str_eq(u.out, "la");
	put(0, 10, "older\n"); /* older, but the line in flight goes first */
	irq_after = UINT32_MAX;
	cr_assert(console_drain(&c, &rule));
	cr_assert_str_eq(u.out, "late\r\nolder\r\n");
}

/* A clock where each byte costs 10 ticks: a drain learns it, and stops while a byte and
 * the slack still fit before the deadline. */
static uint64_t slow_tick_now;
static uint64_t slow_ticks(void) { return slow_tick_now; }
static void byte_costs_10(struct fake_uart *u) { slow_tick_now += 10; }

Test(console, a_drain_stops_short_of_the_next_timer_at_the_slowest_bytes_cost)
{
	static struct fake_uart u = { .after_putc = byte_costs_10 };
	struct console c;
	struct console_drain_rule rule = {
		.now = slow_ticks, .irq_pending = never_pending, .deadline = 100, .slack = 5, .byte_cap = 1000,
	};

	rings_setup(&c, &u);
	slow_tick_now = 0;
	put(0, 1, "0123456789abcdef\n");
	cr_assert_not(console_drain(&c, &rule));
	/* Asks at 0 (cost unknown), 10, 20, ...: at t the byte ends by t + 10; it stops
	 * where 100 - t <= 10 + 5, at t = 90: bytes sent at 0..80, nine of them. */
	cr_assert_str_eq(u.out, "012345678");
	cr_assert_eq(c.byte_ticks, 10);
	cr_assert_leq(slow_tick_now + c.byte_ticks, rule.deadline, "the last byte ended before it");
	/* Past the deadline: nothing at all. */
	rule.deadline = slow_tick_now;
	cr_assert_not(console_drain(&c, &rule));
	cr_assert_str_eq(u.out, "012345678");
	/* Later (the next idle time): the rest. */
	rule.deadline = UINT64_MAX;
	cr_assert(console_drain(&c, &rule));
	cr_assert_str_eq(u.out, "0123456789abcdef\r\n");
}

/* A host that held the CPU for 5000 ticks in one byte is not the console's cost. */
static void one_hiccup(struct fake_uart *u) { slow_tick_now += u->len == 2 ? 5000 : 10; }

Test(console, a_hiccup_is_learnt_only_up_to_the_cap)
{
	static struct fake_uart u = { .after_putc = one_hiccup };
	struct console c;
	const struct console_drain_rule rule = {
		.now = slow_ticks, .irq_pending = never_pending, .deadline = UINT64_MAX, .byte_cap = 50,
	};

	rings_setup(&c, &u);
	slow_tick_now = 0;
	put(0, 1, "abcd\n");
	cr_assert(console_drain(&c, &rule));
	cr_assert_eq(c.byte_ticks, 50);
}

Test(console, a_flush_sends_everything_whatever_the_time)
{
	static struct fake_uart u;
	struct console c;
	const struct console_drain_rule rule = {
		.now = ticks, .irq_pending = irq_pending_after, .deadline = UINT64_MAX, .byte_cap = 100,
	};

	rings_setup(&c, &u);
	put(0, 1, "one\n");
	put(1, 2, "two\n");
	irq_after = 3;
	cr_assert_not(console_drain(&c, &rule));
	console_flush(&c, &no_deadline);
	cr_assert_str_eq(u.out, "one\r\ntwo\r\n");
	cr_assert_eq(c.lock.locked, 0);
	cr_assert_not(fake_cpu_irq_masked());
}

/* A fault inside a drain (this CPU holds the lock, a line half sent): the fault's line
 * gets a line of its own and the flush does not touch the rings again. */
Test(console, a_fault_inside_a_drain_ends_the_cut_line_and_writes_its_own)
{
	static struct fake_uart u;
	struct console c;
	const struct console_drain_rule rule = {
		.now = ticks, .irq_pending = irq_pending_after, .deadline = UINT64_MAX, .byte_cap = 100,
	};

	rings_setup(&c, &u);
	put(0, 1, "abcdef\n");
	irq_after = 3;
	cr_assert_not(console_drain(&c, &rule));
	spin_lock(&c.lock, me); /* as if this CPU were still inside the drain */
	console_flush(&c, &no_deadline);
	cr_assert_str_eq(u.out, "ab", "no second walk of the rings from inside the first");
	console_write(&c, "{\"ev\":\"kernel_fault\"}\n", 22);
	cr_assert_str_eq(u.out, "ab\r\n{\"ev\":\"kernel_fault\"}\r\n");
	spin_unlock(&c.lock);
}

/* The test hook's cost applies per byte in a drain too. */
Test(console, a_slow_console_costs_its_ticks_in_a_drain)
{
	static struct fake_uart u;
	struct console c;

	rings_setup(&c, &u);
	console_set_slow(&c, slow_clock, 3);
	slow_now = 0;
	slow_reads = 0;
	put(0, 1, "ab");
	cr_assert(console_drain(&c, &no_deadline));
	/* Per byte: the first read and one more (6 >= 3). */
	cr_assert_eq(slow_reads, 4);
}

/* Before the power goes off: the line in flight is finished, the console stays taken (a
 * line of another CPU would wait), and this CPU's own lines still go out. */
Test(console, a_hold_before_power_off_keeps_the_console)
{
	static struct fake_uart u;
	struct console c;
	const struct console_drain_rule rule = {
		.now = ticks, .irq_pending = irq_pending_after, .deadline = UINT64_MAX, .byte_cap = 100,
	};

	rings_setup(&c, &u);
	put(1, 1, "half\n");
	irq_after = 3;
	cr_assert_not(console_drain(&c, &rule));
	console_hold(&c);
	cr_assert_str_eq(u.out, "half\r\n");
	cr_assert(spin_held_by(&c.lock, me));
	cr_assert(fake_cpu_irq_masked());
	console_write(&c, "off\n", 4);
	cr_assert_str_eq(u.out, "half\r\noff\r\n");
	cr_assert(spin_held_by(&c.lock, me), "still taken");
	irq_after = UINT32_MAX;
	put(0, 2, "other\n");
	cr_assert_not(console_drain(&c, &rule), "a drain can no longer write");
}

/* A backlog that would outlast the flush's deadline: the line in flight is finished, the
 * rest dropped and counted (log_sync reports them), never a cut line. */
Test(console, a_flush_stops_at_its_deadline_and_counts_what_it_left)
{
	static struct fake_uart u = { .after_putc = byte_costs_10 };
	struct console c;
	const struct console_drain_rule rule = {
		.now = slow_ticks, .irq_pending = never_pending, .deadline = 50, .byte_cap = 1000,
	};

	rings_setup(&c, &u);
	slow_tick_now = 0;
	put(0, 1, "abcdefgh\n");
	put(0, 2, "second\n");
	put(1, 3, "third\n");
	console_flush(&c, &rule);
	cr_assert_str_eq(u.out, "abcdefgh\r\n", "the line begun is finished");
	cr_assert_eq(rings[0].dropped, 1);
	cr_assert_eq(rings[1].dropped, 1);
	cr_assert_eq(logring_used(&rings[0]) + logring_used(&rings[1]), 0);
	cr_assert_eq(c.lock.locked, 0);
}
