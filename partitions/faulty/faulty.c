/*
 * faulty: a test program whose driver cell does one thing the EL0 ABI forbids, chosen
 * by its arg fault=KIND, after a first line of output:
 *   null          load from the null guard (translation fault)
 *   kernel-read   load from the kernel's upper half (translation fault, TTBR1)
 *   rodata-write  store to its own read-only data (permission fault)
 *   exec-stack    jump to its stack (instruction abort: EL0 stacks are never executable)
 *   udf           a permanently undefined instruction
 *   pc-align      branch to an address that is not 4-byte aligned (PC alignment fault)
 *   bad-pointer   not a fault: print with a pointer into the kernel; the call must be
 *                 refused (bad-address, a syscall_violation event) and the cell go on
 * The kernel must stop the partition with one partition_fault event and go on.
 */
#include <stdio.h>
#include <string.h>
#include "bulkhead.h"

static const uint32_t constant = 42;
/* Addresses held where the compiler cannot see their values (no warning, no folding). */
static volatile uintptr_t null_addr = 0x10;
static volatile uintptr_t kernel_addr = 0xffffffc000000000ULL;

BH_CELL_ENTRY(faulty_main)
{
	const char *kind = bh_arg("fault");

	if (!kind)
		kind = "null";
	printf("faulty: about to fault (%s)\n", kind);
	if (!strcmp(kind, "null")) {
		(void)*(volatile uint32_t *)null_addr;
	} else if (!strcmp(kind, "kernel-read")) {
		(void)*(volatile uint64_t *)kernel_addr;
	} else if (!strcmp(kind, "rodata-write")) {
		*(volatile uint32_t *)(uintptr_t)&constant = 1;
	} else if (!strcmp(kind, "exec-stack")) {
		uint32_t code[2] = { 0xd503201f, 0xd65f03c0 }; /* nop; ret */
		void (*fn)(void) = (void (*)(void))(uintptr_t)code;

		fn();
	} else if (!strcmp(kind, "udf")) {
		/* SAFETY: traps at once (that is the test); touches nothing. */
		__asm__ volatile("udf #0");
	} else if (!strcmp(kind, "bad-pointer")) {
		int r = bh_print(BH_LEVEL_INFO, (const char *)kernel_addr, 16);

		printf("faulty: print from a kernel address: %s\n", bh_strerror(r));
	} else if (!strcmp(kind, "pc-align")) {
		void (*fn)(void) = (void (*)(void))(uintptr_t)((uintptr_t)&faulty_main + 2);

		fn();
	}
	printf("faulty: still running after %s\n", kind);
}
