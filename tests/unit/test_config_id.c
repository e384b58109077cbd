/* config_id: the streamed digest equals sha256sum over the documented text. */
#include <criterion/criterion.h>
#include <string.h>
#include "core/config_id.h"

Test(config_id, matches_the_documented_text)
{
	char plan[SHA256_HEX], out[SHA256_HEX];
	uint8_t zero[SHA256_BYTES] = { 0 }, count[SHA256_BYTES];
	struct config_id c;

	memset(plan, 'a', 2 * SHA256_BYTES);
	plan[2 * SHA256_BYTES] = '\0';
	for (unsigned int i = 0; i < SHA256_BYTES; i++)
		count[i] = (uint8_t)i;
	config_id_begin(&c, plan);
	config_id_add(&c, zero);
	config_id_add(&c, count);
	config_id_end(&c, out);
	/* printf '%s\n' aaaa...a 0000...00 000102...1f | sha256sum */
	cr_assert_str_eq(out, "9a4dadd9a0a13eab20da7793095dabcf03ef34506d3e9130220a18c59cb19ee6");
}

Test(config_id, order_and_count_matter)
{
	char plan[SHA256_HEX], a[SHA256_HEX], b[SHA256_HEX], one[SHA256_HEX];
	uint8_t x[SHA256_BYTES] = { 1 }, y[SHA256_BYTES] = { 2 };
	struct config_id c;

	memset(plan, '0', 2 * SHA256_BYTES);
	plan[2 * SHA256_BYTES] = '\0';
	config_id_begin(&c, plan);
	config_id_add(&c, x);
	config_id_add(&c, y);
	config_id_end(&c, a);
	config_id_begin(&c, plan);
	config_id_add(&c, y);
	config_id_add(&c, x);
	config_id_end(&c, b);
	config_id_begin(&c, plan);
	config_id_add(&c, x);
	config_id_end(&c, one);
	cr_assert_str_neq(a, b);
	cr_assert_str_neq(a, one);
}
