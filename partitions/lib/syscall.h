/*
 * The calls into the kernel: `svc #0`, number in x8, arguments in x0-x5, result in x0
 * (include/bulkhead/abi.h). The runtime's only inline assembly (the thread pointer
 * is set by picolibc's _set_tls, read by compiler-generated TLS accesses). Internal to
 * partitions/ (the runtime, and the test programs that make raw calls).
 */
#ifndef BULKHEAD_PARTITIONS_LIB_SYSCALL_H
#define BULKHEAD_PARTITIONS_LIB_SYSCALL_H

#include <stdint.h>
#include <bulkhead/abi.h>

static inline int64_t bh_svc(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	/* SAFETY: the call's operands pinned to the ABI's registers for the svc below. */
	register uint64_t x8 __asm__("x8") = nr;
	register uint64_t x0 __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;

	/* The kernel preserves every register but x0 and the stack, and may read or write
	 * the buffers passed (print, partition_status): the compiler keeps none in registers.
	 * SAFETY: svc #0, the ABI's one way into the kernel; x0 the sole output. */
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return (int64_t)x0;
}

/*
 * time_ns alone: x8 in, x0 out. The call reads and writes no memory (with the window
 * fast path on, the vector answers it: docs/syscalls.md), so the compiler may keep
 * what it holds in registers and memory across it; every register but x0 is
 * preserved as for any call.
 */
static inline int64_t bh_svc_time(void)
{
	/* SAFETY: the call number pinned to x8, the result to x0, for the svc below. */
	register uint64_t x8 __asm__("x8") = BH_SYS_TIME_NS;
	register uint64_t x0 __asm__("x0");

	/* SAFETY: svc #0, the ABI's one way into the kernel; time_ns touches no memory. */
	__asm__ volatile("svc #0" : "=r"(x0) : "r"(x8));
	return (int64_t)x0;
}

/*
 * The same with all six argument registers, for a caller that makes any call with any
 * arguments (the syscall fuzzer): a[0..5] into x0-x5. The kernel checks every pointer
 * against the partition's own mappings before it touches memory, so the only memory a
 * call can write is the caller's.
 */
static inline int64_t bh_svc6(uint64_t nr, const uint64_t a[6])
{
	/* SAFETY: the call's operands pinned to the ABI's registers for the svc below. */
	register uint64_t x8 __asm__("x8") = nr;
	register uint64_t x0 __asm__("x0") = a[0];
	register uint64_t x1 __asm__("x1") = a[1];
	register uint64_t x2 __asm__("x2") = a[2];
	/* SAFETY: likewise, the ABI's further argument registers. */
	register uint64_t x3 __asm__("x3") = a[3];
	register uint64_t x4 __asm__("x4") = a[4];
	register uint64_t x5 __asm__("x5") = a[5];

	/* SAFETY: svc #0 with arbitrary operands, as bh_svc; x0 the sole output. */
	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return (int64_t)x0;
}

#define bh_svc0(nr) bh_svc((nr), 0, 0, 0)
#define bh_svc1(nr, a) bh_svc((nr), (uint64_t)(a), 0, 0)
#define bh_svc2(nr, a, b) bh_svc((nr), (uint64_t)(a), (uint64_t)(b), 0)
#define bh_svc3(nr, a, b, c) bh_svc((nr), (uint64_t)(a), (uint64_t)(b), (uint64_t)(c))

#endif
