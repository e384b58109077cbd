/*
 * The health monitor's pure core (docs/health.md): per partition, the action table the
 * plan resolves, the lifecycle as a transition table, the restart budget and the
 * detection counters. No clock, no log, no memory of its own: the kernel passes the
 * time (ns, monotonic), the memory (sized by hm_mem_bytes from the plan's counts) and
 * does what a decision says; the host tests drive it directly.
 *
 *   hm_mem_bytes()  bytes hm_build needs for this plan
 *   hm_build()      decodes every partition's policy from a checked plan into caller
 *                   memory (immutable afterwards) and puts every partition in idle
 *   hm_transition() a lifecycle event the kernel drives: boot, start-done, stop
 *   hm_detect()     an error of some class in a partition: the planned action, the
 *                   budget, the on-limit action, the new state, the `hm` event's record
 *   hm_stats(), hm_status()  counters for `hm_stats`; the ARINC 653 status view
 *
 * Lifecycle (hm_lifecycle is the one table; anything not in it is refused with
 * HM_ERR_TRANSITION and nothing changes):
 *
 *   idle        --boot-->          cold-start
 *   cold-start  --start-done-->    normal        warm-start --start-done--> normal
 *   normal      --detect-->        normal        (an error was detected: hm_detect only)
 *   normal      --restart-cell-->  normal
 *   normal      --restart-warm-->  warm-start
 *   normal      --restart-cold-->  cold-start
 *   cold-start, warm-start, normal --stop--> stopped   (stopped is final)
 *
 * Kernel faults are not a class: an exception taken at EL1 never reaches the health
 * monitor; it fails loud through kernel_fault and kernel_stop (docs/architecture.md).
 *
 * Concurrency: a partition's record is touched only by the CPU its plan places it on
 * (detections, transitions); hm_stats reads it after every CPU has stopped running
 * partitions. Nothing here locks.
 */
#ifndef BULKHEAD_CORE_HM_H
#define BULKHEAD_CORE_HM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "core/log.h"
#include "dt/plan.h"
#include "include/bulkhead/abi.h"

enum hm_err {
	HM_OK = 0,
	HM_ERR_MEMORY,      /* the caller's memory is smaller than hm_mem_bytes or misaligned */
	HM_ERR_POLICY,      /* the plan gives a class an action it does not allow (hm-action) */
	HM_ERR_PARTITION,   /* no partition with this index */
	HM_ERR_ARGUMENT,    /* an event or class hm cannot take here (see each function) */
	HM_ERR_TRANSITION,  /* the lifecycle table has no such transition: refused */
	HM_ERR_TIME,        /* time went backwards (before the partition's last restart) */
	HM_ERR_NO_CELL,     /* restart-cell planned, but the detection names no cell */
	HM_ERR_COUNT,
};
const char *hm_strerror(enum hm_err e);

enum hm_state {
	HM_STATE_IDLE,        /* not started yet */
	HM_STATE_COLD_START,  /* being loaded with its memory wiped (at boot: the first load) */
	HM_STATE_WARM_START,  /* being reloaded, its persistent region kept */
	HM_STATE_NORMAL,      /* its cells run */
	HM_STATE_STOPPED,     /* stopped for good */
	HM_STATES,
};
const char *hm_state_name(enum hm_state s); /* "idle", "cold-start", ... */

enum hm_event {
	HM_EV_BOOT,          /* the kernel starts loading the partition */
	HM_EV_START_DONE,    /* loading (or reloading) finished: its cells may run */
	HM_EV_DETECT,        /* an error was detected (hm_detect) */
	HM_EV_RESTART_CELL,  /* one cell restarts (hm_detect) */
	HM_EV_RESTART_WARM,  /* the partition restarts warm (hm_detect) */
	HM_EV_RESTART_COLD,  /* the partition restarts cold (hm_detect) */
	HM_EV_STOP,          /* the partition stops */
	HM_EVENTS,
};
const char *hm_event_name(enum hm_event e); /* "boot", "start-done", ... */

/* The lifecycle table: where ev leads from `from`. HM_ERR_TRANSITION (and *to
 * untouched) if the table has no such transition. Pure. */
enum hm_err hm_lifecycle(enum hm_state from, enum hm_event ev, enum hm_state *to) __must_check;

/* ARINC 653 OPERATING_MODE of a state: stopped and idle are both IDLE. */
enum bh_mode hm_mode(enum hm_state s);

/* One partition's policy, decoded from the plan. Read-only after hm_build. */
struct hm_policy {
	const char *name;                       /* the plan's (it outlives the kernel) */
	enum plan_hm_action action[HM_CLASSES]; /* [HM_RESTART_LIMIT]: on-limit */
	uint32_t restart_limit;                 /* restarts within the window; 0: none */
	uint64_t restart_window_ns;             /* 0: since boot */
	uint64_t memory_bytes;
	uint64_t persistent_bytes;              /* the top of memory_bytes */
	uint64_t heartbeat_timeout_ns;
};

/* One partition's state (opaque to callers; read it with hm_stats / hm_status). */
struct hm_part {
	enum hm_state state;
	enum bh_start_condition start_condition;
	uint32_t restarts;       /* warm and cold restarts since boot */
	uint32_t cell_restarts;  /* restart-cell since boot */
	uint32_t refused;        /* transitions and detections refused */
	uint32_t detections[HM_CLASSES];
	uint64_t *ring;          /* the last restart_limit restart times (ns) */
	uint32_t ring_next;      /* where the next restart time goes */
	uint32_t ring_used;      /* times recorded, at most restart_limit */
};

struct hm {
	const struct hm_policy *policy; /* n_part of them */
	struct hm_part *part;           /* n_part of them */
	unsigned int n_part;
	enum plan_system_action system; /* what escalate does */
};

/* Bytes hm_build needs for p: its partitions and their restart-limits, nothing fixed. */
size_t hm_mem_bytes(const struct plan *p);

/*
 * p: a plan that passed plan_parse and plan_check (it must outlive hm). mem: at least
 * hm_mem_bytes(p) bytes, 8-byte aligned, owned by hm from now on. Every partition
 * starts idle. HM_ERR_POLICY if a class has an action it does not allow (the validator
 * refuses such a plan first: this is the kernel's own check of its input).
 */
enum hm_err hm_build(struct hm *hm, const struct plan *p, void *mem, size_t bytes) __must_check;

/*
 * A lifecycle event the kernel drives: HM_EV_BOOT, HM_EV_START_DONE or HM_EV_STOP
 * (the others come from hm_detect only, so the budget always applies:
 * HM_ERR_ARGUMENT). A transition not in the table is HM_ERR_TRANSITION: counted as
 * refused, nothing else changes. boot sets the start condition NORMAL_START.
 */
enum hm_err hm_transition(struct hm *hm, unsigned int part, enum hm_event ev) __must_check;

#define HM_NO_CELL (-1)

/* What the kernel knows about a detection. */
struct hm_detail {
	int cell;           /* the plan's cell index (enum plan_cell_kind), or HM_NO_CELL */
	const char *detail; /* short text for the event (e.g. "esr=0x92000046"), or NULL */
};

/* What the kernel must do, and the record of the `hm` event (docs/log-events.md). */
struct hm_decision {
	const char *partition;
	enum plan_hm_class cls;         /* the class detected */
	int cell;                       /* from the detail */
	const char *detail;             /* from the detail ("" for NULL) */
	enum plan_hm_action planned;    /* the plan's action for the class */
	enum plan_hm_action action;     /* taken: planned, or on-limit when limit */
	bool limit;                     /* the budget was used up: on-limit was applied */
	enum hm_state from, state;      /* the partition's state before and after */
	uint32_t restarts;              /* after this decision */
	uint32_t cell_restarts;
	uint32_t window_restarts;       /* restarts the budget holds now, of restart_limit */
	enum plan_system_action system; /* action escalate: what the system does */
};

/*
 * An error of class cls (any but HM_RESTART_LIMIT, which the budget raises) in
 * partition part at now_ns. Only a partition in normal takes detections; otherwise
 * HM_ERR_TRANSITION (refused, counted). A restart action first asks the budget: when
 * restart_limit restarts already lie within the window, the restart-limit class is
 * counted and its action (on-limit: stop or escalate) is taken instead. Escalate stops
 * the partition and names the system's action. On any error *out is untouched and
 * only the refused count may change.
 */
enum hm_err hm_detect(struct hm *hm, unsigned int part, enum plan_hm_class cls, uint64_t now_ns,
		      const struct hm_detail *d, struct hm_decision *out) __must_check;

/* Bytes from the partition's base that a restart wipes and reloads: all of its memory
 * for a cold restart, all but the persistent region (at the top) for a warm one. */
uint64_t hm_wipe_bytes(const struct hm_policy *pol, enum plan_hm_action restart);

/* The `hm` event's fields, in order, into f (HM_EVENT_FIELDS of them); returns the count. */
#define HM_EVENT_FIELDS 11
size_t hm_event_fields(const struct hm_decision *d, struct log_field *f);

/* At shutdown: one partition's counters (the `hm_stats` event). */
struct hm_stats {
	const char *partition;
	enum hm_state state;
	uint32_t restarts, cell_restarts, refused;
	uint32_t detections[HM_CLASSES];
};
enum hm_err hm_stats(const struct hm *hm, unsigned int part, struct hm_stats *out) __must_check;

#define HM_STATS_FIELDS (5 + HM_CLASSES)
size_t hm_stats_fields(const struct hm_stats *s, struct log_field *f);

/* GET_PARTITION_STATUS: sets st->mode, st->start_condition and st->restarts (warm and
 * cold); the caller fills the rest. */
enum hm_err hm_status(const struct hm *hm, unsigned int part,
		      struct bh_partition_status *st) __must_check;

#endif
