/*
 * CONFIG_BENCH: the instructions of each kernel pass from EL0 back to EL0, by kind, read
 * from the PMU cycle counter (which counts instructions under QEMU -icount).
 */
#include "core/run_priv.h"

static const char *const bench_names[BENCH_KINDS] = {
	"none", "null_syscall", "syscall", "irq", "cell_switch", "partition_switch",
	"partition_switch_due", "irq_to_cell", "cell_switch_call",
};

/* CONFIG_BENCH: this CPU's passes by kind, and the kernel's share of its instructions
 * since the schedule started (every measured pass, with its entry and exit). */
void run_bench_report(const struct run_cpu *rc)
{
	uint64_t kernel = 0, elapsed = el0_cycles() - rc->bench_start;

	for (unsigned int k = BENCH_NULL_SYSCALL; k < BENCH_KINDS; k++) {
		struct el0_bench b = rc->bench[k];

		if (k == BENCH_PART_SWITCH || k == BENCH_CELL_SWITCH || k == BENCH_IRQ_TO_CELL)
			run_fast_bench(rc, k, &b); /* the vector's with the kernel's */
		kernel += b.sum;
		if (!b.n)
			continue;
		LOG(LOG_INFO, "bench", "bench", LOG_STR("pass", bench_names[k]), LOG_U64("count", b.n),
		    LOG_U64("min_insns", b.min), LOG_U64("mean_insns", b.sum / b.n),
		    LOG_U64("max_insns", b.max));
	}
	LOG(LOG_INFO, "bench", "bench_total", LOG_U64("kernel_insns", kernel),
	    LOG_U64("elapsed_insns", elapsed),
	    LOG_U64("kernel_share_ppm", elapsed ? kernel * 1000000 / elapsed : 0),
	    LOG_U64("epoch_ns", run.epoch_ns));
}

/* CONFIG_BENCH: the null call and time_ns never reach C (the vectors' own paths): the
 * last one that resumed ctx is counted at its next entry (every one costs the same), a
 * time_ns as any other call. */
static void bench_account(struct run_cpu *rc, const struct el0_ctx *ctx)
{
	struct el0_bench *b = &rc->bench[ctx->bench_fast == 2 ? BENCH_SYSCALL : BENCH_NULL_SYSCALL];
	uint64_t n = el0_null_call_insns(ctx);

	if (!n)
		return;
	if (!b->n || n < b->min)
		b->min = n;
	if (n > b->max)
		b->max = n;
	b->n++;
	b->sum += n;
}

/* CONFIG_BENCH: what the pass that is about to resume EL0 did. */
static void bench_classify(struct run_cpu *rc, const struct el0_ctx *from, int32_t from_part,
			   enum bench_kind same)
{
	if (!rc->next)
		rc->bench_kind = BENCH_NONE;
	else if (rc->next == rc->bench_woken)
		rc->bench_kind = BENCH_IRQ_TO_CELL;
	else if (rc->next == from)
		rc->bench_kind = same;
	else
		rc->bench_kind = rc->part == from_part ? (same == BENCH_IRQ ? BENCH_CELL_SWITCH
									 : BENCH_CELL_SWITCH_CALL)
			       : rc->bench_decided ? BENCH_PART_SWITCH_DUE
						   : BENCH_PART_SWITCH;
}

/*
 * CONFIG_BENCH: count the null call that resumed ctx, and later classify this pass,
 * which then counts itself at its eret (el0_bench_to) without the instructions both
 * take here (measured, with the counter reads' own cost).
 */
#define BENCH_READ_COST 4 /* a call of el0_cycles: bl, mrs, ret, and the use of its result */
/*
 * What the bench calls of a pass in C cost that their own readings do not see: the
 * calls and their arguments, el0_bench_to after the last reading, and the registers the
 * calls take from the path around them. Calibrated by tracing the same passes (a system
 * call, a periodic_wait, a window start) in the image without CONFIG_BENCH: 54 to 57
 * more instructions in the bench image than the readings account for; the smallest.
 */
#define BENCH_UNSEEN 54

uint64_t run_bench_begin(struct run_cpu *rc, const struct el0_ctx *ctx)
{
	uint64_t t0 = el0_cycles();

	bench_account(rc, ctx);
	if (rc->fw.step_now && rc->next && rc->next != ctx)
		bench_account(rc, rc->next); /* the cell the vector's step preempted */
	rc->bench_woken = NULL;
	rc->bench_decided = false;
	return el0_cycles() - t0 + BENCH_READ_COST;
}

void run_bench_end(struct run_cpu *rc, const struct el0_ctx *from, int32_t from_part,
		      enum bench_kind same, uint64_t self)
{
	uint64_t t0 = el0_cycles();

	bench_classify(rc, from, from_part, same);
	rc->bench_self = self + el0_cycles() - t0 + BENCH_READ_COST + BENCH_UNSEEN;
	el0_bench_to(rc->bench_kind == BENCH_NONE ? NULL : &rc->bench[rc->bench_kind], rc->bench_self);
}

