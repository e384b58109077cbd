#include "core/config_id.h"

static const char digits[] = "0123456789abcdef";

static void put_line(struct config_id *c, const char hex[2 * SHA256_BYTES])
{
	br_sha256_update(&c->sha, hex, 2 * SHA256_BYTES);
	br_sha256_update(&c->sha, "\n", 1);
}

void config_id_begin(struct config_id *c, const char plan_hex[SHA256_HEX])
{
	br_sha256_init(&c->sha);
	put_line(c, plan_hex);
}

void config_id_add(struct config_id *c, const uint8_t image[SHA256_BYTES])
{
	char hex[2 * SHA256_BYTES];

	for (unsigned int i = 0; i < SHA256_BYTES; i++) {
		hex[2 * i] = digits[image[i] >> 4];
		hex[2 * i + 1] = digits[image[i] & 15];
	}
	put_line(c, hex);
}

void config_id_end(struct config_id *c, char out[SHA256_HEX])
{
	uint8_t d[SHA256_BYTES];

	br_sha256_out(&c->sha, d);
	for (unsigned int i = 0; i < SHA256_BYTES; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * SHA256_BYTES] = '\0';
}
