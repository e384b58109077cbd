#include "core/config_id.h"

#define LINE (2 * SHA256_BYTES + 1)

static void put_hex(char *dst, const uint8_t *d)
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned int i = 0; i < SHA256_BYTES; i++) {
		dst[2 * i] = digits[d[i] >> 4];
		dst[2 * i + 1] = digits[d[i] & 15];
	}
	dst[2 * SHA256_BYTES] = '\n';
}

void config_id(const char plan_hex[SHA256_HEX], const uint8_t *const image[], unsigned int n,
	       char out[SHA256_HEX])
{
	/* Static, not on the stack (up to 65 KiB): called once at boot, and by bhplan. */
	static char text[LINE * (1 + PLAN_MAX_PARTITIONS)];
	unsigned int lines = 1;

	for (unsigned int i = 0; i < 2 * SHA256_BYTES; i++)
		text[i] = plan_hex[i];
	text[2 * SHA256_BYTES] = '\n';
	for (unsigned int i = 0; i < n && i < PLAN_MAX_PARTITIONS; i++)
		put_hex(&text[LINE * lines++], image[i]);
	sha256_hex(text, (size_t)LINE * lines, out);
}
