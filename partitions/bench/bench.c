/*
 * bench: the program of make bench's plans. Its driver cell makes the null system
 * call (nop) forever, so every pass through the kernel it causes is a null call, a
 * cell switch to and from its watchdog, or a window boundary.
 */
#include <stdio.h>
#include "bulkhead.h"

BH_CELL_ENTRY(bench_nop_main)
{
	for (;;)
		(void)bh_nop();
}

/*
 * A periodic cell that overruns (configs/plans/test-overrun.dts): each period it sends a
 * heartbeat (the first `heartbeats` jobs only, if that arg is given); every
 * overrun-every-th job (arg, default 3) stays busy until half its relative deadline past
 * the deadline, so the job misses it while a lower cell (bench_nop_main) would run. The
 * kernel must see the miss at the deadline, and the missing heartbeats at the first
 * window start after their limit, whoever released the job.
 */
BH_CELL_ENTRY(bench_overrun_main)
{
	const struct bh_cell_desc *c = bh_cell_info(bh_cell_index());
	int64_t d = c && c->deadline_ns ? (int64_t)c->deadline_ns : 500000;
	uint64_t every = bh_arg_u64("overrun-every", 3), beats = bh_arg_u64("heartbeats", 0), n = 0;
	int64_t release = bh_time_ns();

	if (every == 0)
		every = 3;
	for (;; n++) {
		if (!beats || n < beats)
			(void)bh_heartbeat();
		if (n % every == every - 1)
			while (bh_time_ns() < release + d + d / 2)
				;
		release = bh_periodic_wait();
	}
}

/* ---- make bench's ports plan (configs/plans/bench-ports.dts) -------------------- */

#define BATCH 64u   /* operations per timed batch (the queue's depth) */
#define ROUNDS 8u   /* batches; the least is kept (no interrupt in it) */
#define FRAME_NS 10000000

/* Instructions of two back-to-back time_ns calls: what a timed batch adds. */
static int64_t timing_cost(void)
{
	int64_t best = INT64_MAX;

	for (unsigned int r = 0; r < ROUNDS; r++) {
		int64_t t0 = bh_time_ns(), t1 = bh_time_ns();

		if (t1 - t0 < best)
			best = t1 - t0;
	}
	return best;
}

static void report(const char *what, int64_t batch_ns, int64_t cost)
{
	printf("bench_ports: %s %lld\n", what, (long long)((batch_ns - cost) / (int64_t)BATCH));
}

/* Waits for the next frame's window of this partition. */
static void next_frame(void)
{
	int64_t now = bh_time_ns();

	(void)bh_timed_wait((now / FRAME_NS + 1) * FRAME_NS);
}

BH_CELL_ENTRY(bench_ports_src_main)
{
	bh_cap_t sample = (bh_cap_t)bh_arg_u64("sample", 0), queue = (bh_cap_t)bh_arg_u64("queue", 0);
	uint8_t msg[64] = { 1, 2, 3 };
	int64_t cost = timing_cost(), best = INT64_MAX;

	(void)bh_sampling_write(sample, msg, sizeof(msg)); /* fills the runtime's port table */
	for (unsigned int r = 0; r < ROUNDS; r++) {
		int64_t t0 = bh_time_ns();

		for (unsigned int i = 0; i < BATCH; i++)
			(void)bh_sampling_write(sample, msg, sizeof(msg));
		int64_t t1 = bh_time_ns();

		if (t1 - t0 < best)
			best = t1 - t0;
	}
	report("sampling_write_64b_insns", best, cost);
	(void)bh_queuing_send(queue, msg, sizeof(msg), 0); /* the table again; dst drains it */
	best = INT64_MAX;
	for (unsigned int r = 0; r < ROUNDS; r++) {
		next_frame();
		int64_t t0 = bh_time_ns();

		for (unsigned int i = 0; i < BATCH; i++)
			(void)bh_queuing_send(queue, msg, sizeof(msg), 0);
		int64_t t1 = bh_time_ns();

		if (t1 - t0 < best)
			best = t1 - t0;
	}
	report("queuing_send_64b_insns", best, cost);
	bh_cell_stop();
}

BH_CELL_ENTRY(bench_ports_dst_main)
{
	bh_cap_t sample = (bh_cap_t)bh_arg_u64("sample", 0), queue = (bh_cap_t)bh_arg_u64("queue", 0);
	uint8_t buf[64];
	struct bh_sample_meta meta;
	int64_t cost = timing_cost(), best = INT64_MAX;

	for (unsigned int r = 0; r < ROUNDS; r++) {
		int64_t t0 = bh_time_ns();

		for (unsigned int i = 0; i < BATCH; i++)
			(void)bh_sampling_read(sample, buf, &meta);
		int64_t t1 = bh_time_ns();

		if (t1 - t0 < best)
			best = t1 - t0;
	}
	report("sampling_read_64b_insns", best, cost);
	best = INT64_MAX;
	for (unsigned int r = 0; r < ROUNDS + 1; r++) {
		/* The first frame's queue holds the source's one table-filling message. */
		while (r == 0 && bh_queuing_recv(queue, buf, 0) > 0)
			;
		if (r == 0) {
			next_frame();
			continue;
		}
		int64_t t0 = bh_time_ns();
		unsigned int got = 0;

		for (unsigned int i = 0; i < BATCH; i++)
			got += bh_queuing_recv(queue, buf, 0) > 0;
		int64_t t1 = bh_time_ns();

		if (got != BATCH)
			printf("bench_ports: frame %u: %u received, not %u\n", r, got, BATCH);
		if (got == BATCH && t1 - t0 < best)
			best = t1 - t0;
		next_frame();
	}
	report("queuing_recv_64b_insns", best, cost);
	bh_cell_stop();
}

/* ---- make bench's interrupt plan (configs/plans/bench-irq.dts) ------------------ */
#include "bulkhead_mmio.h"

/* PL031 registers (ARM PrimeCell RTC, DDI 0224). */
enum { RTC_DR = 0x00, RTC_MR = 0x04, RTC_IMSC = 0x10, RTC_ICR = 0x1c };
#define NS_PER_S 1000000000ll
#define SPIN_AHEAD_NS 2000000ll /* the spinner starts this long before the next alarm */

static int64_t last_wake_ns; /* driver -> spinner: when the last alarm woke the driver */
static uint32_t wakes;

/* The driver: blocks in irq_wait until the RTC's alarm interrupt wakes it (the kernel
 * measures that pass: irq_to_cell), then clears the device, re-arms the alarm for the
 * next second and acknowledges, forever. Each wake is printed, and one that comes less
 * than half a second after the last (the line was not kept masked until irq_ack, so
 * the alarm's interrupt came again) is named. */
BH_CELL_ENTRY(bench_irq_main)
{
	struct bh_device_info d;
	bh_cap_t h = bh_device_find("pl031", &d);

	if (h == BH_CAP_INVALID) {
		printf("bench_irq: no pl031 granted\n");
		return;
	}
	for (;;) {
		bh_mmio_write32(d.va, RTC_ICR, 1);
		bh_mmio_write32(d.va, RTC_MR, bh_mmio_read32(d.va, RTC_DR) + 1);
		bh_mmio_write32(d.va, RTC_IMSC, 1);
		(void)bh_irq_ack(h);
		if (bh_irq_wait(h, UINT64_MAX) != 0)
			printf("bench_irq: irq_wait did not return the interrupt\n");
		int64_t now = bh_time_ns(), last = __atomic_load_n(&last_wake_ns, __ATOMIC_RELAXED);
		uint32_t n = __atomic_load_n(&wakes, __ATOMIC_RELAXED);

		if (n && now - last < NS_PER_S / 2)
			printf("bench_irq: woken again %lld ns after the last alarm\n", (long long)(now - last));
		__atomic_store_n(&last_wake_ns, now, __ATOMIC_RELAXED);
		__atomic_fetch_add(&wakes, 1, __ATOMIC_RELEASE);
		printf("bench_irq: alarm %u\n", (unsigned int)n + 1);
	}
}

/* The other cell: the interrupt must come from EL0 for the pass to be measured, so it
 * spins from shortly before each alarm (a second after the last wake: the RTC counts
 * whole seconds of the virtual clock) until the driver has run; it sleeps otherwise
 * (spinning for whole seconds would make the run slow, not the figure different). The
 * first alarm's phase is unknown: it is not measured. */
BH_CELL_ENTRY(bench_irq_spin)
{
	for (;;) {
		uint32_t seen = __atomic_load_n(&wakes, __ATOMIC_ACQUIRE);

		if (seen == 0) {
			(void)bh_sleep_ns(1000000);
			continue;
		}
		(void)bh_timed_wait(__atomic_load_n(&last_wake_ns, __ATOMIC_RELAXED) + NS_PER_S -
				    SPIN_AHEAD_NS);
		while (__atomic_load_n(&wakes, __ATOMIC_ACQUIRE) == seen)
			;
	}
}

/* ---- make bench's cross-CPU plan (configs/plans/bench-xcpu.dts) ------------------ */

#define XCPU_ROUNDS 32u
#define XCPU_GAP_NS 300000 /* between sends: the receiver waits by then (and its 1 ms
			    * fallback look never falls inside a measurement) */

struct xcpu_msg {
	int64_t sent_ns; /* the source's time_ns right before the send */
	uint8_t pad[56];
};

BH_CELL_ENTRY(bench_xcpu_src_main)
{
	bh_cap_t queue = (bh_cap_t)bh_arg_u64("queue", 0);
	/* test-idle-step.dts: its own gap and number of messages. */
	int64_t gap = (int64_t)bh_arg_u64("gap-ns", XCPU_GAP_NS);
	uint64_t rounds = bh_arg_u64("rounds", XCPU_ROUNDS);
	struct xcpu_msg m = { 0 };

	(void)bh_port_info(queue, &(struct bh_port_info){ 0 }); /* nothing to fill later */
	for (uint64_t r = 0; r < rounds; r++) {
		(void)bh_timed_wait(bh_time_ns() + gap);
		m.sent_ns = bh_time_ns();
		(void)bh_queuing_send(queue, &m, sizeof(m), 0);
	}
	bh_cell_stop();
}

BH_CELL_ENTRY(bench_xcpu_dst_main)
{
	bh_cap_t queue = (bh_cap_t)bh_arg_u64("queue", 0);
	/* test-idle-step.dts: compute this long after each message (0: not at all). */
	int64_t spin_ns = (int64_t)bh_arg_u64("spin-after-ns", 0);
	struct xcpu_msg m;
	int64_t cost = timing_cost(), best = INT64_MAX;
	unsigned int got = 0;

	while (got < XCPU_ROUNDS) {
		int r = bh_queuing_recv(queue, &m, 3 * XCPU_GAP_NS);
		int64_t now = bh_time_ns();

		if (r != (int)sizeof(m))
			continue;
		got++;
		if (now - m.sent_ns < best)
			best = now - m.sent_ns;
		while (spin_ns && bh_time_ns() < now + spin_ns)
			;
	}
	/* One time_ns call's worth of the two stamps lies inside the span: taken out. */
	printf("bench_ports: queuing_send_recv_xcpu_insns %lld\n", (long long)(best - cost));
	bh_cell_stop();
}
