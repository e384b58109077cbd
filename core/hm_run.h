/*
 * The health monitor in the running kernel (docs/health.md): the one instance of
 * core/hm.c's state for the loaded plan, and the glue between what the kernel detects
 * and what the pure core decides. It logs one `hm` event per detection and one
 * `hm_stats` per partition at shutdown; the mechanism (stopping, restarting cells and
 * partitions) is the caller's (core/run.c), which does what a decision says.
 *
 * Concurrency: as core/hm.h: a partition's record is touched only by the CPU the plan
 * places it on; hm_run_shutdown reads them after the partitions stop running.
 */
#ifndef BULKHEAD_CORE_HM_RUN_H
#define BULKHEAD_CORE_HM_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include "core/hm.h"
#include "core/lib/compiler.h"
#include "dt/plan.h"

/* The class of an exception taken from EL0, from its ESR exception class (EC):
 * aborts and alignment faults are memory violations; an undefined instruction, an
 * illegal execution state and instructions trapped because the ABI forbids them at
 * EL0 (SVC aside: HVC, SMC, MSR/MRS, WFI/WFE) are illegal instructions; the rest is
 * `fault`. Pure. */
enum plan_hm_class hm_run_class_of_ec(uint32_t ec);

/* Boot CPU, after every partition loaded: builds the monitor for plan p (which must
 * outlive it) in mem (hm_mem_bytes(p) bytes, 8-byte aligned, the monitor's from now on)
 * and runs each partition's boot and start-done transitions. False (logged:
 * hm_refused) if the plan's policy is refused or mem is too small. */
bool hm_run_init(const struct plan *p, void *mem, size_t bytes) __must_check;

/* A lifecycle event the kernel drives (boot, start-done, stop). A transition the table
 * refuses is logged (hm_refused, warn) and changes nothing; returns whether it was done. */
bool hm_run_transition(unsigned int part, enum hm_event ev);

/*
 * A detection: class cls in partition part, cell (enum plan_cell_kind, or HM_NO_CELL)
 * at now_ns (ns since boot); detail is the event's short text (or NULL). Logs the `hm`
 * event and returns true with *out the decision the kernel must carry out; false if the
 * monitor refused it (the partition is not in normal: logged as hm_refused), and then
 * the kernel does nothing more.
 */
bool hm_run_detect(unsigned int part, enum plan_hm_class cls, int cell, uint64_t now_ns,
		   const char *detail, struct hm_decision *out) __must_check;

/* The same, without the hm line: for a detection whose cause was not logged either (a
 * syscall violation past the per-frame limit). hm_stats still counts it. */
bool hm_run_detect_unlogged(unsigned int part, enum plan_hm_class cls, int cell, uint64_t now_ns,
			    const char *detail, struct hm_decision *out) __must_check;

/* The state of partition part (HM_STATE_STOPPED if out of range). */
enum hm_state hm_run_state(unsigned int part);

/* The partition's policy (NULL if out of range): heartbeat timeout, wipe sizes. */
const struct hm_policy *hm_run_policy(unsigned int part);

/* GET_PARTITION_STATUS: mode, start condition and restarts of partition part. */
void hm_run_status(unsigned int part, struct bh_partition_status *st);

/* At shutdown: one hm_stats event (info) per partition. */
void hm_run_shutdown(void);

#endif
