/*
 * The pure parts of the isolation test programs: syscall-fuzz's generator and result
 * check (partitions/syscall-fuzz/fuzz_gen.c) and faulty's modes
 * (partitions/faulty/faulty_mode.c).
 */
#include <criterion/criterion.h>
#include <string.h>
#include "partitions/faulty/faulty_mode.h"
#include "partitions/syscall-fuzz/fuzz_gen.h"

#define CALLS 20000

static const struct fuzz_env env = {
	.buf = 0x406000, .buf_bytes = 4096, .rodata = 0x405000, .heap_end = 0x10100000,
	.stack_base = 0x3ffe0000, .now_ns = 5000000000ull, .partition_index = 3,
};

Test(fuzz_gen, the_same_seed_gives_the_same_calls_and_another_seed_others)
{
	struct fuzz_gen a, b, c;
	struct fuzz_call x, y, z;
	unsigned int differ = 0;

	fuzz_gen_init(&a, 42);
	fuzz_gen_init(&b, 42);
	fuzz_gen_init(&c, 43);
	for (int i = 0; i < CALLS; i++) {
		fuzz_gen_next(&a, &env, &x);
		fuzz_gen_next(&b, &env, &y);
		fuzz_gen_next(&c, &env, &z);
		cr_assert_eq(memcmp(&x, &y, sizeof(x)), 0, "call %d", i);
		differ += memcmp(&x, &z, sizeof(x)) != 0;
	}
	cr_assert_gt(differ, CALLS * 9 / 10);
}

Test(fuzz_gen, every_number_class_error_class_pointer_size_and_handle_class_occurs)
{
	unsigned int nr_class[FUZZ_NR_CLASSES] = { 0 }, defined[BH_SYS_COUNT] = { 0 };
	unsigned int ptr[FUZZ_PTR_CLASSES] = { 0 }, size[FUZZ_SIZE_CLASSES] = { 0 };
	unsigned int handle[FUZZ_HANDLE_CLASSES] = { 0 };
	unsigned int dev_lo = 0, dev_hi = 0, port = 0, huge_nr = 0;
	struct fuzz_gen g;
	struct fuzz_call c;

	fuzz_gen_init(&g, 1);
	for (int i = 0; i < CALLS * 5; i++) {
		fuzz_gen_next(&g, &env, &c);
		cr_assert_lt(c.nr_class, FUZZ_NR_CLASSES);
		nr_class[c.nr_class]++;
		if (c.nr_class == FUZZ_NR_DEFINED) {
			cr_assert_lt(c.nr, BH_SYS_COUNT);
			defined[c.nr]++;
		}
		dev_lo += c.nr == BH_SYS_DEVICE_FIRST || c.nr == BH_SYS_DEVICE_FIRST + 1;
		dev_hi += c.nr == BH_SYS_DEVICE_LAST;
		port += c.nr >= BH_SYS_PORT_FIRST && c.nr <= BH_SYS_PORT_LAST;
		huge_nr += c.nr > 0xffffffffull;
		if (c.ptr_class < FUZZ_PTR_CLASSES)
			ptr[c.ptr_class]++;
		if (c.size_class < FUZZ_SIZE_CLASSES)
			size[c.size_class]++;
		if (c.handle_class < FUZZ_HANDLE_CLASSES)
			handle[c.handle_class]++;
	}
	for (unsigned int k = 0; k < FUZZ_NR_CLASSES; k++)
		cr_assert_gt(nr_class[k], 0, "number class %u", k);
	for (unsigned int n = 0; n < BH_SYS_COUNT; n++) {
		if (n == BH_SYS_CELL_STOP)
			cr_assert_eq(defined[n], 0, "cell_stop would end the fuzzing cell");
		else
			cr_assert_gt(defined[n], 0, "call %u never drawn", n);
	}
	cr_assert_gt(dev_lo, 0);
	cr_assert_gt(dev_hi, 0);
	cr_assert_gt(port, 0);
	cr_assert_gt(huge_nr, 0);
	for (unsigned int k = 0; k < FUZZ_PTR_CLASSES; k++)
		cr_assert_gt(ptr[k], 0, "pointer class %u", k);
	for (unsigned int k = 0; k < FUZZ_SIZE_CLASSES; k++)
		cr_assert_gt(size[k], 0, "size class %u", k);
	for (unsigned int k = 0; k < FUZZ_HANDLE_CLASSES; k++)
		cr_assert_gt(handle[k], 0, "handle class %u", k);
}

Test(fuzz_gen, pointers_land_where_their_class_says)
{
	struct fuzz_gen g;
	struct fuzz_call c;

	fuzz_gen_init(&g, 7);
	for (int i = 0; i < CALLS; i++) {
		fuzz_gen_next(&g, &env, &c);
		if (c.nr != BH_SYS_PARTITION_STATUS)
			continue;
		uint64_t p = c.a[0];

		switch (c.ptr_class) {
		case FUZZ_PTR_OWN:
			cr_assert(p >= env.buf && p + 48 <= env.buf + env.buf_bytes, "own %#lx", (unsigned long)p);
			break;
		case FUZZ_PTR_EDGE:
			cr_assert(p >= env.buf && p + 48 > env.buf + env.buf_bytes);
			break;
		case FUZZ_PTR_NULL:
			cr_assert_lt(p, BH_IMAGE_VA);
			break;
		case FUZZ_PTR_KERNEL:
		case FUZZ_PTR_LINEAR:
		case FUZZ_PTR_IO:
			cr_assert_geq(p, 0xffffff8000000000ull);
			break;
		case FUZZ_PTR_GUARD:
			cr_assert(p >= env.stack_base - BH_PAGE_BYTES && p < env.stack_base);
			break;
		case FUZZ_PTR_OTHER:
			cr_assert_geq(p, env.heap_end);
			break;
		default:
			break;
		}
	}
}

/* The rules that keep the fuzzer alive (fuzz_gen.h). */
Test(fuzz_gen, no_call_can_end_block_or_report_the_fuzzer)
{
	struct fuzz_gen g;
	struct fuzz_call c;
	unsigned int prints_valid = 0, waits = 0;

	fuzz_gen_init(&g, 99);
	for (int i = 0; i < CALLS * 5; i++) {
		fuzz_gen_next(&g, &env, &c);
		if (c.nr_class != FUZZ_NR_DEFINED)
			continue;
		cr_assert_neq(c.nr, BH_SYS_CELL_STOP);
		int readable = c.ptr_class == FUZZ_PTR_OWN || c.ptr_class == FUZZ_PTR_EDGE ||
			       c.ptr_class == FUZZ_PTR_RODATA || c.ptr_class == FUZZ_PTR_INFO;
		int short_len = c.a[2] <= BH_PRINT_MAX;

		if (c.nr == BH_SYS_RAISE_ERROR && short_len)
			cr_assert(c.a[2] > 0 && !readable, "raise_error could be accepted");
		if (c.nr == BH_SYS_PRINT && short_len && (readable || c.a[2] == 0)) {
			cr_assert_geq(c.a[0], BH_LEVEL_DEBUG, "a print that may succeed is at debug");
			prints_valid++;
		}
		if (c.nr == BH_SYS_TIMED_WAIT) {
			waits++;
			cr_assert((int64_t)c.a[0] < 0 || c.a[0] <= env.now_ns + FUZZ_MAX_WAIT_NS);
		}
	}
	cr_assert_gt(prints_valid, 0);
	cr_assert_gt(waits, 0);
}

Test(fuzz_gen, results_are_success_or_a_documented_error_and_unknown_numbers_unknown_call)
{
	struct fuzz_call defined = { .nr = BH_SYS_PRINT, .nr_class = FUZZ_NR_DEFINED };
	struct fuzz_call nop = { .nr = BH_SYS_NOP, .nr_class = FUZZ_NR_DEFINED };
	struct fuzz_call device = { .nr = 0x101, .nr_class = FUZZ_NR_DEVICE };
	struct fuzz_call gap = { .nr = 0x50, .nr_class = FUZZ_NR_GAP };
	struct fuzz_call high = { .nr = 0x12345, .nr_class = FUZZ_NR_HIGH };

	cr_assert(fuzz_result_ok(&defined, 0));
	cr_assert(fuzz_result_ok(&defined, 17));
	for (int e = 1; e < BH_E_COUNT; e++) {
		cr_assert(fuzz_result_ok(&defined, -e));
		cr_assert(fuzz_result_ok(&device, -e));
	}
	cr_assert_not(fuzz_result_ok(&defined, -BH_E_COUNT));
	cr_assert_not(fuzz_result_ok(&defined, INT64_MIN));
	cr_assert(fuzz_result_ok(&nop, 0));
	cr_assert_not(fuzz_result_ok(&nop, 1));
	cr_assert(fuzz_result_ok(&gap, -BH_E_NOSYS));
	cr_assert_not(fuzz_result_ok(&gap, -BH_E_FAULT));
	cr_assert_not(fuzz_result_ok(&high, 0));
	cr_assert_eq(fuzz_result_slot(5), 0);
	cr_assert_eq(fuzz_result_slot(-BH_E_FAULT), BH_E_FAULT);
	cr_assert_eq(fuzz_result_slot(-BH_E_COUNT), BH_E_COUNT);
	cr_assert_eq(fuzz_result_slot(INT64_MIN), BH_E_COUNT);
}

Test(fuzz_gen, forged_handles_follow_the_documented_layout)
{
	uint32_t h = fuzz_handle_make(5, 2, 1);
	uint32_t c = 0x9;

	cr_assert_eq(h & 0xfff, 5);
	cr_assert_eq((h >> 12) & 0x3ff, 2);
	cr_assert_eq((h >> 22) & 0x3f, 1);
	for (int i = 0; i < 7; i++)
		c ^= (h >> (4 * i)) & 0xf;
	cr_assert_eq(h >> 28, c);
	cr_assert_neq(fuzz_handle_make(5, 2, 1), fuzz_handle_make(5, 3, 1));
}

Test(faulty_mode, names_round_trip_and_unknown_is_refused)
{
	for (unsigned int m = 0; m < FAULTY_MODES; m++)
		cr_assert_eq(faulty_mode_parse(faulty_mode_name((enum faulty_mode)m)), m);
	cr_assert_eq(faulty_mode_parse(NULL), FAULTY_NONE);
	cr_assert_eq(faulty_mode_parse("hangs"), FAULTY_MODES);
	cr_assert_eq(faulty_mode_parse("han"), FAULTY_MODES);
	cr_assert_eq(faulty_mode_parse(""), FAULTY_MODES);
}

Test(faulty_mode, random_is_deterministic_bounded_and_covers_every_class)
{
	unsigned int seen[FAULTY_MODES] = { 0 };

	for (uint32_t r = 0; r < 400; r++) {
		struct faulty_pick a = faulty_random_pick(11, r, 5), b = faulty_random_pick(11, r, 5);

		cr_assert_eq(a.mode, b.mode);
		cr_assert_eq(a.after, b.after);
		cr_assert_leq(a.after, 5);
		cr_assert(a.mode != FAULTY_NONE && a.mode != FAULTY_RANDOM &&
			  a.mode != FAULTY_RESTART_LOOP && a.mode < FAULTY_NULL);
		seen[a.mode]++;
	}
	for (unsigned int m = FAULTY_MEMORY; m <= FAULTY_CORRUPT; m++) {
		if (m != FAULTY_RESTART_LOOP)
			cr_assert_gt(seen[m], 0, "%s never drawn", faulty_mode_name((enum faulty_mode)m));
	}
	cr_assert_eq(faulty_random_pick(11, 0, 0).after, 0);
}
