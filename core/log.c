#include "core/log.h"
#include "core/lib/libc.h"
#include "core/lib/strbuf.h"

enum log_level log_current_level = LOG_WARN;
static const struct log_sink *log_sink;

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

void log_emit(enum log_level level, const char *sub, const char *ev,
	      const struct log_field *fields, size_t n)
{
	char line[LOG_LINE_MAX];
	const struct log_sink *s = log_sink;

	if (!s || !log_enabled(level))
		return;
	size_t len = log_format(line, sizeof(line), s->now_ns(s->ctx), s->cpu(s->ctx), level, sub,
				ev, fields, n);
	s->write(s->ctx, line, len);
}
