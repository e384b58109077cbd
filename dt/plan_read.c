/* Checked property readers for the plan parser (see dt/plan_read.h). */
#include <libfdt.h>
#include "core/lib/libc.h"
#include "dt/fdt_read.h"
#include "dt/plan_read.h"

/* A child's path from its parent's (fdt_get_path walks from the root: too slow per node). */
struct plan_node pr_child_of(const void *fdt, const struct plan_node *parent, int off)
{
	struct plan_node n = { .off = off };
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
void pr_node_name(const void *fdt, int off, char *buf, size_t cap, size_t *full_len)
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
bool pr_name_ok(const char *s, size_t len)
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

void pr_bad_name(struct plan_ctx *c, const char *path, const char *what, const char *s, size_t len)
{
	struct strbuf sb = plan_error_add(c->rep, RULE_NAME, path);

	sb_puts(&sb, what);
	sb_puts(&sb, " '");
	sb_putn(&sb, s, len < PLAN_NAME_MAX ? len : PLAN_NAME_MAX);
	sb_puts(&sb, len < PLAN_NAME_MAX ? "'" : "...'");
	sb_puts(&sb, ": expected 1..23 of a-z 0-9 - _, starting with a letter");
}

void pr_from_diag(struct plan_ctx *c, const struct dt_diag *d)
{
	plan_error_str(c->rep, RULE_PROPERTY, d->path, d->what);
}

/* Refuses properties not in allowed[] (phandles are always allowed: labels make them). */
void pr_only_props(struct plan_ctx *c, const struct plan_node *n, const char *const *allowed,
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
			struct plan_suggest sg;

			sb_puts(&sb, "unknown property '");
			sb_puts(&sb, name);
			sb_puts(&sb, "'");
			plan_suggest_init(&sg, name);
			for (unsigned int i = 0; i < n_allowed; i++)
				plan_suggest_consider(&sg, allowed[i]);
			plan_suggest_put(&sg, &sb);
		}
	}
}

void pr_missing(struct plan_ctx *c, const struct plan_node *n, const char *prop)
{
	struct strbuf sb = plan_error_add(c->rep, RULE_PROPERTY, n->path);

	sb_puts(&sb, "expected property '");
	sb_puts(&sb, prop);
	sb_puts(&sb, "'");
}

/* Addresses and sizes of memory are shown in hex, as plans write them; counts in decimal. */
static void put_value(struct strbuf *sb, const char *prop, uint64_t v)
{
	if (!BH_LIBC(strncmp)(prop, "memory-", 7))
		sb_hex(sb, v);
	else
		sb_u64(sb, v);
}

void pr_out_of_range(struct plan_ctx *c, enum plan_rule rule, const struct plan_node *n,
		     const char *prop, uint64_t v, uint64_t min, uint64_t max, const char *extra)
{
	struct strbuf sb = plan_error_add(c->rep, rule, n->path);

	sb_puts(&sb, prop);
	sb_puts(&sb, " = ");
	put_value(&sb, prop, v);
	sb_puts(&sb, ", expected ");
	put_value(&sb, prop, min);
	sb_puts(&sb, "..");
	put_value(&sb, prop, max);
	if (extra)
		sb_puts(&sb, extra);
}

void pr_misaligned(struct plan_ctx *c, const struct plan_node *n, const char *prop, uint64_t v,
		   uint64_t align)
{
	struct strbuf sb = plan_error_add(c->rep, RULE_RANGE, n->path);

	sb_puts(&sb, prop);
	sb_puts(&sb, " = ");
	put_value(&sb, prop, v);
	sb_puts(&sb, ", not a multiple of ");
	put_value(&sb, prop, align);
}

/* A u32 (or, with wide, 1 or 2 cells) within min..max. False if absent or bad (and
 * reported unless absent and optional). */
bool pr_get_num(struct plan_ctx *c, const struct plan_node *n, const char *prop, bool required,
		bool wide, uint64_t min, uint64_t max, enum plan_rule rule, uint64_t *out)
{
	struct dt_diag d;
	uint32_t v32;
	enum dt_err e;

	if (!fdt_getprop(c->fdt, n->off, prop, NULL)) {
		if (required)
			pr_missing(c, n, prop);
		return false;
	}
	if (wide) {
		e = dt_read_cells_u64(c->fdt, n->off, prop, out, &d);
	} else {
		e = dt_read_u32(c->fdt, n->off, prop, &v32, &d);
		*out = v32;
	}
	if (e != DT_OK) {
		pr_from_diag(c, &d);
		return false;
	}
	if (*out < min || *out > max) {
		pr_out_of_range(c, rule, n, prop, *out, min, max, NULL);
		return false;
	}
	return true;
}

bool pr_get_u32(struct plan_ctx *c, const struct plan_node *n, const char *prop, bool required,
		uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (!pr_get_num(c, n, prop, required, false, min, max, RULE_RANGE, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* The i-th string of a string-list property; false past the end or if malformed. */
bool pr_str_at(const char *list, int len, unsigned int i, const char **s, size_t *slen)
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

unsigned int pr_str_count(const char *list, int len)
{
	unsigned int n = 0;
	const char *s;
	size_t sl;

	while (pr_str_at(list, len, n, &s, &sl))
		n++;
	return n;
}

/* A property of one string (a name, when is_name). */
bool pr_get_str(struct plan_ctx *c, const struct plan_node *n, const char *prop, bool required,
		bool is_name, char *buf, size_t cap)
{
	int len;
	const char *v = fdt_getprop(c->fdt, n->off, prop, &len);
	const char *s;
	size_t sl;

	if (!v) {
		if (required)
			pr_missing(c, n, prop);
		return false;
	}
	if (!pr_str_at(v, len, 0, &s, &sl) || pr_str_count(v, len) != 1 || (int)sl + 1 != len) {
		struct strbuf sb = plan_error_add(c->rep, RULE_PROPERTY, n->path);

		sb_puts(&sb, "'");
		sb_puts(&sb, prop);
		sb_puts(&sb, "' must be one string");
		return false;
	}
	if (is_name && !pr_name_ok(s, sl)) {
		pr_bad_name(c, n->path, prop, s, sl);
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
bool pr_get_choice(struct plan_ctx *c, const struct plan_node *n, const char *prop, bool required,
		   const char *const *names, unsigned int count, unsigned int *out)
{
	char v[PLAN_NAME_MAX];

	if (!pr_get_str(c, n, prop, required, false, v, sizeof(v)))
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
unsigned int pr_get_list(struct plan_ctx *c, const struct plan_node *n, const char *prop,
			 bool is_name, char *slots, size_t slot_cap, unsigned int max)
{
	int len;
	const char *v = fdt_getprop(c->fdt, n->off, prop, &len);
	unsigned int count = v ? pr_str_count(v, len) : 0, kept = 0;
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
	for (unsigned int i = 0; i < count && pr_str_at(v, len, i, &s, &sl); i++) {
		/* Devices: a node path ("/pl031@9010000"), or a node name with its unit address
		 * ("pl031@9010000": the one node of that name, wherever it is). */
		if (is_name ? !pr_name_ok(s, sl) : (sl == 0 || sl >= slot_cap ||
						   (s[0] != '/' && BH_LIBC(memchr)(s, '/', sl)))) {
			if (is_name)
				pr_bad_name(c, n->path, prop, s, sl);
			else
				plan_error_str(c->rep, RULE_PROPERTY, n->path,
					       "devices: expected node paths or node names under 96 characters");
			continue;
		}
		BH_LIBC(memcpy)(slots + kept * slot_cap, s, sl + 1);
		kept++;
	}
	return kept;
}

/* One arg: 1..PLAN_ARG_MAX-1 printable ASCII characters. */
static bool arg_ok(struct plan_ctx *c, const struct plan_node *n, unsigned int i, const char *s,
		   size_t sl)
{
	struct strbuf sb;

	if (sl == 0 || sl >= PLAN_ARG_MAX) {
		sb = plan_error_add(c->rep, RULE_ARGS, n->path);
		sb_puts(&sb, "args[");
		sb_u64(&sb, i);
		sb_puts(&sb, sl ? "] is " : "] is empty");
		if (sl) {
			sb_u64(&sb, sl);
			sb_puts(&sb, " characters, at most ");
			sb_u64(&sb, PLAN_ARG_MAX - 1);
		}
		return false;
	}
	for (size_t k = 0; k < sl; k++) {
		if ((unsigned char)s[k] < 0x20 || (unsigned char)s[k] > 0x7e) {
			sb = plan_error_add(c->rep, RULE_ARGS, n->path);
			sb_puts(&sb, "args[");
			sb_u64(&sb, i);
			sb_puts(&sb, "] has a character that is not printable ASCII (byte ");
			sb_u64(&sb, (unsigned char)s[k]);
			sb_puts(&sb, ")");
			return false;
		}
	}
	return true;
}

/* args: a string list the partition's program reads from its info page, bounded by it. */
void pr_get_args(struct plan_ctx *c, const struct plan_node *n, struct plan_partition *pp)
{
	int len;
	const char *v = fdt_getprop(c->fdt, n->off, "args", &len);
	unsigned int count;
	const char *s;
	size_t sl;

	if (!v)
		return;
	if (len == 0 || v[len - 1] != '\0') {
		plan_error_str(c->rep, RULE_PROPERTY, n->path, "args: expected a list of strings");
		return;
	}
	count = pr_str_count(v, len);
	if (count > PLAN_MAX_ARGS) {
		struct strbuf sb = plan_error_add(c->rep, RULE_ARGS, n->path);

		sb_puts(&sb, "args has ");
		sb_u64(&sb, count);
		sb_puts(&sb, " strings, at most ");
		sb_u64(&sb, PLAN_MAX_ARGS);
		return;
	}
	if ((size_t)len > PLAN_ARGS_BYTES) {
		struct strbuf sb = plan_error_add(c->rep, RULE_ARGS, n->path);

		sb_puts(&sb, "args take ");
		sb_u64(&sb, (uint64_t)len);
		sb_puts(&sb, " bytes with their NULs, at most ");
		sb_u64(&sb, PLAN_ARGS_BYTES);
		return;
	}
	for (unsigned int i = 0; i < count && pr_str_at(v, len, i, &s, &sl); i++) {
		if (!arg_ok(c, n, i, s, sl))
			continue;
		BH_LIBC(memcpy)(pp->args + pp->args_bytes, s, sl + 1);
		pp->args_bytes += (unsigned int)sl + 1;
		pp->n_args++;
	}
}
