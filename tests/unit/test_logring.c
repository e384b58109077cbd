/* core/logring.c: one CPU's bounded ring of log lines. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "core/logring.h"

/* What the consumer sent, and when it is told to stop. */
struct sink {
	char out[8192];
	unsigned int len;
	unsigned int stop_after; /* bytes to send before stop() says yes (0: never stop) */
	unsigned int fail_at;    /* put fails on this byte, counted from 1 (0: never) */
	unsigned int puts;
};

static bool put(void *ctx, char c)
{
	struct sink *s = ctx;

	s->puts++;
	if (s->fail_at && s->puts == s->fail_at)
		return false;
	s->out[s->len++] = c;
	s->out[s->len] = '\0';
	return true;
}

static bool stop(void *ctx)
{
	const struct sink *s = ctx;

	return s->stop_after && s->len >= s->stop_after;
}

/* Writes out every line the ring holds. Returns how many. */
static int drain_all(struct logring *r, struct sink *s)
{
	uint32_t off = 0;
	int n = 0;

	while (logring_write_line(r, &off, put, stop, s))
		n++;
	return n;
}

static void put_ok(struct logring *r, uint64_t ts, const char *line)
{
	cr_assert(logring_put(r, ts, line, strlen(line)), "put %s", line);
}

Test(logring, lines_come_out_whole_and_in_order)
{
	static char buf[256];
	struct logring r;
	struct sink s = { 0 };
	uint64_t ts;
	uint32_t len;

	logring_init(&r, buf, sizeof(buf));
	cr_assert_not(logring_peek(&r, &ts, &len), "empty");
	put_ok(&r, 10, "one\n");
	put_ok(&r, 20, "two\n");
	put_ok(&r, 30, "three\n");
	cr_assert(logring_peek(&r, &ts, &len));
	cr_assert_eq(ts, 10);
	cr_assert_eq(len, 4);
	cr_assert_eq(logring_used(&r), 3 * LOGRING_HDR + 4 + 4 + 6);
	cr_assert_eq(drain_all(&r, &s), 3);
	cr_assert_str_eq(s.out, "one\ntwo\nthree\n");
	cr_assert_eq(logring_used(&r), 0);
	cr_assert_eq(r.dropped, 0);
}

/* Records of every length, put and taken in turns, so headers and bytes wrap at every
 * offset of a 64-byte ring. */
Test(logring, records_wrap_around_the_end_at_every_offset)
{
	static char buf[64];
	struct logring r;
	char line[40];

	logring_init(&r, buf, sizeof(buf));
	for (unsigned int i = 0; i < 500; i++) {
		struct sink s = { 0 };
		size_t n = (size_t)snprintf(line, sizeof(line), "line %u %.*s\n", i, (int)(i % 23), "abcdefghijklmnopqrstuvwxyz");
		uint64_t ts;
		uint32_t len;

		cr_assert(logring_put(&r, 1000 + i, line, n));
		cr_assert(logring_peek(&r, &ts, &len));
		cr_assert_eq(ts, 1000 + i, "the time stamp survives the wrap");
		cr_assert_eq(len, n);
		cr_assert_eq(drain_all(&r, &s), 1);
		cr_assert_str_eq(s.out, line);
	}
	cr_assert_gt(r.head, 500u * LOGRING_HDR, "went around many times");
}

Test(logring, a_line_that_does_not_fit_is_not_put_and_is_counted)
{
	static char buf[64];
	char big[64];
	struct logring r;
	struct sink s = { 0 };

	logring_init(&r, buf, sizeof(buf));
	memset(big, 'x', sizeof(big));
	cr_assert_not(logring_fits(&r, sizeof(big)));
	cr_assert_not(logring_put(&r, 1, big, sizeof(big)), "larger than the ring");
	cr_assert_eq(r.dropped, 1);
	cr_assert_eq(logring_used(&r), 0, "nothing of it went in");
	/* Exactly the ring's size fits. */
	cr_assert(logring_put(&r, 2, big, sizeof(buf) - LOGRING_HDR));
	cr_assert_eq(logring_used(&r), sizeof(buf));
	cr_assert_not(logring_put(&r, 3, "y", 1), "full");
	cr_assert_eq(r.dropped, 2);
	cr_assert_eq(drain_all(&r, &s), 1);
	cr_assert_eq(s.len, sizeof(buf) - LOGRING_HDR);
	cr_assert(logring_put(&r, 4, "y", 1), "room again");
	cr_assert_eq(r.dropped, 2, "the count stays for the caller to report");
}

Test(logring, drops_are_counted_while_full_and_what_went_in_stays_intact)
{
	static char buf[128];
	struct logring r;
	struct sink s = { 0 };
	char line[32];
	int put = 0, dropped = 0;

	logring_init(&r, buf, sizeof(buf));
	for (int i = 0; i < 20; i++) {
		snprintf(line, sizeof(line), "l%02d\n", i);
		if (logring_put(&r, (uint64_t)i, line, strlen(line)))
			put++;
		else
			dropped++;
	}
	cr_assert_eq(put, 128 / (LOGRING_HDR + 4), "as many as fit: %d", put);
	cr_assert_eq(dropped, 20 - put);
	cr_assert_eq(r.dropped, (uint32_t)dropped);
	cr_assert_eq(drain_all(&r, &s), put);
	cr_assert_str_eq(s.out, "l00\nl01\nl02\nl03\nl04\nl05\nl06\nl07\n", "the first ones, in order");
}

Test(logring, a_drain_stopped_half_way_resumes_the_same_line)
{
	static char buf[256];
	struct logring r;
	struct sink s = { .stop_after = 5 };
	uint32_t off = 0;

	logring_init(&r, buf, sizeof(buf));
	put_ok(&r, 1, "first line\n");
	put_ok(&r, 2, "second\n");
	cr_assert_not(logring_write_line(&r, &off, put, stop, &s), "stopped");
	cr_assert_str_eq(s.out, "first");
	cr_assert_eq(off, 5);
	uint64_t ts;
	uint32_t len;

	cr_assert(logring_peek(&r, &ts, &len));
	cr_assert_eq(ts, 1, "the line stays until its last byte is out");
	cr_assert_not(logring_fits(&r, 256 - 2 * LOGRING_HDR - 11 - 7 + 1),
		      "and keeps its room: the producer cannot overwrite it");
	s.stop_after = 0;
	cr_assert(logring_write_line(&r, &off, put, stop, &s), "finished");
	cr_assert_eq(off, 0);
	cr_assert_str_eq(s.out, "first line\n");
	cr_assert(logring_write_line(&r, &off, put, stop, &s));
	cr_assert_str_eq(s.out, "first line\nsecond\n");
	cr_assert_not(logring_write_line(&r, &off, put, stop, &s), "empty");
}

Test(logring, a_stop_before_the_first_byte_sends_nothing)
{
	static char buf[64];
	struct logring r;
	struct sink s = { 0 };
	uint32_t off = 0;

	logring_init(&r, buf, sizeof(buf));
	put_ok(&r, 1, "x\n");
	s.stop_after = 0;
	s.len = 1; /* stop() sees one byte already sent: stop at once */
	s.stop_after = 1;
	cr_assert_not(logring_write_line(&r, &off, put, stop, &s));
	cr_assert_eq(s.puts, 0);
	cr_assert_eq(off, 0);
	cr_assert_eq(logring_used(&r), LOGRING_HDR + 2);
}

Test(logring, a_line_the_device_gives_up_on_is_consumed)
{
	static char buf[64];
	struct logring r;
	struct sink s = { .fail_at = 2 };
	uint32_t off = 0;

	logring_init(&r, buf, sizeof(buf));
	put_ok(&r, 1, "abc\n");
	put_ok(&r, 2, "d\n");
	cr_assert(logring_write_line(&r, &off, put, stop, &s), "done with it");
	cr_assert_str_eq(s.out, "a", "the rest of the line is dropped, not retried");
	cr_assert_eq(off, 0);
	cr_assert(logring_write_line(&r, &off, put, stop, &s));
	cr_assert_str_eq(s.out, "ad\n", "the next line goes out whole");
}

Test(logring, a_discard_empties_the_ring_and_counts_each_line)
{
	static char buf[128];
	struct logring r;

	logring_init(&r, buf, sizeof(buf));
	put_ok(&r, 1, "a\n");
	put_ok(&r, 2, "bb\n");
	put_ok(&r, 3, "ccc\n");
	cr_assert_eq(logring_discard(&r), 3);
	cr_assert_eq(r.dropped, 3);
	cr_assert_eq(logring_used(&r), 0);
	cr_assert(logring_put(&r, 4, "d\n", 2), "room again");
}
