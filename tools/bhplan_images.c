/* bhplan --images DIR: rule image-digest against the built programs (DIR/NAME.elf). */
#include <bearssl/bearssl_hash.h>
#include <stdio.h>
#include <stdlib.h>
#include "bhplan.h"
#include "core/config_id.h"

int plan_check_images(const struct plan *p, const char *dir, struct plan_report *rep)
{
	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct plan_partition *pp = &p->part[i];
		char path[4096];
		struct blob b = { 0 };
		uint8_t d[32];
		br_sha256_context ctx;

		if (!pp->has_image_sha256)
			continue;
		snprintf(path, sizeof(path), "%s/%s.elf", dir, pp->image);
		if (load_blob(path, &b) != 0)
			return -1;
		br_sha256_init(&ctx);
		br_sha256_update(&ctx, b.data, b.size);
		br_sha256_out(&ctx, d);
		free(b.data);
		/* One image at a time; a mismatch is in rep, where the caller looks. */
		if (plan_check_digests(p, &(struct plan_image_digest){ pp->image, d }, 1, rep) != PLAN_OK)
			continue;
	}
	return 0;
}

int plan_config_id(const struct plan *p, const char *plan_hex, const char *dir, char out[SHA256_HEX])
{
	struct config_id c;

	config_id_begin(&c, plan_hex);
	for (unsigned int i = 0; i < p->n_part; i++) {
		char path[4096];
		struct blob b = { 0 };
		br_sha256_context ctx;

		snprintf(path, sizeof(path), "%s/%s.elf", dir, p->part[i].image);
		if (load_blob(path, &b) != 0)
			return -1;
		br_sha256_init(&ctx);
		br_sha256_update(&ctx, b.data, b.size);
		uint8_t d[SHA256_BYTES];

		br_sha256_out(&ctx, d);
		free(b.data);
		config_id_add(&c, d);
	}
	config_id_end(&c, out);
	return 0;
}
