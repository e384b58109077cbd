/*
 * Per-CPU timer events (tickless): the hardware timer is armed for the earliest
 * deadline only; nothing runs periodically unless an event re-adds itself.
 */
#ifndef BULKHEAD_CORE_TIMEQ_H
#define BULKHEAD_CORE_TIMEQ_H

#include <stdbool.h>
#include <stdint.h>
#include "core/lib/compiler.h"

#define TIMEQ_MAX 8
#define TIMEQ_NONE UINT64_MAX
#define TIMEQ_MAX_RUN (4 * TIMEQ_MAX) /* events run per timeq_run_expired call at most */

typedef void (*timeq_fn)(void *ctx, uint64_t now);

struct timeq {
	struct {
		uint64_t deadline;
		timeq_fn fn;
		void *ctx;
		bool used;
	} ev[TIMEQ_MAX];
	/* The earliest deadline, kept so that the timer interrupt's check and re-arm do not
	 * scan the table (valid when next_known; a zeroed queue is empty, unknown). */
	uint64_t next;
	bool next_known;
};

enum timeq_err { TIMEQ_OK, TIMEQ_FULL };
const char *timeq_strerror(enum timeq_err e);

enum timeq_err timeq_add(struct timeq *q, uint64_t deadline, timeq_fn fn, void *ctx) __must_check;
/* Earliest deadline, TIMEQ_NONE if empty. */
uint64_t timeq_next(struct timeq *q);
/* Run (and remove) the events due at now, earliest first, at most TIMEQ_MAX_RUN of
 * them; an event may add events. Returns how many ran. */
unsigned int timeq_run_expired(struct timeq *q, uint64_t now);

#endif
