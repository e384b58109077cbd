/*
 * Partitions running (run.h). One struct run_cpu per CPU, written only by that CPU;
 * the partitions are written at boot, then only by the CPU the plan places each on.
 * The health monitor's mechanism is run_hm.c, the system calls run_sys.c.
 */
#include "core/run_priv.h"
#include "core/run_tables.h"

struct run_state run;

/* The page-table pool is in the kernel's tables, in RAM reached through the linear map. */
static uint64_t tables_to_pa(const void *t)
{
	return kmem_pa(&run.mem, t);
}

static uint64_t *tables_to_va(uint64_t pa)
{
	return kmem_va(&run.mem, pa);
}


/*
 * Counter ticks and ns since boot on the timer path. Where a tick is a whole number of
 * ns (1 GHz, 62.5 MHz, 50 MHz, ...: ns_per_tick, set at run_load), each way is one
 * multiplication or one division; other counters take the general conversion.
 */
static uint64_t ns_per_tick;

static uint64_t ticks_to_ns(uint64_t ticks)
{
	if (ns_per_tick && ticks >= run.clock.boot_ticks)
		return (ticks - run.clock.boot_ticks) * ns_per_tick;
	return clock_ns_since_boot(&run.clock, ticks);
}

uint64_t run_ticks_to_ns(uint64_t ticks)
{
	return ticks_to_ns(ticks);
}


/* The first counter value at or after ns since boot. */
static uint64_t ns_to_ticks(uint64_t ns)
{
	uint64_t f = run.clock.freq_hz;

	if (ns_per_tick)
		return run.clock.boot_ticks + (ns + ns_per_tick - 1) / ns_per_tick;
	return run.clock.boot_ticks + (ns / NS_PER_S) * f + ((ns % NS_PER_S) * f + NS_PER_S - 1) / NS_PER_S;
}

uint64_t run_ns_to_ticks(uint64_t ns)
{
	return ns_to_ticks(ns);
}


/* The partition's capability table, device windows and their listing in its info page. */
static bool load_devices(const struct plan *p, unsigned int i, struct partition *part,
			 struct pt_pool *pool)
{
	enum cap_err ce;
	size_t n_slots;
	struct cap_entry *slots = channels_cap_slots(i, &n_slots);
	enum dev_err e = devices_load(p, i, run.hooks.fdt, slots, n_slots, pool,
				      pool->to_va(part->root_pa),
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

static bool tables_refused(const struct kmem *m)
{
	LOG(LOG_ERROR, "part", "kernel_tables_refused", LOG_STR("table", m->what),
	    LOG_U64("bytes", m->want), LOG_U64("free_bytes", m->free),
	    LOG_HEX("base", m->pa), LOG_U64("ram_bytes", m->size),
	    LOG_STR("error", kmem_strerror(KMEM_ERR_SHORT)));
	return false;
}

/* The page-table pool, which takes the RAM the other tables leave, ran out while
 * partition pi loaded: the RAM the plan leaves free is too small for the kernel's
 * tables (the same event as a table that does not fit, naming the partition). */
static bool pool_short(const struct plan *p, unsigned int pi, const char *what)
{
	LOG(LOG_ERROR, "part", "kernel_tables_refused", LOG_STR("table", "page_tables"),
	    LOG_STR("partition", p->part[pi].name), LOG_STR("for", what),
	    LOG_U64("table_pages", run.pool.used), LOG_U64("loaded", pi),
	    LOG_U64("partitions", p->n_part), LOG_HEX("base", run.mem.pa),
	    LOG_U64("ram_bytes", run.mem.size), LOG_STR("error", kmem_strerror(KMEM_ERR_SHORT)));
	return false;
}

/*
 * The run-time tables the plan's counts size, from the largest block of RAM the plan
 * leaves free (map->free): per partition its state, health-monitor record, violation
 * log, ASID tag and device state; the schedule; the health monitor's tables
 * (run_tables_alloc, which bhplan runs too to estimate them). The page-table pool takes
 * what is left and gives back, after loading, what it did not use.
 */
static bool alloc_tables(const struct plan *p, const struct plan_memory_map *map)
{
	struct kmem *m = &run.mem;
	struct run_tables t;
	uint64_t pool_bytes;

	/* Without free RAM (size 0) every table is refused; a NULL va only measures. */
	kmem_init(m, map->free.size ? phys_to_virt(map->free.base) : NULL, pa_addr(map->free.base),
		  map->free.size);
	if (run_tables_alloc(m, p, &t) != KMEM_OK)
		return tables_refused(m);
	run.part = t.part;
	run.hm = t.hm;
	run.vlog = t.vlog;
	run.asid = t.asid;
	run.chan_waiting = t.waits;
	run.fast_until = t.limits; /* zero: every first window start decides in full */
	run.fw_entries = t.entries; /* zero: the vector starts no window */
	run.fw_sig_index = t.sig_index; /* zero: no partition has a port_signal entry */
	run.fw_sigs = t.sigs;
	run.sched_mem = t.sched;
	run.hm_mem = t.hm_mem;
	devices_init(t.dev, p->n_part);
	run.pool = (struct pt_pool){ kmem_rest(m, PT_PAGE_SIZE, &pool_bytes), 0, 0, tables_to_pa,
				     tables_to_va };
	run.pool.n_pages = pool_bytes / PT_PAGE_SIZE;
	return true;
}

bool run_load(const struct plan *p, const struct plan_memory_map *map, const struct clock *clk,
	      const struct run_hooks *hooks)
{
	struct pt_pool *pool = &run.pool;
	struct channels_env chan_env = { run_epoch_now_ns, run_sleep_rerun, run_chan_notify, NULL };
	unsigned int asids = el0_asids() - 1; /* ASID 0 is "no partition" */

	run.plan = p;
	run.clock = *clk;
	run.hooks = *hooks;
	ns_per_tick = clk->freq_hz && NS_PER_S % clk->freq_hz == 0 ? NS_PER_S / clk->freq_hz : 0;
	if (hooks->asids && hooks->asids < asids)
		asids = hooks->asids;
	for (unsigned int c = 0; c < PLAN_MAX_CPUS; c++) {
		asid_space_init(&run.cpu[c].asids, asids);
		run_fast_init(&run.cpu[c]);
	}
	if (!alloc_tables(p, map))
		return false;
	chan_env.waiting = run.chan_waiting;
	if (!channels_init(p, &map->channels, &chan_env))
		return false;
	for (unsigned int i = 0; i < p->n_part; i++) {
		struct partition *part = &run.part[i];
		struct part_diag diag;
		char what[160];
		struct strbuf sb;

		if (partition_load(part, p, i, &map->part[i], pool, &diag) != PART_OK) {
			if (diag.err == PART_ERR_TABLES)
				return pool_short(p, i, "program");
			sb_init(&sb, what, sizeof(what));
			part_diag_format(&diag, &sb);
			LOG(LOG_ERROR, "part", "partition_refused", LOG_STR("partition", p->part[i].name),
			    LOG_STR("image", p->part[i].image), LOG_STR("error", what));
			return false;
		}
		if (!channels_map(i, pool, tables_to_va(part->root_pa)))
			return pool_short(p, i, "channels");
		if (!load_devices(p, i, part, pool))
			return false;
		LOG(LOG_INFO, "part", "partition_start", LOG_STR("partition", p->part[i].name),
		    LOG_U64("cpu", p->part[i].cpu), LOG_HEX("memory_base", pa_addr(part->mem.base)),
		    LOG_U64("memory_bytes", part->mem.size), LOG_STR("image", p->part[i].image),
		    LOG_STR("sha256", part->sha256), LOG_U64("heap_bytes", part->layout.heap.size));
		if (run.hooks.loaded_one)
			run.hooks.loaded_one();
	}
	/* Nothing takes page tables after the boot: the pool keeps exactly what it used. */
	kmem_trim(&run.mem, pool->pages, pool->used * PT_PAGE_SIZE);
	pool->n_pages = pool->used;
	LOG(LOG_INFO, "part", "kernel_tables", LOG_HEX("base", run.mem.pa),
	    LOG_U64("bytes", kmem_used(&run.mem)), LOG_U64("table_pages", pool->used),
	    LOG_U64("partitions", p->n_part), LOG_U64("asids", asids));
	return run_hm_load(p);
}

bool run_start(uint64_t now)
{
	const struct plan *p = run.plan;
	uint64_t t = clock_ns_since_boot(&run.clock, now) + EPOCH_DELAY_NS;
	uint64_t epoch = (t + NS_PER_MS - 1) / NS_PER_MS * NS_PER_MS;
	enum sched_err e = sched_build(&run.sched, p, epoch, run.sched_mem, sched_mem_bytes(p));

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
	run_fast_signals(); /* every CPU is up: its SGI value is known */
	__atomic_store_n(&run.ready, 1, __ATOMIC_RELEASE);
	cpu_send_event();
	return true;
}

/* run_space_switch's other case: pi's ASID is of an earlier generation. */
__attribute__((noinline)) void run_space_assign(struct run_cpu *rc, const struct partition *p,
						unsigned int pi)
{
	bool flush = false;
	uint64_t gen = rc->asids.gen;
	unsigned int asid = asid_assign(&rc->asids, &run.asid[pi], &flush);

	run_fast_asid(rc, pi, gen != rc->asids.gen);
	el0_space_switch(p->root_pa, asid);
	if (flush)
		el0_asid_flush(asid);
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

/* More than half the ring waits: the timer's full path drains it (run_on_timer). */
static bool ring_filling(const struct run_cpu *rc)
{
	return rc->ring_head - rc->ring_tail > WINDOW_RING / 2;
}

void run_record(struct run_cpu *rc, const struct sched_decision *d, uint64_t now)
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

/* Out of line: the switch path without a miss should not pay for its log frame. */
static __attribute__((noinline)) void log_misses(const struct sched_decision *d)
{
	for (unsigned int i = 0; i < d->n_events; i++) {
		const struct sched_event *ev = &d->ev[i];

		LOG(LOG_WARN, "sched", "deadline_miss", LOG_STR("partition", run.plan->part[ev->part].name),
		    LOG_STR("cell", plan_cell_name(ev->cell)),
		    LOG_U64("release_ns", ev->release_ns - run.epoch_ns),
		    LOG_U64("deadline_ns", ev->deadline_ns - run.epoch_ns),
		    LOG_U64("detected_ns", ev->detected_ns - run.epoch_ns));
	}
}

static void apply_decision(struct run_cpu *rc, const struct sched_decision *d, uint64_t now)
{
	run_set_window(rc, d->part);
	if (d->n_events)
		log_misses(d);
	if (d->window_start) {
		sched_note_switch(rc->sc, now);
		if (now - d->planned_ns < rc->late_min_ns)
			rc->late_min_ns = now - d->planned_ns;
		run_record(rc, d, now);
	}
	rc->timer_ns = d->next_ns;
	if (d->part == SCHED_IDLE || d->cell == SCHED_IDLE) {
		rc->next = NULL;
		return;
	}
	const struct partition *p = &run.part[d->part];

	if (rc->space != p) {
		run_space_switch(rc, p, (unsigned int)d->part);
		rc->space = p;
	}
	rc->part = d->part;
	rc->cell = d->cell;
	rc->next = &run.part[d->part].ctx[d->cell];
}

/* A decision carried out, then what it tells the health monitor (which may decide
 * again: a stop or a restart applies a new decision). */
void run_apply(struct run_cpu *rc, const struct sched_decision *d, uint64_t now)
{
	apply_decision(rc, d, now);
	/* The monitor has something to look at only when a job missed its deadline or a
	 * window began (its partition's heartbeat). */
	if (d->n_events || d->window_start)
		run_hm_after(rc, d, now);
	if (d->window_start && d->part != SCHED_IDLE && channels_waiting[d->part])
		run_chan_wake(rc, d->part, now); /* a notification that came outside it */
}


/*
 * When this CPU's interrupt came (counter ticks, 0: unknown): read by the lower-EL IRQ
 * vector (el0_ctx.irq_ticks) or right after the idle loop's WFI, a fixed few
 * instructions after the interrupt, and valid while that interrupt is handled. The
 * timer path decides at that time rather than at whatever later time it reaches the
 * scheduler, so a window's start (and its lateness) does not depend on what ran
 * before it: the queue's events, the monitor, a cell walk that released more or less.
 */
static uint64_t irq_stamp[PLAN_MAX_CPUS];

uint64_t run_irq_now_ns(unsigned int cpu)
{
	return irq_stamp[cpu] ? ticks_to_ns(irq_stamp[cpu]) : run_now_ns();
}


/* The scheduler decides at now, and the decision is carried out. */
static void timer_decide(struct run_cpu *rc, uint64_t now)
{
	struct sched_decision *d = &rc->dec;

	sched_on_timer(rc->sc, now, d);
	run_apply(rc, d, now);
	if (ring_filling(rc))
		drain(rc);
}

void run_on_timer(unsigned int cpu, uint64_t now)
{
	struct run_cpu *rc = &run.cpu[cpu];
	uint64_t t, stamp = irq_stamp[cpu];

	if (!rc->started)
		return;
	irq_stamp[cpu] = 0;
	/* Only a stamp at or after the deadline the scheduler asked for is that deadline's
	 * interrupt (a device interrupt taken just before could have left an older one). */
	t = stamp ? ticks_to_ns(stamp) : 0;
	if (t < rc->timer_ns)
		t = ticks_to_ns(now);
	timer_decide(rc, t);
}

uint64_t run_timer_deadline(unsigned int cpu, uint64_t timeq_next)
{
	struct run_cpu *rc = &run.cpu[cpu];

	rc->timer_ticks = rc->started ? ns_to_ticks(rc->timer_ns) : UINT64_MAX;
	if (timeq_next != rc->timeq_ticks) {
		rc->timeq_ticks = timeq_next;
		if (rc->fw_on)
			run_fast_limit(rc);
	}
	return rc->timer_ticks;
}

/*
 * The scheduler's timer interrupt from EL0 (stamp: when it came), taken here when it is
 * the scheduler's deadline and no other timer event of this CPU is due: the decision
 * and the re-arm without kernel_irq's timer path (disarm, the timer queue, arm).
 * The common window start takes the scheduler's fast step (sched_timer_fast: the
 * partition's last decision holds and its health monitor has nothing to look at) and
 * is carried out without the decision record's bookkeeping; anything else decides in
 * full (run_on_timer's work). False: not this path (kernel_irq handles it); else
 * rc->next runs (or the idle loop, if the health monitor acted).
 */
static bool timer_irq(struct run_cpu *rc, uint64_t stamp)
{
	struct sched_decision *d = &rc->dec;
	const struct partition *p;
	uint64_t now, t;

	if (stamp < rc->timer_ticks || stamp >= rc->timeq_ticks)
		return false;
	now = ticks_to_ns(stamp);
	if ((log_enabled(LOG_DEBUG) && ring_filling(rc)) ||
	    !sched_timer_fast(rc->sc, now, run.fast_until, d)) {
		if (IS_ENABLED_BENCH)
			rc->bench_decided = true;
		timer_decide(rc, now);
	} else {
		run_set_window(rc, d->part);
		if (now - d->planned_ns < rc->late_min_ns)
			rc->late_min_ns = now - d->planned_ns;
		if (log_enabled(LOG_DEBUG)) /* here too: no call on the switch at other levels */
			run_record(rc, d, now);
		rc->timer_ns = d->next_ns;
		p = &run.part[d->part];
		if (rc->space != p) {
			run_space_switch(rc, p, (unsigned int)d->part);
			rc->space = p;
		}
		rc->part = d->part;
		rc->cell = d->cell;
		rc->next = &run.part[d->part].ctx[d->cell];
		if (channels_waiting[d->part])
			run_chan_wake(rc, d->part, now); /* a notification that came outside it */
	}
	t = ns_to_ticks(rc->timer_ns);
	rc->timer_ticks = t;
	/* The control register too: Xen masks the virtual timer (CNTV_CTL_EL0.IMASK) when
	 * it injects the timer's interrupt into the guest. */
	timer_arm(t < rc->timeq_ticks ? t : rc->timeq_ticks);
	return true;
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
			for (unsigned int k = 0; k < BENCH_KINDS; k++)
				rc->bench[k].min = UINT64_MAX;
			el0_cycles_start();
			rc->bench_start = el0_cycles();
		}
		rc->timer_ns = run.epoch_ns;
		rc->timer_ticks = UINT64_MAX;
		route_irqs(cpu);
		run_set_window(rc, SCHED_IDLE);
		rc->started = true;
		(void)run_fast_enable(rc, ns_per_tick);
		run.hooks.rearm(cpu);
	}
	cpu_irq_disable();
	kernel_idle();
}

/*
 * The idle loop's wake-up step, foreseen before the CPU sleeps: the CPU idles in a
 * window of part (none of its cells is ready), exactly one cell of part waits, in
 * queuing_recv, with its checks made (channels_idle_foresee), in part's address space,
 * and waking it makes it run (sched_idle_wake_runs) until the CPU's next timer event
 * or its monitor's limit. Only with the window fast path on, whose catch-up at the next
 * entry from EL0 tells the scheduler (run_fast.c, idle_in).
 */
static void idle_foresee(struct run_cpu *rc)
{
	int32_t part = rc->window_part;
	uint32_t mask, cell;
	uint64_t until;

	rc->idle_ctx = NULL;
	if (!rc->fw_on || part < 0 || !(mask = channels_waiting[part]) || (mask & (mask - 1)) ||
	    rc->space != &run.part[part] || run.hm[part].reloading || run.hm[part].reset_pending)
		return;
	cell = (uint32_t)__builtin_ctz(mask);
	if (!sched_idle_wake_runs(rc->sc, (uint32_t)part, cell, &until) ||
	    !channels_idle_foresee((unsigned int)part, cell, devices_caps((unsigned int)part),
				   &run.part[part].writable, run.part[part].ctx[cell].x, &rc->idle_ci))
		return;
	if (rc->fw_limit < until)
		until = rc->fw_limit;
	if (run.fast_until[part] < until)
		until = run.fast_until[part];
	rc->idle_until = until;
	rc->idle_part = part;
	rc->idle_cell = (int32_t)cell;
	rc->idle_ctx = &run.part[part].ctx[cell];
}

/*
 * The wake-up SGI a was acknowledged: if the foreseen receive can be carried out now
 * (before the step's limit, a message waiting), it is, and the cell runs (no return);
 * the scheduler hears of it at the cell's next entry into the kernel (the fast path's
 * limit is 0 until then). Else nothing is done: the SGI takes the kernel's way.
 */
static void idle_step(struct run_cpu *rc, struct gic_ack a)
{
	uint64_t now = ticks_to_ns(irq_stamp[rc->cpu]);
	struct el0_ctx *ctx = rc->idle_ctx;
	int64_t r;

	if (now >= rc->idle_until ||
	    (r = channels_idle_recv((unsigned int)rc->idle_part, (uint32_t)rc->idle_cell,
				    &rc->idle_ci)) == CHANNELS_NOT_DIRECT)
		return;
	ctx->x[0] = (uint64_t)r;
	ctx->pc += 4; /* past the svc the sleep left it on */
	run.hooks.gic->eoi(a);
	irq_stamp[rc->cpu] = 0;
	rc->idle_ctx = NULL;
	rc->part = rc->idle_part;
	rc->cell = rc->idle_cell;
	rc->next = ctx;
	run_fast_out(rc); /* may set the limit again (run_fast_limit): the step's 0 after it */
	rc->fw.step_now = now;
	rc->fw.step_intid = RUN_SGI_WAKE;
	rc->fw.limit = 0; /* nothing more by the vector until the kernel caught up */
	el0_enter(ctx);
}

void kernel_idle(void)
{
	struct run_cpu *rc = run_this_rc();

	rc->bench_kind = BENCH_NONE; /* the way back from idle is not a measured pass */
	if (IS_ENABLED_BENCH)
		el0_bench_to(NULL, 0);
	for (;;) {
		cpu_irq_disable();
		rc->hm_acted = false;
		run_hm_work(rc);
		if (rc->next) {
			run_fast_out(rc);
			el0_enter(rc->next);
		}
		drain(rc);
		log_drain(); /* stops at a pending interrupt, or short of the next timer */
		idle_foresee(rc);
		cpu_idle(); /* wakes on a pending interrupt, masked or not */
		irq_stamp[rc->cpu] = timer_now(); /* when it came: see run_on_timer */
		/* The interrupt that woke the CPU, taken here with interrupts still masked:
		 * the IRQ vector's dispatch without the exception's entry and return. Any
		 * other one pending is taken as an exception next. */
		struct gic_ack a = run.hooks.gic->ack();

		if (a.intid == RUN_SGI_WAKE && rc->idle_ctx)
			idle_step(rc, a); /* returns only if it is not taken */
		run.hooks.irq(a);
		cpu_irq_enable();
		cpu_irq_disable();
		irq_stamp[rc->cpu] = 0;
	}
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
		    LOG_U64("idle_ppm", st.idle_ppm), LOG_U64("fast_windows", st.fast_windows),
		    LOG_U64("fast_releases", st.fast_releases),
		    LOG_U64("fast_wakes", run.cpu[c].fw_wakes),
		    LOG_U64("idle_wakes", run.cpu[c].fw_idle_wakes),
		    LOG_U64("fast_signals", run.cpu[c].fw.signals),
		    LOG_U64("asid_rollovers", run.cpu[c].asids.rollovers));
	}
	hm_run_shutdown();
	channels_shutdown();
	for (unsigned int i = 0; i < run.plan->n_part; i++)
		if (run.vlog[i].suppressed)
			LOG(LOG_WARN, "sys", "syscall_violations_suppressed",
			    LOG_STR("partition", run.plan->part[i].name), LOG_U64("count", run.vlog[i].suppressed));
	if (IS_ENABLED_BENCH)
		run_bench_report(run_this_rc());
	drain(run_this_rc());
}


/* ---- The HAL's EL0 upcalls (the svc one is run_sys.c) ------------------------- */

/* A partition's device interrupt, straight to its owner (kernel_irq would find the same:
 * an SPI is a device's or nobody's); false for an SPI no partition owns. */
static bool device_irq(struct run_cpu *rc, const struct el0_ctx *ctx, uint32_t intid)
{
	bool owned;

	irq_stamp[rc->cpu] = ctx->irq_ticks;
	owned = run_on_device_irq(rc->cpu, intid);
	irq_stamp[rc->cpu] = 0;
	return owned;
}

/* Out of line: any interrupt but the timer's fast path, through the composition root. */
static __attribute__((noinline)) void irq_dispatch(struct run_cpu *rc, const struct el0_ctx *ctx,
						   struct gic_ack a)
{
	irq_stamp[rc->cpu] = ctx->irq_ticks;
	run.hooks.irq(a);
	irq_stamp[rc->cpu] = 0;
}

/* An interrupt from EL0, acknowledged (a): the timer's own path, a partition's device,
 * or the composition root's dispatch. */
static struct el0_ctx *el0_irq(struct run_cpu *rc, struct el0_ctx *ctx, struct gic_ack a,
			       uint64_t self)
{
	int32_t part = rc->part;
	struct el0_ctx *next;

	if ((a.intid == run.hooks.timer_intid && timer_irq(rc, ctx->irq_ticks)) ||
	    (a.intid >= GIC_FIRST_SPI && a.intid < GIC_INTID_SPURIOUS && device_irq(rc, ctx, a.intid)))
		run.hooks.gic->eoi(a);
	else
		irq_dispatch(rc, ctx, a);
	if (rc->hm_acted) {
		rc->bench_kind = BENCH_NONE;
		return NULL; /* the health monitor acted: on through the idle loop */
	}
	next = rc->next;
	run_fast_out(rc);
	if (IS_ENABLED_BENCH)
		run_bench_end(rc, ctx, part, BENCH_IRQ, self);
	return next;
}

struct el0_ctx *kernel_el0_irq(struct el0_ctx *ctx)
{
	struct run_cpu *rc = run_this_rc();
	uint64_t self = 0;

	if (IS_ENABLED_BENCH)
		self = run_bench_begin(rc, ctx);
	run_fast_in(rc);
	return el0_irq(rc, ctx, run.hooks.gic->ack(), self);
}

struct el0_ctx *kernel_el0_irq_acked(struct el0_ctx *ctx, struct gic_ack a)
{
	struct run_cpu *rc = run_this_rc();
	uint64_t self = 0;

	if (IS_ENABLED_BENCH)
		self = run_bench_begin(rc, ctx);
	run_fast_in(rc);
	return el0_irq(rc, ctx, a, self);
}

struct el0_ctx *kernel_el0_fault(struct el0_ctx *ctx, const struct fault_report *r)
{
	struct run_cpu *rc = run_this_rc();
	unsigned int cpu = rc->cpu;
	struct partition *p;
	struct esr_info i = esr_decode(r->esr);
	uint64_t now = run_now_ns();
	struct hm_decision dec;
	char detail[64];
	struct strbuf sb;

	run_fast_in(rc); /* where the frame is, before the monitor looks */
	p = &run.part[rc->part];
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
	run_hm_act(rc, p->index, &dec, now);
	run.hooks.rearm(cpu);
	rc->bench_kind = BENCH_NONE;
	return NULL; /* on through the idle loop, which restarts what must be */
}
