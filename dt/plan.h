/*
 * The partition plan: what Bulkhead carves and when each part runs. Written as a
 * device-tree source (schema in docs/plan.md), compiled with dtc, and read by this one
 * parser and validator both in the kernel (at boot, against the real platform) and in
 * the host tool bhplan (before anything boots).
 *
 *   plan_parse()          DTB -> struct plan (structure, types, ranges, names)
 *   plan_check()          rules that need only the plan (schedule, timing, channels...)
 *   plan_check_platform() rules that need the machine (CPUs, RAM, devices, reserved)
 *
 * Each stage adds every problem it finds to a plan_report (it does not stop at the
 * first) and returns PLAN_OK only if it found none. A plan that failed a stage must not
 * be used. After the three stages pass, the plan is immutable.
 */
#ifndef BULKHEAD_DT_PLAN_H
#define BULKHEAD_DT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "core/lib/types.h"
#include "dt/platform.h"
#include "include/bulkhead/abi.h"

#define PLAN_VERSION 1
#define PLAN_COMPATIBLE "bulkhead,plan"

/*
 * Limits (rule plan-limit). The plan's counts size its tables (struct plan_arena); these
 * only bound them. The first three are Kconfig options (the host tools use the defaults).
 */
#ifndef CONFIG_PLAN_MAX_PARTITIONS
#define CONFIG_PLAN_MAX_PARTITIONS 1024
#endif
#ifndef CONFIG_PLAN_MAX_CHANNELS
#define CONFIG_PLAN_MAX_CHANNELS 4096
#endif
#ifndef CONFIG_PLAN_MAX_WINDOWS
#define CONFIG_PLAN_MAX_WINDOWS 1024
#endif
#define PLAN_MAX_PARTITIONS CONFIG_PLAN_MAX_PARTITIONS
#define PLAN_MAX_CHANNELS CONFIG_PLAN_MAX_CHANNELS
#define PLAN_MAX_WINDOWS CONFIG_PLAN_MAX_WINDOWS /* per CPU */
#define PLAN_MAX_CPUS 8
#define PLAN_MAX_DEVICES 8  /* per partition */
#define PLAN_MAX_DESTS 8
#define PLAN_NAME_MAX 24 /* partition, channel, image and entry names, with the NUL */
#define PLAN_PATH_MAX 96 /* node paths, with the NUL */
/* A partition's args (rule partition-args): what its info page can hold. */
#define PLAN_MAX_ARGS BH_INFO_MAX_ARGS /* strings */
#define PLAN_ARG_MAX BH_ARG_MAX         /* bytes of one, with its NUL */
#define PLAN_ARGS_BYTES BH_ARGS_BYTES   /* bytes of all, each with its NUL */

/* Value ranges (rule value-range). Times are microseconds, sizes bytes. */
#define PLAN_MIN_FRAME_US 100u
#define PLAN_MAX_FRAME_US 10000000u /* 10 s */
#define PLAN_PAGE_BYTES 4096u
#define PLAN_MIN_STACK_BYTES 4096u
#define PLAN_MAX_STACK_BYTES (1u << 20)
#define PLAN_MAX_PRIORITY 255u
#define PLAN_MAX_MESSAGE_BYTES 4096u
#define PLAN_MAX_DEPTH 64u
#define PLAN_MAX_RESTARTS 100u
#define PLAN_MAX_RESTART_WINDOW_US 86400000000ull /* one day */

enum plan_err { PLAN_OK = 0, PLAN_INVALID };

/* Every rule has a name (docs/plan.md lists them with what they check). */
enum plan_rule {
	RULE_BLOB,                  /* not a readable device-tree blob */
	RULE_FORMAT,                /* not a plan, or a required node is missing */
	RULE_VERSION,               /* plan-version missing or not one this code reads */
	RULE_PROPERTY,              /* required property missing or malformed */
	RULE_RANGE,                 /* value out of its range */
	RULE_LIMIT,                 /* more entries than the kernel's tables hold */
	RULE_NAME,                  /* a name that is empty, too long or has odd characters */
	RULE_DUPLICATE,             /* two partitions (or channels, or windows) share a name */
	RULE_WINDOW_PARTITION,      /* window names no partition, or an unknown one */
	RULE_WINDOW_OVERLAP,        /* windows on one CPU overlap */
	RULE_WINDOW_FRAME,          /* window ends after the major frame */
	RULE_WINDOW_CPU,            /* window's partition is assigned to another CPU */
	RULE_SCHEDULE_CPU,          /* a CPU scheduled twice, or beyond PLAN_MAX_CPUS */
	RULE_PARTITION_UNSCHEDULED, /* partition has no window on its CPU */
	RULE_CELL_TIMING,           /* wcet <= deadline <= period broken */
	RULE_CELL_UTILISATION,      /* periodic demand above the partition's windows' share */
	RULE_CELL_DEADLINE,         /* a cell's wcet does not fit its windows within its deadline */
	RULE_MEMORY_OVERLAP,        /* fixed partition memory regions overlap */
	RULE_DEVICE_SHARED,         /* one device owned by two partitions */
	RULE_CHANNEL_ENDPOINT,      /* unknown or repeated source/destination */
	RULE_CHANNEL_SIZE,          /* message size or depth zero or too large */
	RULE_ARGS,                  /* args: too many, too long, empty or not printable */
	RULE_IMAGE_UNKNOWN,         /* image names no program that is built */
	RULE_NODE_DUPLICATE,        /* two nodes for one role (driver@0 + driver@1, two schedules) */
	RULE_IMAGE_DIGEST,          /* image-sha256 differs from the built program's digest */
	/* Platform rules (need the machine's device tree). */
	RULE_CPU_MISSING,           /* partition or schedule names a CPU the machine lacks */
	RULE_MEMORY_RAM,            /* fixed region not inside RAM */
	RULE_MEMORY_RESERVED,       /* overlaps the kernel, the DTB, the initrd or reserved memory */
	RULE_MEMORY_FIT,            /* the partitions' memory does not fit in free RAM */
	RULE_DEVICE_MISSING,        /* device path not in the platform tree */
	RULE_DEVICE_KERNEL,         /* a device the kernel keeps (console, GIC, timer, PSCI) */
	RULE_DEVICE_NODE,           /* not a device node: root, memory, CPUs, /chosen, ... */
	RULE_DEVICE_AMBIGUOUS,      /* a device named by node name matches several nodes */
	/* Health-monitor rules (plan only; docs/health.md). */
	RULE_HM_ACTION,             /* an action its error class does not allow (e.g. ignore a fault) */
	RULE_HM_RESTART_LIMIT,      /* a class restarts but restart-limit is missing, or the reverse */
	RULE_HM_RESTART_WINDOW,     /* restart-window-us under (restart-limit + 1) major frames */
	RULE_PERSISTENT_MEMORY,     /* persistent-bytes leaves no room for stacks and program */
	RULE_COUNT,
};

const char *plan_rule_name(enum plan_rule r);

#define PLAN_WHAT_MAX 160
#define PLAN_MAX_ERRORS 32

struct plan_error {
	enum plan_rule rule;
	char path[PLAN_PATH_MAX];  /* node in the plan (or in the platform tree) */
	char what[PLAN_WHAT_MAX];  /* the values involved */
};

struct plan_report {
	struct plan_error e[PLAN_MAX_ERRORS];
	unsigned int n;
	unsigned int dropped;      /* errors beyond PLAN_MAX_ERRORS */
	struct plan_error overflow; /* where a dropped error is written (never read) */
};

void plan_report_init(struct plan_report *r);
/* "<path>: <what> [<rule>]" into sb. */
void plan_error_format(const struct plan_error *e, struct strbuf *sb);

enum plan_cell_kind { PLAN_CELL_DRIVER, PLAN_CELL_WATCHDOG, PLAN_CELLS };
const char *plan_cell_name(enum plan_cell_kind k); /* the node names: "driver", "watchdog" */

/*
 * Health-monitor error classes and actions (property names and values in the plan;
 * docs/health.md). The classes' order is the order tables show them in.
 */
enum plan_hm_class {
	HM_MEMORY_VIOLATION,   /* "memory-violation": EL0 translation/permission/alignment fault */
	HM_ILLEGAL_INSTRUCTION, /* "illegal-instruction": undefined or forbidden instruction */
	HM_FAULT,              /* "fault": any other EL0 exception */
	HM_SYSCALL_VIOLATION,  /* "syscall-violation": a call refused (unknown, bad argument) */
	HM_DEADLINE_MISS,      /* "deadline-miss": a periodic cell overran its deadline */
	HM_HEARTBEAT_MISS,     /* "heartbeat-miss": no heartbeat within heartbeat-timeout-us */
	HM_APPLICATION_ERROR,  /* "application-error": raised by a cell (raise_error) */
	HM_RESTART_LIMIT,      /* "restart-limit": the restart budget is used up (on-limit) */
	HM_CLASSES,
};
/* Zero is stop, the default of every class: a zeroed policy is all stop. */
enum plan_hm_action {
	HM_ACT_STOP = 0,       /* "stop": the partition stops (ARINC IDLE) */
	HM_ACT_IGNORE,         /* "ignore": log only */
	HM_ACT_RESTART_CELL,   /* "restart-cell": the cell named by the detection restarts */
	HM_ACT_WARM_RESTART,   /* "warm-restart": reload, the persistent region kept */
	HM_ACT_COLD_RESTART,   /* "cold-restart": reload, all memory wiped ("restart") */
	HM_ACT_ESCALATE,       /* "escalate": the partition stops, then the system's action */
	HM_ACTIONS,
};
const char *plan_hm_class_name(enum plan_hm_class c);
const char *plan_hm_action_name(enum plan_hm_action a);
/* Whether the plan may give action a to class c (rule hm-action; docs/health.md). */
bool plan_hm_action_allowed(enum plan_hm_class c, enum plan_hm_action a);
/* The restart actions: they use the restart budget. */
bool plan_hm_action_restarts(enum plan_hm_action a);

/* What `escalate` does to the whole system (root node health-monitor, system-action). */
enum plan_system_action {
	PLAN_SYSTEM_PANIC_POLICY = 0, /* absent: the kernel's panic policy (panic=) */
	PLAN_SYSTEM_RESTART,          /* "restart": reset the machine (Xen: reboot the domain) */
	PLAN_SYSTEM_OFF,              /* "off": power off (Xen: power the domain off) */
	PLAN_SYSTEM_ACTIONS,
};
const char *plan_system_action_name(enum plan_system_action a);

struct plan_cell {
	char entry[PLAN_NAME_MAX];
	uint32_t priority;    /* 1..255, higher runs first */
	uint32_t stack_bytes;
	bool periodic;        /* period-us given */
	uint32_t period_us, deadline_us, wcet_us;
};

struct plan_partition {
	char name[PLAN_NAME_MAX];
	char path[PLAN_PATH_MAX];
	uint32_t cpu;
	uint64_t memory_bytes;
	bool has_base;
	uint64_t memory_base;
	char image[PLAN_NAME_MAX];
	bool has_image_sha256;      /* image-sha256 given */
	uint8_t image_sha256[32];
	char devices[PLAN_MAX_DEVICES][PLAN_PATH_MAX];
	unsigned int n_devices;
	uint32_t heartbeat_timeout_us;
	char args[PLAN_ARGS_BYTES]; /* n_args strings, each with its NUL, back to back */
	unsigned int n_args;
	unsigned int args_bytes;    /* bytes used in args[] */
	struct plan_cell cell[PLAN_CELLS];
	/* Bytes at the top of the memory that a warm restart keeps (0: none). */
	uint64_t persistent_bytes;
	struct {
		/* Resolved: defaults applied. [HM_RESTART_LIMIT] is on-limit. */
		enum plan_hm_action action[HM_CLASSES];
		uint32_t restart_limit;      /* restarts allowed in the window; 0 if none */
		uint64_t restart_window_us;  /* the budget's sliding window; 0: since boot */
	} hm;
};

struct plan_window {
	char partition[PLAN_NAME_MAX];
	char path[PLAN_PATH_MAX];
	uint32_t offset_us, duration_us;
};

struct plan_cpu {
	uint32_t cpu;
	char path[PLAN_PATH_MAX];
	struct plan_window *w; /* n of them (the arena), in offset order after plan_check */
	unsigned int n;
};

enum plan_channel_kind { CHANNEL_SAMPLING, CHANNEL_QUEUING };

struct plan_channel {
	char name[PLAN_NAME_MAX];
	char path[PLAN_PATH_MAX];
	enum plan_channel_kind kind;
	char source[PLAN_NAME_MAX];
	char dest[PLAN_MAX_DESTS][PLAN_NAME_MAX];
	unsigned int n_dest;
	uint32_t message_bytes;
	uint32_t refresh_us; /* sampling */
	uint32_t depth;      /* queuing */
};

/*
 * Working tables the checks need, sized by the plan's counts like the rest: the sorted
 * indexes of plan_check (entries are indexes into the plan's tables; devices:
 * partition << 8 | device), the platform check's device nodes and memory placement.
 * Written by the checks only; nothing else may rely on them.
 */
struct plan_index {
	uint32_t *part_by_name;  /* n_part */
	uint32_t *chan_by_name;  /* n_chan */
	uint32_t *part_by_base;  /* n_part */
	uint32_t *dev_by_path;   /* n_part * PLAN_MAX_DEVICES */
	uint32_t *win_by_offset; /* the most windows on one CPU */
	int32_t *dev_node;       /* n_part * PLAN_MAX_DEVICES */
	struct pa_range *placed; /* n_part: what plan_memory_map.part points to */
};

struct plan {
	uint32_t version;
	uint32_t major_frame_us;
	struct plan_partition *part; /* n_part of them (the arena) */
	unsigned int n_part;
	struct plan_cpu sched[PLAN_MAX_CPUS];
	unsigned int n_sched;
	struct plan_channel *chan;   /* n_chan of them (the arena) */
	unsigned int n_chan;
	enum plan_system_action system_action; /* /health-monitor: what escalate does */
	struct plan_index idx;
};

/*
 * Memory for a plan's tables: the caller's (the kernel: free RAM, plan_tables_ram; the host: malloc).
 * plan_parse carves every table from it, sized by the plan's counts, and refuses a plan
 * whose tables do not fit (rule plan-limit, with both sizes). The plan lives as long as
 * the arena's memory.
 */
struct plan_arena {
	void *base; /* aligned to 16 */
	size_t size;
	size_t used;
};

/* What a plan's tables take, from its counts (plan_tables_bytes). */
struct plan_counts {
	uint32_t partitions, channels;
	uint32_t windows;        /* on all CPUs */
	uint32_t most_windows;   /* on one CPU */
};
size_t plan_tables_bytes(const struct plan_counts *k);

/*
 * The counting pass: the bytes plan_parse will take from its arena for this blob (the
 * counts bounded by the limits), or 0 if it is not a readable plan blob (plan_parse then
 * says why, with any arena). k (may be NULL) receives the counts.
 */
size_t plan_arena_bytes(const void *fdt, size_t bufsize, struct plan_counts *k);

/* bufsize: bytes readable at fdt. *out is complete only on PLAN_OK; its tables are in
 * arena (arena->used grows by plan_arena_bytes()). */
enum plan_err plan_parse(const void *fdt, size_t bufsize, struct plan *out,
			 struct plan_arena *arena, struct plan_report *rep) __must_check;

/*
 * Rules on the plan alone. programs (n_programs of them) are the images that exist;
 * NULL skips rule image-unknown. Sorts each CPU's windows by offset.
 */
enum plan_err plan_check(struct plan *p, const char *const *programs, unsigned int n_programs,
			 struct plan_report *rep) __must_check;

/* What the platform rules need to know about the machine and what is already in RAM. */
struct plan_env {
	const void *fdt;               /* the platform device tree */
	const struct platform *plat;   /* parsed from it */
	struct pa_range kernel;        /* the kernel image in RAM */
	struct pa_range dtb;           /* the platform DTB in RAM (size 0: not in RAM) */
	struct pa_range tables;        /* the kernel's plan tables in RAM (size 0: none) */
};

/*
 * Where the kernel puts a plan's tables before it parses the plan: the top bytes
 * (rounded up to whole pages) of the largest block of RAM that holds nothing yet (the
 * kernel image, the DTB, the initrd and reserved memory left out; env->tables is
 * ignored). On false that block is too small and *out is all of it (size 0: no free
 * RAM). The platform rules then treat env->tables as taken, like the kernel image.
 */
bool plan_tables_ram(const struct plan_env *env, uint64_t bytes, struct pa_range *out);

/* Where each partition's memory goes: fixed bases as given, the others placed
 * (part[n_part], in the plan's arena). */
struct plan_memory_map {
	struct pa_range *part;
	struct pa_range channels; /* plan_channel_bytes(p), placed after the partitions */
	struct pa_range free;     /* the largest block of RAM left free after both (the kernel
				   * takes its run-time tables from it) */
};

/*
 * RAM the channels need (docs/channels.md, "Memory"): per channel its region rounded up
 * to whole pages (sampling: 16 + data; queuing: 16 + depth * (8 + data), data being
 * message-bytes rounded up to 8), plus one ack page for a queuing channel, or one
 * read-count page per destination of a sampling channel. 0 for none.
 */
uint64_t plan_channel_bytes(const struct plan *p);
/* One channel's part of it. */
uint64_t plan_channel_region_bytes(const struct plan_channel *c);
/* What channel c maps into partition part's space (back to back from BH_CHANNEL_VA,
 * in channel order): its source gets the region and a queuing channel's ack page, a
 * sampling channel's destination the region and its read-count page; 0 for others. */
uint64_t plan_channel_mapped_bytes(const struct plan_channel *c, const char *part);

/*
 * The kernel's own state for the channels and capabilities, in the same block after the
 * regions (never mapped to a partition), per item; core/channels.c checks at build time
 * that its structures fit. Included in plan_channel_bytes, rounded up to a page.
 */
#define PLAN_CHANNEL_STATE_BYTES 1024u /* per channel */
#define PLAN_CAP_STATE_BYTES 64u       /* per capability slot: a device or a port end; the
					* slots are the partitions' capability tables */
#define PLAN_PART_STATE_BYTES 128u     /* per partition: its cells' port waits */
uint64_t plan_channel_state_bytes(const struct plan *p);
/* Every partition's capability slots together: a device or a port end each. */
uint64_t plan_cap_slots(const struct plan *p);

/* Rules against the platform; on PLAN_OK *map says where every partition's memory is. */
enum plan_err plan_check_platform(const struct plan *p, const struct plan_env *env,
				  struct plan_memory_map *map, struct plan_report *rep) __must_check;

/* What the image table says of one program (rule image-digest). */
struct plan_image_digest {
	const char *name;
	const uint8_t *sha256; /* 32 bytes */
};

/*
 * Rule image-digest: every partition that gives image-sha256 names a program of
 * images[] (n of them) whose digest is that one. A program missing from images[] is
 * left to rule image-unknown. Run after plan_check.
 */
enum plan_err plan_check_digests(const struct plan *p, const struct plan_image_digest *images,
				 unsigned int n, struct plan_report *rep) __must_check;

/* Index of the partition with this name, or -1. */
int plan_find_partition(const struct plan *p, const char *name);

/* Time a partition gets per major frame on its CPU (sum of its windows), in us. */
uint64_t plan_partition_supply_us(const struct plan *p, unsigned int part);

/*
 * Least time the partition is guaranteed in any interval of t_us, over every phase
 * of the cyclic schedule (its supply bound function).
 */
uint64_t plan_supply_bound_us(const struct plan *p, unsigned int part, uint64_t t_us);

#endif
