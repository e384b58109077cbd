/*
 * Inside core/sched: the scheduler's state, shared by sched.c (the frame executor and
 * cell scheduler at run time) and sched_build.c (the tables from the plan). Nothing
 * outside core/sched*.c includes this header.
 */
#ifndef BULKHEAD_CORE_SCHED_PRIV_H
#define BULKHEAD_CORE_SCHED_PRIV_H

#include "core/sched.h"
#include "core/lib/libc.h"

#define NS_PER_US 1000ULL

/* A cell's states. Running is not a state: the running cell is the CPU's choice
 * among the ready ones. */
enum cell_state {
	CELL_READY,        /* may run when its partition holds the CPU */
	CELL_WAIT_RELEASE, /* periodic: job done, waits for next_release_ns */
	CELL_BLOCKED,      /* sleeps until wake_ns */
	CELL_STOPPED,      /* its partition was stopped */
};

struct sched_cell {
	enum cell_state state;
	uint32_t priority;
	bool periodic;
	bool job_active;          /* periodic: released, periodic wait not yet called */
	bool missed;              /* this job's deadline miss was reported */
	uint64_t period_ns, rel_deadline_ns;
	uint64_t release_ns;      /* the current job's release */
	uint64_t deadline_ns;     /* the current job's absolute deadline */
	uint64_t next_release_ns;
	uint64_t wake_ns;
};

/*
 * A partition's last decision, kept for the timer's fast path (sched_timer_fast): the
 * cell its last run_partition chose and the earliest event it found (release, wake-up
 * or deadline), at which a new decision is due. Valid while none of the partition's
 * cells changes state other than through run_partition; anything else that changes
 * one (a wake-up outside its window, a stop, a restart) sets due_ns to 0: decide again.
 */
struct sched_part {
	uint64_t due_ns;
	int32_t cell;
};

struct sched_cpu {
	const struct sched *s;
	uint32_t cpu;
	const struct sched_slot *slot; /* immutable after sched_build */
	unsigned int n_slot;
	/* Where the CPU is: the current slot, located once by division, then followed
	 * slot by slot (the timer path walks the table: no division, no search). */
	bool started;
	uint64_t frame;
	unsigned int cur;              /* slot index */
	uint64_t base_ns;              /* start of the current frame: epoch + frame * frame_ns */
	uint64_t slot_end_ns;          /* absolute end of the current slot */
	int32_t part, cell;            /* what the last decision runs */
	uint64_t next_ns;              /* the last decision's timer: nothing is due before it */
	uint64_t planned_ns;           /* planned start of the current slot */
	bool idle;                     /* the last decision was to idle */
	uint64_t last_now;
	/* Statistics. */
	uint64_t frames, windows, late_max, late_sum, late_n, idle_ns;
};

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

#endif
