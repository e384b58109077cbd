/*
 * core/syscall.c, what a refusal leaves behind (the record and its syscall_violation
 * line), the print event, and seeded random frames: every answer documented, and no
 * kernel operation after a refused decode.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "core/log.h"
#include "core/syscall.h"
#include "fake_ops.h"
#include "fake_space.h"

TestSuite(syscall_events, .init = fake_ops_setup, .fini = fake_ops_teardown);

Test(syscall_events, the_refusal_record_says_what_and_where)
{
	struct syscall_frame f = fake_frame(BH_SYS_PRINT, BH_LEVEL_INFO, 0x10001ff0, 0x20);
	struct syscall_call call;
	struct syscall_refusal why;

	cr_assert_eq(syscall_decode(&caller_a, &f, &call, &why), BH_E_FAULT);
	cr_assert_eq(why.err, BH_E_FAULT);
	cr_assert(why.violation);
	cr_assert_eq(why.nr, BH_SYS_PRINT);
	cr_assert_str_eq(why.call, "print");
	cr_assert_eq(why.arg, 1);
	cr_assert_eq(why.value, 0x10001ff0);
	cr_assert_eq(why.why, UACCESS_ERR_UNMAPPED);
	cr_assert_eq(why.addr, 0x10002000, "the first byte past A's heap");
	cr_assert_eq(fake_log.lines, 0, "decode logs nothing");

	f = fake_frame(0x123456789ull, 0, 0, 0);
	cr_assert_eq(syscall_decode(&caller_a, &f, &call, &why), BH_E_NOSYS);
	cr_assert_eq(why.nr, 0x123456789ull);
	cr_assert_str_eq(why.call, "unknown");
	cr_assert_eq(why.arg, SYSCALL_ARG_NONE);
	cr_assert(why.violation);
}

Test(syscall_events, the_violation_line_carries_the_address)
{
	struct jobj o;

	cr_assert_eq(sys(&caller_a, BH_SYS_PRINT, BH_LEVEL_INFO, 0x10001ff0, 0x20), -BH_E_FAULT);
	only_line(&o);
	cr_assert_str_eq(jobj_str(&o, "addr"), "0x10002000");
	cr_assert_str_eq(jobj_str(&o, "value"), "0x10001ff0");
	cr_assert_eq(jobj_u64(&o, "ts", 0), 42);
	cr_assert_eq(jobj_u64(&o, "cpu", 0), 1);
}

/* ---- The print event ------------------------------------------------------------ */
Test(syscall_events, print_event_escapes_any_bytes)
{
	static const char text[] = "a \"q\" \\ b\nc\x00" "d\x1b[2J\xff";
	size_t len = sizeof(text) - 1;
	struct jobj o;

	syscall_print_event(&caller_a, BH_LEVEL_ERROR, text, len);
	only_line(&o);
	cr_assert_str_eq(jobj_str(&o, "lvl"), "error", "the level asked for");
	cr_assert_str_eq(jobj_str(&o, "sub"), "part");
	cr_assert_str_eq(jobj_str(&o, "ev"), "print");
	cr_assert_str_eq(jobj_str(&o, "partition"), "sensors");
	cr_assert_str_eq(jobj_str(&o, "cell"), "driver");
	cr_assert_not_null(
		strstr(fake_log.buf, "\"text\":\"a \\\"q\\\" \\\\ b\\nc\\u0000d\\u001b[2J\\u00ff\"}\n"),
		"%s", fake_log.buf);
	cr_assert_eq(strchr(fake_log.buf, '\n'), fake_log.buf + fake_log.len - 1,
		     "one line: the newline is escaped");
}

Test(syscall_events, print_events_below_the_log_level_are_filtered)
{
	log_set_level(LOG_WARN);
	cr_assert_eq(sys(&caller_a, BH_SYS_PRINT, BH_LEVEL_INFO, 0x401000, 8), 8, "still succeeds");
	cr_assert_eq(sys(&caller_a, BH_SYS_PRINT, BH_LEVEL_DEBUG, 0x401000, 8), 8);
	cr_assert_eq(fake_log.lines, 0, "%s", fake_log.buf);
	cr_assert_eq(sys(&caller_a, BH_SYS_PRINT, BH_LEVEL_WARN, 0x401000, 8), 8);
	cr_assert_eq(fake_log.lines, 1);
	cr_assert_eq(sys(&caller_a, BH_SYS_PRINT, 9, 0x401000, 8), -BH_E_INVAL,
		     "refused whatever the level");
	cr_assert_eq(fake_log.lines, 2, "and the violation (warn) is shown");
	log_set_level(LOG_ERROR);
	cr_assert_eq(sys(&caller_a, BH_SYS_PRINT, 9, 0x401000, 8), -BH_E_INVAL);
	cr_assert_eq(fake_log.lines, 2, "a violation below the log level is not shown");
	cr_assert_eq(fake_rec.violations, 2, "but the health monitor hears of it");
}

Test(syscall_events, the_longest_print_event_fits_one_line_whole)
{
	static const char pname[] = "partition-name-23-chars";
	static const char cname[] = "cell-name-is-23-chars-x";
	struct syscall_caller c = { pname, cname, 0, 0, true, &fake_a.space, NULL, NULL };
	char text[BH_PRINT_MAX];
	char want[BH_PRINT_MAX * 6 + 1];

	cr_assert_eq(strlen(pname), BH_NAME_MAX - 1);
	cr_assert_eq(strlen(cname), BH_NAME_MAX - 1);
	memset(text, 0x01, sizeof(text));
	for (unsigned int i = 0; i < BH_PRINT_MAX; i++)
		memcpy(want + 6 * i, "\\u0001", 6);
	want[sizeof(want) - 1] = '\0';
	fake_log.now = UINT64_MAX;
	syscall_print_event(&c, BH_LEVEL_DEBUG, text, sizeof(text));
	cr_assert_eq(fake_log.lines, 1);
	cr_assert_null(strstr(fake_log.buf, "trunc"), "%s", fake_log.buf);
	cr_assert_not_null(strstr(fake_log.buf, want));
	cr_assert_lt(fake_log.len, LOG_LINE_MAX);
}

/* ---- Seeded random frames ------------------------------------------------------- */
static uint64_t rnd_state = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static uint64_t rnd_arg(void)
{
	static const uint64_t interesting[] = { 0, 1, 4, 0x30, BH_PRINT_MAX, BH_PRINT_MAX + 1,
						0x400000, 0x401ff8, 0x402000, 0x403000,
						0x10000ff0, 0x10001ff0, 0x10004000, 0x3ffed000,
						0x3ffeeff0, 0x3ffefff0, BH_INFO_VA, BH_DEVICE_VA,
						BH_EL0_VA_END, 0xffffffc000000000ull,
						INT64_MAX, UINT64_MAX, UINT32_MAX };
	uint64_t r = rnd();

	switch (r % 4) {
	case 0:
		return rnd();
	case 1:
		return r >> 2 & 0xff;
	default:
		return interesting[(r >> 2) % (sizeof(interesting) / sizeof(interesting[0]))] +
		       (r >> 40) % 16;
	}
}

Test(syscall_events, random_frames_get_a_documented_answer_and_never_an_op_when_refused)
{
	unsigned int ok = 0, refused = 0;

	for (int i = 0; i < 30000; i++) {
		const struct syscall_caller *c = i % 2 ? &caller_a : &caller_b;
		uint64_t r = rnd();
		/* Mostly calls and their neighbours, some reserved, some anything. */
		uint64_t nr = r % 8 == 0   ? rnd()
			      : r % 8 == 1 ? 0x100 + (r >> 8) % 0x210
					   : (r >> 8) % 12;
		struct syscall_frame f = fake_frame(nr, rnd_arg(), rnd_arg(), rnd_arg());
		int64_t res;

		fake_reset();
		fake_log.lines = 0;
		fake_log.len = 0;
		res = syscall_handle(&fake_ops, &fake_rec, c, &f);
		if (res >= 0) {
			ok++;
			cr_assert(nr < BH_SYS_COUNT);
			cr_assert_leq(fake_rec.total, 1);
			cr_assert_eq(fake_rec.violations, 0);
			cr_assert_eq(fake_rec.total, nr == BH_SYS_NOP ? 0 : 1, "nr %llu",
				     (unsigned long long)nr);
			continue;
		}
		refused++;
		cr_assert_lt(-res, BH_E_COUNT, "a documented error: %lld", (long long)res);
		cr_assert_eq(fake_rec.total, 0, "no op after a refusal (nr 0x%llx, error %lld)",
			     (unsigned long long)nr, (long long)res);
		cr_assert_eq(fake_log.lines, res == -BH_E_MODE ? 0 : 1, "one violation line: %s",
			     fake_log.buf);
		cr_assert_eq(fake_rec.violations, fake_log.lines, "the health monitor hears of each");
	}
	cr_assert_gt(ok, 1000);
	cr_assert_gt(refused, 1000);
	cr_assert_eq(fake_a.bad_queries + fake_b.bad_queries, 0);
}

