/*
 * Plan DTB -> struct plan. Checks structure, property types, value ranges and names;
 * everything that relates one part of the plan to another is plan_check's job.
 * Unknown nodes and properties are errors: a typo must not silently become a default.
 */
#include <libfdt.h>
#include "core/lib/libc.h"
#include "dt/fdt_read.h"
#include "dt/plan_internal.h"

struct ctx {
	const void *fdt;
	struct plan *p;
	struct plan_report *rep;
};

struct node {
	int off;
	char path[PLAN_PATH_MAX];
};

/* A child's path from its parent's (fdt_get_path walks from the root: too slow per node). */
static struct node child_of(const void *fdt, const struct node *parent, int off)
{
	struct node n = { .off = off };
	struct strbuf sb;
	const char *name = fdt_get_name(fdt, off, NULL);

	sb_init(&sb, n.path, sizeof(n.path));
	if (parent->path[1])
		sb_puts(&sb, parent->path);
	sb_putc(&sb, '/');
	sb_puts(&sb, name ? name : "?");
	if (sb.truncated)
		BH_LIBC(memcpy)(n.path, "(path too long)", 16);
	return n;
}

/* The node's name without its unit address. */
static void node_name(const void *fdt, int off, char *buf, size_t cap, size_t *full_len)
{
	int len;
	const char *name = fdt_get_name(fdt, off, &len);
	const char *at = name ? BH_LIBC(memchr)(name, '@', (size_t)len) : NULL;
	size_t n = name ? (at ? (size_t)(at - name) : (size_t)len) : 0;

	*full_len = n;
	if (n >= cap)
		n = cap - 1;
	if (n)
		BH_LIBC(memcpy)(buf, name, n);
	buf[n] = '\0';
}

/* Lower-case letters, digits, '-' and '_', starting with a letter. */
static bool name_ok(const char *s, size_t len)
{
	if (len == 0 || len >= PLAN_NAME_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return false;
	}
	return true;
}

static void bad_name(struct ctx *c, const char *path, const char *what, const char *s, size_t len)
{
	struct strbuf sb = plan_error_add(c->rep, RULE_NAME, path);

	sb_puts(&sb, what);
	sb_puts(&sb, " '");
	sb_putn(&sb, s, len < PLAN_NAME_MAX ? len : PLAN_NAME_MAX);
	sb_puts(&sb, len < PLAN_NAME_MAX ? "'" : "...'");
	sb_puts(&sb, ": expected 1..23 of a-z 0-9 - _, starting with a letter");
}

static void from_diag(struct ctx *c, const struct dt_diag *d)
{
	plan_error_str(c->rep, RULE_PROPERTY, d->path, d->what);
}

/* Refuses properties not in allowed[] (phandles are always allowed: labels make them). */
static void only_props(struct ctx *c, const struct node *n, const char *const *allowed,
		       unsigned int n_allowed)
{
	int prop;

	fdt_for_each_property_offset(prop, c->fdt, n->off) {
		const char *name;
		bool ok = false;

		if (!fdt_getprop_by_offset(c->fdt, prop, &name, NULL))
			continue;
		ok = !BH_LIBC(strcmp)(name, "phandle") || !BH_LIBC(strcmp)(name, "linux,phandle");
		for (unsigned int i = 0; i < n_allowed && !ok; i++)
			ok = !BH_LIBC(strcmp)(name, allowed[i]);
		if (!ok) {
			struct strbuf sb = plan_error_add(c->rep, RULE_PROPERTY, n->path);

			sb_puts(&sb, "unknown property '");
			sb_puts(&sb, name);
			sb_puts(&sb, "'");
		}
	}
}

static void missing(struct ctx *c, const struct node *n, const char *prop)
{
	struct strbuf sb = plan_error_add(c->rep, RULE_PROPERTY, n->path);

	sb_puts(&sb, "expected property '");
	sb_puts(&sb, prop);
	sb_puts(&sb, "'");
}

static void out_of_range(struct ctx *c, enum plan_rule rule, const struct node *n,
			 const char *prop, uint64_t v, uint64_t min, uint64_t max, const char *extra)
{
	struct strbuf sb = plan_error_add(c->rep, rule, n->path);

	sb_puts(&sb, prop);
	sb_puts(&sb, " = ");
	sb_u64(&sb, v);
	sb_puts(&sb, ", expected ");
	sb_u64(&sb, min);
	sb_puts(&sb, "..");
	sb_u64(&sb, max);
	if (extra)
		sb_puts(&sb, extra);
}

/* A u32 (or, with wide, 1 or 2 cells) within min..max. False if absent or bad (and
 * reported unless absent and optional). */
static bool get_num(struct ctx *c, const struct node *n, const char *prop, bool required,
		    bool wide, uint64_t min, uint64_t max, enum plan_rule rule, uint64_t *out)
{
	struct dt_diag d;
	uint32_t v32;
	enum dt_err e;

	if (!fdt_getprop(c->fdt, n->off, prop, NULL)) {
		if (required)
			missing(c, n, prop);
		return false;
	}
	if (wide) {
		e = dt_read_cells_u64(c->fdt, n->off, prop, out, &d);
	} else {
		e = dt_read_u32(c->fdt, n->off, prop, &v32, &d);
		*out = v32;
	}
	if (e != DT_OK) {
		from_diag(c, &d);
		return false;
	}
	if (*out < min || *out > max) {
		out_of_range(c, rule, n, prop, *out, min, max, NULL);
		return false;
	}
	return true;
}

static bool get_u32(struct ctx *c, const struct node *n, const char *prop, bool required,
		    uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (!get_num(c, n, prop, required, false, min, max, RULE_RANGE, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* The i-th string of a string-list property; false past the end or if malformed. */
static bool str_at(const char *list, int len, unsigned int i, const char **s, size_t *slen)
{
	int pos = 0;

	for (unsigned int k = 0; pos < len; k++) {
		const char *end = BH_LIBC(memchr)(list + pos, '\0', (size_t)(len - pos));

		if (!end)
			return false;
		if (k == i) {
			*s = list + pos;
			*slen = (size_t)(end - (list + pos));
			return true;
		}
		pos = (int)(end - list) + 1;
	}
	return false;
}

static unsigned int str_count(const char *list, int len)
{
	unsigned int n = 0;
	const char *s;
	size_t sl;

	while (str_at(list, len, n, &s, &sl))
		n++;
	return n;
}

/* A property of one string (a name, when is_name). */
static bool get_str(struct ctx *c, const struct node *n, const char *prop, bool required,
		    bool is_name, char *buf, size_t cap)
{
	int len;
	const char *v = fdt_getprop(c->fdt, n->off, prop, &len);
	const char *s;
	size_t sl;

	if (!v) {
		if (required)
			missing(c, n, prop);
		return false;
	}
	if (!str_at(v, len, 0, &s, &sl) || str_count(v, len) != 1 || (int)sl + 1 != len) {
		struct strbuf sb = plan_error_add(c->rep, RULE_PROPERTY, n->path);

		sb_puts(&sb, "'");
		sb_puts(&sb, prop);
		sb_puts(&sb, "' must be one string");
		return false;
	}
	if (is_name && !name_ok(s, sl)) {
		bad_name(c, n->path, prop, s, sl);
		return false;
	}
	if (sl >= cap) {
		struct strbuf sb = plan_error_add(c->rep, RULE_LIMIT, n->path);

		sb_puts(&sb, "'");
		sb_puts(&sb, prop);
		sb_puts(&sb, "' is ");
		sb_u64(&sb, sl);
		sb_puts(&sb, " characters, at most ");
		sb_u64(&sb, cap - 1);
		return false;
	}
	BH_LIBC(memcpy)(buf, s, sl + 1);
	return true;
}

/* One of names[] (n of them) as an index. */
static bool get_choice(struct ctx *c, const struct node *n, const char *prop, bool required,
		       const char *const *names, unsigned int count, unsigned int *out)
{
	char v[PLAN_NAME_MAX];

	if (!get_str(c, n, prop, required, false, v, sizeof(v)))
		return false;
	for (unsigned int i = 0; i < count; i++) {
		if (!BH_LIBC(strcmp)(v, names[i])) {
			*out = i;
			return true;
		}
	}
	struct strbuf sb = plan_error_add(c->rep, RULE_RANGE, n->path);

	sb_puts(&sb, prop);
	sb_puts(&sb, " = '");
	sb_puts(&sb, v);
	sb_puts(&sb, "', expected one of:");
	for (unsigned int i = 0; i < count; i++) {
		sb_putc(&sb, ' ');
		sb_puts(&sb, names[i]);
	}
	return false;
}

/* A string list into fixed slots: names (validated) or node paths. */
static unsigned int get_list(struct ctx *c, const struct node *n, const char *prop, bool is_name,
			     char *slots, size_t slot_cap, unsigned int max)
{
	int len;
	const char *v = fdt_getprop(c->fdt, n->off, prop, &len);
	unsigned int count = v ? str_count(v, len) : 0, kept = 0;
	const char *s;
	size_t sl;

	if (v && (len == 0 || v[len - 1] != '\0' || BH_LIBC(memchr)(v, '\0', (size_t)len) == NULL)) {
		plan_error_str(c->rep, RULE_PROPERTY, n->path, "expected a list of strings");
		return 0;
	}
	if (count > max) {
		struct strbuf sb = plan_error_add(c->rep, RULE_LIMIT, n->path);

		sb_puts(&sb, prop);
		sb_puts(&sb, " has ");
		sb_u64(&sb, count);
		sb_puts(&sb, " entries, at most ");
		sb_u64(&sb, max);
		count = max;
	}
	for (unsigned int i = 0; i < count && str_at(v, len, i, &s, &sl); i++) {
		if (is_name ? !name_ok(s, sl) : (sl == 0 || s[0] != '/' || sl >= slot_cap)) {
			if (is_name)
				bad_name(c, n->path, prop, s, sl);
			else
				plan_error_str(c->rep, RULE_PROPERTY, n->path,
					       "devices: expected absolute node paths under 96 characters");
			continue;
		}
		BH_LIBC(memcpy)(slots + kept * slot_cap, s, sl + 1);
		kept++;
	}
	return kept;
}

static void unknown_node(struct ctx *c, const struct node *parent, int off, const char *expected)
{
	struct node n = child_of(c->fdt, parent, off);
	struct strbuf sb = plan_error_add(c->rep, RULE_FORMAT, n.path);

	sb_puts(&sb, "unknown node, expected ");
	sb_puts(&sb, expected);
}

static void parse_cell(struct ctx *c, const struct node *parent, int off, struct plan_cell *cell)
{
	static const char *const props[] = { "entry", "priority", "stack-bytes", "period-us",
					     "deadline-us", "wcet-us" };
	struct node n = child_of(c->fdt, parent, off);
	uint64_t stack;

	only_props(c, &n, props, ARRAY_SIZE(props));
	(void)get_str(c, &n, "entry", true, true, cell->entry, sizeof(cell->entry));
	(void)get_u32(c, &n, "priority", true, 1, PLAN_MAX_PRIORITY, &cell->priority);
	if (get_num(c, &n, "stack-bytes", true, false, PLAN_MIN_STACK_BYTES, PLAN_MAX_STACK_BYTES,
		    RULE_RANGE, &stack)) {
		cell->stack_bytes = (uint32_t)stack;
		if (stack % 16)
			out_of_range(c, RULE_RANGE, &n, "stack-bytes", stack, PLAN_MIN_STACK_BYTES,
				     PLAN_MAX_STACK_BYTES, ", a multiple of 16");
	}
	cell->periodic = get_u32(c, &n, "period-us", false, 1, PLAN_MAX_FRAME_US * 100u,
				 &cell->period_us);
	if (!get_u32(c, &n, "deadline-us", false, 1, PLAN_MAX_FRAME_US * 100u, &cell->deadline_us))
		cell->deadline_us = cell->period_us;
	(void)get_u32(c, &n, "wcet-us", cell->periodic, 1, PLAN_MAX_FRAME_US, &cell->wcet_us);
	if (!cell->periodic && fdt_getprop(c->fdt, off, "deadline-us", NULL))
		plan_error_str(c->rep, RULE_CELL_TIMING, n.path,
			       "deadline-us without period-us: only periodic cells have deadlines");
}

static void parse_hm(struct ctx *c, const struct node *parent, int off, struct plan_partition *pp)
{
	static const char *const props[] = { "fault", "deadline-miss", "heartbeat-miss",
					     "syscall-violation", "restart-limit", "on-limit" };
	static const char *const actions[] = { "stop", "restart", "escalate" };
	static const char *const limit_actions[] = { "stop", "escalate" };
	static const enum plan_hm_action limit_map[] = { HM_ACT_STOP, HM_ACT_ESCALATE };
	struct node n = child_of(c->fdt, parent, off);
	bool restarts = false;
	unsigned int v;

	only_props(c, &n, props, ARRAY_SIZE(props));
	for (unsigned int k = 0; k < HM_CLASSES; k++) {
		if (get_choice(c, &n, plan_hm_class_name(k), false, actions, ARRAY_SIZE(actions), &v))
			pp->hm.action[k] = (enum plan_hm_action)v;
		restarts |= pp->hm.action[k] == HM_ACT_RESTART;
	}
	(void)get_u32(c, &n, "restart-limit", restarts, 1, PLAN_MAX_RESTARTS, &pp->hm.restart_limit);
	if (get_choice(c, &n, "on-limit", false, limit_actions, ARRAY_SIZE(limit_actions), &v))
		pp->hm.on_limit = limit_map[v];
}

static void parse_partition(struct ctx *c, const struct node *parent, int off, struct plan_partition *pp)
{
	static const char *const props[] = { "cpu", "memory-bytes", "memory-base", "image",
					     "devices", "heartbeat-timeout-us" };
	struct node n = child_of(c->fdt, parent, off);
	bool cell_seen[PLAN_CELLS] = { false };
	size_t len;
	int sub;

	node_name(c->fdt, off, pp->name, sizeof(pp->name), &len);
	if (!name_ok(pp->name, len))
		bad_name(c, n.path, "partition name", pp->name, len);
	BH_LIBC(memcpy)(pp->path, n.path, sizeof(pp->path));
	only_props(c, &n, props, ARRAY_SIZE(props));
	(void)get_u32(c, &n, "cpu", true, 0, PLAN_MAX_CPUS - 1, &pp->cpu);
	if (get_num(c, &n, "memory-bytes", true, true, PLAN_PAGE_BYTES, 1ULL << 40, RULE_RANGE,
		    &pp->memory_bytes) && pp->memory_bytes % PLAN_PAGE_BYTES)
		out_of_range(c, RULE_RANGE, &n, "memory-bytes", pp->memory_bytes, PLAN_PAGE_BYTES,
			     1ULL << 40, ", a multiple of 4096");
	pp->has_base = get_num(c, &n, "memory-base", false, true, 0, (1ULL << 48) - 1, RULE_RANGE,
			       &pp->memory_base);
	if (pp->has_base && pp->memory_base % PLAN_PAGE_BYTES)
		out_of_range(c, RULE_RANGE, &n, "memory-base", pp->memory_base, 0, (1ULL << 48) - 1,
			     ", a multiple of 4096");
	(void)get_str(c, &n, "image", true, true, pp->image, sizeof(pp->image));
	pp->n_devices = get_list(c, &n, "devices", false, pp->devices[0], PLAN_PATH_MAX,
				 PLAN_MAX_DEVICES);
	(void)get_u32(c, &n, "heartbeat-timeout-us", true, 100, PLAN_MAX_FRAME_US * 10u,
		      &pp->heartbeat_timeout_us);

	fdt_for_each_subnode(sub, c->fdt, off) {
		char name[PLAN_NAME_MAX];
		unsigned int k;

		node_name(c->fdt, sub, name, sizeof(name), &len);
		if (!BH_LIBC(strcmp)(name, "health-monitor")) {
			parse_hm(c, &n, sub, pp);
			continue;
		}
		for (k = 0; k < PLAN_CELLS && BH_LIBC(strcmp)(name, plan_cell_name(k)); k++)
			;
		if (k == PLAN_CELLS) {
			unknown_node(c, &n, sub, "driver, watchdog or health-monitor");
			continue;
		}
		cell_seen[k] = true;
		parse_cell(c, &n, sub, &pp->cell[k]);
	}
	for (unsigned int k = 0; k < PLAN_CELLS; k++) {
		if (!cell_seen[k]) {
			struct strbuf sb = plan_error_add(c->rep, RULE_FORMAT, n.path);

			sb_puts(&sb, "expected a ");
			sb_puts(&sb, plan_cell_name(k));
			sb_puts(&sb, " cell node");
		}
	}
}

static void parse_window(struct ctx *c, const struct node *parent, int off, struct plan_window *w)
{
	static const char *const props[] = { "reg", "partition", "offset-us", "duration-us" };
	struct node n = child_of(c->fdt, parent, off);

	BH_LIBC(memcpy)(w->path, n.path, sizeof(w->path));
	only_props(c, &n, props, ARRAY_SIZE(props));
	/* An absent or bad name is rule window-partition (checked later, with the empty name). */
	if (fdt_getprop(c->fdt, off, "partition", NULL))
		(void)get_str(c, &n, "partition", false, false, w->partition, sizeof(w->partition));
	(void)get_u32(c, &n, "offset-us", true, 0, PLAN_MAX_FRAME_US, &w->offset_us);
	(void)get_u32(c, &n, "duration-us", true, 1, PLAN_MAX_FRAME_US, &w->duration_us);
}

static void parse_cpu(struct ctx *c, const struct node *parent, int off, struct plan_cpu *pc)
{
	static const char *const props[] = { "reg", "#address-cells", "#size-cells" };
	struct node n = child_of(c->fdt, parent, off);
	int sub;

	BH_LIBC(memcpy)(pc->path, n.path, sizeof(pc->path));
	only_props(c, &n, props, ARRAY_SIZE(props));
	/* Any u32 is read here; schedule-cpu says which are too large. */
	(void)get_u32(c, &n, "reg", true, 0, UINT32_MAX, &pc->cpu);
	fdt_for_each_subnode(sub, c->fdt, off) {
		char name[PLAN_NAME_MAX];
		size_t len;

		node_name(c->fdt, sub, name, sizeof(name), &len);
		if (BH_LIBC(strcmp)(name, "window")) {
			unknown_node(c, &n, sub, "window@N");
			continue;
		}
		if (pc->n == PLAN_MAX_WINDOWS) {
			plan_error_str(c->rep, RULE_LIMIT, n.path, "more than 32 windows on one CPU");
			break;
		}
		parse_window(c, &n, sub, &pc->w[pc->n++]);
	}
}

static void parse_schedule(struct ctx *c, const struct node *parent, int off)
{
	static const char *const props[] = { "major-frame-us", "#address-cells", "#size-cells" };
	struct node n = child_of(c->fdt, parent, off);
	int sub;

	only_props(c, &n, props, ARRAY_SIZE(props));
	(void)get_u32(c, &n, "major-frame-us", true, PLAN_MIN_FRAME_US, PLAN_MAX_FRAME_US,
		      &c->p->major_frame_us);
	fdt_for_each_subnode(sub, c->fdt, off) {
		char name[PLAN_NAME_MAX];
		size_t len;

		node_name(c->fdt, sub, name, sizeof(name), &len);
		if (BH_LIBC(strcmp)(name, "cpu")) {
			unknown_node(c, &n, sub, "cpu@N");
			continue;
		}
		if (c->p->n_sched == PLAN_MAX_CPUS) {
			plan_error_str(c->rep, RULE_LIMIT, n.path, "more than 8 CPUs scheduled");
			break;
		}
		parse_cpu(c, &n, sub, &c->p->sched[c->p->n_sched++]);
	}
}

static void parse_channel(struct ctx *c, const struct node *parent, int off, struct plan_channel *ch)
{
	static const char *const props[] = { "kind", "source", "destinations", "message-bytes",
					     "refresh-us", "depth" };
	static const char *const kinds[] = { "sampling", "queuing" };
	struct node n = child_of(c->fdt, parent, off);
	unsigned int kind = 0;
	uint64_t v;
	size_t len;

	node_name(c->fdt, off, ch->name, sizeof(ch->name), &len);
	if (!name_ok(ch->name, len))
		bad_name(c, n.path, "channel name", ch->name, len);
	BH_LIBC(memcpy)(ch->path, n.path, sizeof(ch->path));
	only_props(c, &n, props, ARRAY_SIZE(props));
	if (get_choice(c, &n, "kind", true, kinds, ARRAY_SIZE(kinds), &kind))
		ch->kind = (enum plan_channel_kind)kind;
	(void)get_str(c, &n, "source", true, true, ch->source, sizeof(ch->source));
	ch->n_dest = get_list(c, &n, "destinations", true, ch->dest[0], PLAN_NAME_MAX,
			      PLAN_MAX_DESTS);
	if (!fdt_getprop(c->fdt, off, "destinations", NULL))
		missing(c, &n, "destinations");
	if (get_num(c, &n, "message-bytes", true, false, 1, PLAN_MAX_MESSAGE_BYTES,
		    RULE_CHANNEL_SIZE, &v))
		ch->message_bytes = (uint32_t)v;
	if (ch->kind == CHANNEL_SAMPLING) {
		(void)get_u32(c, &n, "refresh-us", true, 1, PLAN_MAX_FRAME_US * 100u, &ch->refresh_us);
		if (fdt_getprop(c->fdt, off, "depth", NULL))
			plan_error_str(c->rep, RULE_PROPERTY, n.path,
				       "depth is for queuing channels, a sampling channel has none");
	} else {
		if (get_num(c, &n, "depth", true, false, 1, PLAN_MAX_DEPTH, RULE_CHANNEL_SIZE, &v))
			ch->depth = (uint32_t)v;
		if (fdt_getprop(c->fdt, off, "refresh-us", NULL))
			plan_error_str(c->rep, RULE_PROPERTY, n.path,
				       "refresh-us is for sampling channels, a queuing channel has none");
	}
}

static void parse_group(struct ctx *c, const struct node *parent, int off, bool partitions)
{
	static const char *const props[] = { "#address-cells", "#size-cells" };
	struct node n = child_of(c->fdt, parent, off);
	int sub;

	only_props(c, &n, props, ARRAY_SIZE(props));
	fdt_for_each_subnode(sub, c->fdt, off) {
		unsigned int *count = partitions ? &c->p->n_part : &c->p->n_chan;
		unsigned int max = partitions ? PLAN_MAX_PARTITIONS : PLAN_MAX_CHANNELS;

		if (*count == max) {
			plan_error_str(c->rep, RULE_LIMIT, n.path,
				       partitions ? "more than 16 partitions" : "more than 16 channels");
			break;
		}
		if (partitions)
			parse_partition(c, &n, sub, &c->p->part[(*count)++]);
		else
			parse_channel(c, &n, sub, &c->p->chan[(*count)++]);
	}
}

static int required_node(struct ctx *c, const char *path)
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

enum plan_err plan_parse(const void *fdt, size_t bufsize, struct plan *out, struct plan_report *rep)
{
	static const char *const props[] = { "compatible", "plan-version", "model",
					     "#address-cells", "#size-cells" };
	struct ctx c = { fdt, out, rep };
	unsigned int errors = rep->n + rep->dropped;
	struct dt_diag d;
	uint64_t version;
	int off;

	BH_LIBC(memset)(out, 0, sizeof(*out));
	if (dt_blob_check(fdt, bufsize, &d) != DT_OK) {
		plan_error_str(rep, RULE_BLOB, d.path, d.what);
		return PLAN_INVALID;
	}
	struct node root = { .off = 0, .path = "/" };

	if (fdt_node_check_compatible(fdt, 0, PLAN_COMPATIBLE) != 0) {
		plan_error_str(rep, RULE_FORMAT, "/", "expected compatible = \"" PLAN_COMPATIBLE "\"");
		return PLAN_INVALID; /* not a plan at all: its contents mean nothing */
	}
	only_props(&c, &root, props, ARRAY_SIZE(props));
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
	fdt_for_each_subnode(off, fdt, 0) {
		char name[PLAN_NAME_MAX];
		size_t len;

		node_name(fdt, off, name, sizeof(name), &len);
		if (!BH_LIBC(strcmp)(name, "partitions") || !BH_LIBC(strcmp)(name, "channels"))
			parse_group(&c, &root, off, name[0] == 'p');
		else if (!BH_LIBC(strcmp)(name, "schedule"))
			parse_schedule(&c, &root, off);
		else
			unknown_node(&c, &root, off, "partitions, schedule or channels");
	}
	(void)required_node(&c, "/partitions");
	(void)required_node(&c, "/schedule");
	return rep->n + rep->dropped == errors ? PLAN_OK : PLAN_INVALID;
}
