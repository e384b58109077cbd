/*
 * Partitions running (run.h). One struct run_cpu per CPU, written only by that CPU;
 * the partitions are written at boot, then only by the CPU the plan places each on.
 */
#include "core/run.h"
#include "core/channels.h"
#include "core/devices.h"
#include "core/log.h"
#include "core/lib/strbuf.h"
#include "core/partition.h"
#include "core/panic.h"
#include "core/sched.h"
#include "core/syscall.h"
#include "hal/cpu.h"
#include "hal/el0.h"
#include "hal/esr.h"
#include "hal/exception.h"
#include "hal/gic.h"
#include "hal/mmu.h"
#include "hal/timer.h"

#define NS_PER_S 1000000000ULL
#define NS_PER_MS 1000000ULL
#define EPOCH_DELAY_NS (2 * NS_PER_MS) /* from run_start to the first frame */
#define START_WAIT_NS (10 * NS_PER_S)  /* how long a CPU waits for run_start */
/*
 * What this kernel runs (a plan may describe more: bhplan checks plans of thousands).
 * Partitions past RUN_MAX_PARTITIONS, or past the CPU's ASIDs, refuse the plan at boot.
 * The tables of one partition take 4 to 8 pages (space_decode counts them exactly).
 */
#define RUN_MAX_PARTITIONS 64
#define TABLE_PAGES 256
#define SCHED_MEM_BYTES (64u << 10)
#define WINDOW_RING 256 /* window events per CPU between two drains */

/* One window begun: formatted later, off the switch path. */
struct window_rec {
	uint64_t frame, planned_ns, actual_ns;
	int32_t part;
};

/* CONFIG_BENCH: the kinds of kernel pass from EL0 back to EL0 that make bench reports. */
enum bench_kind {
	BENCH_NONE,          /* not measured (the first entry, a resume from idle) */
	BENCH_NULL_SYSCALL,  /* nop, back to the caller */
	BENCH_SYSCALL,       /* any other call back to the caller */
	BENCH_IRQ,           /* an interrupt, back to the same cell */
	BENCH_CELL_SWITCH,   /* to another cell of the same partition */
	BENCH_PART_SWITCH,   /* to another partition */
	BENCH_KINDS,
};

static const char *const bench_names[BENCH_KINDS] = {
	"none", "null_syscall", "syscall", "irq", "cell_switch", "partition_switch",
};

struct bench_stat {
	uint64_t n, sum, min, max;
};

struct run_cpu {
	struct sched_cpu *sc;       /* NULL: the plan gives this CPU no schedule */
	struct el0_ctx *next;       /* the context this CPU runs now; NULL: idle */
	int32_t part, cell;         /* of next */
	const struct partition *space; /* whose table TTBR0 holds */
	uint64_t timer_ns;          /* when the scheduler wants to decide again */
	bool started;
	unsigned int ring_head, ring_tail;
	uint64_t ring_dropped;
	struct window_rec ring[WINDOW_RING];
	unsigned int cpu;
	uint64_t late_min_ns;       /* least window lateness (sched_stats has the max) */
	enum bench_kind bench_kind; /* of the pass now resuming EL0 */
	uint64_t bench_start;       /* el0_cycles() when the schedule started */
	uint64_t bench_self;        /* instructions the current pass spent on its own counting */
	struct bench_stat bench[BENCH_KINDS];
} __aligned(64);

static struct {
	const struct plan *plan;
	struct clock clock;
	struct run_hooks hooks;
	struct sched sched;
	uint64_t epoch_ns;
	uint32_t ready; /* run_start done (release/acquire) */
	struct partition part[RUN_MAX_PARTITIONS];
	struct run_cpu cpu[PLAN_MAX_CPUS];
} run;

static pt_page_t tables[TABLE_PAGES] __aligned(4096);
static uint8_t sched_mem[SCHED_MEM_BYTES] __aligned(16);

/* syscall_violation events logged per partition (op_violation_log). */
#define VIOLATION_EVENTS_PER_FRAME 4
static struct {
	uint64_t frame;      /* of the last violation */
	uint32_t logged;     /* in that frame */
	uint64_t suppressed; /* since the last one logged */
} vlog[RUN_MAX_PARTITIONS];

static uint64_t tables_to_pa(const void *t)
{
	return mmu_image_pa(t);
}

static uint64_t *tables_to_va(uint64_t pa)
{
	return (uint64_t *)((uintptr_t)tables + (pa - mmu_image_pa(tables)));
}

static uint64_t now_ns(void)
{
	return clock_ns_since_boot(&run.clock, timer_now());
}

/* The first counter value at or after ns since boot. */
static uint64_t ns_to_ticks(uint64_t ns)
{
	uint64_t f = run.clock.freq_hz;

	return run.clock.boot_ticks + (ns / NS_PER_S) * f + ((ns % NS_PER_S) * f + NS_PER_S - 1) / NS_PER_S;
}

/* Set by run_cpu_enter; kernel_idle and the upcalls run only after it. */
static struct run_cpu *this_rc(void)
{
	return cpu_local();
}

static uint64_t epoch_now_ns(void);
static void sleep_rerun(void *ctx, uint64_t until_ns);
/* The partition's capability table, device windows and their listing in its info page. */
static bool load_devices(const struct plan *p, unsigned int i, struct partition *part,
			 struct pt_pool *pool)
{
	enum cap_err ce;
	enum dev_err e = devices_load(p, i, run.hooks.fdt, pool, pool->to_va(part->root_pa),
				      phys_to_virt(pa_init(part->layout.info.pa)), &ce);

	if (e == DEV_OK)
		return true;
	LOG(LOG_ERROR, "part", "partition_refused", LOG_STR("partition", p->part[i].name),
	    LOG_STR("image", p->part[i].image), LOG_STR("error", dev_strerror(e)),
	    LOG_STR("detail", e == DEV_ERR_CAPS ? cap_strerror(ce) : ""));
	return false;
}

/* This CPU's partitions' device interrupts come here, enabled (run_cpu_enter). */
static void route_irqs(unsigned int cpu)
{
	uint32_t intid;

	for (unsigned int i = 0; i < run.plan->n_part; i++) {
		if (run.plan->part[i].cpu != cpu)
			continue;
		for (unsigned int k = 0; devices_irq_at(i, k, &intid); k++)
			run.hooks.gic->spi_route_here(intid);
	}
}

bool run_load(const struct plan *p, const struct plan_memory_map *map, const struct clock *clk,
	      const struct run_hooks *hooks)
{
	struct pt_pool pool = { tables, TABLE_PAGES, 0, tables_to_pa, tables_to_va };
	const struct channels_env chan_env = { epoch_now_ns, sleep_rerun };

	run.plan = p;
	run.clock = *clk;
	run.hooks = *hooks;
	if (p->n_part > RUN_MAX_PARTITIONS || p->n_part >= el0_asids()) {
		LOG(LOG_ERROR, "part", "partition_refused", LOG_STR("partition", p->part[0].name),
		    LOG_STR("error", "the plan has more partitions than this kernel runs"),
		    LOG_U64("partitions", p->n_part), LOG_U64("max_partitions", RUN_MAX_PARTITIONS),
		    LOG_U64("asids", el0_asids()));
		return false;
	}
	if (!channels_init(p, &map->channels, &chan_env))
		return false;
	for (unsigned int i = 0; i < p->n_part; i++) {
		struct partition *part = &run.part[i];
		struct part_diag diag;
		char what[160];
		struct strbuf sb;

		if (partition_load(part, p, i, &map->part[i], &pool, &diag) != PART_OK) {
			sb_init(&sb, what, sizeof(what));
			part_diag_format(&diag, &sb);
			LOG(LOG_ERROR, "part", "partition_refused", LOG_STR("partition", p->part[i].name),
			    LOG_STR("image", p->part[i].image), LOG_STR("error", what));
			return false;
		}
		if (!channels_map(i, &pool, tables_to_va(part->root_pa))) {
			LOG(LOG_ERROR, "part", "partition_refused", LOG_STR("partition", p->part[i].name),
			    LOG_STR("image", p->part[i].image),
			    LOG_STR("error", "out of partition page-table pages (channels)"));
			return false;
		}
		if (!load_devices(p, i, part, &pool))
			return false;
		LOG(LOG_INFO, "part", "partition_start", LOG_STR("partition", p->part[i].name),
		    LOG_U64("cpu", p->part[i].cpu), LOG_HEX("memory_base", pa_addr(part->mem.base)),
		    LOG_U64("memory_bytes", part->mem.size), LOG_STR("image", p->part[i].image),
		    LOG_STR("sha256", part->sha256), LOG_U64("asid", part->asid),
		    LOG_U64("heap_bytes", part->layout.heap.size));
	}
	return true;
}

bool run_start(uint64_t now)
{
	const struct plan *p = run.plan;
	uint64_t t = clock_ns_since_boot(&run.clock, now) + EPOCH_DELAY_NS;
	uint64_t epoch = (t + NS_PER_MS - 1) / NS_PER_MS * NS_PER_MS;
	enum sched_err e = SCHED_ERR_MEMORY;

	if (sched_mem_bytes(p) <= sizeof(sched_mem))
		e = sched_build(&run.sched, p, epoch, sched_mem, sizeof(sched_mem));
	if (e != SCHED_OK) {
		LOG(LOG_ERROR, "sched", "schedule_refused", LOG_STR("error", sched_strerror(e)));
		return false;
	}
	run.epoch_ns = epoch;
	for (unsigned int c = 0; c < PLAN_MAX_CPUS; c++)
		run.cpu[c].sc = sched_cpu(&run.sched, c);
	LOG(LOG_INFO, "sched", "schedule_start", LOG_U64("epoch_ns", epoch),
	    LOG_U64("major_frame_ns", p->major_frame_us * 1000ULL), LOG_U64("cpus", p->n_sched),
	    LOG_U64("partitions", p->n_part));
	__atomic_store_n(&run.ready, 1, __ATOMIC_RELEASE);
	cpu_send_event();
	return true;
}

/* ---- Window events: a ring per CPU, formatted when the CPU idles ----------------- */

static void drain(struct run_cpu *rc)
{
	while (rc->ring_tail != rc->ring_head) {
		const struct window_rec *w = &rc->ring[rc->ring_tail % WINDOW_RING];

		LOG(LOG_DEBUG, "sched", "window", LOG_STR("partition", run.plan->part[w->part].name),
		    LOG_U64("frame", w->frame), LOG_U64("planned_ns", w->planned_ns),
		    LOG_U64("actual_ns", w->actual_ns), LOG_U64("lateness_ns", w->actual_ns - w->planned_ns));
		rc->ring_tail++;
	}
	if (rc->ring_dropped) {
		LOG(LOG_WARN, "sched", "window_events_dropped", LOG_U64("count", rc->ring_dropped));
		rc->ring_dropped = 0;
	}
}

static void record(struct run_cpu *rc, const struct sched_decision *d, uint64_t now)
{
	if (!log_enabled(LOG_DEBUG))
		return;
	if (rc->ring_head - rc->ring_tail >= WINDOW_RING) {
		rc->ring_dropped++;
		return;
	}
	rc->ring[rc->ring_head % WINDOW_RING] = (struct window_rec){
		.frame = d->frame, .part = d->part,
		.planned_ns = d->planned_ns - run.epoch_ns, .actual_ns = now - run.epoch_ns,
	};
	rc->ring_head++;
}

/* ---- Carrying out the scheduler's decisions ------------------------------------- */

static void apply(struct run_cpu *rc, const struct sched_decision *d, uint64_t now)
{
	for (unsigned int i = 0; i < d->n_events; i++) {
		const struct sched_event *ev = &d->ev[i];

		LOG(LOG_WARN, "sched", "deadline_miss", LOG_STR("partition", run.plan->part[ev->part].name),
		    LOG_STR("cell", plan_cell_name(ev->cell)),
		    LOG_U64("release_ns", ev->release_ns - run.epoch_ns),
		    LOG_U64("deadline_ns", ev->deadline_ns - run.epoch_ns),
		    LOG_U64("detected_ns", ev->detected_ns - run.epoch_ns));
	}
	if (d->window_start) {
		sched_note_switch(rc->sc, now);
		if (now - d->planned_ns < rc->late_min_ns)
			rc->late_min_ns = now - d->planned_ns;
		record(rc, d, now);
	}
	rc->timer_ns = d->next_ns;
	if (d->part == SCHED_IDLE || d->cell == SCHED_IDLE) {
		rc->next = NULL;
		return;
	}
	const struct partition *p = &run.part[d->part];

	if (rc->space != p) {
		el0_space_switch(p->root_pa, p->asid);
		rc->space = p;
	}
	rc->part = d->part;
	rc->cell = d->cell;
	rc->next = &run.part[d->part].ctx[d->cell];
}

void run_on_timer(unsigned int cpu, uint64_t now)
{
	struct run_cpu *rc = &run.cpu[cpu];
	struct sched_decision d;
	uint64_t t;

	if (!rc->started)
		return;
	t = clock_ns_since_boot(&run.clock, now);
	sched_on_timer(rc->sc, t, &d);
	apply(rc, &d, t);
	if (rc->ring_head - rc->ring_tail > WINDOW_RING / 2)
		drain(rc);
}

uint64_t run_timer_deadline(unsigned int cpu)
{
	const struct run_cpu *rc = &run.cpu[cpu];

	return rc->started ? ns_to_ticks(rc->timer_ns) : UINT64_MAX;
}

void run_cpu_enter(unsigned int cpu)
{
	struct run_cpu *rc = &run.cpu[cpu];
	uint64_t deadline = timer_now() + timer_freq() * (START_WAIT_NS / NS_PER_S);

	rc->cpu = cpu;
	cpu_set_local(rc);

	/* Interrupts on while waiting: a stop of the boot (SGI) still parks this CPU. */
	cpu_irq_enable();
	while (!__atomic_load_n(&run.ready, __ATOMIC_ACQUIRE)) {
		cpu_wait_event(); /* run_start's cpu_send_event, or an interrupt */
		if (timer_now() > deadline)
			kernel_panic("the boot CPU never started the schedule");
	}
	cpu_irq_disable();
	if (rc->sc) {
		rc->late_min_ns = UINT64_MAX;
		el0_cpu_init();
		if (IS_ENABLED_BENCH) {
			el0_cycles_start();
			rc->bench_start = el0_cycles();
		}
		rc->timer_ns = run.epoch_ns;
		route_irqs(cpu);
		rc->started = true;
		run.hooks.rearm(cpu);
	}
	cpu_irq_disable();
	kernel_idle();
}

void kernel_idle(void)
{
	struct run_cpu *rc = this_rc();

	rc->bench_kind = BENCH_NONE; /* the way back from idle is not a measured pass */
	for (;;) {
		cpu_irq_disable();
		if (rc->next)
			el0_enter(rc->next);
		drain(rc);
		cpu_idle(); /* wakes on a pending interrupt, masked or not */
		cpu_irq_enable();
	}
}

/* CONFIG_BENCH: this CPU's passes by kind, and the kernel's share of its instructions
 * since the schedule started (every measured pass, with its entry and exit). */
static void bench_report(const struct run_cpu *rc)
{
	uint64_t kernel = 0, elapsed = el0_cycles() - rc->bench_start;

	for (unsigned int k = BENCH_NULL_SYSCALL; k < BENCH_KINDS; k++) {
		const struct bench_stat *b = &rc->bench[k];

		kernel += b->sum;
		if (!b->n)
			continue;
		LOG(LOG_INFO, "bench", "bench", LOG_STR("pass", bench_names[k]), LOG_U64("count", b->n),
		    LOG_U64("min_insns", b->min), LOG_U64("mean_insns", b->sum / b->n),
		    LOG_U64("max_insns", b->max));
	}
	LOG(LOG_INFO, "bench", "bench_total", LOG_U64("kernel_insns", kernel),
	    LOG_U64("elapsed_insns", elapsed),
	    LOG_U64("kernel_share_ppm", elapsed ? kernel * 1000000 / elapsed : 0),
	    LOG_U64("epoch_ns", run.epoch_ns));
}

/* CONFIG_BENCH: the pass that resumed ctx (this entry's context) is over: count it. */
static void bench_account(struct run_cpu *rc, const struct el0_ctx *ctx)
{
	/* A null call that took the vectors' fast path never reached C: only the last one
	 * before this entry is seen (its cost is the same every time). */
	enum bench_kind kind = ctx->bench_fast ? BENCH_NULL_SYSCALL : rc->bench_kind;
	struct bench_stat *b = &rc->bench[kind];
	uint64_t n = el0_pass_insns(ctx) - (ctx->bench_fast ? 0 : rc->bench_self);

	if (kind == BENCH_NONE)
		return;
	if (!b->n || n < b->min)
		b->min = n;
	if (n > b->max)
		b->max = n;
	b->n++;
	b->sum += n;
}

/* CONFIG_BENCH: what the pass that is about to resume EL0 did. */
static void bench_classify(struct run_cpu *rc, const struct el0_ctx *from, int32_t from_part,
			   enum bench_kind same)
{
	if (!rc->next)
		rc->bench_kind = BENCH_NONE;
	else if (rc->next == from)
		rc->bench_kind = same;
	else
		rc->bench_kind = rc->part == from_part ? BENCH_CELL_SWITCH : BENCH_PART_SWITCH;
}

void run_shutdown(void)
{
	for (unsigned int c = 0; c < PLAN_MAX_CPUS; c++) {
		struct sched_stats st;

		if (!run.cpu[c].sc || !run.cpu[c].started)
			continue;
		sched_get_stats(run.cpu[c].sc, &st);
		LOG(LOG_INFO, "sched", "sched_stats", LOG_U64("target", c), LOG_U64("frames", st.frames),
		    LOG_U64("windows", st.windows), LOG_U64("lateness_max_ns", st.lateness_max_ns),
		    LOG_U64("lateness_mean_ns", st.lateness_mean_ns),
		    LOG_U64("lateness_min_ns", st.windows ? run.cpu[c].late_min_ns : 0),
		    LOG_U64("idle_ppm", st.idle_ppm));
	}
	channels_shutdown();
	for (unsigned int i = 0; i < run.plan->n_part; i++)
		if (vlog[i].suppressed)
			LOG(LOG_WARN, "sys", "syscall_violations_suppressed",
			    LOG_STR("partition", run.plan->part[i].name), LOG_U64("count", vlog[i].suppressed));
	if (IS_ENABLED_BENCH)
		bench_report(this_rc());
	drain(this_rc());
}

/* ---- System calls ---------------------------------------------------------------- */

static struct partition *caller_part(const struct syscall_caller *c)
{
	return &run.part[c->partition_index];
}

static int64_t op_time_ns(void *ctx, const struct syscall_caller *c)
{
	return (int64_t)(now_ns() - run.epoch_ns);
}

static int64_t op_periodic_wait(void *ctx, const struct syscall_caller *c)
{
	struct run_cpu *rc = ctx;
	const struct plan_cell *pc = &caller_part(c)->pp->cell[c->cell_index];
	uint64_t now = now_ns(), period = pc->period_us * 1000ULL;
	uint64_t n = (now - run.epoch_ns) / period + 1;
	struct sched_decision d;

	if (sched_on_periodic_wait(rc->sc, now, &d) != SCHED_OK)
		kernel_panic("periodic_wait: the scheduler has no running periodic cell");
	apply(rc, &d, now);
	return (int64_t)(n * period);
}

static void block(struct run_cpu *rc, uint64_t wake_at)
{
	uint64_t now = now_ns();
	struct sched_decision d;

	if (sched_on_block(rc->sc, wake_at, now, &d) != SCHED_OK)
		kernel_panic("block: the scheduler has no running cell");
	apply(rc, &d, now);
}

static uint64_t epoch_now_ns(void)
{
	return now_ns() - run.epoch_ns;
}

/* The calling cell sleeps; its svc runs again when it wakes (the vectors resume at pc). */
static void sleep_rerun(void *ctx, uint64_t until_ns)
{
	struct run_cpu *rc = ctx;

	rc->next->pc -= 4; /* ELR_EL1 of an svc is the instruction after it */
	block(rc, run.epoch_ns + until_ns);
}

static void op_timed_wait(void *ctx, const struct syscall_caller *c, int64_t until_ns)
{
	block(ctx, run.epoch_ns + (uint64_t)until_ns);
}

static void op_yield(void *ctx, const struct syscall_caller *c)
{
	block(ctx, 0);
}

static void op_cell_stop(void *ctx, const struct syscall_caller *c)
{
	block(ctx, UINT64_MAX);
}

static void op_heartbeat(void *ctx, const struct syscall_caller *c)
{
	caller_part(c)->heartbeat_ns = now_ns() - run.epoch_ns;
}

static void op_raise_error(void *ctx, const struct syscall_caller *c, uint32_t code,
			   const char *msg, size_t len)
{
	LOG(LOG_WARN, "part", "application_error", LOG_STR("partition", c->partition),
	    LOG_STR("cell", c->cell), LOG_U64("code", code), LOG_STRN("message", msg, len));
}

static void op_partition_status(void *ctx, const struct syscall_caller *c,
				struct bh_partition_status *out)
{
	const struct partition *p = caller_part(c);
	uint64_t frame_ns = run.plan->major_frame_us * 1000ULL;

	out->index = p->index;
	out->mode = BH_MODE_NORMAL;
	out->start_condition = BH_START_NORMAL;
	out->major_frame_ns = frame_ns;
	out->duration_ns = plan_partition_supply_us(run.plan, p->index) * 1000ULL;
	out->frames = (now_ns() - run.epoch_ns) / frame_ns;
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
 * the value returned here is what it gets when the limit passes. */
static int64_t op_irq_wait(void *ctx, const struct syscall_caller *c, uint32_t slot,
			   uint64_t timeout_ns)
{
	uint64_t now = now_ns();
	uint64_t until = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;

	if (timeout_ns == 0)
		return devices_irq_take(c->partition_index, slot, c->cell_index, now) ? 0
										  : -(int64_t)BH_E_TIMEOUT;
	if (devices_irq_take(c->partition_index, slot, c->cell_index, until))
		return 0;
	block(ctx, until);
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

bool run_on_device_irq(unsigned int cpu, uint32_t intid)
{
	struct run_cpu *rc = &run.cpu[cpu];
	uint64_t now = now_ns();
	unsigned int part;
	int32_t cell;
	struct sched_decision d;

	if (!devices_irq_fired(intid, now, &part, &cell))
		return false;
	run.hooks.gic->spi_mask(intid, true);
	if (cell >= 0 && rc->started && run.plan->part[part].cpu == cpu) {
		run.part[part].ctx[cell].x[0] = 0; /* irq_wait's result: the interrupt came */
		if (sched_wake(rc->sc, part, (uint32_t)cell, now, &d)) {
			apply(rc, &d, now);
			run.hooks.rearm(cpu);
		}
	}
	return true;
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
	uint64_t frame = (now_ns() - run.epoch_ns) / (run.plan->major_frame_us * 1000ULL);
	typeof(vlog[0]) *v = &vlog[c->partition_index];

	if (frame != v->frame) {
		v->frame = frame;
		v->logged = 0;
	}
	if (v->logged >= VIOLATION_EVENTS_PER_FRAME) {
		v->suppressed++;
		return false;
	}
	v->logged++;
	why->suppressed = v->suppressed;
	v->suppressed = 0;
	return true;
}

/* The refusal is logged already (syscall_violation); the partition's health-monitor
 * policy for it is not applied by this kernel yet. */
static void op_violation(void *ctx, const struct syscall_caller *c,
			 const struct syscall_refusal *why)
{
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

/* ---- The HAL's EL0 upcalls -------------------------------------------------------- */

/*
 * CONFIG_BENCH: count the pass that resumed ctx, and later classify this one, leaving
 * out the instructions both take (measured, with the counter reads' own cost).
 */
#define BENCH_READ_COST 4 /* a call of el0_cycles: bl, mrs, ret, and the use of its result */

static uint64_t bench_begin(struct run_cpu *rc, const struct el0_ctx *ctx)
{
	uint64_t t0 = el0_cycles();

	bench_account(rc, ctx);
	return el0_cycles() - t0 + BENCH_READ_COST;
}

static void bench_end(struct run_cpu *rc, const struct el0_ctx *from, int32_t from_part,
		      enum bench_kind same, uint64_t self)
{
	uint64_t t0 = el0_cycles();

	bench_classify(rc, from, from_part, same);
	rc->bench_self = self + el0_cycles() - t0 + BENCH_READ_COST;
}

/* Out of line: the caller's description has its address taken (a stack-protector
 * check in this frame), which the null call should not pay for. */
static __attribute__((noinline)) struct el0_ctx *svc_call(struct run_cpu *rc, struct el0_ctx *ctx,
							   uint64_t self)
{
	const struct partition *p = &run.part[rc->part];
	const struct syscall_caller c = {
		.partition = p->pp->name, .cell = plan_cell_name(rc->cell),
		.partition_index = p->index, .cell_index = (uint32_t)rc->cell,
		.periodic = p->pp->cell[rc->cell].periodic, .space = &p->uspace,
		.caps = devices_caps(p->index), .plan = run.plan,
	};
	struct el0_ctx *before = rc->next;
	int32_t part = rc->part;

	(void)syscall_handle(&ops, rc, &c, (struct syscall_frame *)ctx->x);
	if (rc->next != before)
		run.hooks.rearm(rc->cpu);
	if (IS_ENABLED_BENCH)
		bench_end(rc, ctx, part, BENCH_SYSCALL, self);
	return rc->next;
}

struct el0_ctx *kernel_el0_svc(struct el0_ctx *ctx)
{
	struct run_cpu *rc = this_rc();
	uint64_t self = 0;

	if (IS_ENABLED_BENCH)
		self = bench_begin(rc, ctx);
	/* The null call: nothing to decode, nothing to check, no state to change. */
	if (ctx->x[SYSCALL_NR_REG] == BH_SYS_NOP) {
		ctx->x[0] = 0;
		if (IS_ENABLED_BENCH)
			bench_end(rc, ctx, rc->part, BENCH_NULL_SYSCALL, self);
		return ctx;
	}
	return svc_call(rc, ctx, self);
}

struct el0_ctx *kernel_el0_irq(struct el0_ctx *ctx)
{
	struct run_cpu *rc = this_rc();
	int32_t part = rc->part;
	uint64_t self = 0;

	if (IS_ENABLED_BENCH)
		self = bench_begin(rc, ctx);
	kernel_irq();
	if (IS_ENABLED_BENCH)
		bench_end(rc, ctx, part, BENCH_IRQ, self);
	return rc->next;
}

struct el0_ctx *kernel_el0_fault(struct el0_ctx *ctx, const struct fault_report *r)
{
	struct run_cpu *rc = this_rc();
	unsigned int cpu = rc->cpu;
	struct partition *p = &run.part[rc->part];
	struct esr_info i = esr_decode(r->esr);
	struct sched_decision d;
	uint64_t now = now_ns();

	LOG(LOG_WARN, "part", "partition_fault", LOG_STR("partition", p->pp->name),
	    LOG_STR("cell", plan_cell_name(rc->cell)), LOG_STR("class", i.ec_name),
	    LOG_STR("fault", i.fault), LOG_STR("access", i.access), LOG_HEX("esr", r->esr),
	    LOG_HEX("far", r->far), LOG_HEX("elr", r->elr), LOG_HEX("elr_offset", r->elr - BH_IMAGE_VA),
	    LOG_STR("vector", exception_kind_name(r->kind)), LOG_STR("action", "stop"));
	p->state = PART_STOPPED;
	sched_stop_partition(rc->sc, p->index, now, &d);
	apply(rc, &d, now);
	run.hooks.rearm(cpu);
	rc->bench_kind = BENCH_NONE;
	return rc->next;
}
