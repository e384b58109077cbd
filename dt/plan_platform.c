/*
 * Rules against the machine: CPUs that exist, memory that is RAM and free, devices that
 * exist and are not the kernel's. Also places the partitions without a fixed base:
 * first fit, in plan order, from the lowest free address (deterministic).
 */
#include <libfdt.h>
#include "core/lib/libc.h"
#include "dt/fdt_read.h"
#include "dt/plan_internal.h"

#define MAX_FREE 64

struct free_list {
	struct { uint64_t base, end; } r[MAX_FREE]; /* [base, end) */
	unsigned int n;
	bool overflow;
};

/* Removes [base, base+size) from the free list, splitting ranges. */
static void carve(struct free_list *f, uint64_t base, uint64_t size)
{
	uint64_t end = base + size < base ? UINT64_MAX : base + size;

	for (unsigned int i = 0; i < f->n; i++) {
		uint64_t b = f->r[i].base, e = f->r[i].end;

		if (end <= b || base >= e)
			continue;
		if (base > b && end < e) {
			if (f->n == MAX_FREE) {
				f->overflow = true;
				return;
			}
			f->r[f->n].base = end;
			f->r[f->n].end = e;
			f->n++;
			f->r[i].end = base;
		} else if (base > b) {
			f->r[i].end = base;
		} else if (end < e) {
			f->r[i].base = end;
		} else {
			f->r[i] = f->r[--f->n];
			i--;
		}
	}
}

static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return as && bs && a < b + bs && b < a + as;
}

static void cpu_missing(struct plan_report *rep, const char *path, const char *what,
			uint32_t cpu, unsigned int n_cpus)
{
	struct strbuf sb = plan_error_add(rep, RULE_CPU_MISSING, path);

	sb_puts(&sb, what);
	sb_u64(&sb, cpu);
	sb_puts(&sb, ", ");
	plan_put_cpus(&sb, n_cpus);
}

static void check_cpus(const struct plan *p, const struct platform *plat, struct plan_report *rep)
{
	for (unsigned int i = 0; i < p->n_part; i++)
		if (p->part[i].cpu >= plat->n_cpus)
			cpu_missing(rep, p->part[i].path, "cpu = ", p->part[i].cpu, plat->n_cpus);
	for (unsigned int i = 0; i < p->n_sched; i++)
		if (p->sched[i].cpu >= plat->n_cpus)
			cpu_missing(rep, p->sched[i].path, "scheduled CPU ", p->sched[i].cpu,
				    plat->n_cpus);
}

/* What is in RAM before any partition: its name, base and size. */
struct taken {
	const char *what;
	uint64_t base, size;
};

static unsigned int taken_ranges(const struct plan_env *env, struct taken *t, unsigned int max)
{
	const struct platform *plat = env->plat;
	unsigned int n = 0;

	t[n++] = (struct taken){ "the kernel image", pa_addr(env->kernel.base), env->kernel.size };
	t[n++] = (struct taken){ "the platform device tree", pa_addr(env->dtb.base), env->dtb.size };
	if (plat->has_initrd)
		t[n++] = (struct taken){ "the initrd", pa_addr(plat->initrd.base), plat->initrd.size };
	if (env->tables.size)
		t[n++] = (struct taken){ "the kernel's plan tables", pa_addr(env->tables.base),
					 env->tables.size };
	for (unsigned int i = 0; i < plat->n_reserved && n < max; i++)
		t[n++] = (struct taken){ "reserved memory", pa_addr(plat->reserved[i].base),
					 plat->reserved[i].size };
	return n;
}

static bool in_ram(const struct platform *plat, uint64_t base, uint64_t size)
{
	for (unsigned int i = 0; i < plat->n_ram; i++) {
		uint64_t rb = pa_addr(plat->ram[i].base);

		if (base >= rb && base + size <= rb + plat->ram[i].size)
			return true;
	}
	return false;
}

uint64_t plan_cap_slots(const struct plan *p)
{
	uint64_t slots = 0;

	for (unsigned int i = 0; i < p->n_part; i++)
		slots += p->part[i].n_devices;
	for (unsigned int i = 0; i < p->n_chan; i++)
		slots += 1 + p->chan[i].n_dest;
	return slots;
}

uint64_t plan_channel_state_bytes(const struct plan *p)
{
	return (uint64_t)p->n_chan * PLAN_CHANNEL_STATE_BYTES +
	       plan_cap_slots(p) * PLAN_CAP_STATE_BYTES + (uint64_t)p->n_part * PLAN_PART_STATE_BYTES;
}

/* A channel's region alone, in whole pages. */
static uint64_t region_pages_bytes(const struct plan_channel *c)
{
	uint64_t data = ALIGN_UP((uint64_t)c->message_bytes, 8);
	uint64_t region = c->kind == CHANNEL_QUEUING
				  ? BH_PORT_HDR_BYTES + c->depth * (BH_PORT_SLOT_HDR_BYTES + data)
				  : BH_PORT_HDR_BYTES + data;

	return ALIGN_UP(region, (uint64_t)PLAN_PAGE_BYTES);
}

uint64_t plan_channel_region_bytes(const struct plan_channel *c)
{
	return region_pages_bytes(c) +
	       (c->kind == CHANNEL_QUEUING ? 1u : c->n_dest) * (uint64_t)PLAN_PAGE_BYTES;
}

uint64_t plan_channel_mapped_bytes(const struct plan_channel *c, const char *part)
{
	if (!BH_LIBC(strcmp)(c->source, part))
		return region_pages_bytes(c) + (c->kind == CHANNEL_QUEUING ? PLAN_PAGE_BYTES : 0);
	if (c->kind == CHANNEL_QUEUING)
		return 0;
	for (unsigned int d = 0; d < c->n_dest; d++)
		if (!BH_LIBC(strcmp)(c->dest[d], part))
			return region_pages_bytes(c) + PLAN_PAGE_BYTES;
	return 0;
}

uint64_t plan_channel_bytes(const struct plan *p)
{
	uint64_t total = ALIGN_UP(plan_channel_state_bytes(p), (uint64_t)PLAN_PAGE_BYTES);

	for (unsigned int i = 0; i < p->n_chan; i++)
		total += plan_channel_region_bytes(&p->chan[i]);
	return total;
}

/* First fit from the lowest free address: *out on success. */
static bool place(struct free_list *f, uint64_t bytes, struct pa_range *out, uint64_t *largest)
{
	*largest = 0;
	for (unsigned int k = 0; k < f->n; k++) {
		uint64_t b = ALIGN_UP(f->r[k].base, (uint64_t)PLAN_PAGE_BYTES);
		uint64_t avail = f->r[k].end > b ? f->r[k].end - b : 0;

		if (avail > *largest)
			*largest = avail;
		if (avail >= bytes) {
			*out = (struct pa_range){ pa_init(b), bytes };
			carve(f, b, bytes);
			return true;
		}
	}
	return false;
}

#define MAX_TAKEN (4 + PLAT_MAX_RESERVED)

/* RAM less what is in it before any partition. */
static unsigned int free_ram(const struct plan_env *env, struct free_list *f, struct taken *t)
{
	unsigned int n_taken = taken_ranges(env, t, MAX_TAKEN);

	f->n = 0;
	f->overflow = false;
	for (unsigned int i = 0; i < env->plat->n_ram && i < MAX_FREE; i++, f->n++) {
		f->r[i].base = pa_addr(env->plat->ram[i].base);
		f->r[i].end = f->r[i].base + env->plat->ram[i].size;
	}
	for (unsigned int i = 0; i < n_taken; i++)
		if (t[i].size)
			carve(f, t[i].base, t[i].size);
	return n_taken;
}

/* The largest free block, whole pages (the higher of two the same size): false if none. */
static bool largest_free(const struct free_list *f, struct pa_range *out)
{
	uint64_t best = 0, best_base = 0;

	for (unsigned int k = 0; k < f->n; k++) {
		uint64_t b = ALIGN_UP(f->r[k].base, (uint64_t)PLAN_PAGE_BYTES);
		uint64_t e = ALIGN_DOWN(f->r[k].end, (uint64_t)PLAN_PAGE_BYTES);

		if (e > b && (e - b > best || (e - b == best && b > best_base))) {
			best = e - b;
			best_base = b;
		}
	}
	*out = (struct pa_range){ pa_init(best_base), best };
	return best != 0;
}

bool plan_tables_ram(const struct plan_env *env, uint64_t bytes, struct pa_range *out)
{
	struct taken t[MAX_TAKEN];
	struct free_list f;
	struct pa_range big;
	struct plan_env before = *env;

	before.tables = (struct pa_range){ pa_init(0), 0 };
	free_ram(&before, &f, t);
	bytes = ALIGN_UP(bytes, (uint64_t)PLAN_PAGE_BYTES);
	if (!largest_free(&f, &big) || big.size < bytes) {
		*out = big;
		return false;
	}
	*out = (struct pa_range){ pa_init(pa_addr(big.base) + big.size - bytes), bytes };
	return true;
}

static void check_memory(const struct plan *p, const struct plan_env *env,
			 struct plan_memory_map *map, struct plan_report *rep)
{
	struct taken t[MAX_TAKEN];
	struct free_list f;
	unsigned int n_taken = free_ram(env, &f, t);

	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct plan_partition *pp = &p->part[i];

		if (!pp->has_base)
			continue;
		map->part[i] = (struct pa_range){ pa_init(pp->memory_base), pp->memory_bytes };
		if (!in_ram(env->plat, pp->memory_base, pp->memory_bytes)) {
			struct strbuf sb = plan_error_add(rep, RULE_MEMORY_RAM, pp->path);

			plan_put_range(&sb, pp->memory_base, pp->memory_bytes);
			sb_puts(&sb, " is not inside one RAM range of the machine");
			continue;
		}
		for (unsigned int k = 0; k < n_taken; k++) {
			if (!overlaps(pp->memory_base, pp->memory_bytes, t[k].base, t[k].size))
				continue;
			struct strbuf sb = plan_error_add(rep, RULE_MEMORY_RESERVED, pp->path);

			plan_put_range(&sb, pp->memory_base, pp->memory_bytes);
			sb_puts(&sb, " overlaps ");
			sb_puts(&sb, t[k].what);
			sb_puts(&sb, " (");
			plan_put_range(&sb, t[k].base, t[k].size);
			sb_puts(&sb, ")");
		}
		carve(&f, pp->memory_base, pp->memory_bytes);
	}

	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct plan_partition *pp = &p->part[i];
		uint64_t largest;

		if (pp->has_base || place(&f, pp->memory_bytes, &map->part[i], &largest))
			continue;
		struct strbuf sb = plan_error_add(rep, RULE_MEMORY_FIT, pp->path);

		sb_puts(&sb, "memory-bytes = ");
		sb_hex(&sb, pp->memory_bytes);
		sb_puts(&sb, ", the largest free block of RAM left is ");
		sb_hex(&sb, largest);
		sb_puts(&sb, " bytes");
	}
	uint64_t chan_bytes = plan_channel_bytes(p), largest;

	map->channels = (struct pa_range){ pa_init(0), 0 };
	if (chan_bytes && !place(&f, chan_bytes, &map->channels, &largest)) {
		struct strbuf sb = plan_error_add(rep, RULE_MEMORY_FIT, "/channels");

		sb_puts(&sb, "the channels need ");
		sb_hex(&sb, chan_bytes);
		sb_puts(&sb, " bytes, the largest free block of RAM left is ");
		sb_hex(&sb, largest);
		sb_puts(&sb, " bytes");
	}
	(void)largest_free(&f, &map->free);
	if (f.overflow)
		plan_error_str(rep, RULE_LIMIT, "/partitions", "RAM is cut into too many pieces");
}

/* ", did you mean '/pl031@9010000'?" for a path that is not in the platform tree. */
static void put_node_suggestion(const void *fdt, const char *path, struct strbuf *sb)
{
	char buf[PLAN_PATH_MAX], best[PLAN_PATH_MAX];
	struct plan_suggest sg;
	int n = 0;

	plan_suggest_init(&sg, path);
	for (int node = fdt_next_node(fdt, -1, NULL); node >= 0 && n < 4096;
	     node = fdt_next_node(fdt, node, NULL), n++) {
		const char *before = sg.best;

		if (fdt_get_path(fdt, node, buf, sizeof(buf)) != 0)
			continue;
		plan_suggest_consider(&sg, buf);
		if (sg.best != before) {
			BH_LIBC(memcpy)(best, buf, sizeof(best));
			sg.best = best;
		}
	}
	plan_suggest_put(&sg, sb);
}

/* The nodes that are the machine's own rather than devices (besides memory and CPUs). */
static const char *const system_paths[] = { "/cpus", "/chosen", "/aliases", "/reserved-memory" };

/* What node is if it is the machine's own (the root, memory, a CPU, system_paths[]), else NULL. */
static const char *system_node(const void *fdt, int node, const int *sys)
{
	int len;
	const char *type = fdt_getprop(fdt, node, "device_type", &len);

	if (node == 0)
		return "the root node";
	for (unsigned int i = 0; i < ARRAY_SIZE(system_paths); i++)
		if (node == sys[i])
			return system_paths[i];
	if (type && len == 7 && !BH_LIBC(memcmp)(type, "memory", 7))
		return "memory";
	if (type && len == 4 && !BH_LIBC(memcmp)(type, "cpu", 4))
		return "a CPU";
	return NULL;
}

/* One step through a node's reg: an entry, the end (or no reg: interrupts only), or a
 * reg that cannot be read (malformed, or not translatable to a CPU address). */
enum reg_step { REG_GOT, REG_END, REG_BAD };

/* Entry i of node's reg, translated to a CPU physical range. */
static enum reg_step device_reg(const void *fdt, int node, unsigned int i, struct pa_range *r)
{
	struct dt_diag diag;
	unsigned int n;

	if (!fdt_getprop(fdt, node, "reg", NULL))
		return REG_END;
	if (dt_reg_count(fdt, node, &n, &diag) != DT_OK)
		return REG_BAD;
	if (i >= n)
		return REG_END;
	return dt_reg(fdt, node, i, r, &diag) == DT_OK ? REG_GOT : REG_BAD;
}

/* Why a node may not be given to a partition: rule, relation, what, and the related node. */
struct device_finding {
	enum plan_rule rule; /* RULE_COUNT: none, it is a device a partition may own */
	const char *how;     /* "is", "is inside", "holds", "has" */
	const char *what;    /* "the console", "memory", "/chosen", ... */
	int other;           /* the node inside or above it that what describes, or -1 */
};

static const struct device_finding regs_in_ram = { RULE_DEVICE_NODE, "has registers in", "RAM", -1 },
				    in_reserved = { RULE_DEVICE_NODE, "has registers in",
						    "reserved memory", -1 },
				    on_console = { RULE_DEVICE_KERNEL, "shares registers with",
						   "the console", -1 },
				    on_gic = { RULE_DEVICE_KERNEL, "shares registers with",
					       "the interrupt controller", -1 },
				    bad_reg = { RULE_DEVICE_NODE, "has", "a reg that cannot be read", -1 };

/* What of the kernel's own r overlaps: RAM (the kernel, the partitions' memory, ...),
 * reserved memory, or the registers of a device the kernel keeps; NULL for none. The
 * node checks above compare nodes; this catches another node over the same registers. */
static const struct device_finding *reg_clash(const struct platform *p, const struct pa_range *r)
{
	for (unsigned int i = 0; i < p->n_ram && i < PLAT_MAX_RAM; i++)
		if (pa_range_overlaps(r, &p->ram[i]))
			return &regs_in_ram;
	for (unsigned int i = 0; i < p->n_reserved && i < PLAT_MAX_RESERVED; i++)
		if (pa_range_overlaps(r, &p->reserved[i]))
			return &in_reserved;
	if (pa_range_overlaps(r, &p->console.regs))
		return &on_console;
	if (pa_range_overlaps(r, &p->gic.dist) || pa_range_overlaps(r, &p->gic.cpuif))
		return &on_gic;
	for (unsigned int i = 0; i < p->gic.n_redist && i < PLAT_MAX_REDIST; i++)
		if (pa_range_overlaps(r, &p->gic.redist[i]))
			return &on_gic;
	return NULL;
}

/*
 * Rules device-kernel and device-node, one finding per node, the most telling first: a
 * partition may own a node with reg or interrupts that is not a device the kernel keeps,
 * not the machine's own (system_node), not inside one, and holds neither.
 */
static struct device_finding device_finding(const struct plan_env *env, int node)
{
	const void *fdt = env->fdt;
	int sys[ARRAY_SIZE(system_paths)], depth;
	const char *what;

	for (unsigned int i = 0; i < ARRAY_SIZE(system_paths); i++)
		sys[i] = fdt_path_offset(fdt, system_paths[i]);
	if ((what = platform_kernel_device(fdt, env->plat, node)))
		return (struct device_finding){ RULE_DEVICE_KERNEL, "is", what, -1 };
	if ((what = system_node(fdt, node, sys)))
		return (struct device_finding){ RULE_DEVICE_NODE, "is", what, -1 };
	for (int up = fdt_parent_offset(fdt, node); up > 0; up = fdt_parent_offset(fdt, up))
		if ((what = system_node(fdt, up, sys)))
			return (struct device_finding){ RULE_DEVICE_NODE, "is inside", what, up };
	depth = 0;
	for (int d = fdt_next_node(fdt, node, &depth); d >= 0 && depth > 0;
	     d = fdt_next_node(fdt, d, &depth))
		if ((what = system_node(fdt, d, sys)))
			return (struct device_finding){ RULE_DEVICE_NODE, "holds", what, d };
	depth = 0;
	for (int d = fdt_next_node(fdt, node, &depth); d >= 0 && depth > 0;
	     d = fdt_next_node(fdt, d, &depth))
		if ((what = platform_kernel_device(fdt, env->plat, d)))
			return (struct device_finding){ RULE_DEVICE_KERNEL, "holds", what, d };
	if (!fdt_getprop(fdt, node, "reg", NULL) && !fdt_getprop(fdt, node, "interrupts", NULL) &&
	    !fdt_getprop(fdt, node, "interrupts-extended", NULL))
		return (struct device_finding){ RULE_DEVICE_NODE, "has", "neither reg nor interrupts", -1 };
	for (unsigned int i = 0;; i++) {
		struct pa_range r;
		enum reg_step step = device_reg(fdt, node, i, &r);
		const struct device_finding *c;

		if (step == REG_END)
			break;
		if (step == REG_BAD)
			return bad_reg;
		if ((c = reg_clash(env->plat, &r)))
			return *c;
	}
	return (struct device_finding){ RULE_COUNT, NULL, NULL, -1 };
}

/*
 * "device /x is the console, which the kernel keeps", "device /x holds /x/uart (the
 * console), which ...", "device /x is not a device: it is inside /cpus/cpu@0 (a CPU)".
 */
static void report_device(struct plan_report *rep, const void *fdt, const char *owner,
			  const char *dev, const struct device_finding *f)
{
	struct strbuf sb = plan_error_add(rep, f->rule, owner);
	char path[PLAN_PATH_MAX];

	sb_puts(&sb, "device ");
	sb_puts(&sb, dev);
	sb_puts(&sb, f->rule == RULE_DEVICE_NODE ? " is not a device: it " : " ");
	sb_puts(&sb, f->how);
	sb_putc(&sb, ' ');
	if (f->other >= 0) {
		if (fdt_get_path(fdt, f->other, path, sizeof(path)) != 0)
			BH_LIBC(memcpy)(path, "(path too long)", 16);
		sb_puts(&sb, path);
		if (f->what[0] != '/') { /* else the path already says it */
			sb_puts(&sb, " (");
			sb_puts(&sb, f->what);
			sb_putc(&sb, ')');
		}
	} else {
		sb_puts(&sb, f->what);
	}
	if (f->rule == RULE_DEVICE_KERNEL)
		sb_puts(&sb, ", which the kernel keeps");
}

static void put_node_path(const void *fdt, int node, struct strbuf *sb)
{
	char buf[PLAN_PATH_MAX];

	sb_puts(sb, fdt_get_path(fdt, node, buf, sizeof(buf)) == 0 ? buf : "?");
}

/* Do two different nodes' registers overlap (their readable reg entries)? */
static bool regs_overlap(const void *fdt, int a, int b)
{
	struct pa_range ra, rb;

	for (unsigned int i = 0; device_reg(fdt, a, i, &ra) == REG_GOT; i++)
		for (unsigned int k = 0; device_reg(fdt, b, k, &rb) == REG_GOT; k++)
			if (pa_range_overlaps(&ra, &rb))
				return true;
	return false;
}

/* A device of partition i (node) over the registers of another partition's device. */
static void check_device_regs_shared(const struct plan *p, const struct plan_env *env,
				     const int nodes[][PLAN_MAX_DEVICES], unsigned int i,
				     unsigned int d, struct plan_report *rep)
{
	const struct plan_partition *pp = &p->part[i];

	for (unsigned int j = 0; j < i; j++)
		for (unsigned int e = 0; e < p->part[j].n_devices; e++) {
			if (nodes[j][e] < 0 || nodes[j][e] == nodes[i][d] ||
			    !regs_overlap(env->fdt, nodes[i][d], nodes[j][e]))
				continue;
			struct strbuf sb = plan_error_add(rep, RULE_DEVICE_SHARED, pp->path);

			sb_puts(&sb, "device ");
			sb_puts(&sb, pp->devices[d]);
			sb_puts(&sb, " shares registers with ");
			sb_puts(&sb, p->part[j].devices[e]);
			sb_puts(&sb, " of ");
			sb_puts(&sb, p->part[j].path);
			return;
		}
}

static void check_devices(const struct plan *p, const struct plan_env *env,
			  struct plan_report *rep)
{
	int32_t *nodes = p->idx.dev_node; /* [partition * PLAN_MAX_DEVICES + device] */

	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct plan_partition *pp = &p->part[i];

		for (unsigned int d = 0; d < pp->n_devices; d++) {
			unsigned int matches;
			int first, second;
			int node = dt_device_ref(env->fdt, pp->devices[d], &matches, &first, &second);
			struct strbuf sb;

			nodes[i * PLAN_MAX_DEVICES + d] = node;
			if (matches > 1) {
				sb = plan_error_add(rep, RULE_DEVICE_AMBIGUOUS, pp->path);
				sb_puts(&sb, "device ");
				sb_puts(&sb, pp->devices[d]);
				sb_puts(&sb, " matches ");
				sb_u64(&sb, matches);
				sb_puts(&sb, " nodes: ");
				put_node_path(env->fdt, first, &sb);
				sb_puts(&sb, " and ");
				put_node_path(env->fdt, second, &sb);
				sb_puts(&sb, "; give its path");
				continue;
			}
			if (node < 0 || !dt_node_enabled(env->fdt, node)) {
				sb = plan_error_add(rep, RULE_DEVICE_MISSING, pp->path);
				sb_puts(&sb, "device ");
				sb_puts(&sb, pp->devices[d]);
				sb_puts(&sb, node < 0 ? " is not in the platform device tree"
						      : " is disabled in the platform device tree");
				if (node < 0)
					put_node_suggestion(env->fdt, pp->devices[d], &sb);
				nodes[i * PLAN_MAX_DEVICES + d] = -1;
				continue;
			}
			struct device_finding f = device_finding(env, node);

			if (f.rule != RULE_COUNT)
				report_device(rep, env->fdt, pp->path, pp->devices[d], &f);
			else
				check_device_regs_shared(p, env, (const int(*)[PLAN_MAX_DEVICES])nodes,
							 i, d, rep);
			/* Two spellings of one node (an alias, a unit address): still shared. */
			for (unsigned int j = 0; j <= i; j++) {
				unsigned int n = j == i ? d : p->part[j].n_devices, e;

				for (e = 0; e < n; e++)
					if (nodes[j * PLAN_MAX_DEVICES + e] == node &&
					    BH_LIBC(strcmp)(p->part[j].devices[e], pp->devices[d]))
						break;
				if (e == n)
					continue;
				sb = plan_error_add(rep, RULE_DEVICE_SHARED, pp->path);
				sb_puts(&sb, "device ");
				sb_puts(&sb, pp->devices[d]);
				sb_puts(&sb, " is the node ");
				sb_puts(&sb, p->part[j].devices[e]);
				sb_puts(&sb, " of ");
				sb_puts(&sb, p->part[j].path);
				break;
			}
		}
	}
}

enum plan_err plan_check_platform(const struct plan *p, const struct plan_env *env,
				  struct plan_memory_map *map, struct plan_report *rep)
{
	unsigned int errors = rep->n + rep->dropped;

	map->part = p->idx.placed;
	if (p->n_part)
		BH_LIBC(memset)(map->part, 0, p->n_part * sizeof(*map->part));
	check_cpus(p, env->plat, rep);
	check_memory(p, env, map, rep);
	check_devices(p, env, rep);
	return rep->n + rep->dropped == errors ? PLAN_OK : PLAN_INVALID;
}
