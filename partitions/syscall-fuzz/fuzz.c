/*
 * syscall-fuzz: seeded random system calls from inside a partition (docs/isolation.md).
 * Args: seed=S (default 1), count=N (default 100000). Every result must be success or a
 * documented error (fuzz_gen.h, fuzz_result_ok): anything else prints one
 * `fuzz_bad_result` line. At the end one `fuzz_summary` line gives the calls and the
 * count of each result; then the cell idles (its watchdog cell keeps the heartbeat).
 */
#include <stdio.h>
#include "bulkhead.h"
#include "fuzz_gen.h"
#include "../lib/syscall.h"

/* The memory calls may read or write: ours, and only this (fuzz_env.buf). */
static uint8_t scratch[4096] __attribute__((aligned(64)));
static const uint8_t ro_bytes[256] = "syscall-fuzz read-only bytes";

static const char *const slot_names[BH_E_COUNT + 1] = {
	[0] = "ok",
#define X(name, num, str, what) [num] = str,
	BH_ERRORS(X)
#undef X
	[BH_E_COUNT] = "other",
};

BH_CELL_ENTRY(fuzz_main)
{
	const struct bh_info *info = bh_info();
	const struct bh_cell_desc *cell = bh_cell_info(bh_cell_index());
	uint64_t seed = bh_arg_u64("seed", 1), count = bh_arg_u64("count", 100000);
	uint64_t per[BH_E_COUNT + 1] = { 0 }, bad = 0;
	struct fuzz_env env = {
		.buf = (uintptr_t)scratch, .buf_bytes = sizeof(scratch),
		.rodata = (uintptr_t)ro_bytes, .heap_end = info->heap_base + info->heap_bytes,
		.stack_base = cell ? cell->stack_base : 0, .partition_index = info->index,
	};
	struct fuzz_gen g;
	struct fuzz_call c;

	printf("syscall-fuzz: seed %llu, %llu calls\n", (unsigned long long)seed,
	       (unsigned long long)count);
	fuzz_gen_init(&g, seed);
	for (uint64_t i = 0; i < count; i++) {
		if (i % 64 == 0) {
			int64_t now = bh_time_ns();

			env.now_ns = now > 0 ? (uint64_t)now : 0;
		}
		fuzz_gen_next(&g, &env, &c);
		int64_t r = bh_svc6(c.nr, c.a); /* only ours can be written: the scratch buffer */

		per[fuzz_result_slot(r)]++;
		if (!fuzz_result_ok(&c, r)) {
			bad++;
			fprintf(stderr,
				"fuzz_bad_result call=%llu nr=0x%llx a0=0x%llx a1=0x%llx a2=0x%llx result=%lld\n",
				(unsigned long long)i, (unsigned long long)c.nr,
				(unsigned long long)c.a[0], (unsigned long long)c.a[1],
				(unsigned long long)c.a[2], (long long)r);
		}
	}
	char line[BH_PRINT_MAX];
	int n = snprintf(line, sizeof(line), "fuzz_summary seed=%llu calls=%llu bad=%llu",
			 (unsigned long long)seed, (unsigned long long)count, (unsigned long long)bad);

	for (unsigned int s = 0; s <= BH_E_COUNT && n > 0 && (size_t)n < sizeof(line); s++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %s=%llu", slot_names[s],
			      (unsigned long long)per[s]);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	(void)bh_print(bad ? BH_LEVEL_ERROR : BH_LEVEL_WARN, line, (size_t)n);
	for (;;) {
		if (bh_periodic_wait() < 0)
			(void)bh_sleep_ns(100000000);
	}
}
