/*
 * Partitions running (run.h). One struct run_cpu per CPU, written only by that CPU;
 * the partitions are written at boot, then only by the CPU the plan places each on.
 */
#include "core/run.h"
#include "core/channels.h"
#include "core/devices.h"
#include "core/log.h"
#include "core/hm_run.h"
#include "core/partition_reload.h"
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
	int32_t window_part;        /* whose window this is (SCHED_IDLE: a gap) */
	bool hm_acted;              /* the health monitor acted: leave EL0 by the idle loop */
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

/* A partition's restart in progress (core/partition_reload.h), and cell restarts due. */
struct part_hm {
	bool reloading;
	enum plan_hm_action kind;   /* warm-restart or cold-restart */
	struct part_reload reload;
	uint32_t reset_pending;     /* cells to put back at their entries before they run */
	uint64_t step_max_ns;       /* the longest reload step so far (the budget's margin) */
	uint64_t windows;           /* windows the reload has used */
	bool beat_armed;            /* its heartbeat is timed (from its first window on) */
	uint64_t boot_digest;       /* of the memory a warm restart wipes, after the boot load */
};

static struct {
	const struct plan *plan;
	struct clock clock;
	struct run_hooks hooks;
	struct sched sched;
	uint64_t epoch_ns;
	uint32_t ready; /* run_start done (release/acquire) */
	struct partition part[RUN_MAX_PARTITIONS];
	struct part_hm hm[RUN_MAX_PARTITIONS];
	struct run_cpu cpu[PLAN_MAX_CPUS];
	struct pt_pool pool;
} run;

static pt_page_t tables[TABLE_PAGES] __aligned(4096);
static uint8_t sched_mem[SCHED_MEM_BYTES] __aligned(16);

/* syscall_violation events logged per partition (op_violation_log). */
#define VIOLATION_EVENTS_PER_FRAME 4
static struct {
	uint64_t frame;      /* of the last violation */
	uint32_t logged;     /* in that frame */
	uint64_t suppressed; /* since the last one logged */
	bool last_logged;    /* the latest violation's event went out (its hm line may too) */
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

static bool hm_run_load(const struct plan *p);
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
	struct pt_pool *pool = &run.pool;
	const struct channels_env chan_env = { epoch_now_ns, sleep_rerun };

	*pool = (struct pt_pool){ tables, TABLE_PAGES, 0, tables_to_pa, tables_to_va };
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

		if (partition_load(part, p, i, &map->part[i], pool, &diag) != PART_OK) {
			sb_init(&sb, what, sizeof(what));
			part_diag_format(&diag, &sb);
			LOG(LOG_ERROR, "part", "partition_refused", LOG_STR("partition", p->part[i].name),
			    LOG_STR("image", p->part[i].image), LOG_STR("error", what));
			return false;
		}
		if (!channels_map(i, pool, tables_to_va(part->root_pa))) {
			LOG(LOG_ERROR, "part", "partition_refused", LOG_STR("partition", p->part[i].name),
			    LOG_STR("image", p->part[i].image),
			    LOG_STR("error", "out of partition page-table pages (channels)"));
			return false;
		}
		if (!load_devices(p, i, part, pool))
			return false;
		LOG(LOG_INFO, "part", "partition_start", LOG_STR("partition", p->part[i].name),
		    LOG_U64("cpu", p->part[i].cpu), LOG_HEX("memory_base", pa_addr(part->mem.base)),
		    LOG_U64("memory_bytes", part->mem.size), LOG_STR("image", p->part[i].image),
		    LOG_STR("sha256", part->sha256), LOG_U64("asid", part->asid),
		    LOG_U64("heap_bytes", part->layout.heap.size));
	}
	return hm_run_load(p);
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

static void apply_decision(struct run_cpu *rc, const struct sched_decision *d, uint64_t now)
{
	rc->window_part = d->part;
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

static void hm_after(struct run_cpu *rc, const struct sched_decision *d, uint64_t now);

/* A decision carried out, then what it tells the health monitor (which may decide
 * again: a stop or a restart applies a new decision). */
static void apply(struct run_cpu *rc, const struct sched_decision *d, uint64_t now)
{
	apply_decision(rc, d, now);
	hm_after(rc, d, now);
}

/* ---- The health monitor's mechanism (docs/health.md) ----------------------------- */

/*
 * Detections come from the EL0 upcalls and the scheduler's decisions; hm_run decides;
 * what it decides is done here. Anything that changes a context (a cell back at its
 * entry, a partition reloaded) is done from the idle loop, after the exception entry
 * saved the running context in full: the upcall that acted returns NULL (hm_acted).
 * A partition's reload runs only in its own windows (hm_work), in bounded steps.
 */

#define RELOAD_STEP_GUESS_NS 200000ULL /* the first step's margin, before any is measured */

/* What the reload digest covers: the program and info page a restart rebuilds, below
 * the persistent region. */
static uint64_t digest_bytes(unsigned int pi)
{
	uint64_t loaded = partition_loaded_bytes(&run.part[pi]);
	uint64_t warm = hm_wipe_bytes(hm_run_policy(pi), HM_ACT_WARM_RESTART);

	return loaded < warm ? loaded : warm;
}

/* Every partition starts normal under the monitor; with a restart in its policy, the
 * digest of what a restart rebuilds, to compare each reload with. */
static bool hm_run_load(const struct plan *p)
{
	if (!hm_run_init(p))
		return false;
	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct hm_policy *pol = hm_run_policy(i);
		bool restarts = false;

		for (unsigned int c = 0; c < HM_CLASSES; c++)
			restarts |= pol->action[c] == HM_ACT_WARM_RESTART ||
				    pol->action[c] == HM_ACT_COLD_RESTART;
		run.hm[i].step_max_ns = RELOAD_STEP_GUESS_NS;
		if (restarts)
			run.hm[i].boot_digest = partition_digest(&run.part[i], digest_bytes(i));
	}
	return true;
}

static void stop_partition(struct run_cpu *rc, unsigned int pi, uint64_t now)
{
	struct sched_decision d;

	run.part[pi].state = PART_STOPPED;
	sched_stop_partition(rc->sc, pi, now, &d);
	apply(rc, &d, now);
	rc->hm_acted = true;
}

/* Carry out a decision of hm_run_detect (its hm event is logged). */
static void hm_act(struct run_cpu *rc, unsigned int pi, const struct hm_decision *dec, uint64_t now)
{
	struct part_hm *h = &run.hm[pi];

	switch (dec->action) {
	case HM_ACT_IGNORE:
		return;
	case HM_ACT_RESTART_CELL:
		h->reset_pending |= 1u << dec->cell;
		rc->hm_acted = true;
		return;
	case HM_ACT_WARM_RESTART:
	case HM_ACT_COLD_RESTART:
		h->reloading = true;
		h->kind = dec->action;
		h->windows = 1;
		h->reset_pending = 0;
		part_reload_begin(&run.part[pi], &h->reload, hm_wipe_bytes(hm_run_policy(pi), dec->action),
				  digest_bytes(pi));
		stop_partition(rc, pi, now);
		return;
	case HM_ACT_ESCALATE:
		stop_partition(rc, pi, now);
		run.hooks.system_action(dec->system);
		return;
	default:
		stop_partition(rc, pi, now);
		return;
	}
}

/* A detection in partition pi: decided, logged, done. False if the monitor refused it
 * (the partition is not normal); faults, which cannot resume, are stopped then. */
static bool hm_detected(struct run_cpu *rc, unsigned int pi, enum plan_hm_class cls, int cell,
			uint64_t now, const char *detail, struct hm_decision *dec)
{
	if (!hm_run_detect(pi, cls, cell, now, detail, dec))
		return false;
	hm_act(rc, pi, dec, now);
	return true;
}

/* A syscall violation: its hm line follows the syscall_violation event's per-frame limit
 * (a partition looping on bad calls under "ignore" must not flood the console). */
static void hm_violation(struct run_cpu *rc, unsigned int pi, int cell, uint64_t now,
			 const char *detail)
{
	struct hm_decision dec;
	bool ok = vlog[pi].last_logged ? hm_run_detect(pi, HM_SYSCALL_VIOLATION, cell, now, detail, &dec)
				       : hm_run_detect_unlogged(pi, HM_SYSCALL_VIOLATION, cell, now,
								detail, &dec);

	if (ok)
		hm_act(rc, pi, &dec, now);
}

/* After a decision: its deadline misses, and at the start of a partition's window its
 * heartbeat (so the check is charged to the partition's own time). */
static void hm_after(struct run_cpu *rc, const struct sched_decision *d, uint64_t now)
{
	struct hm_decision dec;
	char detail[64];
	struct strbuf sb;

	for (unsigned int i = 0; i < d->n_events; i++) {
		const struct sched_event *ev = &d->ev[i];

		if (hm_run_state(ev->part) != HM_STATE_NORMAL)
			continue; /* from before a restart or stop this same step began */
		sb_init(&sb, detail, sizeof(detail));
		sb_puts(&sb, "deadline_ns=");
		sb_u64(&sb, ev->deadline_ns - run.epoch_ns);
		(void)hm_detected(rc, ev->part, HM_DEADLINE_MISS, (int)ev->cell, now, detail, &dec);
	}
	if (!d->window_start || d->part == SCHED_IDLE)
		return;

	struct partition *p = &run.part[d->part];
	const struct hm_policy *pol = hm_run_policy((unsigned int)d->part);
	uint64_t since = now - run.epoch_ns - p->heartbeat_ns;

	if (run.hm[d->part].reloading) {
		run.hm[d->part].windows++;
		/* Each window measures its own steps: one slow step (a vCPU a hypervisor ran
		 * late) must not keep the reload from fitting in any later window. */
		run.hm[d->part].step_max_ns = RELOAD_STEP_GUESS_NS;
	}
	/* The timeout counts from the partition's first window: before it, it could not
	 * beat (a late start, e.g. a vCPU that Xen runs late, is not a miss). */
	if (!run.hm[d->part].beat_armed) {
		run.hm[d->part].beat_armed = true;
		p->heartbeat_ns = now - run.epoch_ns;
		return;
	}
	if (!pol || !pol->heartbeat_timeout_ns || hm_run_state(d->part) != HM_STATE_NORMAL ||
	    since <= pol->heartbeat_timeout_ns)
		return;
	sb_init(&sb, detail, sizeof(detail));
	sb_puts(&sb, "last_heartbeat_ns=");
	sb_u64(&sb, p->heartbeat_ns);
	p->heartbeat_ns = now - run.epoch_ns; /* the next miss counts from this one */
	(void)hm_detected(rc, (unsigned int)d->part, HM_HEARTBEAT_MISS, HM_NO_CELL, now, detail, &dec);
}

/* The reload of partition pi is done (or failed): start it, or stop it. */
static void reload_end(struct run_cpu *rc, unsigned int pi, uint64_t now)
{
	struct partition *p = &run.part[pi];
	struct part_hm *h = &run.hm[pi];
	struct sched_decision d;
	struct bh_partition_status st;

	h->reloading = false;
	if (h->reload.phase == RELOAD_FAILED) {
		LOG(LOG_ERROR, "hm", "partition_restart_failed", LOG_STR("partition", p->pp->name),
		    LOG_STR("error", part_strerror(PART_ERR_HASH)));
		(void)hm_run_transition(pi, HM_EV_STOP);
		return;
	}
	for (unsigned int k = 0; k < PLAN_CELLS; k++)
		partition_reset_cell(p, k);
	hm_run_status(pi, &st);
	struct bh_info *info = phys_to_virt(pa_init(p->layout.info.pa));

	info->start_condition = st.start_condition;
	info->restarts = st.restarts;
	p->heartbeat_ns = now - run.epoch_ns;
	LOG(LOG_INFO, "hm", "partition_restart", LOG_STR("partition", p->pp->name),
	    LOG_STR("kind", plan_hm_action_name(h->kind)), LOG_U64("restarts", st.restarts),
	    LOG_U64("wiped_bytes", h->reload.wipe_bytes), LOG_U64("steps", h->reload.steps),
	    LOG_U64("windows", h->windows), LOG_HEX("digest", h->reload.digest),
	    LOG_BOOL("digest_as_boot", h->reload.digest == h->boot_digest),
	    LOG_U64("table_pages_used", run.pool.used));
	if (!hm_run_transition(pi, HM_EV_START_DONE))
		return;
	p->state = PART_RUNNING;
	sched_restart_partition(rc->sc, pi, now, &d);
	apply(rc, &d, now);
	run.hooks.rearm(rc->cpu);
}

/* Idle loop, IRQs masked, no EL0 context live: cell restarts due on this CPU, and in
 * a reloading partition's window as many reload steps as fit before the CPU's next
 * event (with twice the longest step as margin). */
static void hm_work(struct run_cpu *rc)
{
	for (unsigned int i = 0; i < run.plan->n_part; i++) {
		struct part_hm *h = &run.hm[i];

		if (run.plan->part[i].cpu != rc->cpu || !h->reset_pending)
			continue;
		for (unsigned int k = 0; k < PLAN_CELLS; k++)
			if (h->reset_pending & (1u << k))
				partition_reset_cell(&run.part[i], k);
		h->reset_pending = 0;
	}
	if (rc->window_part == SCHED_IDLE || !run.hm[rc->window_part].reloading)
		return;

	unsigned int pi = (unsigned int)rc->window_part;
	struct part_hm *h = &run.hm[pi];
	uint64_t now = now_ns();

	while (now + 2 * h->step_max_ns < rc->timer_ns) {
		enum reload_phase ph = part_reload_step(&run.part[pi], run.plan, &h->reload);
		uint64_t t = now_ns();

		if (t - now > h->step_max_ns)
			h->step_max_ns = t - now;
		now = t;
		if (ph == RELOAD_DONE || ph == RELOAD_FAILED) {
			reload_end(rc, pi, now);
			return;
		}
	}
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
		rc->window_part = SCHED_IDLE;
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
		rc->hm_acted = false;
		hm_work(rc);
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
	hm_run_shutdown();
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
	struct hm_decision dec;
	char detail[32];
	struct strbuf sb;

	LOG(LOG_WARN, "part", "application_error", LOG_STR("partition", c->partition),
	    LOG_STR("cell", c->cell), LOG_U64("code", code), LOG_STRN("message", msg, len));
	sb_init(&sb, detail, sizeof(detail));
	sb_puts(&sb, "code=");
	sb_hex(&sb, code);
	(void)hm_detected(ctx, c->partition_index, HM_APPLICATION_ERROR, (int)c->cell_index, now_ns(),
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
	hm_violation(ctx, c->partition_index, (int)c->cell_index, now_ns(), detail);
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
	if (rc->hm_acted) {
		run.hooks.rearm(rc->cpu);
		rc->bench_kind = BENCH_NONE;
		return NULL; /* the health monitor acted: on through the idle loop */
	}
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
	if (rc->hm_acted) {
		rc->bench_kind = BENCH_NONE;
		return NULL; /* the health monitor acted: on through the idle loop */
	}
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
	uint64_t now = now_ns();
	struct hm_decision dec;
	char detail[64];
	struct strbuf sb;

	sb_init(&sb, detail, sizeof(detail));
	sb_puts(&sb, "esr=");
	sb_hex(&sb, r->esr);
	sb_puts(&sb, " far=");
	sb_hex(&sb, r->far);
	/* The faulting instruction cannot run again: whatever the monitor says, the cell
	 * does not resume where it was (hm-action allows no ignore for these classes). */
	if (!hm_run_detect(p->index, hm_run_class_of_ec(i.ec), rc->cell, now, detail, &dec))
		dec.action = HM_ACT_STOP;
	LOG(LOG_WARN, "part", "partition_fault", LOG_STR("partition", p->pp->name),
	    LOG_STR("cell", plan_cell_name(rc->cell)), LOG_STR("class", i.ec_name),
	    LOG_STR("fault", i.fault), LOG_STR("access", i.access), LOG_HEX("esr", r->esr),
	    LOG_HEX("far", r->far), LOG_HEX("elr", r->elr), LOG_HEX("elr_offset", r->elr - BH_IMAGE_VA),
	    LOG_STR("vector", exception_kind_name(r->kind)),
	    LOG_STR("action", plan_hm_action_name(dec.action)));
	if (dec.action == HM_ACT_IGNORE)
		dec.action = HM_ACT_STOP;
	if (hm_run_state(p->index) == HM_STATE_NORMAL && dec.action == HM_ACT_STOP)
		(void)hm_run_transition(p->index, HM_EV_STOP); /* refused detection: stop anyway */
	hm_act(rc, p->index, &dec, now);
	run.hooks.rearm(cpu);
	rc->bench_kind = BENCH_NONE;
	return NULL; /* on through the idle loop, which restarts what must be */
}
