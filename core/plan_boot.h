/*
 * The plan at boot: parse, check, check against the platform, and say so in the log.
 * Pure (logging only), so the host tests run it; core/boot.c picks the blob (the initrd
 * if the boot loader handed one, else the plan built into the image) and maps it.
 */
#ifndef BULKHEAD_CORE_PLAN_BOOT_H
#define BULKHEAD_CORE_PLAN_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include "core/lib/sha256.h"
#include "dt/plan.h"

struct plan_boot {
	const void *blob;
	size_t size;
	const char *source;  /* "embedded" or "initrd", for the log */
	struct plan_env env; /* the machine */
};

/* Everything the plan's checks produce, kept for the kernel's lifetime. */
struct plan_state {
	struct plan_arena arena; /* set by the caller: where the plan's tables go */
	struct plan plan;
	struct plan_memory_map map;
	struct plan_report report;
	char sha256[SHA256_HEX]; /* of the blob as handed over (all of the initrd) */
};

/*
 * Measures the blob (SHA-256), then runs the three stages (rule image-unknown against the
 * image table, core/images.h). On success logs {"ev":"plan"}
 * at info and returns true; on failure logs one {"ev":"plan_invalid"} error line per
 * finding (and how many were dropped), then {"ev":"plan_refused"} with the digest, and
 * returns false: the caller must stop before anything starts.
 */
bool plan_boot_load(const struct plan_boot *in, struct plan_state *st) __must_check;

#endif
