#include <bearssl/bearssl_hash.h>
#include "core/lib/sha256.h"

void sha256_hex(const void *data, size_t n, char out[SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	br_sha256_context ctx;
	uint8_t d[SHA256_BYTES];

	br_sha256_init(&ctx);
	br_sha256_update(&ctx, data, n);
	br_sha256_out(&ctx, d);
	for (unsigned int i = 0; i < SHA256_BYTES; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * SHA256_BYTES] = '\0';
}
