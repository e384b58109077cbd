/*
 * What a run's partitions did (their window starts, their output), compared between two
 * runs as far as QEMU's virtual time makes them repeat.
 *
 * Under -icount all vCPUs advance one shared instruction count (the virtual clock), and
 * QEMU runs them one after the other on one host thread. When two CPUs take an interrupt
 * at the same virtual instant, which of them QEMU runs first, and so whose clock reading
 * includes the other's instructions, depends on where its round robin stands; host events
 * (QEMU's RCU and I/O threads kicking the running vCPU off) move that, more often on a
 * loaded host. A clock reading (a window's start, a time a partition prints) can then
 * differ between two runs of the same plan by what the other CPU ran at that instant: its
 * kernel path (112 to 192 ns seen, in about one boot in a hundred), or, if it was running
 * too, a part of its turn (8 us seen once). Which windows ran, their planned starts and
 * what the partitions printed repeat exactly. So window starts are compared within
 * TRACE_SLACK_NS, printed times (a number followed by " ns" or " us") not at all, and
 * everything else exactly.
 */
#ifndef BULKHEAD_TESTS_SYSTEM_TRACE_H
#define BULKHEAD_TESTS_SYSTEM_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include "jsonl.h"

/* Twice the largest move seen; far below what a stolen or shortened window would show (a
 * window is milliseconds). */
#define TRACE_SLACK_NS 20000ULL

/*
 * Two runs whose CPUs arm their timers in different patterns (one partition's many calls
 * against none) meet a larger form of the same effect: a CPU whose timer is armed while
 * QEMU's round robin has already given the other CPU its turn can stay in WFI, its
 * timer armed and past, until that turn ends. Seen with the syscall fuzzer beside the
 * demo: up to 394 us (the compare value read just before WFI, the wake-up read just
 * after it), in both directions of a change of a few instructions anywhere in the
 * kernel. Twice that; still below what a stolen or shortened window shows (the demo's
 * windows are 4 to 10 ms).
 */
#define TRACE_SLACK_ROUND_ROBIN_NS 800000ULL

struct trace_line {
	char text[160];      /* compared exactly */
	uint64_t actual_ns;  /* a window's start: compared within TRACE_SLACK_NS; 0 otherwise */
};

struct trace {
	int n, cap;
	struct trace_line *l;
};

/* Adds a print event: "print PARTITION TEXT", each printed time in TEXT (a number then
 * " ns" or " us") replaced by "#". */
void trace_add_print(struct trace *t, const struct jobj *print);
/* Adds a window event: "window [cpu C ]PARTITION FRAME PLANNED_NS" and its actual_ns. */
void trace_add_window(struct trace *t, const struct jobj *window, bool with_cpu);
/* Sorts the lines: the CPUs' lines interleave on the console in an order that is not
 * part of the schedule. */
void trace_sort(struct trace *t);
/* Fails the current test unless got and want hold the same lines, window starts within
 * TRACE_SLACK_NS; the message names what, the first differing line and both values. */
void trace_assert_same(const struct trace *got, const struct trace *want, const char *what);
/* The same, window starts within slack_ns. */
void trace_assert_same_within(const struct trace *got, const struct trace *want, uint64_t slack_ns,
			      const char *what);
void trace_free(struct trace *t);

#endif
