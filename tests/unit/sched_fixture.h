/*
 * The scheduler's unit tests (test_sched.c: the frame executor; test_sched_cells.c: the
 * cells inside a window) build their plans with these: one plan at a time (plan), built
 * into mem by build() into s, all freed by the suite's teardown.
 */
#ifndef BULKHEAD_TESTS_UNIT_SCHED_FIXTURE_H
#define BULKHEAD_TESTS_UNIT_SCHED_FIXTURE_H

#include <stdint.h>
#include "core/sched.h"

#define US 1000ULL
#define EPOCH 5000000ULL /* the common epoch: 5 ms after the clock's zero */

#define TEST_PARTS 64   /* partitions a test plan may have */
#define TEST_WINDOWS 64 /* windows on one CPU */

extern struct plan *plan;
extern void *mem;
extern struct sched s;

/* A new empty plan of this major frame, with room for TEST_PARTS and TEST_WINDOWS. */
void new_plan(uint32_t frame_us);
/* A partition whose cells are both aperiodic (always ready), priorities 10 and 20. */
int add_part(const char *name, uint32_t cpu);
/* Makes part's cell periodic (wcet 1 us). */
void periodic(int part, unsigned int cell, uint32_t prio, uint32_t period_us,
	      uint32_t deadline_us);
/* A window on cpu, appended (sched_build sorts). */
void window(uint32_t cpu, const char *part, uint32_t off_us, uint32_t dur_us);
/* sched_build of plan into fresh memory of exactly sched_mem_bytes. */
enum sched_err build(void);
/* build() must succeed; cpu's table. */
struct sched_cpu *built_cpu(uint32_t cpu);

#endif
