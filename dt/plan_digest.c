/*
 * image-sha256: a partition may pin the exact program it runs. Parsed with the other
 * partition properties; checked (rule image-digest) wherever the image table is known:
 * in the kernel against its embedded images, in bhplan against the built ELF files.
 */
#include <libfdt.h>
#include "core/lib/libc.h"
#include "dt/plan_read.h"

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

bool pr_get_sha256(struct plan_ctx *c, const struct plan_node *n, const char *prop, uint8_t out[32])
{
	int len;
	const char *v = fdt_getprop(c->fdt, n->off, prop, &len);
	bool ok;

	if (!v)
		return false;
	ok = len == 65 && v[64] == '\0';
	for (int i = 0; ok && i < 32; i++) {
		int hi = hex_digit(v[2 * i]), lo = hex_digit(v[2 * i + 1]);

		ok = hi >= 0 && lo >= 0;
		if (ok)
			out[i] = (uint8_t)(hi << 4 | lo);
	}
	if (!ok) {
		struct strbuf sb = plan_error_add(c->rep, RULE_PROPERTY, n->path);

		sb_puts(&sb, "'");
		sb_puts(&sb, prop);
		sb_puts(&sb, "' must be one string of 64 hex digits (sha256sum's output)");
	}
	return ok;
}

static void put_hex(struct strbuf *sb, const uint8_t *d)
{
	static const char digits[] = "0123456789abcdef";
	char s[65];

	for (int i = 0; i < 32; i++) {
		s[2 * i] = digits[d[i] >> 4];
		s[2 * i + 1] = digits[d[i] & 0xf];
	}
	s[64] = '\0';
	sb_puts(sb, s);
}

enum plan_err plan_check_digests(const struct plan *p, const struct plan_image_digest *images,
				 unsigned int n, struct plan_report *rep)
{
	unsigned int errors = rep->n + rep->dropped;

	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct plan_partition *pp = &p->part[i];
		unsigned int k;

		if (!pp->has_image_sha256)
			continue;
		for (k = 0; k < n && BH_LIBC(strcmp)(images[k].name, pp->image); k++)
			;
		if (k == n || !BH_LIBC(memcmp)(images[k].sha256, pp->image_sha256, 32))
			continue;
		struct strbuf sb = plan_error_add(rep, RULE_IMAGE_DIGEST, pp->path);

		sb_puts(&sb, "image '");
		sb_puts(&sb, pp->image);
		sb_puts(&sb, "' is sha256 ");
		put_hex(&sb, images[k].sha256);
		sb_puts(&sb, ", not the plan's image-sha256");
	}
	return rep->n + rep->dropped == errors ? PLAN_OK : PLAN_INVALID;
}
