#include <libfdt.h>
#include "dt/platform.h"
#include "dt/fdt_read.h"
#include "core/lib/libc.h"

/* Knowledge as data: which compatibles mean what. */
static const char *const gic_compats[] = {
	"arm,gic-v3", "arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a7-gic",
};
static const enum gic_version gic_versions[] = { GIC_V3, GIC_V2, GIC_V2, GIC_V2 };
STATIC_ASSERT(ARRAY_SIZE(gic_compats) == ARRAY_SIZE(gic_versions), "gic table");

static const char *const uart_compats[] = { "arm,pl011", "arm,sbsa-uart" };
static const enum uart_kind uart_kinds[] = { UART_PL011, UART_SBSA };

static const char *const timer_compats[] = { "arm,armv8-timer", "arm,armv7-timer" };
static const char *const psci_compats[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };

/* The generic timer's interrupts, in binding order. */
enum { TIMER_IRQ_SEC_PHYS, TIMER_IRQ_PHYS, TIMER_IRQ_VIRT, TIMER_IRQ_HYP };

/* GIC interrupt specifier types (first cell). */
enum { GIC_SPEC_SPI = 0, GIC_SPEC_PPI = 1 };
enum { GIC_INTID_PPI_BASE = 16, GIC_INTID_SPI_BASE = 32 };

static enum dt_err fail(struct dt_diag *diag, enum dt_err err, const void *fdt, int node,
			const char *what)
{
	struct strbuf sb = dt_diag_begin(diag, err, fdt, node);

	sb_puts(&sb, what);
	return err;
}

static void copy_str(char *dst, size_t cap, const char *src, size_t n)
{
	if (n > cap - 1)
		n = cap - 1;
	BH_LIBC(memcpy)(dst, src, n);
	dst[n] = '\0';
}

static bool prop_is(const void *fdt, int node, const char *prop, const char *val)
{
	int len;
	const char *s = fdt_getprop(fdt, node, prop, &len);
	size_t n = BH_LIBC(strlen)(val) + 1;

	return s && (size_t)len == n && BH_LIBC(memcmp)(s, val, n) == 0;
}

static enum dt_err parse_memory(const void *fdt, struct platform *p, struct dt_diag *diag)
{
	int node;

	fdt_for_each_subnode(node, fdt, 0) {
		unsigned int count;
		enum dt_err e;

		if (!prop_is(fdt, node, "device_type", "memory") || !dt_node_enabled(fdt, node))
			continue;
		e = dt_reg_count(fdt, node, &count, diag);
		for (unsigned int i = 0; e == DT_OK && i < count; i++) {
			if (p->n_ram == PLAT_MAX_RAM)
				return fail(diag, DT_ERR_TOO_MANY, fdt, node,
					    "more than 8 memory ranges");
			e = dt_reg(fdt, node, i, &p->ram[p->n_ram++], diag);
		}
		if (e != DT_OK)
			return e;
	}
	if (p->n_ram == 0)
		return fail(diag, DT_ERR_MISSING_NODE, fdt, 0,
			    "expected a /memory node with device_type = \"memory\" and a reg");
	return DT_OK;
}

static enum dt_err add_reserved(const void *fdt, int node, struct platform *p, uint64_t base,
				uint64_t size, struct dt_diag *diag)
{
	if (size == 0)
		return DT_OK;
	if (base + size < base)
		return fail(diag, DT_ERR_BAD_REG, fdt, node, "reserved range wraps around");
	if (p->n_reserved == PLAT_MAX_RESERVED)
		return fail(diag, DT_ERR_TOO_MANY, fdt, node, "more than 16 reserved ranges");
	p->reserved[p->n_reserved++] = (struct pa_range){ pa_init(base), size };
	return DT_OK;
}

static enum dt_err parse_reserved(const void *fdt, struct platform *p, struct dt_diag *diag)
{
	int n = fdt_num_mem_rsv(fdt);
	enum dt_err e = DT_OK;
	int rm, node;

	for (int i = 0; i < n && e == DT_OK; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) != 0)
			return fail(diag, DT_ERR_STRUCTURE, fdt, -1, "unreadable /memreserve/ entry");
		e = add_reserved(fdt, -1, p, base, size, diag);
	}
	rm = fdt_path_offset(fdt, "/reserved-memory");
	if (rm < 0 || e != DT_OK)
		return e;
	fdt_for_each_subnode(node, fdt, rm) {
		unsigned int count;

		/* Nodes with only a size ask the OS to allocate: nothing is reserved yet. */
		if (!dt_node_enabled(fdt, node) || !fdt_getprop(fdt, node, "reg", NULL))
			continue;
		e = dt_reg_count(fdt, node, &count, diag);
		for (unsigned int i = 0; e == DT_OK && i < count; i++) {
			struct pa_range r;

			e = dt_reg(fdt, node, i, &r, diag);
			if (e == DT_OK)
				e = add_reserved(fdt, node, p, pa_addr(r.base), r.size, diag);
		}
		if (e != DT_OK)
			return e;
	}
	return DT_OK;
}

static enum dt_err parse_cpus(const void *fdt, unsigned int max_cpus, struct platform *p,
			      struct dt_diag *diag)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	unsigned int ac, sc;
	int node;
	enum dt_err e;

	if (cpus < 0)
		return fail(diag, DT_ERR_MISSING_NODE, fdt, -1, "expected a /cpus node");
	e = dt_child_cells(fdt, cpus, &ac, &sc, diag);
	if (e != DT_OK)
		return e;
	if (ac < 1 || sc != 0)
		return fail(diag, DT_ERR_BAD_PROP, fdt, cpus,
			    "expected #address-cells of 1 or 2 and #size-cells = 0");
	fdt_for_each_subnode(node, fdt, cpus) {
		int len;
		const fdt32_t *reg;
		uint64_t mpidr;

		if (!prop_is(fdt, node, "device_type", "cpu") || !dt_node_enabled(fdt, node))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || (unsigned int)len != 4 * ac)
			return fail(diag, reg ? DT_ERR_BAD_REG : DT_ERR_MISSING_PROP, fdt, node,
				    "expected 'reg' of #address-cells with the MPIDR");
		mpidr = ac == 1 ? fdt32_ld(reg) : ((uint64_t)fdt32_ld(reg) << 32) | fdt32_ld(reg + 1);
		if (mpidr & ~MPIDR_AFF_MASK)
			return fail(diag, DT_ERR_BAD_REG, fdt, node,
				    "'reg' has bits outside the MPIDR affinity fields");
		if (platform_cpu_index(p, mpidr) >= 0)
			return fail(diag, DT_ERR_BAD_REG, fdt, node, "two CPUs with the same MPIDR");
		if (p->n_cpus > 0 && !prop_is(fdt, node, "enable-method", "psci"))
			return fail(diag, DT_ERR_UNSUPPORTED, fdt, node,
				    "secondary CPU without enable-method = \"psci\"");
		if (p->n_cpus >= max_cpus || p->n_cpus >= PLAT_MAX_CPUS) {
			p->n_cpus_ignored++;
			continue;
		}
		p->cpu_mpidr[p->n_cpus++] = mpidr;
	}
	if (p->n_cpus == 0)
		return fail(diag, DT_ERR_MISSING_NODE, fdt, cpus,
			    "expected at least one cpu node with device_type = \"cpu\"");
	return DT_OK;
}

static enum dt_err parse_gic(const void *fdt, struct platform *p, int *gic_node,
			     struct dt_diag *diag)
{
	unsigned int which, count, regions = 1;
	int node = dt_find_compatible(fdt, gic_compats, ARRAY_SIZE(gic_compats), &which);
	enum dt_err e;

	if (node < 0)
		return fail(diag, DT_ERR_MISSING_NODE, fdt, -1,
			    "expected an interrupt controller compatible with arm,gic-v3, "
			    "arm,cortex-a15-gic, arm,gic-400 or arm,cortex-a7-gic");
	*gic_node = node;
	p->gic.version = gic_versions[which];
	e = dt_reg_count(fdt, node, &count, diag);
	if (e == DT_OK)
		e = dt_reg(fdt, node, 0, &p->gic.dist, diag);
	if (e != DT_OK)
		return e;
	if (p->gic.version == GIC_V2)
		return dt_reg(fdt, node, 1, &p->gic.cpuif, diag);
	if (fdt_getprop(fdt, node, "#redistributor-regions", NULL)) {
		e = dt_read_u32(fdt, node, "#redistributor-regions", &regions, diag);
		if (e != DT_OK)
			return e;
		if (regions == 0 || regions > PLAT_MAX_REDIST)
			return fail(diag, DT_ERR_UNSUPPORTED, fdt, node,
				    "#redistributor-regions must be 1 to 4");
	}
	for (unsigned int i = 0; i < regions; i++) {
		e = dt_reg(fdt, node, 1 + i, &p->gic.redist[i], diag);
		if (e != DT_OK)
			return e;
	}
	p->gic.n_redist = regions;
	return DT_OK;
}

/* Interrupt idx of node as a GIC INTID (the node's parent must use the 3-cell binding). */
static enum dt_err gic_intid(const void *fdt, int node, int gic_node, unsigned int idx,
			     uint32_t *intid, struct dt_diag *diag)
{
	int len;
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
	uint32_t cells = 0;
	enum dt_err e = dt_read_u32(fdt, gic_node, "#interrupt-cells", &cells, diag);

	if (e != DT_OK)
		return e;
	if (cells != 3)
		return fail(diag, DT_ERR_UNSUPPORTED, fdt, gic_node,
			    "expected #interrupt-cells = 3 on the GIC");
	if (!irq)
		return fail(diag, DT_ERR_MISSING_PROP, fdt, node, "expected property 'interrupts'");
	if (len % 12 != 0 || (unsigned int)len / 12 <= idx)
		return fail(diag, DT_ERR_BAD_PROP, fdt, node,
			    "'interrupts' has too few 3-cell entries");
	uint32_t type = fdt32_ld(&irq[3 * idx]), num = fdt32_ld(&irq[3 * idx + 1]);
	if (type == GIC_SPEC_PPI && num < 16)
		*intid = GIC_INTID_PPI_BASE + num;
	else if (type == GIC_SPEC_SPI && num < 988)
		*intid = GIC_INTID_SPI_BASE + num;
	else
		return fail(diag, DT_ERR_BAD_PROP, fdt, node,
			    "interrupt is neither a PPI (< 16) nor an SPI (< 988)");
	return DT_OK;
}

static enum dt_err parse_timer(const void *fdt, int gic_node, struct platform *p,
			       struct dt_diag *diag)
{
	int node = dt_find_compatible(fdt, timer_compats, ARRAY_SIZE(timer_compats), NULL);
	enum dt_err e;

	if (node < 0)
		return fail(diag, DT_ERR_MISSING_NODE, fdt, -1,
			    "expected a timer compatible with arm,armv8-timer");
	e = gic_intid(fdt, node, gic_node, TIMER_IRQ_PHYS, &p->timer.phys_intid, diag);
	if (e == DT_OK)
		e = gic_intid(fdt, node, gic_node, TIMER_IRQ_VIRT, &p->timer.virt_intid, diag);
	if (e == DT_OK && fdt_getprop(fdt, node, "clock-frequency", NULL))
		e = dt_read_u32(fdt, node, "clock-frequency", &p->timer.freq_hz, diag);
	if (e == DT_OK && p->timer.virt_intid >= GIC_INTID_SPI_BASE)
		return fail(diag, DT_ERR_BAD_PROP, fdt, node, "virtual timer is not a PPI");
	return e;
}

static enum dt_err console_from(const void *fdt, int node, struct platform *p,
				struct dt_diag *diag)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(uart_compats); i++) {
		if (dt_compatible(fdt, node, uart_compats[i])) {
			p->console.kind = uart_kinds[i];
			p->console.node = node;
			if (fdt_get_path(fdt, node, p->console.path, sizeof(p->console.path)) != 0)
				p->console.path[0] = '\0';
			return dt_reg(fdt, node, 0, &p->console.regs, diag);
		}
	}
	return fail(diag, DT_ERR_UNSUPPORTED, fdt, node,
		    "stdout-path names a device that is neither arm,pl011 nor arm,sbsa-uart");
}

static enum dt_err parse_console(const void *fdt, int chosen, struct platform *p,
				 struct dt_diag *diag)
{
	int len, node;
	const char *path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;

	if (path && len > 1) {
		/* "path[:options]"; the path may be an alias. */
		const char *colon = BH_LIBC(memchr)(path, ':', (size_t)len);
		size_t n = colon ? (size_t)(colon - path) : BH_LIBC(strnlen)(path, (size_t)len);
		enum dt_err e = dt_path_node(fdt, path, n, chosen, "stdout-path", &node, diag);

		return e != DT_OK ? e : console_from(fdt, node, p, diag);
	}
	node = dt_find_compatible(fdt, uart_compats, ARRAY_SIZE(uart_compats), NULL);
	if (node < 0)
		return fail(diag, DT_ERR_MISSING_NODE, fdt, -1,
			    "expected a console: /chosen/stdout-path, or an arm,pl011 or "
			    "arm,sbsa-uart node");
	return console_from(fdt, node, p, diag);
}

/* Optional: absent is fine, present must have a usable reg. */
static enum dt_err parse_rtc(const void *fdt, struct platform *p, struct dt_diag *diag)
{
	static const char *const rtc_compats[] = { "arm,pl031" };
	int node = dt_find_compatible(fdt, rtc_compats, ARRAY_SIZE(rtc_compats), NULL);

	if (node < 0)
		return DT_OK;
	if (fdt_get_path(fdt, node, p->rtc.path, sizeof(p->rtc.path)) != 0)
		p->rtc.path[0] = '\0';
	p->rtc.present = true;
	return dt_reg(fdt, node, 0, &p->rtc.regs, diag);
}

static enum dt_err parse_psci(const void *fdt, struct platform *p, struct dt_diag *diag)
{
	unsigned int which;
	int node = dt_find_compatible(fdt, psci_compats, ARRAY_SIZE(psci_compats), &which);

	if (node < 0)
		return fail(diag, DT_ERR_MISSING_NODE, fdt, -1,
			    "expected a psci node compatible with arm,psci-0.2 or arm,psci-1.0");
	if (which == 2)
		return fail(diag, DT_ERR_UNSUPPORTED, fdt, node,
			    "PSCI 0.1 (arm,psci only): need arm,psci-0.2 or later");
	p->psci.v1_0 = which == 0;
	if (prop_is(fdt, node, "method", "hvc"))
		p->psci.conduit = PSCI_CONDUIT_HVC;
	else if (prop_is(fdt, node, "method", "smc"))
		p->psci.conduit = PSCI_CONDUIT_SMC;
	else
		return fail(diag, DT_ERR_BAD_PROP, fdt, node,
			    "expected method = \"hvc\" or \"smc\"");
	return DT_OK;
}

static void parse_hypervisor(const void *fdt, struct platform *p)
{
	int node = fdt_path_offset(fdt, "/hypervisor");
	const char *c;
	int len;

	p->hypervisor.kind = HYP_NONE;
	if (node < 0 || !dt_compatible(fdt, node, "xen,xen"))
		return;
	p->hypervisor.kind = HYP_XEN;
	c = fdt_stringlist_get(fdt, node, "compatible", 0, &len);
	if (c)
		copy_str(p->hypervisor.compatible, sizeof(p->hypervisor.compatible), c, (size_t)len);
}

static enum dt_err parse_chosen(const void *fdt, int chosen, struct platform *p,
				struct dt_diag *diag)
{
	const char *args;
	int len;
	uint64_t start, end;
	enum dt_err e;

	if (chosen < 0)
		return DT_OK;
	args = fdt_getprop(fdt, chosen, "bootargs", &len);
	if (args && len > 0) {
		if (args[len - 1] != '\0')
			return fail(diag, DT_ERR_BAD_PROP, fdt, chosen,
				    "bootargs is not a NUL-terminated string");
		if ((size_t)len > sizeof(p->bootargs))
			return fail(diag, DT_ERR_TOO_MANY, fdt, chosen,
				    "bootargs longer than 255 bytes");
		BH_LIBC(memcpy)(p->bootargs, args, (size_t)len);
	}
	if (!fdt_getprop(fdt, chosen, "linux,initrd-start", NULL))
		return DT_OK;
	e = dt_read_cells_u64(fdt, chosen, "linux,initrd-start", &start, diag);
	if (e == DT_OK)
		e = dt_read_cells_u64(fdt, chosen, "linux,initrd-end", &end, diag);
	if (e != DT_OK)
		return e;
	if (end < start)
		return fail(diag, DT_ERR_BAD_PROP, fdt, chosen,
			    "linux,initrd-end is below linux,initrd-start");
	if (end > start) { /* Xen writes 0..0 for "none" */
		p->has_initrd = true;
		p->initrd = (struct pa_range){ pa_init(start), end - start };
	}
	return DT_OK;
}

enum dt_err platform_parse(const void *fdt, size_t bufsize, unsigned int max_cpus,
			   struct platform *out, struct dt_diag *diag)
{
	int gic_node = -1, chosen;
	enum dt_err e;

	BH_LIBC(memset)(out, 0, sizeof(*out));
	e = dt_blob_check(fdt, bufsize, diag);
	if (e != DT_OK)
		return e;
	chosen = fdt_path_offset(fdt, "/chosen");
	if ((e = parse_memory(fdt, out, diag)) != DT_OK ||
	    (e = parse_reserved(fdt, out, diag)) != DT_OK ||
	    (e = parse_cpus(fdt, max_cpus ? max_cpus : 1, out, diag)) != DT_OK ||
	    (e = parse_gic(fdt, out, &gic_node, diag)) != DT_OK ||
	    (e = parse_timer(fdt, gic_node, out, diag)) != DT_OK ||
	    (e = parse_console(fdt, chosen, out, diag)) != DT_OK ||
	    (e = parse_psci(fdt, out, diag)) != DT_OK ||
	    (e = parse_rtc(fdt, out, diag)) != DT_OK ||
	    (e = parse_chosen(fdt, chosen, out, diag)) != DT_OK)
		return e;
	parse_hypervisor(fdt, out);
	diag->err = DT_OK;
	return DT_OK;
}

static bool compatible_any(const void *fdt, int node, const char *const *compats, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (dt_compatible(fdt, node, compats[i]))
			return true;
	return false;
}

const char *platform_kernel_device(const void *fdt, const struct platform *p, int node)
{
	if (node == p->console.node)
		return "the console";
	if (compatible_any(fdt, node, gic_compats, ARRAY_SIZE(gic_compats)))
		return "the interrupt controller";
	if (compatible_any(fdt, node, timer_compats, ARRAY_SIZE(timer_compats)))
		return "the timer";
	if (compatible_any(fdt, node, psci_compats, ARRAY_SIZE(psci_compats)))
		return "the PSCI firmware";
	return NULL;
}

int platform_cpu_index(const struct platform *p, uint64_t mpidr)
{
	for (unsigned int i = 0; i < p->n_cpus; i++)
		if (p->cpu_mpidr[i] == (mpidr & MPIDR_AFF_MASK))
			return (int)i;
	return -1;
}

uint64_t platform_ram_bytes(const struct platform *p)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < p->n_ram; i++)
		total += p->ram[i].size;
	return total;
}

const char *gic_version_name(enum gic_version v)
{
	return v == GIC_V2 ? "v2" : v == GIC_V3 ? "v3" : "?";
}

const char *uart_kind_name(enum uart_kind k)
{
	return k == UART_PL011 ? "pl011" : k == UART_SBSA ? "sbsa-uart" : "?";
}

const char *psci_conduit_name(enum psci_conduit c)
{
	return c == PSCI_CONDUIT_HVC ? "hvc" : c == PSCI_CONDUIT_SMC ? "smc" : "?";
}

const char *hyp_kind_name(enum hyp_kind k)
{
	return k == HYP_XEN ? "xen" : "none";
}
