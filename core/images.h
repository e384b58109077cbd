/*
 * The image table: every partition program built into this kernel (partitions/Kconfig),
 * with its bytes and the SHA-256 the build computed over them. Generated at build time
 * (tools/gen-images.sh); read-only.
 */
#ifndef BULKHEAD_CORE_IMAGES_H
#define BULKHEAD_CORE_IMAGES_H

#include <stddef.h>
#include <stdint.h>

#define IMAGE_MAX 64 /* programs in one kernel (tools/gen-images.sh refuses more) */

struct image_entry {
	const char *name;      /* the program's name, as a plan's `image` gives it */
	const uint8_t *bytes;  /* its ELF file, 16-byte aligned */
	size_t size;
	uint8_t sha256[32];    /* of bytes[0..size), computed by the build */
};

extern const struct image_entry image_table[];
extern const size_t image_count;

/* The program called name, or NULL. */
const struct image_entry *image_find(const char *name);

/* Up to max program names into names[] (for plan_check's rule image-unknown); returns
 * how many it wrote. */
unsigned int image_names(const char **names, unsigned int max);

_Static_assert(sizeof(struct image_entry) == 56, "tools/gen-images.sh writes this layout");

#endif
