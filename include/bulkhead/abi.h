/*
 * The partition ABI: the one contract between the kernel and the programs that run in
 * partitions (EL0). Included by both sides, so it uses no libc: fixed-width types only,
 * and every layout is pinned by _Static_assert (the two sides are compiled separately;
 * a layout that drifts must fail the build, not corrupt a partition).
 *
 * Calls: `svc #0` with the call number in x8 and up to six arguments in x0-x5. The
 * result comes back in x0: >= 0 is success (a value or 0), < 0 is -(enum bh_err).
 * Every other register (x1-x30, SP_EL0, TPIDR_EL0, FP/SIMD) is preserved.
 * docs/syscalls.md lists every call with its arguments, errors and capability.
 *
 * EL0 virtual address layout (the kernel builds it, the runtime relies on it):
 *   [0, BH_IMAGE_VA)               unmapped: null guard (4 MiB)
 *   BH_IMAGE_VA                    program image (ELF PT_LOAD segments, W^X)
 *   [BH_DYN_VA, BH_INFO_VA)        heap and cell stacks (guard pages below each
 *                                  stack); where exactly: the info page says
 *   BH_INFO_VA                     the partition info page, one 4 KiB page, read-only
 *   BH_DEVICE_VA ..                device windows granted by the plan
 *   BH_CHANNEL_VA ..               channel regions, ack and read-count pages
 */
#ifndef BULKHEAD_ABI_H
#define BULKHEAD_ABI_H

#include <stdint.h>

#define BH_ABI_VERSION 1u

/* ---- EL0 virtual address layout ---------------------------------------------- */
#define BH_PAGE_BYTES 4096u
#define BH_IMAGE_VA 0x00400000ull   /* programs are linked here (partitions/lib/program.lds) */
#define BH_DYN_VA 0x10000000ull     /* heap and cell stacks: inside [BH_DYN_VA, BH_DYN_END) */
#define BH_DYN_END 0x3fff0000ull
#define BH_INFO_VA 0x3fff0000ull    /* struct bh_info, read-only */
#define BH_DEVICE_VA 0x40000000ull  /* device windows: device slot i at BH_DEVICE_VA + i * BH_DEVICE_SLOT_BYTES */
#define BH_DEVICE_SLOT_BYTES 0x100000ull /* the most one device's window may take */
#define BH_CHANNEL_VA 0x50000000ull /* channel regions, ack and read-count pages */
#define BH_EL0_VA_END 0x0000008000000000ull /* 39-bit EL0 space: nothing at or above */

/* ---- Calls (number in x8) ------------------------------------------------------
 * X(NAME, number, "name", arguments) -- one list, so the kernel's dispatch table,
 * the runtime's stubs, the log's call names and the docs are kept in step.
 */
#define BH_SYSCALLS(X)                                                                   \
	X(NOP, 0, "nop", "none: does nothing, returns 0 (the null call of benchmarks)")         \
	X(YIELD, 1, "yield", "none: let other ready cells of the same priority run")      \
	X(PRINT, 2, "print", "level, ptr, len: one line of output at a log level")        \
	X(TIME_NS, 3, "time_ns", "none: ns since the schedule epoch (GET_TIME)")          \
	X(PERIODIC_WAIT, 4, "periodic_wait", "none: sleep until the cell's next release")  \
	X(TIMED_WAIT, 5, "timed_wait", "until_ns: sleep until an absolute time")          \
	X(HEARTBEAT, 6, "heartbeat", "none: tell the health monitor the partition lives") \
	X(RAISE_ERROR, 7, "raise_error", "code, ptr, len: report an application error")   \
	X(PARTITION_STATUS, 8, "partition_status", "ptr: copy a struct bh_partition_status") \
	X(CELL_STOP, 9, "cell_stop", "none: the calling cell ends (STOP_SELF)")

enum bh_sys {
#define BH_X_SYS(name, num, str, args) BH_SYS_##name = (num),
	BH_SYSCALLS(BH_X_SYS)
#undef BH_X_SYS
	BH_SYS_COUNT, /* calls below this number are defined */
};

/* Reserved ranges (numbers in them return -BH_E_NOSYS until defined). */
#define BH_SYS_DEVICE_FIRST 0x100u /* device windows, interrupts, DMA: capability-checked */
#define BH_SYS_DEVICE_LAST 0x1ffu
#define BH_SYS_PORT_FIRST 0x200u /* sampling and queuing ports over channels */
#define BH_SYS_PORT_LAST 0x2ffu
#define BH_SYS_MAX 0x2ffu

/* Calls on capabilities, in the reserved ranges (docs/syscalls.md, "Capabilities").
 * The kernel implements the device calls (0x100-0x102); the port calls are defined by
 * the ABI and answer unknown-call until the kernel implements them.
 * X(NAME, number, "name", arguments, right the handle's capability must carry). */
#define BH_CAP_SYSCALLS(X)                                                               \
	X(DEVICE_INFO, 0x100, "device_info", "handle, ptr: copy a struct bh_device_info", "map") \
	X(IRQ_WAIT, 0x101, "irq_wait", "handle, timeout_ns: sleep until the device interrupts", "irq") \
	X(IRQ_ACK, 0x102, "irq_ack", "handle: unmask the device's interrupt again", "irq") \
	X(PORT_INFO, 0x200, "port_info", "handle, ptr: copy a struct bh_port_info", "read or write") \
	X(SAMPLING_READ, 0x201, "sampling_read", "handle, buf, ptr: latest sample, its bh_sample_meta", "read") \
	X(QUEUING_RECV, 0x202, "queuing_recv", "handle, buf, timeout_ns: oldest message", "read") \
	X(QUEUING_WAIT_ROOM, 0x203, "queuing_wait_room", "handle, timeout_ns: until a slot is free", "write") \
	X(PORT_SIGNAL, 0x204, "port_signal", "handle: wake a destination waiting in queuing_recv", "write")

enum bh_cap_sys {
#define BH_X_CSYS(name, num, str, args, right) BH_SYS_##name = (num),
	BH_CAP_SYSCALLS(BH_X_CSYS)
#undef BH_X_CSYS
};

/* ---- Errors (x0 = -code) ------------------------------------------------------- */
#define BH_ERRORS(X)                                                                   \
	X(PERM, 1, "not-permitted", "the caller lacks the capability for this call")      \
	X(NOSYS, 2, "unknown-call", "no call has this number")                            \
	X(FAULT, 3, "bad-address", "a pointer range is not mapped as the call needs")     \
	X(INVAL, 4, "invalid-argument", "an argument is out of its range")                \
	X(TOOBIG, 5, "too-long", "a length is above the call's maximum")                  \
	X(MODE, 6, "invalid-mode", "not allowed in the caller's mode (e.g. aperiodic cell)") \
	X(HANDLE, 7, "bad-handle", "a capability handle names nothing the caller holds")  \
	X(AGAIN, 8, "not-available", "nothing to read or no room now; try later")         \
	X(TIMEOUT, 9, "timed-out", "the wait ended at its time limit")                    \
	X(NOTIMPL, 10, "not-implemented", "defined by the ABI, not implemented by this kernel")

enum bh_err {
	BH_OK = 0,
#define BH_X_ERR(name, num, str, what) BH_E_##name = (num),
	BH_ERRORS(BH_X_ERR)
#undef BH_X_ERR
	BH_E_COUNT,
};

/* ---- Print levels (the kernel's log levels; what a partition may ask for) ------ */
enum bh_level {
	BH_LEVEL_ERROR = 0,
	BH_LEVEL_WARN = 1,
	BH_LEVEL_INFO = 2,
	BH_LEVEL_DEBUG = 3,
	BH_LEVELS,
};
#define BH_PRINT_MAX 256u /* bytes per print or raise_error message */

/* ---- Capabilities (for the device and port calls) ------------------------------- */
typedef uint32_t bh_cap_t;
#define BH_CAP_INVALID ((bh_cap_t)0)

/* What device_info copies out: where the device's registers are mapped. */
struct bh_device_info {
	uint64_t va;         /* in BH_DEVICE_VA.., Device memory, never executable */
	uint64_t bytes;
	uint32_t n_irq;
	uint32_t irq[4];     /* interrupt IDs, for logs; calls name the handle */
	uint32_t reserved;
};

/* What port_info copies out. */
#define BH_PORT_SAMPLING 0u
#define BH_PORT_QUEUING 1u
struct bh_port_info {
	uint32_t kind;          /* BH_PORT_* */
	uint32_t message_bytes;
	uint32_t depth;         /* queuing; 1 for sampling */
	uint32_t send;          /* 1: this partition is the source */
	uint64_t refresh_ns;    /* sampling */
	uint64_t region_va;     /* the channel region: the source's (RW); a sampling
				   destination's (RO); 0 for a queuing destination */
	uint64_t ack_va;        /* queuing source: the kernel's read index (RO); sampling
				   destination: its struct bh_read_counts (RW) */
	uint32_t region_bytes;
	uint32_t reserved;
};

/* What sampling_read writes beside the message. */
struct bh_sample_meta {
	uint64_t age_ns;  /* now - the source's stamp (0 for a stamp in the future) */
	uint32_t valid;   /* 1 while age_ns <= refresh */
	uint32_t len;
};

/* A sampling destination's read counts (port_info's ack_va for it, a page of its own):
 * the runtime reads the region itself and counts each read here; the kernel adds them
 * to channel_stats at shutdown (the destination's word about its own reads). The
 * kernel keeps the same counts for the reads it makes (sampling_read, queuing_recv). */
struct bh_read_counts {
	uint64_t received;       /* reads that returned a message */
	uint64_t stale_reads;    /* of them, sampling reads with valid = 0 */
	uint64_t empty_refusals; /* reads that found nothing (sampling: never written) */
	uint64_t busy;           /* sampling reads refused: the source wrote on every try */
	uint64_t corrupt;        /* reads refused: metadata outside the plan */
};

/* The channel region a source writes (docs/channels.md): byte offsets. */
#define BH_PORT_HDR_BYTES 16u      /* sampling: seq, len, stamp; queuing: write_idx, full count */
#define BH_PORT_SLOT_HDR_BYTES 8u  /* queuing slot: mark, len; data follows */

/* ---- Partition modes (ARINC 653 OPERATING_MODE and START_CONDITION) ------------- */
enum bh_mode {
	BH_MODE_IDLE = 0,       /* not running (stopped, or not yet started) */
	BH_MODE_COLD_START = 1, /* starting, memory freshly loaded */
	BH_MODE_WARM_START = 2, /* restarting, memory kept */
	BH_MODE_NORMAL = 3,     /* cells scheduled */
};

enum bh_start_condition {
	BH_START_NORMAL = 0,          /* first start after boot */
	BH_START_PARTITION_RESTART = 1, /* the partition asked for it */
	BH_START_HM_MODULE_RESTART = 2, /* the health monitor restarted the whole system */
	BH_START_HM_PARTITION_RESTART = 3, /* the health monitor restarted this partition */
};

/* ---- The partition info page (BH_INFO_VA, read-only) ---------------------------- */
#define BH_INFO_MAGIC 0x31304f464e494842ull /* "BHINFO01" as little-endian bytes */
#define BH_NAME_MAX 24u       /* names with their NUL (the plan's limit) */
#define BH_INFO_MAX_CELLS 8u
#define BH_INFO_MAX_ARGS 16u  /* the plan's args: count */
#define BH_ARG_MAX 128u       /* one arg with its NUL */
#define BH_ARGS_BYTES 1024u   /* all args, each with its NUL */

#define BH_CELL_PERIODIC 0x1u /* bh_cell_desc.flags */

struct bh_cell_desc {
	char name[BH_NAME_MAX];  /* the plan's cell node: "driver", "watchdog" */
	char entry[BH_NAME_MAX]; /* the entry symbol */
	uint32_t priority;       /* 1..255, higher runs first */
	uint32_t flags;          /* BH_CELL_* */
	uint64_t period_ns;      /* 0 for an aperiodic cell */
	uint64_t deadline_ns;
	uint64_t wcet_ns;
	uint64_t stack_base;     /* VA of the lowest stack byte (a guard page lies below) */
	uint64_t stack_top;      /* VA one past the highest; the cell's initial SP */
};

/* One capability the partition holds, named (bh_info.cap[]): how a program finds the
 * handle of its device or port by name. */
#define BH_CAP_NAME_MAX 32u
#define BH_CAP_KIND_DEVICE 1u
#define BH_CAP_KIND_PORT 2u
#define BH_INFO_MAX_CAPS 32u
struct bh_cap_desc {
	char name[BH_CAP_NAME_MAX]; /* device: the last component of its node path
				     * ("pl031@9010000"); port: the channel's name */
	uint32_t handle;            /* bh_cap_t */
	uint32_t kind;              /* BH_CAP_KIND_* */
};

struct bh_info {
	uint64_t magic;          /* BH_INFO_MAGIC */
	uint32_t abi_version;    /* BH_ABI_VERSION */
	uint32_t size;           /* sizeof(struct bh_info) as the kernel built it */
	char name[BH_NAME_MAX];  /* partition name */
	char image[BH_NAME_MAX]; /* program name */
	uint32_t index;          /* partition index in the plan (ARINC IDENTIFIER) */
	uint32_t cpu;
	uint32_t mode;           /* enum bh_mode when the partition was entered */
	uint32_t start_condition; /* enum bh_start_condition */
	uint32_t restarts;       /* how many times this partition has been restarted */
	uint32_t n_cells;
	uint64_t heap_base;      /* VA; [heap_base, heap_base + heap_bytes) is RW, zeroed at
				  * every start (the persistent region is not part of it) */
	uint64_t heap_bytes;
	/* Time base: bh_time_ns() counts ns from the epoch, the start of the first major
	 * frame, common to all CPUs. */
	uint64_t major_frame_ns;   /* ARINC PERIOD of the partition */
	uint64_t duration_ns;      /* the partition's window time per major frame (DURATION) */
	uint64_t heartbeat_timeout_ns;
	uint64_t wallclock_epoch_s; /* seconds since 1970 at the epoch (RTC), 0 if unknown */
	struct bh_cell_desc cell[BH_INFO_MAX_CELLS];
	uint32_t n_args;
	uint32_t args_bytes;     /* bytes used in args[] */
	char args[BH_ARGS_BYTES]; /* n_args strings, each NUL-terminated, back to back */
	uint32_t n_caps;         /* capabilities in cap[], slot order (at most BH_INFO_MAX_CAPS) */
	uint32_t reserved_caps;
	struct bh_cap_desc cap[BH_INFO_MAX_CAPS];
	/* The persistent region (the plan's persistent-bytes; docs/health.md): RW, right
	 * after the heap. A warm restart keeps its bytes, a cold restart and the first
	 * start zero them. persistent_bytes 0: the partition has none. */
	uint64_t persistent_base;  /* VA */
	uint64_t persistent_bytes;
};

/* What BH_SYS_PARTITION_STATUS copies out (ARINC GET_PARTITION_STATUS). */
struct bh_partition_status {
	uint32_t index;
	uint32_t mode;           /* enum bh_mode now */
	uint32_t start_condition;
	uint32_t restarts;
	uint64_t major_frame_ns; /* PERIOD */
	uint64_t duration_ns;    /* DURATION */
	uint64_t frames;         /* major frames since the epoch */
	uint32_t cpu;
	uint32_t cell;           /* the calling cell's index */
};

/* The registers a cell starts with: pc = the ELF entry (_start), sp = the cell's
 * stack_top, and these; every other register, TPIDR_EL0 and FP/SIMD state are 0. */
#define BH_ENTRY_X0_ENTRY 0 /* x0: VA of the cell's entry function (the plan's entry) */
#define BH_ENTRY_X1_CELL 1  /* x1: the cell's index in bh_info.cell[] */
#define BH_ENTRY_X2_INFO 2  /* x2: BH_INFO_VA */

_Static_assert(sizeof(struct bh_cell_desc) == 96, "bh_cell_desc layout");
_Static_assert(sizeof(struct bh_cap_desc) == 40, "bh_cap_desc layout");
_Static_assert(sizeof(struct bh_info) == 136 + 8 * 96 + 8 + 1024 + 8 + 32 * 40 + 16, "bh_info layout");
_Static_assert(__builtin_offsetof(struct bh_info, persistent_base) == 3224, "bh_info layout");
_Static_assert(__builtin_offsetof(struct bh_info, cap) == 1944, "bh_info layout");
_Static_assert(sizeof(struct bh_info) <= BH_PAGE_BYTES, "bh_info fits its page");
_Static_assert(__builtin_offsetof(struct bh_info, heap_base) == 88, "bh_info layout");
_Static_assert(__builtin_offsetof(struct bh_info, cell) == 136, "bh_info layout");
_Static_assert(sizeof(struct bh_partition_status) == 48, "bh_partition_status layout");
_Static_assert(BH_INFO_MAX_ARGS * 2 <= BH_ARGS_BYTES, "every arg can be at least one byte");
_Static_assert(BH_SYS_COUNT <= BH_SYS_DEVICE_FIRST, "calls below the reserved ranges");
_Static_assert(sizeof(struct bh_device_info) == 40, "bh_device_info layout");
_Static_assert(sizeof(struct bh_port_info) == 48, "bh_port_info layout");
_Static_assert(sizeof(struct bh_sample_meta) == 16, "bh_sample_meta layout");
_Static_assert(sizeof(struct bh_read_counts) == 40, "bh_read_counts layout");
_Static_assert(BH_INFO_VA == BH_DYN_END && BH_INFO_VA + BH_PAGE_BYTES <= BH_DEVICE_VA,
	       "info page between the dynamic area and the devices");

#endif
