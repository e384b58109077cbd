/*
 * The frame executor and the in-window cell scheduler. Pure: no timer, no interrupt
 * controller, no context switch. The kernel calls it with the time (ns from the
 * common epoch's clock) and does what the decision says; the host tests drive it
 * with a fake clock.
 *
 *   sched_mem_bytes()  how much memory the tables for this plan take
 *   sched_build()      validates the plan's schedule and cells, builds the per-CPU
 *                      window tables (sorted, idle gaps explicit) in caller memory;
 *                      the tables are immutable afterwards
 *   sched_on_timer()   the one-shot timer fired (or the CPU starts): what runs now,
 *                      and when the timer must fire next (tickless: one event)
 *   sched_on_periodic_wait(), sched_on_block()
 *                      the running cell waits; what runs instead
 *   sched_wake(), sched_wake_quick()
 *                      a sleeping cell is woken; the quick one answers "no change"
 *                      or "switch to it" without a new decision when nothing else is due
 *
 * Model. Every CPU repeats the major frame from one common epoch: frame k starts at
 * epoch + k * frame, and every boundary is computed from the epoch (never
 * accumulated), so there is no drift and a late interrupt shortens the window it
 * lands in instead of shifting the next one. Inside a partition's window its cells
 * run by fixed priority, preemptively (higher first; equal priorities by cell order).
 * A periodic cell is released at epoch + n * period; its job's deadline is its release
 * plus deadline-us, and the job ends when the cell calls periodic wait. Releases,
 * wake-ups and deadline checks of a partition are done only while it holds the CPU:
 * one that falls outside its windows is handled at the start of its next window.
 * A job still unfinished at its deadline gives one deadline-miss event.
 *
 * Concurrency: the state of one CPU (and of the cells of the partitions placed on it)
 * is touched only by that CPU. Nothing here locks.
 */
#ifndef BULKHEAD_CORE_SCHED_H
#define BULKHEAD_CORE_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "dt/plan.h"

enum sched_err {
	SCHED_OK = 0,
	SCHED_ERR_MEMORY,        /* the caller's memory is smaller than sched_mem_bytes() */
	SCHED_ERR_FRAME,         /* major frame zero */
	SCHED_ERR_WINDOW,        /* a window empty, out of order, overlapping or past the frame */
	SCHED_ERR_PARTITION,     /* a window names no partition, or one placed on another CPU */
	SCHED_ERR_CPU,           /* a CPU scheduled twice */
	SCHED_ERR_NAME,          /* two partitions share a name */
	SCHED_ERR_CELL,          /* a cell's priority or timing out of range */
	SCHED_ERR_NO_CELL,       /* a wait with no cell running on this CPU */
	SCHED_ERR_NOT_PERIODIC,  /* periodic wait from a cell that has no period */
	SCHED_ERR_COUNT,
};
const char *sched_strerror(enum sched_err e);

#define SCHED_IDLE (-1)

/* One slot of a CPU's window table: a partition's window or an idle gap. */
struct sched_slot {
	uint64_t start_ns, end_ns; /* offsets in the major frame, [start, end) */
	int32_t part;              /* plan partition index, or SCHED_IDLE */
	/* For a fast path that follows the frame: the slot after this one (the first after
	 * the last), and how much later its frame starts (frame_ns after the last, else 0). */
	const struct sched_slot *next;
	uint64_t advance_ns;
};

enum sched_event_kind { SCHED_EV_DEADLINE_MISS };

struct sched_event {
	enum sched_event_kind kind;
	uint32_t part, cell;     /* plan partition index, cell (enum plan_cell_kind) */
	uint64_t release_ns;     /* the job's release */
	uint64_t deadline_ns;    /* when it had to be done */
	uint64_t detected_ns;    /* the now at which it was seen */
};

/* At most one event per cell of the partition that holds the CPU. */
#define SCHED_MAX_EVENTS PLAN_CELLS

struct sched_decision {
	int32_t part;            /* partition that holds the CPU, or SCHED_IDLE (idle gap) */
	int32_t cell;            /* cell to run, or SCHED_IDLE (WFI: nothing ready) */
	uint64_t next_ns;        /* program the one-shot timer for this (always > now) */
	bool window_start;       /* a partition's window began in this step */
	uint64_t frame;          /* frame number of now (0 before and at the epoch) */
	uint64_t planned_ns;     /* planned start of the current slot */
	uint64_t release_ns;     /* sched_on_periodic_wait only: the waiting cell's next
				  * release, exactly when its next job begins (if that is
				  * already past, the job is released at once and keeps it) */
	unsigned int n_events;
	struct sched_event ev[SCHED_MAX_EVENTS];
};

struct sched_stats {
	uint64_t frames;           /* frames begun */
	uint64_t windows;          /* partition windows entered */
	uint64_t lateness_max_ns;  /* over the switches reported with sched_note_switch() */
	uint64_t lateness_mean_ns;
	uint64_t idle_ppm;         /* idle (gaps, and windows with no ready cell) per million ns */
	uint64_t fast_windows;     /* of windows, those started outside (sched_fast_advance) */
	uint64_t fast_releases;    /* release steps taken outside (sched_fast_release) */
};

struct sched_cell;
/*
 * A partition's last decision, kept for the timer's fast paths (sched_timer_fast, and
 * the HAL's window fast path): the cell its last run_partition chose and the earliest
 * event it found (release, wake-up or deadline), at which a new decision is due. Valid
 * while none of the partition's cells changes state other than through run_partition;
 * anything else that changes one (a wake-up outside its window, a stop, a restart)
 * sets due_ns to 0: decide again. Read-only outside the scheduler.
 */
struct sched_part {
	uint64_t due_ns;
	int32_t cell;
	bool due_release; /* due_ns is a release and no other event comes at or before it */
};

/* Where a CPU is in its frame (read-only outside the scheduler). */
struct sched_at {
	uint64_t base_ns;     /* start of the current frame: epoch + frame * frame_ns */
	uint64_t slot_end_ns; /* absolute end of the current slot */
	unsigned int cur;     /* the current slot's index */
};
struct sched;

/* One CPU's table and state (opaque; lives in the sched_build memory). */
struct sched_cpu;

/* The whole scheduler: a handle on the tables in the caller's memory. */
struct sched {
	uint64_t epoch_ns, frame_ns;
	unsigned int n_cpu, n_part;
	struct sched_cpu *cpu;     /* n_cpu of them */
	struct sched_cell *cell;   /* n_part * PLAN_CELLS */
	struct sched_part *part;   /* n_part */
};

/* Bytes sched_build needs for this plan (its counts: windows, CPUs, partitions). */
size_t sched_mem_bytes(const struct plan *p);

/*
 * Build from a plan that passed plan_check (checked again here: a broken schedule is
 * refused, not trusted). mem: bytes of caller memory, 16-byte aligned, that the
 * scheduler owns from now on. epoch_ns: the common start of frame 0 on every CPU.
 * Periodic cells are first released at the epoch; the others are ready from it.
 */
enum sched_err sched_build(struct sched *s, const struct plan *p, uint64_t epoch_ns, void *mem,
			   size_t bytes) __must_check;

/* The state for logical CPU cpu, or NULL if the plan gives it no schedule. */
struct sched_cpu *sched_cpu(struct sched *s, uint32_t cpu);

/* The CPU's window table (n slots covering the frame). */
const struct sched_slot *sched_slots(const struct sched_cpu *c, unsigned int *n);

/* The timer fired or the CPU starts: decide what runs at now. */
void sched_on_timer(struct sched_cpu *c, uint64_t now, struct sched_decision *d);

/*
 * The timer fired at now (the same call as sched_on_timer) at the end of a slot, and
 * the next slot is the window of a partition whose last decision still holds: nothing
 * of it is due at now, and now is before limit[part] (the caller's own per-partition
 * limit: e.g. when its health monitor must look at the partition, 0 to always decide
 * in full). Then the same state and decision as sched_on_timer, with the switch noted
 * at now (sched_note_switch), and true; else false and nothing changed: call
 * sched_on_timer.
 */
bool sched_timer_fast(struct sched_cpu *c, uint64_t now, const uint64_t *limit,
		      struct sched_decision *d);

/*
 * For a window fast path outside the scheduler (the HAL's, hal/fastwin.h): where the
 * CPU is in its frame (the pointer stays valid and follows it; the table is
 * sched_slots'), and a
 * counter that changes whenever the position or any partition's choice (struct
 * sched::part) does. The path may then start windows by itself, each exactly what
 * sched_timer_fast would do, and tell the scheduler with sched_fast_advance before
 * anything else calls it for this CPU.
 */
struct sched_gens {
	uint64_t any;    /* any of the below */
	uint64_t pos;    /* the position moved (a slot entered) */
	uint64_t choice; /* a partition's choice was written or forgotten */
	uint64_t others; /* ... that of a partition other than the one the CPU was in */
};
const struct sched_at *sched_at(const struct sched_cpu *c);
const struct sched_gens *sched_gens(const struct sched_cpu *c);

/*
 * Windows started outside: the CPU went on, slot by slot, from where it was to slot
 * cur of the frame that starts at base_ns, each slot a window whose partition's last
 * decision held (as sched_timer_fast checks), the last one started at now. late_sum
 * and late_max: the lateness of those window starts. The state and statistics are
 * those that sched_timer_fast at each start would have left; returns the decision's
 * next_ns (the CPU runs the cell the slot's partition chose last, struct sched::part).
 */
uint64_t sched_fast_advance(struct sched_cpu *c, unsigned int cur, uint64_t base_ns, uint64_t now,
			    uint64_t late_sum, uint64_t late_max);

/*
 * For a fast path outside the scheduler (the HAL's release step, hal/fastwin.h): what
 * partition part's next decision will be when nothing but time changes it. At its due
 * time (struct sched::part) one or more of its cells are released and nothing else
 * happens (no wake-up, no deadline reached): then the cell that decision chooses and
 * the partition's earliest event after it. The decision run_partition makes at any now
 * from due_ns up to (not including) next_ns is that one. cell SCHED_IDLE: the decision
 * does more, or nothing is due. (Returned by value: no stack-protected local at the
 * caller.)
 */
struct sched_ahead {
	int32_t cell;
	uint64_t next_ns;
};
struct sched_ahead sched_ahead(const struct sched *s, uint32_t part);

/*
 * The release step taken outside: at now (from the partition's due time up to a's
 * next_ns, before the current slot's end and no later event of the CPU due), the CPU
 * ran a->cell of the partition of its current slot, as sched_ahead foresaw with
 * nothing changed since. Leaves the state and statistics sched_on_timer at now would
 * have left; returns that decision's next_ns.
 */
uint64_t sched_fast_release(struct sched_cpu *c, uint64_t now, const struct sched_ahead *a);

/*
 * For a wake-up step outside the scheduler (the HAL's, hal/fastwin.h): while part holds
 * its CPU, before its due time (struct sched::part, not 0) and its slot's end,
 * sched_wake_quick of its cell would answer SCHED_WAKE_SWITCH: the cell sleeps, its own
 * limit is later than the due time (or it has none), and it outranks the partition's
 * choice.
 */
bool sched_wake_would_switch(const struct sched *s, uint32_t part, uint32_t cell);

/*
 * For the idle loop's wake-up step (core/run.c): the CPU idles in part's window (the
 * last decision chose part and no cell of it: none is ready) and cell of part sleeps,
 * so sched_wake_quick of it at any time before the decision's timer (next_ns, which
 * it returns in *until) makes it the running cell, by either of its ways (SWITCH, or
 * DECIDED with this cell). False otherwise.
 */
bool sched_idle_wake_runs(const struct sched_cpu *c, uint32_t part, uint32_t cell, uint64_t *until);

/* The running cell ends its job and waits for its next release. */
enum sched_err sched_on_periodic_wait(struct sched_cpu *c, uint64_t now,
				      struct sched_decision *d) __must_check;

/* The running cell sleeps until wake_at (at or before now: it just yields). */
enum sched_err sched_on_block(struct sched_cpu *c, uint64_t wake_at, uint64_t now,
			      struct sched_decision *d) __must_check;

/*
 * A cell of a partition placed on this CPU that sleeps (sched_on_block) is woken now
 * (an interrupt it waits for): at once if its partition holds the CPU, else at the
 * start of the partition's next window. False (nothing changes, *d untouched) if the
 * cell is not asleep; else *d says what runs now.
 */
bool sched_wake(struct sched_cpu *c, uint32_t part, uint32_t cell, uint64_t now,
		struct sched_decision *d);

enum sched_wake_result {
	SCHED_WAKE_NOT_ASLEEP, /* the cell is not asleep: nothing changes, *d untouched */
	SCHED_WAKE_UNCHANGED,  /* the CPU runs what it ran, the timer stays: *d untouched */
	SCHED_WAKE_SWITCH,     /* *d: the woken cell runs now in the same window; no event,
				* no window start, the timer stays (next_ns as before) */
	SCHED_WAKE_DECIDED,    /* *d: a full decision, as from sched_wake */
};

/*
 * sched_wake with a cheap answer when nothing else is due (now before the last
 * decision's timer): the same state and, where *d is written, the same decision as
 * sched_wake. UNCHANGED stands for the decision sched_wake would repeat (the running
 * cell, the same timer, no event); SWITCH is that decision with the woken cell.
 */
enum sched_wake_result sched_wake_quick(struct sched_cpu *c, uint32_t part, uint32_t cell,
					uint64_t now, struct sched_decision *d);

/* The partition (placed on this CPU) stops: its cells never run again. */
void sched_stop_partition(struct sched_cpu *c, uint32_t part, uint64_t now,
			  struct sched_decision *d);

/*
 * The partition (placed on this CPU) starts again: its aperiodic cells are ready, its
 * periodic cells are released at their first period boundary (epoch + n * period) at
 * or after now.
 */
void sched_restart_partition(struct sched_cpu *c, uint32_t part, uint64_t now,
			     struct sched_decision *d);

/* The kernel switched into the window of the last decision at actual_ns: lateness. */
void sched_note_switch(struct sched_cpu *c, uint64_t actual_ns);

void sched_get_stats(const struct sched_cpu *c, struct sched_stats *out);

#endif
