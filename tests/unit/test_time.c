/* core/clock.c and core/timeq.c. */
#include <criterion/criterion.h>
#include "core/clock.h"
#include "core/timeq.h"

Test(clock, ns_and_deadlines)
{
	struct clock c = { .boot_ticks = 1000, .freq_hz = 62500000 };

	cr_assert_eq(clock_ns_since_boot(&c, 1000), 0);
	cr_assert_eq(clock_ns_since_boot(&c, 500), 0, "before boot reads as 0");
	cr_assert_eq(clock_ns_since_boot(&c, 1000 + 62500000), 1000000000ULL);
	cr_assert_eq(clock_ns_since_boot(&c, 1000 + 1), 16, "one tick at 62.5 MHz is 16 ns");
	cr_assert_eq(clock_deadline_ms(&c, 200), 1000 + 12500000);
	cr_assert_eq(clock_deadline_ms(&c, 1500), 1000 + 93750000);
	/* Ten years of uptime at 1 GHz does not overflow. */
	struct clock g = { .boot_ticks = 0, .freq_hz = 1000000000ULL };
	uint64_t ten_years = 10ULL * 365 * 24 * 3600 * 1000000000ULL;
	cr_assert_eq(clock_ns_since_boot(&g, ten_years), ten_years);
	cr_assert_eq(clock_deadline_ms(&(struct clock){ UINT64_MAX - 5, 1000 }, 1000), UINT64_MAX,
		     "saturates");
}

Test(clock, an_unknown_frequency_dates_lines_zero_and_never_fires)
{
	struct clock c = { .boot_ticks = 1000, .freq_hz = 0 }; /* before a usable frequency */

	cr_assert_eq(clock_ns_since_boot(&c, 5000), 0, "no division by zero");
	cr_assert_eq(clock_deadline_ms(&c, 200), UINT64_MAX);
}

static int order[8], n_run;
static struct timeq *requeue_q;
static void note(void *ctx, uint64_t now) { order[n_run++] = (int)(intptr_t)ctx; }
static void requeue(void *ctx, uint64_t now)
{
	note(ctx, now);
	cr_assert_eq(timeq_add(requeue_q, now + 100, note, (void *)(intptr_t)9), TIMEQ_OK);
}

Test(timeq, runs_due_events_in_deadline_order)
{
	struct timeq q = { 0 };

	n_run = 0;
	cr_assert_eq(timeq_next(&q), TIMEQ_NONE);
	cr_assert_eq(timeq_add(&q, 300, note, (void *)3), TIMEQ_OK);
	cr_assert_eq(timeq_add(&q, 100, note, (void *)1), TIMEQ_OK);
	cr_assert_eq(timeq_add(&q, 200, note, (void *)2), TIMEQ_OK);
	cr_assert_eq(timeq_next(&q), 100);
	cr_assert_eq(timeq_run_expired(&q, 99), 0);
	cr_assert_eq(timeq_run_expired(&q, 250), 2);
	cr_assert_eq(order[0], 1);
	cr_assert_eq(order[1], 2);
	cr_assert_eq(timeq_next(&q), 300);
}

Test(timeq, an_event_may_requeue_itself)
{
	struct timeq q = { 0 };

	n_run = 0;
	requeue_q = &q;
	cr_assert_eq(timeq_add(&q, 10, requeue, (void *)1), TIMEQ_OK);
	cr_assert_eq(timeq_run_expired(&q, 10), 1);
	cr_assert_eq(timeq_next(&q), 110);
}

Test(timeq, full_is_an_error)
{
	struct timeq q = { 0 };

	for (int i = 0; i < TIMEQ_MAX; i++)
		cr_assert_eq(timeq_add(&q, (uint64_t)i, note, NULL), TIMEQ_OK);
	cr_assert_eq(timeq_add(&q, 1, note, NULL), TIMEQ_FULL);
	cr_assert_str_eq(timeq_strerror(TIMEQ_FULL), "timer event table full");
}

static struct timeq *storm_q;
static void storm(void *ctx, uint64_t now)
{
	cr_assert_eq(timeq_add(storm_q, now, storm, NULL), TIMEQ_OK); /* due again at once */
}

Test(timeq, a_self_requeueing_event_cannot_livelock)
{
	struct timeq q = { 0 };

	storm_q = &q;
	cr_assert_eq(timeq_add(&q, 5, storm, NULL), TIMEQ_OK);
	cr_assert_eq(timeq_run_expired(&q, 5), TIMEQ_MAX_RUN);
	cr_assert_eq(timeq_next(&q), 5, "still queued for the next interrupt");
}

/* The queue keeps its earliest deadline (the timer path reads it without a scan): it
 * must follow every add and every run, in any order. */
Test(timeq, the_kept_earliest_deadline_follows_adds_and_runs)
{
	struct timeq q = { 0 };

	n_run = 0;
	cr_assert_eq(timeq_run_expired(&q, 1000), 0, "an empty queue runs nothing");
	cr_assert_eq(timeq_next(&q), TIMEQ_NONE);
	cr_assert_eq(timeq_add(&q, 300, note, (void *)3), TIMEQ_OK);
	cr_assert_eq(timeq_next(&q), 300);
	cr_assert_eq(timeq_add(&q, 100, note, (void *)1), TIMEQ_OK);
	cr_assert_eq(timeq_next(&q), 100, "an earlier add lowers it");
	cr_assert_eq(timeq_add(&q, 200, note, (void *)2), TIMEQ_OK);
	cr_assert_eq(timeq_next(&q), 100, "a later add leaves it");
	cr_assert_eq(timeq_run_expired(&q, 99), 0);
	cr_assert_eq(timeq_run_expired(&q, 150), 1);
	cr_assert_eq(timeq_next(&q), 200, "a run raises it to the next event");
	cr_assert_eq(timeq_add(&q, 50, note, (void *)5), TIMEQ_OK);
	cr_assert_eq(timeq_next(&q), 50);
	cr_assert_eq(timeq_run_expired(&q, 400), 3);
	cr_assert_eq(timeq_next(&q), TIMEQ_NONE);
	cr_assert_eq(n_run, 4);
	cr_assert_eq(order[1], 5);
	cr_assert_eq(order[3], 3);
}
