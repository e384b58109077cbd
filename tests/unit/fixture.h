/* Loading test fixtures (compiled device trees under build/fixtures). */
#ifndef BULKHEAD_TESTS_UNIT_FIXTURE_H
#define BULKHEAD_TESTS_UNIT_FIXTURE_H

#include <stddef.h>

#ifndef BH_FIXTURES
#define BH_FIXTURES "build/fixtures"
#endif

/* Reads BH_FIXTURES/name into a malloc'd buffer; fails the test if it cannot. */
void *fixture_load(const char *name, size_t *len);

/* Calls check(path, bytes, len) for every file in dir but README.md and dot files, its
 * bytes in a malloc'd buffer of exactly len bytes (aligned for any type); returns how
 * many files it checked. */
unsigned int fixture_replay_dir(const char *dir,
				void (*check)(const char *path, const void *bytes, size_t len));

#endif
