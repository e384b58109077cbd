/*
 * The health monitor's mechanism (docs/health.md): hm_run decides, this file does what
 * it decides on this CPU's partitions.
 */
#include "core/run_priv.h"

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
bool run_hm_load(const struct plan *p)
{
	if (!hm_run_init(p, run.hm_mem, hm_mem_bytes(p)))
		return false;
	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct hm_policy *pol = hm_run_policy(i);
		bool restarts = false;

		for (unsigned int c = 0; c < HM_CLASSES; c++)
			restarts |= pol->action[c] == HM_ACT_WARM_RESTART ||
				    pol->action[c] == HM_ACT_COLD_RESTART;
		run.hm[i].step_max_ns = RELOAD_STEP_GUESS_NS;
		run.hm[i].hb_timeout_ns = pol->heartbeat_timeout_ns;
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
	run_apply(rc, &d, now);
	rc->hm_acted = true;
}

/*
 * A warm or cold restart begins: the partition's devices are quiesced (each interrupt
 * line masked and its pending state cleared at the GIC, the kernel's pending flag and
 * waiter forgotten) and its channels reset (docs/channels.md, "Restarts"). The lines stay
 * masked through the reload; the restarted driver re-initialises its device and hands
 * each line back with irq_ack.
 */
static void quiesce(unsigned int pi)
{
	unsigned int n = devices_quiesce(pi);
	uint32_t intid;

	for (unsigned int k = 0; k < n && devices_irq_at(pi, k, &intid); k++) {
		run.hooks.gic->spi_mask(intid, true);
		if (run.hooks.gic_clear_pending)
			run.hooks.gic->spi_clear_pending(intid);
	}
	channels_partition_reset(pi);
}

/* Carry out a decision of hm_run_detect (its hm event is logged). */
void run_hm_act(struct run_cpu *rc, unsigned int pi, const struct hm_decision *dec, uint64_t now)
{
	struct part_hm *h = &run.hm[pi];

	run.fast_until[pi] = 0; /* its next window start looks again */
	run_fast_until(pi);
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
		quiesce(pi);
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
bool run_hm_detected(struct run_cpu *rc, unsigned int pi, enum plan_hm_class cls, int cell,
			uint64_t now, const char *detail, struct hm_decision *dec)
{
	if (!hm_run_detect(pi, cls, cell, now, detail, dec))
		return false;
	run_hm_act(rc, pi, dec, now);
	return true;
}

/* A syscall violation: its hm line follows the syscall_violation event's per-frame limit
 * (a partition looping on bad calls under "ignore" must not flood the console). */
void run_hm_violation(struct run_cpu *rc, unsigned int pi, int cell, uint64_t now,
			 const char *detail)
{
	struct hm_decision dec;
	bool ok = run.vlog[pi].last_logged ? hm_run_detect(pi, HM_SYSCALL_VIOLATION, cell, now, detail, &dec)
				       : hm_run_detect_unlogged(pi, HM_SYSCALL_VIOLATION, cell, now,
								detail, &dec);

	if (ok)
		run_hm_act(rc, pi, &dec, now);
}

/* Out of line (with their detail buffers): the path of a window without a miss. */
static __attribute__((noinline)) void deadline_misses(struct run_cpu *rc,
						       const struct sched_decision *d, uint64_t now)
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
		(void)run_hm_detected(rc, ev->part, HM_DEADLINE_MISS, (int)ev->cell, now, detail, &dec);
	}
}

static __attribute__((noinline)) void heartbeat_missed(struct run_cpu *rc, unsigned int pi,
							uint64_t now)
{
	struct partition *p = &run.part[pi];
	struct hm_decision dec;
	char detail[64];
	struct strbuf sb;

	sb_init(&sb, detail, sizeof(detail));
	sb_puts(&sb, "last_heartbeat_ns=");
	sb_u64(&sb, p->heartbeat_ns);
	p->heartbeat_ns = now - run.epoch_ns; /* the next miss counts from this one */
	(void)run_hm_detected(rc, pi, HM_HEARTBEAT_MISS, HM_NO_CELL, now, detail, &dec);
}

/* The monitor at the start of partition pi's window: its heartbeat (so the check is
 * charged to the partition's own time), and a reload's window count. */
static void window_start(struct run_cpu *rc, unsigned int pi, uint64_t now)
{
	struct partition *p = &run.part[pi];
	struct part_hm *h = &run.hm[pi];
	uint64_t since = now - run.epoch_ns - p->heartbeat_ns;

	if (h->reloading) {
		h->windows++;
		/* Each window measures its own steps: one slow step (a vCPU a hypervisor ran
		 * late) must not keep the reload from fitting in any later window. */
		h->step_max_ns = RELOAD_STEP_GUESS_NS;
	}
	/* The timeout counts from the partition's first window: before it, it could not
	 * beat (a late start, e.g. a vCPU that Xen runs late, is not a miss). */
	if (!h->beat_armed) {
		h->beat_armed = true;
		p->heartbeat_ns = now - run.epoch_ns;
		return;
	}
	if (!h->hb_timeout_ns || since <= h->hb_timeout_ns || hm_run_state(pi) != HM_STATE_NORMAL)
		return;
	heartbeat_missed(rc, pi, now);
}

/* After a decision: its deadline misses, and at the start of a partition's window its
 * heartbeat; then how long the timer's fast path may skip that look. */
void run_hm_after(struct run_cpu *rc, const struct sched_decision *d, uint64_t now)
{
	if (d->n_events)
		deadline_misses(rc, d, now);
	if (!d->window_start || d->part == SCHED_IDLE)
		return;
	window_start(rc, (unsigned int)d->part, now);
	run_hm_fast_limit((unsigned int)d->part);
}

void run_hm_fast_limit(unsigned int pi)
{
	const struct part_hm *h = &run.hm[pi];
	uint64_t limit = 0;

	/* The check at a window start finds nothing while now - epoch - heartbeat_ns <=
	 * timeout, that is before epoch + heartbeat_ns + timeout + 1. */
	if (h->beat_armed && !h->reloading && hm_run_state(pi) == HM_STATE_NORMAL)
		limit = h->hb_timeout_ns
				? run.epoch_ns + run.part[pi].heartbeat_ns + h->hb_timeout_ns + 1
				: UINT64_MAX;
	run.fast_until[pi] = limit;
	run_fast_until(pi);
}

/* The reload of partition pi is done (or failed): start it, or stop it. */
static void reload_end(struct run_cpu *rc, unsigned int pi, uint64_t now)
{
	struct partition *p = &run.part[pi];
	struct part_hm *h = &run.hm[pi];
	struct sched_decision d;
	struct bh_partition_status st;

	h->reloading = false;
	run.fast_until[pi] = 0;
	run_fast_until(pi);
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
	run_apply(rc, &d, now);
	run.hooks.rearm(rc->cpu);
}

/* Cell k of partition pi back at its entry: it no longer waits on a device or a port
 * (an interrupt that comes now must not write its result into the fresh context), and
 * a cell that was blocked in any wait runs again from its entry at once. (A cell named
 * by a detection is running, or blocked inside its job: never in periodic_wait.) */
static void restart_cell(struct run_cpu *rc, unsigned int pi, unsigned int k)
{
	struct sched_decision d;
	uint64_t now = run_now_ns();

	partition_reset_cell(&run.part[pi], k);
	devices_cell_reset(pi, k);
	channels_cell_reset(pi, k);
	if (sched_wake(rc->sc, pi, k, now, &d)) {
		run_apply(rc, &d, now);
		run.hooks.rearm(rc->cpu);
	}
}

/* Idle loop, IRQs masked, no EL0 context live: cell restarts due on this CPU, and in
 * a reloading partition's window as many reload steps as fit before the CPU's next
 * event (with twice the longest step as margin). */
void run_hm_work(struct run_cpu *rc)
{
	for (unsigned int i = 0; i < run.plan->n_part; i++) {
		struct part_hm *h = &run.hm[i];
		uint32_t due = h->reset_pending;

		if (run.plan->part[i].cpu != rc->cpu || !due)
			continue;
		h->reset_pending = 0;
		for (unsigned int k = 0; k < PLAN_CELLS; k++)
			if (due & (1u << k))
				restart_cell(rc, i, k);
	}
	if (rc->window_part == SCHED_IDLE || !run.hm[rc->window_part].reloading)
		return;

	unsigned int pi = (unsigned int)rc->window_part;
	struct part_hm *h = &run.hm[pi];
	uint64_t now = run_now_ns();

	while (now + 2 * h->step_max_ns < rc->timer_ns) {
		enum reload_phase ph = part_reload_step(&run.part[pi], run.plan, &h->reload);
		uint64_t t = run_now_ns();

		if (t - now > h->step_max_ns)
			h->step_max_ns = t - now;
		now = t;
		if (ph == RELOAD_DONE || ph == RELOAD_FAILED) {
			reload_end(rc, pi, now);
			return;
		}
	}
}
