#include <libfdt.h>
#include "dt/early.h"
#include "dt/fdt_read.h"
#include "core/lib/libc.h"

static bool prop_str_is(const void *fdt, int node, const char *prop, const char *val)
{
	int len;
	const char *s = fdt_getprop(fdt, node, prop, &len);
	size_t n = BH_LIBC(strlen)(val) + 1;

	return s && len >= 0 && (size_t)len == n && BH_LIBC(memcmp)(s, val, n) == 0;
}

static void read_bootargs(const void *fdt, struct platform_early *out)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	const char *s = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", &len) : NULL;

	if (!s || len <= 0 || (size_t)len > sizeof(out->bootargs) || s[len - 1] != '\0')
		return;
	BH_LIBC(memcpy)(out->bootargs, s, (size_t)len);
}

static bool psci_node(const void *fdt, int node)
{
	return node >= 0 && dt_node_enabled(fdt, node) &&
	       (dt_compatible(fdt, node, "arm,psci-1.0") || dt_compatible(fdt, node, "arm,psci-0.2"));
}

bool platform_early_psci(const void *fdt, enum psci_conduit *conduit)
{
	/* PSCI 0.1 ("arm,psci" alone) has no SYSTEM_OFF function id to rely on. */
	static const char *const compats[] = { "arm,psci-1.0", "arm,psci-0.2" };
	/* Where trees usually have it first: the search of every node costs far more. */
	int node = fdt_path_offset(fdt, "/psci");

	if (!psci_node(fdt, node))
		node = dt_find_compatible(fdt, compats, ARRAY_SIZE(compats), NULL);
	if (node < 0)
		return false;
	if (prop_str_is(fdt, node, "method", "hvc"))
		*conduit = PSCI_CONDUIT_HVC;
	else if (prop_str_is(fdt, node, "method", "smc"))
		*conduit = PSCI_CONDUIT_SMC;
	else
		return false;
	return true;
}

/*
 * The header check only (libfdt's, plus the sizes against what is readable and the
 * block offsets' alignment, which its readers assume): the full structure walk is the
 * platform parse's, and doing it twice costs more than the rest of this read. libfdt's
 * read-only calls stay in bounds on a blob that passed fdt_check_header; the one known
 * way they recurse (a self-naming alias) is never taken: only absolute paths are looked up.
 */
static enum dt_err header_check(const void *fdt, size_t bufsize, struct dt_diag *diag)
{
	struct strbuf sb;

	if (!fdt || bufsize < sizeof(struct fdt_header) || fdt_magic(fdt) != FDT_MAGIC ||
	    fdt_totalsize(fdt) > bufsize || fdt_check_header(fdt) != 0 ||
	    fdt_off_dt_struct(fdt) % sizeof(fdt32_t) != 0 ||
	    fdt_off_mem_rsvmap(fdt) % sizeof(fdt64_t) != 0) {
		sb = dt_diag_begin(diag, DT_ERR_HEADER, NULL, -1);
		sb_puts(&sb, "the blob's header is not usable (the platform parse says why)");
		return DT_ERR_HEADER;
	}
	return DT_OK;
}

enum dt_err platform_early_read(const void *fdt, size_t bufsize, struct platform_early *out,
				struct dt_diag *diag)
{
	enum dt_err e;

	BH_LIBC(memset)(out, 0, sizeof(*out));
	e = header_check(fdt, bufsize, diag);
	if (e != DT_OK)
		return e;
	read_bootargs(fdt, out);
	return DT_OK;
}
