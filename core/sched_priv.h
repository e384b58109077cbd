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

struct sched_cpu {
	const struct sched *s;
	uint32_t cpu;
	const struct sched_slot *slot; /* immutable after sched_build */
	unsigned int n_slot;
	/* Where the CPU is: the current slot, located once by division, then followed
	 * slot by slot (the timer path walks the table: no division, no search). */
	bool started;
	uint64_t frame;
	struct sched_at at;            /* the current slot, its frame's start and its end */
	int32_t part, cell;            /* what the last decision runs */
	uint64_t next_ns;              /* the last decision's timer: nothing is due before it */
	uint64_t planned_ns;           /* planned start of the current slot */
	bool idle;                     /* the last decision was to idle */
	uint64_t last_now;
	struct sched_gens gens;        /* sched_gens */
	/* Statistics. */
	uint64_t frames, windows, late_max, late_sum, late_n, idle_ns, fast_windows, fast_releases;
};

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

#endif
