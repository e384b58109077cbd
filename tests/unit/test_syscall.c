/*
 * core/syscall.c, call by call: good and bad arguments from two fake partitions
 * (tests/unit/fake_space.h), through fake kernel operations that count every call
 * (tests/unit/fake_ops.h), unknown and reserved numbers.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "core/syscall.h"
#include "fake_ops.h"
#include "fake_space.h"

TestSuite(syscall, .init = fake_ops_setup, .fini = fake_ops_teardown);

/* ---- The table ------------------------------------------------------------------ */
Test(syscall, names_come_from_the_abi_list)
{
	static const struct {
		unsigned int nr;
		const char *name;
	} abi[] = {
#define X(NAME, num, str, args) { num, str },
		BH_SYSCALLS(X)
#undef X
	};

	for (size_t i = 0; i < sizeof(abi) / sizeof(abi[0]); i++)
		cr_assert_str_eq(syscall_name(abi[i].nr), abi[i].name);
	cr_assert_str_eq(syscall_name(BH_SYS_PRINT), "print");
	cr_assert_null(syscall_name(BH_SYS_COUNT));
	cr_assert_null(syscall_name(BH_SYS_DEVICE_FIRST));
	cr_assert_null(syscall_name(UINT64_MAX));
	cr_assert_null(syscall_name((1ull << 32) | BH_SYS_PRINT));
}

/* ---- Calls without arguments ------------------------------------------------------ */
Test(syscall, nop_does_nothing)
{
	cr_assert_eq(sys(&caller_a, BH_SYS_NOP, 1, 2, 3), 0);
	cr_assert_eq(fake_rec.total, 0);
	cr_assert_eq(fake_log.lines, 0);
}

Test(syscall, argumentless_calls_reach_their_op_once)
{
	static const struct {
		uint64_t nr;
		enum fake_op op;
		int64_t result;
	} cases[] = {
		{ BH_SYS_YIELD, OP_YIELD, 0 },          { BH_SYS_TIME_NS, OP_TIME, FAKE_TIME_NS },
		{ BH_SYS_HEARTBEAT, OP_BEAT, 0 },       { BH_SYS_CELL_STOP, OP_STOP, 0 },
		{ BH_SYS_PERIODIC_WAIT, OP_PWAIT, FAKE_RELEASE_NS },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_reset();
		cr_assert_eq(sys(&caller_a, cases[i].nr, UINT64_MAX, 0, UINT64_MAX), cases[i].result,
			     "%s", syscall_name(cases[i].nr));
		cr_assert_eq(fake_rec.total, 1);
		cr_assert_eq(fake_rec.count[cases[i].op], 1, "%s", syscall_name(cases[i].nr));
		cr_assert_eq(fake_rec.caller, &caller_a);
	}
	cr_assert_eq(fake_log.lines, 0, "%s", fake_log.buf);
}

Test(syscall, periodic_wait_from_an_aperiodic_cell_is_invalid_mode_without_an_event)
{
	struct syscall_frame f = fake_frame(BH_SYS_PERIODIC_WAIT, 0, 0, 0);
	struct syscall_call call;
	struct syscall_refusal why;

	cr_assert_eq(sys(&caller_b, BH_SYS_PERIODIC_WAIT, 0, 0, 0), -BH_E_MODE);
	cr_assert_eq(fake_rec.total, 0);
	cr_assert_eq(fake_rec.violations, 0);
	cr_assert_eq(fake_log.lines, 0, "an answer about the cell's mode, not a violation: %s",
		     fake_log.buf);
	cr_assert_eq(syscall_decode(&caller_b, &f, &call, &why), BH_E_MODE);
	cr_assert_not(why.violation);
	cr_assert_str_eq(why.call, "periodic_wait");
}

/* ---- print ------------------------------------------------------------------------ */
Test(syscall, print_passes_the_callers_bytes_and_level)
{
	for (unsigned int level = 0; level < BH_LEVELS; level++) {
		fake_reset();
		cr_assert_eq(sys(&caller_a, BH_SYS_PRINT, level, 0x401010, 13), 13);
		cr_assert_eq(fake_rec.count[OP_PRINT], 1);
		cr_assert_eq(fake_rec.level, level);
		cr_assert_eq(fake_rec.len, 13);
		cr_assert_arr_eq(fake_rec.text, fake_byte(&fake_a, 0x401010), 13);
	}
}

Test(syscall, print_over_two_pages_and_at_the_maximum)
{
	char want[BH_PRINT_MAX];

	for (unsigned int i = 0; i < BH_PRINT_MAX; i++)
		want[i] = (char)*fake_byte(&fake_a, 0x10000f80 + i);
	cr_assert_eq(sys(&caller_a, BH_SYS_PRINT, BH_LEVEL_INFO, 0x10000f80, BH_PRINT_MAX),
		     BH_PRINT_MAX);
	cr_assert_eq(fake_rec.len, BH_PRINT_MAX);
	cr_assert_arr_eq(fake_rec.text, want, BH_PRINT_MAX);
}

Test(syscall, print_of_nothing_is_an_empty_line_wherever_it_points)
{
	struct jobj o;

	cr_assert_eq(sys(&caller_a, BH_SYS_PRINT, BH_LEVEL_WARN, 0, 0), 0);
	cr_assert_eq(fake_rec.count[OP_PRINT], 1);
	cr_assert_eq(fake_rec.len, 0);
	only_line(&o);
	cr_assert_str_eq(jobj_str(&o, "ev"), "print");
	cr_assert_str_eq(jobj_str(&o, "text"), "");
}

Test(syscall, print_refusals)
{
	const uint64_t info = BH_LEVEL_INFO;

	expect_violation(&caller_a, BH_SYS_PRINT, 4, 0x401000, 4, BH_E_INVAL, "print",
			 "invalid-argument", 0, NULL);
	expect_violation(&caller_a, BH_SYS_PRINT, UINT64_MAX, 0x401000, 4, BH_E_INVAL, "print",
			 "invalid-argument", 0, NULL);
	expect_violation(&caller_a, BH_SYS_PRINT, 1ull << 32, 0x401000, 4, BH_E_INVAL, "print",
			 "invalid-argument", 0, NULL);
	expect_violation(&caller_a, BH_SYS_PRINT, info, 0x401000, BH_PRINT_MAX + 1, BH_E_TOOBIG,
			 "print",
			 "too-long", 2, NULL);
	expect_violation(&caller_a, BH_SYS_PRINT, info, 0x401000, UINT64_MAX, BH_E_TOOBIG, "print",
			 "too-long", 2, NULL);
	expect_violation(&caller_a, BH_SYS_PRINT, 7, 0, UINT64_MAX, BH_E_INVAL, "print",
			 "invalid-argument", 0, NULL); /* the first bad argument is reported */
	expect_violation(&caller_a, BH_SYS_PRINT, info, 0, 1, BH_E_FAULT, "print", "bad-address", 1,
			 "null-guard");
	expect_violation(&caller_a, BH_SYS_PRINT, info, 0xffffffc000080000ull, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "not-el0");
	expect_violation(&caller_a, BH_SYS_PRINT, info, 0xffff000000000000ull, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "not-el0");
	expect_violation(&caller_a, BH_SYS_PRINT, info, 0x1234567abcull, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "unmapped"); /* wild, inside the EL0 space */
	expect_violation(&caller_a, BH_SYS_PRINT, info, 0x3ffed100, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "unmapped"); /* the stack's guard page */
	expect_violation(&caller_a, BH_SYS_PRINT, info, 0x10001ff8, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "unmapped"); /* heap end into nothing */
	expect_violation(&caller_a, BH_SYS_PRINT, info, 0x10004000, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "unmapped"); /* B's heap */
	expect_violation(&caller_a, BH_SYS_PRINT, info, UINT64_MAX - 3, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "wraps");
	expect_violation(&caller_a, BH_SYS_PRINT, info, BH_DEVICE_VA, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "device-memory");
	expect_violation(&caller_a, BH_SYS_PRINT, info, 0x403000, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "not-readable");
	/* The range B may print from. */
	fake_reset();
	cr_assert_eq(sys(&caller_b, BH_SYS_PRINT, info, 0x10004000, 16), 16);
	cr_assert_arr_eq(fake_rec.text, fake_byte(&fake_b, 0x10004000), 16);
}

/* ---- timed_wait ------------------------------------------------------------------- */
Test(syscall, timed_wait)
{
	cr_assert_eq(sys(&caller_a, BH_SYS_TIMED_WAIT, 0, 0, 0), 0);
	cr_assert_eq(fake_rec.until_ns, 0);
	cr_assert_eq(sys(&caller_a, BH_SYS_TIMED_WAIT, INT64_MAX, 0, 0), 0);
	cr_assert_eq(fake_rec.until_ns, INT64_MAX);
	cr_assert_eq(fake_rec.count[OP_TWAIT], 2);
	expect_violation(&caller_a, BH_SYS_TIMED_WAIT, UINT64_MAX, 0, 0, BH_E_INVAL, "timed_wait",
			 "invalid-argument", 0, NULL);
	expect_violation(&caller_a, BH_SYS_TIMED_WAIT, 1ull << 63, 0, 0, BH_E_INVAL, "timed_wait",
			 "invalid-argument", 0, NULL);
}

/* ---- raise_error ------------------------------------------------------------------ */
Test(syscall, raise_error)
{
	cr_assert_eq(sys(&caller_a, BH_SYS_RAISE_ERROR, UINT32_MAX, 0x401ff0, 0x20), 0);
	cr_assert_eq(fake_rec.count[OP_RAISE], 1);
	cr_assert_eq(fake_rec.code, UINT32_MAX);
	cr_assert_eq(fake_rec.len, 0x20);
	cr_assert_arr_eq(fake_rec.text, fake_byte(&fake_a, 0x401ff0), 0x10, "over two pages");
	cr_assert_arr_eq(fake_rec.text + 0x10, fake_byte(&fake_a, 0x402000), 0x10);
	fake_reset();
	cr_assert_eq(sys(&caller_a, BH_SYS_RAISE_ERROR, 7, 0, 0), 0, "no message");
	cr_assert_eq(fake_rec.count[OP_RAISE], 1);
	cr_assert_eq(fake_rec.len, 0);
	cr_assert_eq(fake_log.lines, 0, "%s", fake_log.buf);
	expect_violation(&caller_a, BH_SYS_RAISE_ERROR, 1ull << 32, 0x401000, 4, BH_E_INVAL,
			 "raise_error", "invalid-argument", 0, NULL);
	expect_violation(&caller_a, BH_SYS_RAISE_ERROR, 1, 0x401000, BH_PRINT_MAX + 1, BH_E_TOOBIG,
			 "raise_error", "too-long", 2, NULL);
	expect_violation(&caller_a, BH_SYS_RAISE_ERROR, 1, 0x402ff0, 0x20, BH_E_FAULT, "raise_error",
			 "bad-address", 1, "not-readable"); /* into the execute-only page */
	expect_violation(&caller_a, BH_SYS_RAISE_ERROR, 1, 0xffffffc000000000ull, 8, BH_E_FAULT,
			 "raise_error", "bad-address", 1, "not-el0");
	expect_violation(&caller_a, BH_SYS_RAISE_ERROR, 1, 0x10004000, 8, BH_E_FAULT, "raise_error",
			 "bad-address", 1, "unmapped");
}

/* ---- partition_status --------------------------------------------------------------- */
static void read_status(struct fake_part *p, uint64_t va, struct bh_partition_status *st)
{
	for (size_t i = 0; i < sizeof(*st); i++)
		((uint8_t *)st)[i] = *fake_byte(p, va + i);
}

Test(syscall, partition_status_fills_the_callers_struct)
{
	static const uint64_t where[] = { 0x402000, 0x3ffeefe8 /* over two stack pages */,
					  0x3fff0000 - sizeof(struct bh_partition_status) };
	struct bh_partition_status st;

	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		fake_reset();
		cr_assert_eq(sys(&caller_a, BH_SYS_PARTITION_STATUS, where[i], 0, 0), 0);
		cr_assert_eq(fake_rec.count[OP_STATUS], 1);
		read_status(&fake_a, where[i], &st);
		cr_assert_eq(st.index, 0);
		cr_assert_eq(st.mode, BH_MODE_NORMAL);
		cr_assert_eq(st.major_frame_ns, FAKE_FRAME_NS);
		cr_assert_eq(st.cell, 1, "the calling cell, set by the kernel");
		cr_assert_eq(st.frames, 0, "what the op left alone is zero, not stack bytes");
		cr_assert_eq(st.restarts, 0);
		cr_assert_eq(st.cpu, 0);
		cr_assert_eq(*fake_byte(&fake_a, where[i] - 1), fake_pattern('A', where[i] - 1));
		cr_assert_eq(*fake_byte(&fake_a, where[i] + sizeof(st)),
			     fake_pattern('A', where[i] + sizeof(st)), "nothing written past it");
	}
	fake_reset();
	cr_assert_eq(sys(&caller_b, BH_SYS_PARTITION_STATUS, 0x10004000, 0, 0), 0);
	read_status(&fake_b, 0x10004000, &st);
	cr_assert_eq(st.index, 1);
	cr_assert_eq(st.cell, 0);
}

Test(syscall, partition_status_refusals)
{
	static const struct {
		uint64_t ptr;
		const char *why;
	} bad[] = {
		{ 0, "null-guard" },
		{ 0x400000, "read-only" },            /* text */
		{ 0x401000, "read-only" },            /* rodata */
		{ BH_INFO_VA, "info-page" },
		{ 0x3ffefff0, "info-page" },          /* the stack's top into the info page */
		{ 0x10001fe0, "unmapped" },           /* past A's heap */
		{ 0x10004000, "unmapped" },           /* B's heap */
		{ 0x3ffed000, "unmapped" },           /* a guard page */
		{ BH_DEVICE_VA, "device-memory" },
		{ 0xffffffc000001000ull, "not-el0" }, /* the kernel */
		{ BH_EL0_VA_END - 16, "not-el0" },
		{ UINT64_MAX - 15, "wraps" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_violation(&caller_a, BH_SYS_PARTITION_STATUS, bad[i].ptr, 0, 0, BH_E_FAULT,
				 "partition_status", "bad-address", 0, bad[i].why);
	for (uint64_t va = 0x3ffefff0; va < BH_INFO_VA; va++)
		cr_assert_eq(*fake_byte(&fake_a, va), fake_pattern('A', va), "nothing written");
}

/* ---- Numbers without a call ------------------------------------------------------- */
Test(syscall, unknown_and_reserved_numbers)
{
	static const struct {
		uint64_t nr;
		const char *call;
	} cases[] = {
		{ BH_SYS_COUNT, "unknown" },
		{ 0xff, "unknown" },
		{ BH_SYS_DEVICE_FIRST, "reserved-device" },
		{ 0x180, "reserved-device" },
		{ BH_SYS_DEVICE_LAST, "reserved-device" },
		{ BH_SYS_PORT_SIGNAL + 1, "reserved-port" },
		{ BH_SYS_PORT_LAST, "reserved-port" },
		{ BH_SYS_MAX + 1, "unknown" },
		{ 1ull << 32 | BH_SYS_PRINT, "unknown" }, /* only all 64 bits name a call */
		{ 1ull << 63, "unknown" },
		{ UINT64_MAX, "unknown" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_violation(&caller_a, cases[i].nr, BH_LEVEL_INFO, 0x401000, 4, BH_E_NOSYS,
				 cases[i].call, "unknown-call", -1, NULL);
}

