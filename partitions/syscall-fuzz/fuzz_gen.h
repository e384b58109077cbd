/*
 * The syscall fuzzer's generator and checker: pure (no calls, no libc but the compiler's
 * headers), deterministic for a seed, tested on the host (tests/unit/test_fuzz_gen.c).
 *
 * Each call draws a number class, then the number, then arguments shaped by what the
 * call takes (pointers from a pointer class, sizes from a size class, handles from a
 * handle class); numbers the ABI does not define get arguments of any class.
 * A few rules keep the fuzzer itself alive, so one run covers the whole count:
 *   - cell_stop is never issued (it would end the fuzzing cell);
 *   - a print or raise_error that could succeed (a readable pointer class and a length
 *     up to the maximum) is made harmless: print at debug level (filtered at the
 *     default log level), raise_error with a length above the maximum (refused, so the
 *     health monitor never sees an application error from the fuzzer);
 *   - timed_wait waits at most FUZZ_MAX_WAIT_NS past env->now_ns, and the blocking
 *     calls (periodic_wait, timed_wait, yield) are drawn rarely.
 */
#ifndef BULKHEAD_SYSCALL_FUZZ_GEN_H
#define BULKHEAD_SYSCALL_FUZZ_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include "../../include/bulkhead/abi.h" /* relative: built for EL0 and on the host */

#define FUZZ_MAX_WAIT_NS 1000000ull /* 1 ms */

/* How the call number was drawn. */
enum fuzz_nr_class {
	FUZZ_NR_DEFINED,  /* a call of BH_SYSCALLS */
	FUZZ_NR_DEVICE,   /* BH_SYS_DEVICE_FIRST..LAST */
	FUZZ_NR_PORT,     /* BH_SYS_PORT_FIRST..LAST */
	FUZZ_NR_GAP,      /* BH_SYS_COUNT..BH_SYS_DEVICE_FIRST-1: unknown */
	FUZZ_NR_HIGH,     /* above BH_SYS_MAX, up to 2^64-1: unknown */
	FUZZ_NR_CLASSES,
};

/* Pointer classes: where a pointer argument points. */
enum fuzz_ptr_class {
	FUZZ_PTR_NULL,      /* 0 and the null guard */
	FUZZ_PTR_WILD,      /* unmapped EL0 addresses, non-canonical ones */
	FUZZ_PTR_KERNEL,    /* the kernel image */
	FUZZ_PTR_LINEAR,    /* the kernel's linear map */
	FUZZ_PTR_IO,        /* the kernel's I/O window */
	FUZZ_PTR_GUARD,     /* the guard page below the calling cell's stack */
	FUZZ_PTR_OTHER,     /* past the own heap: another partition's heap VA */
	FUZZ_PTR_OTHER_PA,  /* RAM's physical addresses used as VAs */
	FUZZ_PTR_RODATA,    /* own read-only data: readable, not writable */
	FUZZ_PTR_INFO,      /* the info page: readable, not writable */
	FUZZ_PTR_EDGE,      /* the last bytes of the own buffer: a range runs past it */
	FUZZ_PTR_OWN,       /* inside the own buffer: valid for every size it allows */
	FUZZ_PTR_CLASSES,
};

/* Size classes: lengths. */
enum fuzz_size_class {
	FUZZ_SIZE_ZERO,
	FUZZ_SIZE_SMALL,    /* 1..64 */
	FUZZ_SIZE_MAX,      /* BH_PRINT_MAX */
	FUZZ_SIZE_OVER,     /* BH_PRINT_MAX + 1 */
	FUZZ_SIZE_HUGE,     /* 2^32.. and 2^63.., and -1 */
	FUZZ_SIZE_CLASSES,
};

/* Handle classes. */
enum fuzz_handle_class {
	FUZZ_HANDLE_ZERO,    /* BH_CAP_INVALID */
	FUZZ_HANDLE_RANDOM,  /* any 32 (or 64) bits */
	FUZZ_HANDLE_FORGED,  /* right check nibble, another partition or a slot not held */
	FUZZ_HANDLE_SMALL,   /* 1..16 */
	FUZZ_HANDLE_CLASSES,
};

/* What the fuzzer knows of its partition (from the info page and its own symbols). */
struct fuzz_env {
	uint64_t buf, buf_bytes;        /* its own scratch buffer, RW (>= BH_PRINT_MAX + 64) */
	uint64_t rodata;                /* its own read-only data (>= 64 bytes) */
	uint64_t heap_end;              /* heap_base + heap_bytes */
	uint64_t stack_base;            /* the calling cell's lowest stack byte */
	uint64_t now_ns;                /* for timed_wait */
	uint32_t partition_index;
};

struct fuzz_call {
	uint64_t nr;
	uint64_t a[6];
	uint8_t nr_class;     /* enum fuzz_nr_class */
	uint8_t ptr_class;    /* enum fuzz_ptr_class of the first pointer, or FUZZ_PTR_CLASSES */
	uint8_t size_class;   /* enum fuzz_size_class of the length, or FUZZ_SIZE_CLASSES */
	uint8_t handle_class; /* enum fuzz_handle_class of the handle, or FUZZ_HANDLE_CLASSES */
};

struct fuzz_gen {
	uint64_t state;
};

/* Seeds the generator; the same seed gives the same calls. */
void fuzz_gen_init(struct fuzz_gen *g, uint64_t seed);

/* The next call for env. env->buf_bytes must be at least BH_PRINT_MAX + 64. */
void fuzz_gen_next(struct fuzz_gen *g, const struct fuzz_env *env, struct fuzz_call *out);

/* Is r a result the ABI allows for this call: success (>= 0) or the negation of a
 * documented error (1 .. BH_E_COUNT-1), and for a number no call has (classes GAP and
 * HIGH) exactly -BH_E_NOSYS? */
bool fuzz_result_ok(const struct fuzz_call *c, int64_t r);

/* The index 0..BH_E_COUNT of a result for per-error counts: 0 success, e for -e, and
 * BH_E_COUNT for anything else. */
unsigned int fuzz_result_slot(int64_t r);

/* The forged handle of docs/syscalls.md's layout: slot, owner, generation and the
 * check nibble (0x9 xor the seven nibbles of bits 0-27). */
uint32_t fuzz_handle_make(uint32_t slot, uint32_t owner, uint32_t generation);

#endif
