/*
 * CONFIG_BENCH: the instructions of each kernel pass from EL0 back to EL0, by kind, read
 * from the PMU cycle counter (which counts instructions under QEMU -icount).
 */
#include "core/run_priv.h"

static const char *const bench_names[BENCH_KINDS] = {
	"none", "null_syscall", "syscall", "irq", "cell_switch", "partition_switch",
	"partition_switch_due", "irq_to_cell",
};

/* CONFIG_BENCH: this CPU's passes by kind, and the kernel's share of its instructions
 * since the schedule started (every measured pass, with its entry and exit). */
void run_bench_report(const struct run_cpu *rc)
{
	uint64_t kernel = 0, elapsed = el0_cycles() - rc->bench_start;

	for (unsigned int k = BENCH_NULL_SYSCALL; k < BENCH_KINDS; k++) {
		const struct bench_stat *b = &rc->bench[k];

		kernel += b->sum;
		if (!b->n)
			continue;
		LOG(LOG_INFO, "bench", "bench", LOG_STR("pass", bench_names[k]), LOG_U64("count", b->n),
		    LOG_U64("min_insns", b->min), LOG_U64("mean_insns", b->sum / b->n),
		    LOG_U64("max_insns", b->max));
	}
	LOG(LOG_INFO, "bench", "bench_total", LOG_U64("kernel_insns", kernel),
	    LOG_U64("elapsed_insns", elapsed),
	    LOG_U64("kernel_share_ppm", elapsed ? kernel * 1000000 / elapsed : 0),
	    LOG_U64("epoch_ns", run.epoch_ns));
}

/* CONFIG_BENCH: the pass that resumed ctx (this entry's context) is over: count it. */
static void bench_account(struct run_cpu *rc, const struct el0_ctx *ctx)
{
	/* A null call that took the vectors' fast path never reached C: only the last one
	 * before this entry is seen (its cost is the same every time). */
	enum bench_kind kind = ctx->bench_fast ? BENCH_NULL_SYSCALL : rc->bench_kind;
	struct bench_stat *b = &rc->bench[kind];
	uint64_t n = el0_pass_insns(ctx) - (ctx->bench_fast ? 0 : rc->bench_self);

	if (kind == BENCH_NONE)
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
		rc->bench_kind = rc->part == from_part ? BENCH_CELL_SWITCH
			       : rc->bench_decided ? BENCH_PART_SWITCH_DUE
						   : BENCH_PART_SWITCH;
}

/*
 * CONFIG_BENCH: count the pass that resumed ctx, and later classify this one, leaving
 * out the instructions both take (measured, with the counter reads' own cost).
 */
#define BENCH_READ_COST 4 /* a call of el0_cycles: bl, mrs, ret, and the use of its result */

uint64_t run_bench_begin(struct run_cpu *rc, const struct el0_ctx *ctx)
{
	uint64_t t0 = el0_cycles();

	bench_account(rc, ctx);
	rc->bench_woken = NULL;
	rc->bench_decided = false;
	return el0_cycles() - t0 + BENCH_READ_COST;
}

void run_bench_end(struct run_cpu *rc, const struct el0_ctx *from, int32_t from_part,
		      enum bench_kind same, uint64_t self)
{
	uint64_t t0 = el0_cycles();

	bench_classify(rc, from, from_part, same);
	rc->bench_self = self + el0_cycles() - t0 + BENCH_READ_COST;
}

