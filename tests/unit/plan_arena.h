/* Arenas for the plan's tables in tests and fuzz targets (the kernel's is free RAM,
 * bhplan's is malloc'd to the size the plan needs). */
#ifndef BULKHEAD_TESTS_UNIT_PLAN_ARENA_H
#define BULKHEAD_TESTS_UNIT_PLAN_ARENA_H

#include "dt/plan.h"

/* Holds any plan the tests use (the 256-partition, 1,024-channel plan takes about 1.4 MB). */
#define TEST_ARENA_BYTES (8u << 20)

/* This file's arena, emptied: the plan parsed with it before is gone. */
static inline struct plan_arena *test_arena(void)
{
	static _Alignas(16) unsigned char mem[TEST_ARENA_BYTES];
	static struct plan_arena a;

	a = (struct plan_arena){ mem, sizeof(mem), 0 };
	return &a;
}

/* A second one, for a test that keeps two plans at once. */
static inline struct plan_arena *test_arena2(void)
{
	static _Alignas(16) unsigned char mem[TEST_ARENA_BYTES];
	static struct plan_arena a;

	a = (struct plan_arena){ mem, sizeof(mem), 0 };
	return &a;
}

#endif
