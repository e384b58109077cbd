/*
 * A seeded generator of random valid plans (as a model, then written as a DTB with
 * libfdt), and single mutations that each break one named rule. For the property
 * tests in test_plan_props.c.
 */
#ifndef BULKHEAD_TESTS_UNIT_PLAN_GEN_H
#define BULKHEAD_TESTS_UNIT_PLAN_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dt/plan.h"

#define GEN_CPUS 4
#define GEN_PARTS 8
#define GEN_WINDOWS 12
#define GEN_CHANS 4

struct gen_window {
	char part[16];
	uint32_t off, dur;
};

struct gen_cell {
	bool periodic;
	uint32_t period, deadline, wcet, priority;
};

struct gen_part {
	char name[16];
	char node[32]; /* the node name: name, or name@N */
	uint32_t cpu;
	uint64_t mem;
	bool fixed;
	uint64_t base;
	char dev[24]; /* "" for none */
	struct gen_cell cell[2];
	uint32_t hm_action[HM_CLASSES]; /* [HM_RESTART_LIMIT] is written as on-limit */
	uint32_t hm_given;              /* bit k: class k is written (else its default) */
	uint32_t restart_limit;
	uint64_t restart_window;        /* 0: not written */
	uint64_t persistent;            /* 0: not written */
};

struct gen_chan {
	char name[16];
	bool queuing;
	char src[16];
	char dst[3][16];
	int n_dst;
	uint32_t msg, depth, refresh;
};

struct gen_plan {
	uint32_t version;
	uint32_t frame;
	int n_cpu;
	struct gen_part part[GEN_PARTS];
	int n_part;
	struct gen_window win[GEN_CPUS][GEN_WINDOWS];
	int n_win[GEN_CPUS];
	struct gen_chan chan[GEN_CHANS];
	int n_chan;
};

void gen_random(struct gen_plan *g, uint64_t seed);

/* Writes g as a plan DTB into buf; returns its size (fails the test if cap is short). */
size_t gen_write(const struct gen_plan *g, void *buf, size_t cap);

enum gen_mutation {
	MUT_VERSION, MUT_RANGE, MUT_WINDOW_OVERLAP, MUT_WINDOW_FRAME, MUT_WINDOW_PARTITION,
	MUT_WINDOW_CPU, MUT_DUPLICATE, MUT_MEMORY_OVERLAP, MUT_DEVICE_SHARED, MUT_CELL_TIMING,
	MUT_UTILISATION, MUT_CHANNEL_ENDPOINT, MUT_CHANNEL_SIZE,
	MUT_HM_ACTION, MUT_HM_RESTART_LIMIT, MUT_HM_RESTART_WINDOW, MUT_PERSISTENT_MEMORY, MUT_COUNT,
};

/* Applies m to g if g has what it needs (returns false if not); *rule is what must trip. */
bool gen_mutate(struct gen_plan *g, enum gen_mutation m, uint64_t seed, enum plan_rule *rule);

#endif
