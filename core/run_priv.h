/*
 * Inside core/run: the state the run_*.c files share, and what each exports to the
 * others. run.c loads, starts and switches; run_hm.c carries out the health monitor's
 * decisions; run_sys.c implements the system calls; run_bench.c counts CONFIG_BENCH
 * passes. Nothing outside core/run*.c includes this header.
 */
#ifndef BULKHEAD_CORE_RUN_PRIV_H
#define BULKHEAD_CORE_RUN_PRIV_H

#include "core/run.h"
#include "core/channels.h"
#include "core/devices.h"
#include "core/log.h"
#include "core/asid.h"
#include "core/hm_run.h"
#include "core/kmem.h"
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
#include "hal/fastwin.h"
#include "hal/gic.h"
#include "hal/mmu.h"
#include "hal/timer.h"

#define NS_PER_S 1000000000ULL
#define NS_PER_MS 1000000ULL
#define EPOCH_DELAY_NS (2 * NS_PER_MS) /* from run_start to the first frame */
#define START_WAIT_NS (10 * NS_PER_S)  /* how long a CPU waits for run_start */
#define WINDOW_RING 256 /* window events per CPU between two drains */

/* syscall_violation events logged per partition (run_sys.c's op_violation_log). */
#define VIOLATION_EVENTS_PER_FRAME 4
struct run_vlog {
	uint64_t frame;      /* of the last violation */
	uint32_t logged;     /* in that frame */
	uint64_t suppressed; /* since the last one logged */
	bool last_logged;    /* the latest violation's event went out (its hm line may too) */
};

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
	BENCH_CELL_SWITCH,   /* an interrupt (a release), to another cell of the same partition */
	BENCH_PART_SWITCH,   /* to another partition: a window start that resumes its choice */
	BENCH_PART_SWITCH_DUE, /* to another partition whose window start has work due */
	BENCH_IRQ_TO_CELL,   /* a device interrupt, to the cell it woke from irq_wait */
	BENCH_CELL_SWITCH_CALL, /* a call (periodic_wait, a wait), to another cell of the same partition */
	BENCH_KINDS,
};

struct run_cpu {
	struct sched_cpu *sc;       /* NULL: the plan gives this CPU no schedule */
	struct el0_ctx *next;       /* the context this CPU runs now; NULL: idle */
	int32_t part, cell;         /* of next */
	int32_t window_part;        /* whose window this is (SCHED_IDLE: a gap) */
	bool hm_acted;              /* the health monitor acted: leave EL0 by the idle loop */
	const struct partition *space; /* whose table TTBR0 holds */
	uint64_t timer_ns;          /* when the scheduler wants to decide again */
	uint64_t timer_ticks;       /* timer_ns in counter ticks, as last armed (UINT64_MAX: none) */
	uint64_t timeq_ticks;       /* the CPU's earliest other timer event, as last armed */
	bool started;
	unsigned int ring_head, ring_tail;
	uint64_t ring_dropped;
	struct window_rec ring[WINDOW_RING];
	unsigned int cpu;
	uint64_t late_min_ns;       /* least window lateness (sched_stats has the max) */
	enum bench_kind bench_kind; /* of the pass now resuming EL0 */
	uint64_t bench_start;       /* el0_cycles() when the schedule started */
	uint64_t bench_self;        /* instructions the current pass spent on its own counting */
	const struct el0_ctx *bench_woken; /* the cell a device interrupt woke in this pass */
	bool bench_decided;         /* this pass's timer decision was a full one */
	struct el0_bench bench[BENCH_KINDS];
	struct asid_space asids;    /* of the partitions on this CPU (core/asid.h) */
	/* The timer path's decision (not on the stack: no stack-protector check on the
	 * switch path for it). */
	struct sched_decision dec;
	/* The IRQ vector's window starts (run_fast.c, hal/fastwin.h). */
	struct fastwin fw;
	bool fw_on;
	bool fw_all;                /* every entry to compute again (run_fast.c) */
	bool fw_debug;              /* window events: one window by the vector at a time */
	const struct fastwin_slot *fw_first; /* the scheduler's table of this CPU */
	const struct sched_at *fw_at;        /* the scheduler's position on this CPU */
	const struct sched_gens *fw_gens;    /* ... its counters, and as last followed: */
	struct sched_gens fw_seen;
	int32_t fw_seen_part;                /* ... the slot's partition then, */
	uint64_t fw_seen_end;                /* ... and its end */
	unsigned int fw_n_slot;
	uint64_t fw_limit;                   /* the vector's limit, as run_fast_limit set it */
	uint64_t fw_wakes;                   /* wake-up steps the vector took */
	/* The idle loop's wake-up step (run.c): what the CPU foresaw before it slept. */
	struct el0_ctx *idle_ctx;            /* the cell a wake-up SGI runs (NULL: none) */
	int32_t idle_part, idle_cell;        /* ... its partition and cell (the catch-up's) */
	uint64_t idle_until;                 /* ... before this time only */
	struct channels_idle idle_ci;        /* ... and its receive */
	uint64_t fw_idle_wakes;              /* idle wake-up steps taken */
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
	uint64_t hb_timeout_ns;     /* the plan's heartbeat timeout (0: none), from its policy */
	uint64_t boot_digest;       /* of the memory a warm restart wipes, after the boot load */
};

struct run_state {
	const struct plan *plan;
	struct clock clock;
	struct run_hooks hooks;
	struct sched sched;
	uint64_t epoch_ns;
	uint32_t ready; /* run_start done (release/acquire) */
	/* Sized by the plan at run_load, from RAM it leaves free (core/kmem.h): */
	struct kmem mem;
	struct partition *part;   /* n_part */
	struct part_hm *hm;       /* n_part */
	struct run_vlog *vlog;    /* n_part */
	struct asid_tag *asid;    /* n_part: each partition's ASID on its CPU */
	void *sched_mem;          /* sched_mem_bytes(plan) */
	void *hm_mem;             /* hm_mem_bytes(plan), the health monitor's (run_hm_load) */
	uint8_t *chan_waiting;    /* n_part: channels_env.waiting */
	uint64_t *fast_until;     /* n_part: sched_timer_fast's limits (run_hm_fast_limit) */
	struct fastwin_entry *fw_entries; /* 1 + n_part: the vector's (run_fast.c); [0] empty */
	uint64_t *fw_sig_index;           /* n_part: port_signal's table (run_fast_signals) */
	struct fastwin_sig *fw_sigs;      /* plan_cap_slots */
	bool fw_signals;                  /* ... written (the synchronous vector may use it) */
	struct pt_pool pool;      /* the partitions' page tables: exactly the pages they use */
	struct run_cpu cpu[PLAN_MAX_CPUS];
};

extern struct run_state run;

/* run_hm.c: how long the timer's fast path may enter partition pi's windows without
 * the health monitor's look (its heartbeat's timeout; 0 while it is not normal). */
void run_hm_fast_limit(unsigned int pi);

/* run.c: counter ticks to ns since boot (one multiplication where a tick is whole ns),
 * and ns since boot to the first counter value at or after it. */
uint64_t run_ticks_to_ns(uint64_t ticks);
uint64_t run_ns_to_ticks(uint64_t ns);

/* Whose window rc's CPU is in: the kernel's, and the hint other CPUs read
 * (run_chan_notify), which the IRQ vector writes too (struct fastwin.window_part). */
static inline void run_set_window(struct run_cpu *rc, int32_t part)
{
	rc->window_part = part;
	__atomic_store_n(&rc->fw.window_part, (int64_t)part, __ATOMIC_RELAXED);
}

/* run.c: at debug level, a window begun (d's frame, planned start and partition) at
 * now, into the CPU's ring of window events. */
void run_record(struct run_cpu *rc, const struct sched_decision *d, uint64_t now);

/* run_fast.c: the window fast path on this CPU (false: not for this platform, or turned
 * off); catch up with the windows the vector started (run_fast_in, at every
 * entry from EL0 before the schedule is looked at); its tables, before every return to
 * EL0 (run_fast_out); CONFIG_BENCH: its passes added to b. */
void run_fast_init(struct run_cpu *rc); /* off, at load (every CPU) */
bool run_fast_enable(struct run_cpu *rc, uint64_t ns_per_tick);
void run_fast_in_slow(struct run_cpu *rc);
void run_fast_out_slow(struct run_cpu *rc);
void run_fast_limit(struct run_cpu *rc);   /* rc->timeq_ticks changed */
void run_fast_asid(struct run_cpu *rc, unsigned int pi, bool new_generation); /* pi's ASID */
void run_fast_until(unsigned int pi);      /* pi's health monitor limit changed */
void run_fast_signals(void);               /* port_signal's table (boot CPU, at run_start) */
void run_fast_bench(const struct run_cpu *rc, enum bench_kind k, struct el0_bench *b);

static inline void run_fast_in(struct run_cpu *rc)
{
	if (rc->fw.late_min != UINT64_MAX || rc->fw.step_now)
		run_fast_in_slow(rc);
}

/* fw_gens points at counters that never move while the path is off; fw_seen.any is
 * set apart from them when every entry must be computed again (fw_all). */
static inline void run_fast_out(struct run_cpu *rc)
{
	if (rc->fw_gens->any != rc->fw_seen.any)
		run_fast_out_slow(rc);
}

static inline uint64_t run_now_ns(void)
{
	return run_ticks_to_ns(timer_now());
}

/* Set by run_cpu_enter; kernel_idle and the upcalls run only after it. */
static inline struct run_cpu *run_this_rc(void)
{
	return cpu_local();
}

/* TTBR0 to partition pi's table (p), with its ASID on this CPU: a new one when its
 * generation is over, then this CPU's TLB entries of that ASID's earlier holder go. */
void run_space_assign(struct run_cpu *rc, const struct partition *p, unsigned int pi);

static inline void run_space_switch(struct run_cpu *rc, const struct partition *p,
				    unsigned int pi)
{
	const struct asid_tag *t = &run.asid[pi];

	if (t->gen == rc->asids.gen)
		el0_space_switch(p->root_pa, t->asid);
	else
		run_space_assign(rc, p, pi);
}

/* run.c: when the interrupt this CPU handles came (ns since boot; now if unknown). */
uint64_t run_irq_now_ns(unsigned int cpu);

/* run.c: a scheduler decision carried out, then what it tells the health monitor. */
void run_apply(struct run_cpu *rc, const struct sched_decision *d, uint64_t now);

/* run_hm.c */
bool run_hm_load(const struct plan *p) __must_check;
void run_hm_after(struct run_cpu *rc, const struct sched_decision *d, uint64_t now);
void run_hm_work(struct run_cpu *rc);
void run_hm_act(struct run_cpu *rc, unsigned int pi, const struct hm_decision *dec, uint64_t now);
bool run_hm_detected(struct run_cpu *rc, unsigned int pi, enum plan_hm_class cls, int cell,
		     uint64_t now, const char *detail, struct hm_decision *dec);
void run_hm_violation(struct run_cpu *rc, unsigned int pi, int cell, uint64_t now,
		      const char *detail);

/* run_sys.c */
void run_block(struct run_cpu *rc, uint64_t wake_at);
uint64_t run_epoch_now_ns(void);
void run_sleep_rerun(void *ctx, uint64_t until_ns);
void run_chan_notify(unsigned int part);
void run_chan_wake(struct run_cpu *rc, int32_t part, uint64_t now);

/* run_bench.c (CONFIG_BENCH) */
void run_bench_report(const struct run_cpu *rc);
uint64_t run_bench_begin(struct run_cpu *rc, const struct el0_ctx *ctx);
void run_bench_end(struct run_cpu *rc, const struct el0_ctx *from, int32_t from_part,
		   enum bench_kind same, uint64_t self);

#endif
