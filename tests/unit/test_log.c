/* core/log.c and core/lib/strbuf.c: the JSON line format. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "core/lib/strbuf.h"
#include "core/log.h"
#include "fake_cpu.h"
#include "jsonl.h"

Test(strbuf, numbers_and_truncation)
{
	char buf[8];
	struct strbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	sb_u64(&sb, 0);
	sb_putc(&sb, ' ');
	sb_i64(&sb, -42);
	cr_assert_str_eq(buf, "0 -42");
	cr_assert_not(sb.truncated);
	sb_puts(&sb, "long");
	cr_assert_str_eq(buf, "0 -42lo", "fills to cap-1 and stays terminated");
	cr_assert(sb.truncated);

	char big[64];
	sb_init(&sb, big, sizeof(big));
	sb_hex(&sb, 0);
	sb_putc(&sb, ' ');
	sb_hex(&sb, 0xdeadbeef00ULL);
	sb_putc(&sb, ' ');
	sb_u64(&sb, UINT64_MAX);
	sb_putc(&sb, ' ');
	sb_i64(&sb, INT64_MIN);
	cr_assert_str_eq(big, "0x0 0xdeadbeef00 18446744073709551615 -9223372036854775808");
}

Test(strbuf, json_escaping)
{
	char buf[64];
	struct strbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	sb_json_str(&sb, "a\"b\\c\nd\x01\xc3");
	cr_assert_str_eq(buf, "\"a\\\"b\\\\c\\nd\\u0001\\u00c3\"");
	sb_init(&sb, buf, sizeof(buf));
	sb_json_str(&sb, NULL);
	cr_assert_str_eq(buf, "null");
	sb_init(&sb, buf, sizeof(buf));
	sb_json_strn(&sb, "a\0b\"c", 3);
	cr_assert_str_eq(buf, "\"a\\u0000b\"", "n bytes, a NUL among them, and no more");
}

Test(log, format_is_one_json_object_per_line)
{
	char line[LOG_LINE_MAX];
	struct log_field f[] = { LOG_U64("n", 7), LOG_I64("d", -3), LOG_HEX("addr", 0x9000000),
				 LOG_STR("s", "x \"y\""), LOG_BOOL("ok", true), LOG_STR("none", NULL) };
	size_t n = log_format(line, sizeof(line), 1234, 2, LOG_INFO, "boot", "platform", f, 6);

	cr_assert_eq(n, strlen(line));
	cr_assert_str_eq(line, "{\"ts\":1234,\"lvl\":\"info\",\"cpu\":2,\"sub\":\"boot\",\"ev\":"
			       "\"platform\",\"n\":7,\"d\":-3,\"addr\":\"0x9000000\",\"s\":\"x "
			       "\\\"y\\\"\",\"ok\":true,\"none\":null}\n");
	struct jobj o;
	cr_assert(jsonl_parse(line, &o), "our own reader accepts it");
	cr_assert_str_eq(jobj_str(&o, "s"), "x \"y\"");
	cr_assert_eq(jobj_u64(&o, "n", 0), 7);
	cr_assert_str_eq(jobj_str(&o, "missing"), "");
	/* An event not found reads as one with no fields. */
	cr_assert_null(jobj_get(NULL, "n"));
	cr_assert_str_eq(jobj_str(NULL, "s"), "");
	cr_assert_eq(jobj_u64(NULL, "n", 42), 42);
}

Test(log, long_events_are_cut_at_a_field_and_stay_valid_json)
{
	/* Two fields of half a line each: the first fits, the second cannot. */
	char line[LOG_LINE_MAX], big[LOG_LINE_MAX / 2], whole[LOG_LINE_MAX / 2 + 8];
	struct log_field f[4];
	struct jobj o;

	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (int i = 0; i < 4; i++)
		f[i] = LOG_STR(i % 2 ? "b" : "a", big);
	size_t n = log_format(line, sizeof(line), 1, 0, LOG_ERROR, "s", "e", f, 4);
	cr_assert_lt(n, sizeof(line));
	cr_assert_eq(line[n - 1], '\n');
	cr_assert(jsonl_parse(line, &o), "%s", line);
	cr_assert_str_eq(jobj_str(&o, "trunc"), "true");
	snprintf(whole, sizeof(whole), "\"a\":\"%s\"", big);
	cr_assert_not_null(strstr(line, whole), "the first field fits whole");
	cr_assert_null(jobj_get(&o, "b"), "the one that did not fit is left out, not cut");
}

static char captured[4096];
static size_t captured_len;
static void cap_write(void *ctx, const char *l, size_t n)
{
	memcpy(captured + captured_len, l, n);
	captured_len += n;
	captured[captured_len] = '\0';
}
static uint64_t cap_now(void *ctx) { return 5; }
static unsigned int cap_cpu(void *ctx) { return 1; }

Test(log, levels_filter_and_parse)
{
	static const struct log_sink sink = { cap_write, cap_now, cap_cpu, NULL, NULL, NULL };
	enum log_level l = LOG_ERROR;

	captured_len = 0;
	log_init(&sink, LOG_WARN);
	LOG(LOG_INFO, "t", "hidden");
	LOG(LOG_WARN, "t", "shown", LOG_U64("k", 1));
	LOG(LOG_ERROR, "t", "also_shown");
	cr_assert_str_eq(captured, "{\"ts\":5,\"lvl\":\"warn\",\"cpu\":1,\"sub\":\"t\",\"ev\":\"shown\","
				   "\"k\":1}\n{\"ts\":5,\"lvl\":\"error\",\"cpu\":1,\"sub\":\"t\",\"ev\":"
				   "\"also_shown\"}\n");
	log_set_level(LOG_TRACE);
	cr_assert(log_enabled(LOG_TRACE));
	cr_assert(log_level_parse("debug", 5, &l));
	cr_assert_eq(l, LOG_DEBUG);
	cr_assert_not(log_level_parse("debu", 4, &l));
	cr_assert_not(log_level_parse("debugx", 6, &l));
	cr_assert_eq(l, LOG_DEBUG, "unchanged on failure");
	cr_assert_str_eq(log_level_name(LOG_LEVEL_COUNT), "?");
}

/* ---- Rings: lines wait in their CPU's ring, the sink drains and flushes them ------- */

static char lr_mem[2][512];
static struct logring lr[2];
static unsigned int lr_cpu;
static int drains, flushes;
static unsigned int lr_cpu_of(void *ctx) { return lr_cpu; }
static void lr_drain(void *ctx) { drains++; }
/* A flush as the console's: every line of every ring, in ring order. */
static void lr_flush(void *ctx)
{
	flushes++;
	for (int i = 0; i < 2; i++) {
		uint64_t ts;
		uint32_t len;

		while (logring_peek(&lr[i], &ts, &len)) {
			char line[600];

			for (uint32_t k = 0; k < len; k++)
				line[k] = lr[i].buf[(lr[i].tail + LOGRING_HDR + k) & (lr[i].size - 1)];
			cap_write(NULL, line, len);
			lr[i].tail += LOGRING_HDR + len;
		}
	}
}
static const struct log_sink ring_sink = { cap_write, cap_now, lr_cpu_of, NULL, lr_drain, lr_flush };

static void rings_on(void)
{
	captured_len = 0;
	captured[0] = '\0';
	drains = flushes = 0;
	for (int i = 0; i < 2; i++)
		logring_init(&lr[i], lr_mem[i], sizeof(lr_mem[i]));
	log_init(&ring_sink, LOG_INFO);
	log_use_rings(lr, 2);
}

Test(log, with_rings_a_line_waits_in_its_cpus_ring_and_nothing_is_written)
{
	rings_on();
	lr_cpu = 1;
	LOG(LOG_INFO, "t", "on_one");
	lr_cpu = 0;
	LOG(LOG_INFO, "t", "on_zero");
	cr_assert_eq(captured_len, 0, "nothing written on the caller's path");
	cr_assert_gt(logring_used(&lr[1]), 0);
	cr_assert_gt(logring_used(&lr[0]), 0);
	cr_assert_not(fake_cpu_irq_masked(), "the mask is the caller's again");
	log_drain();
	cr_assert_eq(drains, 1, "the idle loop's drain reaches the sink");
	log_sync();
	cr_assert_eq(flushes, 1);
	cr_assert_str_eq(captured, "{\"ts\":5,\"lvl\":\"info\",\"cpu\":0,\"sub\":\"t\",\"ev\":\"on_zero\"}\n"
				   "{\"ts\":5,\"lvl\":\"info\",\"cpu\":1,\"sub\":\"t\",\"ev\":\"on_one\"}\n");
	/* Synchronous from now on: written at once, and drains do nothing. */
	LOG(LOG_INFO, "t", "after");
	cr_assert(strstr(captured, "\"ev\":\"after\"}\n"));
	log_drain();
	cr_assert_eq(drains, 1);
	log_sync();
	cr_assert_eq(flushes, 1, "a second log_sync does nothing");
}

Test(log, a_cpu_without_a_ring_writes_at_once)
{
	rings_on();
	lr_cpu = 5;
	LOG(LOG_INFO, "t", "direct");
	cr_assert(strstr(captured, "\"cpu\":5"));
}

/* A full ring drops lines and counts them; the first line that finds room again follows
 * a log_dropped event with the count. */
Test(log, dropped_lines_are_counted_and_reported_when_there_is_room)
{
	int put = 0;

	rings_on();
	lr_cpu = 1;
	for (int i = 0; i < 20; i++)
		LOG(LOG_INFO, "t", "fill", LOG_U64("i", i));
	lr_flush(NULL); /* the console takes what went in: room again */
	for (const char *p = captured; (p = strstr(p, "\"fill\"")); p++)
		put++;
	cr_assert_gt(put, 0);
	cr_assert_lt(put, 20, "the ring holds %d", put);
	cr_assert_eq(lr[1].dropped, (uint32_t)(20 - put), "%u dropped, %d put", lr[1].dropped, put);
	cr_assert(strstr(captured, "\"i\":0}"), "the first ones went in");
	captured_len = 0;
	LOG(LOG_INFO, "t", "next");
	cr_assert_eq(lr[1].dropped, 0);
	lr_flush(NULL);
	char want[256];

	snprintf(want, sizeof(want),
		 "{\"ts\":5,\"lvl\":\"warn\",\"cpu\":1,\"sub\":\"log\",\"ev\":\"log_dropped\",\"count\":%d}\n"
		 "{\"ts\":5,\"lvl\":\"info\",\"cpu\":1,\"sub\":\"t\",\"ev\":\"next\"}\n",
		 20 - put);
	cr_assert_str_eq(captured, want);
}

/* Lines lost just before a shutdown are reported by log_sync, for the ring's CPU. */
Test(log, log_sync_reports_what_each_ring_lost)
{
	rings_on();
	lr_cpu = 1;
	for (int i = 0; i < 20; i++)
		LOG(LOG_INFO, "t", "fill", LOG_U64("i", i));
	uint32_t lost = lr[1].dropped;

	cr_assert_gt(lost, 0);
	lr_cpu = 0;
	log_sync();
	char want[128];

	snprintf(want, sizeof(want),
		 "{\"ts\":5,\"lvl\":\"warn\",\"cpu\":1,\"sub\":\"log\",\"ev\":\"log_dropped\",\"count\":%u}\n", lost);
	cr_assert(strstr(captured, want), "%s", captured);
	cr_assert_eq(lr[1].dropped, 0);
}
