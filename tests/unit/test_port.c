/*
 * Port logic (core/port.c) on plain memory: sampling validity, queue full/empty and
 * wrap-around, torn reads prevented under a concurrent writer (every interleaving of
 * a writer's and a reader's steps, explored exhaustively for small cases), and a
 * hostile source that writes random bytes into every field it can write.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include "core/port.h"
#include "port_fixture.h"

Test(port, cfg_sizes_follow_the_plan_and_refuse_out_of_range)
{
	struct port_cfg c = cfg_of(CHANNEL_QUEUING, 32, 8, 0);
	struct plan_channel bad = { .kind = CHANNEL_QUEUING, .message_bytes = 32, .depth = 0 };

	cr_assert_eq(c.region_bytes, 16 + 8 * (8 + 32));
	c = cfg_of(CHANNEL_SAMPLING, 61, 0, 20000);
	cr_assert_eq(c.data_bytes, 64);
	cr_assert_eq(c.region_bytes, 16 + 64);
	cr_assert_eq(c.refresh_ns, 20000000u);
	cr_assert_eq(port_cfg_from_plan(&bad, &c), PORT_CFG_RANGE);
	bad.depth = 65;
	cr_assert_eq(port_cfg_from_plan(&bad, &c), PORT_CFG_RANGE);
	bad = (struct plan_channel){ .kind = CHANNEL_SAMPLING, .message_bytes = 4097 };
	cr_assert_eq(port_cfg_from_plan(&bad, &c), PORT_CFG_RANGE);
}

Test(port, sampling_latest_value_with_age_and_validity)
{
	struct port_cfg c = cfg_of(CHANNEL_SAMPLING, 64, 0, 20000);
	void *reg = region_new(&c);
	struct port_stats st = { 0 };
	uint8_t buf[64];
	uint32_t len;
	uint64_t age;
	bool valid;

	cr_assert_eq(port_sampling_read(&c, reg, &st.rd, buf, &len, 1000, NULL, &age, &valid), PORT_EMPTY);
	cr_assert_eq(st.rd.empty_refusals, 1);
	cr_assert_eq(port_sampling_write(&c, reg, "first", 5, 1000000), PORT_OK);
	cr_assert_eq(port_sampling_write(&c, reg, "second!", 7, 2000000), PORT_OK);
	cr_assert_eq(port_sampling_read(&c, reg, &st.rd, buf, &len, 2000000 + 20000000, NULL, &age, &valid), PORT_OK);
	cr_assert_eq(len, 7);
	cr_assert_eq(memcmp(buf, "second!", 7), 0, "the latest one");
	cr_assert_eq(age, 20000000u);
	cr_assert(valid, "age == refresh is still valid");
	cr_assert_eq(port_sampling_read(&c, reg, &st.rd, buf, &len, 2000000 + 20000001, NULL, &age, &valid), PORT_OK);
	cr_assert_not(valid, "one ns older is stale");
	cr_assert_eq(st.rd.stale_reads, 1);
	cr_assert_eq(st.rd.received, 2);
	port_stats_collect(&c, reg, &st);
	cr_assert_eq(st.sent, 2, "the source's writes, from its region");
	/* A stamp from the future is never valid. */
	cr_assert_eq(port_sampling_read(&c, reg, &st.rd, buf, &len, 1999999, NULL, &age, &valid), PORT_OK);
	cr_assert_not(valid);
	cr_assert_eq(age, 0);
	cr_assert_eq(port_sampling_write(&c, reg, buf, 65, 0), PORT_TOOBIG);
	cr_assert_eq(port_sampling_write(&c, reg, buf, 0, 0), PORT_TOOBIG);
	cr_assert_eq(port_status_to_bh(PORT_TOOBIG), BH_E_TOOBIG);
	free(reg);
}

/* A write that lands while a sample is read (the source on another CPU, or in the
 * reader's preemption) carries a stamp later than the clock the reader took first: the
 * reader takes the clock again (port_sampling_read's again) and judges the fresh sample
 * by it, not as one from the future. A stamp still later than the second reading is a
 * lie and stays invalid. */
static struct port_cfg late_cfg;
static void *late_reg;
static uint64_t late_stamp, late_clock;
static int late_agains;

static void write_late(void)
{
	port_test_step_hook = NULL; /* the write's own accesses are not interleaved */
	cr_assert_eq(port_sampling_write(&late_cfg, late_reg, "fresh", 5, late_stamp), PORT_OK);
	late_clock = late_stamp + 100;
}

static uint64_t clock_again(void)
{
	late_agains++;
	return late_clock;
}

Test(port, a_sample_written_during_the_read_is_judged_by_the_clock_read_again)
{
	struct bh_read_counts n = { 0 };
	uint8_t buf[64];
	uint32_t len;
	uint64_t age;
	bool valid;

	late_cfg = cfg_of(CHANNEL_SAMPLING, 64, 0, 1000);
	late_reg = region_new(&late_cfg);
	cr_assert_eq(port_sampling_write(&late_cfg, late_reg, "old", 3, 1000), PORT_OK);
	/* Read with the clock at 1500; the source writes at 2000 as the read begins. */
	late_stamp = 2000;
	port_test_step_hook = write_late;
	cr_assert_eq(port_sampling_read(&late_cfg, late_reg, &n, buf, &len, 1500, clock_again, &age,
					&valid),
		     PORT_OK);
	cr_assert_eq(len, 5);
	cr_assert_eq(memcmp(buf, "fresh", 5), 0);
	cr_assert_eq(late_agains, 1, "the clock read again once");
	cr_assert(valid, "100 ns old by the second reading");
	cr_assert_eq(age, 100);
	cr_assert_eq(n.stale_reads, 0);
	/* Without the second reading the same race is a false stale read. */
	late_stamp = 3000;
	port_test_step_hook = write_late;
	cr_assert_eq(port_sampling_read(&late_cfg, late_reg, &n, buf, &len, 2500, NULL, &age, &valid),
		     PORT_OK);
	cr_assert_not(valid);
	cr_assert_eq(n.stale_reads, 1);
	/* A stamp beyond the clock read again: a lie, invalid, age 0. */
	late_clock = 5000;
	cr_assert_eq(port_sampling_write(&late_cfg, late_reg, "lie", 3, 999999), PORT_OK);
	cr_assert_eq(port_sampling_read(&late_cfg, late_reg, &n, buf, &len, 4000, clock_again, &age,
					&valid),
		     PORT_OK);
	cr_assert_eq(late_agains, 2);
	cr_assert_not(valid);
	cr_assert_eq(age, 0);
	/* An honest sample older than the first reading: no second reading. */
	cr_assert_eq(port_sampling_write(&late_cfg, late_reg, "ok", 2, 4500), PORT_OK);
	cr_assert_eq(port_sampling_read(&late_cfg, late_reg, &n, buf, &len, 4600, clock_again, &age,
					&valid),
		     PORT_OK);
	cr_assert_eq(late_agains, 2);
	cr_assert(valid);
	cr_assert_eq(age, 100);
	port_test_step_hook = NULL;
	free(late_reg);
}

Test(port, queue_full_empty_and_wrap_around_keep_fifo_order)
{
	struct port_cfg c = cfg_of(CHANNEL_QUEUING, 5, 3, 0);
	void *reg = region_new(&c);
	struct port_ack ack = { 0 };
	struct port_reader rd = { 0 };
	struct port_stats st = { 0 };
	uint8_t buf[5];
	uint32_t len, next_sent = 0, next_recv = 0;

	cr_assert_eq(port_queuing_recv(&c, reg, &rd, &ack, &st, buf, &len), PORT_EMPTY);
	/* 40 rounds of fill-to-full then drain some: the ring wraps many times. */
	for (unsigned int round = 0; round < 40; round++) {
		enum port_status s;

		for (;;) {
			uint8_t msg[5] = { 0, 0, 0, 0, 0x5a };

			memcpy(msg, &next_sent, 4);
			s = port_queuing_send(&c, reg, &ack, msg, (next_sent % 5) + 1);
			if (s != PORT_OK)
				break;
			next_sent++;
		}
		cr_assert_eq(s, PORT_FULL);
		cr_assert_eq(next_sent - next_recv, 3, "exactly depth messages fit");
		for (unsigned int k = 0; k < 1 + round % 3; k++) {
			cr_assert_eq(port_queuing_recv(&c, reg, &rd, &ack, &st, buf, &len), PORT_OK);
			cr_assert_eq(len, (next_recv % 5) + 1);
			cr_assert_eq(memcmp(buf, &next_recv, len < 4 ? len : 4), 0, "in order");
			cr_assert(len < 5 || buf[4] == 0x5a);
			next_recv++;
		}
	}
	while (port_queuing_recv(&c, reg, &rd, &ack, &st, buf, &len) == PORT_OK)
		next_recv++;
	cr_assert_eq(next_recv, next_sent, "none lost, none duplicated");
	cr_assert_eq(st.rd.received, next_sent);
	cr_assert_eq(st.max_depth, 3);
	cr_assert_eq(st.rd.empty_refusals, 2);
	port_stats_collect(&c, reg, &st);
	cr_assert_eq(st.full_refusals, 40);
	free(reg);
}

/* A restarted destination's queue: what waited is dropped, the source gets every slot
 * back, and the next message sent is the next one received. */
Test(port, flush_drops_what_waits_and_gives_the_source_its_slots_back)
{
	struct port_cfg c = cfg_of(CHANNEL_QUEUING, 4, 3, 0);
	void *reg = region_new(&c);
	struct port_ack ack = { 0 };
	struct port_reader rd = { 0 };
	struct port_stats st = { 0 };
	uint8_t buf[4];
	uint32_t len, v;

	for (v = 1; v <= 3; v++)
		cr_assert_eq(port_queuing_send(&c, reg, &ack, &v, 4), PORT_OK);
	cr_assert_eq(port_queuing_send(&c, reg, &ack, &v, 4), PORT_FULL);
	cr_assert_eq(port_queuing_recv(&c, reg, &rd, &ack, &st, buf, &len), PORT_OK);
	cr_assert_eq(port_queuing_flush(&c, reg, &rd, &ack), 2, "messages 2 and 3 dropped");
	cr_assert_eq(ack.read_idx, 3);
	cr_assert_eq(port_queuing_recv(&c, reg, &rd, &ack, &st, buf, &len), PORT_EMPTY);
	for (v = 10; v < 13; v++)
		cr_assert_eq(port_queuing_send(&c, reg, &ack, &v, 4), PORT_OK, "the whole depth is free");
	cr_assert_eq(port_queuing_recv(&c, reg, &rd, &ack, &st, buf, &len), PORT_OK);
	cr_assert_eq(memcmp(buf, &(uint32_t){ 10 }, 4), 0);
	cr_assert_eq(port_queuing_flush(&c, reg, &rd, &ack), 2);
	cr_assert_eq(port_queuing_flush(&c, reg, &rd, &ack), 0, "an empty queue drops nothing");
	/* A lying write index: emptied all the same, nothing counted. */
	*(uint32_t *)reg = ack.read_idx + 1000;
	cr_assert_eq(port_queuing_flush(&c, reg, &rd, &ack), 0);
	cr_assert_eq(rd.read_idx, ack.read_idx);
	cr_assert_eq(ack.read_idx, *(uint32_t *)reg);
	free(reg);
}

Test(port, free_running_indices_wrap_at_2_pow_32)
{
	struct port_cfg c = cfg_of(CHANNEL_QUEUING, 8, 4, 0);
	void *reg = region_new(&c);
	struct port_ack ack = { .read_idx = 0xfffffffeu };
	struct port_reader rd = { .read_idx = 0xfffffffeu };
	struct port_stats st = { 0 };
	uint64_t v, got;
	uint32_t len;

	*(uint32_t *)reg = 0xfffffffeu; /* the source's write index, as after 2^32 - 2 sends */
	for (v = 0; v < 6; v++)
		cr_assert_eq(port_queuing_send(&c, reg, &ack, &v, 8), v < 4 ? PORT_OK : PORT_FULL);
	for (v = 0; v < 4; v++) {
		cr_assert_eq(port_queuing_recv(&c, reg, &rd, &ack, &st, &got, &len), PORT_OK);
		cr_assert_eq(got, v);
	}
	cr_assert_eq(rd.read_idx, 2);
	cr_assert_eq(port_queuing_recv(&c, reg, &rd, &ack, &st, &got, &len), PORT_EMPTY);
	free(reg);
}

/* ---- Step-by-step interleaving of a writer and a reader ---------------------------
 * Each side runs as a coroutine (ucontext) that stops at every region access
 * (port_test_step_hook); the controller lets one of them run to its next access at a
 * time, following a schedule. explore() runs
 * every schedule (depth first, replaying from scratch), so every interleaving of the
 * two sides. region accesses is tried.
 */
enum { CTRL = 0, T_A = 1, T_B = 2 };
#define STACK_BYTES (256 * 1024)
static ucontext_t ctx[3];
static int cur = CTRL;
static bool done[3];
static void (*body[3])(void);
static char *stacks[3];

static void hook(void)
{
	int me = cur;

	if (me != CTRL)
		swapcontext(&ctx[me], &ctx[CTRL]);
}

static void coroutine_main(int who)
{
	body[who]();
	done[who] = true; /* then uc_link returns to the controller */
}

/* Lets who run to its next region access (or its end). */
static void grant(int who)
{
	if (done[who])
		return;
	cur = who;
	swapcontext(&ctx[CTRL], &ctx[who]);
	cur = CTRL;
}

static void start(int who)
{
	if (!stacks[who])
		stacks[who] = malloc(STACK_BYTES);
	cr_assert_not_null(stacks[who]);
	done[who] = false;
	getcontext(&ctx[who]);
	ctx[who].uc_stack.ss_sp = stacks[who];
	ctx[who].uc_stack.ss_size = STACK_BYTES;
	ctx[who].uc_link = &ctx[CTRL];
	makecontext(&ctx[who], (void (*)(void))coroutine_main, 1, who);
}

#define MAX_DEPTH 64
static int sched[MAX_DEPTH];
static void (*setup_fn)(void);
static void (*check_fn)(void);
static unsigned long leaves;

/* Runs sched[0..depth) then both sides to their ends; true if both had ended
 * within the schedule (a leaf). */
static bool run_schedule(unsigned int depth)
{
	bool leaf;

	setup_fn();
	start(T_A);
	start(T_B);
	port_test_step_hook = hook;
	for (unsigned int i = 0; i < depth; i++)
		grant(sched[i]);
	leaf = done[T_A] || done[T_B];
	while (!done[T_A])
		grant(T_A);
	while (!done[T_B])
		grant(T_B);
	port_test_step_hook = NULL;
	if (leaf)
		leaves++;
	check_fn(); /* every schedule's outcome is checked, the completions too */
	return leaf;
}

static void explore(unsigned int depth)
{
	if (run_schedule(depth))
		return;
	cr_assert_lt(depth, MAX_DEPTH, "a side takes more steps than the bound");
	for (int who = T_A; who <= T_B; who++) {
		sched[depth] = who;
		explore(depth + 1);
	}
}

/* Sampling: A is published; the writer writes B while the reader reads once. */
static struct port_cfg s_cfg;
static uint64_t s_region[(PORT_HDR_BYTES + 16) / 8];
static struct port_stats s_st;
static uint8_t s_buf[12];
static uint32_t s_len;
static enum port_status s_res;
static const char msg_a[] = "AAAAAAAAAAAA", msg_b[] = "BBBBBBBBBB";

static void s_setup(void)
{
	port_region_init(&s_cfg, s_region);
	cr_assert_eq(port_sampling_write(&s_cfg, s_region, msg_a, 12, 10), PORT_OK);
	memset(&s_st, 0, sizeof(s_st));
	memset(s_buf, 0, sizeof(s_buf));
	s_res = PORT_STATUS_COUNT;
}
static void s_writer(void)
{
	cr_assert_eq(port_sampling_write(&s_cfg, s_region, msg_b, 10, 20), PORT_OK);
}
static void s_reader(void)
{
	uint64_t age;
	bool valid;

	s_res = port_sampling_read(&s_cfg, s_region, &s_st.rd, s_buf, &s_len, 100, NULL, &age, &valid);
}
static void s_check(void)
{
	if (s_res == PORT_BUSY)
		return; /* named status: the writer kept writing through every try */
	cr_assert_eq(s_res, PORT_OK, "status %s", port_status_name(s_res));
	bool is_a = s_len == 12 && !memcmp(s_buf, msg_a, 12);
	bool is_b = s_len == 10 && !memcmp(s_buf, msg_b, 10);

	cr_assert(is_a || is_b, "torn read: len %u '%.12s'", s_len, (const char *)s_buf);
}

Test(port, sampling_never_returns_a_torn_message_in_any_interleaving)
{
	s_cfg = cfg_of(CHANNEL_SAMPLING, 12, 0, 1000);
	cr_assert_eq(s_cfg.region_bytes, sizeof(s_region));
	setup_fn = s_setup;
	check_fn = s_check;
	body[T_A] = s_reader;
	body[T_B] = s_writer;
	leaves = 0;
	explore(0);
	cr_log_info("sampling: %lu interleavings", leaves);
	cr_assert_gt(leaves, 1000);
}

/* Queuing: the writer sends 1 then 2 (either may find the queue full); the reader
 * receives once. Afterwards the queue is drained: what was received, in order, is
 * exactly what was sent, none lost, none duplicated. */
static struct port_cfg q_cfg;
static uint64_t q_region[(PORT_HDR_BYTES + 2 * (PORT_SLOT_HDR_BYTES + 8)) / 8];
static struct port_ack q_ack;
static struct port_reader q_rd;
static struct port_stats q_st;
static uint32_t q_sent[6], q_nsent, q_got[6], q_ngot;

static void q_setup(void)
{
	port_region_init(&q_cfg, q_region);
	q_ack = (struct port_ack){ 0 };
	q_rd = (struct port_reader){ 0 };
	memset(&q_st, 0, sizeof(q_st));
	q_nsent = q_ngot = 0;
}
static void q_writer(void)
{
	for (uint32_t v = 1; v <= 2; v++) {
		enum port_status s = port_queuing_send(&q_cfg, q_region, &q_ack, &v, 4);

		cr_assert(s == PORT_OK || s == PORT_FULL, "%s", port_status_name(s));
		if (s == PORT_OK)
			q_sent[q_nsent++] = v;
	}
}
static void q_reader(void)
{
	for (int k = 0; k < 1; k++) {
		uint32_t v = 0, len;
		enum port_status s = port_queuing_recv(&q_cfg, q_region, &q_rd, &q_ack, &q_st, &v, &len);

		cr_assert(s == PORT_OK || s == PORT_EMPTY, "%s", port_status_name(s));
		if (s == PORT_OK) {
			cr_assert_eq(len, 4);
			q_got[q_ngot++] = v;
		}
	}
}
static void q_check(void)
{
	uint32_t v, len;

	while (port_queuing_recv(&q_cfg, q_region, &q_rd, &q_ack, &q_st, &v, &len) == PORT_OK)
		q_got[q_ngot++] = v;
	cr_assert_eq(q_ngot, q_nsent);
	for (uint32_t i = 0; i < q_ngot; i++)
		cr_assert_eq(q_got[i], q_sent[i], "message %u", i);
	cr_assert_eq(q_st.rd.corrupt, 0, "an honest source is never taken for a hostile one");
}

static void q_explore(uint32_t depth)
{
	q_cfg = cfg_of(CHANNEL_QUEUING, 8, depth, 0);
	cr_assert_leq(q_cfg.region_bytes, sizeof(q_region));
	setup_fn = q_setup;
	check_fn = q_check;
	body[T_A] = q_reader;
	body[T_B] = q_writer;
	leaves = 0;
	explore(0);
	cr_log_info("queuing depth %u: %lu interleavings", depth, leaves);
	cr_assert_gt(leaves, 1000);
}

Test(port, queue_loses_duplicates_and_reorders_nothing_in_any_interleaving_depth_1)
{
	q_explore(1);
}

Test(port, queue_loses_duplicates_and_reorders_nothing_in_any_interleaving_depth_2)
{
	q_explore(2);
}

/* ---- Wake-ups: a waiting receiver is never left asleep with a message waiting -----
 * The receiver (the kernel on its CPU) arms and looks once more; the source sends, then
 * looks at the flag and takes the one notification. In every interleaving either the
 * receiver's last look finds the message (it does not sleep) or the source is told to
 * wake it. */
static uint32_t w_signalled;
static bool w_ready, w_notified;

static void w_setup(void)
{
	q_setup();
	w_signalled = 0;
	w_ready = w_notified = false;
}
static void w_receiver(void)
{
	port_wait_arm(&q_ack.waiting, &w_signalled);
	w_ready = port_recv_ready(&q_cfg, q_region, &q_rd);
}
static void w_source(void)
{
	uint32_t v = 7;

	cr_assert_eq(port_queuing_send(&q_cfg, q_region, &q_ack, &v, 4), PORT_OK);
	w_notified = port_send_wants_signal(&q_ack) && port_notify_take(&q_ack.waiting, &w_signalled);
}
static void w_check(void)
{
	cr_assert(w_ready || w_notified, "the receiver sleeps on a message and nobody wakes it");
}

Test(port, a_waiting_receiver_is_never_left_asleep_in_any_interleaving)
{
	q_cfg = cfg_of(CHANNEL_QUEUING, 8, 1, 0);
	setup_fn = w_setup;
	check_fn = w_check;
	body[T_A] = w_receiver;
	body[T_B] = w_source;
	leaves = 0;
	explore(0);
	cr_log_info("wake-up: %lu interleavings", leaves);
	cr_assert_gt(leaves, 10);
}

/* A source that calls port_signal in a loop: one notification per wait, none without
 * one. */
Test(port, a_source_signalling_in_a_loop_gets_one_notification_per_wait)
{
	uint32_t waiting = 0, signalled = 0;
	unsigned int n = 0;

	for (int i = 0; i < 1000; i++)
		n += port_notify_take(&waiting, &signalled);
	cr_assert_eq(n, 0, "nobody waits: nothing to tell");
	port_wait_arm(&waiting, &signalled);
	for (int i = 0; i < 1000; i++)
		n += port_notify_take(&waiting, &signalled);
	cr_assert_eq(n, 1);
	port_wait_arm(&waiting, &signalled); /* the receiver looked and waits again */
	for (int i = 0; i < 1000; i++)
		n += port_notify_take(&waiting, &signalled);
	cr_assert_eq(n, 2);
	port_wait_disarm(&waiting);
	for (int i = 0; i < 1000; i++)
		n += port_notify_take(&waiting, &signalled);
	cr_assert_eq(n, 2);
}

/* What the kernel looks at before waking a cell: a message, room, or garbage (which the
 * woken call then refuses instead of sleeping again). */
Test(port, readiness_follows_the_queue_and_garbage_wakes_to_a_refusal)
{
	struct port_cfg cfg = cfg_of(CHANNEL_QUEUING, 8, 2, 0);
	uint64_t region[(PORT_HDR_BYTES + 2 * (PORT_SLOT_HDR_BYTES + 8)) / 8];
	struct port_ack ack = { 0 };
	struct port_reader rd = { 0 };
	struct port_stats st = { 0 };
	uint32_t v = 1, len;

	port_region_init(&cfg, region);
	cr_assert_not(port_recv_ready(&cfg, region, &rd));
	cr_assert(port_room_ready(&cfg, region, &ack));
	cr_assert_eq(port_queuing_send(&cfg, region, &ack, &v, 4), PORT_OK);
	cr_assert(port_recv_ready(&cfg, region, &rd));
	cr_assert_eq(port_queuing_send(&cfg, region, &ack, &v, 4), PORT_OK);
	cr_assert_not(port_room_ready(&cfg, region, &ack), "depth 2, two unread");
	cr_assert_eq(port_queuing_recv(&cfg, region, &rd, &ack, &st, &v, &len), PORT_OK);
	cr_assert(port_room_ready(&cfg, region, &ack));
	cr_assert_eq(port_queuing_recv(&cfg, region, &rd, &ack, &st, &v, &len), PORT_OK);
	cr_assert_not(port_recv_ready(&cfg, region, &rd));
	((uint32_t *)region)[0] = 0xdeadbeef; /* a hostile write index */
	cr_assert(port_recv_ready(&cfg, region, &rd));
	cr_assert_eq(port_queuing_recv(&cfg, region, &rd, &ack, &st, &v, &len), PORT_CORRUPT);
}

/* ---- A hostile source: random bytes in every field it can write -------------------- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint8_t *h_region;
static uint32_t h_region_bytes;
static unsigned long h_steps;
static bool h_concurrent;

/* Counts the reader's region accesses; as a concurrent source, scribbles on the
 * region before each one. */
static void hostile_hook(void)
{
	h_steps++;
	if (h_concurrent)
		for (int k = 0; k < 3; k++)
			h_region[rnd() % h_region_bytes] = (uint8_t)rnd();
}

static void put32(uint32_t off, uint32_t v)
{
	memcpy(h_region + off, &v, 4);
}

static struct port_cfg random_cfg(void)
{
	static const uint32_t sizes[] = { 1, 3, 8, 13, 64, 255, 4096 };
	bool sampling = rnd() & 1;

	return cfg_of(sampling ? CHANNEL_SAMPLING : CHANNEL_QUEUING, sizes[rnd() % 7],
		      1 + (uint32_t)(rnd() % PLAN_MAX_DEPTH), 1 + (uint32_t)(rnd() % 100000));
}

static void hostile_round(bool concurrent, unsigned int rounds, uint64_t seed)
{
	unsigned int ok = 0, corrupt = 0;

	rng_state = seed;
	h_concurrent = concurrent;
	port_test_step_hook = hostile_hook;
	for (unsigned int i = 0; i < rounds; i++) {
		struct port_cfg c = random_cfg();
		struct port_stats st = { 0 };
		/* Exactly the plan's sizes: ASan reports any byte read or written beyond. */
		uint8_t *buf = malloc(c.message_bytes);
		uint32_t len = UINT32_MAX, words = c.data_bytes / 8;
		enum port_status s;

		h_region = aligned_alloc(8, c.region_bytes);
		h_region_bytes = c.region_bytes;
		for (uint32_t b = 0; b < c.region_bytes; b++)
			h_region[b] = (uint8_t)rnd();
		h_steps = 0;
		/* Half the time each field is plausible, so reads get past the first checks. */
		if (c.kind == PORT_SAMPLING) {
			if (rnd() % 2)
				put32(0, (uint32_t)rnd() & ~1u);
			if (rnd() % 2)
				put32(4, 1 + (uint32_t)(rnd() % c.message_bytes));
		}
		if (c.kind == PORT_SAMPLING) {
			uint64_t age;
			bool valid;

			s = port_sampling_read(&c, h_region, &st.rd, buf, &len, rnd(), NULL, &age, &valid);
			cr_assert_leq(h_steps, PORT_READ_TRIES * (4 + words), "bounded");
		} else {
			struct port_reader rd = { .read_idx = rnd() % 3 == 0 ? 0 : (uint32_t)rnd() };
			struct port_ack ack = { .read_idx = rd.read_idx };
			uint32_t before = rd.read_idx;

			uint32_t slot = PORT_HDR_BYTES + (before % c.depth) * (PORT_SLOT_HDR_BYTES + c.data_bytes);

			if (rnd() % 2) /* a write index just ahead of the reader */
				put32(0, before + 1 + (uint32_t)(rnd() % c.depth));
			if (rnd() % 2)
				put32(slot, before + 1);
			if (rnd() % 2)
				put32(slot + 4, 1 + (uint32_t)(rnd() % c.message_bytes));
			s = port_queuing_recv(&c, h_region, &rd, &ack, &st, buf, &len);
			cr_assert_leq(h_steps, 6 + words, "bounded");
			cr_assert_eq(rd.read_idx, before + (s == PORT_OK), "advances only on a message");
			cr_assert_eq(ack.read_idx, rd.read_idx);
		}
		cr_assert(s == PORT_OK || s == PORT_EMPTY || s == PORT_BUSY || s == PORT_CORRUPT,
			  "%s", port_status_name(s));
		if (s == PORT_OK) {
			cr_assert(len >= 1 && len <= c.message_bytes, "len %u of %u", len, c.message_bytes);
			ok++;
		}
		corrupt += s == PORT_CORRUPT;
		free(buf);
		free(h_region);
	}
	port_test_step_hook = NULL;
	cr_log_info("hostile (%s): %u delivered, %u refused as corrupt of %u",
		    concurrent ? "concurrent" : "static", ok, corrupt, rounds);
	cr_assert_gt(ok, 0, "some garbage passes as contents: the checks are not vacuous");
	cr_assert_gt(corrupt, 0);
}

Test(port, hostile_source_garbage_never_breaks_the_reader)
{
	hostile_round(false, 20000, 99);
}

Test(port, hostile_source_scribbling_during_the_read_never_breaks_the_reader)
{
	hostile_round(true, 20000, 1234);
}
