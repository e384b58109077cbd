/*
 * The system calls of the running partitions (core/syscall.c decodes and checks them,
 * these ops carry them out) and the svc upcall with its null-call fast path.
 */
#include "core/run_priv.h"
#include "core/port_sys.h"

/* ---- System calls ---------------------------------------------------------------- */

static struct partition *caller_part(const struct syscall_caller *c)
{
	return &run.part[c->partition_index];
}

static int64_t op_time_ns(void *ctx, const struct syscall_caller *c)
{
	return (int64_t)(run_now_ns() - run.epoch_ns);
}

static int64_t op_periodic_wait(void *ctx, const struct syscall_caller *c)
{
	struct run_cpu *rc = ctx;
	uint64_t now = run_now_ns();
	struct sched_decision d;

	if (sched_on_periodic_wait(rc->sc, now, &d) != SCHED_OK)
		kernel_panic("periodic_wait: the scheduler has no running periodic cell");
	run_apply(rc, &d, now);
	return (int64_t)(d.release_ns - run.epoch_ns); /* the scheduler's own release */
}

void run_block(struct run_cpu *rc, uint64_t wake_at)
{
	uint64_t now = run_now_ns();
	struct sched_decision d;

	if (sched_on_block(rc->sc, wake_at, now, &d) != SCHED_OK)
		kernel_panic("block: the scheduler has no running cell");
	run_apply(rc, &d, now);
}

uint64_t run_epoch_now_ns(void)
{
	return run_now_ns() - run.epoch_ns;
}

/* The calling cell sleeps; its svc runs again when it wakes (the vectors resume at pc). */
void run_sleep_rerun(void *ctx, uint64_t until_ns)
{
	struct run_cpu *rc = ctx;

	rc->next->pc -= 4; /* ELR_EL1 of an svc is the instruction after it */
	run_block(rc, run.epoch_ns + until_ns);
}

static void op_timed_wait(void *ctx, const struct syscall_caller *c, int64_t until_ns)
{
	run_block(ctx, run.epoch_ns + (uint64_t)until_ns);
}

static void op_yield(void *ctx, const struct syscall_caller *c)
{
	run_block(ctx, 0);
}

static void op_cell_stop(void *ctx, const struct syscall_caller *c)
{
	run_block(ctx, UINT64_MAX);
}

static void op_heartbeat(void *ctx, const struct syscall_caller *c)
{
	caller_part(c)->heartbeat_ns = run_now_ns() - run.epoch_ns;
	run_hm_fast_limit(c->partition_index); /* the monitor's next look moves with it */
}

static void op_raise_error(void *ctx, const struct syscall_caller *c, uint32_t code,
			   const char *msg, size_t len)
{
	struct hm_decision dec;
	char detail[32];
	struct strbuf sb;

	LOG(LOG_WARN, "part", "application_error", LOG_STR("partition", c->partition),
	    LOG_STR("cell", c->cell), LOG_U64("code", code), LOG_STRN("message", msg, len));
	sb_init(&sb, detail, sizeof(detail));
	sb_puts(&sb, "code=");
	sb_hex(&sb, code);
	(void)run_hm_detected(ctx, c->partition_index, HM_APPLICATION_ERROR, (int)c->cell_index, run_now_ns(),
			  detail, &dec);
}

static void op_partition_status(void *ctx, const struct syscall_caller *c,
				struct bh_partition_status *out)
{
	const struct partition *p = caller_part(c);
	uint64_t frame_ns = run.plan->major_frame_us * 1000ULL;

	out->index = p->index;
	hm_run_status(p->index, out); /* mode, start condition, restarts */
	out->major_frame_ns = frame_ns;
	out->duration_ns = plan_partition_supply_us(run.plan, p->index) * 1000ULL;
	out->frames = (run_now_ns() - run.epoch_ns) / frame_ns;
	out->cpu = p->pp->cpu;
}

static void op_print(void *ctx, const struct syscall_caller *c, enum bh_level level,
		     const char *text, size_t len)
{
	syscall_print_event(c, level, text, len);
}

static void op_device_info(void *ctx, const struct syscall_caller *c, uint32_t slot,
			   struct bh_device_info *out)
{
	devices_info(c->partition_index, slot, out);
}

/* The kernel writes 0 into the cell's x0 if the interrupt wakes it (run_on_device_irq);
 * the value returned here is what it gets when the limit passes. One cell waits on a
 * device at a time: another cell's call meanwhile answers not-available. */
static int64_t op_irq_wait(void *ctx, const struct syscall_caller *c, uint32_t slot,
			   uint64_t timeout_ns)
{
	uint64_t now = run_now_ns();
	uint64_t until = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;

	switch (devices_irq_take(c->partition_index, slot, c->cell_index, now, until)) {
	case DEV_TAKEN:
		return 0;
	case DEV_BUSY:
		return -(int64_t)BH_E_AGAIN;
	case DEV_WAITING:
		break;
	}
	if (timeout_ns != 0)
		run_block(ctx, until);
	return -(int64_t)BH_E_TIMEOUT;
}

static void op_irq_ack(void *ctx, const struct syscall_caller *c, uint32_t slot)
{
	uint32_t intid[CAP_DEVICE_IRQS];
	unsigned int n;

	devices_irq_lines(c->partition_index, slot, intid, &n);
	for (unsigned int i = 0; i < n; i++)
		run.hooks.gic->spi_mask(intid[i], false);
}

/*
 * A wake-up's answer (sched_wake_quick) carried out: nothing when the CPU goes on with
 * what it ran; a switch within the window (no event, no window start, the same timer)
 * or a full decision through run_apply. True if the timer must be re-armed (only a
 * full decision moves it).
 */
static bool wake_carry_out(struct run_cpu *rc, enum sched_wake_result r,
			   const struct sched_decision *d, uint64_t now)
{
	if (r == SCHED_WAKE_NOT_ASLEEP || r == SCHED_WAKE_UNCHANGED)
		return false;
	run_apply(rc, d, now);
	return r == SCHED_WAKE_DECIDED;
}

bool run_on_device_irq(unsigned int cpu, uint32_t intid)
{
	struct run_cpu *rc = &run.cpu[cpu];
	uint64_t now = run_irq_now_ns(cpu); /* as the timer path: when it came */
	unsigned int part;
	int32_t cell;
	struct sched_decision d;

	if (!devices_irq_fired(intid, now, &part, &cell))
		return false;
	run.hooks.gic->spi_mask(intid, true);
	if (cell >= 0 && rc->started && run.plan->part[part].cpu == cpu) {
		run.part[part].ctx[cell].x[0] = 0; /* irq_wait's result: the interrupt came */
		if (IS_ENABLED_BENCH)
			rc->bench_woken = &run.part[part].ctx[cell];
		if (wake_carry_out(rc, sched_wake_quick(rc->sc, part, (uint32_t)cell, now, &d), &d,
				   now))
			run.hooks.rearm(cpu);
	}
	return true;
}

/* ---- Channel wake-ups (docs/channels.md, "Waiting") ------------------------------ */

/*
 * A cell of part may end its channel wait. Its CPU is interrupted only while part holds
 * it: otherwise the wait ends at part's next window start (run_chan_wake from
 * run_apply), so a notification never takes another partition's time. The window's
 * partition (struct fastwin.window_part, written at every window start, by the IRQ
 * vector's too) is that CPU's own field, read here as a hint: the barrier in port_notify_take before
 * this load, and the one in channels_wake_mask after that CPU's store, make sure that
 * if the hint is stale, that CPU's window start sees the change.
 */
void run_chan_notify(unsigned int part)
{
	unsigned int cpu = run.plan->part[part].cpu;

	if (cpu == run_this_rc()->cpu || !run.hooks.gic->sgi_to)
		return; /* part cannot hold this CPU now: its next window looks */
	if (__atomic_load_n(&run.cpu[cpu].fw.window_part, __ATOMIC_RELAXED) == (int64_t)part) {
		run.hooks.gic->sgi_to(cpu, RUN_SGI_WAKE);
		cpu_yield_hint();
	}
}

/* On part's CPU while part holds it: its cells whose wait can end are woken. A
 * receive is completed for its cell at once (channels_woken: the message into
 * its buffer, the result in its x0, on after its svc); any other wait's call runs
 * again. The caller re-arms the timer. */
void run_chan_wake(struct run_cpu *rc, int32_t part, uint64_t now)
{
	uint32_t mask;
	struct sched_decision d;

	if (part < 0 || rc->window_part != part)
		return;
	mask = channels_wake_mask((unsigned int)part);
	for (uint32_t cell = 0; mask; cell++, mask >>= 1)
		if (mask & 1u) {
			enum sched_wake_result r = sched_wake_quick(rc->sc, (uint32_t)part, cell, now, &d);

			if (r == SCHED_WAKE_NOT_ASLEEP)
				continue;
			struct el0_ctx *ctx = &run.part[part].ctx[cell];

			if (channels_woken((unsigned int)part, cell, devices_caps((unsigned int)part),
					   &run.part[part].writable, ctx->x))
				ctx->pc += 4; /* past the svc that run_sleep_rerun had it make again */
			(void)wake_carry_out(rc, r, &d, now); /* the caller re-arms the timer */
		}
}

void run_on_wake_sgi(unsigned int cpu)
{
	struct run_cpu *rc = &run.cpu[cpu];
	struct el0_ctx *before = rc->next;

	if (!rc->started)
		return;
	run_chan_wake(rc, rc->window_part, run_now_ns());
	if (rc->next != before)
		run.hooks.rearm(cpu);
}

/*
 * syscall_violation events: at most VIOLATION_EVENTS_PER_FRAME per partition in each
 * major frame (a partition that loops on bad calls must not flood the console, which
 * every partition's output shares); the next one logged carries how many were not.
 * Touched only by the partition's CPU.
 */

static bool op_violation_log(void *ctx, const struct syscall_caller *c,
			     struct syscall_refusal *why)
{
	uint64_t frame = (run_now_ns() - run.epoch_ns) / (run.plan->major_frame_us * 1000ULL);
	typeof(run.vlog[0]) *v = &run.vlog[c->partition_index];

	if (frame != v->frame) {
		v->frame = frame;
		v->logged = 0;
	}
	v->last_logged = v->logged < VIOLATION_EVENTS_PER_FRAME;
	if (!v->last_logged) {
		v->suppressed++;
		return false;
	}
	v->logged++;
	why->suppressed = v->suppressed;
	v->suppressed = 0;
	return true;
}

/* The refusal is logged already (syscall_violation): the partition's policy for it. */
static void op_violation(void *ctx, const struct syscall_caller *c,
			 const struct syscall_refusal *why)
{
	char detail[48];
	struct strbuf sb;

	sb_init(&sb, detail, sizeof(detail));
	sb_puts(&sb, "call=");
	sb_puts(&sb, why->call);
	sb_puts(&sb, " error=");
	sb_i64(&sb, -(int64_t)why->err);
	run_hm_violation(ctx, c->partition_index, (int)c->cell_index, run_now_ns(), detail);
}

static const struct syscall_ops ops = {
	.time_ns = op_time_ns,
	.periodic_wait = op_periodic_wait,
	.timed_wait = op_timed_wait,
	.heartbeat = op_heartbeat,
	.raise_error = op_raise_error,
	.partition_status = op_partition_status,
	.yield = op_yield,
	.cell_stop = op_cell_stop,
	.print = op_print,
	.device_info = op_device_info,
	.irq_wait = op_irq_wait,
	.irq_ack = op_irq_ack,
	.violation_log = op_violation_log,
	.violation = op_violation,
	.port = &channels_port_ops,
};

static inline struct syscall_caller caller_of(const struct run_cpu *rc)
{
	const struct partition *p = &run.part[rc->part];

	return (struct syscall_caller){
		.partition = p->pp->name, .cell = plan_cell_name(rc->cell),
		.partition_index = p->index, .cell_index = (uint32_t)rc->cell,
		.periodic = p->pp->cell[rc->cell].periodic, .space = &p->uspace,
		.caps = devices_caps(p->index), .plan = run.plan,
	};
}

/* Out of line: the caller's description has its address taken (a stack-protector
 * check in this frame), which the null call should not pay for. */
static __attribute__((noinline)) struct el0_ctx *svc_call(struct run_cpu *rc, struct el0_ctx *ctx,
							   uint64_t self)
{
	const struct syscall_caller c = caller_of(rc);
	struct el0_ctx *before = rc->next;
	int32_t part = rc->part;

	(void)syscall_handle(&ops, rc, &c, (struct syscall_frame *)ctx->x);
	if (rc->hm_acted) {
		run.hooks.rearm(rc->cpu);
		rc->bench_kind = BENCH_NONE;
		return NULL; /* the health monitor acted: on through the idle loop */
	}
	if (rc->next != before)
		run.hooks.rearm(rc->cpu);
	if (IS_ENABLED_BENCH)
		run_bench_end(rc, ctx, part, BENCH_SYSCALL, self);
	return rc->next;
}

/*
 * periodic_wait, at the end of every periodic job: no argument to decode and one check,
 * that the caller's cell is periodic (kernel_el0_svc looks; the full path refuses the
 * others and logs it). Then the same op and the same way back as svc_call, without
 * the caller's description or the generic decode.
 */
static __attribute__((noinline)) struct el0_ctx *svc_periodic_wait(struct run_cpu *rc,
								    struct el0_ctx *ctx,
								    uint64_t self)
{
	struct el0_ctx *before = rc->next;
	int32_t part = rc->part;

	ctx->x[0] = (uint64_t)op_periodic_wait(rc, NULL);
	if (rc->hm_acted) {
		run.hooks.rearm(rc->cpu);
		rc->bench_kind = BENCH_NONE;
		return NULL; /* the health monitor acted: on through the idle loop */
	}
	if (rc->next != before)
		run.hooks.rearm(rc->cpu);
	if (IS_ENABLED_BENCH)
		run_bench_end(rc, ctx, part, BENCH_SYSCALL, self);
	return rc->next;
}

/*
 * The port calls made at every message, without the generic dispatch
 * (port_sys_fast: same checks, same ops). False if the full path must run the call (a
 * refusal, logged there). The op may put the cell to sleep: then the context to
 * return to is another (rc->next), or none (idle, hm_acted), as from svc_call. (No
 * out-parameter: kernel_el0_svc, which every call passes, keeps no stack-protected
 * local.)
 */
static __attribute__((noinline)) bool svc_port_fast(struct run_cpu *rc, struct el0_ctx *ctx,
						    uint64_t self)
{
	const struct syscall_caller c = caller_of(rc);
	struct el0_ctx *before = rc->next;
	int32_t part = rc->part;

	if (!port_sys_fast(&ops, rc, &c, (struct syscall_frame *)ctx->x))
		return false;
	if (rc->hm_acted) { /* a sleep's decision reported a miss and the monitor acted */
		run.hooks.rearm(rc->cpu);
		rc->bench_kind = BENCH_NONE;
		return true;
	}
	if (rc->next != before)
		run.hooks.rearm(rc->cpu);
	if (IS_ENABLED_BENCH)
		run_bench_end(rc, ctx, part, BENCH_SYSCALL, self);
	return true;
}

/* A call that may have changed the schedule: the window fast path's tables follow. */
static struct el0_ctx *changed(struct run_cpu *rc, struct el0_ctx *next)
{
	run_fast_out(rc);
	return next;
}

/* The calls that change nothing of the schedule (the null call, time_ns, the direct
 * port reads) return at once; the others through changed(). */
static struct el0_ctx *svc_entry(struct run_cpu *rc, struct el0_ctx *ctx, uint64_t self)
{
	uint64_t nr = ctx->x[SYSCALL_NR_REG];

	/* The null call: nothing to decode, nothing to check, no state to change. */
	if (nr == BH_SYS_NOP) {
		ctx->x[0] = 0;
		if (IS_ENABLED_BENCH)
			run_bench_end(rc, ctx, rc->part, BENCH_NULL_SYSCALL, self);
		return ctx;
	}
	/* time_ns: no argument, no state; what a sampling source stamps every write with. */
	if (nr == BH_SYS_TIME_NS) {
		ctx->x[0] = run_now_ns() - run.epoch_ns;
		if (IS_ENABLED_BENCH)
			run_bench_end(rc, ctx, rc->part, BENCH_SYSCALL, self);
		return ctx;
	}
	if (nr == BH_SYS_PERIODIC_WAIT && run.part[rc->part].pp->cell[rc->cell].periodic)
		return changed(rc, svc_periodic_wait(rc, ctx, self));
	if (nr == BH_SYS_SAMPLING_READ || nr == BH_SYS_QUEUING_RECV || nr == BH_SYS_PORT_SIGNAL) {
		/* Nothing to refuse and no wait: by direct index and precomputed ranges
		 * (channels_read_direct, channels_signal_direct), no caller description,
		 * no decode. */
		{
			unsigned int part = (unsigned int)rc->part;
			int64_t r = nr == BH_SYS_PORT_SIGNAL
					    ? channels_signal_direct(devices_caps(part), ctx->x[0])
					    : channels_read_direct(part, (uint32_t)rc->cell,
								   devices_caps(part),
								   &run.part[part].writable, nr,
								   ctx->x);

			if (r != CHANNELS_NOT_DIRECT) {
				ctx->x[0] = (uint64_t)r;
				if (IS_ENABLED_BENCH)
					run_bench_end(rc, ctx, rc->part, BENCH_SYSCALL, self);
				return ctx;
			}
		}

		if (svc_port_fast(rc, ctx, self))
			return changed(rc, rc->hm_acted ? NULL : rc->next);
	}
	return changed(rc, svc_call(rc, ctx, self));
}

struct el0_ctx *kernel_el0_svc(struct el0_ctx *ctx)
{
	struct run_cpu *rc = run_this_rc();
	uint64_t self = 0;

	if (IS_ENABLED_BENCH)
		self = run_bench_begin(rc, ctx);
	run_fast_in(rc); /* where the frame is: the caller's partition and cell */
	return svc_entry(rc, ctx, self);
}
