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

enum dt_err platform_early_read(const void *fdt, size_t bufsize, struct platform_early *out,
				struct dt_diag *diag)
{
	enum dt_err e;

	BH_LIBC(memset)(out, 0, sizeof(*out));
	/*
	 * The platform parse's own blob check, in full: libfdt's readers loop forever on a
	 * blob that passes fdt_check_header but whose property lengths lead a tag back to
	 * itself (tests/fuzz/regressions/platform/property-length-loops-back). This runs
	 * only at a stop before the panic policy is set, so its cost is no boot's.
	 */
	e = dt_blob_check(fdt, bufsize, diag);
	if (e != DT_OK)
		return e;
	read_bootargs(fdt, out);
	return DT_OK;
}
