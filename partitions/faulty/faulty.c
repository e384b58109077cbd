/*
 * faulty: a test program that misbehaves as its plan args say (docs/isolation.md, "Fault
 * injection"), for the health monitor's tests. Args:
 *   fault=MODE   none (default: good behaviour), memory, illegal, hang, stall, overrun,
 *                no-heartbeat, app-error, restart-loop, corrupt, random; and the single
 *                EL0 faults null, kernel-read, rodata-write, exec-stack, udf, sp-align,
 *                pc-align (at once, after a line "faulty: about to fault (KIND)")
 *   after=K      periods of good behaviour first (default 0)
 *   seed=S       for fault=random (default 1); max-after=M bounds its K (default 5)
 *   irq=on       first drive the PL031 the plan grants (irq.c): irq_wait woken by its
 *                alarm, then a second alarm left pending for the restart to quiesce
 * Cells: faulty_main (the driver; periodic in the shipped plan, it calls bh_progress
 * each period so the runtime's watchdog checks it) and faulty_watchdog (the runtime's
 * watchdog_main, except for fault=no-heartbeat).
 *
 * Every start prints one line: the start count, the start condition, the mode,
 * whether its data and heap were freshly loaded (a restart must reload the image and
 * zero the heap, which fault=corrupt smashes), and what its persistent region holds
 * (fault=corrupt smashes it too: a warm restart keeps it, a cold one zeroes it).
 */
#include <stdio.h>
#include <string.h>
#include "bulkhead.h"
#include "faulty_mode.h"
#include "trap.h"
#include "irq.h"

#define SENTINEL 0x600dda7au
#define APP_ERROR_CODE 0x0fa17u

static uint32_t sentinel = SENTINEL;       /* .data: smashed by fault=corrupt */
static uint8_t smash_area[4096];           /* .bss: likewise */
static const uint32_t ro_word = 42;
static uint32_t silence;                   /* driver -> watchdog: stop the heartbeat */
static uint64_t spins;                     /* fault=hang's loop, atomic so it is kept */

void faulty_main(void); /* the driver's entry: its own address feeds fault=pc-align */

static const char *const conditions[] = { "normal", "partition-restart", "hm-module-restart",
					  "hm-partition-restart" };

/* The mode and K of this start (both cells compute the same). */
static struct faulty_pick this_start(void)
{
	struct faulty_pick p = { faulty_mode_parse(bh_arg("fault")),
				 (uint32_t)bh_arg_u64("after", 0) };

	if (p.mode == FAULTY_RANDOM)
		p = faulty_random_pick(bh_arg_u64("seed", 1), bh_info()->restarts,
				       (uint32_t)bh_arg_u64("max-after", 5));
	/* The watchdog checks a driver only once it has made progress: a stall from the
	 * first period would go unseen (and a random run would stop failing). */
	if (p.mode == FAULTY_STALL && p.after == 0)
		p.after = 1;
	return p;
}

/* The persistent region's first page (bh_persistent), or NULL if there is none: what
 * fault=corrupt smashes there survives a warm restart and not a cold one. */
static uint8_t *persistent_probe(void)
{
	size_t n;
	uint8_t *p = bh_persistent(&n);

	return n >= 4096 ? p : NULL;
}

/* "none", "zero" (as a first start or a cold restart leaves it), or "KEPT" (smashed
 * before a warm restart), or "mixed". */
static const char *persistent_state(void)
{
	const uint8_t *p = persistent_probe();
	size_t zero = 0, smashed = 0;

	if (!p)
		return "none";
	for (size_t k = 0; k < 4096; k++) {
		zero += p[k] == 0;
		smashed += p[k] == 0xa5;
	}
	return zero == 4096 ? "zero" : smashed == 4096 ? "KEPT" : "mixed";
}

/* The heap's last page: zero on every start (the kernel zeroes the heap). */
static uint8_t *heap_probe(void)
{
	const struct bh_info *i = bh_info();

	return i->heap_bytes >= 4096 ? (uint8_t *)(uintptr_t)(i->heap_base + i->heap_bytes - 4096) : NULL;
}

static int heap_clean(void)
{
	uint8_t *p = heap_probe();

	for (size_t k = 0; p && k < 4096; k++) {
		if (p[k])
			return 0;
	}
	return 1;
}

/* Once-only faults: they do not return if the kernel does its job. */
static void fault_at_once(enum faulty_mode m)
{
	uint32_t code[2] = { 0xd503201f, 0xd65f03c0 }; /* nop; ret */

	switch (m) {
	case FAULTY_MEMORY:
	case FAULTY_NULL:
	case FAULTY_RESTART_LOOP:
		(void)trap_load(0x10);
		break;
	case FAULTY_ILLEGAL:
	case FAULTY_UDF:
		trap_udf();
		break;
	case FAULTY_KERNEL_READ:
		(void)trap_load(0xffffffc000000000ull);
		break;
	case FAULTY_RODATA_WRITE:
		trap_store((uintptr_t)&ro_word & ~7ull, 1);
		break;
	case FAULTY_EXEC_STACK:
		trap_branch((uintptr_t)code);
		break;
	case FAULTY_SP_ALIGN:
		trap_sp_align();
		break;
	case FAULTY_PC_ALIGN:
		trap_branch((uintptr_t)&faulty_main + 2);
		break;
	case FAULTY_BAD_POINTER: {
		/* Not a fault: the call must be refused (bad-address) and the cell go on. */
		int r = bh_print(BH_LEVEL_INFO, (const char *)(uintptr_t)0xffffffc000000000ull, 16);

		printf("faulty: print from a kernel address: %s\n", bh_strerror(r));
		break;
	}
	case FAULTY_CORRUPT: {
		uint8_t *h = heap_probe();

		uint8_t *keep = persistent_probe();

		memset(smash_area, 0xa5, sizeof(smash_area));
		if (h)
			memset(h, 0xa5, 4096);
		if (keep)
			memset(keep, 0xa5, 4096);
		sentinel = 0xdeadbeefu;
		(void)trap_load(0x10);
		break;
	}
	default:
		return;
	}
	fprintf(stderr, "faulty: still running after %s\n", faulty_mode_name(m));
}

static int64_t wait_period(void)
{
	int64_t r = bh_periodic_wait();

	if (r == -BH_E_MODE) {
		(void)bh_sleep_ns(10000000);
		r = bh_time_ns();
	}
	return r;
}

static void one_period(void)
{
	(void)wait_period();
}

/* Busy until half a deadline past the current release's deadline. */
static void overrun(int64_t release)
{
	const struct bh_cell_desc *c = bh_cell_info(bh_cell_index());
	int64_t d = c && c->deadline_ns ? (int64_t)c->deadline_ns : 10000000;

	while (bh_time_ns() < release + d + d / 2)
		;
}

BH_CELL_ENTRY(faulty_main)
{
	const struct bh_info *info = bh_info();
	struct faulty_pick p = this_start();
	uint32_t cond = info->start_condition;
	int stalled = 0;

	printf("faulty: start %u (%s), fault=%s after=%u, data %s, heap %s, persistent %s\n",
	       info->restarts, cond < 4 ? conditions[cond] : "unknown", faulty_mode_name(p.mode),
	       p.after, sentinel == SENTINEL && smash_area[0] == 0 ? "fresh" : "NOT RELOADED",
	       heap_clean() ? "zeroed" : "NOT ZEROED", persistent_state());
	if (sentinel != SENTINEL || smash_area[0] != 0 || !heap_clean())
		fprintf(stderr, "faulty: memory not restored at start %u\n", info->restarts);
	if (p.mode == FAULTY_MODES) {
		fprintf(stderr, "faulty: unknown fault=%s, behaving\n", bh_arg("fault"));
		p.mode = FAULTY_NONE;
	}
	if (bh_arg("irq"))
		faulty_irq_phase(one_period);
	if (p.mode == FAULTY_RESTART_LOOP || p.mode >= FAULTY_NULL) {
		printf("faulty: about to fault (%s)\n", faulty_mode_name(p.mode));
		fault_at_once(p.mode);
		p.mode = FAULTY_NONE; /* let through (said at warn): behave from now on */
	}

	int64_t release = bh_time_ns();

	for (uint32_t n = 0;; n++) {
		if (p.mode != FAULTY_NONE && n == p.after) {
			printf("faulty: period %u: fault=%s now\n", n, faulty_mode_name(p.mode));
			switch (p.mode) {
			case FAULTY_HANG:
				for (;;)
					__atomic_fetch_add(&spins, 1, __ATOMIC_RELAXED);
			case FAULTY_STALL:
				stalled = 1;
				break;
			case FAULTY_OVERRUN:
				overrun(release);
				break;
			case FAULTY_NO_HEARTBEAT:
				__atomic_store_n(&silence, 1, __ATOMIC_RELAXED);
				break;
			case FAULTY_APP_ERROR: {
				static const char msg[] = "faulty: injected application error";

				(void)bh_raise_error(APP_ERROR_CODE, msg, sizeof(msg) - 1);
				break;
			}
			default:
				fault_at_once(p.mode);
				break;
			}
		}
		if (!stalled)
			bh_progress();
		printf("faulty: period %u ok\n", n);
		release = wait_period();
	}
}

/* The watchdog cell: the runtime's, but for fault=no-heartbeat, which beats each period
 * until the driver says stop, then only waits. */
BH_CELL_ENTRY(faulty_watchdog)
{
	if (this_start().mode != FAULTY_NO_HEARTBEAT)
		watchdog_main();
	for (;;) {
		if (!__atomic_load_n(&silence, __ATOMIC_RELAXED))
			(void)bh_heartbeat();
		(void)wait_period();
	}
}
