/*
 * dt/platform.c and dt/fdt_read.c against hostile trees: bus translations that divide by
 * zero or wrap, aliases that loop or lead nowhere, blocks at misaligned offsets, a property
 * length that sends libfdt round in circles, a console at a path too long to keep. Each is refused with its precise error (or, for the long
 * path, still known as the console).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include "dt/platform.h"
#include "fixture.h"

static struct platform plat;
static struct dt_diag diag;

static enum dt_err parse_fixture(const char *name)
{
	size_t len;
	void *blob = fixture_load(name, &len);
	enum dt_err e = platform_parse(blob, len, 8, &plat, &diag);

	free(blob);
	return e;
}

static void expect_bad(const char *fixture, enum dt_err err, const char *path, const char *what)
{
	enum dt_err e = parse_fixture(fixture);

	cr_assert_eq(e, err, "%s: got %s (%s: %s)", fixture, dt_strerror(e), diag.path, diag.what);
	cr_assert_str_eq(diag.path, path, "%s: path", fixture);
	cr_assert(strstr(diag.what, what), "%s: '%s' lacks '%s'", fixture, diag.what, what);
}

Test(platform_hostile, ranges_without_cells_is_an_error_not_a_division_by_zero)
{
	expect_bad("bad-ranges-no-cells.dtb", DT_ERR_BAD_REG, "/outer/zero",
		   "'ranges' is not empty, but its entries have no cells");
}

Test(platform_hostile, translation_that_wraps_is_refused)
{
	expect_bad("bad-ranges-wrap.dtb", DT_ERR_BAD_REG, "/soc",
		   "'ranges' entry 0 maps 0x2000 size 0x1000 past the top of the address space");
}

Test(platform_hostile, alias_that_names_itself_is_refused)
{
	expect_bad("bad-alias-self.dtb", DT_ERR_BAD_PROP, "/aliases",
		   "alias 'serial0' = 'serial0' names itself (an alias loop)");
}

Test(platform_hostile, aliases_that_name_each_other_are_refused)
{
	expect_bad("bad-alias-loop.dtb", DT_ERR_BAD_PROP, "/aliases",
		   "alias 'serial0' = 'serial1' names another alias, whose chain leads back to it");
}

Test(platform_hostile, alias_to_a_missing_node_is_refused)
{
	expect_bad("bad-alias-missing.dtb", DT_ERR_BAD_PROP, "/aliases",
		   "alias 'serial0' = '/pl011@1234', which is not in the tree");
}

Test(platform_hostile, unknown_alias_is_refused)
{
	expect_bad("bad-alias-undefined.dtb", DT_ERR_BAD_PROP, "/chosen",
		   "stdout-path names alias 'serial3', which /aliases does not have");
}

Test(platform_hostile, alias_followed_by_a_path_still_works)
{
	cr_assert_eq(parse_fixture("handmade-alias-rest.dtb"), DT_OK, "%s: %s", diag.path, diag.what);
	cr_assert_eq(pa_addr(plat.console.regs.base), 0x9000000);
	cr_assert_str_eq(plat.console.path, "/pl011@9000000");
}

Test(platform_hostile, console_at_a_long_path_is_still_the_console)
{
	size_t len;
	void *blob = fixture_load("handmade-long-console-path.dtb", &len);
	const char *path = "/soc-with-a-rather-long-bus-name/another-long-bus-name/serial@1000";
	int node = fdt_path_offset(blob, path);

	cr_assert_gt(strlen(path), PLAT_PATH_MAX, "the fixture's point: longer than the path kept");
	cr_assert_eq(platform_parse(blob, len, 8, &plat, &diag), DT_OK, "%s", diag.what);
	cr_assert_eq(pa_addr(plat.console.regs.base), 0x1c001000);
	cr_assert_geq(node, 0);
	cr_assert_str_eq(platform_kernel_device(blob, &plat, node) ?: "(none)", "the console");
	/* and the old console node, no longer stdout, is no longer kept */
	cr_assert_null(platform_kernel_device(blob, &plat, fdt_path_offset(blob, "/pl011@9000000")));
	free(blob);
}

/*
 * A copy of a fixture with pad zero bytes inserted before block which (0 /memreserve/,
 * 1 structure, 2 strings), the header's offsets and size moved to match: a valid blob
 * but for that block's alignment. Returns an 8-byte aligned buffer.
 */
static void *misalign(const char *fixture, unsigned int which, uint32_t pad, size_t *out_len)
{
	size_t len;
	uint8_t *src = fixture_load(fixture, &len);
	struct fdt_header h;
	uint8_t *dst = calloc(1, len + pad + 8);
	uint32_t offs[3], at;

	cr_assert_not_null(dst);
	memcpy(&h, src, sizeof(h));
	offs[0] = fdt32_to_cpu(h.off_mem_rsvmap);
	offs[1] = fdt32_to_cpu(h.off_dt_struct);
	offs[2] = fdt32_to_cpu(h.off_dt_strings);
	cr_assert(offs[0] < offs[1] && offs[1] < offs[2], "dtc's block order");
	at = offs[which];
	memcpy(dst, src, at);
	memcpy(dst + at + pad, src + at, len - at);
	for (unsigned int i = which; i < 3; i++)
		offs[i] += pad;
	h.off_mem_rsvmap = cpu_to_fdt32(offs[0]);
	h.off_dt_struct = cpu_to_fdt32(offs[1]);
	h.off_dt_strings = cpu_to_fdt32(offs[2]);
	h.totalsize = cpu_to_fdt32((uint32_t)(len + pad));
	memcpy(dst, &h, sizeof(h));
	free(src);
	*out_len = len + pad;
	return dst;
}

struct misaligned_case {
	unsigned int which;
	uint32_t pad;
	const char *what;
};

Test(platform_hostile, misaligned_blocks_are_refused)
{
	static const struct misaligned_case cases[] = {
		{ 0, 4, "/memreserve/ block at offset 0x2c, expected a multiple of 8" },
		{ 1, 2, "structure block at offset 0x3a, expected a multiple of 4" },
		{ 2, 1, "strings block at offset 0x" },
	};
	size_t len;

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *blob = misalign("qemu-virt-gicv3-1cpu.dtb", cases[i].which, cases[i].pad, &len);
		enum dt_err e = platform_parse(blob, len, 8, &plat, &diag);

		cr_assert_eq(e, DT_ERR_HEADER, "case %u: %s: %s", i, dt_strerror(e), diag.what);
		cr_assert(strstr(diag.what, cases[i].what), "case %u: '%s'", i, diag.what);
		free(blob);
	}
	/* The same moves by a multiple of the alignment are fine: the helper makes valid blobs. */
	for (unsigned int which = 0; which < 3; which++) {
		void *blob = misalign("qemu-virt-gicv3-1cpu.dtb", which, 8, &len);

		cr_assert_eq(platform_parse(blob, len, 8, &plat, &diag), DT_OK, "block %u: %s", which,
			     diag.what);
		free(blob);
	}
}

/*
 * A property length of 2^32 - 12 brings libfdt 1.6's next tag back to the property itself:
 * its fdt_check_full loops forever (the kernel would hang at boot, printing nothing). The
 * timeout only turns such a hang into a failure; a good run takes milliseconds.
 */
Test(platform_hostile, property_length_that_loops_back_is_refused, .timeout = 60)
{
	size_t len;
	uint8_t *blob = fixture_load("qemu-virt-gicv3-1cpu.dtb", &len);
	const struct fdt_header *h = (const void *)blob;
	uint32_t off = fdt32_to_cpu(h->off_dt_struct), end = off + fdt32_to_cpu(h->size_dt_struct);
	fdt32_t tag, bad = cpu_to_fdt32(0xfffffff4);

	/* The first property: after the root's FDT_BEGIN_NODE and its empty name. */
	for (off += 8; off < end; off += 4) {
		memcpy(&tag, blob + off, 4);
		if (fdt32_to_cpu(tag) == FDT_PROP)
			break;
	}
	cr_assert_lt(off, end, "no property in the fixture");
	memcpy(blob + off + 4, &bad, 4);
	cr_assert_eq(platform_parse(blob, len, 8, &plat, &diag), DT_ERR_STRUCTURE, "%s", diag.what);
	cr_assert(strstr(diag.what, "has a length that leads back to itself"), "%s", diag.what);
	free(blob);
}
