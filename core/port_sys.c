#include "core/port_sys.h"
#include "core/cap.h"
#include "core/lib/libc.h"
#include "dt/plan.h"

STATIC_ASSERT(PLAN_MAX_MESSAGE_BYTES <= UACCESS_MAX_BYTES, "a message is one checked range");

static enum bh_err refuse(struct syscall_refusal *why, enum bh_err e, unsigned int arg,
			  uint64_t value)
{
	*why = (struct syscall_refusal){ .err = e, .violation = true, .arg = arg, .value = value };
	return e;
}

/* x0: a port handle of the caller with every right in rights (0: any port). */
static enum bh_err get_port(const struct syscall_caller *c, const struct syscall_frame *f,
			    uint32_t rights, struct syscall_port_call *pc,
			    struct syscall_refusal *why)
{
	const struct cap_entry *e;
	enum cap_err ce;

	if (f->x[0] > UINT32_MAX || !c->caps || !c->plan)
		return refuse(why, BH_E_HANDLE, 0, f->x[0]);
	ce = cap_lookup(c->caps, (bh_cap_t)f->x[0], CAP_PORT, rights, &e);
	if (ce != CAP_OK)
		return refuse(why, cap_err_to_bh(ce), 0, f->x[0]);
	if (e->object >= c->plan->n_chan) /* the table was built from this plan */
		return refuse(why, BH_E_HANDLE, 0, f->x[0]);
	pc->handle = (bh_cap_t)f->x[0];
	pc->chan = e->object;
	pc->rights = e->rights;
	pc->message_bytes = c->plan->chan[e->object].message_bytes;
	return BH_OK;
}

static enum bh_err writable(const struct syscall_caller *c, const struct syscall_frame *f,
			    unsigned int i, uint64_t len, struct uaccess_span *span,
			    struct uaccess_memo *memo, struct syscall_refusal *why)
{
	uint64_t bad;
	enum uaccess_err e = uaccess_check_memo(c->space, f->x[i], len, UACCESS_WRITE, span, &bad,
						memo);

	if (e == UACCESS_OK)
		return BH_OK;
	refuse(why, BH_E_FAULT, i, f->x[i]);
	why->why = e;
	why->addr = bad;
	return BH_E_FAULT;
}

/* A timeout: ns, at most about 292 years (int64). */
static enum bh_err timeout(const struct syscall_frame *f, unsigned int i, uint64_t *out,
			   struct syscall_refusal *why)
{
	if ((int64_t)f->x[i] < 0)
		return refuse(why, BH_E_INVAL, i, f->x[i]);
	*out = f->x[i];
	return BH_OK;
}

#define TRY(x)                             \
	do {                               \
		enum bh_err e_ = (x);      \
		if (e_ != BH_OK)           \
			return e_;         \
	} while (0)

/* x0 handle, x1 ptr to a struct bh_port_info. */
static enum bh_err decode_info(const struct syscall_caller *c, const struct syscall_frame *f,
			       struct syscall_port_call *pc, struct syscall_refusal *why)
{
	TRY(get_port(c, f, 0, pc, why));
	return writable(c, f, 1, sizeof(struct bh_port_info), &pc->out, &pc->memo, why);
}

/* x0 handle, x1 buf (message-bytes), x2 ptr to a struct bh_sample_meta. */
static enum bh_err decode_sampling_read(const struct syscall_caller *c,
					const struct syscall_frame *f, struct syscall_port_call *pc,
					struct syscall_refusal *why)
{
	TRY(get_port(c, f, CAP_RIGHT_READ, pc, why));
	if (c->plan->chan[pc->chan].kind != CHANNEL_SAMPLING)
		return refuse(why, BH_E_HANDLE, 0, f->x[0]);
	TRY(writable(c, f, 1, pc->message_bytes, &pc->buf, &pc->memo, why));
	return writable(c, f, 2, sizeof(struct bh_sample_meta), &pc->out, &pc->memo, why);
}

/* x0 handle, x1 buf (message-bytes), x2 timeout_ns. */
static enum bh_err decode_queuing_recv(const struct syscall_caller *c,
				       const struct syscall_frame *f, struct syscall_port_call *pc,
				       struct syscall_refusal *why)
{
	TRY(get_port(c, f, CAP_RIGHT_READ, pc, why));
	if (c->plan->chan[pc->chan].kind != CHANNEL_QUEUING)
		return refuse(why, BH_E_HANDLE, 0, f->x[0]);
	TRY(writable(c, f, 1, pc->message_bytes, &pc->buf, &pc->memo, why));
	return timeout(f, 2, &pc->timeout_ns, why);
}

/* x0 handle, x1 timeout_ns. */
static enum bh_err decode_wait_room(const struct syscall_caller *c, const struct syscall_frame *f,
				    struct syscall_port_call *pc, struct syscall_refusal *why)
{
	TRY(get_port(c, f, CAP_RIGHT_WRITE, pc, why));
	if (c->plan->chan[pc->chan].kind != CHANNEL_QUEUING)
		return refuse(why, BH_E_HANDLE, 0, f->x[0]);
	return timeout(f, 1, &pc->timeout_ns, why);
}

/* x0 handle. */
static enum bh_err decode_signal(const struct syscall_caller *c, const struct syscall_frame *f,
				 struct syscall_port_call *pc, struct syscall_refusal *why)
{
	return get_port(c, f, CAP_RIGHT_WRITE, pc, why);
}

static int64_t invoke_info(const struct syscall_ops *ops, void *ctx,
			   const struct syscall_caller *c, const struct syscall_port_call *pc)
{
	struct bh_port_info info;

	BH_LIBC(memset)(&info, 0, sizeof(info));
	ops->port->info(ctx, c, pc, &info);
	uaccess_write(&pc->out, &info);
	return 0;
}

static int64_t invoke_sampling_read(const struct syscall_ops *ops, void *ctx,
				    const struct syscall_caller *c,
				    const struct syscall_port_call *pc)
{
	return ops->port->sampling_read(ctx, c, pc);
}

static int64_t invoke_queuing_recv(const struct syscall_ops *ops, void *ctx,
				   const struct syscall_caller *c, const struct syscall_port_call *pc)
{
	return ops->port->queuing_recv(ctx, c, pc);
}

static int64_t invoke_wait_room(const struct syscall_ops *ops, void *ctx,
				const struct syscall_caller *c, const struct syscall_port_call *pc)
{
	return ops->port->wait_room(ctx, c, pc);
}

static int64_t invoke_signal(const struct syscall_ops *ops, void *ctx,
			     const struct syscall_caller *c, const struct syscall_port_call *pc)
{
	return ops->port->signal(ctx, c, pc);
}

struct port_call_desc {
	uint32_t nr;
	const char *name;
	enum bh_err (*decode)(const struct syscall_caller *c, const struct syscall_frame *f,
			      struct syscall_port_call *pc, struct syscall_refusal *why);
	int64_t (*invoke)(const struct syscall_ops *ops, void *ctx, const struct syscall_caller *c,
			  const struct syscall_port_call *pc);
};

static const struct port_call_desc port_calls[] = {
	{ BH_SYS_PORT_INFO, "port_info", decode_info, invoke_info },
	{ BH_SYS_SAMPLING_READ, "sampling_read", decode_sampling_read, invoke_sampling_read },
	{ BH_SYS_QUEUING_RECV, "queuing_recv", decode_queuing_recv, invoke_queuing_recv },
	{ BH_SYS_QUEUING_WAIT_ROOM, "queuing_wait_room", decode_wait_room, invoke_wait_room },
	{ BH_SYS_PORT_SIGNAL, "port_signal", decode_signal, invoke_signal },
};

static const struct port_call_desc *find(uint64_t nr)
{
	for (size_t i = 0; i < ARRAY_SIZE(port_calls); i++)
		if (port_calls[i].nr == nr)
			return &port_calls[i];
	return NULL;
}

const char *port_sys_name(uint64_t nr)
{
	const struct port_call_desc *d = find(nr);

	return d ? d->name : NULL;
}

enum bh_err port_sys_decode(const struct syscall_caller *c, const struct syscall_frame *f,
			    struct syscall_call *call, struct syscall_refusal *why)
{
	uint64_t nr = f->x[SYSCALL_NR_REG];
	const struct port_call_desc *d = find(nr);
	enum bh_err e;

	if (!d) {
		refuse(why, BH_E_NOSYS, SYSCALL_ARG_NONE, 0);
		why->nr = nr;
		why->call = "reserved-port";
		return BH_E_NOSYS;
	}
	call->port = (struct syscall_port_call){ 0 }; /* stores of words, not a byte loop */
	e = d->decode(c, f, &call->port, why);
	if (e != BH_OK) {
		why->nr = nr;
		why->call = d->name;
		return e;
	}
	call->nr = (enum bh_sys)nr;
	return BH_OK;
}

int64_t port_sys_invoke(const struct syscall_ops *ops, void *ctx, const struct syscall_caller *c,
			const struct syscall_call *call)
{
	const struct port_call_desc *d = find(call->nr);
	int64_t r;

	if (!d || !ops->port)
		return -(int64_t)BH_E_NOTIMPL;
	r = d->invoke(ops, ctx, c, &call->port);
	/* Asleep: x0 must still hold the handle when the call runs again. */
	return r == PORT_SYS_SLEEP ? (int64_t)call->port.handle : r;
}

bool port_sys_fast(const struct syscall_ops *ops, void *ctx, const struct syscall_caller *c,
		   struct syscall_frame *f)
{
	uint64_t nr = f->x[SYSCALL_NR_REG];
	struct syscall_port_call pc;
	struct syscall_refusal why;
	int64_t r;

	/* Only what the decoders and the two ops read is set: the spans are filled by the
	 * checks, the rest here (the full path zeroes the whole call instead). */
	pc.timeout_ns = 0;
	pc.memo.valid = false;
	if (!ops->port)
		return false;
	if (nr == BH_SYS_SAMPLING_READ) {
		if (decode_sampling_read(c, f, &pc, &why) != BH_OK)
			return false;
		r = ops->port->sampling_read(ctx, c, &pc);
	} else if (nr == BH_SYS_QUEUING_RECV) {
		if (decode_queuing_recv(c, f, &pc, &why) != BH_OK)
			return false;
		r = ops->port->queuing_recv(ctx, c, &pc);
		if (r == PORT_SYS_SLEEP)
			r = (int64_t)pc.handle; /* as port_sys_invoke: x0 keeps the handle */
	} else if (nr == BH_SYS_PORT_SIGNAL) {
		if (decode_signal(c, f, &pc, &why) != BH_OK)
			return false;
		r = ops->port->signal(ctx, c, &pc);
	} else {
		return false;
	}
	f->x[0] = (uint64_t)r;
	return true;
}
