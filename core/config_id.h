/*
 * config_id: one SHA-256 that names exactly which system runs, the plan and every
 * program it starts (docs/log-events.md, docs/plan.md). It is the SHA-256 of the text
 *
 *     <SHA-256 of the plan blob>\n
 *     <SHA-256 of partition 0's image (its ELF file)>\n
 *     ... one line per partition, in plan order (an image two partitions run appears twice)
 *
 * each digest in 64 lower-case hex digits; what
 * `{ sha256sum plan.dtb a.elf b.elf ...; } | cut -c1-64 | sha256sum` prints. The kernel
 * logs it at boot (event config_id); `bhplan show --images DIR` prints the same value.
 */
#ifndef BULKHEAD_CORE_CONFIG_ID_H
#define BULKHEAD_CORE_CONFIG_ID_H

#include <stdint.h>
#include "core/lib/sha256.h"
#include "dt/plan.h"

/* plan_hex: the plan blob's digest (hex); image[i]: partition i's image digest
 * (SHA256_BYTES, binary), n <= PLAN_MAX_PARTITIONS. */
void config_id(const char plan_hex[SHA256_HEX], const uint8_t *const image[], unsigned int n,
	       char out[SHA256_HEX]);

#endif
