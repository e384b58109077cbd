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

#include <bearssl/bearssl_hash.h>
#include <stdint.h>
#include "core/lib/sha256.h"

/* Streamed, one line at a time: no table sized for the most partitions a plan may have. */
struct config_id {
	br_sha256_context sha;
};

/* plan_hex: the plan blob's digest (hex, 64 digits). */
void config_id_begin(struct config_id *c, const char plan_hex[SHA256_HEX]);

/* The next partition's image digest (SHA256_BYTES, binary), in plan order. */
void config_id_add(struct config_id *c, const uint8_t image[SHA256_BYTES]);

/* The identity, 64 hex digits and a NUL. */
void config_id_end(struct config_id *c, char out[SHA256_HEX]);

#endif
