/*
 * The C API of a Bulkhead partition program (docs/api.md): time, periodic and timed
 * waits, output, application errors, heartbeats, the partition's status, its cells and
 * its plan args. Built on picolibc: printf, malloc and the string functions work as
 * usual (stdout prints at info level, stderr at warn, one line per call).
 *
 * Cells are threads of one partition that preempt each other by priority: picolibc's
 * malloc is not safe to call from two cells of one partition (allocate from one cell,
 * or at start before waiting). errno and the output line buffer are per cell.
 */
#ifndef BULKHEAD_H
#define BULKHEAD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bulkhead/abi.h>

/* Define a cell entry point the plan names: `BH_CELL_ENTRY(sensors_main) { ... }`.
 * A global function kept by the link (--gc-sections) though nothing calls it. */
#define BH_CELL_ENTRY(name) \
	void name(void);    \
	__attribute__((used, retain, noinline)) void name(void)

/* ---- Time (GET_TIME, PERIODIC_WAIT, TIMED_WAIT) ---- */
/* ns since the epoch: the start of the first major frame, the same on every CPU. */
int64_t bh_time_ns(void);
/* Sleep until the calling periodic cell's next release; returns that release time
 * (ns) or -BH_E_MODE for an aperiodic cell. */
int64_t bh_periodic_wait(void);
/* Sleep until time until_ns (a time in the past returns at once). 0 or -error. */
int bh_timed_wait(int64_t until_ns);
/* Sleep for ns from now. */
int bh_sleep_ns(int64_t ns);
/* Let other ready cells of the same priority run. */
int bh_yield(void);

/* ---- Output (REPORT_APPLICATION_MESSAGE) ---- */
/* One line of len bytes at a level (enum bh_level); longer text is sent in pieces of
 * BH_PRINT_MAX. Returns len or -error. */
int bh_print(enum bh_level level, const char *s, size_t len);
int bh_printf(enum bh_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int bh_vprintf(enum bh_level level, const char *fmt, va_list ap);

/* ---- Health (RAISE_APPLICATION_ERROR, heartbeat) ---- */
int bh_raise_error(uint32_t code, const char *msg, size_t len);
int bh_heartbeat(void);
/* The driver cell tells the runtime's watchdog cell (watchdog_main) it made progress.
 * A program that never calls it is not checked. Once it has, the watchdog expects a
 * call at least once per BH_WATCHDOG_MISSES of its periods: after that many periods
 * without one it stops the heartbeat and raises one application error (RT_ERR_STUCK,
 * 0xb0000003), until progress resumes. */
void bh_progress(void);
#define BH_WATCHDOG_MISSES 2u

/* ---- The partition (GET_PARTITION_STATUS, the info page) ---- */
int bh_partition_status(struct bh_partition_status *out);
/* The read-only info page the kernel maps at BH_INFO_VA. */
const struct bh_info *bh_info(void);
/* The persistent region (the plan's persistent-bytes): kept across a warm restart,
 * zeroed at the first start and by a cold restart (docs/health.md). Its address, and
 * its size in *bytes (may be NULL); NULL (and 0) if the plan gives the partition none. */
void *bh_persistent(size_t *bytes);
/* The calling cell's index in bh_info()->cell[], and any cell's description (NULL
 * past n_cells). */
unsigned int bh_cell_index(void);
const struct bh_cell_desc *bh_cell_info(unsigned int cell);
/* The calling cell ends (ARINC STOP_SELF). Also what returning from an entry does. */
__attribute__((noreturn)) void bh_cell_stop(void);

/* ---- Devices and their interrupts (docs/syscalls.md, "Capabilities") ---- */
/* The handle of the device the plan grants whose node name (before any "@unit") is
 * name, e.g. "pl031"; fills *info (may be NULL) through device_info. BH_CAP_INVALID if
 * the partition holds no such device or device_info fails. */
bh_cap_t bh_device_find(const char *name, struct bh_device_info *info);
int bh_device_info(bh_cap_t dev, struct bh_device_info *out);
/* Sleep until the device interrupts (0), at most timeout_ns (-BH_E_TIMEOUT; 0: only
 * look, UINT64_MAX: no limit). The kernel masks the line when it fires: bh_irq_ack
 * unmasks it, once the device's own interrupt is cleared. */
int bh_irq_wait(bh_cap_t dev, uint64_t timeout_ns);
int bh_irq_ack(bh_cap_t dev);

/* ---- Plan args (the partition node's `args` string list) ---- */
unsigned int bh_args_count(void);
const char *bh_args_at(unsigned int i); /* NULL past the end */
/* The value of the first arg "key=value", "" for a bare "key", NULL if absent. */
const char *bh_arg(const char *key);
/* bh_arg parsed as an unsigned number (decimal or 0x hex); dflt if absent or bad. */
uint64_t bh_arg_u64(const char *key, uint64_t dflt);

/* The null call: a round trip through the kernel that does nothing (benchmarks). */
int bh_nop(void);

/* ---- Ports (docs/channels.md; handles from the header `bhplan header` generates) ----
 * Statuses: -BH_E_AGAIN (not-available: empty, full, or a source writing on every try),
 * -BH_E_TIMEOUT, -BH_E_TOOBIG (length 0 or above message-bytes), -BH_E_PERM (not this
 * port's direction), -BH_E_HANDLE. A wrong handle or direction the kernel sees is a
 * syscall violation. */
/* The port's kind, sizes and (source) region (port_info). 0 or -error. */
int bh_port_info(bh_cap_t port, struct bh_port_info *out);
/* Source: replaces the sample with len bytes (WRITE_SAMPLING_MESSAGE). 0 or -error. */
int bh_sampling_write(bh_cap_t port, const void *msg, uint32_t len);
/* Destination: the latest sample into buf (message-bytes writable) and meta (age,
 * validity, length) (READ_SAMPLING_MESSAGE). 0, -BH_E_AGAIN if never written. */
int bh_sampling_read(bh_cap_t port, void *buf, struct bh_sample_meta *meta);
/* Source: appends a message (SEND_QUEUING_MESSAGE). Full: -BH_E_AGAIN at once with
 * timeout 0, else waits up to timeout_ns for room (-BH_E_TIMEOUT). 0 or -error. */
int bh_queuing_send(bh_cap_t port, const void *msg, uint32_t len, int64_t timeout_ns);
/* Destination: the oldest message into buf (message-bytes writable)
 * (RECEIVE_QUEUING_MESSAGE). Its length, or empty: -BH_E_AGAIN at once with timeout 0,
 * else waits up to timeout_ns (-BH_E_TIMEOUT). */
int bh_queuing_recv(bh_cap_t port, void *buf, int64_t timeout_ns);

/* ---- Errors ---- */
/* "bad-address" for -BH_E_FAULT or BH_E_FAULT; "unknown-error" otherwise. */
const char *bh_strerror(int64_t err);

/* The watchdog cell every demo program offers: a heartbeat each period. */
void watchdog_main(void);

#endif
