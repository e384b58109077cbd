/* core/sched.c: the frame executor on a fake clock (the cells inside a window:
 * test_sched_cells.c; the plan builder: sched_fixture.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sched_fixture.h"

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
	static const struct { uint64_t start_ns, end_ns; int32_t part; } want[] = {
		{ 0, 100 * US, SCHED_IDLE }, { 100 * US, 300 * US, 0 }, { 300 * US, 500 * US, 1 },
		{ 500 * US, 700 * US, SCHED_IDLE }, { 700 * US, 800 * US, 0 },
		{ 800 * US, 1000 * US, SCHED_IDLE },
	};

	cr_assert_eq(n, 6);
	for (unsigned int i = 0; i < n; i++) {
		cr_assert_eq(sl[i].start_ns, want[i].start_ns, "slot %u", i);
		cr_assert_eq(sl[i].end_ns, want[i].end_ns, "slot %u", i);
		cr_assert_eq(sl[i].part, want[i].part, "slot %u", i);
		/* The links a fast path follows: the next slot, the first after the last one,
		 * whose frame starts a frame later. */
		cr_assert_eq(sl[i].next, &sl[(i + 1) % n], "slot %u", i);
		cr_assert_eq(sl[i].advance_ns, i + 1 < n ? 0 : 1000 * US, "slot %u", i);
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
