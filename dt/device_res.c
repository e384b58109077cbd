#include <libfdt.h>
#include "core/lib/libc.h"
#include "core/lib/strbuf.h"
#include "dt/device_res.h"
#include "dt/fdt_read.h"

/* The GIC binding's first interrupt cell; INTID bases of each kind. */
enum { SPEC_SPI = 0, SPEC_PPI = 1 };
#define INTID_PPI_BASE 16u
#define INTID_SPI_BASE 32u
#define SPI_MAX 988u

static enum dt_err fail(struct dt_diag *diag, enum dt_err err, const void *fdt, int node,
			const char *what)
{
	struct strbuf sb = dt_diag_begin(diag, err, fdt, node);

	sb_puts(&sb, what);
	return err;
}

/* The node's interrupt parent: its own or its nearest ancestor's interrupt-parent. */
static int interrupt_parent(const void *fdt, int node)
{
	for (int n = node; n >= 0; n = fdt_parent_offset(fdt, n)) {
		int len;
		const fdt32_t *ph = fdt_getprop(fdt, n, "interrupt-parent", &len);

		if (ph && len == 4)
			return fdt_node_offset_by_phandle(fdt, fdt32_ld(ph));
		if (n == 0)
			break;
	}
	return -FDT_ERR_NOTFOUND;
}

static enum dt_err read_irqs(const void *fdt, int node, struct cap_device *out,
			     struct dt_diag *diag)
{
	int len, parent;
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
	uint32_t cells = 0;
	enum dt_err e;

	if (!irq)
		return DT_OK; /* a device without interrupts */
	parent = interrupt_parent(fdt, node);
	if (parent < 0 || !fdt_getprop(fdt, parent, "interrupt-controller", NULL))
		return fail(diag, DT_ERR_BAD_PROP, fdt, node, "interrupts without an interrupt controller");
	e = dt_read_u32(fdt, parent, "#interrupt-cells", &cells, diag);
	if (e != DT_OK)
		return e;
	if (cells != 3)
		return fail(diag, DT_ERR_UNSUPPORTED, fdt, parent,
			    "expected #interrupt-cells = 3 (a GIC) as the device's interrupt parent");
	if (len <= 0 || len % 12 != 0)
		return fail(diag, DT_ERR_BAD_PROP, fdt, node, "'interrupts' is not whole 3-cell entries");
	if ((unsigned int)len / 12 > CAP_DEVICE_IRQS)
		return fail(diag, DT_ERR_TOO_MANY, fdt, node, "more interrupts than a device capability holds");
	for (unsigned int i = 0; i < (unsigned int)len / 12; i++) {
		uint32_t type = fdt32_ld(&irq[3 * i]), num = fdt32_ld(&irq[3 * i + 1]);

		if (type == SPEC_PPI && num < 16)
			out->irq[out->n_irq++] = INTID_PPI_BASE + num;
		else if (type == SPEC_SPI && num < SPI_MAX)
			out->irq[out->n_irq++] = INTID_SPI_BASE + num;
		else
			return fail(diag, DT_ERR_BAD_PROP, fdt, node,
				    "interrupt is neither a PPI (< 16) nor an SPI (< 988)");
	}
	return DT_OK;
}

enum dt_err dt_device_resources(const void *fdt, const char *path, struct cap_device *out,
				struct dt_diag *diag)
{
	unsigned int matches;
	int first, second;
	int node = dt_device_ref(fdt, path, &matches, &first, &second);
	struct pa_range r;
	enum dt_err e;

	*out = (struct cap_device){ 0 };
	if (node < 0)
		return fail(diag, DT_ERR_MISSING_NODE, fdt, -1,
			    matches > 1 ? "several device nodes of that name" : "no such device node");
	e = dt_reg(fdt, node, 0, &r, diag);
	if (e != DT_OK)
		return e;
	out->mmio_base = pa_addr(r.base);
	out->mmio_bytes = r.size;
	return read_irqs(fdt, node, out, diag);
}

bool dt_device_resolver(void *ctx, const char *path, struct cap_device *out)
{
	struct dt_diag d;

	return dt_device_resources(ctx, path, out, &d) == DT_OK;
}
