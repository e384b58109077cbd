/*
 * The window fast path's tables (hal/fastwin.h): the kernel's side. The IRQ vector
 * starts a window by itself when the partition's last decision holds; the kernel
 * says, before each return to EL0, what it may start and until when (run_fast_out),
 * and catches up with what it started at the next entry (run_fast_in), before anything
 * looks at the schedule.
 *
 * What an entry needs is exactly what sched_timer_fast and timer_irq check: the
 * partition's last choice still valid (a cell, nothing due), its health monitor's limit
 * not reached, no cell of it waiting on a channel (its window start wakes them), and
 * its ASID of the CPU's current generation. The limit is the earliest of those
 * partitions' dues and monitor limits and of the CPU's other timer events: the vector
 * starts nothing at or after it.
 *
 * Those inputs change only on the partition's own CPU, in the kernel: the scheduler's
 * position and choices (sched_gens: run_fast_out follows them before each return to
 * EL0, the entry of the partition whose window it is, or all of them when another's
 * changed), the health monitor's limits (run_fast_until at once), an ASID (its
 * partition's entry at once; a new generation all of them at the next return), the
 * CPU's timer queue (run_fast_limit at once), a
 * channel wait (always with its cell's sleep: a choice).
 */
#include "core/run_priv.h"
#include "hal/fastwin.h"

STATIC_ASSERT(sizeof(struct fastwin_slot) == sizeof(struct sched_slot) &&
		      offsetof(struct fastwin_slot, start_ns) == offsetof(struct sched_slot, start_ns) &&
		      offsetof(struct fastwin_slot, end_ns) == offsetof(struct sched_slot, end_ns) &&
		      offsetof(struct fastwin_slot, part) == offsetof(struct sched_slot, part) &&
		      offsetof(struct fastwin_slot, next) == offsetof(struct sched_slot, next) &&
		      offsetof(struct fastwin_slot, advance_ns) == offsetof(struct sched_slot, advance_ns),
	      "the vector reads the scheduler's table as struct fastwin_slot");
STATIC_ASSERT(SCHED_IDLE < 0, "an idle gap's partition index is negative (entries[-1])");
STATIC_ASSERT(FW_SYS_TIME_NS == BH_SYS_TIME_NS, "the call the vector answers");

#define TTBR_ASID_SHIFT 48

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The release step of pi's entry, when the scheduler foresees one. */
static __attribute__((noinline)) void release_entry(struct fastwin_entry *e, unsigned int pi)
{
	struct sched_ahead a = sched_ahead(&run.sched, pi);

	/* (A release that leaves the running cell running is the kernel's: no switch.) */
	if (a.cell != SCHED_IDLE && a.cell != run.sched.part[pi].cell) {
		e->rel_ctx = &run.part[pi].ctx[a.cell];
		e->rel_next = a.next_ns;
		e->rel_limit = min_u64(a.next_ns, run.fast_until[pi]);
	}
}

/* The wake-up step of pi's entry, when a cell waits on a device and would run at once. */
static __attribute__((noinline)) void wake_entry(struct fastwin_entry *e, unsigned int pi)
{
	uint64_t until;
	uint32_t intid;
	int32_t cell;

	if (devices_waiter(pi, run.sched.part[pi].due_ns, &cell, &until, &intid) &&
	    sched_wake_would_switch(&run.sched, pi, (uint32_t)cell)) {
		e->irq_intid = intid;
		e->irq_ctx = &run.part[pi].ctx[cell];
	}
}

/*
 * The steps of pi's entry, pi's window being the CPU's current slot: the release step
 * when its due time is a release the scheduler foresees (sched_ahead) inside the slot
 * or at its end, and its monitor's limit is not earlier; the wake-up step when a cell
 * of pi waits on a device (the first one: devices_waiter) beyond the due time and would
 * run at once if woken (sched_wake_would_switch).
 */
static __attribute__((noinline)) void step_entries(const struct run_cpu *rc, struct fastwin_entry *e,
						   unsigned int pi)
{
	const struct sched_part *ch = &run.sched.part[pi];

	if (ch->due_release && e->until == ch->due_ns && ch->due_ns <= rc->fw_at->slot_end_ns)
		release_entry(e, pi);
	if (rc->fw.gicd_icenabler && run.plan->part[pi].n_devices)
		wake_entry(e, pi);
}

/*
 * Partition pi's entry from its choice (pi is on rc's CPU; e->ttbr set): its
 * window start; and, when pi's window is the CPU's current slot, its steps
 * (step_entries: about 100 for a foreseen release, paid only there; the entry keeps
 * them for pi's later windows while nothing of pi changes, and a partition whose
 * choice was last computed while another held the CPU has none).
 */
static void entry(const struct run_cpu *rc, unsigned int pi)
{
	const struct sched_part *ch = &run.sched.part[pi];
	struct fastwin_entry *e = &run.fw_entries[1 + pi];

	e->ctx = ch->cell == SCHED_IDLE || run.chan_waiting[pi] || !e->ttbr ? NULL : &run.part[pi].ctx[ch->cell];
	e->until = min_u64(ch->due_ns, run.fast_until[pi]);
	e->rel_ctx = NULL;
	e->irq_ctx = NULL;
	e->irq_intid = 0;
	/* The cheap half of step_entries' conditions first: most entries have no step. */
	if (e->ctx && rc->fw_first[rc->fw_at->cur].part == (int32_t)pi &&
	    ((ch->due_release && ch->due_ns <= rc->fw_at->slot_end_ns) || run.plan->part[pi].n_devices))
		step_entries(rc, e, pi); /* a tail call: entry() itself needs no frame */
}

/* Partition pi's TTBR0 value (0: its ASID is of an earlier generation, no entry), then
 * its entry. */
static void space_entry(const struct run_cpu *rc, unsigned int pi)
{
	const struct asid_tag *t = &run.asid[pi];
	struct fastwin_entry *e = &run.fw_entries[1 + pi];

	e->ttbr = t->gen != rc->asids.gen ? 0
					  : run.part[pi].root_pa | ((uint64_t)t->asid << TTBR_ASID_SHIFT);
	entry(rc, pi);
}

/* Every partition of the CPU's table (one with several windows more than once). */
static void all_entries(struct run_cpu *rc)
{
	rc->fw_all = false;
	for (unsigned int i = 0; i < rc->fw_n_slot; i++)
		if (rc->fw_first[i].part != SCHED_IDLE)
			space_entry(rc, (unsigned int)rc->fw_first[i].part);
}

static const struct sched_gens off;

/* Every entry again at the next run_fast_out. */
static void redo_all(struct run_cpu *rc)
{
	rc->fw_all = true;
	rc->fw_seen.any = rc->fw_gens->any - 1;
}

/*
 * port_signal's table for the synchronous vector (hal/fastwin.h, struct fastwin_sig):
 * every partition's capability slots in plan order, a queuing source's port with what
 * channels_signal_direct and run_chan_notify use. Once, on the boot CPU, every CPU up
 * (their SGI values known) and the capabilities built; nothing revokes one after that
 * (a revocation would have to clear its slot here).
 */
void run_fast_signals(void)
{
	uint64_t first = 0, n_all = plan_cap_slots(run.plan);

	if (!run.hooks.fastwin || !run.hooks.gic->sgi_value)
		return;
	for (unsigned int p = 0; p < run.plan->n_part; p++) {
		const struct cap_table *t = devices_caps(p);
		unsigned int n = t ? t->n : 0;

		if (first + n > n_all)
			kernel_panic("port_signal table: more capabilities than the plan grants");
		run.fw_sig_index[p] = first << 32 | n;
		for (unsigned int s = 0; s < n; s++) {
			struct fastwin_sig *g = &run.fw_sigs[first + s];
			bh_cap_t h = cap_handle_of(t, s);
			struct channels_signal cs;
			unsigned int dcpu;
			uint64_t sgi;

			/* No entry: a value no x0 that indexes slot s can be (its slot bits
			 * differ from s's). */
			*g = (struct fastwin_sig){ .handle = ~(uint64_t)s };
			if (!channels_signal_target(cap_lookup_direct(t, h, CAP_PORT, CAP_RIGHT_WRITE), &cs))
				continue;
			dcpu = run.plan->part[cs.dest].cpu;
			sgi = dcpu == run.plan->part[p].cpu ? 0 : run.hooks.gic->sgi_value(dcpu, RUN_SGI_WAKE);
			*g = (struct fastwin_sig){
				.handle = h, .waiting = cs.waiting, .signalled = cs.signalled,
				.window_part = sgi ? &run.cpu[dcpu].fw.window_part : NULL,
				.part = cs.dest, .sgi = sgi,
			};
		}
		first += n;
	}
	run.fw_signals = true;
}

void run_fast_init(struct run_cpu *rc)
{
	rc->fw_on = false;
	rc->fw_debug = false;
	rc->fw_gens = &off;
	rc->fw_seen = off;
	fastwin_clear_stats(&rc->fw); /* run_fast_in: nothing to catch up with */
	rc->fw.step_now = 0;
}

bool run_fast_enable(struct run_cpu *rc, uint64_t ns_per_tick)
{
	struct fastwin *f = &rc->fw;
	unsigned int n;

	run_fast_init(rc);
	fastwin_enable(NULL);
	if (!run.hooks.fastwin || !ns_per_tick)
		return false; /* GICv2, a counter without whole ns per tick */
	rc->fw_debug = log_enabled(LOG_DEBUG);
	rc->fw_first = (const struct fastwin_slot *)(const void *)sched_slots(rc->sc, &n);
	rc->fw_n_slot = n;
	rc->fw_at = sched_at(rc->sc);
	rc->fw_gens = sched_gens(rc->sc);
	rc->fw_seen = *rc->fw_gens;
	rc->fw_seen_part = SCHED_IDLE;
	redo_all(rc);
	*f = (struct fastwin){
		.intid = run.hooks.timer_intid, .boot = run.clock.boot_ticks,
		.ns_per_tick = ns_per_tick, .entries = run.fw_entries + 1,
		.ceil = run.clock.boot_ticks * ns_per_tick + ns_per_tick - 1,
		.late_min = UINT64_MAX, /* fastwin_clear_stats: nothing to catch up with */
		.bench = { .min = UINT64_MAX }, .rel_bench = { .min = UINT64_MAX },
		.irq_bench = { .min = UINT64_MAX }, .epoch = run.epoch_ns,
		.sig_index = run.fw_signals ? run.fw_sig_index : NULL, .sigs = run.fw_sigs,
		.window_part = rc->window_part, /* the caller's identity for el0_signal_call */
		.gicd_icenabler = run.hooks.gic->spi_mask_regs ? run.hooks.gic->spi_mask_regs() : 0,
	};
	run_fast_limit(rc);
	rc->fw_on = true;
	fastwin_enable(f);
	return true;
}

void run_fast_asid(struct run_cpu *rc, unsigned int pi, bool new_generation)
{
	if (!rc->fw_on)
		return;
	if (new_generation)
		redo_all(rc); /* every other partition's ASID is stale */
	else
		space_entry(rc, pi);
}

/*
 * The CPU's limit: its timer queue's earliest event. At debug level also the end of the
 * slot after the current one, so that the vector starts one window between two
 * entries into the kernel, which records it exactly (run_fast_in).
 */
void run_fast_limit(struct run_cpu *rc)
{
	struct fastwin *f = &rc->fw;

	f->limit = rc->timeq_ticks == UINT64_MAX ? UINT64_MAX : run_ticks_to_ns(rc->timeq_ticks);
	rc->fw_limit = f->limit; /* what a release step's catch-up sets again */
	if (rc->fw_debug && f->cur)
		f->limit = min_u64(f->limit, f->base + f->cur->advance_ns + f->cur->next->end_ns);
}

void run_fast_until(unsigned int pi)
{
	struct fastwin_entry *e = &run.fw_entries[1 + pi];

	e->until = min_u64(run.sched.part[pi].due_ns, run.fast_until[pi]);
	e->rel_limit = min_u64(e->rel_next, run.fast_until[pi]);
	if (e->until != run.sched.part[pi].due_ns)
		e->rel_ctx = NULL; /* the monitor looks first: its window start decides */
}

/* The CPU's limit after a step (which set it to 0), as run_fast_limit last set it. */
static void limit_again(struct run_cpu *rc)
{
	if (rc->fw_debug)
		run_fast_limit(rc);
	else
		rc->fw.limit = rc->fw_limit;
}

/*
 * After a step's decision (the scheduler's state as the vector left the CPU), its
 * partition's entry written as it now stands (at once: a call that changes nothing of
 * the schedule returns without run_fast_out, run_sys.c, svc_entry): cell of part runs,
 * the counters are followed if they were, and the CPU's limit is set again.
 */
static void step_done(struct run_cpu *rc, int32_t part, int32_t cell, bool followed)
{
	rc->cell = cell;
	rc->next = &run.part[part].ctx[cell];
	if (followed)
		rc->fw_seen = *rc->fw_gens;
	limit_again(rc);
}

/*
 * The release step the vector took at f->step_now (after the windows it started): the
 * scheduler hears of it (the entry's rel_ctx and rel_next are what sched_ahead foresaw,
 * and nothing changed since: the vector took it before any other entry into the
 * kernel). The entry is written here as entry() would, without its steps (after a
 * release the partition's next event is the released job's deadline, which sched_ahead
 * refuses), for about 40 instructions less at every release.
 */
static void release_in(struct run_cpu *rc, bool followed)
{
	struct fastwin *f = &rc->fw;
	int32_t part = f->cur->part;
	struct fastwin_entry *e = &run.fw_entries[1 + part];
	const struct sched_ahead a = { .cell = (int32_t)(e->rel_ctx - run.part[part].ctx),
				       .next_ns = e->rel_next };

	if (part != rc->part)
		kernel_panic("window fast path: a release step outside the running partition");
	rc->timer_ns = sched_fast_release(rc->sc, f->step_now, &a);
	rc->timer_ticks = run_ns_to_ticks(rc->timer_ns);
	e->ctx = e->rel_ctx;
	e->until = min_u64(a.next_ns, run.fast_until[part]);
	e->rel_ctx = NULL;
	e->irq_ctx = NULL; /* foreseen against the choice before */
	e->irq_intid = 0;
	step_done(rc, part, a.cell, followed);
}

/*
 * The wake-up step the vector took at f->step_now for f->step_intid (the line masked,
 * irq_wait's result written, the waiting cell run): the device's wait ends and the
 * scheduler wakes the cell, as run_on_device_irq does, which must give the switch the
 * vector made (devices_waiter and sched_wake_would_switch foresaw it, and nothing
 * changed since). The wake-up forgets the partition's choice: its entry then has no
 * window start and no step until it decides again.
 */
static void irq_in(struct run_cpu *rc, bool followed)
{
	struct fastwin *f = &rc->fw;
	int32_t part = f->cur->part;
	const struct fastwin_entry *e = &run.fw_entries[1 + part];
	struct sched_decision d;
	unsigned int owner;
	int32_t cell;

	if (part != rc->part || !devices_irq_fired((uint32_t)f->step_intid, f->step_now, &owner, &cell) ||
	    owner != (unsigned int)part || cell < 0 || &run.part[part].ctx[cell] != e->irq_ctx ||
	    sched_wake_quick(rc->sc, owner, (uint32_t)cell, f->step_now, &d) != SCHED_WAKE_SWITCH)
		kernel_panic("window fast path: the vector's wake-up step is not the kernel's");
	rc->fw_wakes++;
	entry(rc, (unsigned int)part);
	step_done(rc, part, cell, followed);
}

/*
 * The idle loop's wake-up step (run.c, idle_step) at f->step_now: the receive was
 * carried out and the cell ran; the scheduler wakes it now, as run_chan_wake would
 * have, which must make it the running cell (sched_idle_wake_runs foresaw it, and
 * nothing changed since): quickly, or by a full decision when the cell's own limit was
 * the CPU's timer (which then moves).
 */
static void idle_in(struct run_cpu *rc, bool followed)
{
	struct fastwin *f = &rc->fw;
	int32_t part = rc->idle_part, cell = rc->idle_cell;
	struct sched_decision d;
	enum sched_wake_result r = sched_wake_quick(rc->sc, (uint32_t)part, (uint32_t)cell,
						    f->step_now, &d);

	if ((r != SCHED_WAKE_SWITCH && r != SCHED_WAKE_DECIDED) || d.part != part || d.cell != cell)
		kernel_panic("idle wake-up step: the woken cell is not the kernel's choice");
	if (r == SCHED_WAKE_DECIDED) {
		run_apply(rc, &d, f->step_now);
		run.hooks.rearm(rc->cpu);
	}
	rc->fw_idle_wakes++;
	entry(rc, (unsigned int)part);
	step_done(rc, part, cell, followed);
}

static void windows_in(struct run_cpu *rc)
{
	struct fastwin *f = &rc->fw;
	int32_t part = f->cur->part;
	const struct fastwin_entry *e = &run.fw_entries[1 + part];

	rc->timer_ns = sched_fast_advance(rc->sc, (unsigned int)(f->cur - rc->fw_first), f->base, f->now,
					  f->late_sum, f->late_max);
	rc->timer_ticks = run_ns_to_ticks(rc->timer_ns);
	if (f->late_min < rc->late_min_ns)
		rc->late_min_ns = f->late_min;
	if (rc->fw_debug) { /* one window since the last entry (run_fast_limit) */
		struct sched_decision d = {
			.frame = (f->base - run.epoch_ns) / run.sched.frame_ns,
			.planned_ns = f->base + f->cur->start_ns, .part = part,
		};

		run_record(rc, &d, f->now);
	}
	fastwin_clear_stats(f);
	rc->fw_seen_part = part; /* the tables are as the vector left them, in this slot */
	rc->fw_seen_end = f->slot_end;
	/* What timer_irq's fast step leaves; the context is the one the vector resumed (its
	 * entry is not computed again before the kernel runs). */
	run_set_window(rc, part);
	rc->space = &run.part[part];
	rc->part = part;
	rc->next = e->ctx;
	rc->cell = (int32_t)(e->ctx - run.part[part].ctx);
}

/* The windows first, then the one step the vector took after them (what it
 * acknowledged says which: the timer's INTID or an SPI). */
void run_fast_in_slow(struct run_cpu *rc)
{
	struct fastwin *f = &rc->fw;
	bool followed; /* the entries as the scheduler's counters say, before the step's */

	if (f->late_min != UINT64_MAX)
		windows_in(rc);
	if (!f->step_now)
		return;
	followed = rc->fw_seen.any == rc->fw_gens->any;
	if (f->step_intid == f->intid)
		release_in(rc, followed);
	else if (f->step_intid == RUN_SGI_WAKE)
		idle_in(rc, followed);
	else
		irq_in(rc, followed);
	f->step_now = 0;
}

void run_fast_out_slow(struct run_cpu *rc)
{
	const struct sched_gens *g = rc->fw_gens;
	const struct sched_at *at = rc->fw_at;
	const struct fastwin_slot *sl = &rc->fw_first[at->cur];
	int32_t before = rc->fw_seen_part;

	if (g->pos != rc->fw_seen.pos || rc->fw_all) {
		rc->fw.cur = sl;
		rc->fw.base = at->base_ns;
		rc->fw.slot_end = at->slot_end_ns;
		if (rc->fw_debug)
			run_fast_limit(rc);
	}
	/*
	 * Choices changed: the partition whose slot the CPU is in now, and the one it was in
	 * at the last return if the CPU moved on from that slot to the next (a cell's call at
	 * its window's end, a late wake-up). A change to any other partition, or a move past
	 * more than one slot, computes them all.
	 */
	if (rc->fw_all || g->others != rc->fw_seen.others || sl->part == SCHED_IDLE) {
		all_entries(rc);
	} else if (g->choice != rc->fw_seen.choice) {
		entry(rc, (unsigned int)sl->part);
		if (g->pos != rc->fw_seen.pos) {
			if (at->base_ns + sl->start_ns != rc->fw_seen_end)
				all_entries(rc);
			else if (before != SCHED_IDLE && before != sl->part)
				entry(rc, (unsigned int)before);
		}
	}
	rc->fw_seen = *g;
	rc->fw_seen_part = sl->part;
	rc->fw_seen_end = at->slot_end_ns;
}

/* CONFIG_BENCH: the vector's passes, with the kernel's of their kind (its window starts
 * are partition switches, its release steps cell switches, its wake-up steps
 * irq_to_cell). */
void run_fast_bench(const struct run_cpu *rc, enum bench_kind k, struct el0_bench *b)
{
	const struct el0_bench *v = k == BENCH_CELL_SWITCH ? &rc->fw.rel_bench
				    : k == BENCH_IRQ_TO_CELL ? &rc->fw.irq_bench
							     : &rc->fw.bench;

	if (!rc->fw_on || !v->n)
		return;
	if (!b->n || v->min < b->min)
		b->min = v->min;
	if (v->max > b->max)
		b->max = v->max;
	b->n += v->n;
	b->sum += v->sum;
}
