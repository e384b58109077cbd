/*
 * The window fast path: a timer interrupt from EL0 that starts the next window of the
 * CPU's major frame, carried out by the lower-EL IRQ vector itself (hal/aarch64/
 * entry.S, el0_irq_entry) from tables the kernel keeps, without a call into C; and two
 * steps inside a window, carried out the same way: a release and a device's wake-up.
 *
 * The kernel decides everything: it names, per partition, the context the window
 * resumes, its TTBR0 value and until when that holds (or nothing: decide in C), and a
 * limit for the whole CPU (its other timer events). The vector only follows the frame:
 * at the end of the current slot it takes the next slot of the table; when that slot
 * belongs to a partition with an entry, and the interrupt came before both limits and
 * before the slot ends, it switches to the entry's context and arms the timer for the
 * earliest of the slot's end and the two limits. Anything else (another interrupt, an
 * idle gap, a partition without an entry, a late interrupt) goes to the kernel's upcall
 * as before, with the interrupt already acknowledged (kernel_el0_irq_acked).
 *
 * The release step: the timer's interrupt inside the current slot, at or after its
 * partition's until (which is then its scheduler's due time), before the entry's
 * rel_limit and the CPU's limit, when the kernel gave the entry a rel_ctx: the vector
 * switches to it and arms the timer for the earliest of the slot's end, rel_next and
 * the limit. At the start of a window that follows one of the same partition
 * (window_part), a release due there starts the window with rel_ctx.
 *
 * The wake-up step: a device interrupt inside the current slot, before the partition's
 * until and the CPU's limit, that is the entry's irq_intid: the vector masks the line
 * at the distributor, writes irq_wait's result (0) into irq_ctx's x0, ends the
 * interrupt and switches to it (the timer stays as it is).
 *
 * One step between two entries into the kernel: a step notes its time and what it
 * acknowledged (step_now, step_intid: the timer's INTID for a release, an SPI for a
 * wake-up, the wake-up SGI for the idle loop's step) and sets the limit to 0; the kernel, at its next entry, catches up with the
 * windows the vector started before it, then makes the step's decision itself at
 * step_now, writes the partition's entry and sets the limit again.
 *
 * Times are ns since boot (the kernel's own unit); the counter converts exactly
 * (ns_per_tick whole), which the kernel checks before it enables the path. With the
 * same conversion the synchronous vector answers time_ns itself (el0_time_call: now
 * less the epoch, what the C path returns).
 *
 * The synchronous vector also answers port_signal (el0_signal_call) from a table the
 * kernel writes once, when the partitions' capabilities are built: per capability slot
 * of every partition, for the source's port of a queuing channel, the handle issued for
 * it and what the kernel's own notification reads and writes (the destination's
 * waiting word, the channel's signalled word, the destination CPU's window_part and its
 * SGI register value). The vector does what the kernel does (port_notify_take, then the
 * wake-up SGI if the destination holds its CPU, then YIELD); any other handle, or a CPU
 * without a struct fastwin, goes to C.
 *
 * The idle loop's wake-up step (core/run.c) is the kernel's own, in C: a CPU idle in a
 * window carries out a channel receive it foresaw at the wake-up SGI and notes the step
 * here (step_now, step_intid, limit 0) like the vector's, so the same catch-up follows.
 */
#ifndef BULKHEAD_HAL_FASTWIN_H
#define BULKHEAD_HAL_FASTWIN_H

/* struct fastwin: offsets shared with the vector. */
#define FW_INTID 0       /* the timer's interrupt (GIC INTID) */
#define FW_BOOT 8        /* counter at boot: ns = (ticks - boot) * ns_per_tick */
#define FW_NPT 16        /* ns per counter tick */
#define FW_LIMIT 24      /* window starts only while now < limit: the CPU's other timer events */
#define FW_SLOT_END 32   /* end of the current slot: the next window's planned start */
#define FW_CUR 40        /* the current slot (struct fastwin_slot *) */
#define FW_BASE 48       /* start of the current frame */
#define FW_ENTRIES 56    /* struct fastwin_entry *, indexed by the slot's partition */
#define FW_CEIL 64       /* boot * ns_per_tick + ns_per_tick - 1: ns to ticks, rounded up */
#define FW_LATE_SUM 72   /* lateness of the windows the vector started, since cleared */
#define FW_LATE_MAX 80
#define FW_LATE_MIN 88
#define FW_NOW 96        /* now at the last window the vector started */
#define FW_BENCH 104     /* CONFIG_BENCH: struct el0_bench of the vector's passes */
#define FW_WINDOW_PART 136 /* whose window the CPU is in: a hint to other CPUs, and to
			    * el0_signal_call the running cell's partition (every change of
			    * the running context sets it first: run_set_window, the vector) */
#define FW_STEP_NOW 144  /* now at the step the vector took (0: none since the kernel caught up) */
#define FW_STEP_INTID 152 /* ... what it acknowledged: the timer's INTID (a release step),
			   * an SPI (a wake-up step) or the wake-up SGI (the idle loop's step,
			   * core/run.c, which notes itself here the same way) */
#define FW_GICD_ICENABLER 160 /* the distributor's first GICD_ICENABLER (kernel VA) */
#define FW_REL_BENCH 168 /* CONFIG_BENCH: struct el0_bench of the vector's release steps, */
#define FW_IRQ_BENCH 200 /* ... of its wake-up steps */
#define FW_EPOCH 232     /* the schedule's epoch: time_ns = now - epoch (el0_time_call) */
#define FW_SIG_INDEX 240 /* per partition: its first signal and how many (el0_signal_call) */
#define FW_SIGS 248      /* struct fastwin_sig *: every partition's, by capability slot */
#define FW_SIGNALS 256   /* wake-up SGIs el0_signal_call sent */
#define FW_SIZE 264
#define FW_SYS_TIME_NS 3 /* the calls the synchronous vector answers itself (BH_SYS_TIME_NS, */
#define FW_SYS_PORT_SIGNAL 0x204 /* ... BH_SYS_PORT_SIGNAL) */

#define FW_SIG_HANDLE 0  /* struct fastwin_sig */
#define FW_SIG_WAITING 8
#define FW_SIG_SIGNALLED 16
#define FW_SIG_WINDOW_PART 24
#define FW_SIG_PART 32
#define FW_SIG_SGI 40
#define FW_SIG_SHIFT 6

#define FW_SLOT_END_NS 8 /* struct fastwin_slot */
#define FW_SLOT_PART 16
#define FW_SLOT_NEXT 24
#define FW_SLOT_SIZE 40
#define FW_ENTRY_UNTIL 16 /* struct fastwin_entry */
#define FW_ENTRY_REL_LIMIT 24
#define FW_ENTRY_REL 32
#define FW_ENTRY_IRQ 48
#define FW_ENTRY_SHIFT 6

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "hal/el0.h"

/* A slot of the frame, as the scheduler's table has it (the kernel's sched_slot). */
struct fastwin_slot {
	uint64_t start_ns, end_ns; /* offsets in the frame, [start, end) */
	int32_t part;              /* < 0: an idle gap (entries[-1] is always empty) */
	const struct fastwin_slot *next; /* the slot after it (the first after the last) */
	uint64_t advance_ns;       /* how much later next's frame starts (0, or the frame) */
};

/* What a partition's window start does on the fast path: nothing if ctx is NULL or
 * now is not before until. */
struct fastwin_entry {
	struct el0_ctx *ctx; /* the context its window resumes */
	uint64_t ttbr;       /* TTBR0_EL1: its table and its ASID on this CPU */
	uint64_t until;      /* its choice holds and its health monitor need not look */
	/* The release step: NULL, or the context the partition's decision at until (its
	 * scheduler's due time, a release and nothing else) chooses, valid from until up to
	 * rel_limit: rel_next (its next event after that decision), or its health monitor's
	 * limit if that comes first (a window start after it is the monitor's to look at). */
	uint64_t rel_limit;
	struct el0_ctx *rel_ctx;
	uint64_t rel_next;
	/* The wake-up step: 0, or the device interrupt (an SPI) a cell of the partition
	 * waits for in irq_wait, and that cell's context, which a wake-up before until (and
	 * the slot's end) would run at once, the timer kept. */
	uint64_t irq_intid;
	struct el0_ctx *irq_ctx;
};

/* What port_signal does for one capability slot (el0_signal_call); a handle whose slot
 * bits are not the slot's (~slot): nothing, the call goes to C. */
struct fastwin_sig {
	uint64_t handle;             /* the handle issued for the slot (whole x0) */
	uint32_t *waiting;           /* the destination's ack word's waiting (set: notify) */
	uint32_t *signalled;         /* the channel's one-notification-per-wait word */
	const int64_t *window_part;  /* the destination CPU's struct fastwin window_part;
					NULL: no SGI (the same CPU: its next window looks) */
	int64_t part;                /* the destination partition */
	uint64_t sgi;                /* ICC_SGI1R_EL1's value that sends the wake-up SGI */
	uint64_t reserved[2];
};

struct fastwin {
	uint64_t intid, boot, ns_per_tick, limit;
	uint64_t slot_end;
	const struct fastwin_slot *cur;
	uint64_t base;
	struct fastwin_entry *entries;
	uint64_t ceil;
	uint64_t late_sum, late_max, late_min, now;
	struct el0_bench bench;
	int64_t window_part; /* the slot's partition at each window start, the vector's too:
			      * read by other CPUs (a hint) and by el0_signal_call (the running
			      * cell's partition) */
	uint64_t step_now, step_intid;
	uint64_t gicd_icenabler; /* an SPI's line masks with 1 << (intid % 32) at + 4 * (intid / 32) */
	struct el0_bench rel_bench, irq_bench;
	uint64_t epoch;
	const uint64_t *sig_index;     /* per partition: first << 32 | count (NULL: none) */
	const struct fastwin_sig *sigs;
	uint64_t signals;              /* wake-up SGIs el0_signal_call sent */
};

/*
 * Let this CPU's IRQ vector start windows from f (NULL: never, every interrupt goes to
 * kernel_el0_irq). f stays the caller's; the vectors read and write it with IRQs
 * masked, on this CPU only (other CPUs only read window_part, el0_signal_call of
 * theirs included). Only with a GICv3 CPU interface (system registers).
 */
void fastwin_enable(struct fastwin *f);

/* No window started by the vector since (the kernel caught up with them): late_min is
 * UINT64_MAX exactly while there is none. */
static inline void fastwin_clear_stats(struct fastwin *f)
{
	f->late_sum = 0;
	f->late_max = 0;
	f->late_min = UINT64_MAX;
}
#endif

#endif
