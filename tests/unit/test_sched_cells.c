/* core/sched.c: the cell scheduler inside a partition's windows on a fake clock:
 * releases, priorities, preemption, deadlines, blocking, stop and restart. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sched_fixture.h"

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

