#include "fake_ops.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "core/log.h"
#include "fake_space.h"

struct fake_rec fake_rec;
struct fake_log fake_log;
struct syscall_caller caller_a, caller_b;
struct cap_table caps_a, caps_b;
static struct cap_entry caps_a_mem[3], caps_b_mem[1];

static void hit(void *ctx, const struct syscall_caller *c, enum fake_op op)
{
	struct fake_rec *r = ctx;

	r->count[op]++;
	r->total++;
	r->caller = c;
}

static int64_t op_time(void *ctx, const struct syscall_caller *c)
{
	hit(ctx, c, OP_TIME);
	return FAKE_TIME_NS;
}
static int64_t op_pwait(void *ctx, const struct syscall_caller *c)
{
	hit(ctx, c, OP_PWAIT);
	return FAKE_RELEASE_NS;
}
static void op_twait(void *ctx, const struct syscall_caller *c, int64_t until)
{
	hit(ctx, c, OP_TWAIT);
	((struct fake_rec *)ctx)->until_ns = until;
}
static void op_beat(void *ctx, const struct syscall_caller *c)
{
	hit(ctx, c, OP_BEAT);
}
static void op_raise(void *ctx, const struct syscall_caller *c, uint32_t code, const char *msg,
		     size_t len)
{
	struct fake_rec *r = ctx;

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
	st->major_frame_ns = FAKE_FRAME_NS;
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
	struct fake_rec *r = ctx;

	hit(ctx, c, OP_PRINT);
	r->level = level;
	r->len = len;
	memcpy(r->text, text, len);
	syscall_print_event(c, level, text, len);
}

static void op_devinfo(void *ctx, const struct syscall_caller *c, uint32_t slot,
		       struct bh_device_info *out)
{
	hit(ctx, c, OP_DEVINFO);
	((struct fake_rec *)ctx)->slot = slot;
	out->va = FAKE_DEV_VA + slot;
	out->bytes = 0x1000;
}
static int64_t op_irq_wait(void *ctx, const struct syscall_caller *c, uint32_t slot,
			   uint64_t timeout_ns)
{
	struct fake_rec *r = ctx;

	hit(ctx, c, OP_IRQ_WAIT);
	r->slot = slot;
	r->timeout_ns = timeout_ns;
	return -(int64_t)BH_E_TIMEOUT;
}
static void op_irq_ack(void *ctx, const struct syscall_caller *c, uint32_t slot)
{
	hit(ctx, c, OP_IRQ_ACK);
	((struct fake_rec *)ctx)->slot = slot;
}

static bool op_violation_log(void *ctx, const struct syscall_caller *c,
			     struct syscall_refusal *why)
{
	struct fake_rec *r = ctx;

	why->suppressed = r->suppressed_next;
	return !r->mute;
}

static void op_violation(void *ctx, const struct syscall_caller *c,
			 const struct syscall_refusal *why)
{
	struct fake_rec *r = ctx;

	r->violations++;
	r->last_violation = *why;
	r->caller = c;
}

const struct syscall_ops fake_ops = {
	.time_ns = op_time,
	.periodic_wait = op_pwait,
	.timed_wait = op_twait,
	.heartbeat = op_beat,
	.raise_error = op_raise,
	.partition_status = op_status,
	.yield = op_yield,
	.cell_stop = op_stop,
	.print = op_print,
	.device_info = op_devinfo,
	.irq_wait = op_irq_wait,
	.irq_ack = op_irq_ack,
	.violation_log = op_violation_log,
	.violation = op_violation,
};

static void sink_write(void *ctx, const char *l, size_t n)
{
	cr_assert_lt(fake_log.len + n, sizeof(fake_log.buf));
	memcpy(fake_log.buf + fake_log.len, l, n);
	fake_log.len += n;
	fake_log.buf[fake_log.len] = '\0';
	fake_log.lines++;
}
static uint64_t sink_ts(void *ctx)
{
	return fake_log.now;
}
static unsigned int sink_cpu(void *ctx)
{
	return 1;
}
static const struct log_sink sink = { sink_write, sink_ts, sink_cpu, NULL, NULL, NULL };

void fake_reset(void)
{
	memset(&fake_rec, 0, sizeof(fake_rec));
	fake_log.len = 0;
	fake_log.lines = 0;
	fake_log.buf[0] = '\0';
}

void fake_ops_setup(void)
{
	fake_space_init();
	fake_reset();
	fake_log.now = 42;
	log_init(&sink, LOG_DEBUG);
	caller_a = (struct syscall_caller){ "sensors", "driver", 0, 1, true, &fake_a.space, NULL, NULL };
	caller_b = (struct syscall_caller){ "logger", "main", 1, 0, false, &fake_b.space, NULL, NULL };
	caps_a_mem[0] = (struct cap_entry){ CAP_DEVICE, true, 1, CAP_RIGHT_MAP | CAP_RIGHT_IRQ, 0,
					    { 0x9010000, 0x1000, { 34 }, 1 } };
	caps_a_mem[1] = (struct cap_entry){ CAP_DEVICE, true, 1, CAP_RIGHT_MAP, 1,
					    { 0x9030000, 0x1000, { 0 }, 0 } };
	caps_a_mem[2] = (struct cap_entry){ CAP_PORT, true, 1, CAP_RIGHT_WRITE, 0, { 0 } };
	caps_b_mem[0] = caps_a_mem[0];
	caps_a = (struct cap_table){ 0, 3, caps_a_mem };
	caps_b = (struct cap_table){ 1, 1, caps_b_mem };
	caller_a.caps = &caps_a;
	caller_b.caps = &caps_b;
}

void fake_ops_teardown(void)
{
	fake_space_fini();
}

struct syscall_frame fake_frame(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
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

int64_t sys(const struct syscall_caller *c, uint64_t nr, uint64_t a0, uint64_t a1,
		   uint64_t a2)
{
	struct syscall_frame f = fake_frame(nr, a0, a1, a2);
	int64_t r = syscall_handle(&fake_ops, &fake_rec, c, &f);

	cr_assert_eq((int64_t)f.x[0], r, "the result is in x0");
	for (unsigned int i = 1; i < 9; i++)
		cr_assert_eq(f.x[i], fake_frame(nr, a0, a1, a2).x[i], "x%u is left alone", i);
	return r;
}

void only_line(struct jobj *o)
{
	cr_assert_eq(fake_log.lines, 1, "one line, got %u:\n%s", fake_log.lines, fake_log.buf);
	cr_assert(jsonl_parse(fake_log.buf, o), "valid JSON: %s", fake_log.buf);
}

void expect_violation(const struct syscall_caller *c, uint64_t nr, uint64_t a0,
			     uint64_t a1, uint64_t a2, enum bh_err err, const char *call,
			     const char *errname, int arg, const char *why)
{
	struct jobj o;
	char hex[32];

	fake_reset();
	cr_assert_eq(sys(c, nr, a0, a1, a2), -(int64_t)err, "call 0x%llx", (unsigned long long)nr);
	cr_assert_eq(fake_rec.total, 0, "no op runs after a refused decode");
	cr_assert_eq(fake_rec.violations, 1, "the health monitor hears of it once");
	cr_assert_eq(fake_rec.caller, c);
	cr_assert_eq(fake_rec.last_violation.err, err);
	cr_assert_eq(fake_rec.last_violation.nr, nr);
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
		cr_assert_str_eq(jobj_str(&o, "why"), why, "%s", fake_log.buf);
	else
		cr_assert_null(jobj_get(&o, "why"));
}
