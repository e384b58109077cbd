#include <libfdt.h>
#include "dt/fdt_read.h"
#include "core/lib/libc.h"

enum { DT_MAX_CELLS = 2 }; /* 64-bit addresses and sizes; PCI's 3 cells are not read here */

struct strbuf dt_diag_begin(struct dt_diag *diag, enum dt_err err, const void *fdt, int node)
{
	struct strbuf sb;

	diag->err = err;
	diag->path[0] = '\0';
	if (node >= 0 && fdt_get_path(fdt, node, diag->path, sizeof(diag->path)) != 0)
		BH_LIBC(memcpy)(diag->path, "(path too long)", 16);
	sb_init(&sb, diag->what, sizeof(diag->what));
	return sb;
}

/* The blob's blocks, in header order, and the alignment the format gives each. */
static const char *const block_names[] = { "/memreserve/", "structure", "strings" };
static const uint32_t block_align[] = { 8, 4, 4 };
STATIC_ASSERT(ARRAY_SIZE(block_names) == ARRAY_SIZE(block_align), "block table");

/*
 * Does every tag of the structure block, followed from the first, move forward? A
 * property whose length is 2^32 - 12 (or a little less) brings libfdt 1.6's next tag back
 * to itself, and fdt_check_full then loops forever (found by make fuzz:
 * tests/fuzz/regressions/platform/property-length-loops-back). Strict progress within the
 * block bounds this walk, and so fdt_check_full's, which takes the same steps.
 */
static bool tags_advance(const void *fdt, int *stuck)
{
	for (int off = 0;;) {
		int next;
		uint32_t tag = fdt_next_tag(fdt, off, &next);

		if (next < 0 || tag == FDT_END)
			return true; /* the end, or an error fdt_check_full names */
		if (next <= off) {
			*stuck = off;
			return false;
		}
		off = next;
	}
}

enum dt_err dt_blob_check(const void *fdt, size_t bufsize, struct dt_diag *diag)
{
	struct strbuf sb;
	int rc;

	if (!fdt) {
		sb = dt_diag_begin(diag, DT_ERR_NO_BLOB, NULL, -1);
		sb_puts(&sb, "no device-tree address was passed in x0");
		return DT_ERR_NO_BLOB;
	}
	if (bufsize < sizeof(struct fdt_header)) {
		sb = dt_diag_begin(diag, DT_ERR_TRUNCATED, NULL, -1);
		sb_puts(&sb, "expected a header of 40 bytes, only ");
		sb_u64(&sb, bufsize);
		sb_puts(&sb, " readable");
		return DT_ERR_TRUNCATED;
	}
	if (fdt_magic(fdt) != FDT_MAGIC) {
		sb = dt_diag_begin(diag, DT_ERR_HEADER, NULL, -1);
		sb_puts(&sb, "expected magic 0xd00dfeed, found ");
		sb_hex(&sb, fdt_magic(fdt));
		return DT_ERR_HEADER;
	}
	if (fdt_totalsize(fdt) > bufsize) {
		sb = dt_diag_begin(diag, DT_ERR_TRUNCATED, NULL, -1);
		sb_puts(&sb, "header says ");
		sb_u64(&sb, fdt_totalsize(fdt));
		sb_puts(&sb, " bytes, only ");
		sb_u64(&sb, bufsize);
		sb_puts(&sb, " readable");
		return DT_ERR_TRUNCATED;
	}
	rc = fdt_check_header(fdt);
	if (rc != 0) {
		sb = dt_diag_begin(diag, DT_ERR_HEADER, NULL, -1);
		sb_puts(&sb, "header check failed: ");
		sb_puts(&sb, fdt_strerror(rc));
		return DT_ERR_HEADER;
	}
	/*
	 * libfdt loads tags, cells and /memreserve/ entries in place: a misaligned block
	 * means misaligned loads (a fault with the MMU off). The strings block needs no
	 * alignment for loads, but every writer (dtc, libfdt in QEMU, Xen, U-Boot) puts it
	 * right after the structure block: a misaligned one is a damaged blob. The blob's
	 * own address (8-byte aligned) is checked by fdt_check_header.
	 */
	const uint32_t block_off[] = { fdt_off_mem_rsvmap(fdt), fdt_off_dt_struct(fdt),
				       fdt_off_dt_strings(fdt) };

	for (unsigned int i = 0; i < ARRAY_SIZE(block_off); i++) {
		if (block_off[i] % block_align[i] == 0)
			continue;
		sb = dt_diag_begin(diag, DT_ERR_HEADER, NULL, -1);
		sb_puts(&sb, block_names[i]);
		sb_puts(&sb, " block at offset ");
		sb_hex(&sb, block_off[i]);
		sb_puts(&sb, ", expected a multiple of ");
		sb_u64(&sb, block_align[i]);
		return DT_ERR_HEADER;
	}
	/*
	 * Version 17 (what dtc, QEMU and Xen write) only. Older layouts take paths in
	 * libfdt 1.6 that read through NULL on corrupt input (found by make fuzz:
	 * tests/fuzz/regressions/plan/old-version-null-string).
	 */
	if (fdt_version(fdt) < 17) {
		sb = dt_diag_begin(diag, DT_ERR_HEADER, NULL, -1);
		sb_puts(&sb, "device-tree version ");
		sb_u64(&sb, fdt_version(fdt));
		sb_puts(&sb, ", expected 17");
		return DT_ERR_HEADER;
	}
	if (!tags_advance(fdt, &rc)) {
		sb = dt_diag_begin(diag, DT_ERR_STRUCTURE, NULL, -1);
		sb_puts(&sb, "structure check failed: the tag at structure offset ");
		sb_hex(&sb, (uint64_t)rc);
		sb_puts(&sb, " has a length that leads back to itself");
		return DT_ERR_STRUCTURE;
	}
	rc = fdt_check_full(fdt, bufsize);
	if (rc != 0) {
		sb = dt_diag_begin(diag, DT_ERR_STRUCTURE, NULL, -1);
		sb_puts(&sb, "structure check failed: ");
		sb_puts(&sb, fdt_strerror(rc));
		return DT_ERR_STRUCTURE;
	}
	return DT_OK;
}

bool dt_node_enabled(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);

	if (!s)
		return true;
	return (len == 5 && BH_LIBC(memcmp)(s, "okay", 5) == 0) ||
	       (len == 3 && BH_LIBC(memcmp)(s, "ok", 3) == 0);
}

static uint64_t read_cells(const fdt32_t *p, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v = (v << 32) | fdt32_ld(&p[i]);
	return v;
}

/* prop of node as one to max_cells (at most 2) cells, joined; expect says what fits. */
static enum dt_err read_prop_cells(const void *fdt, int node, const char *prop,
				   unsigned int max_cells, const char *expect, uint64_t *out,
				   struct dt_diag *diag)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);
	struct strbuf sb;

	if (!p) {
		sb = dt_diag_begin(diag, DT_ERR_MISSING_PROP, fdt, node);
		sb_puts(&sb, "expected property '");
		sb_puts(&sb, prop);
		sb_puts(&sb, "'");
		return DT_ERR_MISSING_PROP;
	}
	if (len <= 0 || len % 4 != 0 || (unsigned int)len / 4 > max_cells) {
		sb = dt_diag_begin(diag, DT_ERR_BAD_PROP, fdt, node);
		sb_puts(&sb, "'");
		sb_puts(&sb, prop);
		sb_puts(&sb, "' is ");
		sb_u64(&sb, (uint64_t)len);
		sb_puts(&sb, " bytes, expected ");
		sb_puts(&sb, expect);
		return DT_ERR_BAD_PROP;
	}
	*out = read_cells(p, (unsigned int)len / 4);
	return DT_OK;
}

enum dt_err dt_read_u32(const void *fdt, int node, const char *prop, uint32_t *out,
			struct dt_diag *diag)
{
	uint64_t v;
	enum dt_err e = read_prop_cells(fdt, node, prop, 1, "one cell (4)", &v, diag);

	if (e == DT_OK)
		*out = (uint32_t)v;
	return e;
}

enum dt_err dt_read_cells_u64(const void *fdt, int node, const char *prop, uint64_t *out,
			      struct dt_diag *diag)
{
	return read_prop_cells(fdt, node, prop, 2, "4 or 8", out, diag);
}

static enum dt_err cells_prop(const void *fdt, int node, const char *name, unsigned int def,
			      unsigned int max, unsigned int *out, struct dt_diag *diag)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
	struct strbuf sb;

	if (!p) {
		*out = def;
		return DT_OK;
	}
	if (len != 4 || fdt32_ld(p) > max) {
		sb = dt_diag_begin(diag, len != 4 ? DT_ERR_BAD_PROP : DT_ERR_UNSUPPORTED, fdt, node);
		sb_puts(&sb, "'");
		sb_puts(&sb, name);
		if (len != 4) {
			sb_puts(&sb, "' must be one cell");
			return DT_ERR_BAD_PROP;
		}
		sb_puts(&sb, "' is ");
		sb_u64(&sb, fdt32_ld(p));
		sb_puts(&sb, ", at most ");
		sb_u64(&sb, max);
		sb_puts(&sb, " supported");
		return DT_ERR_UNSUPPORTED;
	}
	*out = fdt32_ld(p);
	return DT_OK;
}

enum dt_err dt_child_cells(const void *fdt, int node, unsigned int *acells, unsigned int *scells,
			   struct dt_diag *diag)
{
	enum dt_err e = cells_prop(fdt, node, "#address-cells", 2, DT_MAX_CELLS, acells, diag);

	if (e == DT_OK)
		e = cells_prop(fdt, node, "#size-cells", 1, DT_MAX_CELLS, scells, diag);
	return e;
}

/* reg of node: the raw cells and the parent's cell sizes. */
static enum dt_err reg_raw(const void *fdt, int node, const fdt32_t **cells, unsigned int *count,
			   unsigned int *ac, unsigned int *sc, struct dt_diag *diag)
{
	int parent = fdt_parent_offset(fdt, node);
	int len;
	struct strbuf sb;
	enum dt_err e;

	if (parent < 0) {
		sb = dt_diag_begin(diag, DT_ERR_BAD_REG, fdt, node);
		sb_puts(&sb, "the root node has no reg");
		return DT_ERR_BAD_REG;
	}
	e = dt_child_cells(fdt, parent, ac, sc, diag);
	if (e != DT_OK)
		return e;
	*cells = fdt_getprop(fdt, node, "reg", &len);
	if (!*cells) {
		sb = dt_diag_begin(diag, DT_ERR_MISSING_PROP, fdt, node);
		sb_puts(&sb, "expected property 'reg'");
		return DT_ERR_MISSING_PROP;
	}
	unsigned int entry = 4 * (*ac + *sc);
	if (entry == 0 || len == 0 || (unsigned int)len % entry != 0) {
		sb = dt_diag_begin(diag, DT_ERR_BAD_REG, fdt, node);
		sb_puts(&sb, "'reg' is ");
		sb_u64(&sb, (uint64_t)len);
		sb_puts(&sb, " bytes, expected a non-zero multiple of ");
		sb_u64(&sb, entry);
		sb_puts(&sb, " (#address-cells=");
		sb_u64(&sb, *ac);
		sb_puts(&sb, ", #size-cells=");
		sb_u64(&sb, *sc);
		sb_puts(&sb, ")");
		return DT_ERR_BAD_REG;
	}
	*count = (unsigned int)len / entry;
	return DT_OK;
}

enum dt_err dt_reg_count(const void *fdt, int node, unsigned int *count, struct dt_diag *diag)
{
	const fdt32_t *cells;
	unsigned int ac, sc;

	return reg_raw(fdt, node, &cells, count, &ac, &sc, diag);
}

/* Map addr from the child address space of bus to that of bus's parent. */
static enum dt_err translate_up(const void *fdt, int bus, uint64_t *addr, uint64_t size,
				struct dt_diag *diag)
{
	int len;
	const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
	int grand = fdt_parent_offset(fdt, bus);
	unsigned int cac, csc, pac, psc;
	struct strbuf sb;
	enum dt_err e;

	if (!r) {
		sb = dt_diag_begin(diag, DT_ERR_BAD_REG, fdt, bus);
		sb_puts(&sb, "bus has no 'ranges': its children are not reachable from the CPU");
		return DT_ERR_BAD_REG;
	}
	if (len == 0)
		return DT_OK; /* empty ranges: identity */
	e = dt_child_cells(fdt, bus, &cac, &csc, diag);
	if (e == DT_OK)
		e = dt_child_cells(fdt, grand, &pac, &psc, diag);
	if (e != DT_OK)
		return e;
	unsigned int entry = 4 * (cac + pac + csc);
	if (entry == 0) {
		sb = dt_diag_begin(diag, DT_ERR_BAD_REG, fdt, bus);
		sb_puts(&sb, "'ranges' is not empty, but its entries have no cells "
			     "(the bus's #address-cells and #size-cells and its parent's "
			     "#address-cells are 0)");
		return DT_ERR_BAD_REG;
	}
	if ((unsigned int)len % entry != 0) {
		sb = dt_diag_begin(diag, DT_ERR_BAD_REG, fdt, bus);
		sb_puts(&sb, "'ranges' is ");
		sb_u64(&sb, (uint64_t)len);
		sb_puts(&sb, " bytes, expected a multiple of ");
		sb_u64(&sb, entry);
		return DT_ERR_BAD_REG;
	}
	for (unsigned int i = 0; i < (unsigned int)len / entry; i++) {
		const fdt32_t *p = r + i * (entry / 4);
		uint64_t child = read_cells(p, cac);
		uint64_t parent = read_cells(p + cac, pac);
		uint64_t rsize = read_cells(p + cac + pac, csc);

		uint64_t off = *addr - child;

		if (*addr < child || off >= rsize || size > rsize - off)
			continue;
		/* The promise of struct pa_range: base + size does not wrap, after translation too. */
		if (off > UINT64_MAX - parent || size > UINT64_MAX - (parent + off)) {
			sb = dt_diag_begin(diag, DT_ERR_BAD_REG, fdt, bus);
			sb_puts(&sb, "'ranges' entry ");
			sb_u64(&sb, i);
			sb_puts(&sb, " maps ");
			sb_hex(&sb, *addr);
			sb_puts(&sb, " size ");
			sb_hex(&sb, size);
			sb_puts(&sb, " past the top of the address space");
			return DT_ERR_BAD_REG;
		}
		*addr = parent + off;
		return DT_OK;
	}
	sb = dt_diag_begin(diag, DT_ERR_BAD_REG, fdt, bus);
	sb_puts(&sb, "no 'ranges' entry covers ");
	sb_hex(&sb, *addr);
	sb_puts(&sb, " size ");
	sb_hex(&sb, size);
	return DT_ERR_BAD_REG;
}

enum dt_err dt_reg(const void *fdt, int node, unsigned int idx, struct pa_range *out,
		   struct dt_diag *diag)
{
	const fdt32_t *cells;
	unsigned int count, ac, sc;
	struct strbuf sb;
	enum dt_err e = reg_raw(fdt, node, &cells, &count, &ac, &sc, diag);

	if (e != DT_OK)
		return e;
	if (idx >= count) {
		sb = dt_diag_begin(diag, DT_ERR_BAD_REG, fdt, node);
		sb_puts(&sb, "expected at least ");
		sb_u64(&sb, idx + 1);
		sb_puts(&sb, " entries in 'reg', found ");
		sb_u64(&sb, count);
		return DT_ERR_BAD_REG;
	}
	const fdt32_t *p = cells + idx * (ac + sc);
	uint64_t addr = read_cells(p, ac);
	uint64_t size = read_cells(p + ac, sc);

	if (size == 0 || addr + size < addr) {
		sb = dt_diag_begin(diag, DT_ERR_BAD_REG, fdt, node);
		sb_puts(&sb, "'reg' entry ");
		sb_u64(&sb, idx);
		sb_puts(&sb, size == 0 ? " has size 0" : " wraps around the address space");
		return DT_ERR_BAD_REG;
	}
	for (int bus = fdt_parent_offset(fdt, node); bus >= 0 && fdt_parent_offset(fdt, bus) >= 0;
	     bus = fdt_parent_offset(fdt, bus)) {
		e = translate_up(fdt, bus, &addr, size, diag);
		if (e != DT_OK)
			return e;
	}
	out->base = pa_init(addr);
	out->size = size;
	return DT_OK;
}

bool dt_compatible(const void *fdt, int node, const char *compat)
{
	return fdt_node_check_compatible(fdt, node, compat) == 0;
}

int dt_find_compatible(const void *fdt, const char *const *compats, unsigned int n,
		       unsigned int *which)
{
	for (int node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		if (!dt_node_enabled(fdt, node))
			continue;
		for (unsigned int i = 0; i < n; i++) {
			if (dt_compatible(fdt, node, compats[i])) {
				if (which)
					*which = i;
				return node;
			}
		}
	}
	return -FDT_ERR_NOTFOUND;
}

/* The node below start that the components of [p, end) name ("/a/b"; extra '/' ignored). */
static int walk_path(const void *fdt, int start, const char *p, const char *end)
{
	int node = start;

	while (p < end && node >= 0) {
		const char *q;

		if (*p == '/') {
			p++;
			continue;
		}
		q = BH_LIBC(memchr)(p, '/', (size_t)(end - p));
		if (!q)
			q = end;
		node = fdt_subnode_offset_namelen(fdt, node, p, (int)(q - p));
		p = q;
	}
	return node;
}

static enum dt_err path_missing(const void *fdt, int where, const char *prop, const char *path,
				size_t len, struct dt_diag *diag)
{
	struct strbuf sb = dt_diag_begin(diag, DT_ERR_BAD_PROP, fdt, where);

	sb_puts(&sb, prop);
	sb_puts(&sb, " names '");
	sb_putn(&sb, path, len);
	sb_puts(&sb, "', which is not in the tree");
	return DT_ERR_BAD_PROP;
}

/* Does the chain of aliases from val (a NUL-terminated name) come back to name? */
static bool alias_loops(const void *fdt, int aliases, const char *name, size_t nlen,
			const char *val)
{
	enum { MAX_CHAIN = 16 }; /* a longer chain is refused as a chain all the same */

	for (unsigned int i = 0; i < MAX_CHAIN; i++) {
		int len;

		if (BH_LIBC(strlen)(val) == nlen && BH_LIBC(memcmp)(val, name, nlen) == 0)
			return true;
		val = fdt_getprop(fdt, aliases, val, &len);
		if (!val || len < 1 || BH_LIBC(strnlen)(val, (size_t)len) != (size_t)len - 1)
			return false;
	}
	return false;
}

/* An alias whose value is not a usable full path: say what it is instead. */
static enum dt_err bad_alias(const void *fdt, int aliases, const char *name, size_t nlen,
			     const char *val, int vlen, struct dt_diag *diag)
{
	struct strbuf sb = dt_diag_begin(diag, DT_ERR_BAD_PROP, fdt, aliases);
	size_t n = vlen > 0 ? BH_LIBC(strnlen)(val, (size_t)vlen) : 0;

	sb_puts(&sb, "alias '");
	sb_putn(&sb, name, nlen);
	if (vlen <= 1 || n != (size_t)vlen - 1) {
		sb_puts(&sb, "' is not one non-empty string");
		return DT_ERR_BAD_PROP;
	}
	sb_puts(&sb, "' = '");
	sb_putn(&sb, val, n);
	if (n == nlen && BH_LIBC(memcmp)(val, name, n) == 0)
		sb_puts(&sb, "' names itself (an alias loop)");
	else if (alias_loops(fdt, aliases, name, nlen, val))
		sb_puts(&sb, "' names another alias, whose chain leads back to it (an alias loop)");
	else if (fdt_getprop(fdt, aliases, val, NULL))
		sb_puts(&sb, "' names another alias (aliases are not chained)");
	else
		sb_puts(&sb, "' is not a path");
	sb_puts(&sb, ": expected a full path starting with '/'");
	return DT_ERR_BAD_PROP;
}

enum dt_err dt_path_node(const void *fdt, const char *path, size_t len, int where,
			 const char *prop, int *node, struct dt_diag *diag)
{
	const char *end = path + len, *rest;
	const char *val;
	int aliases, vlen, start = 0;

	if (len > 0 && path[0] != '/') {
		rest = BH_LIBC(memchr)(path, '/', len);
		if (!rest)
			rest = end;
		aliases = fdt_subnode_offset(fdt, 0, "aliases");
		val = aliases >= 0 ? fdt_getprop_namelen(fdt, aliases, path, (int)(rest - path), &vlen)
				   : NULL;
		if (!val) {
			struct strbuf sb = dt_diag_begin(diag, DT_ERR_BAD_PROP, fdt, where);

			sb_puts(&sb, prop);
			sb_puts(&sb, " names alias '");
			sb_putn(&sb, path, (size_t)(rest - path));
			sb_puts(&sb, aliases >= 0 ? "', which /aliases does not have"
						  : "', and the tree has no /aliases");
			return DT_ERR_BAD_PROP;
		}
		/* Only full paths: libfdt 1.6 follows an alias naming itself until the stack ends. */
		if (vlen <= 1 || val[0] != '/' || val[vlen - 1] != '\0' ||
		    BH_LIBC(strnlen)(val, (size_t)vlen) != (size_t)vlen - 1)
			return bad_alias(fdt, aliases, path, (size_t)(rest - path), val, vlen, diag);
		start = walk_path(fdt, 0, val, val + vlen - 1);
		if (start < 0) {
			struct strbuf sb = dt_diag_begin(diag, DT_ERR_BAD_PROP, fdt, aliases);

			sb_puts(&sb, "alias '");
			sb_putn(&sb, path, (size_t)(rest - path));
			sb_puts(&sb, "' = '");
			sb_puts(&sb, val);
			sb_puts(&sb, "', which is not in the tree");
			return DT_ERR_BAD_PROP;
		}
	} else {
		rest = path;
	}
	*node = len > 0 ? walk_path(fdt, start, rest, end) : -FDT_ERR_BADPATH;
	if (*node < 0)
		return path_missing(fdt, where, prop, path, len, diag);
	return DT_OK;
}

#define DEVICE_SEARCH_MAX 4096 /* nodes looked at for a name: a bound on a hostile tree's cost */

int dt_device_ref(const void *fdt, const char *ref, unsigned int *matches, int *first,
		  int *second)
{
	int node = fdt_path_offset(fdt, ref), n = 0;

	*matches = 0;
	*first = *second = -1;
	if (node >= 0 || ref[0] == '/' || BH_LIBC(strchr)(ref, '/'))
		return node >= 0 ? node : -1;
	for (int o = fdt_next_node(fdt, -1, NULL); o >= 0 && n < DEVICE_SEARCH_MAX;
	     o = fdt_next_node(fdt, o, NULL), n++) {
		const char *name = fdt_get_name(fdt, o, NULL);

		if (!name || BH_LIBC(strcmp)(name, ref))
			continue;
		if (++*matches == 1)
			*first = o;
		else if (*matches == 2)
			*second = o;
	}
	return *matches == 1 ? *first : -1;
}
