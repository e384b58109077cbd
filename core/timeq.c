#include "core/timeq.h"

const char *timeq_strerror(enum timeq_err e)
{
	return e == TIMEQ_OK ? "ok" : e == TIMEQ_FULL ? "timer event table full" : "?";
}

enum timeq_err timeq_add(struct timeq *q, uint64_t deadline, timeq_fn fn, void *ctx)
{
	for (unsigned int i = 0; i < TIMEQ_MAX; i++) {
		if (!q->ev[i].used) {
			q->ev[i].deadline = deadline;
			q->ev[i].fn = fn;
			q->ev[i].ctx = ctx;
			q->ev[i].used = true;
			if (q->next_known && deadline < q->next)
				q->next = deadline;
			return TIMEQ_OK;
		}
	}
	return TIMEQ_FULL;
}

static int earliest(const struct timeq *q)
{
	int best = -1;

	for (int i = 0; i < TIMEQ_MAX; i++)
		if (q->ev[i].used && (best < 0 || q->ev[i].deadline < q->ev[best].deadline))
			best = i;
	return best;
}

static uint64_t scan_next(const struct timeq *q)
{
	int i = earliest(q);

	return i < 0 ? TIMEQ_NONE : q->ev[i].deadline;
}

uint64_t timeq_next(struct timeq *q)
{
	if (!q->next_known) {
		q->next = scan_next(q);
		q->next_known = true;
	}
	return q->next;
}

unsigned int timeq_run_expired(struct timeq *q, uint64_t now)
{
	unsigned int ran = 0;
	int i;

	if (timeq_next(q) > now)
		return 0; /* the common case on the timer path: nothing of the queue is due */

	/* Bounded: an event that keeps re-adding itself in the past cannot livelock the CPU;
	 * what is left runs at the next interrupt, which arm_next makes immediate. */
	while (ran < TIMEQ_MAX_RUN && (i = earliest(q)) >= 0 && q->ev[i].deadline <= now) {
		timeq_fn fn = q->ev[i].fn;
		void *ctx = q->ev[i].ctx;

		q->ev[i].used = false; /* before the call: fn may re-add itself */
		q->next_known = false;
		fn(ctx, now);
		ran++;
	}
	return ran;
}
