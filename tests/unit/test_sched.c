/* core/sched.c: the frame executor and cell scheduler on a fake clock. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/sched.h"

#define US 1000ULL
#define EPOCH 5000000ULL /* the common epoch: 5 ms after the clock's zero */

#define TEST_PARTS 64   /* partitions a test plan may have */
#define TEST_WINDOWS 64 /* windows on one CPU */

static struct plan *plan;
static void *mem;
static struct sched s;

static void new_plan(uint32_t frame_us)
{
	plan = calloc(1, sizeof(*plan));
	cr_assert_not_null(plan);
	/* Tables as plan_parse would carve them, with room for what these tests add. */
	plan->part = calloc(TEST_PARTS, sizeof(*plan->part));
	cr_assert_not_null(plan->part);
	for (unsigned int c = 0; c < PLAN_MAX_CPUS; c++) {
		plan->sched[c].w = calloc(TEST_WINDOWS, sizeof(*plan->sched[c].w));
		cr_assert_not_null(plan->sched[c].w);
	}
	plan->version = PLAN_VERSION;
	plan->major_frame_us = frame_us;
}

/* A partition whose cells are both aperiodic (always ready), priorities 10 and 20. */
static int add_part(const char *name, uint32_t cpu)
{
	struct plan_partition *pp = &plan->part[plan->n_part];

	cr_assert_lt(plan->n_part, TEST_PARTS);

	strcpy(pp->name, name);
	pp->cpu = cpu;
	for (unsigned int k = 0; k < PLAN_CELLS; k++)
		pp->cell[k] = (struct plan_cell){ .priority = 10 + 10 * k, .stack_bytes = 4096 };
	return (int)plan->n_part++;
}

static void periodic(int part, unsigned int cell, uint32_t prio, uint32_t period_us,
		     uint32_t deadline_us)
{
	plan->part[part].cell[cell] = (struct plan_cell){ .priority = prio, .stack_bytes = 4096,
		.periodic = true, .period_us = period_us, .deadline_us = deadline_us,
		.wcet_us = 1 };
}

static void window(uint32_t cpu, const char *part, uint32_t off_us, uint32_t dur_us)
{
	unsigned int i;

	for (i = 0; i < plan->n_sched && plan->sched[i].cpu != cpu; i++)
		;
	if (i == plan->n_sched) {
		plan->sched[i].cpu = cpu;
		plan->n_sched++;
	}
	struct plan_cpu *pc = &plan->sched[i];
	cr_assert_lt(pc->n, TEST_WINDOWS);
	strcpy(pc->w[pc->n].partition, part);
	pc->w[pc->n].offset_us = off_us;
	pc->w[pc->n].duration_us = dur_us;
	pc->n++;
}

static enum sched_err build(void)
{
	size_t bytes = sched_mem_bytes(plan);

	free(mem);
	mem = aligned_alloc(16, ALIGN_UP(bytes, 16) + 16);
	cr_assert_not_null(mem);
	return sched_build(&s, plan, EPOCH, mem, bytes);
}

static struct sched_cpu *built_cpu(uint32_t cpu)
{
	cr_assert_eq(build(), SCHED_OK);
	struct sched_cpu *c = sched_cpu(&s, cpu);
	cr_assert_not_null(c);
	return c;
}

static void teardown(void)
{
	for (unsigned int c = 0; plan && c < PLAN_MAX_CPUS; c++)
		free(plan->sched[c].w);
	if (plan)
		free(plan->part);
	free(plan);
	free(mem);
	plan = NULL;
	mem = NULL;
}

TestSuite(sched, .fini = teardown);

Test(sched, window_table_sorted_with_idle_gaps)
{
	new_plan(1000);
	add_part("a", 0);
	add_part("b", 0);
	window(0, "a", 100, 200);
	window(0, "b", 300, 200); /* back to back with a */
	window(0, "a", 700, 100); /* a second window for a */
	unsigned int n;
	const struct sched_slot *sl = sched_slots(built_cpu(0), &n);
	static const struct sched_slot want[] = {
		{ 0, 100 * US, SCHED_IDLE }, { 100 * US, 300 * US, 0 }, { 300 * US, 500 * US, 1 },
		{ 500 * US, 700 * US, SCHED_IDLE }, { 700 * US, 800 * US, 0 },
		{ 800 * US, 1000 * US, SCHED_IDLE },
	};

	cr_assert_eq(n, 6);
	for (unsigned int i = 0; i < n; i++) {
		cr_assert_eq(sl[i].start_ns, want[i].start_ns, "slot %u", i);
		cr_assert_eq(sl[i].end_ns, want[i].end_ns, "slot %u", i);
		cr_assert_eq(sl[i].part, want[i].part, "slot %u", i);
	}
	cr_assert_null(sched_cpu(&s, 1), "a CPU without a schedule has no table");
}

Test(sched, follows_boundaries_through_frames)
{
	new_plan(1000);
	add_part("a", 0);
	add_part("b", 0);
	window(0, "a", 100, 200);
	window(0, "b", 300, 200);
	window(0, "a", 700, 100);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;
	static const struct { int32_t part, cell; uint64_t next_us; bool start; } want[] = {
		{ SCHED_IDLE, SCHED_IDLE, 100, false }, { 0, 1, 300, true }, { 1, 1, 500, true },
		{ SCHED_IDLE, SCHED_IDLE, 700, false }, { 0, 1, 800, true },
		{ SCHED_IDLE, SCHED_IDLE, 1000, false }, { SCHED_IDLE, SCHED_IDLE, 1100, false },
		{ 0, 1, 1300, true },
	};
	uint64_t now = EPOCH;

	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
		sched_on_timer(c, now, &d);
		cr_assert_eq(d.part, want[i].part, "step %u", i);
		cr_assert_eq(d.cell, want[i].cell, "step %u: the higher-priority cell", i);
		cr_assert_eq(d.next_ns, EPOCH + want[i].next_us * US, "step %u", i);
		cr_assert_eq(d.window_start, want[i].start, "step %u", i);
		cr_assert_eq(d.planned_ns, now, "step %u: on time", i);
		now = d.next_ns;
	}
	cr_assert_eq(d.frame, 1);
}

/*
 * The timer path follows the table entry by entry; a CPU held up past a whole slot (or
 * frames) finds its place from the epoch again. Both ways give the same decisions as a
 * scheduler that starts fresh at that time.
 */
Test(sched, the_table_walk_matches_a_fresh_search)
{
	new_plan(1000);
	add_part("a", 0);
	add_part("b", 0);
	window(0, "a", 100, 200);
	window(0, "b", 300, 200);
	window(0, "a", 700, 100);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d, fresh;
	/* On time at every boundary for three frames, then late by less than a slot, by
	 * more than a slot, by whole frames, and into the same slot of a later frame. */
	static const uint64_t at_us[] = {
		0, 100, 300, 500, 700, 800, 1000, 1100, 1300, 1500, 1700, 1800, 2000, 2100,
		2300, 2500, 2700, 2800, 3010, 3150, 3620, 3790, 7150, 8150, 8301, 12000,
	};
	static struct sched fresh_s;
	static uint8_t fresh_mem[4096] __attribute__((aligned(16)));

	cr_assert_leq(sched_mem_bytes(plan), sizeof(fresh_mem));
	for (unsigned int i = 0; i < ARRAY_SIZE(at_us); i++) {
		uint64_t now = EPOCH + at_us[i] * US;

		sched_on_timer(c, now, &d);
		cr_assert_eq(sched_build(&fresh_s, plan, EPOCH, fresh_mem, sizeof(fresh_mem)), SCHED_OK);
		sched_on_timer(sched_cpu(&fresh_s, 0), now, &fresh);
		cr_assert_eq(d.part, fresh.part, "at %lu us", (unsigned long)at_us[i]);
		cr_assert_eq(d.cell, fresh.cell, "at %lu us", (unsigned long)at_us[i]);
		cr_assert_eq(d.next_ns, fresh.next_ns, "at %lu us", (unsigned long)at_us[i]);
		cr_assert_eq(d.planned_ns, fresh.planned_ns, "at %lu us", (unsigned long)at_us[i]);
		cr_assert_eq(d.frame, fresh.frame, "at %lu us", (unsigned long)at_us[i]);
	}
	cr_assert_eq(d.frame, 12);
	cr_assert_eq(d.planned_ns, EPOCH + 12000 * US);
	cr_assert_eq(d.next_ns, EPOCH + 12100 * US, "the gap before a's first window");

	struct sched_stats st;

	sched_get_stats(c, &st);
	cr_assert_eq(st.frames, 13, "frames counted from the epoch, skipped ones included");
	/* Three windows in each of frames 0-2, then a at 3150, 3790, 7150 and 8150, b at
	 * 8301; 3010, 3620 and 12000 are gaps. */
	cr_assert_eq(st.windows, 14);
}

/* periodic_wait's result: the release of the cell's next job, exactly, on the grid. */
Test(sched, periodic_wait_reports_the_next_release)
{
	new_plan(1000);
	int a = add_part("a", 0);
	periodic(a, 1, 30, 250, 250);
	window(0, "a", 0, 1000);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;

	sched_on_timer(c, EPOCH, &d);
	cr_assert_eq(d.cell, 1);
	cr_assert_eq(sched_on_periodic_wait(c, EPOCH + 30 * US, &d), SCHED_OK);
	cr_assert_eq(d.release_ns, EPOCH + 250 * US);
	sched_on_timer(c, EPOCH + 250 * US, &d);
	cr_assert_eq(d.cell, 1);
	/* The job overruns two periods: its next release is still on the grid (500 us,
	 * already past, so it is released at once), not now plus a period. */
	cr_assert_eq(sched_on_periodic_wait(c, EPOCH + 610 * US, &d), SCHED_OK);
	cr_assert_eq(d.release_ns, EPOCH + 500 * US);
	cr_assert_eq(d.cell, 1, "the stale job is released at once");
	cr_assert_eq(sched_on_periodic_wait(c, EPOCH + 620 * US, &d), SCHED_OK);
	cr_assert_eq(d.release_ns, EPOCH + 750 * US);
	cr_assert_eq(d.cell, 0);
}

Test(sched, before_the_epoch_idles_until_it)
{
	new_plan(1000);
	add_part("a", 0);
	window(0, "a", 0, 1000);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;

	sched_on_timer(c, EPOCH - 12345, &d);
	cr_assert_eq(d.part, SCHED_IDLE);
	cr_assert_eq(d.next_ns, EPOCH);
	sched_on_timer(c, EPOCH, &d);
	cr_assert_eq(d.part, 0);
	cr_assert_eq(d.next_ns, EPOCH + 1000 * US, "one window filling the frame");
	cr_assert(d.window_start);
}

Test(sched, a_spinning_cell_cannot_extend_its_window)
{
	new_plan(1000);
	add_part("a", 0);
	add_part("b", 0);
	window(0, "a", 0, 500);
	window(0, "b", 500, 500);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;

	sched_on_timer(c, EPOCH, &d);
	cr_assert_eq(d.part, 0);
	cr_assert_eq(d.next_ns, EPOCH + 500 * US);
	/* The cell never waits; the interrupt arrives 37 us late. */
	sched_on_timer(c, EPOCH + 537 * US, &d);
	cr_assert_eq(d.part, 1, "b gets the CPU at the late interrupt");
	cr_assert_eq(d.planned_ns, EPOCH + 500 * US);
	cr_assert_eq(d.next_ns, EPOCH + 1000 * US, "b's window ends on time: not shifted");
	/* A step inside a's window (a syscall) does not move the boundary either. */
	sched_on_timer(c, EPOCH + 1200 * US, &d);
	cr_assert_eq(d.part, 0);
	cr_assert_eq(d.next_ns, EPOCH + 1500 * US);
}

Test(sched, a_partition_with_no_ready_cell_idles)
{
	new_plan(1000);
	int a = add_part("a", 0);
	periodic(a, 0, 10, 1000, 1000);
	periodic(a, 1, 20, 1000, 1000);
	window(0, "a", 0, 400);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;

	sched_on_timer(c, EPOCH, &d);
	cr_assert_eq(d.cell, 1, "both released at the epoch; the higher priority runs");
	cr_assert_eq(sched_on_periodic_wait(c, EPOCH + 10 * US, &d), SCHED_OK);
	cr_assert_eq(d.cell, 0);
	cr_assert_eq(sched_on_periodic_wait(c, EPOCH + 20 * US, &d), SCHED_OK);
	cr_assert_eq(d.part, 0, "the window is a's");
	cr_assert_eq(d.cell, SCHED_IDLE, "but nothing is ready: WFI");
	cr_assert_eq(d.next_ns, EPOCH + 400 * US, "until the window ends");
	cr_assert_not(d.window_start);
}

Test(sched, priorities_and_preemption_at_release)
{
	new_plan(1000);
	int a = add_part("a", 0);
	periodic(a, 1, 30, 250, 250); /* watchdog: high priority, every 250 us */
	window(0, "a", 0, 1000);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;

	sched_on_timer(c, EPOCH, &d);
	cr_assert_eq(d.cell, 1);
	cr_assert_eq(d.next_ns, EPOCH + 250 * US, "its deadline");
	cr_assert_eq(sched_on_periodic_wait(c, EPOCH + 30 * US, &d), SCHED_OK);
	cr_assert_eq(d.cell, 0, "the driver runs when the watchdog waits");
	cr_assert_eq(d.next_ns, EPOCH + 250 * US, "the watchdog's next release");
	sched_on_timer(c, EPOCH + 250 * US, &d);
	cr_assert_eq(d.cell, 1, "released: preempts the driver");
	cr_assert_eq(d.n_events, 0);
	cr_assert_eq(sched_on_periodic_wait(c, EPOCH + 260 * US, &d), SCHED_OK);
	cr_assert_eq(d.cell, 0);
	cr_assert_eq(sched_on_periodic_wait(c, EPOCH + 270 * US, &d), SCHED_ERR_NOT_PERIODIC,
		     "the driver has no period");
}

Test(sched, equal_priorities_in_cell_order)
{
	new_plan(1000);
	int a = add_part("a", 0);
	plan->part[a].cell[1].priority = 10;
	window(0, "a", 0, 1000);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;

	sched_on_timer(c, EPOCH, &d);
	cr_assert_eq(d.cell, 0);
}

Test(sched, releases_outside_the_window_happen_at_its_start)
{
	new_plan(1000);
	int a = add_part("a", 0);
	int b = add_part("b", 0);
	periodic(a, 1, 30, 1000, 1000);
	periodic(a, 0, 20, 1000, 1000);
	periodic(b, 0, 20, 1000, 1000);
	periodic(b, 1, 30, 1000, 1000);
	window(0, "b", 0, 600);
	window(0, "a", 600, 200);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;

	sched_on_timer(c, EPOCH, &d);
	cr_assert_eq(d.part, 1);
	cr_assert_eq(d.next_ns, EPOCH + 600 * US, "a's releases at the epoch do not wake b's window");
	sched_on_timer(c, EPOCH + 600 * US, &d);
	cr_assert_eq(d.part, 0);
	cr_assert_eq(d.cell, 1, "a's release at 0 is handled at its window start");
	cr_assert_eq(d.n_events, 0);
	/* a's cells spin through the window and into the next frame. */
	sched_on_timer(c, EPOCH + 800 * US, &d);
	cr_assert_eq(d.part, SCHED_IDLE);
	sched_on_timer(c, EPOCH + 1000 * US, &d);
	cr_assert_eq(d.part, 1);
	cr_assert_eq(d.n_events, 2, "b's two jobs were still running at their deadline");
	sched_on_timer(c, EPOCH + 1600 * US, &d);
	cr_assert_eq(d.part, 0);
	cr_assert_eq(d.n_events, 2, "a's misses are seen at a's next window");
	cr_assert_eq(d.ev[0].kind, SCHED_EV_DEADLINE_MISS);
	cr_assert_eq(d.ev[0].part, 0);
	cr_assert_eq(d.ev[0].cell, 0);
	cr_assert_eq(d.ev[0].release_ns, EPOCH);
	cr_assert_eq(d.ev[0].deadline_ns, EPOCH + 1000 * US);
	cr_assert_eq(d.ev[0].detected_ns, EPOCH + 1600 * US);
	cr_assert_eq(d.ev[1].cell, 1);
}

Test(sched, deadline_miss_inside_the_window_once_per_job)
{
	new_plan(1000);
	int a = add_part("a", 0);
	periodic(a, 1, 30, 1000, 300);
	window(0, "a", 0, 500);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;

	sched_on_timer(c, EPOCH, &d);
	cr_assert_eq(d.cell, 1);
	cr_assert_eq(d.next_ns, EPOCH + 300 * US, "the timer fires at the deadline");
	sched_on_timer(c, EPOCH + 300 * US, &d);
	cr_assert_eq(d.n_events, 1);
	cr_assert_eq(d.ev[0].part, 0);
	cr_assert_eq(d.ev[0].cell, 1);
	cr_assert_eq(d.ev[0].deadline_ns, EPOCH + 300 * US);
	cr_assert_eq(d.cell, 1, "the late job goes on (the health monitor decides)");
	cr_assert_eq(d.next_ns, EPOCH + 500 * US);
	sched_on_timer(c, EPOCH + 400 * US, &d);
	cr_assert_eq(d.n_events, 0, "reported once");
	/* Done late: the next job (release 1000) meets its deadline. */
	cr_assert_eq(sched_on_periodic_wait(c, EPOCH + 450 * US, &d), SCHED_OK);
	cr_assert_eq(d.cell, 0);
	sched_on_timer(c, EPOCH + 1000 * US, &d);
	cr_assert_eq(d.cell, 1);
	cr_assert_eq(sched_on_periodic_wait(c, EPOCH + 1100 * US, &d), SCHED_OK);
	sched_on_timer(c, EPOCH + 1300 * US, &d);
	cr_assert_eq(d.n_events, 0, "a finished job does not miss");
}

Test(sched, blocked_cells_wake_in_their_window)
{
	new_plan(1000);
	add_part("a", 0);
	add_part("b", 0);
	window(0, "a", 0, 500);
	window(0, "b", 500, 500);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;

	sched_on_timer(c, EPOCH, &d);
	cr_assert_eq(d.cell, 1);
	cr_assert_eq(sched_on_block(c, EPOCH + 200 * US, EPOCH + 50 * US, &d), SCHED_OK);
	cr_assert_eq(d.cell, 0);
	cr_assert_eq(d.next_ns, EPOCH + 200 * US, "the wake-up is programmed");
	sched_on_timer(c, EPOCH + 200 * US, &d);
	cr_assert_eq(d.cell, 1, "woken: preempts");
	/* A wake-up outside the window waits for the next window. */
	cr_assert_eq(sched_on_block(c, EPOCH + 700 * US, EPOCH + 210 * US, &d), SCHED_OK);
	cr_assert_eq(d.next_ns, EPOCH + 500 * US);
	sched_on_timer(c, EPOCH + 500 * US, &d);
	cr_assert_eq(d.part, 1);
	cr_assert_eq(d.next_ns, EPOCH + 1000 * US, "a's wake-up does not cut b's window");
	sched_on_timer(c, EPOCH + 1000 * US, &d);
	cr_assert_eq(d.cell, 1);
	/* Blocking until now or earlier is a yield. */
	cr_assert_eq(sched_on_block(c, EPOCH, EPOCH + 1010 * US, &d), SCHED_OK);
	cr_assert_eq(d.cell, 1);
}

Test(sched, waits_need_a_running_cell)
{
	new_plan(1000);
	add_part("a", 0);
	window(0, "a", 500, 500);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;

	sched_on_timer(c, EPOCH, &d);
	cr_assert_eq(d.part, SCHED_IDLE);
	cr_assert_eq(sched_on_periodic_wait(c, EPOCH + 1, &d), SCHED_ERR_NO_CELL);
	cr_assert_eq(sched_on_block(c, EPOCH + 2, EPOCH + 1, &d), SCHED_ERR_NO_CELL);
	cr_assert_str_eq(sched_strerror(SCHED_ERR_NO_CELL), "no cell running on this CPU");
}

Test(sched, a_stopped_partition_idles_in_its_windows)
{
	new_plan(1000);
	add_part("a", 0);
	add_part("b", 0);
	window(0, "a", 0, 500);
	window(0, "b", 500, 500);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;

	sched_on_timer(c, EPOCH, &d);
	sched_stop_partition(c, 0, EPOCH + 10 * US, &d);
	cr_assert_eq(d.part, 0);
	cr_assert_eq(d.cell, SCHED_IDLE);
	sched_on_timer(c, EPOCH + 500 * US, &d);
	cr_assert_eq(d.part, 1, "the others go on");
	cr_assert_eq(d.cell, 1);
	sched_on_timer(c, EPOCH + 1000 * US, &d);
	cr_assert_eq(d.cell, SCHED_IDLE);
}

Test(sched, a_restarted_partition_releases_on_the_period_grid)
{
	new_plan(1000);
	int a = add_part("a", 0);
	periodic(a, 1, 30, 400, 400);
	window(0, "a", 0, 1000);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;

	sched_on_timer(c, EPOCH, &d);
	sched_stop_partition(c, 0, EPOCH + 100 * US, &d);
	cr_assert_eq(d.cell, SCHED_IDLE);
	sched_restart_partition(c, 0, EPOCH + 1234 * US, &d);
	cr_assert_eq(d.cell, 0, "the aperiodic driver is ready at once");
	cr_assert_eq(d.next_ns, EPOCH + 1600 * US, "the watchdog's next grid point");
	cr_assert_eq(d.n_events, 0, "the stopped job is not a miss");
	sched_on_timer(c, EPOCH + 1600 * US, &d);
	cr_assert_eq(d.cell, 1);
	cr_assert_eq(d.next_ns, EPOCH + 2000 * US, "its deadline, then the frame end");
	sched_stop_partition(c, 0, EPOCH + 1700 * US, &d);
	sched_restart_partition(c, 0, EPOCH + 2000 * US, &d);
	cr_assert_eq(d.cell, 1, "on a grid point: released at once");
}

Test(sched, many_partitions_found_by_name)
{
	char name[16];

	new_plan(10000);
	for (int i = 15; i >= 0; i--) {
		snprintf(name, sizeof(name), "p%02d", i);
		add_part(name, 0);
	}
	for (unsigned int i = 0; i < 16; i++) {
		snprintf(name, sizeof(name), "p%02u", (i * 7) % 16);
		window(0, name, i * 500, 400);
	}
	unsigned int n;
	const struct sched_slot *sl = sched_slots(built_cpu(0), &n);

	cr_assert_eq(n, 32, "16 windows, each followed by a gap");
	for (unsigned int i = 0; i < 16; i++) {
		const struct sched_slot *w = &sl[2 * i];
		cr_assert_eq(w->start_ns, i * 500 * US);
		cr_assert_eq(w->part, plan_find_partition(plan, plan->sched[0].w[i].partition));
		cr_assert_eq(sl[2 * i + 1].part, SCHED_IDLE);
	}
	strcpy(plan->part[3].name, plan->part[9].name);
	cr_assert_eq(build(), SCHED_ERR_NAME);
}

Test(sched, cpus_share_the_epoch)
{
	new_plan(1000);
	add_part("a", 0);
	add_part("b", 1);
	window(0, "a", 0, 300);
	window(1, "b", 200, 300);
	cr_assert_eq(build(), SCHED_OK);
	struct sched_cpu *c0 = sched_cpu(&s, 0), *c1 = sched_cpu(&s, 1);
	struct sched_decision d0, d1;

	cr_assert(c0 && c1 && c0 != c1);
	sched_on_timer(c0, EPOCH + 250 * US, &d0);
	sched_on_timer(c1, EPOCH + 250 * US, &d1);
	cr_assert_eq(d0.part, 0);
	cr_assert_eq(d1.part, 1);
	cr_assert_eq(d0.next_ns, EPOCH + 300 * US);
	cr_assert_eq(d1.next_ns, EPOCH + 500 * US);
	cr_assert_eq(d1.planned_ns, EPOCH + 200 * US);
}

/* Many frames with jittered interrupt arrival: boundaries stay on the epoch grid. */
Test(sched, no_drift_over_many_frames)
{
	new_plan(1000);
	add_part("a", 0);
	add_part("b", 0);
	window(0, "a", 0, 333);
	window(0, "b", 333, 333);
	window(0, "a", 700, 300);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;
	uint64_t now = EPOCH, rng = 12345;
	const uint64_t frames = 100000;
	uint64_t n_windows = 0;

	for (;;) {
		sched_on_timer(c, now, &d);
		if (d.frame >= frames)
			break;
		if (d.window_start) {
			uint64_t off = (d.planned_ns - EPOCH) % (1000 * US);

			cr_assert(off == 0 || off == 333 * US || off == 700 * US, "planned %lu",
				  (unsigned long)d.planned_ns);
			cr_assert_eq((d.planned_ns - EPOCH) / (1000 * US), d.frame);
			sched_note_switch(c, now);
			n_windows++;
		}
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		now = d.next_ns + (rng >> 33) % (20 * US); /* up to 20 us late */
	}
	cr_assert_eq(d.frame, frames);
	cr_assert_eq(d.planned_ns, EPOCH + frames * 1000 * US, "the last boundary is exact");
	struct sched_stats st;
	sched_get_stats(c, &st);
	cr_assert_eq(st.frames, frames + 1);
	cr_assert_eq(st.windows, n_windows + 1, "and the first window of the last frame");
	cr_assert_eq(n_windows, 3 * frames);
	cr_assert_lt(st.lateness_max_ns, 20 * US);
	cr_assert_gt(st.lateness_max_ns, 0);
	cr_assert_lt(st.lateness_mean_ns, st.lateness_max_ns);
}

Test(sched, statistics)
{
	new_plan(1000);
	int a = add_part("a", 0);
	periodic(a, 1, 30, 1000, 1000);
	window(0, "a", 0, 500);
	struct sched_cpu *c = built_cpu(0);
	struct sched_decision d;
	struct sched_stats st;

	/* Per frame: the driver runs 0-250 (then blocks past the window), idle 250-1000. */
	for (uint64_t f = 0; f < 4; f++) {
		uint64_t base = EPOCH + f * 1000 * US;

		sched_on_timer(c, base, &d);
		sched_note_switch(c, base + (f + 1) * 100); /* 100, 200, 300, 400 ns late */
		cr_assert_eq(d.cell, 1);
		cr_assert_eq(sched_on_periodic_wait(c, base + 100 * US, &d), SCHED_OK);
		cr_assert_eq(d.cell, 0);
		cr_assert_eq(sched_on_block(c, base + 1000 * US, base + 250 * US, &d), SCHED_OK);
		cr_assert_eq(d.cell, SCHED_IDLE);
		sched_on_timer(c, base + 500 * US, &d);
		cr_assert_eq(d.part, SCHED_IDLE);
	}
	sched_on_timer(c, EPOCH + 4000 * US, &d);
	sched_get_stats(c, &st);
	cr_assert_eq(st.frames, 5);
	cr_assert_eq(st.windows, 5);
	cr_assert_eq(st.lateness_max_ns, 400);
	cr_assert_eq(st.lateness_mean_ns, 250);
	cr_assert_eq(st.idle_ppm, 750000, "idle %lu ppm", (unsigned long)st.idle_ppm);
}

Test(sched, build_refuses_broken_schedules)
{
	new_plan(1000);
	add_part("a", 0);
	add_part("b", 1);
	window(0, "a", 0, 500);
	cr_assert_eq(build(), SCHED_OK);
	cr_assert_eq(sched_build(&s, plan, EPOCH, mem, sched_mem_bytes(plan) - 1), SCHED_ERR_MEMORY);
	cr_assert_eq(sched_build(&s, plan, EPOCH, (char *)mem + 8, sched_mem_bytes(plan)),
		     SCHED_ERR_MEMORY, "misaligned");

	window(0, "a", 400, 200); /* overlaps */
	cr_assert_eq(build(), SCHED_ERR_WINDOW);
	plan->sched[0].w[1].offset_us = 600;
	plan->sched[0].w[1].duration_us = 401; /* past the frame */
	cr_assert_eq(build(), SCHED_ERR_WINDOW);
	plan->sched[0].w[1].duration_us = 0;
	cr_assert_eq(build(), SCHED_ERR_WINDOW);
	plan->sched[0].w[1].duration_us = 100;
	cr_assert_eq(build(), SCHED_OK);
	strcpy(plan->sched[0].w[1].partition, "b"); /* b is on CPU 1 */
	cr_assert_eq(build(), SCHED_ERR_PARTITION);
	strcpy(plan->sched[0].w[1].partition, "zz");
	cr_assert_eq(build(), SCHED_ERR_PARTITION);
	strcpy(plan->sched[0].w[1].partition, "a");
	window(1, "b", 0, 100);
	cr_assert_eq(build(), SCHED_OK);
	plan->sched[1].cpu = 0;
	cr_assert_eq(build(), SCHED_ERR_CPU);
	plan->sched[1].cpu = 1;
	periodic(0, 0, 10, 100, 200); /* deadline past the period */
	cr_assert_eq(build(), SCHED_ERR_CELL);
	periodic(0, 0, 0, 100, 100);
	cr_assert_eq(build(), SCHED_ERR_CELL, "priority 0");
	periodic(0, 0, 10, 100, 100);
	plan->major_frame_us = 0;
	cr_assert_eq(build(), SCHED_ERR_FRAME);
	cr_assert_str_eq(sched_strerror(SCHED_ERR_COUNT), "unknown scheduler error");
}

Test(sched, memory_grows_with_the_plan)
{
	new_plan(100000);
	size_t empty = sched_mem_bytes(plan);
	add_part("a", 0);
	size_t one = sched_mem_bytes(plan);
	window(0, "a", 0, 10);
	size_t one_w = sched_mem_bytes(plan);
	window(0, "a", 20, 10);
	size_t two_w = sched_mem_bytes(plan);

	cr_assert_lt(empty, one);
	cr_assert_lt(one, one_w);
	cr_assert_eq(two_w - one_w, 2 * sizeof(struct sched_slot), "a window and a gap");
	cr_assert_eq(build(), SCHED_OK);
}
