/*
 * attacker: a test program that tries, once, one thing the isolation must stop. Its plan
 * args choose: attack=NAME (docs/isolation.md lists every name with the event the
 * kernel must give), attack=none (harmless: a heartbeat line each period). Optional:
 * addr=VA (overrides the target of the memory and device attacks), pa=PA (the other partition's
 * physical address, for other-pa-*), handle=H (for forge-handle).
 *
 * Each attack prints one line saying what it tries, then does it exactly once, so the
 * kernel's one event is attributable. If the attack returns (it was let through, or it
 * was a refused call), one more line says what came back; then the cell only waits.
 */
#include <stdio.h>
#include <string.h>
#include "bulkhead.h"
#include "insn.h"
#include "../lib/syscall.h"

/* The kernel's halves (docs/architecture.md): image, linear map, I/O window. */
#define KERNEL_IMAGE_VA 0xffffffc000000000ull
#define KERNEL_LINEAR_VA 0xffffff8000000000ull
#define KERNEL_IO_VA 0xffffffd000000000ull
#define RAM_PA 0x40000000ull /* QEMU virt RAM (bare metal and Xen guest) */

/* QEMU virt devices at their physical addresses (docs/isolation.md). */
#define PL011_PA 0x09000000ull
#define PL031_PA 0x09010000ull
#define PL061_PA 0x09030000ull

/* The device and interrupt calls of the reserved range (docs/syscalls.md). */
#ifdef BH_SYS_IRQ_ACK
#define ATK_SYS_DEVICE_INFO BH_SYS_DEVICE_INFO
#define ATK_SYS_IRQ_WAIT BH_SYS_IRQ_WAIT
#define ATK_SYS_IRQ_ACK BH_SYS_IRQ_ACK
#else
#define ATK_SYS_DEVICE_INFO (BH_SYS_DEVICE_FIRST + 0)
#define ATK_SYS_IRQ_WAIT (BH_SYS_DEVICE_FIRST + 1)
#define ATK_SYS_IRQ_ACK (BH_SYS_DEVICE_FIRST + 2)
#endif

static uint64_t target_or(uint64_t dflt)
{
	return bh_arg_u64("addr", dflt);
}

/* Where another partition's heap lies in its own space: the same VA layout as ours,
 * with a larger heap, so the first page past our heap is its heap and not ours. */
static uint64_t other_heap_va(void)
{
	const struct bh_info *i = bh_info();

	return target_or((i->heap_base + i->heap_bytes + 0xfffull) & ~0xfffull);
}

static uint64_t other_pa(void)
{
	return bh_arg_u64("pa", RAM_PA + 0x00400000ull); /* the first partition's block */
}

/* A handle with a right check nibble (0x9 xor the seven nibbles of bits 0-27) naming
 * slot 0, generation 1 of partition `owner`: what a forger who read docs/syscalls.md
 * would try. */
static uint32_t forged_handle(uint32_t owner)
{
	uint32_t h = (1u << 22) | ((owner & 0x3ffu) << 12), c = 0x9;

	for (int i = 0; i < 7; i++)
		c ^= (h >> (4 * i)) & 0xfu;
	return h | (c << 28);
}

static const uint32_t ro_word = 0x5a5a5a5a;
static uint32_t data_code[2] = { 0xd503201f, 0xd65f03c0 }; /* nop; ret */
static uint8_t zva_block[256] __attribute__((aligned(256)));

static void code_target(void)
{
}

static int64_t result;

static void a_kernel_read(void) { result = (int64_t)insn_load64(target_or(KERNEL_IMAGE_VA)); }
static void a_kernel_write(void) { insn_store64(target_or(KERNEL_IMAGE_VA + 0x1000), 0); }
static void a_linear_read(void) { result = (int64_t)insn_load64(target_or(KERNEL_LINEAR_VA + RAM_PA)); }
static void a_linear_write(void) { insn_store64(target_or(KERNEL_LINEAR_VA + RAM_PA + 0x01000000), 0); }
static void a_io_read(void) { result = (int64_t)insn_load64(target_or(KERNEL_IO_VA)); }
static void a_io_write(void) { insn_store64(target_or(KERNEL_IO_VA), 0); }
static void a_other_heap_read(void) { result = (int64_t)insn_load64(other_heap_va()); }
static void a_other_heap_write(void) { insn_store64(other_heap_va(), 0); }
static void a_other_pa_read(void) { result = (int64_t)insn_load64(other_pa()); }
static void a_other_pa_write(void) { insn_store64(other_pa(), 0); }
static void a_code_write(void) { insn_store64((uintptr_t)&code_target & ~7ull, 0); }
static void a_rodata_write(void) { insn_store64((uintptr_t)&ro_word & ~7ull, 0); }
static void a_info_write(void) { insn_store64(BH_INFO_VA, 0); }
static void a_exec_data(void) { insn_branch((uintptr_t)data_code); }

static void a_exec_stack(void)
{
	uint32_t code[2] = { 0xd503201f, 0xd65f03c0 }; /* nop; ret */

	insn_branch((uintptr_t)code); /* the address escapes: the array stays on the stack */
}

static void a_exec_heap(void) { insn_branch(bh_info()->heap_base); }
static void a_jump_kernel(void) { insn_branch(target_or(KERNEL_IMAGE_VA + 0x1000)); }
static void a_device_uart(void) { insn_store64(target_or(PL011_PA), 'X'); }
static void a_device_rtc(void) { result = (int64_t)insn_load64(target_or(PL031_PA)); }
static void a_device_gpio(void) { insn_store64(target_or(PL061_PA + 0x3f8), 0xff); }
static void a_device_window(void) { result = (int64_t)insn_load64(BH_DEVICE_VA); }
static void a_cntp_read(void) { result = (int64_t)insn_read_cntp_ctl(); }
static void a_cntp_write(void) { insn_write_cntp_cval(0); }
static void a_cntp_disable(void) { insn_write_cntp_ctl(0); }
static void a_cntvct_read(void) { result = (int64_t)insn_read_cntvct(); }
static void a_cntpct_read(void) { result = (int64_t)insn_read_cntpct(); }
static void a_pmu_read(void) { result = (int64_t)insn_read_pmccntr(); }
static void a_pmu_write(void) { insn_write_pmcr(0x7); /* E, P, C: reset the counters */ }
static void a_sctlr_read(void) { result = (int64_t)insn_read_sctlr_el1(); }
static void a_ttbr1_read(void) { result = (int64_t)insn_read_ttbr1_el1(); }
static void a_ttbr0_write(void) { insn_write_ttbr0_el1(0); }
static void a_mask_irq(void) { insn_mask_irqs(); }
static void a_dc_cisw(void) { insn_dc_cisw(0); }
static void a_dc_zva(void) { insn_dc_zva((uintptr_t)zva_block); }
static void a_ic_ivau(void) { insn_ic_ivau((uintptr_t)&code_target); }
static void a_tlbi(void) { insn_tlbi_all(); }
static void a_smc(void) { result = (int64_t)insn_smc(0x84000008); /* PSCI SYSTEM_OFF */ }
static void a_hvc(void) { result = (int64_t)insn_hvc(0x84000008); }
static void a_wfi(void) { insn_wfi(); }
static void a_wfe(void) { insn_wfe(); }
static void a_eret(void) { insn_eret(); }
static void a_udf(void) { insn_udf(); }
static void a_semihosting(void) { result = (int64_t)insn_semihosting_exit(7); }

/* SAFETY: recursion with 1 KiB frames, each touched, until the store below stack_base
 * faults in the guard page (the attack: the kernel must contain it). The volatile
 * variables only keep the compiler from folding the recursion; no device is touched. */
static volatile int dig_limit = 1 << 30; /* far beyond any stack: never reached */

static int __attribute__((noinline)) dig(int depth)
{
	/* SAFETY: volatile only keeps this 1 KiB frame touched (the dig's point, above). */
	volatile uint8_t frame[1024];

	frame[0] = (uint8_t)depth;
	if (depth >= dig_limit)
		return 0;
	return dig(depth + 1) + frame[0];
}

static void a_stack_overflow(void) { result = dig(0); }

/* Calls: the kernel must refuse each with an error (and one syscall_violation). */
static char text[] = "attacker: this text is ours";

static void a_svc_unknown(void) { result = bh_svc0(0x3ff); }
static void a_svc_reserved(void) { result = bh_svc0(BH_SYS_PORT_LAST); }
static void a_svc_huge_nr(void) { result = bh_svc0(0xffffffffffffffffull); }
static void a_svc_null_ptr(void) { result = bh_svc3(BH_SYS_PRINT, BH_LEVEL_WARN, 0, 16); }
static void a_svc_wild_ptr(void) { result = bh_svc3(BH_SYS_PRINT, BH_LEVEL_WARN, 0x7ffff00000ull, 16); }
static void a_svc_noncanonical(void) { result = bh_svc3(BH_SYS_PRINT, BH_LEVEL_WARN, 0x0001000000400000ull, 16); }
static void a_svc_kernel_ptr(void) { result = bh_svc3(BH_SYS_PRINT, BH_LEVEL_WARN, target_or(KERNEL_IMAGE_VA), 64); }
static void a_svc_kernel_write(void) { result = bh_svc1(BH_SYS_PARTITION_STATUS, target_or(KERNEL_IMAGE_VA + 0x1000)); }
static void a_svc_linear_ptr(void) { result = bh_svc3(BH_SYS_PRINT, BH_LEVEL_WARN, KERNEL_LINEAR_VA + RAM_PA, 64); }
static void a_svc_other_ptr(void) { result = bh_svc3(BH_SYS_PRINT, BH_LEVEL_WARN, other_heap_va(), 64); }
static void a_svc_other_write(void) { result = bh_svc1(BH_SYS_PARTITION_STATUS, other_heap_va()); }
static void a_svc_other_pa(void) { result = bh_svc1(BH_SYS_PARTITION_STATUS, other_pa()); }
static void a_svc_rodata_write(void) { result = bh_svc1(BH_SYS_PARTITION_STATUS, (uintptr_t)&ro_word); }
static void a_svc_info_write(void) { result = bh_svc1(BH_SYS_PARTITION_STATUS, BH_INFO_VA); }
static void a_svc_straddle(void)
{
	const struct bh_info *i = bh_info();

	/* 48 bytes from 16 bytes before the end of our heap: the tail is not ours. */
	result = bh_svc1(BH_SYS_PARTITION_STATUS, i->heap_base + i->heap_bytes - 16);
}

static void a_svc_guard_ptr(void)
{
	const struct bh_cell_desc *c = bh_cell_info(bh_cell_index());

	result = bh_svc1(BH_SYS_PARTITION_STATUS, c ? c->stack_base - 64 : 0);
}

static void a_svc_huge_len(void) { result = bh_svc3(BH_SYS_PRINT, BH_LEVEL_WARN, text, 0x8000000000000000ull); }
static void a_svc_wrap_len(void) { result = bh_svc3(BH_SYS_PRINT, BH_LEVEL_WARN, text, (uint64_t)-(int64_t)(uintptr_t)text + 8); }
static void a_svc_bad_level(void) { result = bh_svc3(BH_SYS_PRINT, 99, text, 8); }
static void a_irq_ack(void) { result = bh_svc1(ATK_SYS_IRQ_ACK, forged_handle(0)); }
static void a_irq_wait(void) { result = bh_svc2(ATK_SYS_IRQ_WAIT, forged_handle(0), 1000000); }

static void a_forge_handle(void)
{
	static uint8_t out[64];

	result = bh_svc2(ATK_SYS_DEVICE_INFO, (uint32_t)bh_arg_u64("handle", forged_handle(0)), out);
}

static void a_forge_own(void)
{
	static uint8_t out[64];

	/* Our own index, a slot we were not granted (the attacker owns no device). */
	result = bh_svc2(ATK_SYS_DEVICE_INFO, forged_handle(bh_info()->index), out);
}

static void a_forge_random(void)
{
	static uint8_t out[64];

	result = bh_svc2(ATK_SYS_DEVICE_INFO, 0xdeadbeefu, out);
}

/* port_signal, which the synchronous vector answers itself for a queuing source's
 * handle (hal/fastwin.h): an all-ones handle (the slot field at its top) and a random
 * one, neither granted (the attacker owns no port). */
static void a_signal_ones(void) { result = bh_svc1(BH_SYS_PORT_SIGNAL, ~0ull); }
static void a_signal_random(void) { result = bh_svc1(BH_SYS_PORT_SIGNAL, 0x5eadbeefu); }

struct attack {
	const char *name;
	const char *tries;
	void (*run)(void);
};

static const struct attack attacks[] = {
	{ "kernel-read", "load from the kernel image (0xffffffc000000000)", a_kernel_read },
	{ "kernel-write", "store to the kernel image", a_kernel_write },
	{ "linear-read", "load from the kernel's linear map of RAM", a_linear_read },
	{ "linear-write", "store to the kernel's linear map of RAM", a_linear_write },
	{ "io-read", "load from the kernel's I/O window", a_io_read },
	{ "io-write", "store to the kernel's I/O window", a_io_write },
	{ "other-heap-read", "load from another partition's heap VA", a_other_heap_read },
	{ "other-heap-write", "store to another partition's heap VA", a_other_heap_write },
	{ "other-pa-read", "load from another partition's physical address used as a VA", a_other_pa_read },
	{ "other-pa-write", "store to another partition's physical address used as a VA", a_other_pa_write },
	{ "code-write", "store to its own code", a_code_write },
	{ "rodata-write", "store to its own read-only data", a_rodata_write },
	{ "info-write", "store to its read-only info page", a_info_write },
	{ "exec-data", "branch to its own data", a_exec_data },
	{ "exec-stack", "branch to its own stack", a_exec_stack },
	{ "exec-heap", "branch to its own heap", a_exec_heap },
	{ "jump-kernel", "branch into kernel text", a_jump_kernel },
	{ "stack-overflow", "recurse off its stack into the guard page", a_stack_overflow },
	{ "device-uart", "store to the PL011 UART's physical address used as a VA", a_device_uart },
	{ "device-rtc", "load from the PL031 RTC's physical address used as a VA", a_device_rtc },
	{ "device-gpio", "store to the PL061 GPIO's physical address used as a VA", a_device_gpio },
	{ "device-window", "load from the EL0 device window it was not granted", a_device_window },
	{ "cntp-read", "read the physical timer (CNTP_CTL_EL0)", a_cntp_read },
	{ "cntp-write", "write the physical timer's compare value (CNTP_CVAL_EL0)", a_cntp_write },
	{ "cntp-disable", "write the physical timer's control (CNTP_CTL_EL0)", a_cntp_disable },
	{ "cntvct-read", "read the virtual counter (CNTVCT_EL0)", a_cntvct_read },
	{ "cntpct-read", "read the physical counter (CNTPCT_EL0)", a_cntpct_read },
	{ "pmu-read", "read the PMU cycle counter (PMCCNTR_EL0)", a_pmu_read },
	{ "pmu-write", "reset the PMU counters (PMCR_EL0)", a_pmu_write },
	{ "sctlr-read", "read SCTLR_EL1", a_sctlr_read },
	{ "ttbr1-read", "read TTBR1_EL1", a_ttbr1_read },
	{ "ttbr0-write", "write TTBR0_EL1", a_ttbr0_write },
	{ "mask-irq", "mask interrupts (DAIFSet)", a_mask_irq },
	{ "dc-cisw", "clean and invalidate a cache line by set/way (DC CISW)", a_dc_cisw },
	{ "dc-zva", "zero a cache block of its own data (DC ZVA)", a_dc_zva },
	{ "ic-ivau", "invalidate its own code from the instruction cache (IC IVAU)", a_ic_ivau },
	{ "tlbi", "invalidate the TLB (TLBI VMALLE1)", a_tlbi },
	{ "smc", "call the firmware (SMC: PSCI SYSTEM_OFF)", a_smc },
	{ "hvc", "call the hypervisor (HVC: PSCI SYSTEM_OFF)", a_hvc },
	{ "wfi", "wait for interrupt (WFI)", a_wfi },
	{ "wfe", "wait for event (WFE)", a_wfe },
	{ "eret", "return from exception (ERET)", a_eret },
	{ "udf", "an undefined instruction (UDF)", a_udf },
	{ "semihosting", "end the machine through QEMU semihosting (HLT #0xf000)", a_semihosting },
	{ "svc-unknown", "call number 0x3ff (no such call)", a_svc_unknown },
	{ "svc-reserved", "call number 0x2ff (reserved, undefined)", a_svc_reserved },
	{ "svc-huge-nr", "call number 2^64-1", a_svc_huge_nr },
	{ "svc-null-ptr", "print from NULL", a_svc_null_ptr },
	{ "svc-wild-ptr", "print from an unmapped EL0 address", a_svc_wild_ptr },
	{ "svc-noncanonical", "print from a non-canonical address", a_svc_noncanonical },
	{ "svc-kernel-ptr", "print from the kernel image", a_svc_kernel_ptr },
	{ "svc-kernel-write", "partition_status into the kernel image", a_svc_kernel_write },
	{ "svc-linear-ptr", "print from the kernel's linear map", a_svc_linear_ptr },
	{ "svc-other-ptr", "print from another partition's heap VA", a_svc_other_ptr },
	{ "svc-other-write", "partition_status into another partition's heap VA", a_svc_other_write },
	{ "svc-other-pa", "partition_status into another partition's physical address", a_svc_other_pa },
	{ "svc-rodata-write", "partition_status into its own read-only data", a_svc_rodata_write },
	{ "svc-info-write", "partition_status into its read-only info page", a_svc_info_write },
	{ "svc-straddle", "partition_status across the end of its heap", a_svc_straddle },
	{ "svc-guard-ptr", "partition_status into its stack's guard page", a_svc_guard_ptr },
	{ "svc-huge-len", "print 2^63 bytes", a_svc_huge_len },
	{ "svc-wrap-len", "print a range that wraps around the address space", a_svc_wrap_len },
	{ "svc-bad-level", "print at level 99", a_svc_bad_level },
	{ "irq-ack", "acknowledge an interrupt it does not own", a_irq_ack },
	{ "irq-wait", "wait on an interrupt it does not own", a_irq_wait },
	{ "forge-handle", "device_info with another partition's handle, forged", a_forge_handle },
	{ "forge-own", "device_info with a forged handle of its own, never granted", a_forge_own },
	{ "forge-random", "device_info with a random handle", a_forge_random },
	{ "signal-ones", "port_signal with an all-ones handle", a_signal_ones },
	{ "signal-random", "port_signal with a random handle", a_signal_random },
};

#define N_ATTACKS (sizeof(attacks) / sizeof(attacks[0]))

static void heartbeat_forever(const char *why)
{
	for (uint64_t n = 0;; n++) {
		printf("attacker: %s, period %llu\n", why, (unsigned long long)n);
		if (bh_periodic_wait() < 0)
			(void)bh_sleep_ns(10000000);
	}
}

BH_CELL_ENTRY(attacker_main)
{
	const char *name = bh_arg("attack");

	if (!name || !strcmp(name, "none"))
		heartbeat_forever("attack=none, alive");
	for (size_t i = 0; i < N_ATTACKS; i++) {
		if (strcmp(name, attacks[i].name))
			continue;
		printf("attacker: attack=%s: %s\n", name, attacks[i].tries);
		fflush(stdout);
		attacks[i].run();
		printf("attacker: attack=%s came back: result %lld (%s)\n", name, (long long)result,
		       result < 0 ? bh_strerror(result) : "not an error");
		heartbeat_forever("after the attack, alive");
	}
	fprintf(stderr, "attacker: attack=%s: no such attack\n", name);
	heartbeat_forever("unknown attack, harmless");
}
