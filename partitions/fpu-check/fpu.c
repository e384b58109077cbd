/*
 * fpu-check: a test program that keeps a pattern of its own (arg seed=N) in every
 * FP/SIMD register, FPCR and a few callee-saved general registers while it spins long
 * enough to be preempted by other partitions' windows, then checks that every value
 * survived, also across a null call and a time_ns call. Two instances with different
 * seeds on one CPU catch any state that leaks or is lost across a partition switch. Args: seed=N, rounds=N, spin=N (loop count).
 */
#include <stdio.h>
#include "bulkhead.h"

#define FPCR_RMODE_SHIFT 22 /* rounding mode: a value printf never sets */

/* Fill, spin, check in a single statement of inline assembly: the compiler cannot touch
 * the registers in between. Returns the OR of every difference (0: all intact). */
static uint64_t round_trip(uint64_t seed, uint64_t fpcr, uint64_t spin)
{
	uint64_t bad;

	/*
	 * SAFETY: uses only the registers it names as clobbers (v0-v31, x0, x8-x12,
	 * x19-x28), FPCR (set back to 0, the C default, before it ends) and no memory; its
	 * two svc calls (nop, time_ns) take and give nothing in memory.
	 */
	__asm__ volatile(
		"mov x9, %[seed]\n"
		".irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
		"dup v\\i\\().2d, x9\n"
		"add x9, x9, #1\n"
		".endr\n"
		".irp i,19,20,21,22,23,24,25,26,27,28\n"
		"mov x\\i, x9\n"
		"add x9, x9, #1\n"
		".endr\n"
		"msr fpcr, %[fpcr]\n"
		"1: subs %[spin], %[spin], #1\n"
		"b.ne 1b\n"
		/* Two calls: the null call (the vectors' fast path; it must return 0) and
		 * time_ns (the full path through C): neither may change anything else. */
		"mov x8, #0\n"
		"mov x0, #123\n"
		"svc #0\n"
		"mov x12, x0\n"
		"mov x8, #3\n"
		"svc #0\n"
		"mov x9, %[seed]\n"
		"mov %[bad], x12\n"
		".irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
		"umov x10, v\\i\\().d[0]\n"
		"umov x11, v\\i\\().d[1]\n"
		"eor x10, x10, x9\n"
		"eor x11, x11, x9\n"
		"orr %[bad], %[bad], x10\n"
		"orr %[bad], %[bad], x11\n"
		"add x9, x9, #1\n"
		".endr\n"
		".irp i,19,20,21,22,23,24,25,26,27,28\n"
		"eor x10, x\\i, x9\n"
		"orr %[bad], %[bad], x10\n"
		"add x9, x9, #1\n"
		".endr\n"
		"mrs x10, fpcr\n"
		"eor x10, x10, %[fpcr]\n"
		"orr %[bad], %[bad], x10\n"
		"mov x10, #0\n"
		"msr fpcr, x10\n"
		: [bad] "=&r"(bad), [spin] "+r"(spin)
		: [seed] "r"(seed), [fpcr] "r"(fpcr)
		: "x0", "x8", "x9", "x10", "x11", "x12", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27",
		  "x28", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11",
		  "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23",
		  "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31", "cc");
	return bad;
}

BH_CELL_ENTRY(fpu_main)
{
	uint64_t seed = bh_arg_u64("seed", 1) << 32;
	uint64_t rounds = bh_arg_u64("rounds", 20);
	uint64_t spin = bh_arg_u64("spin", 200000);
	uint64_t fpcr = (bh_arg_u64("seed", 1) & 3) << FPCR_RMODE_SHIFT;
	uint64_t errors = 0;

	for (uint64_t r = 0; r < rounds; r++) {
		uint64_t bad = round_trip(seed + r * 64, fpcr, spin ? spin : 1);

		if (bad) {
			errors++;
			printf("fpu-check: round %llu: registers changed (diff 0x%llx)\n",
			       (unsigned long long)r, (unsigned long long)bad);
		}
	}
	printf("fpu-check: %llu rounds, %llu errors\n", (unsigned long long)rounds,
	       (unsigned long long)errors);
}
