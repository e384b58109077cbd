/*
 * Structured log: one JSON object per line,
 *   {"ts":<ns since boot>,"lvl":"info","cpu":0,"sub":"boot","ev":"cpu_online",<fields>}
 * Events below the current level cost one comparison. Every event, its level and
 * its fields are listed in docs/log-events.md; add new ones there.
 *
 * The log is the one piece of kernel state every module may reach: it is set up
 * once at boot (log_init), its level is fixed before the first partition starts,
 * and the sink serialises whole lines so CPUs never interleave.
 *
 * Two modes. Synchronous (the boot, and from log_sync on: the shutdown and fatal
 * paths): each line is written to the sink before LOG() returns. Rings (from
 * log_use_rings, once the schedule is about to run): each line is formatted into its
 * CPU's own ring (core/logring.h) with that CPU's interrupts masked, and nothing else
 * happens on the caller's path; the lines go out when a CPU idles (log_drain). A line
 * that does not fit is dropped and counted, and the next line that finds room is
 * preceded by a log_dropped event (warn) with the count.
 */
#ifndef BULKHEAD_CORE_LOG_H
#define BULKHEAD_CORE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "core/logring.h"

enum log_level {
	LOG_ERROR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
	LOG_TRACE,
	LOG_LEVEL_COUNT,
};

/* "error", "warn", ... ; "?" for a value out of range. */
const char *log_level_name(enum log_level level);
/* Parses a level name of n bytes. Returns false (and leaves *out) for unknown names. */
bool log_level_parse(const char *s, size_t n, enum log_level *out) __must_check;

enum log_field_kind { LF_U64, LF_I64, LF_HEX, LF_STR, LF_STRN, LF_BOOL };

struct log_field {
	const char *key;
	enum log_field_kind kind;
	union {
		uint64_t u;
		int64_t i;
		const char *s;
		struct {
			const char *p;
			size_t n;
		} sn; /* LF_STRN: n bytes of any content (a partition's text) */
		bool b;
	};
};

#define LOG_U64(k, v) ((struct log_field){ .key = (k), .kind = LF_U64, .u = (uint64_t)(v) })
#define LOG_I64(k, v) ((struct log_field){ .key = (k), .kind = LF_I64, .i = (int64_t)(v) })
/* Addresses and register values: a JSON string "0x..." (JSON numbers lose bits past 2^53). */
#define LOG_HEX(k, v) ((struct log_field){ .key = (k), .kind = LF_HEX, .u = (uint64_t)(v) })
#define LOG_STR(k, v) ((struct log_field){ .key = (k), .kind = LF_STR, .s = (v) })
/* n bytes that need not end in NUL and may hold any byte: escaped like LOG_STR. */
#define LOG_STRN(k, p, n) ((struct log_field){ .key = (k), .kind = LF_STRN, .sn = { (p), (n) } })
#define LOG_BOOL(k, v) ((struct log_field){ .key = (k), .kind = LF_BOOL, .b = (v) })

/* Where lines go. write() gets one whole line with its '\n' and must not split it.
 * With rings: drain() sends what the rings hold in this CPU's idle time, stopping when
 * the CPU has better to do; flush() sends all of it, whatever it takes (NULL: none). */
struct log_sink {
	void (*write)(void *ctx, const char *line, size_t len);
	uint64_t (*now_ns)(void *ctx);
	unsigned int (*cpu)(void *ctx);
	void *ctx;
	void (*drain)(void *ctx);
	void (*flush)(void *ctx);
};

/* Longest line; longer events end in "trunc":true after the last field that fit. Sized
 * so a partition's longest print, every byte escaped (\u00XX), fits whole
 * (tests/unit/test_syscall.c checks it). */
#define LOG_LINE_MAX 2048

/* Boot only. The sink must outlive the kernel. */
void log_init(const struct log_sink *sink, enum log_level level);
/*
 * Boot only, once: from now on CPU i's lines go into rings[i] (i < n; a CPU without a
 * ring still writes synchronously). The sink's drain and flush must empty the same rings.
 */
void log_use_rings(struct logring *rings, unsigned int n);
/*
 * Back to synchronous for good: every line still in a ring is written (the sink's
 * flush), then one log_dropped per ring that lost lines, and from then on every line
 * is written before LOG() returns. Call before anything that may not come back: a
 * fatal stop, a power-off. Any CPU, any context; a second call does nothing.
 */
void log_sync(void);
/* In a CPU's idle time: lets the sink send what the rings hold (nothing while
 * synchronous). */
void log_drain(void);
/* Boot only (the boot argument overrides the Kconfig default). */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

static inline bool log_enabled(enum log_level level);

/*
 * Formats one event into buf (cap >= 64) as a JSON line ending in '\n'. Pure: the
 * host tests check it directly. Returns the line's length.
 */
size_t log_format(char *buf, size_t cap, uint64_t ts_ns, unsigned int cpu, enum log_level level,
		  const char *sub, const char *ev, const struct log_field *fields, size_t n);

/* Formats and writes one event if its level is enabled. Use LOG() instead. */
void log_emit(enum log_level level, const char *sub, const char *ev,
	      const struct log_field *fields, size_t n);

/* LOG(LOG_INFO, "boot", "cpu_online", LOG_U64("mpidr", m)); fields are optional. */
#define LOG(level, sub, ev, ...)                                                            \
	do {                                                                                \
		if (log_enabled(level)) {                                                   \
			const struct log_field log_f_[] = { __VA_ARGS__ };                  \
			log_emit((level), (sub), (ev), log_f_, ARRAY_SIZE(log_f_));         \
		}                                                                           \
	} while (0)

/* Inline so a disabled event costs one load and compare. */
extern enum log_level log_current_level;
static inline bool log_enabled(enum log_level level)
{
	return level <= log_current_level;
}

#endif
