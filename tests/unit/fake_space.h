/*
 * Two fake partition address spaces for the uaccess and syscall tests, implementing
 * struct uaccess_space. Every mapped page is its own heap allocation (so ASan catches
 * a copy that runs past a page, and pages adjacent in VA are never adjacent in memory),
 * filled with a pattern that names its partition and VA.
 *
 * Partition A:                            Partition B:
 *   0x00400000 R X  image text              0x00400000 R X
 *   0x00401000 R    rodata                  0x00401000 R W
 *   0x00402000 R W  data
 *   0x00403000 --X  execute-only text
 *   0x10000000 R W  heap, 2 pages           0x10000000 R W  heap, 8 pages (A has
 *                                                           nothing past 0x10002000)
 *   0x3ffed000 ---  guard                   0x3ffe0000 ---  guard
 *   0x3ffee000 R W  stack, 2 pages          0x3ffe1000 R W  stack, 1 page
 *   0x3fff0000 R    info page               0x3fff0000 R    info page
 *   0x40000000 R W  Device memory
 * A's info page is mapped writable when fake_a_info_writable is set (a buggy space).
 */
#ifndef BULKHEAD_TESTS_UNIT_FAKE_SPACE_H
#define BULKHEAD_TESTS_UNIT_FAKE_SPACE_H

#include <stdbool.h>
#include <stdint.h>
#include "core/uaccess.h"

struct fake_map {
	uint64_t va;
	unsigned int flags; /* UACCESS_* */
};

struct fake_part {
	char id;                   /* 'A' or 'B': in the page pattern */
	const struct fake_map *map;
	unsigned int n_map;
	uint8_t **page;            /* one allocation per map entry */
	unsigned int lookups;      /* lookup calls since fake_space_init */
	unsigned int bad_queries;  /* lookups that broke the precondition (unaligned, >= EL0 end) */
	struct uaccess_space space;
};

extern struct fake_part fake_a, fake_b;
extern bool fake_a_info_writable;

/* Allocates and fills every page of both partitions; resets the counters. */
void fake_space_init(void);
void fake_space_fini(void);

/* The byte the fake holds at va in p (what EL0 would see), or NULL if va is unmapped. */
uint8_t *fake_byte(struct fake_part *p, uint64_t va);
/* The pattern value a page of partition id holds at va before anyone writes. */
uint8_t fake_pattern(char id, uint64_t va);

#endif
