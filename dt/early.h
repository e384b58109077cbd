/*
 * The few facts the kernel needs before the platform is parsed, so that every stop,
 * including a stop for a tree the platform parser refuses, follows the boot
 * arguments' panic policy: /chosen/bootargs and how to reach PSCI. Read after the
 * blob check and nothing else: each fact is left out, not guessed, when its node or
 * property is absent or malformed (the full parse says what is wrong with it).
 */
#ifndef BULKHEAD_DT_EARLY_H
#define BULKHEAD_DT_EARLY_H

#include <stdbool.h>
#include <stddef.h>
#include "core/lib/compiler.h"
#include "dt/dt_error.h"
#include "dt/platform.h"

struct platform_early {
	char bootargs[PLAT_BOOTARGS_MAX]; /* "" when absent or unusable */
	bool has_psci;                    /* a PSCI 0.2+ node with method "hvc" or "smc" */
	enum psci_conduit psci;
};

/*
 * bufsize: bytes readable at fdt. DT_OK when the blob passed dt_blob_check (*out then
 * holds what could be read); else the blob's own error, diag says why, *out is empty.
 */
enum dt_err platform_early_read(const void *fdt, size_t bufsize, struct platform_early *out,
				struct dt_diag *diag) __must_check;

#endif
