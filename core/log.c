#include "core/log.h"
#include "core/lib/libc.h"
#include "core/lib/strbuf.h"
#include "hal/cpu.h"

enum log_level log_current_level = LOG_WARN;
static const struct log_sink *log_sink;

/* Synchronous until log_use_rings, and again from log_sync on. */
enum log_mode { LOG_MODE_SYNC, LOG_MODE_RINGS };
static uint32_t log_mode = LOG_MODE_SYNC;
static struct logring *log_rings;
static unsigned int log_n_rings;

/* A log_dropped line: a header and one number. */
#define DROP_LINE_MAX 160

static const char *const level_names[LOG_LEVEL_COUNT] = {
	[LOG_ERROR] = "error", [LOG_WARN] = "warn", [LOG_INFO] = "info",
	[LOG_DEBUG] = "debug", [LOG_TRACE] = "trace",
};

const char *log_level_name(enum log_level level)
{
	return (unsigned int)level < LOG_LEVEL_COUNT ? level_names[level] : "?";
}

bool log_level_parse(const char *s, size_t n, enum log_level *out)
{
	for (unsigned int i = 0; i < LOG_LEVEL_COUNT; i++) {
		if (BH_LIBC(strlen)(level_names[i]) == n && BH_LIBC(memcmp)(s, level_names[i], n) == 0) {
			*out = (enum log_level)i;
			return true;
		}
	}
	return false;
}

void log_init(const struct log_sink *sink, enum log_level level)
{
	log_sink = sink;
	log_current_level = level;
}

void log_set_level(enum log_level level)
{
	log_current_level = level;
}

enum log_level log_get_level(void)
{
	return log_current_level;
}

static void put_key(struct strbuf *sb, const char *key)
{
	sb_putc(sb, ',');
	sb_json_str(sb, key);
	sb_putc(sb, ':');
}

static void put_field(struct strbuf *sb, const struct log_field *f)
{
	put_key(sb, f->key);
	switch (f->kind) {
	case LF_U64:
		sb_u64(sb, f->u);
		break;
	case LF_I64:
		sb_i64(sb, f->i);
		break;
	case LF_HEX:
		sb_putc(sb, '"');
		sb_hex(sb, f->u);
		sb_putc(sb, '"');
		break;
	case LF_STR:
		sb_json_str(sb, f->s);
		break;
	case LF_STRN:
		sb_json_strn(sb, f->sn.p, f->sn.n);
		break;
	case LF_BOOL:
		sb_puts(sb, f->b ? "true" : "false");
		break;
	default:
		sb_puts(sb, "null");
		break;
	}
}

/* Room kept back so a cut line still closes as valid JSON. */
static const char trunc_tail[] = ",\"trunc\":true}\n";

size_t log_format(char *buf, size_t cap, uint64_t ts_ns, unsigned int cpu, enum log_level level,
		  const char *sub, const char *ev, const struct log_field *fields, size_t n)
{
	struct strbuf sb;

	/* Fields are written into the buffer less the tail, so the tail always fits. */
	sb_init(&sb, buf, cap - (sizeof(trunc_tail) - 1));
	sb_puts(&sb, "{\"ts\":");
	sb_u64(&sb, ts_ns);
	sb_puts(&sb, ",\"lvl\":");
	sb_json_str(&sb, log_level_name(level));
	sb_puts(&sb, ",\"cpu\":");
	sb_u64(&sb, cpu);
	put_key(&sb, "sub");
	sb_json_str(&sb, sub);
	put_key(&sb, "ev");
	sb_json_str(&sb, ev);
	for (size_t i = 0; i < n && !sb.truncated; i++) {
		size_t before = sb.len;

		put_field(&sb, &fields[i]);
		if (sb.truncated)
			sb_rewind(&sb, before);
	}
	/* The header alone cannot overflow 64 bytes of names we choose; fields can. */
	sb.cap = cap;
	sb_puts(&sb, sb.truncated ? trunc_tail : "}\n");
	return sb.len;
}

static size_t format_dropped(char *buf, size_t cap, uint64_t ts, unsigned int cpu, uint32_t count)
{
	const struct log_field f = LOG_U64("count", count);

	return log_format(buf, cap, ts, cpu, LOG_WARN, "log", "log_dropped", &f, 1);
}

/* Out of line: only a CPU that lost lines pays for the second buffer. */
static __attribute__((noinline)) void put_dropped(struct logring *r, uint64_t ts, unsigned int cpu)
{
	char note[DROP_LINE_MAX];
	size_t n = format_dropped(note, sizeof(note), ts, cpu, __atomic_load_n(&r->dropped, __ATOMIC_RELAXED));

	if (logring_fits(r, n)) {
		(void)logring_put(r, ts, note, n);
		__atomic_store_n(&r->dropped, 0, __ATOMIC_RELAXED);
	}
}

/* The line into this CPU's ring; false while the log is synchronous (the caller writes). */
static bool ring_put(const struct log_sink *s, unsigned int cpu, uint64_t ts, const char *line,
		     size_t len)
{
	if (__atomic_load_n(&log_mode, __ATOMIC_ACQUIRE) != LOG_MODE_RINGS || cpu >= log_n_rings)
		return false;
	struct logring *r = &log_rings[cpu];
	/* Masked: a line an interrupt handler logs on this CPU goes in before or after this
	 * one, never into the middle (the ring has one producer). */
	cpu_irq_state irq = cpu_irq_save();

	if (__atomic_load_n(&r->dropped, __ATOMIC_RELAXED) && log_enabled(LOG_WARN))
		put_dropped(r, ts, cpu);
	(void)logring_put(r, ts, line, len);
	cpu_irq_restore(irq);
	/* log_sync on another CPU may have flushed the rings just before this line went in:
	 * either its flush sees the line, or this load sees its mode, and the line is this
	 * CPU's to send (the fence pairs with log_sync's). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&log_mode, __ATOMIC_RELAXED) != LOG_MODE_RINGS && s->flush)
		s->flush(s->ctx);
	return true;
}

void log_emit(enum log_level level, const char *sub, const char *ev,
	      const struct log_field *fields, size_t n)
{
	char line[LOG_LINE_MAX];
	const struct log_sink *s = log_sink;

	if (!s || !log_enabled(level))
		return;
	uint64_t ts = s->now_ns(s->ctx);
	unsigned int cpu = s->cpu(s->ctx);
	size_t len = log_format(line, sizeof(line), ts, cpu, level, sub, ev, fields, n);

	if (!ring_put(s, cpu, ts, line, len))
		s->write(s->ctx, line, len);
}

void log_use_rings(struct logring *rings, unsigned int n)
{
	log_rings = rings;
	log_n_rings = n;
	__atomic_store_n(&log_mode, LOG_MODE_RINGS, __ATOMIC_SEQ_CST);
}

void log_sync(void)
{
	const struct log_sink *s = log_sink;

	if (__atomic_exchange_n(&log_mode, LOG_MODE_SYNC, __ATOMIC_SEQ_CST) != LOG_MODE_RINGS)
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* pairs with ring_put's */
	if (!s)
		return;
	if (s->flush)
		s->flush(s->ctx);
	for (unsigned int i = 0; i < log_n_rings; i++) {
		uint32_t lost = __atomic_exchange_n(&log_rings[i].dropped, 0, __ATOMIC_RELAXED);
		char note[DROP_LINE_MAX];

		if (lost && log_enabled(LOG_WARN))
			s->write(s->ctx, note, format_dropped(note, sizeof(note), s->now_ns(s->ctx), i, lost));
	}
}

void log_drain(void)
{
	const struct log_sink *s = log_sink;

	if (s && s->drain && __atomic_load_n(&log_mode, __ATOMIC_ACQUIRE) == LOG_MODE_RINGS)
		s->drain(s->ctx);
}
