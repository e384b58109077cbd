/*
 * The few facts the kernel needs before the platform is parsed, so that every stop,
 * including a stop for a tree the platform parser refuses, follows the boot
 * arguments' panic policy: /chosen/bootargs and how to reach PSCI. Read after the
 * blob check the platform parse starts with (dt_blob_check: header, block alignment,
 * structure) and nothing else: each fact is left out, not guessed, when its
 * node or property is absent or malformed (the full parse says what is wrong with it).
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
};

/*
 * bufsize: bytes readable at fdt. DT_OK when the blob passed dt_blob_check (*out then holds
 * what could be read); else that check's error and *out is empty. Safe on any bytes.
 */
enum dt_err platform_early_read(const void *fdt, size_t bufsize, struct platform_early *out,
				struct dt_diag *diag) __must_check;

/*
 * The conduit of the tree's PSCI 0.2+ node (/psci, else the first enabled compatible
 * node), if it has method "hvc" or "smc". Only on a blob platform_early_read accepted.
 */
bool platform_early_psci(const void *fdt, enum psci_conduit *conduit) __must_check;

#endif
