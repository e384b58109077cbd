/*
 * core/syscall.c: every call with good and bad arguments from two fake partitions
 * (tests/unit/fake_space.h), unknown and reserved numbers, the refusal record and its
 * syscall_violation line, the print event, and that no operation runs after a refused
 * decode (the fake ops count every call).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "core/log.h"
#include "core/syscall.h"
#include "fake_space.h"
#include "jsonl.h"

/* ---- The kernel's side, faked: every op counts and records its arguments ---------- */
enum op { OP_TIME, OP_PWAIT, OP_TWAIT, OP_BEAT, OP_RAISE, OP_STATUS, OP_YIELD, OP_STOP,
	  OP_PRINT, OP_COUNT };

struct rec {
	unsigned int count[OP_COUNT];
	unsigned int total;
	const struct syscall_caller *caller;
	int64_t until_ns;
	uint32_t code;
	enum bh_level level;
	char text[BH_PRINT_MAX + 1];
	size_t len;
};

static struct rec rec;

static void hit(void *ctx, const struct syscall_caller *c, enum op op)
{
	struct rec *r = ctx;

	r->count[op]++;
	r->total++;
	r->caller = c;
}

static int64_t op_time(void *ctx, const struct syscall_caller *c)
{
	hit(ctx, c, OP_TIME);
	return 123456789;
}
static int64_t op_pwait(void *ctx, const struct syscall_caller *c)
{
	hit(ctx, c, OP_PWAIT);
	return 2000000;
}
static void op_twait(void *ctx, const struct syscall_caller *c, int64_t until)
{
	hit(ctx, c, OP_TWAIT);
	((struct rec *)ctx)->until_ns = until;
}
static void op_beat(void *ctx, const struct syscall_caller *c)
{
	hit(ctx, c, OP_BEAT);
}
static void op_raise(void *ctx, const struct syscall_caller *c, uint32_t code, const char *msg,
		     size_t len)
{
	struct rec *r = ctx;

	hit(ctx, c, OP_RAISE);
	r->code = code;
	r->len = len;
	memcpy(r->text, msg, len);
}
static void op_status(void *ctx, const struct syscall_caller *c, struct bh_partition_status *st)
{
	hit(ctx, c, OP_STATUS);
	/* Fills a few fields only: the rest must reach EL0 as zeros. */
	st->index = c->partition_index;
	st->mode = BH_MODE_NORMAL;
	st->major_frame_ns = 10000000;
}
static void op_yield(void *ctx, const struct syscall_caller *c)
{
	hit(ctx, c, OP_YIELD);
}
static void op_stop(void *ctx, const struct syscall_caller *c)
{
	hit(ctx, c, OP_STOP);
}
static void op_print(void *ctx, const struct syscall_caller *c, enum bh_level level,
		     const char *text, size_t len)
{
	struct rec *r = ctx;

	hit(ctx, c, OP_PRINT);
	r->level = level;
	r->len = len;
	memcpy(r->text, text, len);
	syscall_print_event(c, level, text, len);
}

static const struct syscall_ops ops = {
	.time_ns = op_time,
	.periodic_wait = op_pwait,
	.timed_wait = op_twait,
	.heartbeat = op_beat,
	.raise_error = op_raise,
	.partition_status = op_status,
	.yield = op_yield,
	.cell_stop = op_stop,
	.print = op_print,
};

/* ---- The log, captured ------------------------------------------------------------ */
static char logbuf[16384];
static size_t loglen;
static unsigned int loglines;
static uint64_t sink_now = 42;

static void sink_write(void *ctx, const char *l, size_t n)
{
	cr_assert_lt(loglen + n, sizeof(logbuf));
	memcpy(logbuf + loglen, l, n);
	loglen += n;
	logbuf[loglen] = '\0';
	loglines++;
}
static uint64_t sink_ts(void *ctx)
{
	return sink_now;
}
static unsigned int sink_cpu(void *ctx)
{
	return 1;
}
static const struct log_sink sink = { sink_write, sink_ts, sink_cpu, NULL };

/* ---- Callers: partition A (periodic cell) and B (aperiodic) ------------------------- */
static struct syscall_caller ca, cb;

static void setup(void)
{
	fake_space_init();
	memset(&rec, 0, sizeof(rec));
	loglen = 0;
	loglines = 0;
	logbuf[0] = '\0';
	sink_now = 42;
	log_init(&sink, LOG_DEBUG);
	ca = (struct syscall_caller){ "sensors", "driver", 0, 1, true, &fake_a.space };
	cb = (struct syscall_caller){ "logger", "main", 1, 0, false, &fake_b.space };
}

static void teardown(void)
{
	fake_space_fini();
}

TestSuite(syscall, .init = setup, .fini = teardown);

static struct syscall_frame frame(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct syscall_frame f;

	/* Garbage in the unused argument registers: the calls ignore them. */
	for (unsigned int i = 0; i < 9; i++)
		f.x[i] = 0xdead0000 + i;
	f.x[8] = nr;
	f.x[0] = a0;
	f.x[1] = a1;
	f.x[2] = a2;
	return f;
}

static int64_t sys(const struct syscall_caller *c, uint64_t nr, uint64_t a0, uint64_t a1,
		   uint64_t a2)
{
	struct syscall_frame f = frame(nr, a0, a1, a2);
	int64_t r = syscall_handle(&ops, &rec, c, &f);

	cr_assert_eq((int64_t)f.x[0], r, "the result is in x0");
	for (unsigned int i = 1; i < 9; i++)
		cr_assert_eq(f.x[i], frame(nr, a0, a1, a2).x[i], "x%u is left alone", i);
	return r;
}

/* The log's only line, parsed. */
static void only_line(struct jobj *o)
{
	cr_assert_eq(loglines, 1, "one line, got %u:\n%s", loglines, logbuf);
	cr_assert(jsonl_parse(logbuf, o), "valid JSON: %s", logbuf);
}

/* A refused call: its error in x0, exactly one violation line with these fields, and
 * no op reached. arg < 0: no argument named. why: NULL unless bad-address. */
static void expect_violation(const struct syscall_caller *c, uint64_t nr, uint64_t a0,
			     uint64_t a1, uint64_t a2, enum bh_err err, const char *call,
			     const char *errname, int arg, const char *why)
{
	struct jobj o;
	char hex[32];

	loglen = 0;
	loglines = 0;
	memset(&rec, 0, sizeof(rec));
	cr_assert_eq(sys(c, nr, a0, a1, a2), -(int64_t)err, "call 0x%llx", (unsigned long long)nr);
	cr_assert_eq(rec.total, 0, "no op runs after a refused decode");
	only_line(&o);
	cr_assert_str_eq(jobj_str(&o, "ev"), "syscall_violation");
	cr_assert_str_eq(jobj_str(&o, "lvl"), "warn");
	cr_assert_str_eq(jobj_str(&o, "sub"), "sys");
	cr_assert_str_eq(jobj_str(&o, "partition"), c->partition);
	cr_assert_str_eq(jobj_str(&o, "cell"), c->cell);
	cr_assert_str_eq(jobj_str(&o, "call"), call);
	cr_assert_str_eq(jobj_str(&o, "error"), errname);
	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)nr);
	cr_assert_str_eq(jobj_str(&o, "nr"), hex);
	if (arg < 0) {
		cr_assert_null(jobj_get(&o, "arg"));
	} else {
		uint64_t v = arg == 0 ? a0 : arg == 1 ? a1 : a2;

		cr_assert_eq(jobj_u64(&o, "arg", 99), (uint64_t)arg);
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)v);
		cr_assert_str_eq(jobj_str(&o, "value"), hex);
	}
	if (why)
		cr_assert_str_eq(jobj_str(&o, "why"), why, "%s", logbuf);
	else
		cr_assert_null(jobj_get(&o, "why"));
}

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
	cr_assert_eq(sys(&ca, BH_SYS_NOP, 1, 2, 3), 0);
	cr_assert_eq(rec.total, 0);
	cr_assert_eq(loglines, 0);
}

Test(syscall, argumentless_calls_reach_their_op_once)
{
	static const struct {
		uint64_t nr;
		enum op op;
		int64_t result;
	} cases[] = {
		{ BH_SYS_YIELD, OP_YIELD, 0 },          { BH_SYS_TIME_NS, OP_TIME, 123456789 },
		{ BH_SYS_HEARTBEAT, OP_BEAT, 0 },       { BH_SYS_CELL_STOP, OP_STOP, 0 },
		{ BH_SYS_PERIODIC_WAIT, OP_PWAIT, 2000000 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&rec, 0, sizeof(rec));
		cr_assert_eq(sys(&ca, cases[i].nr, UINT64_MAX, 0, UINT64_MAX), cases[i].result,
			     "%s", syscall_name(cases[i].nr));
		cr_assert_eq(rec.total, 1);
		cr_assert_eq(rec.count[cases[i].op], 1, "%s", syscall_name(cases[i].nr));
		cr_assert_eq(rec.caller, &ca);
	}
	cr_assert_eq(loglines, 0, "%s", logbuf);
}

Test(syscall, periodic_wait_from_an_aperiodic_cell_is_invalid_mode_without_an_event)
{
	struct syscall_frame f = frame(BH_SYS_PERIODIC_WAIT, 0, 0, 0);
	struct syscall_call call;
	struct syscall_refusal why;

	cr_assert_eq(sys(&cb, BH_SYS_PERIODIC_WAIT, 0, 0, 0), -BH_E_MODE);
	cr_assert_eq(rec.total, 0);
	cr_assert_eq(loglines, 0, "an answer about the cell's mode, not a violation: %s", logbuf);
	cr_assert_eq(syscall_decode(&cb, &f, &call, &why), BH_E_MODE);
	cr_assert_not(why.violation);
	cr_assert_str_eq(why.call, "periodic_wait");
}

/* ---- print ------------------------------------------------------------------------ */
Test(syscall, print_passes_the_callers_bytes_and_level)
{
	for (unsigned int level = 0; level < BH_LEVELS; level++) {
		memset(&rec, 0, sizeof(rec));
		cr_assert_eq(sys(&ca, BH_SYS_PRINT, level, 0x401010, 13), 13);
		cr_assert_eq(rec.count[OP_PRINT], 1);
		cr_assert_eq(rec.level, level);
		cr_assert_eq(rec.len, 13);
		cr_assert_arr_eq(rec.text, fake_byte(&fake_a, 0x401010), 13);
	}
}

Test(syscall, print_over_two_pages_and_at_the_maximum)
{
	char want[BH_PRINT_MAX];

	for (unsigned int i = 0; i < BH_PRINT_MAX; i++)
		want[i] = (char)*fake_byte(&fake_a, 0x10000f80 + i);
	cr_assert_eq(sys(&ca, BH_SYS_PRINT, BH_LEVEL_INFO, 0x10000f80, BH_PRINT_MAX), BH_PRINT_MAX);
	cr_assert_eq(rec.len, BH_PRINT_MAX);
	cr_assert_arr_eq(rec.text, want, BH_PRINT_MAX);
}

Test(syscall, print_of_nothing_is_an_empty_line_wherever_it_points)
{
	struct jobj o;

	cr_assert_eq(sys(&ca, BH_SYS_PRINT, BH_LEVEL_WARN, 0, 0), 0);
	cr_assert_eq(rec.count[OP_PRINT], 1);
	cr_assert_eq(rec.len, 0);
	only_line(&o);
	cr_assert_str_eq(jobj_str(&o, "ev"), "print");
	cr_assert_str_eq(jobj_str(&o, "text"), "");
}

Test(syscall, print_refusals)
{
	const uint64_t info = BH_LEVEL_INFO;

	expect_violation(&ca, BH_SYS_PRINT, 4, 0x401000, 4, BH_E_INVAL, "print",
			 "invalid-argument", 0, NULL);
	expect_violation(&ca, BH_SYS_PRINT, UINT64_MAX, 0x401000, 4, BH_E_INVAL, "print",
			 "invalid-argument", 0, NULL);
	expect_violation(&ca, BH_SYS_PRINT, 1ull << 32, 0x401000, 4, BH_E_INVAL, "print",
			 "invalid-argument", 0, NULL);
	expect_violation(&ca, BH_SYS_PRINT, info, 0x401000, BH_PRINT_MAX + 1, BH_E_TOOBIG, "print",
			 "too-long", 2, NULL);
	expect_violation(&ca, BH_SYS_PRINT, info, 0x401000, UINT64_MAX, BH_E_TOOBIG, "print",
			 "too-long", 2, NULL);
	expect_violation(&ca, BH_SYS_PRINT, 7, 0, UINT64_MAX, BH_E_INVAL, "print",
			 "invalid-argument", 0, NULL); /* the first bad argument is reported */
	expect_violation(&ca, BH_SYS_PRINT, info, 0, 1, BH_E_FAULT, "print", "bad-address", 1,
			 "null-guard");
	expect_violation(&ca, BH_SYS_PRINT, info, 0xffffffc000080000ull, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "not-el0");
	expect_violation(&ca, BH_SYS_PRINT, info, 0xffff000000000000ull, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "not-el0");
	expect_violation(&ca, BH_SYS_PRINT, info, 0x1234567abcull, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "unmapped"); /* wild, inside the EL0 space */
	expect_violation(&ca, BH_SYS_PRINT, info, 0x3ffed100, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "unmapped"); /* the stack's guard page */
	expect_violation(&ca, BH_SYS_PRINT, info, 0x10001ff8, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "unmapped"); /* heap end into nothing */
	expect_violation(&ca, BH_SYS_PRINT, info, 0x10004000, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "unmapped"); /* B's heap */
	expect_violation(&ca, BH_SYS_PRINT, info, UINT64_MAX - 3, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "wraps");
	expect_violation(&ca, BH_SYS_PRINT, info, BH_DEVICE_VA, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "device-memory");
	expect_violation(&ca, BH_SYS_PRINT, info, 0x403000, 16, BH_E_FAULT, "print",
			 "bad-address", 1, "not-readable");
	/* The range B may print from. */
	memset(&rec, 0, sizeof(rec));
	cr_assert_eq(sys(&cb, BH_SYS_PRINT, info, 0x10004000, 16), 16);
	cr_assert_arr_eq(rec.text, fake_byte(&fake_b, 0x10004000), 16);
}

Test(syscall, the_refusal_record_says_what_and_where)
{
	struct syscall_frame f = frame(BH_SYS_PRINT, BH_LEVEL_INFO, 0x10001ff0, 0x20);
	struct syscall_call call;
	struct syscall_refusal why;

	cr_assert_eq(syscall_decode(&ca, &f, &call, &why), BH_E_FAULT);
	cr_assert_eq(why.err, BH_E_FAULT);
	cr_assert(why.violation);
	cr_assert_eq(why.nr, BH_SYS_PRINT);
	cr_assert_str_eq(why.call, "print");
	cr_assert_eq(why.arg, 1);
	cr_assert_eq(why.value, 0x10001ff0);
	cr_assert_eq(why.why, UACCESS_ERR_UNMAPPED);
	cr_assert_eq(why.addr, 0x10002000, "the first byte past A's heap");
	cr_assert_eq(loglines, 0, "decode logs nothing");

	f = frame(0x123456789ull, 0, 0, 0);
	cr_assert_eq(syscall_decode(&ca, &f, &call, &why), BH_E_NOSYS);
	cr_assert_eq(why.nr, 0x123456789ull);
	cr_assert_str_eq(why.call, "unknown");
	cr_assert_eq(why.arg, SYSCALL_ARG_NONE);
	cr_assert(why.violation);
}

Test(syscall, the_violation_line_carries_the_address)
{
	struct jobj o;

	cr_assert_eq(sys(&ca, BH_SYS_PRINT, BH_LEVEL_INFO, 0x10001ff0, 0x20), -BH_E_FAULT);
	only_line(&o);
	cr_assert_str_eq(jobj_str(&o, "addr"), "0x10002000");
	cr_assert_str_eq(jobj_str(&o, "value"), "0x10001ff0");
	cr_assert_eq(jobj_u64(&o, "ts", 0), 42);
	cr_assert_eq(jobj_u64(&o, "cpu", 0), 1);
}

/* ---- The print event ------------------------------------------------------------ */
Test(syscall, print_event_escapes_any_bytes)
{
	static const char text[] = "a \"q\" \\ b\nc\x00" "d\x1b[2J\xff";
	size_t len = sizeof(text) - 1;
	struct jobj o;

	syscall_print_event(&ca, BH_LEVEL_ERROR, text, len);
	only_line(&o);
	cr_assert_str_eq(jobj_str(&o, "lvl"), "error", "the level asked for");
	cr_assert_str_eq(jobj_str(&o, "sub"), "part");
	cr_assert_str_eq(jobj_str(&o, "ev"), "print");
	cr_assert_str_eq(jobj_str(&o, "partition"), "sensors");
	cr_assert_str_eq(jobj_str(&o, "cell"), "driver");
	cr_assert_not_null(strstr(logbuf, "\"text\":\"a \\\"q\\\" \\\\ b\\nc\\u0000d\\u001b[2J\\u00ff\"}\n"),
			   "%s", logbuf);
	cr_assert_eq(strchr(logbuf, '\n'), logbuf + loglen - 1, "one line: the newline is escaped");
}

Test(syscall, print_events_below_the_log_level_are_filtered)
{
	log_set_level(LOG_WARN);
	cr_assert_eq(sys(&ca, BH_SYS_PRINT, BH_LEVEL_INFO, 0x401000, 8), 8, "still succeeds");
	cr_assert_eq(sys(&ca, BH_SYS_PRINT, BH_LEVEL_DEBUG, 0x401000, 8), 8);
	cr_assert_eq(loglines, 0, "%s", logbuf);
	cr_assert_eq(sys(&ca, BH_SYS_PRINT, BH_LEVEL_WARN, 0x401000, 8), 8);
	cr_assert_eq(loglines, 1);
	cr_assert_eq(sys(&ca, BH_SYS_PRINT, 9, 0x401000, 8), -BH_E_INVAL,
		     "refused whatever the level");
	cr_assert_eq(loglines, 2, "and the violation (warn) is shown");
}

Test(syscall, the_longest_print_event_fits_one_line_whole)
{
	static const char pname[] = "partition-name-23-chars";
	static const char cname[] = "cell-name-is-23-chars-x";
	struct syscall_caller c = { pname, cname, 0, 0, true, &fake_a.space };
	char text[BH_PRINT_MAX];
	char want[BH_PRINT_MAX * 6 + 1];

	cr_assert_eq(strlen(pname), BH_NAME_MAX - 1);
	cr_assert_eq(strlen(cname), BH_NAME_MAX - 1);
	memset(text, 0x01, sizeof(text));
	for (unsigned int i = 0; i < BH_PRINT_MAX; i++)
		memcpy(want + 6 * i, "\\u0001", 6);
	want[sizeof(want) - 1] = '\0';
	sink_now = UINT64_MAX;
	syscall_print_event(&c, BH_LEVEL_DEBUG, text, sizeof(text));
	cr_assert_eq(loglines, 1);
	cr_assert_null(strstr(logbuf, "trunc"), "%s", logbuf);
	cr_assert_not_null(strstr(logbuf, want));
	cr_assert_lt(loglen, LOG_LINE_MAX);
}

/* ---- timed_wait ------------------------------------------------------------------- */
Test(syscall, timed_wait)
{
	cr_assert_eq(sys(&ca, BH_SYS_TIMED_WAIT, 0, 0, 0), 0);
	cr_assert_eq(rec.until_ns, 0);
	cr_assert_eq(sys(&ca, BH_SYS_TIMED_WAIT, INT64_MAX, 0, 0), 0);
	cr_assert_eq(rec.until_ns, INT64_MAX);
	cr_assert_eq(rec.count[OP_TWAIT], 2);
	expect_violation(&ca, BH_SYS_TIMED_WAIT, UINT64_MAX, 0, 0, BH_E_INVAL, "timed_wait",
			 "invalid-argument", 0, NULL);
	expect_violation(&ca, BH_SYS_TIMED_WAIT, 1ull << 63, 0, 0, BH_E_INVAL, "timed_wait",
			 "invalid-argument", 0, NULL);
}

/* ---- raise_error ------------------------------------------------------------------ */
Test(syscall, raise_error)
{
	cr_assert_eq(sys(&ca, BH_SYS_RAISE_ERROR, UINT32_MAX, 0x401ff0, 0x20), 0);
	cr_assert_eq(rec.count[OP_RAISE], 1);
	cr_assert_eq(rec.code, UINT32_MAX);
	cr_assert_eq(rec.len, 0x20);
	cr_assert_arr_eq(rec.text, fake_byte(&fake_a, 0x401ff0), 0x10, "over two pages");
	cr_assert_arr_eq(rec.text + 0x10, fake_byte(&fake_a, 0x402000), 0x10);
	memset(&rec, 0, sizeof(rec));
	cr_assert_eq(sys(&ca, BH_SYS_RAISE_ERROR, 7, 0, 0), 0, "no message");
	cr_assert_eq(rec.count[OP_RAISE], 1);
	cr_assert_eq(rec.len, 0);
	cr_assert_eq(loglines, 0, "%s", logbuf);
	expect_violation(&ca, BH_SYS_RAISE_ERROR, 1ull << 32, 0x401000, 4, BH_E_INVAL,
			 "raise_error", "invalid-argument", 0, NULL);
	expect_violation(&ca, BH_SYS_RAISE_ERROR, 1, 0x401000, BH_PRINT_MAX + 1, BH_E_TOOBIG,
			 "raise_error", "too-long", 2, NULL);
	expect_violation(&ca, BH_SYS_RAISE_ERROR, 1, 0x402ff0, 0x20, BH_E_FAULT, "raise_error",
			 "bad-address", 1, "not-readable"); /* into the execute-only page */
	expect_violation(&ca, BH_SYS_RAISE_ERROR, 1, 0xffffffc000000000ull, 8, BH_E_FAULT,
			 "raise_error", "bad-address", 1, "not-el0");
	expect_violation(&ca, BH_SYS_RAISE_ERROR, 1, 0x10004000, 8, BH_E_FAULT, "raise_error",
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
		memset(&rec, 0, sizeof(rec));
		cr_assert_eq(sys(&ca, BH_SYS_PARTITION_STATUS, where[i], 0, 0), 0);
		cr_assert_eq(rec.count[OP_STATUS], 1);
		read_status(&fake_a, where[i], &st);
		cr_assert_eq(st.index, 0);
		cr_assert_eq(st.mode, BH_MODE_NORMAL);
		cr_assert_eq(st.major_frame_ns, 10000000);
		cr_assert_eq(st.cell, 1, "the calling cell, set by the kernel");
		cr_assert_eq(st.frames, 0, "what the op left alone is zero, not stack bytes");
		cr_assert_eq(st.restarts, 0);
		cr_assert_eq(st.cpu, 0);
		cr_assert_eq(*fake_byte(&fake_a, where[i] - 1), fake_pattern('A', where[i] - 1));
		cr_assert_eq(*fake_byte(&fake_a, where[i] + sizeof(st)),
			     fake_pattern('A', where[i] + sizeof(st)), "nothing written past it");
	}
	memset(&rec, 0, sizeof(rec));
	cr_assert_eq(sys(&cb, BH_SYS_PARTITION_STATUS, 0x10004000, 0, 0), 0);
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
		expect_violation(&ca, BH_SYS_PARTITION_STATUS, bad[i].ptr, 0, 0, BH_E_FAULT,
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
		{ BH_SYS_PORT_FIRST, "reserved-port" },
		{ BH_SYS_PORT_LAST, "reserved-port" },
		{ BH_SYS_MAX + 1, "unknown" },
		{ 1ull << 32 | BH_SYS_PRINT, "unknown" }, /* only all 64 bits name a call */
		{ 1ull << 63, "unknown" },
		{ UINT64_MAX, "unknown" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_violation(&ca, cases[i].nr, BH_LEVEL_INFO, 0x401000, 4, BH_E_NOSYS,
				 cases[i].call, "unknown-call", -1, NULL);
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

Test(syscall, random_frames_get_a_documented_answer_and_never_an_op_when_refused)
{
	unsigned int ok = 0, refused = 0;

	for (int i = 0; i < 30000; i++) {
		const struct syscall_caller *c = i % 2 ? &ca : &cb;
		uint64_t r = rnd();
		uint64_t nr = r % 8 == 0 ? rnd() : r % 8 == 1 ? 0x100 + (r >> 8) % 0x210 : (r >> 8) % 12;
		struct syscall_frame f = frame(nr, rnd_arg(), rnd_arg(), rnd_arg());
		int64_t res;

		memset(&rec, 0, sizeof(rec));
		loglines = 0;
		loglen = 0;
		res = syscall_handle(&ops, &rec, c, &f);
		if (res >= 0) {
			ok++;
			cr_assert(nr < BH_SYS_COUNT);
			cr_assert_leq(rec.total, 1);
			cr_assert_eq(rec.total, nr == BH_SYS_NOP ? 0 : 1, "nr %llu",
				     (unsigned long long)nr);
			continue;
		}
		refused++;
		cr_assert_lt(-res, BH_E_COUNT, "a documented error: %lld", (long long)res);
		cr_assert_eq(rec.total, 0, "no op after a refusal (nr 0x%llx, error %lld)",
			     (unsigned long long)nr, (long long)res);
		cr_assert_eq(loglines, res == -BH_E_MODE ? 0 : 1, "one violation line: %s", logbuf);
	}
	cr_assert_gt(ok, 1000);
	cr_assert_gt(refused, 1000);
	cr_assert_eq(fake_a.bad_queries + fake_b.bad_queries, 0);
}
