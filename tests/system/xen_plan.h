/*
 * Plans written by the Xen system tests: one boot of a Xen guest costs seconds of the
 * host's real time, so these tests put many subjects (attackers, faulty partitions, ...)
 * into one plan. The text is checked with bhplan and compiled, like any shipped plan.
 */
#ifndef BULKHEAD_TESTS_SYSTEM_XEN_PLAN_H
#define BULKHEAD_TESTS_SYSTEM_XEN_PLAN_H

#include <stddef.h>

/* A growing text buffer (fails the test if memory runs out). */
struct xen_text {
	char *s;
	size_t len, cap;
};
void xen_text_add(struct xen_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xen_text_free(struct xen_text *t);

/* The absolute path of a file of the source tree (for /include/: dtc resolves a relative
 * path from the including file, which the tests write under build/). */
void xen_tree_path(const char *rel, char out[512]);

/* Writes BH_BUILD/test/xen/NAME.dts with text, checks it with bhplan (the test fails on a
 * finding) and compiles it to BH_BUILD/test/xen/NAME.dtb, whose path goes to dtb. */
void xen_plan_write(const char *name, const char *text, char dtb[256]);

/* A window slot: CPU, offset and length in the major frame. */
struct xen_slot {
	unsigned int cpu;
	unsigned int offset_us, duration_us;
};

/* Cuts the gaps (cpu, from_us, to_us triples, n_gaps of them) into slots of slot_us, in
 * order; returns how many (at most max). */
int xen_slots(const unsigned int (*gaps)[3], int n_gaps, unsigned int slot_us, struct xen_slot *out,
	      int max);

/* The same with the longest slot (2 ms down to 0.2 ms) that gives n slots: fewer subjects
 * get longer windows (a boot that runs again the few a loaded host starved). Returns the
 * slot count (at least n, or the test fails). */
int xen_slots_for(const unsigned int (*gaps)[3], int n_gaps, int n, struct xen_slot *out, int max);

#endif
