/*
 * Plan DTB -> struct plan. Checks structure, property types, value ranges and names;
 * everything that relates one part of the plan to another is plan_check's job.
 * Unknown nodes and properties are errors: a typo must not silently become a default.
 */
#include <libfdt.h>
#include "core/lib/libc.h"
#include "dt/fdt_read.h"
#include "dt/plan_hm.h"
#include "dt/plan_read.h"

static void unknown_node(struct plan_ctx *c, const struct plan_node *parent, int off,
			 const char *expected)
{
	struct plan_node n = pr_child_of(c->fdt, parent, off);
	struct strbuf sb = plan_error_add(c->rep, RULE_FORMAT, n.path);

	sb_puts(&sb, "unknown node, expected ");
	sb_puts(&sb, expected);
}

/* A node whose name is a plan name (partition, channel): the name, checked, and the path. */
static void named_node(struct plan_ctx *c, const struct plan_node *n, const char *what,
		       char name[PLAN_NAME_MAX], char path[PLAN_PATH_MAX])
{
	size_t len;

	pr_node_name(c->fdt, n->off, name, PLAN_NAME_MAX, &len);
	if (!pr_name_ok(name, len))
		pr_bad_name(c, n->path, what, name, len);
	BH_LIBC(memcpy)(path, n->path, PLAN_PATH_MAX);
}

/* "more than max what (option)": rule plan-limit, naming the limit and its option. */
static void limit_error(struct plan_ctx *c, const char *path, const char *what, uint32_t max,
			const char *option)
{
	struct strbuf sb = plan_error_add(c->rep, RULE_LIMIT, path);

	sb_puts(&sb, "more than ");
	sb_u64(&sb, max);
	sb_putc(&sb, ' ');
	sb_puts(&sb, what);
	sb_puts(&sb, " (the limit, ");
	sb_puts(&sb, option);
	sb_puts(&sb, ")");
}

/* ---- The counting pass: what the tables must hold ---- */

static bool named(const void *fdt, int off, const char *want)
{
	char name[PLAN_NAME_MAX];
	size_t len;

	pr_node_name(fdt, off, name, sizeof(name), &len);
	return !BH_LIBC(strcmp)(name, want);
}

/* The first child of the root called name (what plan_parse reads), or -1. */
static int first_root_child(const void *fdt, const char *name)
{
	int off;

	fdt_for_each_subnode(off, fdt, 0)
		if (named(fdt, off, name))
			return off;
	return -1;
}

/* Children of off (called want, or any if NULL), at most max: what parse reads. */
static uint32_t children(const void *fdt, int off, const char *want, uint32_t max)
{
	uint32_t n = 0;
	int sub;

	if (off < 0)
		return 0;
	fdt_for_each_subnode(sub, fdt, off)
		if ((!want || named(fdt, sub, want)) && n++ == max)
			return max;
	return n;
}

static void count_tables(const void *fdt, struct plan_counts *k)
{
	int sched = first_root_child(fdt, "schedule"), sub;
	uint32_t cpus = 0;

	BH_LIBC(memset)(k, 0, sizeof(*k));
	k->partitions = children(fdt, first_root_child(fdt, "partitions"), NULL, PLAN_MAX_PARTITIONS);
	k->channels = children(fdt, first_root_child(fdt, "channels"), NULL, PLAN_MAX_CHANNELS);
	if (sched < 0)
		return;
	fdt_for_each_subnode(sub, fdt, sched) {
		uint32_t w;

		if (!named(fdt, sub, "cpu"))
			continue;
		if (cpus++ == PLAN_MAX_CPUS)
			break;
		w = children(fdt, sub, "window", PLAN_MAX_WINDOWS);
		k->windows += w;
		if (w > k->most_windows)
			k->most_windows = w;
	}
}

/* The tables, in carving order: entries of each and their size. */
#define TABLES(k)                                                                   \
	{ (k)->partitions, sizeof(struct plan_partition) },                           \
	{ (k)->channels, sizeof(struct plan_channel) },                               \
	{ (k)->windows, sizeof(struct plan_window) },                                 \
	{ (k)->partitions, sizeof(uint32_t) },                   /* part_by_name */   \
	{ (k)->channels, sizeof(uint32_t) },                     /* chan_by_name */   \
	{ (k)->partitions, sizeof(uint32_t) },                   /* part_by_base */   \
	{ (k)->partitions * PLAN_MAX_DEVICES, sizeof(uint32_t) }, /* dev_by_path */   \
	{ (k)->most_windows, sizeof(uint32_t) },                 /* win_by_offset */  \
	{ (k)->partitions * PLAN_MAX_DEVICES, sizeof(int32_t) },  /* dev_node */      \
	{ (k)->partitions, sizeof(struct pa_range) },            /* placed */
#define TABLE_ALIGN 16u

struct table {
	size_t n, size;
};

size_t plan_tables_bytes(const struct plan_counts *k)
{
	const struct table t[] = { TABLES(k) };
	size_t bytes = 0;

	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		bytes += ALIGN_UP(t[i].n * t[i].size, (size_t)TABLE_ALIGN);
	return bytes;
}

size_t plan_arena_bytes(const void *fdt, size_t bufsize, struct plan_counts *k)
{
	struct plan_counts counts;
	struct dt_diag d;

	if (dt_blob_check(fdt, bufsize, &d) != DT_OK)
		return 0;
	count_tables(fdt, &counts);
	if (k)
		*k = counts;
	return plan_tables_bytes(&counts);
}

/* Carves the tables for counts k from the arena (zeroed), or reports that they do not fit. */
static bool carve_tables(struct plan_ctx *c, struct plan_arena *a, const struct plan_counts *k)
{
	const struct table t[] = { TABLES(k) };
	void *at[ARRAY_SIZE(t)];
	size_t start = ALIGN_UP(a->used, (size_t)TABLE_ALIGN), need = plan_tables_bytes(k);
	struct plan *p = c->p;

	if (start > a->size || a->size - start < need) {
		struct strbuf sb = plan_error_add(c->rep, RULE_LIMIT, "/");

		sb_puts(&sb, "the plan's tables need ");
		sb_u64(&sb, need);
		sb_puts(&sb, " bytes, the kernel has ");
		sb_u64(&sb, start > a->size ? 0 : a->size - start);
		sb_puts(&sb, " for them (the largest block of free RAM)");
		return false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		at[i] = (char *)a->base + start;
		start += ALIGN_UP(t[i].n * t[i].size, (size_t)TABLE_ALIGN);
	}
	BH_LIBC(memset)(at[0], 0, need);
	a->used = start;
	p->part = at[0];
	p->chan = at[1];
	c->win = at[2];
	p->idx = (struct plan_index){ at[3], at[4], at[5], at[6], at[7], at[8], at[9] };
	c->part_cap = k->partitions;
	c->chan_cap = k->channels;
	c->win_cap = k->windows;
	return true;
}

/*
 * One node per role (a cell, the health monitor, partitions, schedule, channels): the
 * first is recorded in *first; a second is an error and is not read (else it would win
 * silently, or merge with the first). Returns true for a second.
 */
static bool repeated_node(struct plan_ctx *c, const struct plan_node *parent, int *first, int off,
			  const char *role)
{
	if (*first < 0) {
		*first = off;
		return false;
	}
	struct plan_node a = pr_child_of(c->fdt, parent, *first);
	struct plan_node b = pr_child_of(c->fdt, parent, off);
	struct strbuf sb = plan_error_add(c->rep, RULE_NODE_DUPLICATE, b.path);

	sb_puts(&sb, "a second ");
	sb_puts(&sb, role);
	sb_puts(&sb, " node, ");
	sb_puts(&sb, a.path);
	sb_puts(&sb, " is the first: one is allowed");
	return true;
}

static void parse_cell(struct plan_ctx *c, const struct plan_node *parent, int off,
			 struct plan_cell *cell)
{
	static const char *const props[] = { "entry", "priority", "stack-bytes", "period-us",
					     "deadline-us", "wcet-us" };
	struct plan_node n = pr_child_of(c->fdt, parent, off);
	uint64_t stack;

	pr_only_props(c, &n, props, ARRAY_SIZE(props));
	(void)pr_get_str(c, &n, "entry", true, true, cell->entry, sizeof(cell->entry));
	(void)pr_get_u32(c, &n, "priority", true, 1, PLAN_MAX_PRIORITY, &cell->priority);
	if (pr_get_num(c, &n, "stack-bytes", true, false, PLAN_MIN_STACK_BYTES, PLAN_MAX_STACK_BYTES,
		    RULE_RANGE, &stack)) {
		cell->stack_bytes = (uint32_t)stack;
		if (stack % 16)
			pr_misaligned(c, &n, "stack-bytes", stack, 16);
	}
	cell->periodic = pr_get_u32(c, &n, "period-us", false, 1, PLAN_MAX_FRAME_US * 100u,
				 &cell->period_us);
	if (!pr_get_u32(c, &n, "deadline-us", false, 1, PLAN_MAX_FRAME_US * 100u, &cell->deadline_us))
		cell->deadline_us = cell->period_us;
	(void)pr_get_u32(c, &n, "wcet-us", cell->periodic, 1, PLAN_MAX_FRAME_US, &cell->wcet_us);
	if (!cell->periodic && fdt_getprop(c->fdt, off, "deadline-us", NULL))
		plan_error_str(c->rep, RULE_CELL_TIMING, n.path,
			       "deadline-us without period-us: only periodic cells have deadlines");
}

static void parse_partition(struct plan_ctx *c, const struct plan_node *parent, int off,
			 struct plan_partition *pp)
{
	static const char *const props[] = { "cpu", "memory-bytes", "memory-base", "image",
					     "devices", "heartbeat-timeout-us", "args",
					     "persistent-bytes", "image-sha256" };
	struct plan_node n = pr_child_of(c->fdt, parent, off);
	int first[PLAN_CELLS + 1]; /* the cells, then the health monitor */
	size_t len;
	int sub;

	for (unsigned int k = 0; k < ARRAY_SIZE(first); k++)
		first[k] = -1;

	named_node(c, &n, "partition name", pp->name, pp->path);
	pr_only_props(c, &n, props, ARRAY_SIZE(props));
	(void)pr_get_u32(c, &n, "cpu", true, 0, PLAN_MAX_CPUS - 1, &pp->cpu);
	if (pr_get_num(c, &n, "memory-bytes", true, true, PLAN_PAGE_BYTES, 1ULL << 40, RULE_RANGE,
		    &pp->memory_bytes) && pp->memory_bytes % PLAN_PAGE_BYTES)
		pr_misaligned(c, &n, "memory-bytes", pp->memory_bytes, PLAN_PAGE_BYTES);
	pp->has_base = pr_get_num(c, &n, "memory-base", false, true, 0, (1ULL << 48) - 1, RULE_RANGE,
			       &pp->memory_base);
	if (pp->has_base && pp->memory_base % PLAN_PAGE_BYTES)
		pr_misaligned(c, &n, "memory-base", pp->memory_base, PLAN_PAGE_BYTES);
	(void)pr_get_str(c, &n, "image", true, true, pp->image, sizeof(pp->image));
	pp->has_image_sha256 = pr_get_sha256(c, &n, "image-sha256", pp->image_sha256);
	pp->n_devices = pr_get_list(c, &n, "devices", false, pp->devices[0], PLAN_PATH_MAX,
				 PLAN_MAX_DEVICES);
	(void)pr_get_u32(c, &n, "heartbeat-timeout-us", true, 100, PLAN_MAX_FRAME_US * 10u,
		      &pp->heartbeat_timeout_us);
	pr_get_args(c, &n, pp);
	pr_parse_persistent(c, &n, pp);

	fdt_for_each_subnode(sub, c->fdt, off) {
		char name[PLAN_NAME_MAX];
		unsigned int k;

		pr_node_name(c->fdt, sub, name, sizeof(name), &len);
		if (!BH_LIBC(strcmp)(name, "health-monitor")) {
			if (!repeated_node(c, &n, &first[PLAN_CELLS], sub, name))
				pr_parse_hm(c, &n, sub, pp);
			continue;
		}
		for (k = 0; k < PLAN_CELLS && BH_LIBC(strcmp)(name, plan_cell_name(k)); k++)
			;
		if (k == PLAN_CELLS) {
			unknown_node(c, &n, sub, "driver, watchdog or health-monitor");
			continue;
		}
		if (!repeated_node(c, &n, &first[k], sub, name))
			parse_cell(c, &n, sub, &pp->cell[k]);
	}
	for (unsigned int k = 0; k < PLAN_CELLS; k++) {
		if (first[k] < 0) {
			struct strbuf sb = plan_error_add(c->rep, RULE_FORMAT, n.path);

			sb_puts(&sb, "expected a ");
			sb_puts(&sb, plan_cell_name(k));
			sb_puts(&sb, " cell node");
		}
	}
}

static void parse_window(struct plan_ctx *c, const struct plan_node *parent, int off,
			 struct plan_window *w)
{
	static const char *const props[] = { "reg", "partition", "offset-us", "duration-us" };
	struct plan_node n = pr_child_of(c->fdt, parent, off);

	BH_LIBC(memcpy)(w->path, n.path, sizeof(w->path));
	pr_only_props(c, &n, props, ARRAY_SIZE(props));
	/* An absent or bad name is rule window-partition (checked later, with the empty name). */
	if (fdt_getprop(c->fdt, off, "partition", NULL))
		(void)pr_get_str(c, &n, "partition", false, false, w->partition, sizeof(w->partition));
	(void)pr_get_u32(c, &n, "offset-us", true, 0, PLAN_MAX_FRAME_US, &w->offset_us);
	(void)pr_get_u32(c, &n, "duration-us", true, 1, PLAN_MAX_FRAME_US, &w->duration_us);
}

static void parse_cpu(struct plan_ctx *c, const struct plan_node *parent, int off,
			 struct plan_cpu *pc)
{
	static const char *const props[] = { "reg", "#address-cells", "#size-cells" };
	struct plan_node n = pr_child_of(c->fdt, parent, off);
	int sub;

	BH_LIBC(memcpy)(pc->path, n.path, sizeof(pc->path));
	pr_only_props(c, &n, props, ARRAY_SIZE(props));
	/* Any u32 is read here; schedule-cpu says which are too large. */
	(void)pr_get_u32(c, &n, "reg", true, 0, UINT32_MAX, &pc->cpu);
	fdt_for_each_subnode(sub, c->fdt, off) {
		char name[PLAN_NAME_MAX];
		size_t len;

		pr_node_name(c->fdt, sub, name, sizeof(name), &len);
		if (BH_LIBC(strcmp)(name, "window")) {
			unknown_node(c, &n, sub, "window@N");
			continue;
		}
		if (pc->n == PLAN_MAX_WINDOWS) {
			limit_error(c, n.path, "windows on one CPU", PLAN_MAX_WINDOWS,
				    "CONFIG_PLAN_MAX_WINDOWS");
			break;
		}
		if (c->win_used + pc->n == c->win_cap)
			break; /* not counted (the counting pass reads the same nodes): never here */
		parse_window(c, &n, sub, &pc->w[pc->n++]);
	}
}

static void parse_schedule(struct plan_ctx *c, const struct plan_node *parent, int off)
{
	static const char *const props[] = { "major-frame-us", "#address-cells", "#size-cells" };
	struct plan_node n = pr_child_of(c->fdt, parent, off);
	int sub;

	pr_only_props(c, &n, props, ARRAY_SIZE(props));
	(void)pr_get_u32(c, &n, "major-frame-us", true, PLAN_MIN_FRAME_US, PLAN_MAX_FRAME_US,
		      &c->p->major_frame_us);
	fdt_for_each_subnode(sub, c->fdt, off) {
		char name[PLAN_NAME_MAX];
		size_t len;

		pr_node_name(c->fdt, sub, name, sizeof(name), &len);
		if (BH_LIBC(strcmp)(name, "cpu")) {
			unknown_node(c, &n, sub, "cpu@N");
			continue;
		}
		if (c->p->n_sched == PLAN_MAX_CPUS) {
			plan_error_str(c->rep, RULE_LIMIT, n.path, "more than 8 CPUs scheduled");
			break;
		}
		struct plan_cpu *pc = &c->p->sched[c->p->n_sched++];

		pc->w = c->win + c->win_used;
		parse_cpu(c, &n, sub, pc);
		c->win_used += pc->n;
	}
}

static void parse_channel(struct plan_ctx *c, const struct plan_node *parent, int off,
			 struct plan_channel *ch)
{
	static const char *const props[] = { "kind", "source", "destinations", "message-bytes",
					     "refresh-us", "depth" };
	static const char *const kinds[] = { "sampling", "queuing" };
	struct plan_node n = pr_child_of(c->fdt, parent, off);
	unsigned int kind = 0;
	uint64_t v;

	named_node(c, &n, "channel name", ch->name, ch->path);
	pr_only_props(c, &n, props, ARRAY_SIZE(props));
	if (pr_get_choice(c, &n, "kind", true, kinds, ARRAY_SIZE(kinds), &kind))
		ch->kind = (enum plan_channel_kind)kind;
	(void)pr_get_str(c, &n, "source", true, true, ch->source, sizeof(ch->source));
	ch->n_dest = pr_get_list(c, &n, "destinations", true, ch->dest[0], PLAN_NAME_MAX,
			      PLAN_MAX_DESTS);
	if (!fdt_getprop(c->fdt, off, "destinations", NULL))
		pr_missing(c, &n, "destinations");
	if (pr_get_num(c, &n, "message-bytes", true, false, 1, PLAN_MAX_MESSAGE_BYTES,
		    RULE_CHANNEL_SIZE, &v))
		ch->message_bytes = (uint32_t)v;
	if (ch->kind == CHANNEL_SAMPLING) {
		(void)pr_get_u32(c, &n, "refresh-us", true, 1, PLAN_MAX_FRAME_US * 100u, &ch->refresh_us);
		if (fdt_getprop(c->fdt, off, "depth", NULL))
			plan_error_str(c->rep, RULE_PROPERTY, n.path,
				       "depth is for queuing channels, a sampling channel has none");
	} else {
		if (pr_get_num(c, &n, "depth", true, false, 1, PLAN_MAX_DEPTH, RULE_CHANNEL_SIZE, &v))
			ch->depth = (uint32_t)v;
		if (fdt_getprop(c->fdt, off, "refresh-us", NULL))
			plan_error_str(c->rep, RULE_PROPERTY, n.path,
				       "refresh-us is for sampling channels, a queuing channel has none");
	}
}

static void parse_group(struct plan_ctx *c, const struct plan_node *parent, int off,
			 bool partitions)
{
	static const char *const props[] = { "#address-cells", "#size-cells" };
	struct plan_node n = pr_child_of(c->fdt, parent, off);
	int sub;

	pr_only_props(c, &n, props, ARRAY_SIZE(props));
	fdt_for_each_subnode(sub, c->fdt, off) {
		unsigned int *count = partitions ? &c->p->n_part : &c->p->n_chan;
		unsigned int max = partitions ? PLAN_MAX_PARTITIONS : PLAN_MAX_CHANNELS;

		if (*count == max) {
			limit_error(c, n.path, partitions ? "partitions" : "channels", max,
				    partitions ? "CONFIG_PLAN_MAX_PARTITIONS" : "CONFIG_PLAN_MAX_CHANNELS");
			break;
		}
		if (*count == (partitions ? c->part_cap : c->chan_cap))
			break; /* not counted (the counting pass reads the same nodes): never here */
		if (partitions)
			parse_partition(c, &n, sub, &c->p->part[(*count)++]);
		else
			parse_channel(c, &n, sub, &c->p->chan[(*count)++]);
	}
}

static int required_node(struct plan_ctx *c, const char *path)
{
	int off = fdt_path_offset(c->fdt, path);

	if (off < 0) {
		struct strbuf sb = plan_error_add(c->rep, RULE_FORMAT, "/");

		sb_puts(&sb, "expected a ");
		sb_puts(&sb, path);
		sb_puts(&sb, " node");
	}
	return off;
}

enum plan_err plan_parse(const void *fdt, size_t bufsize, struct plan *out, struct plan_arena *arena,
			 struct plan_report *rep)
{
	struct plan_counts counts;
	static const char *const props[] = { "compatible", "plan-version", "model",
					     "#address-cells", "#size-cells" };
	struct plan_ctx c = { .fdt = fdt, .p = out, .rep = rep };
	unsigned int errors = rep->n + rep->dropped;
	struct dt_diag d;
	uint64_t version;
	int off, first[4] = { -1, -1, -1, -1 }; /* partitions, channels, schedule, health-monitor */

	BH_LIBC(memset)(out, 0, sizeof(*out));
	if (dt_blob_check(fdt, bufsize, &d) != DT_OK) {
		plan_error_str(rep, RULE_BLOB, d.path, d.what);
		return PLAN_INVALID;
	}
	struct plan_node root = { .off = 0, .path = "/" };

	if (fdt_node_check_compatible(fdt, 0, PLAN_COMPATIBLE) != 0) {
		plan_error_str(rep, RULE_FORMAT, "/", "expected compatible = \"" PLAN_COMPATIBLE "\"");
		return PLAN_INVALID; /* not a plan at all: its contents mean nothing */
	}
	pr_only_props(&c, &root, props, ARRAY_SIZE(props));
	if (!fdt_getprop(fdt, 0, "plan-version", NULL)) {
		plan_error_str(rep, RULE_VERSION, "/", "expected plan-version = <1>");
		return PLAN_INVALID;
	}
	if (dt_read_u32(fdt, 0, "plan-version", &out->version, &d) != DT_OK) {
		plan_error_str(rep, RULE_VERSION, "/", d.what);
		return PLAN_INVALID;
	}
	if (out->version != PLAN_VERSION) {
		version = out->version;
		struct strbuf sb = plan_error_add(rep, RULE_VERSION, "/");

		sb_puts(&sb, "plan-version = ");
		sb_u64(&sb, version);
		sb_puts(&sb, ", this build reads version 1 only");
		return PLAN_INVALID;
	}
	count_tables(fdt, &counts);
	if (!carve_tables(&c, arena, &counts))
		return PLAN_INVALID;
	fdt_for_each_subnode(off, fdt, 0) {
		char name[PLAN_NAME_MAX];
		size_t len;

		pr_node_name(fdt, off, name, sizeof(name), &len);
		if (!BH_LIBC(strcmp)(name, "partitions") || !BH_LIBC(strcmp)(name, "channels")) {
			if (!repeated_node(&c, &root, &first[name[0] == 'c'], off, name))
				parse_group(&c, &root, off, name[0] == 'p');
		} else if (!BH_LIBC(strcmp)(name, "schedule")) {
			if (!repeated_node(&c, &root, &first[2], off, name))
				parse_schedule(&c, &root, off);
		} else if (!BH_LIBC(strcmp)(name, "health-monitor")) {
			if (!repeated_node(&c, &root, &first[3], off, name))
				pr_parse_system_hm(&c, &root, off);
		} else {
			unknown_node(&c, &root, off, "partitions, schedule, channels or health-monitor");
		}
	}
	(void)required_node(&c, "/partitions");
	(void)required_node(&c, "/schedule");
	return rep->n + rep->dropped == errors ? PLAN_OK : PLAN_INVALID;
}
