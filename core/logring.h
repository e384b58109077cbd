/*
 * One CPU's log lines on their way to the console: a bounded ring of whole lines. One
 * producer (the ring's own CPU, interrupts masked while it puts a line) and one consumer
 * at a time (whoever holds the console: core/console.c); they share only the two
 * counters, each written by one side (release) and read by the other (acquire), so
 * neither ever waits for the other. A line that does not fit whole is not put: the
 * caller counts it (dropped) and says so when there is room again (core/log.c).
 *
 * Each line is a record of a header (its length and time stamp) and its bytes, which
 * may wrap around the end of the buffer. The consumer writes a line out in steps: the
 * record stays in the ring until its last byte went out, so a drain stopped half way
 * resumes the same line where it stopped.
 */
#ifndef BULKHEAD_CORE_LOGRING_H
#define BULKHEAD_CORE_LOGRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct logring {
	char *buf;
	uint32_t size;    /* a power of two */
	uint32_t head;    /* bytes ever put: the producer's (release) */
	uint32_t tail;    /* bytes ever consumed: the consumer's (release) */
	uint32_t dropped; /* lines not put since the last notice: the producer's */
	uint32_t busy;    /* 1 while the producer puts a line (core/log.c, going synchronous) */
};

/* A record's header: the line's length, then its time stamp (ns since boot). */
#define LOGRING_HDR 12u

/* buf of size bytes, size a power of two of at least 64. */
void logring_init(struct logring *r, char *buf, uint32_t size);
/* Bytes a line of len bytes takes in the ring. */
static inline uint32_t logring_record_bytes(size_t len)
{
	return LOGRING_HDR + (uint32_t)len;
}
/* Producer: true if a line of len bytes fits now (len above 65535 never does). */
bool logring_fits(const struct logring *r, size_t len);
/* Producer: puts the line whole if it fits and returns true; otherwise puts nothing,
 * counts it in dropped and returns false. */
bool logring_put(struct logring *r, uint64_t ts_ns, const char *line, size_t len);

/* Consumer: the oldest line's time stamp and length; false if the ring is empty. */
bool logring_peek(const struct logring *r, uint64_t *ts_ns, uint32_t *len);
/*
 * Consumer: writes the oldest line from byte *off on, one byte at a time through
 * put(ctx, byte), asking stop(ctx) before each byte; *off counts the bytes written. When
 * the last byte went out, or put returned false (the device gave up on the line), the
 * line is consumed, *off set to 0, and the result is true. false: stopped (or empty).
 */
bool logring_write_line(struct logring *r, uint32_t *off, bool (*put)(void *ctx, char c),
			bool (*stop)(void *ctx), void *ctx);
/* Consumer: drops every line not yet consumed, counting each in dropped; returns how many. */
uint32_t logring_discard(struct logring *r);
/* Consumer: bytes not yet consumed. */
uint32_t logring_used(const struct logring *r);

#endif
