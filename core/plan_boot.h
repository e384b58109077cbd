/*
 * The plan at boot: parse, check, check against the platform, and say so in the log.
 * Pure (logging only), so the host tests run it; core/boot.c picks the blob (the initrd
 * if the boot loader handed one, else the plan built into the image) and maps it.
 */
#ifndef BULKHEAD_CORE_PLAN_BOOT_H
#define BULKHEAD_CORE_PLAN_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include "dt/plan.h"

struct plan_boot {
	const void *blob;
	size_t size;
	const char *source;  /* "embedded" or "initrd", for the log */
	struct plan_env env; /* the machine */
};

/* Everything the plan's checks produce, kept for the kernel's lifetime. */
struct plan_state {
	struct plan plan;
	struct plan_memory_map map;
	struct plan_report report;
};

/*
 * Runs the three stages. On success logs {"ev":"plan"} at info and returns true; on
 * failure logs one {"ev":"plan_invalid"} error line per finding (and how many were
 * dropped) and returns false: the caller must stop before anything starts.
 */
bool plan_boot_load(const struct plan_boot *in, struct plan_state *st) __must_check;

#endif
